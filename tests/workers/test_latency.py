"""``latency_ms`` counts from a comment's first submission, whatever requeues came between."""

from __future__ import annotations

import json
import time

import pytest
from redis import Redis

from moderation import keys
from moderation.intake.client import ModerationClient
from moderation.publishing.sweep import requeue_undecided
from tests.workers.conftest import RunningWorker
from tests.workers.helpers import client_for, wait_for_decisions


@pytest.mark.integration
def test_a_swept_comment_counts_its_latency_from_its_first_submission(worker: RunningWorker, uid: str) -> None:
    # Given a comment accepted a minute ago whose message was lost (the pending set holds its submission time)
    client: ModerationClient = client_for(worker)
    redis: Redis = client.redis
    comment_id = f"lat-{uid}"
    first = int(time.time() * 1000) - 60_000
    payload = {"id": comment_id, "body": "Thanks for the update on the bus schedule."}
    redis.hset(keys.pending_payload_key(worker.prefix), comment_id, json.dumps(payload))
    redis.zadd(keys.pending_key(worker.prefix), {comment_id: first})
    # When the sweep queues it again and the worker decides it
    assert requeue_undecided(redis, prefix=worker.prefix, queue=worker.queue, older_than_seconds=30).requeued == 1
    decision = wait_for_decisions(client, [comment_id])[comment_id]
    # Then its latency counts from the first submission, not from the sweep
    assert decision.latency_ms is not None and 60_000 <= decision.latency_ms < 120_000
