"""The policy: thresholds to outcomes, per-site overrides, the review band switch, validation."""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path

import pytest

from moderation.judging.policy import HeadThresholds, PolicyError, SitePolicy, load_policy
from moderation.records import Outcome, Reason
from moderation.settings import PROJECT_ROOT

POLICY = """
[heads.spam]
review = 0.5
reject = 0.9

[heads.toxic]
review = 0.4
reject = 0.8

[sites.strict]
review_band = false

[sites.strict.heads.toxic]
reject_without_review = 0.3

[sites.lenient.heads.spam]
review = 0.7
"""


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY)
    return path


@pytest.mark.parametrize(("scores", "outcome", "codes"), [
    ({"spam": 0.1, "toxic": 0.1}, "approve", ["ok"]),
    ({"spam": 0.6, "toxic": 0.1}, "review", ["spam.review"]),
    ({"spam": 0.95, "toxic": 0.5}, "reject", ["spam.reject"]),
    ({"spam": 0.6, "toxic": 0.45}, "review", ["spam.review", "toxic.review"]),
    ({"spam": 0.9, "toxic": 0.0}, "reject", ["spam.reject"]),  # thresholds are inclusive
])
def test_scores_map_to_outcomes_with_reasons(policy_file: Path, scores: dict[str, float], outcome: str,
                                             codes: list[str]) -> None:
    decided, reasons = load_policy(policy_file).for_site(None).decide(scores, {"spam": ("bit.ly",)})
    assert decided == outcome
    assert [r.code for r in reasons] == codes


def test_reasons_carry_head_score_and_terms(policy_file: Path) -> None:
    _, reasons = load_policy(policy_file).for_site(None).decide({"spam": 0.97}, {"spam": ("crypto", "bit.ly")})
    assert reasons[0].head == "spam" and reasons[0].score == 0.97 and reasons[0].terms == ("crypto", "bit.ly")


def test_a_site_without_review_band_only_approves_or_rejects(policy_file: Path) -> None:
    # Given the strict site, which switched the review band off
    strict = load_policy(policy_file).for_site("strict")
    # Then every score gives approve or reject, at the cutoff (spam: halfway; toxic: its own)
    assert strict.decide({"spam": 0.69, "toxic": 0.0})[0] == "approve"
    assert strict.decide({"spam": 0.70, "toxic": 0.0})[0] == "reject"
    assert strict.decide({"spam": 0.0, "toxic": 0.3})[0] == "reject"
    assert {strict.decide({"spam": s / 20, "toxic": s / 20})[0] for s in range(21)} == {"approve", "reject"}


def test_site_overrides_merge_with_defaults(policy_file: Path) -> None:
    lenient = load_policy(policy_file).for_site("lenient")
    assert lenient.decide({"spam": 0.6})[0] == "approve"
    assert lenient.decide({"toxic": 0.5})[0] == "review"


def test_an_unknown_site_gets_the_default(policy_file: Path) -> None:
    assert load_policy(policy_file).for_site("nobody").decide({"spam": 0.6})[0] == "review"


def test_mentions_are_scored_apart_unless_the_policy_or_a_site_says_not(tmp_path: Path) -> None:
    # Given a policy that does not say, and one that switches mentions apart off except for one site
    unsaid, off = tmp_path / "unsaid.toml", tmp_path / "off.toml"
    unsaid.write_text(POLICY)
    off.write_text("mentions_apart = false\n" + POLICY + "\n[sites.forum]\nmentions_apart = true\n")
    # When each site's policy is read
    # Then mentions are scored apart by default, and each site follows its own setting or the default one
    assert load_policy(unsaid).for_site(None).mentions_apart is True
    assert load_policy(unsaid).for_site("strict").mentions_apart is True
    assert load_policy(off).for_site(None).mentions_apart is False
    assert load_policy(off).for_site("strict").mentions_apart is False
    assert load_policy(off).for_site("forum").mentions_apart is True


def _reference_decide(site: SitePolicy, scores: Mapping[str, float],
                      terms: Mapping[str, tuple[str, ...]]) -> tuple[Outcome, tuple[Reason, ...]]:
    """The original decision: each head's thresholds read from the site's heads on every call."""
    rejects: list[Reason] = []
    reviews: list[Reason] = []

    def reason(head: str, level: str, score: float, threshold: float) -> Reason:
        return Reason(code=f"{head}.{level}", head=head, score=round(score, 4), terms=tuple(terms.get(head, ())),
                      message=f"{head} score {score:.2f} is at or above the {level} threshold {threshold:.2f}")

    for head, limits in site.heads.items():
        score = scores.get(head)
        if score is None:
            continue
        if site.review_band:
            if score >= limits.reject:
                rejects.append(reason(head, "reject", score, limits.reject))
            elif score >= limits.review:
                reviews.append(reason(head, "review", score, limits.review))
        elif score >= limits.cutoff:
            rejects.append(reason(head, "reject", score, limits.cutoff))
    if rejects:
        return "reject", tuple(sorted(rejects, key=lambda r: -(r.score or 0)))
    if reviews:
        return "review", tuple(sorted(reviews, key=lambda r: -(r.score or 0)))
    return "approve", (Reason(code="ok", message="every score is below its review threshold"),)


def test_decisions_and_discard_are_exactly_the_original_ones() -> None:
    # Given sites with and without a review band, with and without discard levels, and many scores (ties,
    # thresholds hit exactly, heads missing from the scores, heads the site does not know)
    rng = random.Random(3)
    levels = [0.0, 0.3, 0.45, 0.5, 0.5, 0.7, 0.85, 0.9, 0.98, 1.0]
    checked = {"approve": 0, "review": 0, "reject": 0}
    discarded = 0
    for _ in range(300):
        heads = {}
        for head in rng.sample(["spam", "toxic", "threat", "insult"], rng.randrange(0, 5)):
            review, reject = sorted(rng.sample(levels, 2))
            heads[head] = HeadThresholds(review=review, reject=reject,
                                         reject_without_review=rng.choice([None, rng.choice(levels)]),
                                         discard=rng.choice([None, max(reject, rng.choice(levels))]))
        site = SitePolicy(review_band=rng.random() < 0.7, heads=heads)
        for _ in range(20):
            scores = {head: rng.choice([*levels, round(rng.random(), 4)])
                      for head in rng.sample(["spam", "toxic", "threat", "insult", "other"], rng.randrange(0, 6))}
            terms = {head: ("win", "free") for head in scores if rng.random() < 0.5}
            # When the site decides / Then outcome, reasons and the discard flag are the original ones
            decided = site.decide(scores, terms)
            assert decided == _reference_decide(site, scores, terms), (site, scores)
            expected_discard = any(limits.discard is not None and scores.get(head, 0.0) >= limits.discard
                                   for head, limits in heads.items())
            assert site.discard(scores) is expected_discard
            checked[decided[0]] += 1
            discarded += expected_discard
    # And every outcome, and discard, came up often
    assert min(checked.values()) > 500 and discarded > 200


@pytest.mark.parametrize(("text", "complaint"), [
    ("[heads.spam]\nreview = 1.5\nreject = 0.9\n", "between 0 and 1"),
    ("[heads.spam]\nreview = 0.9\nreject = 0.5\n", "must not be above"),
    ("[heads.spam]\nreview = 0.5\n", "needs both review and reject"),
    ("[heads.spam]\nreview = 0.5\nreject = 0.9\nfoo = 1\n", "Unknown field"),
    ("review_band = 'maybe'\n", "review_band"),
    ("mentions_apart = 'sometimes'\n", "mentions_apart"),
    ("[heads.spam\n", "not valid TOML"),
])
def test_invalid_policies_are_refused_with_the_setting_named(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=complaint.replace("(", r"\(")):
        load_policy(path)


def test_the_shipped_policy_is_valid() -> None:
    policy = load_policy(PROJECT_ROOT / "config" / "policy.toml")
    assert {"spam", "toxic"} <= set(policy.default.heads)
    assert policy.for_site("kids-news").review_band is False
