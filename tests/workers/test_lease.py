"""Leases on unacknowledged messages (workers/lease.py): a living worker keeps its messages however long it
holds them; a worker killed with SIGKILL has them handed to another within seconds, decided once."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from redis import Redis

from harness.tally import count, wait_until
from moderation import keys
from moderation.intake.client import ModerationClient
from tests.workers.conftest import start_worker
from workers.lease import held_tags, renew, renew_interval, transport_options

pytestmark = pytest.mark.integration

TIMEOUT = 6  # the visibility timeout these workers run with (the default is 15 s)
SLOW_SWEEP = {"MODERATION_SWEEP_AFTER": "600", "MODERATION_SWEEP_INTERVAL": "60"}  # the sweep must not help


def test_a_killed_workers_message_goes_to_a_living_worker_within_the_timeout_and_not_before(
        redis_url: str, models_dir: Path, tmp_path: Path, uid: str) -> None:
    # Given worker A holding a message it will never finish (the fault hook's hang fault), and a living worker B
    env = {"MODERATION_VISIBILITY_TIMEOUT": str(TIMEOUT), **SLOW_SWEEP}
    first = start_worker(redis_url, models_dir, tmp_path, name="holder", extra_env=env, faults=True)
    redis = Redis.from_url(redis_url, decode_responses=True)
    client = ModerationClient(redis, prefix=first.prefix, queue=first.queue)
    comment_id = f"lease-{uid}"
    client.submit({"id": comment_id, "body": "A perfectly fine remark.", "metadata": {"fault": "hang"}})
    assert wait_until(lambda: redis.llen(first.queue) == 0, 30), "worker A did not take the message"
    second = start_worker(redis_url, models_dir, tmp_path, name="living", prefix=first.prefix, extra_env=env)
    try:
        # When A stays alive for well over the visibility timeout
        # Then its lease is renewed: the message is not handed to B
        assert not wait_until(lambda: client.decision(comment_id) is not None, TIMEOUT * 2 + 3, interval=0.5)
        # When A's process group is killed with SIGKILL
        killed = time.monotonic()
        first.process.kill()
        # Then B decides the comment within the timeout plus a renewal interval or two, and once
        assert wait_until(lambda: client.decision(comment_id) is not None, 30, interval=0.2)
        recovery = time.monotonic() - killed
        assert recovery <= TIMEOUT + 3 * renew_interval(TIMEOUT) + 5, recovery
        counts = count(redis, first.prefix, [comment_id])
        assert (counts.lost, counts.duplicates) == (0, 0), counts
        assert redis.zscore(keys.pending_key(first.prefix), comment_id) is None
    finally:
        second.process.stop()
        first.process.stop()


class _Client:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    def __enter__(self) -> Redis:
        return self.redis

    def __exit__(self, *_: object) -> None:
        return None


def test_renew_moves_only_held_unacknowledged_tags_forward(redis: Redis, prefix: str) -> None:
    # Given a channel-like object holding tags a (acked, dirty) and b, with c held by another worker
    index = f"{prefix}:unacked_index"
    redis.zadd(index, {"a": 1.0, "b": 1.0, "c": 1.0})
    qos = SimpleNamespace(_delivered={"a": object(), "b": object(), "d": object()}, _dirty={"a"})
    channel = SimpleNamespace(qos=qos, unacked_index_key=index, conn_or_acquire=lambda: _Client(redis))
    # When its leases are renewed
    held = renew(channel, now=1000.0)
    # Then only b moved forward; a (acknowledged) and c (not ours) kept their time, d (already gone) was not added
    assert held == 2 and held_tags(qos) == ["b", "d"]
    assert redis.zscore(index, "b") == 1000.0
    assert redis.zscore(index, "a") == 1.0 and redis.zscore(index, "c") == 1.0
    assert redis.zscore(index, "d") is None


def test_transport_options_scan_every_interval_and_the_mutex_expires_with_the_timeout() -> None:
    options = transport_options(15)
    assert options["visibility_timeout"] == 15 and options["unacked_mutex_expire"] == 15
    assert options["unacked_restore_interval"] == renew_interval(15) == 3.75
    assert options["unacked_restore_throttle"] == 1
