"""``moderation health``: a JSON report and an exit code probes can act on (0, 4, 5, 6, 7)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from moderation import keys
from moderation.cli.main import main
from moderation.ops.embedded_redis import free_port
from moderation.ops.health import (
    EXIT_DECISIONS_LATE,
    EXIT_HEALTHY,
    EXIT_NO_MODEL,
    EXIT_NO_WORKER,
    EXIT_QUEUE_TOO_DEEP,
    EXIT_REDIS_UNREACHABLE,
)
from tests.helpers import repo_root

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


@pytest.fixture
def env(redis_url: str, prefix: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    # an empty models directory and no shipped default: only what a test puts there resolves
    values = {"REDIS_URL": redis_url, "MODERATION_PREFIX": prefix, "MODERATION_QUEUE": f"{prefix}-q",
              "MODERATION_BULK_QUEUE": f"{prefix}-bulk", "MODERATION_MODELS_DIR": str(tmp_path / "models"),
              "MODERATION_DEFAULT_MODEL": "none"}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def health(*args: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    code = main(["health", *args], out=out)
    return code, json.loads(out.getvalue())


def promote(redis: Redis, prefix: str, version: str) -> None:
    redis.hset(keys.model_current_key(prefix), mapping={"version": version, "sha256": "0" * 64})


def beat(redis: Redis, prefix: str, node: str, pid: int, version: str) -> None:
    """What a worker process's heartbeat writes (workers/heartbeat.py), with its short expiry, and the beat of
    its node's consuming loop (workers/sweep_timer.py)."""
    key = keys.worker_key(prefix, f"{node}:{pid}")
    redis.hset(key, mapping={"node": node, "pid": pid, "model_version": version, "queues": f"{prefix}-q"})
    redis.expire(key, 60)
    redis.set(keys.worker_loop_key(prefix, node), 1, ex=60)


def test_healthy_is_exit_0_with_the_workers_model_and_queues_reported(env: dict[str, str], redis: Redis,
                                                                      prefix: str) -> None:
    promote(redis, prefix, "v2")
    beat(redis, prefix, "interactive1@host-a", 11, "v2")
    beat(redis, prefix, "bulk1@host-b", 12, "v2")
    redis.lpush(f"{prefix}-bulk", *["message"] * 5)  # a bulk backlog is not a problem by default
    code, report = health()
    assert code == EXIT_HEALTHY == report["exit_code"]
    assert report["status"] == "healthy" and report["problems"] == []
    assert report["workers"] == 2 and report["nodes"] == ["bulk1@host-b", "interactive1@host-a"]
    assert report["model_version"] == "v2" and report["serving"] == {"v2": 2}
    assert report["queues"] == {f"{prefix}-q": 0, f"{prefix}-bulk": 5}


def test_redis_unreachable_is_exit_4(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    code, report = health()
    assert code == EXIT_REDIS_UNREACHABLE == 4
    assert report["status"] == "redis_unreachable" and report["redis"] is False


def test_no_live_worker_is_exit_5(env: dict[str, str], redis: Redis, prefix: str) -> None:
    promote(redis, prefix, "v1")
    code, report = health()
    assert code == EXIT_NO_WORKER == 5
    assert report["status"] == "no_worker" and report["workers"] == 0


def test_no_model_is_exit_6_none_promoted_none_loaded_or_not_yet_current(env: dict[str, str], redis: Redis,
                                                                          prefix: str) -> None:
    beat(redis, prefix, "w@h", 1, "v1")
    assert health()[0] == EXIT_NO_MODEL == 6  # nothing promoted
    promote(redis, prefix, "v1")
    redis.hset(keys.worker_key(prefix, "w@h:1"), "model_version", "")
    assert health()[0] == EXIT_NO_MODEL  # a worker with no model loaded
    beat(redis, prefix, "w@h", 1, "v1")
    promote(redis, prefix, "v2")  # a promotion not yet rolled out: fine, unless the current one is required
    assert health()[0] == EXIT_HEALTHY
    code, report = health("--require-current")
    assert code == EXIT_NO_MODEL and "not yet serving v2" in report["problems"][0]


def test_workers_waiting_for_a_model_are_exit_6_with_a_clear_message(env: dict[str, str], redis: Redis,
                                                                      prefix: str) -> None:
    # Given worker processes up but without a model (their heartbeat has no model_version) and nothing to serve
    beat(redis, prefix, "w@h", 1, "")
    code, report = health()
    # Then health says so: exit 6, no model anywhere, with where it looked and what to do
    assert code == EXIT_NO_MODEL and report["waiting"] == 1 and report["model_version"] is None
    assert "none promoted and no default bundle" in report["problems"][0]
    assert "make train && make promote" in report["problems"][0]
    # When a model is promoted but the process has not loaded it yet / Then it is still exit 6, saying it waits
    promote(redis, prefix, "v1")
    code, report = health()
    assert code == EXIT_NO_MODEL and report["model_version"] == "v1" and report["model_source"] == "redis"
    assert "1 worker process(es) waiting for a model" in report["problems"][0]
    # When it loaded the model / Then healthy
    beat(redis, prefix, "w@h", 1, "v1")
    assert health()[0] == EXIT_HEALTHY


def test_a_queue_deeper_than_its_bound_is_exit_7(env: dict[str, str], redis: Redis, prefix: str) -> None:
    promote(redis, prefix, "v1")
    beat(redis, prefix, "w@h", 1, "v1")
    redis.lpush(f"{prefix}-q", *["message"] * 4)
    assert health("--max-queue", "4")[0] == EXIT_HEALTHY
    code, report = health("--max-queue", "3")
    assert code == EXIT_QUEUE_TOO_DEEP == 7 and report["queues"][f"{prefix}-q"] == 4
    redis.lpush(f"{prefix}-bulk", *["message"] * 10)
    assert health("--max-bulk-queue", "9")[0] == EXIT_QUEUE_TOO_DEEP


def test_the_first_failing_check_sets_the_code_and_every_problem_is_listed(env: dict[str, str], redis: Redis,
                                                                           prefix: str) -> None:
    redis.lpush(f"{prefix}-q", "message", "message")
    code, report = health("--max-queue", "1")
    assert code == EXIT_NO_WORKER
    assert len(report["problems"]) == 3  # no worker, no model, queue too deep


def test_the_command_exits_with_the_code_for_a_real_probe(env: dict[str, str], redis: Redis, prefix: str) -> None:
    promote(redis, prefix, "v1")
    command = [sys.executable, "-m", "moderation", "health"]
    run = subprocess.run(command, env={**os.environ, **env}, cwd=repo_root(), capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == EXIT_NO_WORKER, run.stderr
    assert json.loads(run.stdout)["status"] == "no_worker"


def test_a_worker_whose_consuming_loop_stopped_is_not_alive_whatever_its_threads_say(
        env: dict[str, str], redis: Redis, prefix: str) -> None:
    # Given a worker whose pool processes still beat but whose consuming loop stopped (a frozen main process)
    promote(redis, prefix, "v1")
    beat(redis, prefix, "w@h", 1, "v1")
    redis.delete(keys.worker_loop_key(prefix, "w@h"))
    # When health runs, Then the worker is not counted alive: exit 5, naming the stalled node
    code, report = health()
    assert code == EXIT_NO_WORKER and report["workers"] == 0 and report["stalled"] == ["w@h"]
    assert "consuming loop of w@h has stopped" in report["problems"][0]
    # and a second, consuming worker is alive while the stalled one is still reported
    beat(redis, prefix, "w2@h", 2, "v1")
    code, report = health()
    assert code == EXIT_HEALTHY and report["workers"] == 1 and report["stalled"] == ["w@h"]


def test_an_undecided_comment_older_than_the_bound_is_exit_8(env: dict[str, str], redis: Redis,
                                                              prefix: str) -> None:
    # Given live workers, and a comment accepted 90 s ago still undecided
    promote(redis, prefix, "v1")
    beat(redis, prefix, "w@h", 1, "v1")
    redis.zadd(keys.pending_key(prefix), {"late": (time.time() - 90) * 1000, "fresh": time.time() * 1000})
    # When health runs with the default bound (60 s), Then it is red with the age named
    code, report = health()
    assert code == EXIT_DECISIONS_LATE == 8 and report["status"] == "decisions_late"
    assert 89 <= report["oldest_undecided_s"] < 120 and "accepted 9" in report["problems"][0]
    # and a looser bound passes
    assert health("--max-undecided", "300")[0] == EXIT_HEALTHY
