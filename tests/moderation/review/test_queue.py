"""The review loop: held comments, moderators' verdicts (published once, replacing the held decision), bulk
actions, reports on published decisions, and the CLI verbs, against a real Redis."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from redis import Redis

from moderation import keys
from moderation.judging.rules.trust import author_identity
from moderation.records import Author, Decision
from moderation.review.queue import ReviewQueue
from moderation.review.retention import prune_held
from tests.moderation.helpers import next_message, run_cli
from tests.moderation.review_fakes import comment, make_handler, write_policy

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


@pytest.fixture
def queue(redis: Redis, prefix: str) -> ReviewQueue:
    return ReviewQueue(redis, prefix=prefix, ttl_seconds=600, stream_maxlen=1000)


def stream_records(redis: Redis, prefix: str, cid: str) -> list[dict]:
    return [json.loads(f["record"]) for _, f in redis.xrange(keys.decisions_stream(prefix))
            if f["comment_id"] == cid]


def history(redis: Redis, prefix: str, author: str, site: str | None = None) -> dict[str, int]:
    key = keys.author_key(prefix, site, author_identity(Author(id=author)) or "")
    return {k: int(v) for k, v in redis.hgetall(key).items()}


def test_a_held_comment_waits_with_its_scores_and_reasons(redis: Redis, redis_url: str, prefix: str,
                                                          tmp_path: Path, queue: ReviewQueue) -> None:
    # Given a worker that holds a mild spam score on one site and approves a clean comment on another
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("h-1", "cheap pills {spam=0.6}", author="ann", site="news", email="ann@example.com"),
                    comment("h-2", "nice", site="blog")])
    # When the queue is listed
    held = [item.to_dict() for item in queue.pending()]
    # Then the held comment is there as submitted, with scores, reasons and the explaining words
    assert [item["id"] for item in held] == ["h-1"]
    assert held[0]["site"] == "news" and held[0]["comment"]["author"]["email"] == "ann@example.com"
    assert held[0]["scores"]["spam"] == 0.6
    assert held[0]["reasons"][0]["code"] == "spam.review" and held[0]["reasons"][0]["terms"] == ["win", "free"]
    assert [h.comment_id for h in queue.pending("news")] == ["h-1"] and queue.pending("blog") == []


def test_a_verdict_replaces_the_decision_everywhere_once(redis: Redis, redis_url: str, prefix: str,
                                                         tmp_path: Path, queue: ReviewQueue) -> None:
    # Given a held comment and a subscriber to decisions
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("v-1", "cheap pills {spam=0.6}", author="ann")])
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(keys.decisions_channel(prefix))
    # When a moderator approves it, twice
    first = queue.verdict(["v-1"], "approve", moderator="alice", reason="a real question")
    second = queue.verdict(["v-1"], "approve", moderator="alice")
    # Then the stored decision is the final approve, naming the moderator, then why it had been held
    stored = Decision.from_json(redis.get(keys.decision_key(prefix, None, "v-1")) or "")
    assert stored.decision == "approve"
    assert [r.code for r in stored.reasons] == ["moderator.approve", "spam.review"]
    assert "alice" in stored.reasons[0].message and "a real question" in stored.reasons[0].message
    # And it was appended and announced once, after the held decision; the second approve changed nothing
    assert [r["decision"] for r in stream_records(redis, prefix, "v-1")] == ["review", "approve"]
    message = next_message(pubsub)
    assert message is not None and json.loads(message["data"])["decision"] == "approve"
    assert next_message(pubsub, timeout=0.3) is None
    assert [r.status for r in first] == ["approved"] and [r.status for r in second] == ["unchanged"]
    # And the comment left the queue, and the author's history counts the approval
    assert queue.pending() == [] and history(redis, prefix, "ann") == {"approved": 1}
    pubsub.close()


def test_a_second_moderator_cannot_overturn_a_verdict_by_accident(redis: Redis, redis_url: str, prefix: str,
                                                                  tmp_path: Path, queue: ReviewQueue) -> None:
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("c-1", "{spam=0.6}")])
    queue.verdict(["c-1"], "reject", moderator="alice")
    late = queue.verdict(["c-1", "never-held"], "approve", moderator="bob")
    assert [r.status for r in late] == ["not-held", "not-held"]
    assert Decision.from_json(redis.get(keys.decision_key(prefix, None, "c-1")) or "").decision == "reject"


def test_bulk_reject_every_held_comment_of_one_author(redis: Redis, redis_url: str, prefix: str,
                                                      tmp_path: Path, queue: ReviewQueue) -> None:
    # Given held comments from a spammer on two sites and from someone else
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("b-1", "buy {spam=0.6}", author="spammer", site="news"),
                    comment("b-2", "buy now {spam=0.7}", author="spammer", site="blog"),
                    comment("b-3", "hmm {spam=0.6}", author="other", site="news", ip="192.0.2.1")])
    # When the spammer's comments are selected, on one site and everywhere, and by IP address
    assert queue.select(author_id="spammer", site="news") == ["news b-1"]  # refs: ids are scoped by site
    assert queue.select(ip="192.0.2.1") == ["news b-3"]
    results = queue.verdict(queue.select(author_id="spammer"), "reject", moderator="alice", reason="spam run")
    # Then both are rejected, and only the other author's comment still waits
    assert sorted(r.comment_id for r in results if r.status == "rejected") == ["blog b-2", "news b-1"]
    assert [h.comment_id for h in queue.pending()] == ["b-3"]
    assert history(redis, prefix, "spammer", "news") == {"rejected": 1}


def test_reports_correct_published_decisions_and_the_authors_history(redis: Redis, redis_url: str, prefix: str,
                                                                      tmp_path: Path, queue: ReviewQueue) -> None:
    # Given an approved comment (the author's history counts it)
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("r-1", "subtle spam", author="ann")])
    assert history(redis, prefix, "ann") == {"approved": 1}
    # When it is reported as spam, twice
    first = queue.report(["r-1"], "spam", moderator="alice")
    second = queue.report(["r-1"], "spam", moderator="alice")
    # Then the published decision stays, the history moves from approved to rejected once
    assert [r.status for r in first] == ["reported"] and [r.status for r in second] == ["unchanged"]
    assert Decision.from_json(redis.get(keys.decision_key(prefix, None, "r-1")) or "").decision == "approve"
    assert history(redis, prefix, "ann") == {"approved": 0, "rejected": 1}
    # And reporting it as ham after all moves it back
    queue.report(["r-1"], "ham", moderator="alice")
    assert history(redis, prefix, "ann") == {"approved": 1, "rejected": 0}


def test_a_report_on_a_held_comment_is_a_verdict(redis: Redis, redis_url: str, prefix: str, tmp_path: Path,
                                                 queue: ReviewQueue) -> None:
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("q-1", "{spam=0.6}")])
    assert [r.status for r in queue.report(["q-1"], "spam", moderator="alice")] == ["rejected"]
    assert Decision.from_json(redis.get(keys.decision_key(prefix, None, "q-1")) or "").decision == "reject"


def test_a_report_needs_the_text_when_it_is_no_longer_kept(redis: Redis, redis_url: str, prefix: str,
                                                           tmp_path: Path, queue: ReviewQueue) -> None:
    # Given a decided comment whose kept text has expired
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("t-1", "spam we no longer have")])
    redis.delete(keys.comment_text_key(prefix, None, "t-1"))
    # When it is reported without and then with its text
    assert [r.status for r in queue.report(["t-1"], "spam", moderator="alice")] == ["no-text"]
    assert [r.status for r in queue.report(["t-1"], "spam", moderator="alice", text="spam text")] == ["reported"]


def test_the_review_verbs_of_the_cli(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given held comments from two authors
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("x-1", "{spam=0.6}", author="ann", site="news"),
                    comment("x-2", "{spam=0.7}", author="bot", site="news"),
                    comment("x-3", "{spam=0.7}", author="bot", site="blog"),
                    comment("x-4", "fine", author="cat")])
    # When a moderator lists the news queue
    listed = run_cli(["review", "list", "--site", "news"], redis_url, prefix)
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert listed.returncode == 0 and [r["id"] for r in rows] == ["x-1", "x-2"]
    assert {"comment", "scores", "reasons"} <= set(rows[0])
    # And approves one, rejects every comment of the other author, and reports a published one as spam
    approve = run_cli(["review", "approve", "x-1", "--site", "news", "--moderator", "alice"], redis_url, prefix)
    bulk = run_cli(["review", "reject", "--author", "bot", "--reason", "bot"], redis_url, prefix)
    report = run_cli(["report-spam", "x-4", "--moderator", "alice"], redis_url, prefix)
    missing = run_cli(["review", "approve", "nope"], redis_url, prefix)
    # Then each prints its result per comment, and a comment that is not held exits 1
    assert approve.returncode == 0 and json.loads(approve.stdout)["status"] == "approved"
    rejected = sorted(json.loads(line)["id"] for line in bulk.stdout.splitlines())
    assert bulk.returncode == 0 and rejected == ["x-2", "x-3"]
    assert report.returncode == 0 and json.loads(report.stdout) == {"id": "x-4", "status": "reported",
                                                                     "labels": {"spam": 1}}
    assert missing.returncode == 1 and json.loads(missing.stdout)["status"] == "not-held"
    assert run_cli(["review", "list"], redis_url, prefix).stdout == ""
    assert run_cli(["review", "reject"], redis_url, prefix).returncode == 2


def test_held_comments_past_the_retention_leave_the_queue_and_their_decision_stays(
        redis: Redis, redis_url: str, prefix: str, tmp_path: Path, queue: ReviewQueue) -> None:
    # Given two held comments, one held 31 days ago (as its queue score says) and one just now
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("old-1", "cheap pills {spam=0.6}", author="ann", site="news"),
                    comment("new-1", "cheap pills again {spam=0.6}", author="bob", site="news")])
    month_ago = (time.time() - 31 * 86400) * 1000
    redis.zadd(keys.review_queue_key(prefix, "news"), {keys.comment_ref("news", "old-1"): month_ago})
    # When the sweep prunes with the default retention (30 days)
    dropped = prune_held(redis, prefix, 30 * 86400)
    # Then only the old one left the queue and the items hash; its published decision is still there
    assert dropped == 1 and [h.comment_id for h in queue.pending()] == ["new-1"]
    assert not redis.hexists(keys.review_items_key(prefix), keys.comment_ref("news", "old-1"))
    assert redis.exists(keys.decision_key(prefix, "news", "old-1"))
    assert redis.hget(keys.metrics_key(prefix), "held:expired") == "1"
