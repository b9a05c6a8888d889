"""Helpers shared by tests of every package."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import hypothesis
from redis import Redis
from redis.exceptions import RedisError

#: The repository's root directory (where ``pyproject.toml`` is).
ROOT = Path(__file__).resolve().parent.parent
#: The Hypothesis profiles (registered by ``tests/conftest.py``, chosen with ``HYPOTHESIS_PROFILE`` or
#: ``--hypothesis-profile``) and how many of its full number of examples each generated-input test runs in
#: them: ``full`` in ``make test``, ``fast`` in ``make test-fast`` (a quick loop while changing code), ``soak``
#: for a long hunt before a release.
PROFILES: dict[str, float] = {"full": 1.0, "fast": 0.1, "soak": 10.0}
#: A test that names no number of examples runs this many in the ``full`` profile (Hypothesis' default).
FULL_EXAMPLES = 100


def register_profiles() -> None:
    """Register :data:`PROFILES` with Hypothesis and load the one ``HYPOTHESIS_PROFILE`` names (``full``)."""
    for name, share in PROFILES.items():
        hypothesis.settings.register_profile(name, max_examples=max(10, round(FULL_EXAMPLES * share)))
    hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "full"))


def examples(count: int) -> int:
    """The number of examples for a generated-input test that runs ``count`` in the ``full`` profile, in the
    profile loaded.

    :param count: the full number.
    """
    return max(10, round(count * hypothesis.settings().max_examples / FULL_EXAMPLES))


def repo_root() -> Path:
    """The repository's root directory."""
    return ROOT


def wait_until(condition: Callable[[], object], timeout: float, what: str = "", interval: float = 0.02) -> None:
    """Wait until ``condition()`` is true; fail if it is still false after ``timeout`` seconds.

    :param condition: checked at once, then every ``interval`` seconds.
    :param timeout: generous: a busy machine is slow, and a true condition ends the wait at once.
    :param what: what is awaited, for the failure message (default: the condition's repr).
    :param interval: seconds between checks.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still not true after {timeout} s: {what or condition}"
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
