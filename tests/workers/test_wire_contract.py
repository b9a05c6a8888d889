"""The wire contract, as a backend in another language would use it: raw Redis commands only.

No project code on the client side: the message is built here by hand (JSON + base64, Celery protocol 2),
submitted with the README's four commands (``ZADD`` pending, ``HSET`` payload and digest, ``LPUSH``) in one
``MULTI``, and the decisions are read with ``XREADGROUP`` and acknowledged with ``XACK``, against a real worker
process. A submission whose message is lost is requeued by the sweep from its stored payload; an edit comes
back as revision 2.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import time
import uuid

import pytest
from redis import Redis

from tests.workers.conftest import RunningWorker

# Every test here runs real worker processes on a real Redis.
pytestmark = pytest.mark.integration


def hand_built_message(queue: str, comments: list[dict[str, object]], submitted_at_ms: int) -> str:
    """The README's message, field by field."""
    task_id = str(uuid.uuid4())
    body = [[comments], {"submitted_at_ms": submitted_at_ms},
            {"callbacks": None, "errbacks": None, "chain": None, "chord": None}]
    return json.dumps({
        "body": base64.b64encode(json.dumps(body).encode("utf-8")).decode("ascii"),
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": {"lang": "py", "task": "moderation.score", "id": task_id, "root_id": task_id,
                    "parent_id": None, "group": None, "retries": 0, "eta": None, "expires": None},
        "properties": {"correlation_id": task_id, "reply_to": "", "delivery_mode": 2,
                       "delivery_info": {"exchange": "", "routing_key": queue}, "priority": 0,
                       "body_encoding": "base64", "delivery_tag": str(uuid.uuid4())},
    })


def test_raw_lpush_in_and_raw_xreadgroup_out(worker: RunningWorker, uid: str) -> None:
    redis = Redis.from_url(worker.redis_url, decode_responses=True)
    redis.response_callbacks.clear()  # replies exactly as Redis sends them, as any language's client sees them
    stream = f"{worker.prefix}:decisions"
    group = f"backend-{uid}"
    # The backend's consumer group, created before submitting ("$": only entries added from now on)
    assert redis.execute_command("XGROUP", "CREATE", stream, group, "$", "MKSTREAM") == "OK"
    comments = [
        {"id": f"raw-{uid}-1", "body": "Thanks for the clear explanation of the budget, very helpful.",
         "site": "news", "thread": "article-42", "author": {"id": "u-1", "name": "Ana"}},
        {"id": f"raw-{uid}-2", "body": "EARN $5000 a week from home!!! Visit www.quick-cash-profits.biz now",
         "site": "news", "thread": "article-42"},
        {"id": f"raw-{uid}-3", "body": "   "},  # invalid: goes to the dead-letter stream, not to the decisions
    ]
    now_ms = int(time.time() * 1000)
    raw_submit(redis, worker.prefix, worker.queue, comments, now_ms)

    wanted = {f"raw-{uid}-1", f"raw-{uid}-2"}
    got: dict[str, dict[str, str]] = {}
    deadline = time.monotonic() + 90
    while len(got) < len(wanted):
        assert time.monotonic() < deadline, f"decisions seen: {sorted(got)}"
        reply = redis.execute_command("XREADGROUP", "GROUP", group, "web-1", "COUNT", 10, "BLOCK", 1000,
                                      "STREAMS", stream, ">")
        for _stream, entries in _pairs(reply):
            for entry_id, flat in entries:
                fields = dict(zip(flat[::2], flat[1::2], strict=True))
                got[fields["comment_id"]] = fields
                assert redis.execute_command("XACK", stream, group, entry_id) == 1

    assert set(got) == wanted
    for comment_id, fields in got.items():
        record = json.loads(fields["record"])
        assert fields["decision"] == record["decision"] in {"approve", "review", "reject"}
        assert record["comment_id"] == comment_id
        assert set(record) >= {"scores", "reasons", "model_version", "decided_at", "latency_ms"}
    assert got[f"raw-{uid}-2"]["decision"] in {"review", "reject"}
    assert json.loads(redis.execute_command("GET", f"{worker.prefix}:decision:news raw-{uid}-1"))["comment_id"] == \
        f"raw-{uid}-1"
    assert got[f"raw-{uid}-1"]["site"] == "news" and got[f"raw-{uid}-1"]["revision"] == "1"
    assert redis.execute_command("ZSCORE", f"{worker.prefix}:pending", f"news raw-{uid}-1") is None
    # nothing left unacknowledged in the group; the invalid comment is a dead letter with its error
    assert redis.execute_command("XPENDING", stream, group)[0] == 0
    deadline = time.monotonic() + 30
    while not (mine := dead_letters_of(redis, worker.prefix, f"raw-{uid}-3")):
        assert time.monotonic() < deadline, "the invalid comment was not dead-lettered"
        time.sleep(0.1)
    assert "body" in mine[0]["error"]


def raw_submit(redis: Redis, prefix: str, queue: str, comments: list[dict[str, object]], now_ms: int,
               push: bool = True) -> None:
    """The README's submission: pending entry, payload, body digest and the message, in one MULTI/EXEC."""
    assert redis.execute_command("MULTI") == "OK"
    for comment in comments:
        digest = hashlib.sha1(str(comment["body"]).encode("utf-8")).hexdigest()
        # A comment's name in the pending entries: its id, or "<site> <id>" when it has a site
        ref = f"{comment['site']} {comment['id']}" if comment.get("site") else str(comment["id"])
        redis.execute_command("ZADD", f"{prefix}:pending", "NX", now_ms, ref)
        redis.execute_command("HSET", f"{prefix}:pending:payload", ref, json.dumps(comment))
        redis.execute_command("HSET", f"{prefix}:pending:digest", ref, digest)
    if push:
        redis.execute_command("LPUSH", queue, hand_built_message(queue, comments, now_ms))
    assert redis.execute_command("EXEC")


def wait_for_record(redis: Redis, prefix: str, comment_id: str, revision: int = 1,
                    timeout: float = 90) -> dict[str, object]:
    """The stored decision of ``comment_id`` once it has ``revision`` (raw GET)."""
    deadline = time.monotonic() + timeout
    while True:
        raw = redis.execute_command("GET", f"{prefix}:decision:{comment_id}")
        if raw and json.loads(raw).get("revision") == revision:
            return dict(json.loads(raw))
        assert time.monotonic() < deadline, f"{comment_id}: no decision of revision {revision}"
        time.sleep(0.1)


def test_a_raw_submission_whose_message_is_lost_is_requeued_by_the_sweep_and_an_edit_is_revision_2(
        worker: RunningWorker, uid: str) -> None:
    redis = Redis.from_url(worker.redis_url, decode_responses=True)
    redis.response_callbacks.clear()
    comment = {"id": f"raw-lost-{uid}", "body": "Which roads close for the marathon on Sunday morning?"}
    # Given a raw submission as the README says, whose message never reached the queue (a Redis without
    # persistence restarted, say), and one whose payload was never written (the README's old advice)
    raw_submit(redis, worker.prefix, worker.queue, [comment], int(time.time() * 1000) - 10_000, push=False)
    orphan = f"raw-orphan-{uid}"
    redis.execute_command("ZADD", f"{worker.prefix}:pending", "NX", int(time.time() * 1000) - 10_000, orphan)
    # When the sweep runs (here by hand, for comments pending over 1 s)
    env = {"REDIS_URL": worker.redis_url, "MODERATION_PREFIX": worker.prefix, "MODERATION_QUEUE": worker.queue}
    swept = subprocess.run([sys.executable, "-m", "moderation", "sweep", "--older-than", "1"],
                           env={**os.environ, **env}, capture_output=True, text=True, timeout=60)
    assert swept.returncode == 0, swept.stderr
    # Then the comment with its payload is requeued and decided; the one without could not be, and is dropped
    assert json.loads(swept.stdout)["requeued"] >= 1
    record = wait_for_record(redis, worker.prefix, comment["id"])
    assert record["decision"] == "approve"
    assert redis.execute_command("ZSCORE", f"{worker.prefix}:pending", orphan) is None
    # When the same comment is submitted again raw with another body (an edit)
    edited = {**comment, "body": "You are a pathetic idiot and everyone here hates you, shut up"}
    raw_submit(redis, worker.prefix, worker.queue, [edited], int(time.time() * 1000))
    # Then its decision is replaced by revision 2, with a stream entry saying so
    replaced = wait_for_record(redis, worker.prefix, comment["id"], revision=2)
    assert replaced["decision"] in {"review", "reject"}
    entries = redis.execute_command("XRANGE", f"{worker.prefix}:decisions", "-", "+")
    mine = [dict(zip(flat[::2], flat[1::2], strict=True)) for _id, flat in entries]
    assert [e["revision"] for e in mine if e["comment_id"] == comment["id"]] == ["1", "2"]


def dead_letters_of(redis: Redis, prefix: str, comment_id: str) -> list[dict[str, str]]:
    """The dead-letter entries of one comment (the session's worker is shared with other tests)."""
    entries = redis.execute_command("XRANGE", f"{prefix}:dead-letters", "-", "+")
    letters = [dict(zip(flat[::2], flat[1::2], strict=True)) for _id, flat in entries]
    return [letter for letter in letters if letter["comment_id"] == comment_id]


def _pairs(reply: object) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """XREADGROUP's reply: [[stream, entries], ...] in RESP2, a map stream -> entries in RESP3; nil if none."""
    if isinstance(reply, dict):
        return list(reply.items())
    return [(name, entries) for name, entries in reply] if isinstance(reply, list) else []
