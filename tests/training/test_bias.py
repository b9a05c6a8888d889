"""Bias metrics on hand-made scores whose AUCs are counted by hand (pairs won / pairs compared)."""

from __future__ import annotations

import numpy as np
import pytest

from training.bias import (
    bias_report,
    bnsp_auc,
    bpsn_auc,
    false_positive_rate,
    final_bias_score,
    power_mean,
    subgroup_auc,
)

# Group a: negatives 0.1, 0.6; positives 0.4, 0.9.   Group b: negatives 0.2, 0.5; positives 0.7, 0.8.
Y = np.array([0, 0, 1, 1, 0, 0, 1, 1])
P = np.array([0.1, 0.6, 0.4, 0.9, 0.2, 0.5, 0.7, 0.8])
GROUPS = ["a", "a", "a", "a", "b", "b", "b", "b"]
A = np.array(GROUPS) == "a"


def test_subgroup_auc_counts_pairs_inside_the_group() -> None:
    # Given group a's pairs (0.4>0.1 yes, 0.4>0.6 no, 0.9>0.1 yes, 0.9>0.6 yes) / Then 3 of 4
    assert subgroup_auc(Y, P, A) == pytest.approx(0.75)
    # And group b ranks all of its pairs right
    assert subgroup_auc(Y, P, ~A) == pytest.approx(1.0)


def test_bpsn_puts_the_groups_negatives_against_the_backgrounds_positives() -> None:
    # Given a's negatives {0.1, 0.6} against b's positives {0.7, 0.8}: all four pairs right
    assert bpsn_auc(Y, P, A) == pytest.approx(1.0)
    # And b's negatives {0.2, 0.5} against a's positives {0.4, 0.9}: 0.4 < 0.5 is the one pair wrong
    assert bpsn_auc(Y, P, ~A) == pytest.approx(0.75)


def test_bnsp_puts_the_groups_positives_against_the_backgrounds_negatives() -> None:
    # Given a's positives {0.4, 0.9} against b's negatives {0.2, 0.5}: 0.4 < 0.5 is wrong
    assert bnsp_auc(Y, P, A) == pytest.approx(0.75)
    assert bnsp_auc(Y, P, ~A) == pytest.approx(1.0)


def test_ties_count_one_half_and_one_class_is_undefined() -> None:
    y, p = np.array([0, 1, 1]), np.array([0.5, 0.5, 0.9])
    assert subgroup_auc(y, p, np.ones(3, bool)) == pytest.approx(0.75)  # (0.5 + 1) / 2
    assert subgroup_auc(y, p, np.array([False, True, True])) is None


def test_false_positive_rate_counts_scores_at_or_above_the_threshold() -> None:
    assert false_positive_rate(Y[A], P[A], 0.5) == pytest.approx(0.5)  # 0.6 of {0.1, 0.6}
    assert false_positive_rate(Y[~A], P[~A], 0.5) == pytest.approx(0.5)  # 0.5 itself counts
    assert false_positive_rate(np.array([1]), np.array([0.9]), 0.5) is None


def test_power_mean_leans_on_the_worst_value() -> None:
    expected = ((0.75**-5 + 1.0**-5) / 2) ** (-1 / 5)
    assert power_mean([0.75, 1.0, None]) == pytest.approx(expected)
    assert 0.75 < expected < 0.83 < (0.75 + 1.0) / 2
    assert power_mean([None]) is None


def test_bias_report_per_group_and_the_competitions_final_figure() -> None:
    # When the whole report is computed at threshold 0.5
    report = bias_report(Y, P, GROUPS, 0.5)
    # Then each group carries its hand-counted figures
    a, b = report["groups"]["a"], report["groups"]["b"]
    assert (a["subgroup_auc"], a["bpsn_auc"], a["bnsp_auc"], a["fpr"]) == pytest.approx((0.75, 1.0, 0.75, 0.5))
    assert (b["subgroup_auc"], b["bpsn_auc"], b["bnsp_auc"], b["fpr"]) == pytest.approx((1.0, 0.75, 1.0, 0.5))
    assert (a["n"], a["toxic"]) == (4, 2)
    # And the overall AUC: of 16 pairs, 0.4 loses to 0.6 and 0.5 -> 14/16
    assert report["overall_auc"] == pytest.approx(14 / 16)
    m = power_mean([0.75, 1.0])
    assert report["mean_subgroup_auc"] == report["mean_bpsn_auc"] == report["mean_bnsp_auc"] == pytest.approx(m)
    assert report["final_score"] == pytest.approx(0.25 * 14 / 16 + 0.75 * m)
    assert final_bias_score(None, [m, m, m]) is None
