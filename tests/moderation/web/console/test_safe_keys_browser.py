"""Safe keys in a real browser: Enter in a reason box publishes nothing, and a reject says what it teaches the
model (spam or abusive), which is the label the feedback export writes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from redis import Redis

from moderation.review.feedback import merged_feedback
from tests.moderation.web.console.conftest import Held
from tests.moderation.web.console.test_queue_browser import hold, stored

pytestmark = pytest.mark.integration


def test_enter_in_a_reason_box_publishes_nothing(log_in: Any, console: str, held: Held, accounts: Any,
                                                 redis: Redis, prefix: str) -> None:
    # Given two held comments
    hold(held, "e-1", "e-2")
    page = log_in("alice")
    # When alice types a reason in e-1's box and presses Enter, and in the bulk bar's too
    box = page.locator('[data-comment-id="e-1"] input[name=reason]')
    box.fill("spam link, reject")
    box.press("Enter")
    page.locator('[data-comment-id="e-1"] input.pick').check()
    page.fill("#bulk input[name=reason]", "all of them")
    page.locator("#bulk input[name=reason]").press("Enter")
    # And then approves e-2 with its button (so whatever Enter sent would have arrived before)
    page.locator('[data-comment-id="e-2"]').get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator('[data-comment-id="e-2"]')).to_have_count(0)
    # Then e-1 is still held, its reason still typed, and nothing was published for it
    assert stored(redis, prefix, "e-1").decision == "review"
    expect(box).to_have_value("spam link, reject")
    expect(page.locator("#held-count")).to_have_text("1")


def test_enter_without_javascript_publishes_nothing_either(browser: Any, console: str, held: Held, accounts: Any,
                                                            redis: Redis, prefix: str) -> None:
    # Given a held comment and a browser with JavaScript off (plain forms)
    from tests.moderation.web.console.conftest import logged_in_page

    hold(held, "n-1")
    page = logged_in_page(browser, console, "alice", java_script_enabled=False)
    context = page.context
    try:
        # When Enter is pressed in its reason box (the form's default button is disabled)
        page.locator('[data-comment-id="n-1"] input[name=reason]').fill("typed")
        page.locator('[data-comment-id="n-1"] input[name=reason]').press("Enter")
        page.reload()
        # Then it is still held
        expect(page.locator('[data-comment-id="n-1"]')).to_have_count(1)
        assert stored(redis, prefix, "n-1").decision == "review"
    finally:
        context.close()


def test_reject_as_abusive_is_exported_as_toxic_not_spam(log_in: Any, console: str, held: Held, accounts: Any,
                                                          redis: Redis, prefix: str) -> None:
    # Given two comments held as mild spam (the reasons alone would label a reject spam)
    hold(held, "t-1", "t-2")
    page = log_in("alice")
    # When alice rejects t-2 as abusive with the keys (r, then b), and t-1 with the "Reject: abusive" button
    expect(page.locator("article.current")).to_have_attribute("data-comment-id", "t-2")
    page.keyboard.press("r")
    page.keyboard.press("b")
    expect(page.locator('[data-comment-id="t-2"]')).to_have_count(0)
    page.locator('[data-comment-id="t-1"]').get_by_role("button", name="Reject: abusive").click()
    expect(page.locator('[data-comment-id="t-1"]')).to_have_count(0)
    # Then both are rejected, and the training labels the export writes say toxic, not spam
    assert stored(redis, prefix, "t-1").decision == stored(redis, prefix, "t-2").decision == "reject"
    rows = {row["comment_id"]: row for row in merged_feedback(redis, prefix)}
    for cid in ("t-1", "t-2"):
        assert rows[cid].get("toxic") == 1 and "spam" not in rows[cid], rows[cid]
