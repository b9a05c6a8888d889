"""Dead letters: listed with their error, requeued once fixed."""

from __future__ import annotations

import json
import time

import pytest
from marshmallow import ValidationError
from redis import Redis

from moderation import keys
from moderation.intake.client import ModerationClient
from moderation.intake.wire import comments_of
from moderation.publishing.dead_letters import list_dead_letters, prune_dead_letters, requeue_dead_letter

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


def add_letter(redis: Redis, prefix: str, payload: object, error: str = "boom") -> str:
    return str(redis.xadd(keys.dead_letter_stream(prefix), {
        "comment_id": "c-1", "error": error, "attempts": 4, "payload": json.dumps(payload)}))


def test_dead_letters_are_listed_with_error_and_payload(redis: Redis, prefix: str) -> None:
    entry = add_letter(redis, prefix, {"id": "c-1", "body": "hi"}, "RuntimeError: model crashed")
    [letter] = list_dead_letters(redis, prefix)
    assert letter.entry_id == entry and letter.error.startswith("RuntimeError") and letter.attempts == 4
    assert letter.payload == {"id": "c-1", "body": "hi"}


def test_requeue_submits_again_and_removes_the_entry(redis: Redis, prefix: str) -> None:
    client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q")
    entry = add_letter(redis, prefix, {"id": "c-1", "body": "hi"})
    receipt = requeue_dead_letter(client, entry)
    assert receipt.id == "c-1"
    assert [c["id"] for m in redis.lrange(client.queue, 0, -1) for c in comments_of(m)] == ["c-1"]
    assert list_dead_letters(redis, prefix) == []


def test_an_invalid_payload_is_not_requeued_and_stays(redis: Redis, prefix: str) -> None:
    client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q")
    entry = add_letter(redis, prefix, {"id": "c-1", "body": " "})
    with pytest.raises(ValidationError):
        requeue_dead_letter(client, entry)
    assert len(list_dead_letters(redis, prefix)) == 1
    with pytest.raises(KeyError):
        requeue_dead_letter(client, "1-1")


def test_dead_letters_older_than_the_retention_are_dropped_with_their_personal_fields(redis: Redis,
                                                                                    prefix: str) -> None:
    # Given a dead letter written 31 days ago (its stream id is its time) and one written now, both with an e-mail
    stream = keys.dead_letter_stream(prefix)
    month_ago_ms = time.time_ns() // 1_000_000 - 31 * 86400 * 1000
    payload = json.dumps({"id": "c-1", "body": "hi", "author": {"email": "ann@example.org"}})
    redis.xadd(stream, {"comment_id": "c-old", "error": "bad", "attempts": 1, "payload": payload},
               id=f"{month_ago_ms}-0")
    redis.xadd(stream, {"comment_id": "c-new", "error": "bad", "attempts": 1, "payload": payload})
    # When the sweep prunes with the default retention (30 days)
    dropped = prune_dead_letters(redis, prefix, 30 * 86400)
    # Then only the old one is gone
    assert dropped == 1
    assert [fields["comment_id"] for _, fields in redis.xrange(stream)] == ["c-new"]
