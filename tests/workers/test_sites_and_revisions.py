"""Decisions land on the right comment: ids scoped by site, and verdicts bound to the revision the moderator saw.

Real worker processes on a real Redis; the two sites submit raw, as backends in other languages do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from redis import Redis

from harness.tally import wait_until
from moderation import keys
from moderation.review.queue import STALE, ReviewQueue
from tests.workers.conftest import RunningWorker
from tests.workers.test_end_to_end import client_for
from tests.workers.test_wire_contract import hand_built_message

pytestmark = pytest.mark.integration

FRIENDLY = "Thank you, the photos of the regatta are wonderful."
ABUSIVE = "You are a pathetic idiot and everyone here hates you, shut up"
# Held as a language the model does not support (the shipped policy holds those for a moderator).
HARMLESS_HELD = "Спасибо за интересную статью о регате"
SPAM_HELD = "Заработай пять тысяч долларов в неделю, пиши мне в телеграм"


def cli(worker: RunningWorker, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDIS_URL": worker.redis_url, "MODERATION_PREFIX": worker.prefix,
           "MODERATION_QUEUE": worker.queue}
    return subprocess.run([sys.executable, "-m", "moderation", *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def raw_site_submit(redis: Redis, worker: RunningWorker, comment: dict[str, object], now_ms: int) -> None:
    """The README's raw submission of a comment with a site: its pending entries are named ``<site> <id>``."""
    ref = f"{comment['site']} {comment['id']}"
    assert redis.execute_command("MULTI") == "OK"
    redis.execute_command("ZADD", f"{worker.prefix}:pending", "NX", now_ms, ref)
    redis.execute_command("HSET", f"{worker.prefix}:pending:payload", ref, json.dumps(comment))
    redis.execute_command("LPUSH", worker.queue, hand_built_message(worker.queue, [comment], now_ms))
    assert redis.execute_command("EXEC")


def test_two_sites_comment_1001_are_two_comments_with_their_own_decisions(worker: RunningWorker, uid: str) -> None:
    redis = Redis.from_url(worker.redis_url, decode_responses=True)
    comment_id = f"1001-{uid}"
    # Given site-a and site-b both submit comment 1001 raw, with different bodies
    now = int(time.time() * 1000)
    raw_site_submit(redis, worker, {"id": comment_id, "site": "site-a", "body": FRIENDLY}, now)
    raw_site_submit(redis, worker, {"id": comment_id, "site": "site-b", "body": ABUSIVE}, now)
    # Then each gets its own first decision (revision 1), neither replacing the other
    client = client_for(worker)
    assert wait_until(lambda: all(client.decision(comment_id, site=s) for s in ("site-a", "site-b")), 90)
    a, b = client.decision(comment_id, site="site-a"), client.decision(comment_id, site="site-b")
    assert a is not None and b is not None
    assert (a.decision, a.site, a.revision) == ("approve", "site-a", 1)
    assert b.decision in {"review", "reject"} and (b.site, b.revision) == ("site-b", 1)
    assert client.decision(comment_id) is None  # no site: another comment again
    entries = [f for _, f in redis.xrange(keys.decisions_stream(worker.prefix)) if f["comment_id"] == comment_id]
    assert sorted((f["site"], f["revision"]) for f in entries) == [("site-a", "1"), ("site-b", "1")]
    # and nothing of either stays pending
    assert redis.zscore(keys.pending_key(worker.prefix), f"site-a {comment_id}") is None
    assert redis.zscore(keys.pending_key(worker.prefix), f"site-b {comment_id}") is None
    # And the CLI answers per site
    shown = cli(worker, "decision", comment_id, "--site", "site-a")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["decision"] == "approve"
    assert cli(worker, "decision", comment_id).returncode == 8  # unknown without its site


def test_a_verdict_on_a_comment_edited_since_the_moderator_opened_it_is_refused(worker: RunningWorker,
                                                                                uid: str) -> None:
    client = client_for(worker)
    queue = ReviewQueue(client.redis, prefix=worker.prefix)
    comment_id, site = f"bait-{uid}", "news"
    ref = keys.comment_ref(site, comment_id)
    # Given a harmless comment held for review, as the moderator opens it (revision 1)
    client.submit({"id": comment_id, "site": site, "body": HARMLESS_HELD, "lang": "en"})
    assert wait_until(lambda: (queue.get([ref])[ref] or None) is not None, 90), "not held"
    opened = queue.get([ref])[ref]
    assert opened is not None and opened.revision == 1
    # When the author edits it (held again, as revision 2) before the moderator clicks Approve
    assert client.submit({"id": comment_id, "site": site, "body": SPAM_HELD, "lang": "en"}).revision == 2
    assert wait_until(lambda: (held := queue.get([ref])[ref]) is not None and held.revision == 2, 90)
    # Then the approval of what the moderator saw is refused, from the CLI and the library alike
    refused = cli(worker, "review", "approve", comment_id, "--site", site, "--revision", "1")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    line = json.loads(refused.stdout)
    assert line["status"] == STALE and "edited since you opened it" in line["error"]
    assert queue.verdict([ref], "approve", moderator="mod", seen={ref: 1})[0].status == STALE
    decision = client.decision(comment_id, site=site)
    assert decision is not None and decision.decision == "review" and decision.revision == 2
    # When the moderator looks again and rejects what is there now
    done = queue.verdict([ref], "reject", moderator="mod", seen={ref: 2})[0]
    assert done.status == "rejected"
    # Then the published verdict carries the comment's current revision, in the record and the stream
    final = client.decision(comment_id, site=site)
    assert final is not None and final.decision == "reject" and final.revision == 2
    entries = [f for _, f in client.redis.xrange(keys.decisions_stream(worker.prefix))
               if f["comment_id"] == comment_id and f.get("site") == site]
    assert [(f["decision"], f["revision"]) for f in entries][-1] == ("reject", "2")
