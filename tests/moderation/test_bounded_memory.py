"""Redis memory is bounded: after a run, every key under the prefix expires, or is a structure with a bound."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from redis import Redis

from moderation import keys
from moderation.intake.client import ModerationClient
from moderation.publishing.sweep import requeue_undecided
from moderation.review.feedback import FEEDBACK_MAXLEN
from moderation.review.queue import ReviewQueue
from tests.moderation.review_fakes import comment, make_handler, write_policy

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration

MAXLEN = 100  # the handler's stream bound in review_fakes.make_handler is 1000; this test uses its own


def test_every_key_after_a_run_expires_or_is_bounded(redis: Redis, redis_url: str, prefix: str,
                                                     tmp_path: Path) -> None:
    # Given a worker's handler with every counting rule on and small stream bounds
    policy = write_policy(tmp_path, author_rate_limit=1000, ip_rate_limit=1000, repeat_per_author=5,
                          repeat_authors=5, trusted_after=3)
    handler = make_handler(redis, redis_url, prefix, policy)
    handler.settings = type(handler.settings)(**{**handler.settings.__dict__, "stream_maxlen": MAXLEN})
    handler.publisher.stream_maxlen = MAXLEN
    handler.review.stream_maxlen = MAXLEN
    client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q", batch_size=50)
    # When 450 comments (some held for review, some repeated, one invalid) are submitted and moderated,
    # moderators act on some, and the sweep runs
    payloads = [comment(f"m-{i}", ("cheap pills {spam=0.6}" if i % 9 == 0 else f"comment number {i % 40}"),
                        author=f"a{i % 30}", site=("news", "blog")[i % 2], email=f"u{i}@example.org",
                        ip=f"198.51.100.{i % 200}") for i in range(450)]
    client.submit_many(payloads)
    stored = redis.hgetall(keys.pending_payload_key(prefix))
    queued = [json.loads(v) for v in stored.values()]
    for start in range(0, len(queued), 50):
        handler.handle(queued[start:start + 50])
    handler.handle([{"id": "bad-1", "body": "   "}])
    review = ReviewQueue(redis, prefix=prefix, ttl_seconds=600, stream_maxlen=MAXLEN)
    held = [h.ref for h in review.pending()]
    review.verdict(held[: len(held) // 2], "reject", moderator="mod")
    review.report(["blog m-1", "news m-2"], "spam", moderator="mod")
    requeue_undecided(redis, prefix=prefix, queue=f"{prefix}-q", older_than_seconds=0)
    redis.delete(client.queue)  # what a worker consumes (this test fed the handler directly)
    # Then every key expires, or is a stream trimmed to its bound, or a structure with a stated bound
    unbounded = []
    for key in redis.scan_iter(match=f"{prefix}*", count=1000):
        kind, ttl = redis.type(key), redis.ttl(key)
        if ttl > 0:
            continue
        if kind == "stream":
            bound = FEEDBACK_MAXLEN if key == keys.feedback_stream(prefix) else MAXLEN
            # MAXLEN ~ trims whole stream nodes (100 entries each), so the length stays within a node of it
            if redis.xlen(key) <= bound + 100:
                continue
        elif key == keys.review_items_key(prefix):
            # one entry per comment awaiting a moderator; a verdict removes it
            queues = sum(redis.zcard(keys.review_queue_key(prefix, s)) for s in ("news", "blog"))
            if redis.hlen(key) == queues == len(held) - len(held) // 2:
                continue
        elif key in {keys.review_queue_key(prefix, "news"), keys.review_queue_key(prefix, "blog")}:
            continue  # checked with the items above
        elif key == keys.review_sites_key(prefix):
            if redis.scard(key) <= 2:  # one member per site
                continue
        elif key == keys.metrics_key(prefix) and kind == "hash":
            continue  # a fixed set of counters
        unbounded.append((key, kind, ttl))
    assert unbounded == []
    # And the busy streams really were trimmed: more than twice the bound was written to each
    assert redis.xlen(keys.decisions_stream(prefix)) <= MAXLEN + 100
    assert redis.xlen(keys.audit_stream(prefix)) <= MAXLEN + 100
    # And nothing is left pending: every comment was decided or dead-lettered
    assert redis.zcard(keys.pending_key(prefix)) == 0 and redis.hlen(keys.pending_payload_key(prefix)) == 0
