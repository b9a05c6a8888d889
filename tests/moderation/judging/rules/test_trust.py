"""Author trust from history: new authors held when a site asks, trusted authors spared mild reviews."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from redis import Redis

from moderation import keys
from moderation.logs import keyed_hash
from moderation.review.queue import ReviewQueue
from tests.moderation.helpers import stored_record
from tests.moderation.review_fakes import comment, make_handler, write_policy

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


def outcome(redis: Redis, prefix: str, cid: str) -> tuple[str, list[str]]:
    record = json.loads(stored_record(redis, prefix, cid) or "{}")
    return record.get("decision", "none"), [r["code"] for r in record.get("reasons", [])]


def history(redis: Redis, prefix: str, site: str | None, identity: str) -> dict[str, int]:
    return {k: int(v) for k, v in redis.hgetall(keys.author_key(prefix, site, identity)).items()}


def test_worker_decisions_build_the_authors_history(redis: Redis, redis_url: str, prefix: str,
                                                    tmp_path: Path) -> None:
    # Given a worker / When an author gets an approve, a reject and a review
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("h-1", "fine"), comment("h-2", "{spam=0.95}"), comment("h-3", "{spam=0.6}")])
    handler.handle([comment("h-4", "fine", author="ann"), comment("h-5", "{spam=0.95}", author="ann"),
                    comment("h-6", "{spam=0.6}", author="ann")])
    # Then one approved and one rejected are counted (the review waits for its verdict)
    assert history(redis, prefix, None, "id:ann") == {"approved": 1, "rejected": 1}


def test_authors_without_id_are_known_by_a_keyed_hash(redis: Redis, redis_url: str, prefix: str,
                                                      tmp_path: Path) -> None:
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("e-1", "fine", email="Jane@Example.com", ip="192.0.2.7")])
    assert history(redis, prefix, None, f"email:{keyed_hash('jane@example.com')}") == {"approved": 1}
    assert not [k for k in redis.scan_iter(f"{prefix}:*") if "example.com" in k.lower() or "192.0.2.7" in k]


def test_a_new_authors_first_comments_wait_for_a_moderator(redis: Redis, redis_url: str, prefix: str,
                                                          tmp_path: Path) -> None:
    # Given a site that holds authors' comments until 2 were approved
    policy = write_policy(tmp_path, "\n[sites.forum.rules]\nnew_author_review_count = 2\n")
    handler = make_handler(redis, redis_url, prefix, policy)
    queue = ReviewQueue(redis, prefix=prefix)
    # When a new author posts, and a moderator approves, twice
    for n in (1, 2):
        handler.handle([comment(f"n-{n}", f"hello number {n}", author="newbie", site="forum")])
        assert outcome(redis, prefix, f"n-{n}") == ("review", ["trust.new_author"])
        queue.verdict([f"forum n-{n}"], "approve", moderator="mod")  # ids are scoped by site
    # Then the third comment is approved by the worker, and other sites never held them
    handler.handle([comment("n-3", "hello again", author="newbie", site="forum"),
                    comment("n-4", "hello", author="someone", site="blog")])
    assert outcome(redis, prefix, "n-3") == ("approve", ["ok"])
    assert outcome(redis, prefix, "n-4") == ("approve", ["ok"])


def test_trusted_authors_skip_review_for_mild_scores_only(redis: Redis, redis_url: str, prefix: str,
                                                          tmp_path: Path) -> None:
    # Given authors trusted after 3 approved comments (at most 10% rejected), mild below 0.7
    policy = write_policy(tmp_path, trusted_after=3, trusted_max_reject_share=0.1, trusted_skip_review_below=0.7)
    handler = make_handler(redis, redis_url, prefix, policy)
    handler.handle([comment(f"t-{i}", f"good comment {i}", author="regular") for i in range(3)])
    handler.handle([comment(f"u-{i}", f"good comment {i}", author="mixed") for i in range(3)]
                   + [comment("u-x", "{spam=0.95}", author="mixed")])
    # When the trusted author posts a mild and a stronger score, and others post the mild one
    handler.handle([comment("m-1", "{spam=0.6}", author="regular"), comment("m-2", "{spam=0.8}", author="regular"),
                    comment("m-3", "{spam=0.6}", author="mixed"), comment("m-4", "{spam=0.6}", author="stranger")])
    # Then only the trusted author's mild comment is approved, saying why
    record = json.loads(redis.get(f"{prefix}:decision:m-1") or "{}")
    assert record["decision"] == "approve" and record["reasons"][0]["code"] == "trust.skip_review"
    assert record["reasons"][0]["terms"] == ["spam=0.60"]
    assert outcome(redis, prefix, "m-2")[0] == "review"
    assert outcome(redis, prefix, "m-3")[0] == "review"     # 1 of 4 rejected is more than 10%
    assert outcome(redis, prefix, "m-4")[0] == "review"


def test_a_trusted_author_still_meets_the_rules(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    policy = write_policy(tmp_path, words='suspect = ["idiot"]\n', trusted_after=1)
    handler = make_handler(redis, redis_url, prefix, policy)
    handler.handle([comment("g-1", "good comment", author="regular")])
    handler.handle([comment("g-2", "you idiot {spam=0.6}", author="regular")])
    assert outcome(redis, prefix, "g-2") == ("review", ["spam.review", "words.suspect"])


def test_a_site_without_review_rejects_what_rules_would_hold(redis: Redis, redis_url: str, prefix: str,
                                                             tmp_path: Path) -> None:
    # Given a site with no review queue that also asks to hold new authors (which it then cannot)
    policy = write_policy(tmp_path, "\n[sites.kids]\nreview_band = false\n[sites.kids.rules]\n"
                                    "max_links = 0\nnew_author_review_count = 1\n", words='suspect = ["idiot"]\n')
    handler = make_handler(redis, redis_url, prefix, policy)
    # When a suspect word, a link and a plain comment are posted there
    handler.handle([comment("k-1", "idiot", site="kids"), comment("k-2", "see example.com", site="kids"),
                    comment("k-3", "I liked it", site="kids")])
    # Then the first two are rejected and the plain one approved
    assert outcome(redis, prefix, "k-1") == ("reject", ["words.suspect"])
    assert outcome(redis, prefix, "k-2") == ("reject", ["links.too_many"])
    assert outcome(redis, prefix, "k-3") == ("approve", ["ok"])
