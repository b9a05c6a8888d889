"""Following the decision stream with a consumer group: at-least-once, acknowledged."""

from __future__ import annotations

import pytest
from redis import Redis

from moderation.publishing.decision_reader import DecisionReader
from moderation.publishing.publish import DecisionPublisher
from tests.moderation.helpers import decision

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


def test_each_decision_goes_to_one_consumer_of_a_group(redis: Redis, prefix: str) -> None:
    # Given two consumers of one group, created before anything is published
    first = DecisionReader(redis, group="backend", consumer="a", prefix=prefix)
    second = DecisionReader(redis, group="backend", consumer="b", prefix=prefix)
    DecisionPublisher(redis, prefix=prefix).publish_many([decision(f"c-{i}") for i in range(10)])
    # When both read
    got = first.read(count=4, block_ms=100) + second.read(count=100, block_ms=100)
    # Then every decision was read exactly once between them
    assert sorted(e.decision.comment_id for e in got) == sorted(f"c-{i}" for i in range(10))


def test_unacknowledged_entries_are_delivered_again(redis: Redis, prefix: str) -> None:
    DecisionPublisher(redis, prefix=prefix).publish(decision("c-1"))
    reader = DecisionReader(redis, group="g", consumer="a", prefix=prefix, start="0")
    [entry] = reader.read(block_ms=100)
    # When the consumer restarts without acknowledging / Then it gets the entry again
    again = DecisionReader(redis, group="g", consumer="a", prefix=prefix).read(block_ms=100)
    assert [e.entry_id for e in again] == [entry.entry_id]
    # And once acknowledged, not any more
    assert reader.ack(entry) == 1
    assert reader.read(block_ms=50) == []


def test_entries_of_a_crashed_consumer_are_claimed(redis: Redis, prefix: str) -> None:
    DecisionPublisher(redis, prefix=prefix).publish(decision("c-2"))
    crashed = DecisionReader(redis, group="g", consumer="crashed", prefix=prefix, start="0")
    assert len(crashed.read(block_ms=100)) == 1
    # When another consumer reads after the idle limit (0 ms here) / Then it takes the entry over
    survivor = DecisionReader(redis, group="g", consumer="survivor", prefix=prefix, claim_idle_ms=0)
    assert [e.decision.comment_id for e in survivor.read(block_ms=100)] == ["c-2"]


def test_a_plain_bytes_connection_reads_and_acknowledges_alike(redis_url: str, redis: Redis, prefix: str) -> None:
    # Given a plain connection as the README's users open it (no decode_responses: replies are bytes)
    plain = Redis.from_url(redis_url)
    DecisionPublisher(redis, prefix=prefix).publish_many([decision("c-b1"), decision("c-b2")])
    reader = DecisionReader(plain, group="bytes", consumer="web-1", prefix=prefix, start="0")
    # When it reads and acknowledges
    entries = reader.read(block_ms=100)
    # Then the decisions come out as with a decoding connection, and nothing is left pending
    assert [e.decision.comment_id for e in entries] == ["c-b1", "c-b2"]
    assert all(isinstance(e.entry_id, str) for e in entries)
    assert reader.ack(*entries) == 2
    assert redis.xpending(f"{prefix}:decisions", "bytes")["pending"] == 0
    plain.close()
