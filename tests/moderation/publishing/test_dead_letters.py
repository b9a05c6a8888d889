"""Dead letters: listed with their error, requeued once fixed."""

from __future__ import annotations

import json

import pytest
from marshmallow import ValidationError
from redis import Redis

from moderation import keys
from moderation.intake.client import ModerationClient
from moderation.intake.wire import comments_of
from moderation.publishing.dead_letters import list_dead_letters, requeue_dead_letter

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
