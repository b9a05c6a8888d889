"""The console's protections: hostile content stays text, nothing answers without a login, POSTs need their
CSRF token, logins are rate-limited, and every response carries a strict Content-Security-Policy."""


from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import expect
from redis import Redis

from moderation import keys
from tests.moderation.web.console.conftest import PASSWORD, Held

pytestmark = pytest.mark.integration  # a real Redis (and, for the browser tests, Chromium)

HOSTILE = ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>", '"><svg onload=alert(3)>']


def _status(url: str, method: str = "GET", accept: str = "text/html", data: bytes | None = None) -> tuple[int, str]:
    """The status of a request without cookies (redirects not followed) and where it redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    request = urllib.request.Request(url, method=method, data=data, headers={"Accept": accept})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("location", "")


def test_hostile_bodies_names_and_links_render_as_text_and_run_nothing(log_in: Any, console: str, held: Held,
                                                                      accounts: Any) -> None:
    # Given held comments whose bodies, author names and links are attacks
    held.submit([{"id": f"x-{i}", "body": body, "site": "news", "url": "https://news.example.org/a",
                  "author": {"id": f"u-{i}", "name": "<b onmouseover=alert(4)>Mallory</b>",
                             "url": "https://evil.example.org/\"><script>alert(5)</script>"}}
                 for i, body in enumerate(HOSTILE)], {body: {"toxic": (0.6, ("alert",))} for body in HOSTILE})
    dialogs: list[str] = []
    page = log_in("alice")
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.reload()
    # When the queue is shown, hovered and worked
    expect(page.locator("[data-comment-id]")).to_have_count(3)
    for i, body in enumerate(HOSTILE):
        article = page.locator(f'[data-comment-id="x-{i}"]')
        # Then each body is shown exactly as written, as text, and no element was made from it
        expect(article.locator(".body")).to_have_text(body)
        expect(article.locator(".author")).to_have_text("<b onmouseover=alert(4)>Mallory</b>")
        article.locator(".author").hover()
    assert page.locator("main img, main script, main svg, article b").count() == 0
    # And the author's link goes where it says, escaped, opened without access to the console
    link = page.locator('[data-comment-id="x-0"] a.author')
    expect(link).to_have_attribute("href", 'https://evil.example.org/"><script>alert(5)</script>')
    expect(link).to_have_attribute("rel", "nofollow noopener noreferrer ugc")
    page.locator('[data-comment-id="x-0"]').get_by_role("button", name="Approve", exact=True).click()
    page.goto(f"{console}/decisions?q=alert")
    expect(page.locator("li.decision").first).to_be_visible()
    page.wait_for_timeout(300)
    assert dialogs == []


def test_nothing_answers_without_a_login(console: str, held: Held, accounts: Any) -> None:
    # Given a held comment and no session
    held.submit([{"id": "n-1", "body": "hello there"}], {"hello there": {"spam": (0.6, ())}})
    # When every page and action is asked for without a cookie
    pages = ["/", "/decisions?q=n-1", "/model", "/audit", "/model/plots/spam_roc.png", "/nowhere"]
    # Then pages redirect to the login, and everything else answers 401
    for path in pages:
        assert _status(console + path) == (303, "/login"), path
        assert _status(console + path, accept="application/json")[0] == 401, path
    assert _status(console + "/events", accept="text/event-stream")[0] == 401
    for path in ("/act", "/report", "/logout"):
        assert _status(console + path, "POST", data=b"ids=n-1&verdict=approve&label=spam&comment_id=n-1")[0] == 401
    # And the login page itself answers, with the strict policy
    with urllib.request.urlopen(console + "/login", timeout=10) as response:
        policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy and "unsafe-inline" not in policy


def test_a_post_without_its_csrf_token_is_refused(log_in: Any, console: str, held: Held, accounts: Any,
                                                  redis: Redis, prefix: str) -> None:
    # Given a logged-in moderator and a held comment
    held.submit([{"id": "c-1", "body": "hello there"}], {"hello there": {"spam": (0.6, ())}})
    page = log_in("alice")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    # When her session's cookie sends a verdict and a report without the token, or with another one
    refused = [page.request.post(f"{console}/act", form={"ids": "c-1", "verdict": "reject"}),
               page.request.post(f"{console}/act", form={"ids": "c-1", "verdict": "reject", "csrf": "forged"}),
               page.request.post(f"{console}/report", form={"comment_id": "c-1", "label": "spam"}),
               page.request.post(f"{console}/act", form={"ids": "c-1", "verdict": "reject", "csrf": token or ""},
                                 headers={"Origin": "https://evil.example.org"})]
    # Then each is refused and nothing changed
    assert [r.status for r in refused] == [403, 403, 403, 403]
    assert redis.hexists(keys.review_items_key(prefix), "c-1")
    # And with the token the same verdict goes through
    accepted = page.request.post(f"{console}/act", form={"ids": "c-1", "verdict": "reject", "csrf": token or ""},
                                 headers={"Accept": "application/json"})
    assert accepted.status == 200 and accepted.json()["results"][0]["status"] == "rejected"


def test_a_login_form_without_its_token_is_refused_and_guessing_is_rate_limited(log_in: Any, browser: Any, console: str,
                                                                                 accounts: Any) -> None:
    # Given the login page
    context = browser.new_context()
    page = context.new_page()
    # When the form is posted without the token it carries
    forged = page.request.post(f"{console}/login", form={"name": "alice", "password": PASSWORD})
    assert forged.status == 403
    # And a wrong password is tried five times
    for _ in range(5):
        page.goto(f"{console}/login")
        page.fill("input[name=name]", "alice")
        page.fill("input[name=password]", "not her password")
        page.click("button[type=submit]")
        expect(page.locator(".error")).to_have_text("Wrong name or password.")
    # Then even the right password is refused for a while
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("Too many failed attempts")
    # While another moderator still logs in (the limit is per name, and per client only after many)
    other = log_in("bob")
    expect(other.locator(".who")).to_contain_text("bob")
    context.close()


def test_the_session_cookie_is_secure_httponly_and_same_site(log_in: Any, console: str, accounts: Any) -> None:
    # Given a logged-in moderator
    page = log_in("alice")
    # Then her session cookie is out of the page's reach, sent only over a secure context, and same-site only
    cookie = next(c for c in page.context.cookies() if "session" in c["name"])
    assert cookie["name"].startswith("__Host-")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""
    # And logging out ends the session
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{console}/login")
    page.goto(f"{console}/")
    page.wait_for_url(f"{console}/login")


def test_only_an_admin_sees_the_audit(log_in: Any, console: str, held: Held, accounts: Any) -> None:
    # Given a verdict by alice
    held.submit([{"id": "a-1", "body": "hello there"}], {"hello there": {"spam": (0.6, ())}})
    alice = log_in("alice")
    alice.locator('[data-comment-id="a-1"]').get_by_role("button", name="Approve", exact=True).click()
    expect(alice.locator('[data-comment-id="a-1"]')).to_have_count(0)
    # When alice and the admin open the audit
    refused = alice.goto(f"{console}/audit")
    admin = log_in("root")
    admin.goto(f"{console}/audit")
    # Then only the admin sees it, with alice named as the one who approved
    assert refused is not None and refused.status == 403
    expect(admin.locator("tbody tr").filter(has_text="a-1").filter(has_text="approve").first).to_contain_text("alice")
