"""The client against a real Redis: what submit puts on the queue, and reading decisions."""

from __future__ import annotations

import json
import threading

import pytest
from marshmallow import ValidationError
from redis import Redis

from moderation import keys
from moderation.intake.client import ModerationClient, Receipt, Refusal
from moderation.intake.revisions import body_digest
from moderation.intake.wire import comments_of
from moderation.publishing.publish import DecisionPublisher
from moderation.records import Decision, Reason

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


def make_decision(comment_id: str, outcome: str = "approve") -> Decision:
    return Decision(comment_id=comment_id, decision=outcome, scores={"spam": 0.1, "toxic": 0.2},  # type: ignore[arg-type]
                    reasons=(Reason(code="ok", message="fine"),), model_version="m1",
                    decided_at="2026-11-28T10:00:00.000Z", latency_ms=3.5)


@pytest.fixture
def client(redis: Redis, prefix: str) -> ModerationClient:
    return ModerationClient(redis, prefix=prefix, queue=f"{prefix}-queue", batch_size=3)


def test_submit_validates_and_queues_one_celery_message(client: ModerationClient, redis: Redis) -> None:
    # Given a valid comment / When it is submitted
    receipt = client.submit({"id": "c-1", "body": " Nice piece ", "author": {"email": "a@example.org"}})
    # Then one message carrying the cleaned comment is on the queue, and it is pending
    assert isinstance(receipt, Receipt) and receipt.to_dict() == {"id": "c-1", "status": "queued", "revision": 1}
    messages = redis.lrange(client.queue, 0, -1)
    assert len(messages) == 1
    envelope = json.loads(messages[0])
    assert envelope["headers"]["task"] == keys.SCORE_TASK and envelope["content-type"] == "application/json"
    assert comments_of(messages[0]) == [{"id": "c-1", "body": "Nice piece", "author": {"email": "a@example.org"}}]
    assert client.pending_count() == 1


def test_submit_refuses_invalid_input_and_queues_nothing(client: ModerationClient, redis: Redis) -> None:
    with pytest.raises(ValidationError) as caught:
        client.submit({"id": "c-1", "body": "   "})
    assert caught.value.messages == {"body": ["must not be blank"]}
    assert redis.llen(client.queue) == 0 and client.pending_count() == 0


def test_submit_many_queues_valid_ones_in_batches_and_reports_refusals(client: ModerationClient,
                                                                       redis: Redis) -> None:
    # Given seven comments, one invalid, and batches of three
    payloads = [{"id": f"c-{i}", "body": f"comment {i}"} for i in range(6)]
    payloads.insert(2, {"id": "bad"})
    # When they are submitted together
    results = client.submit_many(payloads)
    # Then results follow the input order, the refusal names the field, and six comments sit in two messages
    assert [type(r).__name__ for r in results] == ["Receipt"] * 2 + ["Refusal"] + ["Receipt"] * 4
    refusal = results[2]
    assert isinstance(refusal, Refusal) and refusal.index == 2 and refusal.errors == {"body": ["is required"]}
    queued = [c["id"] for m in reversed(redis.lrange(client.queue, 0, -1)) for c in comments_of(m)]
    assert queued == [f"c-{i}" for i in range(6)] and redis.llen(client.queue) == 2


def test_decision_reads_what_was_published(client: ModerationClient, redis: Redis, prefix: str) -> None:
    DecisionPublisher(redis, prefix=prefix).publish(make_decision("c-9", "reject"))
    decision = client.decision("c-9")
    assert decision is not None and decision.decision == "reject" and decision.reasons[0].code == "ok"
    assert client.decision("missing") is None
    assert client.decisions(["c-9", "missing"])["missing"] is None


def test_decision_waits_for_one_published_later(client: ModerationClient, redis: Redis, prefix: str) -> None:
    # Given a decision that is published while the client waits
    publisher = DecisionPublisher(redis, prefix=prefix)
    started = threading.Event()

    def publish_soon() -> None:
        started.wait(5)
        publisher.publish(make_decision("c-late"))

    thread = threading.Thread(target=publish_soon)
    thread.start()
    started.set()
    # When the client waits for it / Then it gets it
    decision = client.decision("c-late", wait=10)
    thread.join()
    assert decision is not None and decision.comment_id == "c-late"


def test_decision_wait_gives_none_at_the_deadline(client: ModerationClient) -> None:
    assert client.decision("never", wait=0.3) is None


def test_the_same_id_and_body_again_is_a_duplicate_and_is_not_queued_twice(client: ModerationClient,
                                                                           redis: Redis) -> None:
    # Given a comment accepted and waiting
    client.submit({"id": "c-d", "body": "Same words."})
    # When it is submitted again with the same body (alone, and in a batch with a new comment)
    again = client.submit({"id": "c-d", "body": "Same words."})
    mixed = client.submit_many([{"id": "c-d", "body": "Same words."}, {"id": "c-new", "body": "Other words."}])
    # Then it is a duplicate (no decision yet), and only the new comment was queued besides the first message
    assert again.duplicate and again.to_dict() == {"id": "c-d", "status": "duplicate", "revision": 0}
    assert isinstance(mixed[0], Receipt) and mixed[0].status == "duplicate"
    assert isinstance(mixed[1], Receipt) and mixed[1].status == "queued"
    queued = [c["id"] for m in redis.lrange(client.queue, 0, -1) for c in comments_of(m)]
    assert sorted(queued) == ["c-d", "c-new"]


def test_after_a_decision_a_duplicate_gets_it_and_an_edit_is_queued_as_the_next_revision(
        client: ModerationClient, redis: Redis, prefix: str) -> None:
    # Given a comment decided (as a worker publishes it: with the digest of the decided body)
    client.submit({"id": "c-e", "body": "First version."})
    DecisionPublisher(redis, prefix=prefix).publish_many([make_decision("c-e", "approve")],
                                                         digests=[body_digest("First version.")])
    redis.delete(client.queue)
    # When the same body comes again, then a changed one
    duplicate = client.submit({"id": "c-e", "body": "First version."})
    edit = client.submit({"id": "c-e", "body": "Second version, edited."})
    # Then the duplicate carries the existing decision and queues nothing; the edit is queued as revision 2
    assert duplicate.status == "duplicate" and duplicate.revision == 1
    assert duplicate.decision is not None and duplicate.decision.decision == "approve"
    assert duplicate.to_dict()["decision"]["comment_id"] == "c-e"
    assert edit.status == "queued" and edit.revision == 2
    assert [c["body"] for m in redis.lrange(client.queue, 0, -1) for c in comments_of(m)] == ["Second version, edited."]
    assert client.status("c-e") == "decided" and client.pending_count() == 1


def test_status_tells_decided_pending_and_unknown_apart(client: ModerationClient, redis: Redis,
                                                       prefix: str) -> None:
    client.submit({"id": "c-p", "body": "Waiting."})
    DecisionPublisher(redis, prefix=prefix).publish(make_decision("c-x"))
    assert client.status("c-p") == "pending"
    assert client.status("c-x") == "decided"
    assert client.status("never-submitted") == "unknown"
