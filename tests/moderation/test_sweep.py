"""The sweep: undecided comments past the deadline are queued again, decided ones are cleaned up."""

from __future__ import annotations

import time

from redis import Redis

from moderation import keys
from moderation.client import ModerationClient
from moderation.publishing import DecisionPublisher
from moderation.sweep import requeue_undecided
from moderation.wire import comments_of
from tests.moderation.test_publishing import decision


def test_undecided_comments_past_the_deadline_are_requeued_once(redis: Redis, prefix: str) -> None:
    # Given three accepted comments whose messages were lost, one of which was decided anyway
    client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q")
    client.submit_many([{"id": f"c-{i}", "body": "hello"} for i in range(3)])
    redis.delete(client.queue)  # the messages are gone
    DecisionPublisher(redis, prefix=prefix).publish(decision("c-1"))
    redis.zadd(keys.pending_key(prefix), {"c-0": 1, "c-2": 1})  # accepted long ago
    # When the sweep runs
    result = requeue_undecided(redis, prefix=prefix, queue=client.queue, older_than_seconds=60)
    # Then the two undecided ones are queued again, and their deadline restarts
    assert result.requeued == 2
    queued = sorted(c["id"] for m in redis.lrange(client.queue, 0, -1) for c in comments_of(m))
    assert queued == ["c-0", "c-2"]
    assert (redis.zscore(keys.pending_key(prefix), "c-0") or 0) > time.time() * 1000 - 5000
    # And a second sweep right after does nothing
    assert requeue_undecided(redis, prefix=prefix, queue=client.queue, older_than_seconds=60).requeued == 0


def test_recent_comments_are_left_alone(redis: Redis, prefix: str) -> None:
    client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q")
    client.submit({"id": "fresh", "body": "hello"})
    assert requeue_undecided(redis, prefix=prefix, queue=client.queue, older_than_seconds=60).requeued == 0


def test_decided_and_payloadless_entries_are_cleaned(redis: Redis, prefix: str) -> None:
    redis.zadd(keys.pending_key(prefix), {"decided": 1, "orphan": 1})
    redis.set(keys.decision_key(prefix, "decided"), "{}")
    result = requeue_undecided(redis, prefix=prefix, queue=f"{prefix}-q", older_than_seconds=1)
    assert (result.requeued, result.cleaned, result.missing) == (0, 1, 1)
    assert redis.zcard(keys.pending_key(prefix)) == 0
