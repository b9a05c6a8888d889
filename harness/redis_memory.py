"""Redis memory per comment, for ``make bench`` and the Sizing docs: bytes per pending, decided and held comment.

In a Redis of its own (nothing else in it), ``INFO memory``'s ``used_memory`` is read

1. before anything (the baseline);
2. after ``n`` comments were submitted and not yet decided (``pending``: the queued message, the pending set,
   payload and digest entries);
3. after a worker's code (:class:`workers.handler.BatchHandler`, in this process) decided them and the queue
   was emptied as workers empty it (``decided``: the stored decision, its revision hash, the decision and
   audit stream entries, the kept text, authors' and rate counters, and the held items among them);

and ``held`` is the review items hash and review queues' ``MEMORY USAGE`` divided by the comments held;
``stream`` the decision and audit streams' share of ``decided`` (capped by ``stream_maxlen``, so constant in a
large deployment). Each
comment has its own author, so the per-author keys count in full (the worst case: a site whose readers
comment once each).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from redis import Redis

from harness.corpus import corpus_texts, payloads
from moderation import keys
from moderation.intake.client import ModerationClient
from moderation.ops.embedded_redis import EmbeddedRedis
from moderation.settings import load_settings


def used(redis: Redis) -> int:
    """Bytes Redis uses now."""
    return int(redis.info("memory")["used_memory"])


def measure(data_dir: Path, scorer: Any, comments: int = 2000, batch: int = 100) -> dict[str, float | int]:
    """Bytes per pending, decided and held comment in a fresh embedded Redis.

    :param data_dir: where the Redis keeps its files.
    :param scorer: the model (a loaded bundle).
    :param comments: how many comments.
    :param batch: comments per message.
    """
    from moderation.judging.policy import load_policy
    from workers.handler import BatchHandler

    with EmbeddedRedis(data_dir) as server:
        redis = Redis.from_url(server.url, decode_responses=True)
        prefix = "memory"
        settings = dataclasses.replace(load_settings(env={"REDIS_URL": server.url}), prefix=prefix)
        client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q", batch_size=batch)
        items = payloads(corpus_texts(comments), prefix)
        baseline = used(redis)
        client.submit_many(items)
        pending = used(redis)
        handler = BatchHandler(redis, lambda: scorer, load_policy(settings.policy_file), settings)
        for start in range(0, len(items), batch):
            handler.handle(items[start:start + batch])
        redis.delete(f"{prefix}-q")  # the workers popped the messages
        decided = used(redis)
        streams = sum(int(redis.memory_usage(k) or 0)
                      for k in (keys.decisions_stream(prefix), keys.audit_stream(prefix)))
        held = int(redis.hlen(keys.review_items_key(prefix)))
        review_bytes = int(redis.memory_usage(keys.review_items_key(prefix)) or 0)
        for site in redis.smembers(keys.review_sites_key(prefix)):
            review_bytes += int(redis.memory_usage(keys.review_queue_key(prefix, str(site))) or 0)
    return {"comments": comments, "held_comments": held,
            "pending_bytes_per_comment": round((pending - baseline) / comments),
            "decided_bytes_per_comment": round((decided - baseline) / comments),
            "held_bytes_per_comment": round(review_bytes / held) if held else 0,
            # of the decided figure, the capped streams' share (constant once stream_maxlen is reached)
            "stream_bytes_per_comment": round(streams / comments)}
