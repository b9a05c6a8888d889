"""Shared fixtures: a real Redis (embedded when REDIS_URL is unset or unreachable), isolated key prefixes,
a real trained model, and a real Celery worker process.

A test that needs a real Redis server or a real worker process is marked ``integration`` (``make test-fast``
leaves those out); one that uses the Redis fixture without the mark stops the collection, naming it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from redis import Redis

from moderation.ops.embedded_redis import EmbeddedRedis, reachable
from tests.helpers import register_profiles

register_profiles()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse a test that uses a real Redis (the ``redis_url`` fixture, directly or through another fixture)
    without the ``integration`` mark: it would slow down ``make test-fast`` and fail where no Redis runs."""
    unmarked = [item.nodeid for item in items
                if "redis_url" in getattr(item, "fixturenames", ()) and item.get_closest_marker("integration") is None]
    if unmarked:
        raise pytest.UsageError("tests using a real Redis must be marked integration (pytestmark or "
                                "@pytest.mark.integration): " + ", ".join(unmarked[:20]))


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a real Redis server: ``REDIS_URL`` if it answers, else an embedded server for the session."""
    configured = os.environ.get("REDIS_URL")
    if configured and reachable(configured):
        yield configured
        return
    with EmbeddedRedis(tmp_path_factory.mktemp("redis")) as server:
        yield server.url


@pytest.fixture
def prefix() -> str:
    """A key prefix no other test uses, so tests share one server without interfering."""
    return f"test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def redis(redis_url: str, prefix: str) -> Iterator[Redis]:
    """A connection (decode_responses=True); the test's keys are deleted afterwards."""
    client = Redis.from_url(redis_url, decode_responses=True)
    yield client
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def uid() -> str:
    """A short unique suffix for comment ids."""
    return uuid.uuid4().hex[:8]
