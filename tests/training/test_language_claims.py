"""Which languages a trained model claims, screens or leaves alone, from its out-of-fold decisions."""

from __future__ import annotations

import numpy as np

from moderation.judging.scoring import calibrate
from training.fit import DEFAULT_PARAMS, claimed_languages, fit_sigmoid, lang_calibrations, screen_languages

THRESHOLD = float(DEFAULT_PARAMS["claim_review_threshold"])


def separated(lang: str, n: int, gap: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``n`` clean and ``n`` abusive decisions of one language, the abusive ones ``gap`` higher on average."""
    decisions = np.concatenate([rng.normal(0.0, 1.0, n), rng.normal(gap, 1.0, n)])
    return decisions, np.repeat([0, 1], n), [lang] * (2 * n)


def test_a_well_separated_language_is_claimed_a_middling_one_screened_a_poor_one_neither() -> None:
    # Given out-of-fold decisions of three languages: one the model separates well (en), one it separates
    # fairly (de, ROC-AUC ~0.84), one barely (fr)
    rng = np.random.default_rng(7)
    parts = [separated("en", 2000, 3.2, rng), separated("de", 2000, 1.4, rng), separated("fr", 2000, 0.3, rng)]
    oof = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    langs = [lang for p in parts for lang in p[2]]
    params = dict(DEFAULT_PARAMS)
    by_lang = {lang: entry for lang, entry in lang_calibrations(oof, y, langs, params, 0.88).items()}
    # When the claims and then the screening are worked out
    report = claimed_languages(oof, y, langs, fit_sigmoid(oof, y), by_lang, params)
    screened = screen_languages(oof, y, langs, by_lang, report, params)
    # Then English is claimed, German screened, French neither
    assert report["en"]["claimed"] == 1.0 and "screened" not in report["en"]
    assert report["de"]["claimed"] == 0.0 and report["de"]["screened"] == 1.0
    assert report["fr"]["claimed"] == 0.0 and report["fr"]["screened"] == 0.0
    assert set(screened) == {"de"}
    # And German's screening calibration approves at most the allowed share of its abuse, and a fair share of
    # its clean comments
    mask = np.asarray(langs) == "de"
    probs = calibrate(oof[mask], screened["de"])
    assert np.mean(probs[y[mask] == 1] < THRESHOLD) <= DEFAULT_PARAMS["screen_max_abuse_approved"]
    assert np.mean(probs[y[mask] == 0] < THRESHOLD) >= DEFAULT_PARAMS["screen_min_clean_approved"]
    assert report["de"]["screen_abuse_approved"] <= DEFAULT_PARAMS["screen_max_abuse_approved"]
