"""After a Redis event, what was in flight is queued again one lease interval later, not after the sweep's minutes."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from redis import Redis

from moderation import keys
from moderation.publishing.event_requeue import EventRequeue
from tests.helpers import wait_until

pytestmark = pytest.mark.integration


class RestartedRedis:
    """The real Redis, whose ``run_id`` reads as changed from the second probe on (a restart or a failover)."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self.probes = 0

    def info(self, section: str) -> dict[str, Any]:
        self.probes += 1
        return {"run_id": "before" if self.probes == 1 else "after"}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.redis, name)


def test_comments_undecided_at_a_redis_event_are_queued_again_one_interval_later(redis: Redis, prefix: str) -> None:
    # Given a comment accepted before the event, still undecided, whose message was lost
    queue = f"{prefix}-q"
    accepted = time.time() * 1000 - 5
    redis.zadd(keys.pending_key(prefix), {"lost-1": accepted})
    redis.hset(keys.pending_payload_key(prefix), "lost-1", json.dumps({"id": "lost-1", "body": "hello"}))
    watch = EventRequeue(RestartedRedis(redis), prefix=prefix, queue=queue, delay=0.2)  # type: ignore[arg-type]
    assert watch.tick() is None  # the first probe learns the run_id
    # When the primary's run_id changes, Then nothing happens before the delay, and the comment is queued
    # again once it has passed
    assert watch.tick() is None and watch.event_ms is not None
    requeued: list[int | None] = []
    wait_until(lambda: requeued.append(watch.tick()) or requeued[-1] is not None, 5)
    assert requeued[-1] == 1
    assert redis.llen(queue) == 1 and "lost-1" in redis.lindex(queue, 0)
    assert redis.hget(keys.metrics_key(prefix), "requeued:event") == "1"
    assert watch.event_ms is None
