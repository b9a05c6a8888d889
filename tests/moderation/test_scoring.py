"""The Scorer contract: calibrated probabilities per head and readable explanations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from moderation.scoring import HeadScore, Scorer
from tests.training.tiny import tiny_examples, trained_bundle
from training.bundle import load_bundle


@pytest.fixture(scope="module")
def scorer(tmp_path_factory: pytest.TempPathFactory) -> Scorer:
    path: Path = trained_bundle(str(tmp_path_factory.mktemp("models")))
    return load_bundle(path)


def test_every_text_gets_every_head(scorer: Scorer) -> None:
    # Given a batch / When scored
    results = scorer.score_batch(["hello there", "Buy cheap watches now at http://promo.top/now"])
    # Then each text has a HeadScore per head, spam and toxic included, with probabilities in 0..1
    assert {"spam", "toxic"} <= set(scorer.heads)
    assert len(results) == 2
    for result in results:
        assert set(result) == set(scorer.heads)
        assert all(isinstance(s, HeadScore) and 0.0 <= s.probability <= 1.0 for s in result.values())
    assert scorer.score_batch([]) == []


def test_spam_toxic_and_ordinary_comments_are_told_apart(scorer: Scorer) -> None:
    # Given comments written with words from the training lists, in new combinations
    spam, toxic, ham = scorer.score_batch(
        ["Subscribe to my channel for cheap sunglasses www.cheap-deals.biz", "Shut up, you clown",
         "I think the new bridge article was clear"],
        explain=False,
    )
    # Then each head fires where it should
    assert spam["spam"].probability > 0.8 and spam["toxic"].probability < 0.2
    assert toxic["toxic"].probability > 0.8 and toxic["spam"].probability < 0.2
    assert ham["spam"].probability < 0.2 and ham["toxic"].probability < 0.2


def test_obfuscated_insults_are_still_caught_and_explained_with_the_plain_word(scorer: Scorer) -> None:
    # Given an insult spelled with l33t digits and spread letters
    (result,) = scorer.score_batch(["You are an 1d10t", "ur a m.o.r.o.n"][:1], top_k=3)
    # Then it is toxic, and the strongest reason is the readable word
    toxic = result["toxic"]
    assert toxic.probability > 0.7
    assert len(toxic.contributions) <= 3
    names = [name for name, _ in toxic.contributions]
    assert "idiot" in names
    weights = [weight for _, weight in toxic.contributions]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)


def test_spam_explanations_name_links_or_their_words(scorer: Scorer) -> None:
    # Given a spam comment / When explained
    (result,) = scorer.score_batch(["Click here for free gift cards http://bit.ly/x7Yq"])
    names = {name for name, _ in result["spam"].contributions}
    # Then the reasons are readable terms or named signals
    assert names & {"click", "free", "urltok", "bit_ly", "signal:links", "click here", "here for"}


def test_unlikely_heads_get_no_explanation_and_explain_can_be_off(scorer: Scorer) -> None:
    (result,) = scorer.score_batch(["I think the bike lanes are a good idea"])
    assert result["toxic"].contributions == ()
    (quiet,) = scorer.score_batch(["Shut up, you clown"], explain=False)
    assert quiet["toxic"].contributions == ()
    assert scorer.explain("Shut up, you clown")["toxic"]


def test_probabilities_are_roughly_calibrated(scorer: Scorer) -> None:
    # Given held-out examples from the same distribution (another seed)
    held_out = tiny_examples(seed=99, n=300)
    probs = scorer.predict_proba([e.text for e in held_out])
    for j, head in enumerate(scorer.heads):
        y = np.array([e.labels[head] for e in held_out])
        # Then the mean probability is close to the positive rate, and the Brier score is small
        assert abs(probs[:, j].mean() - y.mean()) < 0.1, head
        assert np.mean((probs[:, j] - y) ** 2) < 0.1, head
