"""The audit stream: every decision and moderator action, with who, what, when and why, bounded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis

from moderation import keys
from moderation.publishing.audit import FIELDS, read_audit
from moderation.review.queue import ReviewQueue
from tests.helpers import ROOT
from tests.moderation.helpers import run_cli
from tests.moderation.review_fakes import comment, make_handler, write_policy

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


def test_every_decision_and_action_is_audited(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given a worker's decisions, a moderator's verdict and a report
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("a-1", "{spam=0.6}", site="news", email="x@example.com"), comment("a-2", "fine")])
    queue = ReviewQueue(redis, prefix=prefix)
    queue.verdict(["news a-1"], "reject", moderator="alice", reason="pills again")  # ids are scoped by site
    queue.report(["a-2"], "spam", moderator="bob", reason="missed one")
    # When the audit stream is read, oldest first
    entries = [e.fields for e in read_audit(redis, prefix, newest_first=False)]
    # Then it says who did what to which comment, when, and why
    assert [(e["actor"], e["action"], e["comment_id"], e["outcome"]) for e in entries] == [
        ("worker", "decide", "a-1", "review"), ("worker", "decide", "a-2", "approve"),
        ("alice", "reject", "a-1", "reject"), ("bob", "report-spam", "a-2", "spam")]
    assert entries[0]["why"] == "spam.review" and entries[2]["why"] == "pills again"
    assert entries[0]["site"] == "news" and all(e["at"].endswith("Z") for e in entries)
    assert all(tuple(e) == FIELDS for e in entries)
    # And no email address is in it
    assert "example.com" not in json.dumps(entries)


def test_the_audit_of_one_comment_from_the_cli(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("c-1", "{spam=0.6}"), comment("c-2", "fine")])
    ReviewQueue(redis, prefix=prefix).verdict(["c-1"], "approve", moderator="alice")
    result = run_cli(["audit", "--comment", "c-1"], redis_url, prefix)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and [(r["actor"], r["action"]) for r in rows] == [("alice", "approve"),
                                                                                    ("worker", "decide")]


def test_the_moderator_defaults_to_the_user(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("u-1", "{spam=0.6}")])
    env = {**os.environ, "REDIS_URL": redis_url, "MODERATION_PREFIX": prefix, "USER": "carol"}
    subprocess.run([sys.executable, "-m", "moderation", "review", "reject", "u-1"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=60)
    assert read_audit(redis, prefix, count=1)[0].fields["actor"] == "carol"


def test_the_audit_stream_is_bounded(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given a worker whose streams are bounded to about 1000 entries
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    # When it decides 3000 comments
    for start in range(0, 3000, 500):
        handler.handle([comment(f"n-{i}", f"comment {i}") for i in range(start, start + 500)])
    # Then the audit stream stays near the bound (approximate trimming)
    assert 1000 <= redis.xlen(keys.audit_stream(prefix)) < 1500
