"""Edits and duplicates with a real worker: the same id with another body is moderated again and published
again (stored, stream, pub/sub) as the next revision; the same body again is a duplicate."""

from __future__ import annotations

import json
import time

import pytest

from harness.tally import wait_until
from moderation import keys
from moderation.intake.client import ModerationClient
from moderation.intake.revisions import body_digest
from moderation.intake.wire import task_message
from moderation.records import Decision
from tests.workers.conftest import RunningWorker
from tests.workers.test_end_to_end import client_for, stream_entries, wait_for_decisions, wait_until_idle

pytestmark = pytest.mark.integration

# Texts no other test of the shared worker sends: the repeat rule counts the same text across comments.
FRIENDLY = "Lovely photos of the harbour festival, thank you for sharing them."
LATER = "The library opening hours are now listed on the council website, good to know."
QUICK = "What time does the farmers market open on Saturday?"
ABUSIVE = "You are a pathetic idiot and everyone here hates you, shut up"


def wait_for_revision(client: ModerationClient, comment_id: str, revision: int, timeout: float = 60) -> Decision:
    found: list[Decision] = []

    def published() -> bool:
        decision = client.decision(comment_id)
        if decision is not None and decision.revision >= revision:
            found.append(decision)
            return True
        return False

    assert wait_until(published, timeout), f"{comment_id}: no revision {revision}"
    return found[-1]


def test_an_edit_is_moderated_again_and_replaces_the_decision_on_every_channel(worker: RunningWorker,
                                                                               uid: str) -> None:
    # Given a friendly comment decided as revision 1, and a subscriber to the announcements
    client = client_for(worker)
    comment_id = f"edit-{uid}"
    first = client.submit({"id": comment_id, "body": FRIENDLY})
    assert (first.status, first.revision) == ("queued", 1)
    original = wait_for_decisions(client, [comment_id])[comment_id]
    assert original.revision == 1 and original.decision == "approve"
    pubsub = client.redis.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(keys.decisions_channel(client.prefix))
    # When the same body comes again / Then it is a duplicate carrying the decision, and nothing is queued
    again = client.submit({"id": comment_id, "body": FRIENDLY})
    assert again.status == "duplicate" and again.decision == original
    # When the author edits it into abuse
    edit = client.submit({"id": comment_id, "body": ABUSIVE})
    assert (edit.status, edit.revision) == ("queued", 2)
    # Then it is moderated again: the stored decision is replaced by revision 2 ...
    replaced = wait_for_revision(client, comment_id, 2)
    assert replaced.decision != "approve"
    # ... the stream has one entry per revision, each with its revision field ...
    entries = stream_entries(client, {comment_id})
    assert [(e["revision"], json.loads(e["record"])["revision"]) for e in entries] == [("1", 1), ("2", 2)]
    # ... and it was announced on pub/sub
    announced = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not announced:
        message = pubsub.get_message(timeout=1)
        if message and json.loads(message["data"])["comment_id"] == comment_id:
            announced.append(json.loads(message["data"]))
    pubsub.close()
    assert announced and announced[0]["revision"] == 2
    assert client.status(comment_id) == "decided" and client.redis.zscore(keys.pending_key(client.prefix),
                                                                          comment_id) is None


def test_a_late_copy_of_an_old_body_does_not_undo_an_edit(worker: RunningWorker, uid: str) -> None:
    # Given a comment decided, then edited and decided again
    client = client_for(worker)
    comment_id = f"late-{uid}"
    client.submit({"id": comment_id, "body": LATER})
    wait_for_decisions(client, [comment_id])
    client.submit({"id": comment_id, "body": ABUSIVE})
    wait_for_revision(client, comment_id, 2)
    # When a copy of the first body's message arrives late (a redelivery), and its duplicate is raw-pushed
    late = task_message([{"id": comment_id, "body": LATER}], submitted_at_ms=1, queue=client.queue)
    client.redis.lpush(client.queue, late)
    wait_until_idle(client)
    # Then nothing changes: revision 2 stands, with two stream entries in all
    decision = client.decision(comment_id)
    assert decision is not None and decision.revision == 2
    assert len(stream_entries(client, {comment_id})) == 2
    assert client.redis.hget(keys.revision_key(client.prefix, None, comment_id), "digest") == body_digest(ABUSIVE)


def test_an_edit_made_before_the_first_decision_is_the_one_decided(worker: RunningWorker, uid: str) -> None:
    # Given two bodies of one comment in one submission (written, then edited at once)
    client = client_for(worker)
    comment_id = f"quick-{uid}"
    receipts = client.submit_many([{"id": comment_id, "body": QUICK}, {"id": comment_id, "body": ABUSIVE}])
    assert [r.status for r in receipts] == ["queued", "queued"]  # type: ignore[union-attr]
    # When the worker has handled them
    wait_for_decisions(client, [comment_id])
    wait_until_idle(client)
    # Then one decision, of the edited body, as revision 1
    entries = stream_entries(client, {comment_id})
    assert len(entries) == 1
    decision = client.decision(comment_id)
    assert decision is not None and decision.revision == 1 and decision.decision != "approve"
