"""Publishing: one decision per comment, in all three places, however often it is published."""

from __future__ import annotations

import json
import time
from typing import Any

from redis import Redis
from redis.client import PubSub

from moderation import keys
from moderation.publishing import DecisionPublisher
from moderation.records import Decision, Reason


def next_message(pubsub: PubSub, timeout: float = 5.0) -> dict[str, Any] | None:
    """The next data message (subscribe confirmations are skipped), waiting up to ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=deadline - time.monotonic())
        if message is not None:
            return message
    return None


def decision(comment_id: str, outcome: str = "review") -> Decision:
    return Decision(comment_id=comment_id, decision=outcome, scores={"spam": 0.6},  # type: ignore[arg-type]
                    reasons=(Reason(code="spam.review", message="m", head="spam", score=0.6, terms=("win",)),),
                    model_version="m1", decided_at="2026-11-28T10:00:00.000Z", latency_ms=1.0)


def test_a_decision_lands_in_the_key_the_stream_and_the_channel(redis: Redis, prefix: str) -> None:
    # Given a subscriber on the decisions channel
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(keys.decisions_channel(prefix))
    publisher = DecisionPublisher(redis, prefix=prefix, ttl_seconds=600)
    # When a decision is published
    assert publisher.publish(decision("c-1")) is True
    # Then it is stored with an expiry, appended to the stream and announced
    stored = json.loads(redis.get(keys.decision_key(prefix, "c-1")) or "{}")
    assert stored["decision"] == "review" and stored["reasons"][0]["terms"] == ["win"]
    assert 0 < redis.ttl(keys.decision_key(prefix, "c-1")) <= 600
    [(_, fields)] = redis.xrange(keys.decisions_stream(prefix))
    assert fields["comment_id"] == "c-1" and fields["decision"] == "review"
    assert json.loads(fields["record"]) == stored
    message = next_message(pubsub)
    assert message is not None and json.loads(message["data"]) == stored
    pubsub.close()


def test_publishing_twice_yields_one_decision(redis: Redis, prefix: str) -> None:
    # Given a comment already decided
    publisher = DecisionPublisher(redis, prefix=prefix)
    publisher.publish(decision("c-2", "approve"))
    # When another decision for it is published (a redelivered message)
    again = publisher.publish_many([decision("c-2", "reject"), decision("c-3")])
    # Then the first one stands and the stream holds one entry per comment
    assert again == [False, True]
    assert json.loads(redis.get(keys.decision_key(prefix, "c-2")) or "{}")["decision"] == "approve"
    assert [f["comment_id"] for _, f in redis.xrange(keys.decisions_stream(prefix))] == ["c-2", "c-3"]
    assert publisher.already_decided(["c-2", "c-4"]) == [True, False]


def test_publishing_clears_the_pending_entry(redis: Redis, prefix: str) -> None:
    redis.zadd(keys.pending_key(prefix), {"c-5": 1})
    redis.hset(keys.pending_payload_key(prefix), "c-5", "{}")
    DecisionPublisher(redis, prefix=prefix).publish(decision("c-5"))
    assert redis.zcard(keys.pending_key(prefix)) == 0 and redis.hlen(keys.pending_payload_key(prefix)) == 0


def test_the_stream_is_bounded(redis: Redis, prefix: str) -> None:
    publisher = DecisionPublisher(redis, prefix=prefix, stream_maxlen=100)
    publisher.publish_many([decision(f"c-{i}") for i in range(1000)])
    assert redis.xlen(keys.decisions_stream(prefix)) < 300
