"""Prometheus metrics: counters kept in Redis by the workers, served by ``moderation metrics`` over HTTP."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from moderation import keys
from moderation.cli.main import main
from moderation.ops.breakdowns import flush_client_counters, record_verdicts
from moderation.ops.embedded_redis import free_port
from moderation.ops.metrics import record_decisions, record_rescored
from moderation.records import Decision, Reason
from moderation.store.retry import COUNTERS
from tests.helpers import repo_root

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


def decision(comment_id: str, outcome: str, latency_ms: float | None) -> Decision:
    return Decision(comment_id=comment_id, decision=outcome, scores={"spam": 0.1, "toxic": 0.1},  # type: ignore[arg-type]
                    reasons=(), model_version="v1", decided_at="2026-11-28T10:00:00.000Z", latency_ms=latency_ms)


def samples(text: str) -> dict[str, float]:
    """``name{labels}`` -> value, from the exposition text."""
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            found[name] = float(value)
    return found


@pytest.fixture
def env(redis_url: str, prefix: str, tmp_path: Path) -> dict[str, str]:
    return {"REDIS_URL": redis_url, "MODERATION_PREFIX": prefix, "MODERATION_QUEUE": f"{prefix}-q",
            "MODERATION_BULK_QUEUE": f"{prefix}-bulk", "MODERATION_MODELS_DIR": str(tmp_path / "models"),
            "MODERATION_DEFAULT_MODEL": "none"}


@pytest.fixture
def endpoint(env: dict[str, str]) -> Iterator[str]:
    """``moderation metrics --port N`` in its own process; its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "moderation", "metrics", "--port", str(port)],
                               env={**os.environ, **env}, cwd=repo_root(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                urllib.request.urlopen(f"{base}/metrics", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "the metrics endpoint never answered"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def seed(redis: Redis, prefix: str) -> None:
    record_decisions(redis, prefix, [decision("a", "approve", 3.0), decision("b", "approve", 40.0),
                                     decision("c", "reject", 120.0), decision("d", "review", None)])
    record_decisions(redis, prefix, [decision("e", "approve", 99_000.0)])
    record_rescored(redis, prefix, changed=2, unchanged=5)
    redis.lpush(f"{prefix}-q", "m1", "m2")
    redis.lpush(f"{prefix}-bulk", "m3")
    now_ms = time.time() * 1000  # accepted just now: not late
    redis.zadd(keys.pending_key(prefix), {"x": now_ms, "y": now_ms, "z": now_ms})
    redis.xadd(keys.dead_letter_stream(prefix), {"comment_id": "bad", "error": "validation failed"})
    redis.hset(keys.model_current_key(prefix), mapping={"version": "20261128-v2", "sha256": "0" * 64})
    for pid, version in ((101, "20261128-v2"), (102, "20261127-v1")):
        key = keys.worker_key(prefix, f"w1@host:{pid}")
        redis.hset(key, mapping={"node": "w1@host", "pid": pid, "model_version": version})
        redis.expire(key, 60)
    redis.set(keys.worker_loop_key(prefix, "w1@host"), 1, ex=60)  # its consuming loop beats


def test_the_endpoint_serves_every_metric_over_http(endpoint: str, redis: Redis, prefix: str) -> None:
    seed(redis, prefix)
    with urllib.request.urlopen(f"{endpoint}/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = response.read().decode()
    found = samples(text)
    assert found["moderation_redis_up"] == 1
    assert found['moderation_decisions_total{decision="approve"}'] == 3
    assert found['moderation_decisions_total{decision="review"}'] == 1
    assert found['moderation_decisions_total{decision="reject"}'] == 1
    # a cumulative histogram in seconds; the decision without a latency is not in it
    assert found['moderation_decision_latency_seconds_bucket{le="0.005"}'] == 1
    assert found['moderation_decision_latency_seconds_bucket{le="0.05"}'] == 2
    assert found['moderation_decision_latency_seconds_bucket{le="0.25"}'] == 3
    assert found['moderation_decision_latency_seconds_bucket{le="30"}'] == 3
    assert found['moderation_decision_latency_seconds_bucket{le="+Inf"}'] == 4
    assert found["moderation_decision_latency_seconds_count"] == 4
    assert found["moderation_decision_latency_seconds_sum"] == pytest.approx((3 + 40 + 120 + 99_000) / 1000)
    assert found['moderation_rescored_total{changed="true"}'] == 2
    assert found[f'moderation_queue_depth{{queue="{prefix}-q"}}'] == 2
    assert found[f'moderation_queue_depth{{queue="{prefix}-bulk"}}'] == 1
    assert found["moderation_pending_comments"] == 3
    assert found["moderation_dead_letters"] == 1
    assert found['moderation_model_info{version="20261128-v2",source="redis"}'] == 1
    assert found["moderation_workers_alive"] == 2
    assert found["moderation_workers_waiting_for_model"] == 0
    assert found['moderation_worker_model_info{node="w1@host",pid="102",version="20261127-v1"}'] == 1
    assert "# TYPE moderation_decision_latency_seconds histogram" in text
    assert "# TYPE moderation_decisions_total counter" in text
    assert all(re.fullmatch(r"[a-z_]+(\{.*\})? [0-9.e+-]+", line) for line in text.splitlines()
               if not line.startswith("#"))


def test_the_health_path_answers_503_until_healthy(endpoint: str, redis: Redis, prefix: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{endpoint}/health", timeout=10)
    assert caught.value.code == 503
    seed(redis, prefix)
    with urllib.request.urlopen(f"{endpoint}/health", timeout=10) as response:
        assert response.status == 200


def test_once_prints_the_exposition_and_an_unreachable_redis_is_redis_up_0(
        env: dict[str, str], redis: Redis, prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    seed(redis, prefix)
    out = io.StringIO()
    assert main(["metrics", "--once"], out=out) == 0
    assert samples(out.getvalue())["moderation_pending_comments"] == 3
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    out = io.StringIO()
    assert main(["metrics", "--once"], out=out) == 0
    assert samples(out.getvalue()) == {"moderation_redis_up": 0}


def test_the_scrape_carries_what_on_call_alerts_on(endpoint: str, redis: Redis, prefix: str) -> None:
    # Given decisions on two sites in two languages with reasons, a moderator's verdicts, an old undecided
    # comment, a held backlog, a stalled worker node, and a process's Redis client counts
    seed(redis, prefix)
    held = Decision(comment_id="h", decision="review", scores={"spam": 0.72, "toxic": 0.05},
                    reasons=(Reason(code="spam.review", message="m"),), model_version="v1",
                    decided_at="2026-11-28T10:00:00.000Z", site="sport", lang="de")
    record_decisions(redis, prefix, [held])
    pipe = redis.pipeline()
    record_verdicts(pipe, prefix, [("approve", held.reasons), ("reject", held.reasons), ("approve", held.reasons)])
    pipe.execute()
    redis.zadd(keys.pending_key(prefix), {"old": (time.time() - 95) * 1000})
    redis.hset(keys.review_items_key(prefix), mapping={"h": "{}", "i": "{}"})
    redis.hset(keys.worker_key(prefix, "w2@host:7"), mapping={"node": "w2@host", "pid": 7, "model_version": "v1"})
    COUNTERS["reconnects"] += 3
    flush_client_counters(redis, prefix)
    # When Prometheus scrapes
    with urllib.request.urlopen(f"{endpoint}/metrics", timeout=10) as response:
        found = samples(response.read().decode())
    # Then every breakdown and gauge is there
    assert found['moderation_decisions_by_site_total{site="sport",decision="review"}'] == 1
    assert found['moderation_decisions_by_language_total{lang="de",decision="review"}'] == 1
    assert found['moderation_decision_reasons_total{reason="spam.review"}'] == 1
    assert found['moderation_score_bucket{head="spam",le="0.7"}'] == 5  # the seeded five at 0.1
    assert found['moderation_score_bucket{head="spam",le="0.8"}'] == 6
    assert found['moderation_score_count{head="spam"}'] == 6
    assert found['moderation_moderator_verdicts_total{head="spam",verdict="overturned"}'] == 2
    assert found['moderation_moderator_verdicts_total{head="spam",verdict="upheld"}'] == 1
    assert found["moderation_oldest_undecided_seconds"] >= 95
    assert found["moderation_review_backlog"] == 2
    assert found["moderation_workers_stalled"] == 1 and found["moderation_workers_alive"] == 2
    assert found['moderation_redis_client_total{event="reconnects"}'] >= 3
    for name in ('moderation_requeued_total{by="sweep"}', 'moderation_requeued_total{by="event"}',
                 "moderation_redis_events_total", "moderation_redeliveries_total"):
        assert name in found


def test_every_metric_the_example_alert_rules_use_is_in_a_real_scrape(endpoint: str, redis: Redis,
                                                                       prefix: str) -> None:
    # Given the example rules in docs/ and a scrape of a deployment with some traffic
    seed(redis, prefix)
    rules = (repo_root() / "docs" / "alerts" / "moderation-rules.yml").read_text()
    expressions = re.findall(r"^\s*expr: (.+)$", rules, flags=re.M)
    with urllib.request.urlopen(f"{endpoint}/metrics", timeout=10) as response:
        text = response.read().decode()
    exposed = set(re.findall(r"^# TYPE (\w+) (\w+)$", text, flags=re.M))
    names = {name for name, _ in exposed}
    names |= {f"{n}{suffix}" for n, kind in exposed if kind == "histogram" for suffix in ("_bucket", "_sum", "_count")}
    # Then every expression names only metrics the scrape carries (and there is one rule per worry)
    assert len(expressions) >= 8
    for expression in expressions:
        used = set(re.findall(r"\b(moderation_\w+)", expression))
        assert used and used <= names, f"{expression}: {used - names} not in the scrape"
    for alert in ("ModerationStalled", "ModerationRedisFailoverInProgress", "ModerationModelDrift"):
        assert f"alert: {alert}" in rules
