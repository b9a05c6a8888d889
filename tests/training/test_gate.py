"""The promotion gate on constructed scores and reports: evidence decides which heads can veto."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from training.gate import (
    MIN_CLASS_EXAMPLES,
    Verdict,
    delong_paired,
    fairness_blocks,
    hanley_mcneil_variance,
    judge_recorded,
    judge_scores,
    require_evidence,
)

HEADS = ("spam", "toxic", "threat")


def _scores(rng: np.random.Generator, positives: int, negatives: int, separation: float) -> tuple:
    """Labels and scores whose classes are ``separation`` standard deviations apart."""
    y = np.r_[np.ones(positives, int), np.zeros(negatives, int)]
    return y, rng.normal(size=y.size) + separation * y


def test_delong_gives_sklearns_aucs_and_no_variance_for_identical_models() -> None:
    rng = np.random.default_rng(1)
    y, p = _scores(rng, 40, 60, 1.0)
    q = p + rng.normal(scale=0.5, size=p.size)
    auc_new, auc_old, variance = delong_paired(y, p, q)
    assert auc_new == pytest.approx(roc_auc_score(y, p)) and auc_old == pytest.approx(roc_auc_score(y, q))
    assert 0 < variance < 0.01
    assert delong_paired(y, p, p)[2] == pytest.approx(0.0, abs=1e-12)


def test_delong_variance_matches_a_paired_bootstrap() -> None:
    # Given two correlated scorings of 300 examples
    rng = np.random.default_rng(2)
    y, p = _scores(rng, 100, 200, 1.0)
    q = p + rng.normal(scale=0.8, size=p.size)
    _, _, variance = delong_paired(y, p, q)
    # When the difference is bootstrapped (resampling examples, both models together)
    deltas = []
    for _ in range(400):
        i = rng.integers(0, y.size, y.size)
        if 0 < y[i].sum() < y.size:
            deltas.append(roc_auc_score(y[i], p[i]) - roc_auc_score(y[i], q[i]))
    # Then the two variances agree within sampling error
    assert variance == pytest.approx(np.var(deltas), rel=0.35)


def test_hanley_mcneil_by_hand() -> None:
    # AUC 0.5: Q1 = Q2 = 1/3, so variance = (0.25 + 9/12 + 9/12) / 100 with 10 of each class
    assert hanley_mcneil_variance(0.5, 10, 10) == pytest.approx(0.0175)


def _pair(rng: np.random.Generator, positives: int, negatives: int, new_sep: float, old_sep: float) -> tuple:
    y, base = _scores(rng, positives, negatives, 0.0)
    noise = rng.normal(size=y.size)
    return (y, base + new_sep * y + 0.3 * noise), (y, base + old_sep * y + 0.3 * noise)


def test_a_head_with_three_positives_cannot_veto_a_large_gain_elsewhere() -> None:
    # Given a candidate much better on spam and toxic (hundreds of examples), worse on threat (3 positives)
    rng = np.random.default_rng(3)
    spam, toxic, threat = _pair(rng, 300, 900, 2.5, 1.0), _pair(rng, 200, 800, 2.0, 1.0), _pair(rng, 3, 400, 0.0, 3.0)
    new = {"spam": spam[0], "toxic": toxic[0], "threat": threat[0]}
    old = {"spam": spam[1], "toxic": toxic[1], "threat": threat[1]}
    # When judged
    verdict = judge_scores(Verdict("cand", "cur", "eval.jsonl (1,600 examples)"), new, old, HEADS, HEADS)
    # Then it passes: threat is shown as worse but lacks the evidence to veto
    by_head = {h.head: h for h in verdict.heads}
    assert verdict.passed
    assert by_head["spam"].status == by_head["toxic"].status == "better"
    assert by_head["threat"].status == "too little evidence" and by_head["threat"].delta < -0.2  # type: ignore[operator]
    # And the printed verdict names the file, each head's change and interval, and what improved / got worse
    text = "\n".join(verdict.lines())
    assert "judged on eval.jsonl (1,600 examples)" in text
    assert "cannot veto" in text and f"needs {MIN_CLASS_EXAMPLES} of each" in text
    assert "improved: spam, toxic; got worse: threat (on 3 examples of a class: not counted); passes" in text
    assert "95% CI" in text and "on 3 pos / 400 neg" in text


def test_a_clear_loss_on_a_well_evidenced_head_refuses() -> None:
    rng = np.random.default_rng(4)
    spam, toxic = _pair(rng, 300, 900, 2.5, 1.0), _pair(rng, 200, 800, 0.5, 2.0)
    verdict = judge_scores(Verdict("cand", "cur", "eval.jsonl"), {"spam": spam[0], "toxic": toxic[0]},
                           {"spam": spam[1], "toxic": toxic[1]}, HEADS[:2], HEADS[:2])
    assert not verdict.passed
    assert "toxic roc_auc" in verdict.reason() and "95% CI" in verdict.reason()
    assert "got worse: toxic; refused" in verdict.lines()[-1]
    assert verdict.comparison()["toxic"]["roc_auc"][0] < verdict.comparison()["toxic"]["roc_auc"][1]


def test_a_small_drop_within_the_noise_does_not_veto() -> None:
    # Given 25 positives: enough to count, too few for a 0.02 drop to be certain
    rng = np.random.default_rng(5)
    y, p = _scores(rng, 25, 60, 1.5)
    q = p.copy()
    q[:3] -= 0.4  # three positives lose some rank
    verdict = judge_scores(Verdict("c", "o", "x"), {"toxic": (y, q)}, {"toxic": (y, p)}, ("toxic",), ("toxic",))
    (head,) = verdict.heads
    assert head.status == "worse" and not head.vetoes and head.ci[1] > 0  # type: ignore[index]
    assert verdict.passed and "within noise" in head.line()


def test_a_missing_head_refuses_and_a_new_one_is_reported() -> None:
    rng = np.random.default_rng(6)
    spam = _pair(rng, 100, 100, 2.0, 2.0)
    verdict = judge_scores(Verdict("c", "o", "x"), {"spam": spam[0]}, {"spam": spam[1]},
                           ("spam", "insult"), ("spam", "toxic"))
    statuses = {h.head: h.status for h in verdict.heads}
    assert statuses == {"spam": "same", "toxic": "missing in candidate", "insult": "new in candidate"}
    assert not verdict.passed and "toxic lacks in the candidate" in verdict.reason()


def test_recorded_metrics_are_judged_with_unpaired_intervals() -> None:
    # Given metrics both bundles recorded on one file: spam much better, toxic slightly worse, threat 3 positives
    new = {"spam": {"roc_auc": 0.97, "n": 1000, "positives": 300, "average_precision": 0.9},
           "toxic": {"roc_auc": 0.895, "n": 1000, "positives": 200},
           "threat": {"roc_auc": 0.40, "n": 1000, "positives": 3}}
    old = {"spam": {"roc_auc": 0.90, "n": 1000, "positives": 300, "average_precision": 0.8},
           "toxic": {"roc_auc": 0.90, "n": 1000, "positives": 200},
           "threat": {"roc_auc": 0.95, "n": 1000, "positives": 3}}
    verdict = judge_recorded(Verdict("c", "o", "recorded"), new, old, HEADS, HEADS)
    statuses = {h.head: (h.status, h.vetoes) for h in verdict.heads}
    # Then the gain counts, the small loss is within noise, and the 3-positive head cannot veto
    assert statuses == {"spam": ("better", False), "toxic": ("worse", False), "threat": ("too little evidence", False)}
    assert verdict.passed
    # But a large loss on a well-evidenced head refuses
    old["toxic"]["roc_auc"] = 0.97
    assert not judge_recorded(Verdict("c", "o", "recorded"), new, old, HEADS, HEADS).passed


def test_a_verdict_on_three_examples_does_not_pass() -> None:
    # Given a candidate judged on 3 examples: nothing improved, nothing got worse
    rng = np.random.default_rng(8)
    spam = _pair(rng, 2, 1, 1.0, 1.0)
    verdict = judge_scores(Verdict("c", "o", "few.jsonl (3 examples)"), {"spam": spam[0]}, {"spam": spam[1]},
                           ("spam",), ("spam",))
    # When the evidence rule is applied
    require_evidence(verdict, ["spam"])
    # Then it is refused, saying why in words
    assert not verdict.passed
    assert f"too few examples to judge: no head has {MIN_CLASS_EXAMPLES} positive" in verdict.reason()
    assert "spam 2 pos / 1 neg" in verdict.reason() and verdict.lines()[-1].endswith("refused")


def test_a_changed_head_judged_on_too_few_examples_blocks_even_beside_a_gain() -> None:
    # Given a gain on spam (hundreds of examples) and a changed threat head judged on 3 positives
    rng = np.random.default_rng(9)
    spam, threat = _pair(rng, 300, 900, 2.5, 1.0), _pair(rng, 3, 400, 1.0, 1.0)
    verdict = judge_scores(Verdict("c", "o", "x"), {"spam": spam[0], "threat": threat[0]},
                           {"spam": spam[1], "threat": threat[1]}, ("spam", "threat"), ("spam", "threat"))
    # When threat was one the candidate changed / Then it blocks; unchanged, it would not
    require_evidence(verdict, ["threat"])
    assert not verdict.passed and "threat was changed but judged on 3 pos / 400 neg" in verdict.reason()
    unchanged = judge_scores(Verdict("c", "o", "x"), {"spam": spam[0], "threat": threat[0]},
                             {"spam": spam[1], "threat": threat[1]}, ("spam", "threat"), ("spam", "threat"))
    require_evidence(unchanged, ["spam"])
    assert unchanged.passed


def _fairness(approved: float, held: float) -> dict:
    targets = {"acceptable_approved": 0.95, "abuse_held": 0.90}
    return {"policy": {"acceptable_approved": approved, "abuse_held": held, "targets": targets}}


@pytest.mark.parametrize(("new", "old", "blocks"), [
    (_fairness(0.946, 0.97), _fairness(0.984, 0.97), ["acceptable sentences naming a group approved fell to 94.6%"]),
    (_fairness(0.99, 0.85), _fairness(0.99, 0.95), ["abuse and threats at groups held or rejected fell to 85.0%"]),
    (_fairness(0.96, 0.97), _fairness(0.99, 0.97), []),  # lower, but above the target
    (_fairness(0.93, 0.97), _fairness(0.932, 0.97), []),  # below the target, as the current one: no regression
    (_fairness(0.80, 0.97), _fairness(0.90, 0.97), ["acceptable sentences naming a group approved fell to 80.0%"]),
])
def test_a_fairness_regression_below_target_blocks(new: dict, old: dict, blocks: list[str]) -> None:
    # Given two fairness reports / When compared / Then only a fall below the target blocks
    shown, found = fairness_blocks(new, old)
    assert len(found) == len(blocks) and all(b in f for b, f in zip(blocks, found, strict=True))
    assert len(shown) == 2 and shown[0].startswith("fairness: acceptable sentences naming a group approved")
