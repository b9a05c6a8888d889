"""Messages no producer should send, pushed raw as a buggy backend in any language could: the worker
dead-letters each with a reason naming what was wrong, never exits, and keeps deciding everything else.

Real worker processes on a real Redis; every message is built here by hand (JSON + base64) and ``LPUSH``ed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from harness.malformed import EMBED, Text, nested, raw_message, shapes
from harness.tally import dead_letters, wait_all_decided, wait_until
from moderation.publishing.sweep import MAX_REQUEUES
from tests.workers.conftest import RunningWorker, start_worker
from tests.workers.test_wire_contract import raw_submit

pytestmark = pytest.mark.integration

FAST = {"MODERATION_VISIBILITY_TIMEOUT": "5", "MODERATION_SWEEP_AFTER": "3", "MODERATION_SWEEP_INTERVAL": "1"}


@pytest.fixture(scope="module")
def own_worker(redis_url: str, models_dir: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[RunningWorker]:
    """A worker of its own (these tests would stop a shared one if they failed)."""
    running = start_worker(redis_url, models_dir, tmp_path_factory.mktemp("malformed"), name="malformed",
                           extra_env=FAST)
    yield running
    running.process.stop()


GOOD = "Thanks for the clear explanation of the budget, very helpful."


def test_every_malformed_shape_is_dead_lettered_with_its_reason_and_the_worker_keeps_deciding(
        own_worker: RunningWorker, uid: str) -> None:
    redis = Redis.from_url(own_worker.redis_url, decode_responses=True)
    cases = shapes(f"shape-{uid}")
    now = int(time.time() * 1000)
    good: list[str] = []
    before = len(dead_letters(redis, own_worker.prefix))
    # Given malformed messages pushed raw, each followed by a well-formed one
    for index, (body, headers, _) in enumerate(cases):
        redis.lpush(own_worker.queue, raw_message(own_worker.queue, body, **headers))
        comment = {"id": f"good-{uid}-{index}", "body": GOOD}
        raw_submit(redis, own_worker.prefix, own_worker.queue, [comment], now)
        good.append(str(comment["id"]))
    # Then every good comment is decided, and the worker never exited
    counts = wait_all_decided(redis, own_worker.prefix, good, 120)
    assert (counts.lost, counts.duplicates) == (0, 0), (counts, own_worker.log_file.read_text()[-3000:])
    assert own_worker.process.process is not None and own_worker.process.process.poll() is None
    # And each malformed message is a dead letter whose reason names what was wrong
    assert wait_until(lambda: len(dead_letters(redis, own_worker.prefix)) - before >= len(cases), 60)
    errors = [f["error"] for f in dead_letters(redis, own_worker.prefix)[before:]]
    for _, _, reason in cases:
        assert any(reason in e for e in errors), (reason, errors)
    assert "Unrecoverable error" not in own_worker.log_file.read_text()


def test_comments_that_are_not_objects_or_have_a_numeric_id_are_dead_lettered_one_by_one(
        own_worker: RunningWorker, uid: str) -> None:
    redis = Redis.from_url(own_worker.redis_url, decode_responses=True)
    good = {"id": f"mate-{uid}", "body": GOOD}
    # Given one message with a null, a number, a string, a numeric id, and a good comment
    body = [[[None, 5, "text", {"id": 1001, "body": "hello"}, good]], {}, EMBED]
    redis.lpush(own_worker.queue, raw_message(own_worker.queue, body))
    # Then the good one is decided and the four others are dead letters naming what is wrong
    assert wait_all_decided(redis, own_worker.prefix, [str(good["id"])], 60).lost == 0

    def letters() -> list[dict[str, str]]:
        return [f for f in dead_letters(redis, own_worker.prefix)
                if f["payload"] in ("null", "5", '"text"') or '"id": 1001' in f["payload"]]

    assert wait_until(lambda: len(letters()) >= 4, 60)
    assert len(letters()) == 4
    assert all(f["error"].startswith("validation failed") for f in letters())
    numeric = next(f for f in letters() if "1001" in f["payload"])
    assert "id" in numeric["error"] and "string" in numeric["error"].lower(), numeric


def test_a_deeply_nested_comment_is_dead_lettered_at_read_and_its_batch_mates_are_decided(
        own_worker: RunningWorker, uid: str) -> None:
    redis = Redis.from_url(own_worker.redis_url, decode_responses=True)
    deep = f"deep-{uid}"
    # Given a comment whose metadata nests 900 levels (about 2 KB), submitted raw with two batch-mates in the
    # same message, and a third in a message of its own pushed right after (the same flush)
    mates = [{"id": f"mate-{uid}-{i}", "body": GOOD} for i in range(3)]
    poison = Text(f'{{"id": "{deep}", "body": "hello", "metadata": {{"x": {nested(900)}}}}}')
    now = int(time.time() * 1000)
    texts = {str(mates[0]["id"]): json.dumps(mates[0]), deep: poison, str(mates[1]["id"]): json.dumps(mates[1])}
    comments = Text("[" + ", ".join(texts.values()) + "]")
    assert redis.execute_command("MULTI") == "OK"
    for comment_id, text in texts.items():
        redis.execute_command("ZADD", f"{own_worker.prefix}:pending", "NX", now, comment_id)
        redis.execute_command("HSET", f"{own_worker.prefix}:pending:payload", comment_id, text)
    redis.execute_command("LPUSH", own_worker.queue,
                          raw_message(own_worker.queue, Text(f'[[{comments}], {{"submitted_at_ms": {now}}}, null]')))
    assert redis.execute_command("EXEC")
    raw_submit(redis, own_worker.prefix, own_worker.queue, [mates[2]], now)
    # Then the batch-mates are decided, the poison is a dead letter saying why, and nothing of it stays pending
    counts = wait_all_decided(redis, own_worker.prefix, [str(m["id"]) for m in mates], 60)
    assert (counts.lost, counts.duplicates) == (0, 0)
    assert wait_until(lambda: any(f["comment_id"] == deep for f in dead_letters(redis, own_worker.prefix)), 60)
    letter = next(f for f in dead_letters(redis, own_worker.prefix) if f["comment_id"] == deep)
    assert "nests deeper than" in letter["error"]
    assert redis.execute_command("ZSCORE", f"{own_worker.prefix}:pending", deep) is None
    assert redis.execute_command("HGET", f"{own_worker.prefix}:pending:payload", deep) is None
    assert "RecursionError" not in own_worker.log_file.read_text()
    # And asking for its decision answers `refused` with the reason (exit 1), not `unknown`
    env = {**os.environ, "REDIS_URL": own_worker.redis_url, "MODERATION_PREFIX": own_worker.prefix,
           "MODERATION_QUEUE": own_worker.queue}
    asked = subprocess.run([sys.executable, "-m", "moderation", "decision", deep], env=env, capture_output=True,
                           text=True, timeout=60, check=False)
    answer = json.loads(asked.stdout)
    assert asked.returncode == 1 and answer["status"] == "refused" and "nests deeper" in answer["error"], asked


def test_a_comment_the_sweep_cannot_get_decided_is_dead_lettered_with_its_history_after_a_few_requeues(
        own_worker: RunningWorker, uid: str) -> None:
    redis = Redis.from_url(own_worker.redis_url, decode_responses=True)
    number = int(uid, 16) % 10**9
    # Given a raw submission whose payload has a numeric id (its pending entry names it as a string)
    now = int(time.time() * 1000)
    payload = json.dumps({"id": number, "body": GOOD})
    redis.zadd(f"{own_worker.prefix}:pending", {str(number): now})
    redis.hset(f"{own_worker.prefix}:pending:payload", str(number), payload)
    redis.lpush(own_worker.queue, raw_message(own_worker.queue, Text(f"[[[{payload}]], {{}}, null]")))
    # When the sweep has tried it (every second here, for comments pending over 3 s)
    def given_up() -> list[dict[str, str]]:
        return [f for f in dead_letters(redis, own_worker.prefix)
                if f["comment_id"] == str(number) and f.get("kind") == "sweep"]

    assert wait_until(lambda: bool(given_up()), 90), "the sweep never gave up on it"
    # Then it is dead-lettered with its history after MAX_REQUEUES requeues, and no longer pending
    letter = given_up()[0]
    history = json.loads(letter["history"])
    assert len(history["requeued_at_ms"]) == MAX_REQUEUES and history["first_submitted_ms"] == now
    assert "not decided after 3 requeues" in letter["error"]
    assert redis.zscore(f"{own_worker.prefix}:pending", str(number)) is None
    assert not redis.hexists(f"{own_worker.prefix}:pending:payload", str(number))
    assert not redis.hexists(f"{own_worker.prefix}:pending:attempts", str(number))
    # and it was tried no more than that: one validation dead letter per delivery
    tries = [f for f in dead_letters(redis, own_worker.prefix) if f'"id": {number}' in f["payload"]
             and f.get("kind") != "sweep"]
    assert len(tries) == MAX_REQUEUES + 1
