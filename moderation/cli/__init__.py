"""The ``moderation`` command: its entry point and the verbs of each audience."""
