"""The whole path with real parts: client → Redis queue → Celery worker process → decision in Redis."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from redis import Redis

from moderation import keys
from moderation.intake.client import ModerationClient, Receipt
from moderation.intake.wire import task_message
from tests.workers.conftest import RunningWorker
from tests.workers.helpers import ABUSIVE, FRIENDLY, SPAM, client_for, wait_for_decisions

# Every test here runs real worker processes on a real Redis.
pytestmark = pytest.mark.integration


def wait_until_idle(client: ModerationClient, timeout: float = 30) -> None:
    """Wait until the queue is empty and no delivered message is unacknowledged (kombu's ``unacked`` hash)."""
    deadline = time.monotonic() + timeout
    while client.redis.llen(client.queue) or client.redis.hlen("unacked"):
        assert time.monotonic() < deadline, "worker did not finish its messages"
        time.sleep(0.05)


def stream_entries(client: ModerationClient, ids: set[str]) -> list[dict[str, Any]]:
    entries = client.redis.xrange(keys.decisions_stream(client.prefix))
    return [fields for _, fields in entries if fields["comment_id"] in ids]


def test_every_accepted_comment_gets_one_decision_in_all_three_places(worker: RunningWorker, uid: str) -> None:
    # Given a subscriber on the decision channel and a mixed set of 60 comments
    client = client_for(worker)
    heard: list[str] = []
    pubsub = client.redis.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(keys.decisions_channel(client.prefix))
    listening = threading.Event()
    stop = threading.Event()

    def listen() -> None:
        listening.set()
        while not stop.is_set():
            message = pubsub.get_message(timeout=0.2)
            if message:
                heard.append(json.loads(message["data"])["comment_id"])

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    listening.wait(5)
    texts = (FRIENDLY + SPAM + ABUSIVE) * 9
    payloads = [{"id": f"{uid}-{i}", "body": text, "site": "news-example"} for i, text in enumerate(texts[:60])]
    # When they are submitted
    receipts = client.submit_many(payloads)
    ids = [r.id for r in receipts if isinstance(r, Receipt)]
    assert len(ids) == 60
    # Then each has exactly one decision: stored, in the stream, and announced
    decisions = wait_for_decisions(client, ids, site="news-example")
    assert set(decisions) == set(ids)
    entries = stream_entries(client, set(ids))
    assert sorted(e["comment_id"] for e in entries) == sorted(ids)
    deadline = time.monotonic() + 10
    while len(set(heard) & set(ids)) < len(ids) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(5)
    pubsub.close()
    assert sorted(i for i in heard if i in set(ids)) == sorted(ids)
    # And each record is complete
    some = decisions[ids[0]]
    assert some.decision in {"approve", "review", "reject"} and some.model_version
    assert {"spam", "toxic"} <= set(some.scores) and some.reasons and some.decided_at
    assert some.latency_ms is not None and some.latency_ms >= 0
    assert client.pending_count() == 0 or all(client.redis.zscore(keys.pending_key(client.prefix), r.ref) is None
                                              for r in receipts if isinstance(r, Receipt))


def test_decisions_make_sense_for_plain_cases(worker: RunningWorker, uid: str) -> None:
    # Given friendly, spam and abusive comments under an article
    client = client_for(worker)
    groups = {"friendly": FRIENDLY, "spam": SPAM, "abusive": ABUSIVE}
    ids = {}
    for group, texts in groups.items():
        for i, text in enumerate(texts):
            ids[f"{uid}-{group}-{i}"] = group
            client.submit({"id": f"{uid}-{group}-{i}", "body": text})
    # When they are decided
    decisions = wait_for_decisions(client, list(ids))
    # Then friendly ones are approved, spam and abuse are not, and reasons name the head and its words
    for comment_id, group in ids.items():
        decision = decisions[comment_id]
        if group == "friendly":
            assert decision.decision == "approve", (comment_id, decision.scores)
        else:
            assert decision.decision != "approve", (comment_id, decision.scores)
            head = "spam" if group == "spam" else "toxic"
            assert any(r.head == head for r in decision.reasons), decision.reasons
            assert decision.scores[head] > 0.5
    assert any(r.terms for d in decisions.values() for r in d.reasons if r.head)


def test_a_message_delivered_twice_yields_one_decision(worker: RunningWorker, uid: str) -> None:
    # Given one queued message pushed twice (as a redelivery would), with the same comment twice inside
    client = client_for(worker)
    comments = [{"id": f"{uid}-dup", "body": "Looking forward to the tram."},
                {"id": f"{uid}-dup", "body": "Looking forward to the tram."},
                {"id": f"{uid}-other", "body": "Same here."}]
    message = task_message(comments, submitted_at_ms=int(time.time() * 1000), queue=client.queue)
    client.redis.lpush(client.queue, message, message)
    # When the worker has handled both / Then each comment has one decision and one stream entry
    decisions = wait_for_decisions(client, [f"{uid}-dup", f"{uid}-other"])
    assert len(decisions) == 2
    wait_until_idle(client)
    entries = stream_entries(client, {f"{uid}-dup", f"{uid}-other"})
    assert sorted(e["comment_id"] for e in entries) == sorted([f"{uid}-dup", f"{uid}-other"])


def test_invalid_payloads_pushed_raw_are_dead_lettered_with_the_error(worker: RunningWorker, uid: str) -> None:
    # Given a message pushed without the client, carrying one invalid and one valid comment
    client = client_for(worker)
    message = task_message([{"id": f"{uid}-bad", "body": "   "}, {"id": f"{uid}-good", "body": "Fine."}],
                           submitted_at_ms=int(time.time() * 1000), queue=client.queue)
    client.redis.lpush(client.queue, message)
    # When the worker handles it / Then the valid one is decided and the invalid one is in the dead letters
    assert wait_for_decisions(client, [f"{uid}-good"])
    letters = [f for _, f in client.redis.xrange(keys.dead_letter_stream(client.prefix))
               if f["comment_id"] == f"{uid}-bad"]
    assert len(letters) == 1 and "body" in letters[0]["error"] and "must not be blank" in letters[0]["error"]
    assert client.decision(f"{uid}-bad") is None


def test_the_worker_announces_the_model_it_serves(worker: RunningWorker) -> None:
    redis = Redis.from_url(worker.redis_url, decode_responses=True)
    announced = [redis.hgetall(k) for k in redis.scan_iter(match=keys.worker_key(worker.prefix, "w1:*"))]
    assert len(announced) == 2 and all(a["model_version"] for a in announced)
