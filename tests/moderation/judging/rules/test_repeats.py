"""Repeat posts and rate limits, counted in Redis for a whole batch in one round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from moderation.judging.rules import RuleEngine
from moderation.records import Author, Comment
from tests.moderation.helpers import stored_record
from tests.moderation.review_fakes import comment, make_handler, write_policy

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration

SPAM_TEXT = "Earn 500 dollars a day from home, ask me how"


def outcome(redis: Redis, prefix: str, cid: str) -> tuple[str, list[str]]:
    record = json.loads(stored_record(redis, prefix, cid) or "{}")
    return record.get("decision", "none"), [r["code"] for r in record.get("reasons", [])]


def test_the_same_text_again_from_one_author_is_held(redis: Redis, redis_url: str, prefix: str,
                                                     tmp_path: Path) -> None:
    # Given a policy flagging the 2nd copy from one author
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path, repeat_per_author=2))
    # When an author posts a text, then the same text restyled, and another author posts it once
    handler.handle([comment("r-1", SPAM_TEXT, author="a")])
    handler.handle([comment("r-2", SPAM_TEXT.upper() + "!!!", author="a"), comment("r-3", SPAM_TEXT, author="b")])
    # Then the first copy is approved, the repeat is held, and the other author is not affected
    assert outcome(redis, prefix, "r-1") == ("approve", ["ok"])
    assert outcome(redis, prefix, "r-2") == ("review", ["repeat.author"])
    assert outcome(redis, prefix, "r-3")[0] == "approve"


def test_the_same_text_from_many_authors_is_caught(redis: Redis, redis_url: str, prefix: str,
                                                   tmp_path: Path) -> None:
    # Given a policy rejecting a text once 3 authors posted it
    policy = write_policy(tmp_path, repeat_authors=3, repeat_action="reject")
    handler = make_handler(redis, redis_url, prefix, policy)
    # When 4 authors (one of them anonymous) post it in one batch, and a short "thanks" is posted 4 times
    handler.handle([comment(f"c-{i}", SPAM_TEXT, author=f"u{i}" if i else None) for i in range(4)]
                   + [comment(f"t-{i}", "Thanks!", author=f"u{i}") for i in range(4)])
    # Then the 3rd and 4th copies are rejected as a crowd repeat, and short texts never count
    assert [outcome(redis, prefix, f"c-{i}")[0] for i in range(4)] == ["approve", "approve", "reject", "reject"]
    assert outcome(redis, prefix, "c-3")[1] == ["repeat.crowd"]
    assert {outcome(redis, prefix, f"t-{i}")[0] for i in range(4)} == {"approve"}


def test_repeats_are_counted_per_site_and_expire(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path, repeat_per_author=2,
                                                                           repeat_window_seconds=60))
    handler.handle([comment("s-1", SPAM_TEXT, author="a", site="one"), comment("s-2", SPAM_TEXT, author="a",
                                                                               site="two")])
    assert outcome(redis, prefix, "s-2")[0] == "approve"
    ttls = [redis.ttl(k) for k in redis.scan_iter(f"{prefix}:repeat:*")]
    assert len(ttls) == 2 and all(0 < t <= 60 for t in ttls)


def test_per_author_and_per_ip_rate_limits(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given at most 3 comments per author and 4 per IP address a minute
    policy = write_policy(tmp_path, author_rate_limit=3, ip_rate_limit=4, rate_window_seconds=60)
    handler = make_handler(redis, redis_url, prefix, policy)
    # When one author posts 4 different comments, then others post from the same IP address
    handler.handle([comment(f"a-{i}", f"Comment number {i}", author="fast", ip="203.0.113.9") for i in range(4)])
    handler.handle([comment("b-1", "Another voice", author="other", ip="203.0.113.9"),
                    comment("b-2", "A third voice", author="third", ip="198.51.100.1")])
    # Then the author's 4th comment is held for the author's rate, the 5th from the IP for the IP's rate
    assert [outcome(redis, prefix, f"a-{i}")[0] for i in range(4)] == ["approve"] * 3 + ["review"]
    assert outcome(redis, prefix, "a-3")[1] == ["rate.author"]
    assert outcome(redis, prefix, "b-1") == ("review", ["rate.ip"])
    assert outcome(redis, prefix, "b-2")[0] == "approve"
    # And no raw IP address is in any key name
    assert not [k for k in redis.scan_iter(f"{prefix}:*") if "203.0.113.9" in k]


def test_a_retried_batch_does_not_count_its_repeats_twice(redis: Redis, prefix: str, tmp_path: Path) -> None:
    # Given a batch observed once (then, say, publishing failed and the batch is retried)
    policy = write_policy(tmp_path, repeat_per_author=2)
    engine = RuleEngine(redis, policy, prefix)
    batch = [Comment(id="x-1", body=SPAM_TEXT, author=Author(id="a"))]
    engine.observe(batch)
    # When the same comment is observed again
    again = engine.observe(batch)[0]
    # Then it is still the author's first copy
    assert again.counts.same_author == 1


def test_a_batch_costs_one_round_trip(redis: Redis, prefix: str, tmp_path: Path) -> None:
    # Given an engine with every counting rule on, and a count of what is sent to Redis
    policy = write_policy(tmp_path, repeat_per_author=2, repeat_authors=3, author_rate_limit=5,
                          ip_rate_limit=5, trusted_after=3)
    engine = RuleEngine(redis, policy, prefix)
    engine.observe([Comment(id="warm-up", body=SPAM_TEXT)])  # loads the script
    sent: list[str] = []
    original_command, original_pipeline = redis.execute_command, redis.pipeline

    def command(*args: Any, **kwargs: Any) -> Any:
        sent.append(str(args[0]))
        return original_command(*args, **kwargs)

    def pipeline(*args: Any, **kwargs: Any) -> Any:
        sent.append("pipeline")
        return original_pipeline(*args, **kwargs)

    redis.execute_command = command  # type: ignore[method-assign]
    redis.pipeline = pipeline  # type: ignore[method-assign]
    # When a batch of 100 comments from 100 authors and IP addresses is observed
    batch = [Comment(id=f"b-{i}", body=f"{SPAM_TEXT} {i}", author=Author(id=f"u{i}", ip=f"192.0.2.{i}"))
             for i in range(100)]
    observations = engine.observe(batch)
    # Then Redis was asked once, and every comment got its counts and history
    assert sent == ["EVALSHA"]
    assert all(o.counts.author_rate == 1 and o.counts.same_author == 1 and o.history is not None
               for o in observations)


def test_a_redelivered_comment_is_found_decided_and_not_counted_again(redis: Redis, redis_url: str, prefix: str,
                                                                       tmp_path: Path) -> None:
    # Given an author limited to 2 comments a minute whose comment was decided once
    policy = write_policy(tmp_path, author_rate_limit=2, rate_window_seconds=60)
    handler = make_handler(redis, redis_url, prefix, policy)
    handler.handle([comment("d-1", "A first thought", author="slow")])
    # When that message is delivered twice more (a lost worker's redelivery), then the author posts again
    again = [handler.handle([comment("d-1", "A first thought", author="slow")]) for _ in range(2)]
    handler.handle([comment("d-2", "A second thought", author="slow")])
    # Then the redeliveries published nothing and did not count towards the rate: the 2nd comment is approved
    assert [(r.published, r.duplicates) for r in again] == [(0, 1), (0, 1)]
    assert outcome(redis, prefix, "d-2") == ("approve", ["ok"])
    # And the rule engine reports the decided comment as such, with no counts
    observed = RuleEngine(redis, policy, prefix).observe([Comment(id="d-1", body="A first thought",
                                                                  author=Author(id="slow"))])[0]
    assert observed.decided and observed.counts.author_rate == 0
