"""Signed webhooks end to end: comments submitted over HTTP, decided by a real worker, delivered by a real
deliverer process to a real local receiver that verifies every signature, goes down and comes back."""

from __future__ import annotations

import io
import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from harness.web_process import WebhookReceiver, request
from moderation import keys
from moderation.cli.main import main
from moderation.models.current import ModelStore
from moderation.ops.health import check
from moderation.publishing.publish import DecisionPublisher
from moderation.publishing.webhook_delivery import Deliverer
from moderation.records import Decision, Reason
from moderation.settings import load_settings
from tests.helpers import wait_until
from tests.moderation.web.api.conftest import Stack

pytestmark = pytest.mark.integration

FINE = "A fair summary of the planning meeting, thank you."


def add_webhook(monkeypatch: pytest.MonkeyPatch, redis_url: str, prefix: str, site: str, url: str) -> tuple[str, str]:
    """``moderation webhooks add SITE URL``: the webhook's id and its secret (alone on the last line)."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("MODERATION_PREFIX", prefix)
    out = io.StringIO()
    assert main(["webhooks", "add", site, url], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("whsec_") and lines[-1] not in lines[0]
    return json.loads(lines[0])["id"], lines[-1]


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """A local receiver, listening."""
    running = WebhookReceiver().start()
    yield running
    running.stop()


def test_each_decision_is_pushed_signed_to_its_sites_webhook_only(stack: Stack, receiver: WebhookReceiver,
                                                                   uid: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a webhook for site hooks-a (and a key for it and for another site)
    site = f"hooks-a-{uid}"
    hook_id, receiver.secret = add_webhook(monkeypatch, stack.env["REDIS_URL"], stack.prefix, site, receiver.url)
    key, other = stack.key(site), stack.key(f"hooks-b-{uid}")
    # When each site submits a comment and both are decided
    request(stack.url, "POST", "/v1/comments", {"id": f"w-{uid}", "body": FINE}, key=key)
    request(stack.url, "POST", "/v1/comments", {"id": f"o-{uid}", "body": FINE}, key=other)
    assert request(stack.url, "GET", f"/v1/decisions/o-{uid}?wait=30", key=other)[0] == 200
    # Then the receiver gets the site's decision, signed, with its idempotency key, and nothing of the other site
    wait_until(lambda: receiver.deliveries(), 30)
    got = receiver.deliveries()[0]
    assert got.signed and got.body["type"] == "decision" and got.body["comment_id"] == f"w-{uid}"
    assert got.body["site"] == site and got.body["decision"]["site"] == site and got.body["revision"] == 1
    assert got.headers["Idempotency-Key"] == got.body["idempotency_key"]
    assert got.body["idempotency_key"].startswith(f"{site}:w-{uid}:1:")
    assert all(d.body["comment_id"] != f"o-{uid}" for d in receiver.deliveries())
    # And `webhooks test` sends it a signed test event
    out = io.StringIO()
    assert main(["webhooks", "test", hook_id], out=out) == 0 and json.loads(out.getvalue())["http_status"] == 200
    wait_until(lambda: any(d.body["type"] == "test" for d in receiver.deliveries()), 10)
    assert main(["webhooks", "remove", hook_id], out=io.StringIO()) == 0


def test_a_slow_receiver_slows_neither_moderation_nor_other_receivers(stack: Stack, receiver: WebhookReceiver,
                                                                       uid: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a receiver that takes 4 s to answer (under the 5 s timeout), and another that answers at once
    slow = WebhookReceiver(delay=4.0).start()
    try:
        slow_id, slow.secret = add_webhook(monkeypatch, stack.env["REDIS_URL"], stack.prefix, f"slow-{uid}", slow.url)
        fast_id, receiver.secret = add_webhook(monkeypatch, stack.env["REDIS_URL"], stack.prefix, f"fast-{uid}",
                                               receiver.url)
        slow_key, fast_key = stack.key(f"slow-{uid}"), stack.key(f"fast-{uid}")
        # When the slow site's comments come first, then the other's
        request(stack.url, "POST", "/v1/comments", [{"id": f"s-{uid}-{i}", "body": f"{FINE} {i}"} for i in range(4)],
                key=slow_key)
        request(stack.url, "POST", "/v1/comments", {"id": f"f-{uid}", "body": FINE}, key=fast_key)
        # Then every comment is decided, and the other receiver has its decision before the slow one answers once
        for i in range(4):
            assert request(stack.url, "GET", f"/v1/decisions/s-{uid}-{i}?wait=30", key=slow_key)[0] == 200
        wait_until(lambda: receiver.deliveries(), 30)
        assert not slow.deliveries()
        wait_until(lambda: len(slow.deliveries()) == 4, 60)
    finally:
        slow.stop()
        for hook_id in (slow_id, fast_id):
            main(["webhooks", "remove", hook_id], out=io.StringIO())


def test_a_receiver_down_then_failing_then_back_loses_nothing(stack: Stack, receiver: WebhookReceiver, uid: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    site = f"down-{uid}"
    hook_id, receiver.secret = add_webhook(monkeypatch, stack.env["REDIS_URL"], stack.prefix, site, receiver.url)
    key = stack.key(site)
    ids = [f"d-{uid}-{i}" for i in range(6)]
    # Given the receiver is down (connections refused), then answering 500
    receiver.stop()
    request(stack.url, "POST", "/v1/comments", [{"id": i, "body": f"{FINE} ({i})"} for i in ids[:3]], key=key)
    jobs = keys.webhook_jobs_key(stack.prefix)

    def failed_attempts() -> int:
        return sum(json.loads(v)["attempts"] for k, v in stack.redis.hgetall(jobs).items() if k.startswith(hook_id))

    wait_until(lambda: failed_attempts() >= 6, 60)
    receiver.status = 500
    receiver.start()
    request(stack.url, "POST", "/v1/comments", [{"id": i, "body": f"{FINE} ({i})"} for i in ids[3:]], key=key)
    for i in ids:
        assert request(stack.url, "GET", f"/v1/decisions/{i}?wait=30", key=key)[0] == 200
    wait_until(lambda: failed_attempts() >= 12, 60)
    assert not receiver.deliveries()
    # When it comes back
    receiver.status = 200
    # Then every decision arrives, none twice except under the same idempotency key, and nothing is left waiting
    wait_until(lambda: {d.body["comment_id"] for d in receiver.deliveries()} == set(ids), 60)
    wait_until(lambda: not any(k.startswith(hook_id) for k in stack.redis.hkeys(jobs)), 30)
    delivered = receiver.deliveries()
    assert len({d.body["idempotency_key"] for d in delivered}) == len(ids)
    assert int(max(d.headers["Moderation-Delivery-Attempt"] for d in delivered)) > 1
    main(["webhooks", "remove", hook_id], out=io.StringIO())


def test_a_delivery_retried_past_its_time_is_dead_lettered_shown_and_requeued(
        redis_url: str, redis: Redis, prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a deliverer that retries for 1 s, and a webhook whose receiver is down
    receiver = WebhookReceiver()
    hook_id, receiver.secret = add_webhook(monkeypatch, redis_url, prefix, "news-a", receiver.url)
    monkeypatch.setenv("MODERATION_WEBHOOK_RETRY_SECONDS", "1")
    monkeypatch.setenv("MODERATION_WEBHOOK_BACKOFF_MAX", "0.2")
    settings = load_settings()
    stop = threading.Event()
    deliverer = threading.Thread(target=Deliverer(redis, settings, consumer="t").run, args=(stop,))
    deliverer.start()
    try:
        # When a decision of that site is published
        decision = Decision(comment_id=f"c-{uuid.uuid4().hex[:6]}", decision="approve", scores={"spam": 0.01},
                            reasons=(Reason(code="ok", message="fine"),), model_version="m", decided_at="now",
                            site="news-a")
        DecisionPublisher(redis, prefix=prefix).publish(decision)
        # Then it is given up after its retry time, and health and the dead-letter list show it
        dead = keys.webhook_dead_letters_stream(prefix)
        wait_until(lambda: redis.xlen(dead) == 1, 30)
        report = check(redis, store=ModelStore.from_settings(settings, redis), queue=settings.queue,
                       bulk_queue=settings.bulk_queue, max_queue=10)
        assert report.webhooks == {"backlog": 0, "dead_letters": 1}
        out = io.StringIO()
        assert main(["webhooks", "dead-letters"], out=out) == 0
        letter = json.loads(out.getvalue())
        assert letter["webhook"] == hook_id and letter["body"]["comment_id"] == decision.comment_id
        assert "ConnectionRefusedError" in letter["error"]
        # And once the receiver is back, requeueing delivers it
        receiver.start()
        monkeypatch.setenv("MODERATION_WEBHOOK_RETRY_SECONDS", "60")
        assert main(["webhooks", "requeue", "--all"], out=io.StringIO()) == 0
        wait_until(lambda: receiver.deliveries(), 30)
        assert receiver.deliveries()[0].body["comment_id"] == decision.comment_id and redis.xlen(dead) == 0
    finally:
        stop.set()
        deliverer.join(10)
        receiver.stop()


def test_a_moderators_verdict_is_pushed_as_another_publication(redis_url: str, redis: Redis, prefix: str,
                                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from moderation.review.queue import ReviewQueue
    from tests.moderation.web.console.conftest import Held

    # Given a webhook, a deliverer, and a comment a worker's real batch handler holds for review
    receiver = WebhookReceiver().start()
    _hook_id, receiver.secret = add_webhook(monkeypatch, redis_url, prefix, "news", receiver.url)
    stop = threading.Event()
    deliverer = threading.Thread(target=Deliverer(redis, load_settings(), consumer="t").run, args=(stop,))
    deliverer.start()
    try:
        Held(redis, redis_url, prefix, tmp_path).submit([{"id": "c-held", "body": "you clown", "site": "news"}],
                                                       {"you clown": {"toxic": (0.6, ("clown",))}})
        wait_until(lambda: len(receiver.deliveries()) == 1, 30)
        # When a moderator approves it
        ReviewQueue(redis, prefix=prefix).verdict([keys.comment_ref("news", "c-held")], "approve", moderator="ana")
        # Then the receiver gets the final decision too, under another idempotency key
        wait_until(lambda: len(receiver.deliveries()) == 2, 30)
        first, final = (d.body for d in receiver.deliveries())
        assert first["decision"]["decision"] == "review" and final["decision"]["decision"] == "approve"
        assert final["decision"]["reasons"][0]["code"] == "moderator.approve"
        assert first["idempotency_key"] != final["idempotency_key"]
    finally:
        stop.set()
        deliverer.join(10)
        receiver.stop()
