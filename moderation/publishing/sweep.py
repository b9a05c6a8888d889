"""Finding accepted comments that were never decided, and queueing them again.

The client records every accepted comment in a pending set (scored by submission time) with its payload;
publishing a decision removes it. A comment still pending after the deadline was lost somewhere (a message
dropped by a broker restart without persistence, a worker gone before acknowledging with a long visibility
timeout): :func:`requeue_undecided` puts it back on the queue. Publishing is exactly-once per comment, so a
comment that was merely slow is not decided twice. Workers run it on a timer (:mod:`workers.sweep_timer`),
``moderation sweep`` on demand.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from redis import Redis

from moderation import keys
from moderation.intake.wire import task_message
from moderation.publishing.dead_letters import letter_fields


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did.

    :param requeued: undecided comments queued again.
    :param cleaned: pending entries dropped because the comment had been decided after all (the body pending
        is the one decided).
    :param missing: pending entries without a stored payload (nothing to requeue; dropped).
    :param dead_lettered: comments queued again :data:`MAX_REQUEUES` times and still undecided: dead-lettered
        with their history, and no longer pending.
    """

    requeued: int = 0
    cleaned: int = 0
    missing: int = 0
    dead_lettered: int = 0


#: How many pages of ``limit`` old pending entries one sweep looks through for ones not requeued lately.
MAX_PAGES = 10
#: How many times the sweep queues one comment again before it gives up on it (dead-letters it).
MAX_REQUEUES = 3


def requeue_undecided(redis: Redis, *, prefix: str, queue: str, older_than_seconds: float,
                      limit: int = 1000, batch_size: int = 100, max_requeues: int = MAX_REQUEUES,
                      stream_maxlen: int = 100_000, refused_ttl_seconds: int = 7 * 24 * 3600) -> SweepResult:
    """Queue again every comment accepted more than ``older_than_seconds`` ago and still undecided.

    The pending set's members are comment refs (:func:`moderation.keys.comment_ref`: the id, scoped by the site).
    It keeps each comment's first submission time, and the requeued message carries it (per
    comment), so a decision's ``latency_ms`` counts from the first submission whatever sweeps came between.
    When a comment was queued again is kept apart (``keys.pending_requeued_key``), so the next sweep waits
    ``older_than_seconds`` for that attempt before trying again.

    :param redis: a connection (``decode_responses=True``).
    :param prefix: the key prefix.
    :param queue: the queue to push onto.
    :param older_than_seconds: the deadline for a decision.
    :param limit: the most comments one sweep queues again (or cleans).
    :param batch_size: comments per queued message.
    :param max_requeues: a comment the sweep already queued again this many times, and still undecided (a
        payload no worker can get decided, say one with a numeric id), is not queued again: it goes to the
        dead-letter stream with its history (first submission, each requeue) and leaves the pending set.
    :param stream_maxlen: the dead-letter stream's approximate bound.
    :param refused_ttl_seconds: how long a comment given up on answers ``refused`` (``keys.refused_key``).
    """
    now = time.time_ns() // 1_000_000
    cutoff = now - int(older_than_seconds * 1000)
    pending = keys.pending_key(prefix)
    payload_key = keys.pending_payload_key(prefix)
    requeued_key = keys.pending_requeued_key(prefix)
    digest_key = keys.pending_digest_key(prefix)
    attempts_key = keys.pending_attempts_key(prefix)
    todo: dict[str, dict[str, Any]] = {}
    history: dict[str, list[int]] = {}
    give_up: dict[str, Any] = {}
    first: dict[str, int] = {}
    drop: list[str] = []
    missing = 0
    for page in range(MAX_PAGES):
        entries: list[Any] = redis.zrangebyscore(pending, "-inf", cutoff, start=page * limit, num=limit,
                                                 withscores=True)
        if not entries:
            break
        ids = [str(comment_id) for comment_id, _ in entries]
        pipe = redis.pipeline(transaction=False)
        pipe.hmget(payload_key, ids)
        pipe.hmget(digest_key, ids)
        pipe.hmget(attempts_key, ids)
        for comment_id in ids:
            pipe.exists(keys.decision_key(prefix, *keys.split_ref(comment_id)))
        for comment_id in ids:
            pipe.zscore(requeued_key, comment_id)
        for comment_id in ids:
            pipe.hget(keys.revision_key(prefix, *keys.split_ref(comment_id)), "digest")
        payloads, digests, tries, *rest = pipe.execute()
        n = len(ids)
        decided, last_requeued, decided_digests = rest[:n], rest[n:2 * n], rest[2 * n:]
        for (comment_id, score), payload, exists, again, digest, decided_digest, tried in zip(
                entries, payloads, decided, last_requeued, digests, decided_digests, tries, strict=True):
            # Decided, unless the body pending is an edit of the one decided.
            done = exists and (digest is None or digest == decided_digest)
            if done:
                drop.append(str(comment_id))
            elif payload is None:
                drop.append(str(comment_id))
                missing += 1
            elif again is None or again <= cutoff:
                first[str(comment_id)] = int(score)
                history[str(comment_id)] = _history(tried)
                if len(history[str(comment_id)]) >= max_requeues:
                    give_up[str(comment_id)] = _payload(payload)
                else:
                    todo[str(comment_id)] = _payload(payload)
        if len(todo) + len(drop) + len(give_up) >= limit or len(entries) < limit:
            break
    stale = _stale_requeue_marks(redis, requeued_key, pending, cutoff, limit)
    pipe = redis.pipeline(transaction=True)
    gone = [*drop, *give_up]
    if gone:
        pipe.zrem(pending, *gone)
        pipe.hdel(payload_key, *gone)
        pipe.hdel(digest_key, *gone)
    if gone or stale:
        pipe.zrem(requeued_key, *gone, *stale)
        pipe.hdel(attempts_key, *gone, *stale)
    for comment_id, payload in give_up.items():
        tried = history[comment_id]
        pipe.set(keys.refused_key(prefix, *keys.split_ref(comment_id)),
                 f"not decided after {len(tried)} requeues by the sweep", ex=max(60, refused_ttl_seconds))
        pipe.xadd(keys.dead_letter_stream(prefix), letter_fields(
            comment_id, f"not decided after {len(tried)} requeues by the sweep", len(tried) + 1, payload,
            kind="sweep", history={"first_submitted_ms": first[comment_id], "requeued_at_ms": tried}),
            maxlen=stream_maxlen, approximate=True)
    if todo:
        pipe.zadd(requeued_key, dict.fromkeys(todo, now))
        pipe.hset(attempts_key, mapping={i: json.dumps([*history[i], now]) for i in todo})
        ids = list(todo)
        for start in range(0, len(ids), batch_size):
            chunk = ids[start:start + batch_size]
            pipe.lpush(queue, task_message([todo[i] for i in chunk], submitted_at_ms={i: first[i] for i in chunk},
                                           queue=queue))
    pipe.execute()
    return SweepResult(requeued=len(todo), cleaned=len(drop) - missing, missing=missing,
                       dead_lettered=len(give_up))


def _history(raw: str | None) -> list[int]:
    """The requeue times stored for one comment (an unreadable entry counts as none)."""
    try:
        times = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [int(t) for t in times if isinstance(t, int | float)] if isinstance(times, list) else []


def _payload(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _stale_requeue_marks(redis: Redis, requeued_key: str, pending: str, cutoff: int, limit: int) -> list[str]:
    """Requeue marks older than the deadline whose comments are no longer pending (decided meanwhile)."""
    old = [str(i) for i in redis.zrangebyscore(requeued_key, "-inf", cutoff, start=0, num=limit)]
    if not old:
        return []
    pipe = redis.pipeline(transaction=False)
    for comment_id in old:
        pipe.zscore(pending, comment_id)
    return [comment_id for comment_id, score in zip(old, pipe.execute(), strict=True) if score is None]
