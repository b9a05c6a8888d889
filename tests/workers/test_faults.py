"""Faults with real processes and a real Redis: kill -9, SIGTERM, a Redis restart, poison messages, passwords.

Every test waits on Redis state (with generous timeouts), never on fixed sleeps; workers run with a short
visibility timeout and sweep so that redelivery happens within seconds.
"""

from __future__ import annotations

import base64
import json
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from redis import Redis
from redis.exceptions import AuthenticationError, ResponseError

from harness.chaos import FAST_RECOVERY, Producer, corrupt_messages
from harness.tally import dead_letters, progress, wait_all_decided, wait_until
from moderation import keys
from moderation.intake.client import ModerationClient, Receipt, connect
from moderation.intake.wire import task_message
from moderation.ops.embedded_redis import EmbeddedRedis
from moderation.settings import load_settings
from tests.workers.conftest import RunningWorker, start_worker
from workers.tasks import MAX_RETRIES

FAST = {**FAST_RECOVERY, "MODERATION_SWEEP_AFTER": "15", "MODERATION_SWEEP_INTERVAL": "1"}
COMMENTS = 300


def comments(tag: str, n: int = COMMENTS) -> list[dict[str, Any]]:
    """``n`` small comments with authors, emails and IPs."""
    bodies = ["Thanks for the clear explanation.", "When does the new bus schedule start?",
              "Visit www.quick-cash-profits.biz now for free money!!!", "I disagree, but fair article."]
    return [{"id": f"{tag}-{i}", "body": bodies[i % len(bodies)], "site": "news",
             "author": {"id": f"u{i % 40}", "email": f"reader{i}@example.org", "ip": f"198.51.100.{i % 250}"}}
            for i in range(n)]


def client_for(url: str, prefix: str) -> ModerationClient:
    return ModerationClient(connect(load_settings(env={"REDIS_URL": url})), prefix=prefix, queue=f"{prefix}-q",
                            batch_size=25)


def started(url: str, models_dir: Path, logs: Path, name: str, prefix: str | None = None,
            faults: bool = False) -> RunningWorker:
    return start_worker(url, models_dir, logs, name=name, prefix=prefix, extra_env=FAST, faults=faults)


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture(scope="module")
def poison_worker(redis_url: str, models_dir: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[RunningWorker]:
    """One worker with the fault hook (:mod:`harness.faults`) loaded."""
    running = started(redis_url, models_dir, tmp_path_factory.mktemp("poison"), "poison", faults=True)
    yield running
    running.process.stop()


def replace_mid_run(url: str, models_dir: Path, logs: Path, fault: str) -> tuple[RunningWorker, Any, int | None]:
    first = started(url, models_dir, logs, "first")
    redis = Redis.from_url(url, decode_responses=True)
    producer = Producer(client_for(url, first.prefix), comments(first.prefix), pause=0.01)
    producer.start()
    assert wait_until(lambda: progress(redis, first.prefix) >= COMMENTS // 5, 120), "no progress before the fault"
    code = None
    if fault == "kill":
        first.process.kill()
    else:
        code = first.process.stop(timeout=60)
    second = started(url, models_dir, logs, "second", prefix=first.prefix)
    producer.join(120)
    counts = wait_all_decided(redis, first.prefix, producer.accepted, 150)
    second.process.stop()
    return first, counts, code


@pytest.mark.integration
def test_kill_9_mid_run_every_comment_gets_exactly_one_decision(redis_url: str, models_dir: Path,
                                                                 logs: Path) -> None:
    # Given a run of comments in progress / When the worker and its children are SIGKILLed and a new one starts
    _, counts, _ = replace_mid_run(redis_url, models_dir, logs, "kill")
    # Then every accepted comment has exactly one decision
    assert counts.submitted == COMMENTS
    assert (counts.lost, counts.duplicates) == (0, 0), counts


@pytest.mark.integration
def test_sigterm_is_a_graceful_stop_and_the_rest_is_picked_up(redis_url: str, models_dir: Path, logs: Path) -> None:
    # Given a run in progress / When the worker gets SIGTERM, then a new worker starts
    first, counts, code = replace_mid_run(redis_url, models_dir, logs, "term")
    # Then it exited cleanly (warm shutdown), and nothing was lost or decided twice
    assert code == 0, first.log_file.read_text()[-3000:]
    assert "Warm shutdown" in first.log_file.read_text()
    assert counts.submitted == COMMENTS and (counts.lost, counts.duplicates) == (0, 0), counts


@pytest.mark.integration
def test_a_comment_that_always_fails_is_dead_lettered_after_n_attempts_and_spares_its_batch(
        poison_worker: RunningWorker, uid: str) -> None:
    # Given 50 comments in two messages, two of which make the worker's code raise every time
    client = client_for(poison_worker.redis_url, poison_worker.prefix)
    items = comments(f"bug-{uid}", 50)
    for index in (3, 31):
        items[index]["metadata"] = {"fault": "raise"}
    poisoned = {items[3]["id"], items[31]["id"]}
    assert all(isinstance(r, Receipt) for r in client.submit_many(items))
    # When the worker has dealt with them
    good = [f"news {c['id']}" for c in items if c["id"] not in poisoned]  # refs: ids are scoped by site
    counts = wait_all_decided(client.redis, client.prefix, good, 120)
    assert wait_until(lambda: {f["comment_id"] for f in dead_letters(client.redis, client.prefix)} >= poisoned, 120)
    # Then the others are decided, and each poisonous one is dead-lettered once with the error after N attempts
    assert (counts.lost, counts.duplicates) == (0, 0), counts
    letters = [f for f in dead_letters(client.redis, client.prefix) if f["comment_id"] in poisoned]
    assert len(letters) == 2
    assert all(int(f["attempts"]) == MAX_RETRIES + 1 and "InjectedFault" in f["error"] for f in letters)
    assert not any(client.decision(c, site="news") for c in poisoned)
    # And they leave the pending set, so the sweep does not loop them forever
    assert all(client.redis.zscore(keys.pending_key(client.prefix), f"news {c}") is None for c in poisoned)
    # And the CLI lists them and can requeue one
    env = {"REDIS_URL": poison_worker.redis_url, "MODERATION_PREFIX": client.prefix,
           "MODERATION_QUEUE": client.queue}
    listed = _cli(["dead-letters", "list"], env)
    assert {json.loads(line)["comment_id"] for line in listed.stdout.splitlines()} >= poisoned


@pytest.mark.integration
def test_corrupt_messages_are_dead_lettered_not_dropped_silently(poison_worker: RunningWorker, uid: str) -> None:
    # Given raw garbage and undecodable envelopes pushed among good messages
    client = client_for(poison_worker.redis_url, poison_worker.prefix)
    before = len(dead_letters(client.redis, client.prefix))
    bad = corrupt_messages(client.queue)
    client.submit_many(comments(f"ok1-{uid}", 20))
    client.redis.lpush(client.queue, *bad)
    client.submit_many(comments(f"ok2-{uid}", 20))
    # When the worker has handled the queue
    good = [f"news ok1-{uid}-{i}" for i in range(20)] + [f"news ok2-{uid}-{i}" for i in range(20)]  # refs
    counts = wait_all_decided(client.redis, client.prefix, good, 120)
    assert wait_until(lambda: len(dead_letters(client.redis, client.prefix)) >= before + len(bad), 60)
    # Then the good comments are decided, each bad message is in the dead letters with why, and the worker lives
    assert (counts.lost, counts.duplicates) == (0, 0), counts
    letters = [f for f in dead_letters(client.redis, client.prefix) if f.get("kind") == "message"][-len(bad):]
    errors = " | ".join(f["error"] for f in letters)
    assert len(letters) == len(bad)
    for expected in ("not JSON", "not a message envelope", "undecodable", "ContentDisallowed", "unknown task"):
        assert expected in errors, errors
    assert poison_worker.process.process is not None and poison_worker.process.process.poll() is None


class _Boom:
    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (Path(_MARKER[0]),))


_MARKER: list[str] = [""]


@pytest.mark.integration
def test_pickle_is_never_accepted_from_the_broker(poison_worker: RunningWorker, uid: str, tmp_path: Path) -> None:
    # Given a task message whose body is a pickle that would create a file if it were ever loaded
    client = client_for(poison_worker.redis_url, poison_worker.prefix)
    marker = tmp_path / f"pickle-ran-{uid}"
    _MARKER[0] = str(marker)
    envelope = json.loads(task_message([{"id": f"pk-{uid}", "body": "hi"}], submitted_at_ms=1, queue=client.queue))
    envelope["content-type"] = "application/x-python-serialize"
    envelope["content-encoding"] = "binary"
    envelope["body"] = base64.b64encode(pickle.dumps(((_Boom(),), {}, {}))).decode()
    envelope["headers"]["id"] = f"pickle-{uid}"
    client.redis.lpush(client.queue, json.dumps(envelope))
    # When the worker receives it / Then it is refused, dead-lettered, and never executed
    assert wait_until(lambda: any(f"pickle-{uid}" in f["payload"] for f in dead_letters(client.redis, client.prefix)),
                      60)
    letter = next(f for f in dead_letters(client.redis, client.prefix) if f"pickle-{uid}" in f["payload"])
    assert "ContentDisallowed" in letter["error"] and "pickle" in letter["error"]
    assert not marker.exists()
    assert client.decision(f"pk-{uid}") is None


@pytest.mark.integration
def test_redis_restart_with_append_only_persistence_loses_nothing(models_dir: Path, tmp_path: Path) -> None:
    # Given a private Redis with append-only persistence, a worker, and a producer submitting
    with EmbeddedRedis(tmp_path / "redis", appendonly=True) as server:
        worker = started(server.url, models_dir, tmp_path, "restart")
        redis = connect(load_settings(env={"REDIS_URL": server.url}))
        producer = Producer(client_for(server.url, worker.prefix), comments(worker.prefix), pause=0.02)
        producer.start()
        assert wait_until(lambda: progress(redis, worker.prefix) >= COMMENTS // 5, 120)
        # When Redis is stopped and started again on the same port and files, mid-run
        server.stop()
        server.start()
        producer.join(120)
        # Then once everyone has reconnected, every accepted comment has exactly one decision
        counts = wait_all_decided(redis, worker.prefix, producer.accepted, 150)
        worker.process.stop()
    assert counts.submitted == COMMENTS
    assert (counts.lost, counts.duplicates) == (0, 0), counts


@pytest.mark.integration
def test_a_password_protected_redis_works_end_to_end_and_a_wrong_password_is_a_clear_error(
        models_dir: Path, tmp_path: Path) -> None:
    # Given a Redis that requires a password
    with EmbeddedRedis(tmp_path / "redis", password="s3cret-pw") as server:
        assert server.url.startswith("redis://:s3cret-pw@")
        with pytest.raises((AuthenticationError, ResponseError)):
            Redis.from_url(server.url.replace(":s3cret-pw@", "")).ping()
        # When a worker and a client use REDIS_URL=redis://:pw@...
        worker = started(server.url, models_dir, tmp_path, "auth")
        client = client_for(server.url, worker.prefix)
        ids = [r.ref for r in client.submit_many(comments(worker.prefix, 30)) if isinstance(r, Receipt)]
        # Then comments are decided
        counts = wait_all_decided(client.redis, worker.prefix, ids, 120)
        worker.process.stop()
        assert (counts.submitted, counts.lost) == (30, 0)
        # And a wrong password gives a clear error, without echoing the password
        wrong = server.url.replace("s3cret-pw", "wrong-pw")
        result = _cli(["decision", ids[0]], {"REDIS_URL": wrong, "MODERATION_PREFIX": worker.prefix})
    assert result.returncode == 4, result.stderr
    assert "password" in result.stderr.lower() or "auth" in result.stderr.lower(), result.stderr
    assert "wrong-pw" not in result.stderr


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "moderation", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.integration
def test_a_production_worker_never_runs_the_fault_hook(worker: RunningWorker, uid: str) -> None:
    # Given the session's worker, started as in production (without the fault hook)
    client = client_for(worker.redis_url, worker.prefix)
    # When a comment asks for a fault in its metadata
    receipt = client.submit({"id": f"nofault-{uid}", "body": "A perfectly fine remark.",
                             "metadata": {"fault": "raise"}})
    # Then it is decided like any other, and nothing is dead-lettered for it
    assert isinstance(receipt, Receipt)
    assert client.decision(receipt.id, wait=60) is not None
    assert not [f for f in dead_letters(client.redis, client.prefix) if f.get("comment_id") == receipt.id]
