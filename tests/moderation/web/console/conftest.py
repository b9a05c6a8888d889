"""Fixtures for the console's tests: held comments put in the queue by a worker's real batch handler, the real
application served by uvicorn on a free localhost port, accounts, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from moderation.settings import Settings
from moderation.web.console.accounts import Accounts
from tests.moderation.review_fakes import FakeHeadScore, FakeScorer, write_policy
from workers.handler import BatchHandler

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery"


class ScriptedScorer(FakeScorer):
    """Scores each text as a table says (``{text: {head: (probability, terms)}}``); 0.01 otherwise."""

    version = "test-model-1"

    def __init__(self, table: dict[str, dict[str, tuple[float, tuple[str, ...]]]]) -> None:
        self.table = table

    def score_batch(self, texts: Sequence[str], explain: bool = True, top_k: int = 5,
                    langs: Sequence[str] | None = None) -> list[dict[str, Any]]:
        heads = sorted({"spam", "toxic", *(head for row in self.table.values() for head in row)})
        results = []
        for text in texts:
            row = self.table.get(text, {})
            results.append({head: FakeHeadScore(row.get(head, (0.01, ()))[0],
                                                tuple((t, 0.5) for t in row.get(head, (0.0, ()))[1]))
                            for head in heads})
        return results


@dataclass
class Held:
    """Puts comments through a worker's real batch handler (validation, rules, policy, holding, publishing)."""

    redis: Redis
    redis_url: str
    prefix: str
    policy_dir: Path

    def submit(self, comments: list[dict[str, Any]], scores: dict[str, dict[str, tuple[float, tuple[str, ...]]]]
               ) -> None:
        """Moderate ``comments``; ``scores`` maps a body to its heads' scores and explaining terms."""
        self.submit_with(comments, ScriptedScorer(scores))

    def submit_with(self, comments: list[dict[str, Any]], scorer: Any) -> None:
        """Moderate ``comments`` with ``scorer`` (a real model, say)."""
        settings = Settings(redis_url=self.redis_url, prefix=self.prefix, decision_ttl_seconds=600,
                            stream_maxlen=1000)
        BatchHandler(self.redis, lambda: scorer, write_policy(self.policy_dir), settings).handle(comments)


@pytest.fixture
def held(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> Held:
    """A way to hold comments for review on this test's prefix."""
    return Held(redis, redis_url, prefix, tmp_path)


@pytest.fixture
def accounts(redis: Redis, prefix: str) -> Accounts:
    """Accounts ``alice`` and ``bob`` (moderators) and ``root`` (admin), all with :data:`PASSWORD`."""
    made = Accounts(redis, prefix)
    made.add("alice", PASSWORD)
    made.add("bob", PASSWORD)
    made.add("root", PASSWORD, role="admin")
    return made


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def console(redis_url: str, prefix: str, tmp_path: Path) -> Iterator[str]:
    """The real console application served by uvicorn in a thread; yields its base URL."""
    import uvicorn

    from moderation.web.console.app import ConsoleConfig, create_app

    settings = Settings(redis_url=redis_url, prefix=prefix, decision_ttl_seconds=600, stream_maxlen=1000,
                        queue=f"{prefix}-q", bulk_queue=f"{prefix}-bulk", models_dir=tmp_path / "models")
    app = create_app(ConsoleConfig(settings, reports_dir=tmp_path / "reports"))
    port = _free_port()
    from moderation.web.server import proxy_options

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=1, lifespan="on",
                                           **proxy_options(settings)))  # as `moderation console` serves it
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the console did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (no browser of Playwright's own is downloaded)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def log_in(browser: Any, console: str) -> Iterator[Any]:
    """Log in to the console in a new browser context: ``log_in(name)`` returns its page, on the queue. The
    contexts are closed before the console stops (their live streams with them)."""
    contexts: list[Any] = []

    def open_page(name: str, password: str = PASSWORD) -> Any:
        page = logged_in_page(browser, console, name, password)
        contexts.append(page.context)
        return page

    yield open_page
    for context in contexts:
        context.close()


def logged_in_page(browser: Any, base: str, name: str, password: str = PASSWORD, **options: Any) -> Any:
    """A new browser context logged in as ``name``; returns its page, on the queue.

    :param options: more options of the context (``java_script_enabled=False``...).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page
