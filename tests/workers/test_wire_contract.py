"""The wire contract, as a backend in another language would use it: raw Redis commands only.

No project code on the client side: the message is built here by hand (JSON + base64, Celery protocol 2),
pushed with ``LPUSH``, and the decisions are read with ``XREADGROUP`` and acknowledged with ``XACK``, against a
real worker process.
"""

from __future__ import annotations

import base64
import json
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
    for comment in comments:
        redis.execute_command("ZADD", f"{worker.prefix}:pending", "NX", now_ms, comment["id"])
    assert redis.execute_command("LPUSH", worker.queue, hand_built_message(worker.queue, comments, now_ms)) >= 1

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
    assert json.loads(redis.execute_command("GET", f"{worker.prefix}:decision:raw-{uid}-1"))["comment_id"] == \
        f"raw-{uid}-1"
    # nothing left unacknowledged in the group; the invalid comment is a dead letter with its error
    assert redis.execute_command("XPENDING", stream, group)[0] == 0
    deadline = time.monotonic() + 30
    while not (mine := dead_letters_of(redis, worker.prefix, f"raw-{uid}-3")):
        assert time.monotonic() < deadline, "the invalid comment was not dead-lettered"
        time.sleep(0.1)
    assert "body" in mine[0]["error"]


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
