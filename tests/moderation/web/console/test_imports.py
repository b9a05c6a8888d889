"""The console stays a Redis client like the backends: it never loads Celery or the model code."""

from __future__ import annotations

import subprocess
import sys


def test_serving_the_console_loads_neither_celery_nor_scikit_learn() -> None:
    # When the console's application and commands are imported in a fresh interpreter
    code = ("import sys, moderation.cli.main, moderation.web.console.app, moderation.web.console.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'celery', 'kombu', 'sklearn', 'workers'}))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    # Then none of the worker's machinery came with them
    assert loaded == "[]"
