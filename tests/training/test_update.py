"""Retraining adds, never forgets: updates on top of a model, and the languages a model claims."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from moderation.judging.scoring import Scorer
from moderation.models.bundle import load_state, read_metadata
from tests.training.tiny import tiny_examples
from training.examples import Example
from training.fit import TrainError, fit_model
from training.train import train_bundle, update_bundle
from training.update import update_model

FAST = {"C_grid": [4.0], "cv_folds": 3}


@pytest.fixture(scope="module")
def base_state() -> dict:
    """A model of every head, trained on the tiny corpus."""
    return fit_model(tiny_examples(), FAST, progress=None).state


def test_heads_the_new_data_does_not_label_keep_their_knowledge(base_state: dict) -> None:
    # Given a site file that labels only spam
    site = [Example(f"visit my page for cheap stuff number {k}", {"spam": 1}) for k in range(20)]
    site += [Example(f"the council meeting ran late again, item {k}", {"spam": 0}) for k in range(20)]
    # When the model is updated with it
    updated = update_model(base_state, site).state
    # Then every head is still there, the toxicity heads are exactly as they were, and spam has moved
    assert updated["heads"] == base_state["heads"]
    spam = base_state["heads"].index("spam")
    for j, head in enumerate(base_state["heads"]):
        same = np.array_equal(updated["coef"][:, j], base_state["coef"][:, j])
        assert same == (j != spam), head
    assert updated["calibration"] == base_state["calibration"]


def test_a_few_site_verdicts_shift_the_model_toward_the_site_without_forgetting(base_state: dict) -> None:
    # Given a site where a local slur the base model never saw as abuse is used against people
    slur = "zorblat"
    site = [Example(f"such a {slur} {w}", {"toxic": 1}) for w in ("again", "as always", "as usual")
            for _ in range(10)]
    site += [Example(f"the {t} story was good, thanks", {"toxic": 0}) for t in ("tram", "budget", "school")
             for _ in range(10)]
    # When the model is updated with those 60 verdicts
    updated = update_model(base_state, site).state
    before, after = Scorer(base_state, "base"), Scorer(updated, "updated")
    toxic = before.heads.index("toxic")
    probe = [f"typical {slur}"]
    sure = ["what a zorblat you are"]
    # Then the site's abuse scores higher than before...
    assert after.predict_proba(probe)[0, toxic] > before.predict_proba(probe)[0, toxic] + 0.3
    # ...what the model was sure of stays sure (the update corrects, it does not flatten)...
    assert after.predict_proba(sure)[0, toxic] >= before.predict_proba(sure)[0, toxic] - 0.01
    # ...and the base data is ranked as well as before
    base_examples = tiny_examples(seed=99, n=240)
    y = np.array([e.labels["toxic"] for e in base_examples])
    texts = [e.text for e in base_examples]
    auc_before = roc_auc_score(y, before.predict_proba(texts)[:, toxic])
    auc_after = roc_auc_score(y, after.predict_proba(texts)[:, toxic])
    assert auc_after >= auc_before - 0.01


def test_an_update_without_enough_labels_says_so(base_state: dict) -> None:
    # Given a file with two spam labels only
    site = [Example("buy now", {"spam": 1}), Example("nice article", {"spam": 0})]
    # When the model is updated, Then the error names the need
    with pytest.raises(TrainError, match="at least 5 positive and 5 negative"):
        update_model(base_state, site)


def test_an_updated_bundle_names_its_base_and_keeps_every_head(tmp_path: Path) -> None:
    # Given a bundle trained on the tiny corpus
    base = train_bundle(tiny_examples(), tmp_path, data_hash="tiny", params=FAST, progress=None)
    # When it is updated with a toxic-only file
    site = [Example(f"you {w} troll", {"toxic": 1}) for w in ("silly", "stupid", "lazy", "sad", "odd", "loud")]
    site += [Example(f"a {w} report", {"toxic": 0}) for w in ("fine", "clear", "long", "short", "fair", "good")]
    path = update_bundle(base, site, tmp_path, data_hash="site", data_files=["site.csv"], progress=None)
    # Then the new bundle has every head, and its metadata names the base model and the new data
    state, meta = load_state(path)
    assert state["heads"] == load_state(base)[0]["heads"]
    assert meta["base_model"]["version"] == read_metadata(base)["version"]
    assert meta["data"]["files"] == ["site.csv"]
    assert set(meta["updated_heads"]) == {"toxic"}


def _reversed(example: Example, lang: str) -> Example:
    """The example in a made-up language: every word spelled backwards."""
    return replace(example, text=" ".join(w[::-1] for w in example.text.split()), lang=lang)


def test_each_language_gets_its_own_calibration_and_claims_need_real_quality() -> None:
    # Given labelled examples in English and in a made-up second language
    english = tiny_examples(n=360)
    other = [_reversed(e, "zz") for e in tiny_examples(seed=3, n=360)]
    params = {**FAST, "lang_min_per_class": 30, "claim_min_per_class": 30, "claim_exclude_sources": []}
    # When a model is trained on both
    result = fit_model(english + other, params, progress=None)
    # Then both languages have their own toxic calibration and, being easy to tell apart, are claimed
    assert {"en", "zz"} <= set(result.state["calibration_by_lang"])
    assert "toxic" in result.state["calibration_by_lang"]["zz"]
    assert result.state["languages"] == ["en", "zz"]
    assert result.languages["zz"]["roc_auc"] > 0.9
    # And a bar no language can meet claims none
    strict = fit_model(english + other, {**params, "claim_min_auc": 1.01}, progress=None)
    assert strict.state["languages"] == []


def test_per_language_calibration_is_used_for_comments_of_that_language() -> None:
    # Given a model with a calibration for the made-up language
    english = tiny_examples(n=360)
    other = [_reversed(e, "zz") for e in tiny_examples(seed=3, n=360)]
    params = {**FAST, "lang_min_per_class": 30, "claim_min_per_class": 30, "claim_exclude_sources": []}
    scorer = Scorer(fit_model(english + other, params, progress=None).state, "v")
    text = [other[0].text]
    # When the same text is scored as that language and without a language
    plain = scorer.predict_proba(text)
    as_zz = scorer.predict_proba(text, langs=["zz"])
    # Then the probabilities differ only through the calibration (the ranking inputs are the same)
    assert not np.allclose(plain, as_zz)
