"""The per-source held-out slices and the claim bar they are judged by."""

from __future__ import annotations

import numpy as np

from training.examples import Example
from training.language_slices import confirm_claims, language_figures, split_slice


def _examples(n: int) -> list[Example]:
    return [Example(text=f"comment number {k}", labels={"toxic": k % 2}, source="x.csv", lang="ko") for k in range(n)]


def test_a_slice_is_deterministic_and_about_its_share() -> None:
    # Given 2,000 comments, when split twice with a share of 10%
    first, second = split_slice(_examples(2000), 0.1), split_slice(_examples(2000), 0.1)
    # Then the same texts are held out both times, about a tenth of them, and none is on both sides
    assert [e.text for e in first[1]] == [e.text for e in second[1]]
    assert 150 < len(first[1]) < 250
    assert not {e.text for e in first[0]} & {e.text for e in first[1]}


def test_the_claim_and_screen_bars() -> None:
    # Given a language whose clean comments are all approved and 10% of abusive ones approved silently
    y = np.array([0] * 10 + [1] * 10)
    probs = np.linspace(0, 1, 20)
    approved = np.array([True] * 10 + [True] + [False] * 9)
    figures = language_figures(y, probs, approved)
    # Then it meets both bars
    assert figures["claim_bar"] and figures["screen_bar"] and figures["abuse_approved_silently"] == 0.1
    # And with 20% of abusive comments approved silently it meets neither
    approved[11] = True
    figures = language_figures(y, probs, approved)
    assert not figures["claim_bar"] and not figures["screen_bar"]


def test_a_claim_the_held_out_slice_does_not_bear_out_is_screened_instead() -> None:
    # Given cross-validation claimed en, zh and tr, and tr's slice misses the bar
    report = {"zh": {"claim_bar": True}, "tr": {"claim_bar": False, "roc_auc": 0.84, "clean_approved": 0.7,
                                                 "abuse_approved_silently": 0.2}}
    # When the claims are confirmed
    claimed, screened, withdrawn = confirm_claims(["en", "zh", "tr"], ["de"], report)
    # Then tr is screened, with the reason recorded; en (no slice) and zh stay claimed
    assert claimed == ["en", "zh"] and screened == ["de", "tr"] and "84.0%" in withdrawn["tr"]


def test_a_screening_the_held_out_slice_does_not_bear_out_is_withdrawn() -> None:
    # Given ru screened by cross-validation, and its slice approves 19% of its abuse silently
    report = {"ru": {"claim_bar": False, "roc_auc": 0.76, "clean_approved": 0.5, "abuse_approved_silently": 0.19},
              "ko": {"claim_bar": False, "roc_auc": 0.81, "clean_approved": 0.36, "abuse_approved_silently": 0.08}}
    # When the claims are confirmed
    claimed, screened, withdrawn = confirm_claims(["en"], ["ko", "ru"], report)
    # Then ru is held (neither claimed nor screened) with the reason recorded, and ko stays screened
    assert claimed == ["en"] and screened == ["ko"] and "held" in withdrawn["ru"]
