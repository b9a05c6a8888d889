"""The console's accounts under attack, against the real application served by uvicorn as in production:
concurrent wrong passwords, a forged X-Forwarded-For, and sessions and live streams outliving a change."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from redis import Redis

from moderation.web.console.accounts import Accounts
from moderation.web.console.sessions import MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_NAME

pytestmark = pytest.mark.integration


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _form_token(console: str) -> tuple[str, str]:
    """The login form's cookie and token (double submit)."""
    with _OPENER.open(console + "/login", timeout=10) as response:
        cookie = response.headers.get("set-cookie", "").split(";")[0]
        html = response.read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', html)
    assert token, html[:500]
    return cookie, token.group(1)


def log_in(console: str, name: str, password: str, forwarded_for: str | None = None) -> tuple[int, str]:
    """POST the login form; (status, the session cookie if one was set)."""
    cookie, token = _form_token(console)
    data = urllib.parse.urlencode({"name": name, "password": password, "csrf": token}).encode()
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    request = urllib.request.Request(console + "/login", data=data, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=30) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        session = [c.split(";")[0] for c in exc.headers.get_all("set-cookie") or [] if "mod-login" not in c]
        return exc.code, session[0] if session else ""


def test_concurrent_wrong_passwords_are_counted_before_they_are_checked(console: str, accounts: Any) -> None:
    # Given an account
    accounts.add("alice", "the right password", "moderator")
    # When 30 wrong passwords for it arrive at once
    codes: list[int] = []
    threads = [threading.Thread(target=lambda: codes.append(log_in(console, "alice", "wrong password!!")[0]))
               for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # Then at most the limit of them were checked; the others were refused unchecked
    assert len(codes) == 30
    assert codes.count(401) <= MAX_FAILURES_PER_NAME and codes.count(429) >= 30 - MAX_FAILURES_PER_NAME, codes


def test_a_forged_x_forwarded_for_does_not_reset_the_per_client_limit(console: str, accounts: Any) -> None:
    # Given no trusted proxy (the default) / When one client tries many names, each with another forged address
    codes = [log_in(console, f"user{i}", "wrong password!!", forwarded_for=f"203.0.113.{i}")[0]
             for i in range(MAX_FAILURES_PER_CLIENT + 3)]
    # Then its own address is what counts: it is stopped after the per-client limit
    assert codes[:MAX_FAILURES_PER_CLIENT] == [401] * MAX_FAILURES_PER_CLIENT
    assert codes[MAX_FAILURES_PER_CLIENT:] == [429] * 3


def _session(console: str, name: str, password: str) -> str:
    status, cookie = log_in(console, name, password)
    assert status == 303 and cookie, status
    return cookie


def _get(console: str, path: str, cookie: str) -> int:
    request = urllib.request.Request(console + path, headers={"Cookie": cookie})
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_password_or_role_change_or_removal_ends_sessions_and_live_streams_at_once(
        console: str, redis: Redis, prefix: str) -> None:
    accounts = Accounts(redis, prefix)
    accounts.add("bob", "bob's first password", "moderator")
    # Given bob logged in / When his password changes / Then his session is over
    cookie = _session(console, "bob", "bob's first password")
    assert _get(console, "/", cookie) == 200
    accounts.add("bob", "bob's second password", "moderator")
    assert _get(console, "/", cookie) in (303, 401)
    # Given bob logged in again / When his role changes / Then that session is over too
    cookie = _session(console, "bob", "bob's second password")
    accounts.add("bob", "bob's second password", "admin")
    assert _get(console, "/", cookie) in (303, 401)
    # Given bob's live stream open / When his account is removed / Then the stream ends within seconds
    cookie = _session(console, "bob", "bob's second password")
    opened, ended = threading.Event(), threading.Event()

    def follow() -> None:
        request = urllib.request.Request(console + "/events", headers={"Cookie": cookie})
        with _OPENER.open(request, timeout=60) as response:
            while response.readline():
                opened.set()
        ended.set()

    threading.Thread(target=follow, daemon=True).start()
    assert opened.wait(10) and not ended.is_set()
    accounts.remove("bob")
    assert ended.wait(10), "the removed account's stream kept delivering"
