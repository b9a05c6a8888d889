"""The dead-letter stream: inputs a worker could not moderate, with the error, for a person to look at.

A worker writes an entry for a payload that fails validation, and for a batch that kept failing after its
retries. Entries can be listed and requeued (after the cause is fixed); a requeued entry is removed.

An entry carries the payload as sent, personal fields (e-mail, IP address) included, so it does not stay for
ever: the sweep drops entries older than ``review_retention_days`` (:func:`prune_dead_letters`), the time a held
comment waits for a person too, beside the stream's length bound.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from redis import Redis

from moderation import keys
from moderation.intake.client import ModerationClient, Receipt


@dataclass(frozen=True)
class DeadLetter:
    """One dead-letter entry."""

    entry_id: str
    comment_id: str
    error: str
    attempts: int
    payload: Any

    def to_dict(self) -> dict[str, Any]:
        """As printed by ``moderation dead-letters list``."""
        return {"entry_id": self.entry_id, "comment_id": self.comment_id, "error": self.error,
                "attempts": self.attempts, "payload": self.payload}


def letter_fields(comment_id: str, error: str, attempts: int, payload: Any, **extra: Any) -> dict[Any, Any]:
    """The fields of one dead-letter entry (``XADD`` them to ``keys.dead_letter_stream``).

    :param comment_id: the comment's id ("" when the payload has no string id).
    :param error: why it could not be moderated (cut at 2000 characters).
    :param attempts: how many times it was tried.
    :param payload: the queued payload (stored as JSON, cut at 70 000 characters).
    :param extra: further fields (``history``, ``kind``, ``site``), JSON-encoded unless strings.
    """
    fields: dict[str, Any] = {"comment_id": comment_id, "error": error[:2000], "attempts": attempts,
                              "payload": json.dumps(payload, ensure_ascii=False, default=str)[:70_000]}
    for name, value in extra.items():
        fields[name] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return fields


def prune_dead_letters(redis: Redis, prefix: str, older_than_seconds: float) -> int:
    """Drop the dead letters written more than ``older_than_seconds`` ago (their ids are their times).

    :param redis: a connection.
    :param prefix: the key prefix.
    :param older_than_seconds: the retention.
    :returns: how many were dropped.
    """
    cutoff_ms = time.time_ns() // 1_000_000 - int(older_than_seconds * 1000)
    return int(redis.xtrim(keys.dead_letter_stream(prefix), minid=f"{max(cutoff_ms, 0)}-0", approximate=False))


def list_dead_letters(redis: Redis, prefix: str, count: int = 100) -> list[DeadLetter]:
    """The oldest ``count`` dead letters."""
    entries: Any = redis.xrange(keys.dead_letter_stream(prefix), count=count)
    return [_letter(entry_id, fields) for entry_id, fields in entries]


def requeue_dead_letter(client: ModerationClient, entry_id: str) -> Receipt:
    """Submit a dead letter's payload again (validated as any submission) and remove the entry.

    :raises KeyError: if there is no such entry.
    :raises marshmallow.ValidationError: if the payload is still invalid (the entry is kept).
    """
    stream = keys.dead_letter_stream(client.prefix)
    found: Any = client.redis.xrange(stream, min=entry_id, max=entry_id)
    if not found:
        raise KeyError(entry_id)
    letter = _letter(*found[0])
    receipt = client.submit(letter.payload)
    client.redis.xdel(stream, entry_id)
    return receipt


def _letter(entry_id: str, fields: dict[str, str]) -> DeadLetter:
    try:
        payload = json.loads(fields.get("payload", "null"))
    except ValueError:
        payload = fields.get("payload")
    return DeadLetter(entry_id=entry_id, comment_id=fields.get("comment_id", ""), error=fields.get("error", ""),
                      attempts=int(fields.get("attempts", 1)), payload=payload)
