"""Sentinel failover with real processes: a primary, two replicas and three Sentinels (harness.sentinel_cluster).

Every Redis user follows the Sentinels within the one bounded retry policy, a receipt says ``queued`` only
once a replica holds the submission, a restarted old primary never accepts writes, and a decision reader
keeps its place in its consumer group.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError, ResponseError

from harness.sentinel_cluster import NODE_CONF, SentinelCluster
from moderation import keys
from moderation.intake.client import ModerationClient, connect
from moderation.ops.embedded_redis import free_port, server_binary
from moderation.publishing.decision_reader import DecisionReader
from moderation.settings import load_settings
from tests.helpers import wait_until

pytestmark = pytest.mark.integration

#: The whole time one client call may block (client_retry_seconds).
BUDGET = 30.0


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[SentinelCluster]:
    with SentinelCluster(tmp_path / "cluster") as running:
        yield running


def _settings(url: str):  # type: ignore[no-untyped-def]
    return load_settings(env={"REDIS_URL": url})


def _decision(comment_id: str) -> str:
    return json.dumps({"comment_id": comment_id, "decision": "approve", "scores": {}, "reasons": [],
                       "model_version": "t", "decided_at": "2026-12-08T00:00:00Z", "revision": 1})


def _add(redis: Redis, stream: str, comment_id: str) -> None:
    redis.xadd(stream, {"comment_id": comment_id, "record": _decision(comment_id)})


def _reader_with_decisions(cluster: SentinelCluster, name: str, n: int) -> tuple[Redis, str, DecisionReader]:
    """A reader of a new group on the cluster's decision stream, which holds ``n`` decisions ``<name><i>``."""
    redis = connect(_settings(cluster.url))
    stream = keys.decisions_stream("moderation")
    reader = DecisionReader(redis, group="backend", consumer="web-1", start="0")
    for i in range(n):
        _add(redis, stream, f"{name}{i}")
    return redis, stream, reader


def _pings(redis: Redis) -> bool:
    try:
        return bool(redis.ping())
    except RedisError:
        return False


def test_a_client_rides_a_failover_and_a_restarted_old_primary_without_losing_a_receipt(
        cluster: SentinelCluster) -> None:
    # Given a client through the Sentinels, submitting steadily
    client = ModerationClient.from_settings(_settings(cluster.url))
    assert client.wait == (1, 1000)  # through Sentinel a receipt waits for one replica
    old = cluster.primary_index()
    accepted: list[str] = []
    longest = 0.0
    # When the primary is killed, and its supervisor restarts it 5 s later
    cluster.kill_node(old)
    restart = threading.Timer(5.0, cluster.restart_node, (old,))
    restart.start()
    ends = time.monotonic() + 12
    index = 0
    while time.monotonic() < ends:
        started = time.monotonic()
        with contextlib.suppress(RedisError):
            accepted.append(client.submit({"id": f"c{index}", "body": f"comment number {index}"}).id)
        longest = max(longest, time.monotonic() - started)
        index += 1
    restart.join()
    # Then no call blocked beyond the budget, the old primary came back as a replica, and every comment with
    # a queued receipt is pending on the primary the Sentinels name now
    assert longest < BUDGET
    wait_until(lambda: cluster.role(old) == "slave", 30)
    redis = connect(_settings(cluster.url))
    assert accepted and all(redis.zscore(keys.pending_key("moderation"), c) is not None for c in accepted)


def test_a_primary_without_a_replica_in_sync_refuses_writes(tmp_path: Path) -> None:
    # Given a node with the shipped durability settings and no replica (an old primary restarted alone)
    import subprocess

    port = free_port()
    conf = tmp_path / "alone.conf"
    conf.write_text(f"include {NODE_CONF}\nport {port}\nbind 127.0.0.1\ndir {tmp_path}\n")
    process = subprocess.Popen([server_binary(), str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        redis = Redis(port=port)
        wait_until(lambda: _pings(redis), 10)
        # When a client writes, Then it is refused (and the client's policy counts that as a failover reply)
        with pytest.raises(ResponseError, match="NOREPLICAS"):
            redis.set("k", "v")
    finally:
        process.terminate()
        process.wait(10)


def test_a_decision_reader_resumes_its_group_after_a_failover(cluster: SentinelCluster) -> None:
    # Given decisions on the stream and a reader that has handled half of them
    redis, stream, reader = _reader_with_decisions(cluster, "a", 10)
    redis.execute_command("WAIT", 2, 2000)
    first = reader.read(count=5, block_ms=100)
    reader.ack(*first)
    redis.execute_command("WAIT", 2, 2000)
    # When the primary is killed and new decisions arrive on the new one
    cluster.kill_node(cluster.primary_index())
    started = time.monotonic()
    rest = reader.read(count=100, block_ms=100)
    reader.ack(*rest)
    blocked = time.monotonic() - started
    for i in range(3):
        _add(redis, stream, f"b{i}")
    newer = reader.read(count=100, block_ms=100)
    # Then the reader went on where it was: nothing skipped, nothing handed twice, within the budget
    seen = [e.decision.comment_id for e in [*first, *rest, *newer]]
    assert seen == [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(3)]
    assert blocked < BUDGET


def test_a_reader_whose_group_was_lost_creates_it_again_at_its_place(cluster: SentinelCluster) -> None:
    # Given a reader that handled two decisions
    redis, stream, reader = _reader_with_decisions(cluster, "a", 4)
    reader.ack(*reader.read(count=2, block_ms=100))
    # When the group is gone (a primary restarted without it)
    redis.xgroup_destroy(stream, "backend")
    # Then the next reads resume after the last decision it was handed
    assert [e.decision.comment_id for e in reader.read(count=10, block_ms=100)] == ["a2", "a3"]
