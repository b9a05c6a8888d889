"""Helpers shared by the worker tests: plain comments of each kind, and waiting for their decisions."""

from __future__ import annotations

import time

from redis import Redis

from moderation.intake.client import ModerationClient
from moderation.records import Decision
from tests.workers.conftest import RunningWorker

FRIENDLY = [
    "Thanks for the clear explanation of the budget, very helpful.",
    "I disagree with the council on this, but the article lays out both sides fairly.",
    "Does anyone know when the new bus schedule starts?",
]
SPAM = [
    "EARN $5000 a week from home!!! Visit www.quick-cash-profits.biz now, limited spots",
    "Check out my channel and subscribe for free gift cards!!! http://bit.ly/free-gift-now",
]
ABUSIVE = [
    "You are a pathetic idiot and everyone here hates you, shut up",
    "Go to hell you stupid moron, nobody cares about your worthless opinion",
]


def client_for(worker: RunningWorker) -> ModerationClient:
    """A client submitting to ``worker``'s prefix and queue."""
    redis = Redis.from_url(worker.redis_url, decode_responses=True)
    return ModerationClient(redis, prefix=worker.prefix, queue=worker.queue, batch_size=25)


def wait_for_decisions(client: ModerationClient, ids: list[str], timeout: float = 60, *,
                       site: str | None = None) -> dict[str, Decision]:
    """The decisions of ``ids`` (of ``site``: ids are scoped by site) published within ``timeout`` seconds (those
    still missing are left out)."""
    deadline = time.monotonic() + timeout
    found: dict[str, Decision] = {}
    while time.monotonic() < deadline and len(found) < len(ids):
        for comment_id, decision in client.decisions([i for i in ids if i not in found], site=site).items():
            if decision:
                found[comment_id] = decision
        if len(found) < len(ids):
            client.decision(next(i for i in ids if i not in found), wait=1, site=site)
    return found
