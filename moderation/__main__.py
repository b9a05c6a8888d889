"""``python -m moderation``: the same as the ``moderation`` command."""

import sys

from moderation.cli.main import main

sys.exit(main())
