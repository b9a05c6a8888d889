"""A varied batch through the real model, the rules and the policy decides exactly as it did.

Guards the per-comment fast paths (the rules' text view and observe round trip, the policy's thresholds taken
once, the scorer's result objects): the outcome and reasons of every comment of a batch that exercises each
rule, each kind of site and each kind of author are pinned here, and what has a plain definition (scores,
terms, reason fields, key names) is recomputed from that definition.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from moderation import keys
from moderation.judging.normalize import tokenize
from moderation.judging.pipeline import moderate, validate_payloads
from moderation.judging.policy import Policy, load_policy
from moderation.judging.rules import RuleEngine
from moderation.judging.scoring import Scorer
from moderation.records import Decision
from tests.moderation.review_fakes import comment
from tests.training.tiny import trained_bundle
from training.bundle import load_bundle

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration

POLICY = """
words_file = "words.toml"

[heads.spam]
review = 0.5
reject = 0.9
discard = 0.98

[heads.toxic]
review = 0.45
reject = 0.85

[heads.insult]
review = 0.45
reject = 0.85

[heads.obscene]
review = 0.4
reject = 0.8

[rules]
max_links = 2
allow_domains = ["news.example"]
deny_domains = ["bit.ly"]
trusted_after = 0
author_rate_limit = 3
ip_rate_limit = 4
rate_window_seconds = 60
repeat_per_author = 2
repeat_authors = 3
repeat_min_chars = 20

[sites.forum.rules]
new_author_review_count = 1
review_links_from_new_authors = true

[sites.club.rules]
trusted_after = 2
trusted_max_reject_share = 0.2
trusted_skip_review_below = 0.9

[sites.kids]
review_band = false

[sites.kids.rules]
max_links = 0
extra_banned_words = ["stupid"]
"""

WORDS = 'banned = ["slurword"]\nsuspect = ["moron*", "scam"]\n'
HAM = "I think the bike lanes are a good idea"
SPAM = "Buy cheap watches now at http://promo.top/now !!!"
TOXIC = "Shut up, you idiot"
REPEATED = "Thanks for covering the budget vote, very clear"

MILD = "The bus schedule article was balanced, see b.example.org and c.example.net"  # the model holds it

#: (payload, outcome, reason codes) of the first batch, in order.
FIRST: list[tuple[dict[str, Any], str, list[str]]] = [
    (comment("d-1", HAM, author="ann"), "approve", ["ok"]),
    (comment("d-2", SPAM, author="bob"), "reject", ["spam.reject"]),
    (comment("d-3", TOXIC, author="cy"), "reject", ["toxic.reject", "insult.reject"]),
    (comment("d-4", "I think the budget vote is a scam", author="dee"), "review", ["words.suspect"]),
    (comment("d-5", "what a m0r0n, this is a scam", author="dee"), "reject", ["toxic.reject", "insult.reject"]),
    (comment("d-6", HAM + ", slurword", author="eve"), "reject", ["words.banned"]),
    (comment("d-7", "The tram line debate needs more facts: a.example.com, b.example.org, c.example.net",
             author="fay"), "review", ["spam.review", "links.too_many"]),
    (comment("d-8", "the park cleanup is on bit.ly/x7Yq, good point", author="gus"), "reject",
     ["links.denied_domain"]),
    (comment("d-9", "see bit.ly/x7Yq. e.g. 3.5 stars, did it.It was", author="gus"), "reject",
     ["spam.reject", "links.denied_domain"]),
    (comment("d-10", "e.g. this is 3.5 stars. Mr.Smith agrees... a@b.com", author="hal"), "approve", ["ok"]),
    (comment("d-11", MILD, author="hal"), "review", ["spam.review"]),
    (comment("d-12", MILD, author="old", site="club"), "approve", ["trust.skip_review"]),
    (comment("d-13", MILD + "!", author="rash", site="club"), "review", ["spam.review"]),
    (comment("d-14", HAM + " indeed", author="ivy", site="forum"), "review", ["trust.new_author"]),
    (comment("d-15", "Thanks for covering the library hours, details at www.city.example/plan", author="jon",
             site="forum"), "review", ["links.new_author", "trust.new_author"]),
    (comment("d-16", "Good point about the new bridge, see a.example.com", author="kim", site="kids"), "reject",
     ["links.too_many"]),
    (comment("d-17", "that was stupid", author="lea", site="kids"), "reject", ["words.banned"]),
    (comment("d-18", TOXIC, author="max", site="kids"), "reject", ["toxic.reject", "insult.reject"]),
    (comment("d-19", REPEATED, author="ned"), "approve", ["ok"]),
    (comment("d-20", REPEATED.upper() + "!!!", author="ned"), "review", ["repeat.author"]),
    (comment("d-21", REPEATED, email="Ola@Example.org"), "approve", ["ok"]),
    (comment("d-22", REPEATED + ".", ip="192.0.2.10"), "review", ["repeat.crowd"]),
    (comment("d-23", HAM + " really", ip="192.0.2.10"), "approve", ["ok"]),
    (comment("d-24", "Good point about the tram line", ip="192.0.2.10"), "approve", ["ok"]),
    (comment("d-25", "ＦＲＥＥ ｗａｔｃｈｅｓ at promo.top", author="pam", ip="192.0.2.10"), "reject",
     ["spam.reject"]),
]

#: The second batch (same authors and address, the same repeated text): rates and repeats add up.
SECOND: list[tuple[dict[str, Any], str, list[str]]] = [
    (comment("e-1", "Does anyone know when the bus schedule starts?", author="ann"), "approve", ["ok"]),
    (comment("e-2", "My neighbours disagree about the water prices", author="ann"), "approve", ["ok"]),
    (comment("e-3", "The library hours debate needs more facts", author="ann"), "review", ["rate.author"]),
    # known by the address's hash, so both its author rate and the address's rate count
    (comment("e-4", "Not sure the new bridge will work", ip="192.0.2.10"), "review", ["rate.author", "rate.ip"]),
    (comment("e-5", REPEATED, author="ned"), "review", ["repeat.author", "repeat.crowd"]),
    (comment("e-6", SPAM + " " + TOXIC, author="bob"), "reject", ["spam.reject"]),
]


@pytest.fixture(scope="module")
def scorer(tmp_path_factory: pytest.TempPathFactory) -> Scorer:
    path: Path = trained_bundle(str(tmp_path_factory.mktemp("models")))
    return load_bundle(path)


@pytest.fixture
def policy(tmp_path: Path) -> Policy:
    (tmp_path / "words.toml").write_text(WORDS)
    (tmp_path / "policy.toml").write_text(POLICY)
    return load_policy(tmp_path / "policy.toml")


def decide(engine: RuleEngine, scorer: Scorer, policy: Policy, batch: list[tuple[dict[str, Any], str, list[str]]],
           now: datetime) -> list[Decision]:
    """The worker's path for one batch: validate, observe (one round trip), score, rules and policy."""
    comments, invalid = validate_payloads([payload for payload, _, _ in batch])
    assert not invalid
    observations = engine.observe(comments, now.timestamp())
    return moderate(comments, scorer, policy, now=now, rules=engine, observations=observations)


def test_a_varied_batch_gets_the_same_decisions(redis: Redis, prefix: str, scorer: Scorer, policy: Policy) -> None:
    # Given the tiny model, a policy with every rule on, and two batches from many kinds of authors and sites
    engine = RuleEngine(redis, policy, prefix)
    now = datetime(2026, 11, 28, 9, 0, 30, tzinfo=UTC)
    redis.hset(keys.author_key(prefix, "club", "id:old"), mapping={"approved": 4, "rejected": 1})
    redis.hset(keys.author_key(prefix, "club", "id:rash"), mapping={"approved": 4, "rejected": 2})
    # When both batches are moderated
    decisions = decide(engine, scorer, policy, FIRST, now) + decide(engine, scorer, policy, SECOND, now)
    batch = FIRST + SECOND
    # Then each comment has its pinned outcome and reasons, and only blatant spam rejected by the model is discard
    got = [(d.comment_id, d.decision, [r.code for r in d.reasons]) for d in decisions]
    assert got == [(payload["id"], outcome, codes) for payload, outcome, codes in batch]
    assert [d.comment_id for d in decisions if d.discard] == [
        d.comment_id for d in decisions if d.reasons[0].code == "spam.reject" and d.scores["spam"] >= 0.98]
    # And the scores are the model's probabilities rounded to 4 places
    scored = scorer.score_batch([payload["body"] for payload, _, _ in batch], explain=True, top_k=5)
    for decision, heads in zip(decisions, scored, strict=True):
        assert decision.scores == {head: round(s.probability, 4) for head, s in heads.items()}
        assert list(decision.scores) == list(scorer.heads)
        # And every model reason names its head, score, threshold and strongest positive terms
        for reason in decision.reasons:
            if reason.head is None:
                continue
            level = reason.code.rsplit(".", 1)[1]
            site = policy.for_site(decision.site)
            limits = site.heads[reason.head]
            threshold = (limits.reject if level == "reject" else limits.review) if site.review_band else limits.cutoff
            assert reason.score == decision.scores[reason.head]
            assert reason.message == (f"{reason.head} score {reason.score:.2f} is at or above the {level} threshold "
                                      f"{threshold:.2f}")
            contributions = heads[reason.head].contributions
            assert reason.terms == tuple(name for name, weight in contributions if weight > 0)[:5]
    # And rule reasons on the site without a review band say why a hold became a reject
    kids = {d.comment_id: d for d in decisions if d.site == "kids"}
    assert kids["d-16"].reasons[0].message.endswith("(this site has no review queue)")
    assert kids["d-17"].reasons[0].terms == ("stupid",)


def test_counter_keys_are_named_by_the_keyed_hash_and_the_text_fingerprint(
        redis: Redis, prefix: str, scorer: Scorer, policy: Policy, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a hash key, and a comment from an address whose text is long enough to be counted for repeats
    monkeypatch.setenv("MODERATION_HASH_KEY", "a-test-secret")
    engine = RuleEngine(redis, policy, prefix)
    now = datetime(2026, 11, 28, 9, 0, 30, tzinfo=UTC)
    body = "FREE   1Phone!!! for the first 100 readers"
    # When it is moderated
    decide(engine, scorer, policy, [(comment("k-1", body, author="ann", ip="2001:DB8::77"), "", [])], now)
    # Then its counters are named by the HMAC-SHA256 of the address (lowercased) and the BLAKE2b of its
    # normalized words
    ip_hash = hmac.new(b"a-test-secret", b"2001:db8::77", hashlib.sha256).hexdigest()[:16]
    fingerprint = hashlib.blake2b(" ".join(tokenize(body)).encode(), digest_size=10).hexdigest()
    bucket = int(now.timestamp() // 60)
    assert set(redis.scan_iter(f"{prefix}:rate:*")) == {f"{prefix}:rate:~:author:id:ann:{bucket}",
                                                       f"{prefix}:rate:~:ip:{ip_hash}:{bucket}"}
    assert set(redis.scan_iter(f"{prefix}:repeat:*")) == {f"{prefix}:repeat:~:{fingerprint}"}
