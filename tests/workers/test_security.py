"""Security with real processes: raw emails and IP addresses never reach the worker's log or the feedback export."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis

from harness.tally import wait_all_decided
from moderation.intake.client import ModerationClient, Receipt
from moderation.review.queue import ReviewQueue
from tests.workers.conftest import RunningWorker

# Every test here runs real worker processes on a real Redis.
pytestmark = pytest.mark.integration


def test_raw_emails_and_ips_are_never_logged_or_exported(worker: RunningWorker, uid: str, tmp_path: Path) -> None:
    # Given comments with distinctive emails and IPs, some of them spam and abuse
    redis = Redis.from_url(worker.redis_url, decode_responses=True)
    client = ModerationClient(redis, prefix=worker.prefix, queue=worker.queue, batch_size=10)
    bodies = ["Thanks, a helpful article.", "EARN $5000 a week from home!!! Visit www.quick-cash-profits.biz now",
              "You are a pathetic idiot, shut up", "   "]
    emails = [f"secret.{uid}.{i}@private-mail.example" for i in range(30)]
    ips = [f"203.0.{113 if i % 2 else 114}.{100 + i}" for i in range(30)]
    payloads = [{"id": f"pii-{uid}-{i}", "body": bodies[i % 3] + f" #{i}", "site": "news",
                 "author": {"id": f"pii-author-{i % 5}", "email": emails[i], "ip": ips[i]}} for i in range(30)]
    # When they are moderated, reported by a moderator, and the feedback is exported
    ids = [r.ref for r in client.submit_many(payloads) if isinstance(r, Receipt)]
    counts = wait_all_decided(redis, worker.prefix, ids, 120)
    assert counts.lost == 0
    ReviewQueue(redis, prefix=worker.prefix).report(ids[:10], "spam", moderator="mod")
    out = tmp_path / "feedback.jsonl"
    env = {**os.environ, "REDIS_URL": worker.redis_url, "MODERATION_PREFIX": worker.prefix,
           "MODERATION_QUEUE": worker.queue}
    result = subprocess.run([sys.executable, "-m", "moderation", "export-feedback", "--out", str(out)], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    exported = out.read_text(encoding="utf-8")
    assert exported.strip(), "the export should hold the reported comments"
    # Then neither the worker's log nor the export (nor the CLI's output) holds a raw email or IP
    log = worker.log_file.read_text(encoding="utf-8", errors="replace")
    for text, where in ((log, "worker log"), (exported, "feedback export"), (result.stdout + result.stderr, "cli")):
        leaked = [v for v in emails + ips if v in text]
        assert not leaked, f"{where} contains {leaked[:3]}"
        assert "private-mail.example" not in text, where
