"""Helpers shared by the tests of :mod:`moderation`: a made-up decision, the next pub/sub message, the
``moderation`` command run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

from redis.client import PubSub

from moderation.records import Decision, Reason
from tests.helpers import ROOT


def next_message(pubsub: PubSub, timeout: float = 5.0) -> dict[str, Any] | None:
    """The next data message (subscribe confirmations are skipped), waiting up to ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=deadline - time.monotonic())
        if message is not None:
            return message
    return None


def decision(comment_id: str, outcome: str = "review") -> Decision:
    """A made-up decision for ``comment_id`` (a spam reason, model ``m1``)."""
    return Decision(comment_id=comment_id, decision=outcome, scores={"spam": 0.6},  # type: ignore[arg-type]
                    reasons=(Reason(code="spam.review", message="m", head="spam", score=0.6, terms=("win",)),),
                    model_version="m1", decided_at="2026-11-28T10:00:00.000Z", latency_ms=1.0)


def run_cli(args: list[str], redis_url: str, prefix: str, stdin: str = "",
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``moderation ARGS`` as a real process on ``redis_url`` under ``prefix`` (queue ``PREFIX-q``)."""
    env = {**os.environ, "REDIS_URL": redis_url, "MODERATION_PREFIX": prefix, "MODERATION_QUEUE": f"{prefix}-q"}
    return subprocess.run([sys.executable, "-m", "moderation", *args], input=stdin, capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=timeout)


def stored_record(redis: Any, prefix: str, comment_id: str) -> str | None:
    """The stored decision (JSON) of ``comment_id`` on whichever site it was submitted (ids are scoped by site:
    ``prefix:decision:<id>`` without one, ``prefix:decision:<site> <id>`` with one); tests use unique ids."""
    from moderation import keys

    raw = redis.get(keys.decision_key(prefix, None, comment_id))
    if raw:
        return str(raw)
    marker = keys.decision_key(prefix, None, "")
    for key in redis.scan_iter(match=f"{marker}* {comment_id}", count=1000):
        name = key.decode() if isinstance(key, bytes) else str(key)
        if keys.split_ref(name[len(marker):])[1] == comment_id:
            found = redis.get(name)
            return found.decode() if isinstance(found, bytes) else found
    return None
