"""``python -m moderation``: the same as the ``moderation`` command."""

import sys

from moderation.cli import main

sys.exit(main())
