"""Helpers shared by tests of every package."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

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


@contextmanager
def real_sentinel(directory: Path, master_name: str = "mymaster", db: int = 3) -> Iterator[str]:
    """A real Redis master and one real Sentinel watching it (the embedded redis-server in sentinel mode).

    Yields the ``redis+sentinel://`` URL naming them; the Sentinel answers a moment after it starts (wait with
    :func:`sentinel_answers`).

    :param directory: where the master and the Sentinel keep their files.
    :param master_name: the name the Sentinel monitors the master under.
    :param db: the database number in the URL.
    """
    from moderation.ops.embedded_redis import EmbeddedRedis, free_port, server_binary

    with EmbeddedRedis(directory / "master") as master:
        port = free_port()
        conf = directory / "sentinel.conf"
        conf.write_text(f"port {port}\nbind 127.0.0.1\ndir {directory}\n"
                        f"sentinel monitor {master_name} 127.0.0.1 {master.port} 1\n")
        process = subprocess.Popen([server_binary(), str(conf), "--sentinel"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            yield f"redis+sentinel://127.0.0.1:{port}/{master_name}/{db}"
        finally:
            process.terminate()
            process.wait(10)


def sentinel_answers(client: Redis) -> bool:
    """Whether ``client`` (made from a Sentinel URL) reaches the master yet: a condition for :func:`wait_until`."""
    try:
        return bool(client.ping())
    except RedisError:
        return False
