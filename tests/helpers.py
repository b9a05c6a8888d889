"""Helpers shared by tests of every package."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

#: The repository's root directory (where ``pyproject.toml`` is).
ROOT = Path(__file__).resolve().parent.parent
#: How many of their examples the generated-input (Hypothesis) tests run: all of them in the full suite;
#: ``make test-fast`` sets ``TEST_EXAMPLES_SCALE`` lower for a quick loop while changing code.
EXAMPLES_SCALE = float(os.environ.get("TEST_EXAMPLES_SCALE", "1"))


def examples(count: int) -> int:
    """The number of examples for a generated-input test that runs ``count`` in the full suite.

    :param count: the full number.
    """
    return max(10, round(count * EXAMPLES_SCALE))


def repo_root() -> Path:
    """The repository's root directory."""
    return ROOT


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.02) -> None:
    """Wait until ``condition()`` is true; fail if it is still false after ``timeout`` seconds.

    :param condition: checked at once, then every ``interval`` seconds.
    :param timeout: generous: a busy machine is slow, and a true condition ends the wait at once.
    :param interval: seconds between checks.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still not true after {timeout} s: {condition}"
        time.sleep(interval)
