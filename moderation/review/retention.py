"""How long a held comment waits for a moderator: ``review_retention_days`` (30 by default), then it is let go.

A held item (the cleaned comment, its scores and reasons, about 1.4 KB in Redis) stays in its site's review
queue until a moderator decides it. Without a bound, a site nobody moderates grows Redis forever. The sweep
(:mod:`workers.sweep_timer`) calls :func:`prune_held`, which drops items held longer than the retention from
the queues and the items hash. The comment's published decision (``review``: not shown) is left as it is
and expires with ``decision_ttl_seconds``; only the chance of a moderator's verdict is gone. Each drop is
counted (``moderation_requeued_total`` is for requeues; this is ``held:expired`` in the metrics hash).
"""

from __future__ import annotations

import time
from typing import Any

from redis import Redis

from moderation import keys


def prune_held(redis: Redis, prefix: str, older_than_seconds: float, limit: int = 1000) -> int:
    """Drop held comments held longer than ``older_than_seconds`` (oldest first, at most ``limit`` per site).

    :param redis: a connection (``decode_responses=True``).
    :param prefix: the key prefix.
    :param older_than_seconds: the retention.
    :param limit: the most items dropped per site and call.
    :returns: how many were dropped.
    """
    cutoff = time.time_ns() // 1_000_000 - int(older_than_seconds * 1000)
    members: Any = redis.smembers(keys.review_sites_key(prefix))
    sites = [None if s == keys.NO_SITE else str(s) for s in members]
    pipe = redis.pipeline(transaction=False)
    for site in sites:
        pipe.zrangebyscore(keys.review_queue_key(prefix, site), "-inf", cutoff, start=0, num=limit)
    found: list[Any] = pipe.execute() if sites else []
    dropped = 0
    pipe = redis.pipeline(transaction=True)
    for site, ids in zip(sites, found, strict=True):
        if ids:
            pipe.zrem(keys.review_queue_key(prefix, site), *ids)
            pipe.hdel(keys.review_items_key(prefix), *ids)
            dropped += len(ids)
    if dropped:
        pipe.hincrby(keys.metrics_key(prefix), "held:expired", dropped)
        pipe.execute()
    return dropped
