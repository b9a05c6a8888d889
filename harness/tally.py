"""Counting what became of submitted comments (decided, decided twice, lost) and waiting for it.

Read from Redis only: the stored decisions, the decision stream and the dead-letter stream. Used by
``make chaos`` and by the tests that run real workers.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from moderation import keys


@dataclass(frozen=True)
class Counts:
    """What became of a scenario's accepted comments.

    :param submitted: comments accepted (a receipt was returned).
    :param decided: of those, how many have a stored decision.
    :param duplicates: decision stream entries for them beyond one per comment.
    :param lost: accepted but not decided.
    :param recovery_s: seconds from the fault until every comment accepted before it was decided (None: no
        fault, or not recovered).
    :param handover_s: seconds from a worker's fault until no message unacknowledged at the fault was still
        unacknowledged: the killed worker's were back on the queue (None: not measured).
    """

    submitted: int
    decided: int
    duplicates: int
    lost: int
    recovery_s: float | None = None
    handover_s: float | None = None

    def to_dict(self) -> dict[str, int | float | None]:
        """The figures as ``reports/chaos.json`` holds them."""
        return {"submitted": self.submitted, "decided": self.decided, "duplicates": self.duplicates,
                "lost": self.lost, "recovery_s": self.recovery_s, "handover_s": self.handover_s}


def count(redis: Redis, prefix: str, ids: Iterable[str], chunk: int = 1000) -> Counts:
    """Count decisions and stream entries of the comments ``ids`` under ``prefix``.

    :param redis: a connection (``decode_responses=True``).
    :param prefix: the key prefix.
    :param ids: the accepted comments' refs (:func:`moderation.keys.comment_ref`; a receipt's ``ref``).
    :param chunk: ids per ``MGET``.
    """
    wanted = list(dict.fromkeys(ids))
    decided = 0
    for start in range(0, len(wanted), chunk):
        part = wanted[start:start + chunk]
        decided += sum(1 for value in redis.mget([keys.decision_key(prefix, *keys.split_ref(c)) for c in part])
                       if value)
    entries = stream_counts(redis, prefix, set(wanted))
    duplicates = sum(n - 1 for n in entries.values() if n > 1)
    return Counts(submitted=len(wanted), decided=decided, duplicates=duplicates, lost=len(wanted) - decided)


def stream_counts(redis: Redis, prefix: str, ids: set[str], chunk: int = 5000) -> Counter[str]:
    """How many decision stream entries each of ``ids`` has."""
    counts: Counter[str] = Counter()
    stream = keys.decisions_stream(prefix)
    last = "-"
    while True:
        entries: Any = redis.xrange(stream, min=last, count=chunk)
        if last != "-":
            entries = entries[1:]
        if not entries:
            return counts
        for _entry_id, fields in entries:
            ref = keys.comment_ref(fields.get("site") or None, fields.get("comment_id", ""))
            if ref in ids:
                counts[ref] += 1
        last = entries[-1][0]


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass; Redis errors count as not yet."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return True
        except RedisError:
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def wait_all_decided(redis: Redis, prefix: str, ids: Sequence[str], timeout: float) -> Counts:
    """Wait until every comment in ``ids`` is decided (or ``timeout`` passes); then count."""
    wait_until(lambda: count(redis, prefix, ids).lost == 0, timeout, interval=0.5)
    return count(redis, prefix, ids)


def progress(redis: Redis, prefix: str) -> int:
    """How many decisions the prefix's stream holds."""
    return int(redis.xlen(keys.decisions_stream(prefix)))


def dead_letters(redis: Redis, prefix: str) -> list[dict[str, str]]:
    """Every entry of the prefix's dead-letter stream (fields only)."""
    entries: Any = redis.xrange(keys.dead_letter_stream(prefix))
    return [fields for _entry_id, fields in entries]
