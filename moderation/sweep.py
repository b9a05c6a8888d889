"""Finding accepted comments that were never decided, and queueing them again.

The client records every accepted comment in a pending set (scored by submission time) with its payload;
publishing a decision removes it. A comment still pending after the deadline was lost somewhere (a message
dropped by a broker restart without persistence, a worker gone before acknowledging with a long visibility
timeout): :func:`requeue_undecided` puts it back on the queue. Publishing is exactly-once per comment, so a
comment that was merely slow is not decided twice.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from redis import Redis

from moderation import keys
from moderation.wire import task_message


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did.

    :param requeued: undecided comments queued again.
    :param cleaned: pending entries dropped because the comment had been decided after all.
    :param missing: pending entries without a stored payload (nothing to requeue; dropped).
    """

    requeued: int = 0
    cleaned: int = 0
    missing: int = 0


def requeue_undecided(redis: Redis, *, prefix: str, queue: str, older_than_seconds: float,
                      limit: int = 1000, batch_size: int = 100) -> SweepResult:
    """Queue again every comment accepted more than ``older_than_seconds`` ago and still undecided.

    :param redis: a connection (``decode_responses=True``).
    :param prefix: the key prefix.
    :param queue: the queue to push onto.
    :param older_than_seconds: the deadline for a decision.
    :param limit: the most comments one sweep looks at.
    :param batch_size: comments per queued message.
    """
    now = time.time_ns() // 1_000_000
    cutoff = now - int(older_than_seconds * 1000)
    pending = keys.pending_key(prefix)
    payload_key = keys.pending_payload_key(prefix)
    ids: list[str] = list(redis.zrangebyscore(pending, "-inf", cutoff, start=0, num=limit))  # type: ignore[arg-type]
    if not ids:
        return SweepResult()
    pipe = redis.pipeline(transaction=False)
    pipe.hmget(payload_key, ids)
    for comment_id in ids:
        pipe.exists(keys.decision_key(prefix, comment_id))
    payloads, *decided = pipe.execute()
    todo: list[dict[str, Any]] = []
    drop: list[str] = []
    missing = 0
    for comment_id, payload, done in zip(ids, payloads, decided, strict=True):
        if done:
            drop.append(comment_id)
        elif payload is None:
            drop.append(comment_id)
            missing += 1
        else:
            todo.append(json.loads(payload))
    pipe = redis.pipeline(transaction=True)
    if drop:
        pipe.zrem(pending, *drop)
        pipe.hdel(payload_key, *drop)
    if todo:
        # Restart the deadline, so the next sweep waits for this attempt before trying again.
        pipe.zadd(pending, {p["id"]: now for p in todo}, xx=True)
        for start in range(0, len(todo), batch_size):
            pipe.lpush(queue, task_message(todo[start:start + batch_size], submitted_at_ms=now, queue=queue))
    pipe.execute()
    return SweepResult(requeued=len(todo), cleaned=len(drop) - missing, missing=missing)
