"""The sweep: undecided comments past the deadline are queued again, decided ones are cleaned up."""

from __future__ import annotations

import base64
import json
import time

import pytest
from redis import Redis

from moderation import keys
from moderation.intake.client import ModerationClient
from moderation.intake.wire import comments_of
from moderation.publishing.publish import DecisionPublisher
from moderation.publishing.sweep import requeue_undecided
from tests.moderation.helpers import decision

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


def test_undecided_comments_past_the_deadline_are_requeued_once(redis: Redis, prefix: str) -> None:
    # Given three accepted comments whose messages were lost, one of which was decided anyway
    client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q")
    client.submit_many([{"id": f"c-{i}", "body": "hello"} for i in range(3)])
    redis.delete(client.queue)  # the messages are gone
    DecisionPublisher(redis, prefix=prefix).publish(decision("c-1"))
    redis.zadd(keys.pending_key(prefix), {"c-0": 1, "c-2": 1})  # accepted long ago
    # When the sweep runs
    result = requeue_undecided(redis, prefix=prefix, queue=client.queue, older_than_seconds=60)
    # Then the two undecided ones are queued again, carrying their first submission time (for latency_ms)
    assert result.requeued == 2
    messages = redis.lrange(client.queue, 0, -1)
    queued = sorted(c["id"] for m in messages for c in comments_of(m))
    assert queued == ["c-0", "c-2"]
    assert [submitted_at(m) for m in messages] == [{"c-0": 1, "c-2": 1}]
    # And the pending set still says when they were first submitted; the requeue time is kept apart
    assert redis.zscore(keys.pending_key(prefix), "c-0") == 1
    assert (redis.zscore(keys.pending_requeued_key(prefix), "c-0") or 0) > time.time() * 1000 - 5000
    # And a second sweep right after does nothing
    assert requeue_undecided(redis, prefix=prefix, queue=client.queue, older_than_seconds=60).requeued == 0


def submitted_at(message: str) -> object:
    """The ``submitted_at_ms`` keyword of a queued task message."""
    body = json.loads(base64.b64decode(json.loads(message)["body"]))
    return body[1]["submitted_at_ms"]


def test_a_comment_swept_twice_keeps_its_first_submission_time(redis: Redis, prefix: str) -> None:
    # Given a comment accepted long ago whose message was lost, swept once already, and lost again
    client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q")
    client.submit({"id": "late", "body": "hello"})
    redis.zadd(keys.pending_key(prefix), {"late": 1_000})
    redis.delete(client.queue)
    redis.zadd(keys.pending_requeued_key(prefix), {"late": 2_000})  # requeued long ago too
    # When the sweep runs again / Then the message still carries the first submission time
    assert requeue_undecided(redis, prefix=prefix, queue=client.queue, older_than_seconds=60).requeued == 1
    assert [submitted_at(m) for m in redis.lrange(client.queue, 0, -1)] == [{"late": 1_000}]
    # And once decided, the next sweeps forget it entirely
    DecisionPublisher(redis, prefix=prefix).publish(decision("late"))
    redis.zadd(keys.pending_requeued_key(prefix), {"late": 2_000})
    requeue_undecided(redis, prefix=prefix, queue=client.queue, older_than_seconds=60)
    assert redis.zcard(keys.pending_requeued_key(prefix)) == 0


def test_recent_comments_are_left_alone(redis: Redis, prefix: str) -> None:
    client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q")
    client.submit({"id": "fresh", "body": "hello"})
    assert requeue_undecided(redis, prefix=prefix, queue=client.queue, older_than_seconds=60).requeued == 0


def test_decided_and_payloadless_entries_are_cleaned(redis: Redis, prefix: str) -> None:
    redis.zadd(keys.pending_key(prefix), {"decided": 1, "orphan": 1})
    redis.set(keys.decision_key(prefix, None, "decided"), "{}")
    result = requeue_undecided(redis, prefix=prefix, queue=f"{prefix}-q", older_than_seconds=1)
    assert (result.requeued, result.cleaned, result.missing) == (0, 1, 1)
    assert redis.zcard(keys.pending_key(prefix)) == 0
