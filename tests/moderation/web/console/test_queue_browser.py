"""The queue in a real browser: log in, approve, reject, bulk, keyboard, live updates from a second moderator."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from redis import Redis

from moderation.publishing.audit import read_audit
from moderation.records import Decision
from tests.moderation.helpers import stored_record
from tests.moderation.web.console.conftest import PASSWORD, Held

pytestmark = pytest.mark.integration  # a real Redis (and, for the browser tests, Chromium)

SPAM = {"spam": (0.7, ("free", "bit_ly"))}


def hold(held: Held, *ids: str, site: str = "news") -> None:
    """Hold one comment per id, each with its own body, scored as mild spam."""

    bodies = {cid: f"Comment {cid}: free followers at bit.ly/x" for cid in ids}
    held.submit([{"id": cid, "body": body, "site": site, "author": {"id": f"u-{cid}", "name": f"Reader {cid}"}}
                 for cid, body in bodies.items()], {body: SPAM for body in bodies.values()})


def stored(redis: Redis, prefix: str, cid: str) -> Decision:
    return Decision.from_json(stored_record(redis, prefix, cid) or "")


def test_a_moderator_approves_and_rejects_with_buttons_and_keys(log_in: Any, console: str, held: Held,
                                                                   accounts: Any, redis: Redis, prefix: str) -> None:
    # Given three held comments
    hold(held, "q-1", "q-2", "q-3")
    # When alice logs in, sees them with their highlighted terms, and approves the newest with its button
    page = log_in("alice")
    comments = page.locator("[data-comment-id]")
    expect(comments).to_have_count(3)
    expect(page.locator('[data-comment-id="q-3"] mark').first).to_have_text("free")
    expect(page.locator('[data-comment-id="q-3"] mark').nth(1)).to_have_text("bit.ly")
    page.locator('[data-comment-id="q-3"]').get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator('[data-comment-id="q-3"]')).to_have_count(0)
    # And rejects the next one with the keyboard (j moves down, r asks spam or abusive, s says spam)
    page.keyboard.press("k")
    page.keyboard.press("j")
    expect(page.locator("article.current")).to_have_attribute("data-comment-id", "q-1")
    page.keyboard.press("r")
    expect(page.locator('[data-comment-id="q-1"] .status')).to_have_text("Reject as spam (s) or abusive (b)?")
    page.keyboard.press("s")
    expect(page.locator('[data-comment-id="q-1"]')).to_have_count(0)
    # Then the decisions are published as final, by alice, and the audit stream names her
    assert stored(redis, prefix, "q-3").decision == "approve"
    assert stored(redis, prefix, "q-1").decision == "reject"
    assert "alice" in stored(redis, prefix, "q-3").reasons[0].message
    actors = {(e.fields["comment_id"], e.fields["action"]): e.fields["actor"] for e in read_audit(redis, prefix)}
    assert actors[("q-3", "approve")] == "alice" and actors[("q-1", "reject")] == "alice"
    # And what remains is the one not acted on
    expect(comments).to_have_count(1)
    expect(page.locator("#held-count")).to_have_text("1")


def test_a_moderator_acts_on_many_at_once_with_a_reason(log_in: Any, console: str, held: Held, accounts: Any,
                                                         redis: Redis, prefix: str) -> None:
    # Given four held comments
    hold(held, "b-1", "b-2", "b-3", "b-4")
    page = log_in("alice")
    # When alice selects two (a check box, and x on the current one) and rejects them with a reason
    page.locator('[data-comment-id="b-2"] input.pick').check()
    page.locator('[data-comment-id="b-4"]').click()
    page.keyboard.press("x")
    page.fill("#bulk input[name=reason]", "link farm")
    page.get_by_role("button", name="Reject selected: spam").click()
    # Then both leave the page, and both are rejected with her reason
    expect(page.locator("[data-comment-id]")).to_have_count(2)
    for cid in ("b-2", "b-4"):
        decision = stored(redis, prefix, cid)
        assert decision.decision == "reject" and "link farm" in decision.reasons[0].message
    assert stored_record(redis, prefix, "b-1") and stored(redis, prefix, "b-1").decision == "review"


def test_a_verdict_from_a_second_moderator_arrives_live(log_in: Any, console: str, held: Held, accounts: Any,
                                                        redis: Redis, prefix: str) -> None:
    # Given alice and bob both looking at the same held comments
    hold(held, "l-1", "l-2")
    alice = log_in("alice")
    bob = log_in("bob")
    expect(alice.locator("[data-comment-id]")).to_have_count(2)
    alice.wait_for_timeout(300)  # the live stream is connected once the page has loaded
    # When bob approves l-1
    bob.locator('[data-comment-id="l-1"]').get_by_role("button", name="Approve", exact=True).click()
    expect(bob.locator('[data-comment-id="l-1"]')).to_have_count(0)
    # Then alice's page marks it decided by bob, its buttons disabled, without a reload
    mine = alice.locator('[data-comment-id="l-1"]')
    expect(mine).to_have_class("comment decided-elsewhere")
    expect(mine.locator(".status")).to_contain_text("approved by moderator bob")
    expect(mine.get_by_role("button", name="Reject: spam", exact=True)).to_be_disabled()
    expect(alice.locator("#held-count")).to_have_text("1")
    # And a verdict sent anyway (a stale page) says so and changes nothing
    answer = alice.evaluate("""async () => {
        const body = new FormData(); body.append("ids", "news l-1"); body.append("verdict", "reject");
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const headers = {"Accept": "application/json", "X-CSRF-Token": csrf};
        const r = await fetch("/act", {method: "POST", body, headers});
        return await r.json(); }""")
    assert answer["results"][0]["done"] is False
    assert "Already decided (approved by moderator bob" in answer["results"][0]["message"]
    assert stored(redis, prefix, "l-1").decision == "approve"
    # And a comment held meanwhile is announced on alice's page
    hold(held, "l-3")
    expect(alice.locator("#new-held")).to_be_visible()
    expect(alice.locator("#new-held")).to_contain_text("A new comment was held.")


def test_the_queue_filters_and_orders(log_in: Any, console: str, held: Held, accounts: Any) -> None:
    # Given comments held on two sites, one far more uncertain than the others, one with a language
    held.submit([{"id": "f-1", "body": "sure spam", "site": "news"},
                 {"id": "f-2", "body": "coin toss", "site": "blog", "lang": "de"},
                 {"id": "f-3", "body": "fairly sure abuse", "site": "news"}],
                {"sure spam": {"spam": (0.88, ())}, "coin toss": {"spam": (0.52, ())},
                 "fairly sure abuse": {"toxic": (0.8, ("idiot",))}})
    page = log_in("alice")
    # When she filters by site, then by head, then by language, then orders by uncertainty
    page.select_option("select[name=site]", "news")
    expect(page.locator("[data-comment-id]")).to_have_count(2)
    page.select_option("select[name=head]", "toxic")
    expect(page.locator("[data-comment-id]")).to_have_count(1)
    page.goto(f"{console}/?lang=de")
    expect(page.locator("[data-comment-id]")).to_have_count(1)
    expect(page.locator('[data-comment-id="f-2"] .lang')).to_have_text("de")
    page.goto(f"{console}/?order=uncertain")
    # Then each view holds what it should, the coin toss first when ordered by uncertainty
    expect(page.locator("[data-comment-id]").first).to_have_attribute("data-comment-id", "f-2")


def test_the_queue_works_without_javascript(browser: Any, console: str, held: Held, accounts: Any, redis: Redis,
                                            prefix: str) -> None:
    # Given a browser with JavaScript off, logged in, and two held comments
    hold(held, "n-1", "n-2")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{console}/login")
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{console}/")
    # When she rejects one with its own button, and approves the other through the selection
    page.locator('[data-comment-id="n-1"]').get_by_role("button", name="Reject: spam", exact=True).click()
    page.wait_for_url(f"{console}/")
    expect(page.locator("[data-comment-id]")).to_have_count(1)
    page.locator('[data-comment-id="n-2"] input.pick').check()
    page.get_by_role("button", name="Approve selected").click()
    page.wait_for_url(f"{console}/")
    # Then both verdicts are published, and the queue is empty
    expect(page.locator("[data-comment-id]")).to_have_count(0)
    assert stored(redis, prefix, "n-1").decision == "reject" and stored(redis, prefix, "n-2").decision == "approve"
    context.close()


def test_an_open_card_is_marked_live_when_its_comment_is_edited_and_its_old_verdict_is_refused(
        log_in: Any, console: str, held: Held, accounts: Any, redis: Redis, prefix: str) -> None:
    # Given alice looking at a held comment (revision 1)
    hold(held, "e-1")
    alice = log_in("alice")
    card = alice.locator('[data-comment-id="e-1"]')
    expect(card).to_have_attribute("data-revision", "1")
    alice.wait_for_timeout(300)  # the live stream is connected once the page has loaded
    # When the author edits it (held again, as revision 2)
    edited = "Comment e-1 edited: free followers at bit.ly/y"
    held.submit([{"id": "e-1", "body": edited, "site": "news", "author": {"id": "u-e-1", "name": "Reader e-1"}}],
                {edited: SPAM})
    # Then her card says so at once, its buttons disabled
    expect(card).to_have_class(re.compile(r"\bedited\b"))
    expect(card.locator(".status")).to_contain_text("Edited since you opened it")
    expect(card.get_by_role("button", name="Approve", exact=True)).to_be_disabled()
    # And an approval of what she saw, sent anyway, is refused and changes nothing
    answer = alice.evaluate("""async () => {
        const body = new FormData(); body.append("ids", "news e-1"); body.append("seen", "1 news e-1");
        body.append("verdict", "approve");
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const r = await fetch("/act", {method: "POST", body, headers: {"Accept": "application/json",
                                                                      "X-CSRF-Token": csrf}});
        return await r.json(); }""")
    assert answer["results"][0]["status"] == "stale" and "edited since you opened it" in answer["results"][0]["message"]
    assert stored(redis, prefix, "e-1").decision == "review" and stored(redis, prefix, "e-1").revision == 2
