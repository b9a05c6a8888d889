"""The web face: the moderators' console (and, beside it, the HTTP API)."""
