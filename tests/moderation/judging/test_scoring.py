"""The Scorer contract: calibrated probabilities per head and readable explanations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from moderation.judging.features import FeatureParams, FittedFeatures
from moderation.judging.numeric_features import SIGNAL_NAMES
from moderation.judging.scoring import STATE_FORMAT, HeadScore, Scorer, calibrate
from tests.moderation.feature_reference import reference_hash_batch, reference_token_entry, reference_weigh
from tests.moderation.varied_texts import varied_texts
from tests.training.tiny import tiny_examples, trained_bundle
from training.bundle import load_bundle


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle trained on the tiny corpus, alone in a models directory of its own."""
    path: Path = trained_bundle(str(tmp_path_factory.mktemp("models")))
    return path


@pytest.fixture(scope="module")
def scorer(bundle: Path) -> Scorer:
    return load_bundle(bundle)


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


def test_head_scores_are_immutable_named_pairs(scorer: Scorer) -> None:
    # When a comment is scored
    (result,) = scorer.score_batch(["Buy cheap watches now at http://promo.top/now"])
    # Then each head's score is a HeadScore with its two named fields, equal to one built by hand
    spam = result["spam"]
    assert type(spam) is HeadScore and spam._fields == ("probability", "contributions")
    assert spam == HeadScore(spam.probability, spam.contributions) and spam.contributions
    with pytest.raises(AttributeError):
        spam.probability = 0.0  # type: ignore[misc]


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


# ---- Regression: batch scoring and explanations against the original per-term code ----

Explained = dict[int, tuple[tuple[str, float], ...]]


def _reference_explain(scorer: Scorer, matrix: Any, batch: Any, docs: list[int], wanted: list[list[int]],
                       top_k: int) -> list[Explained]:
    """The original explanation code: terms built token by token, tokens hashed again."""
    params = scorer.features.params
    word_size = 1 << params.word_bits
    names: list[str] = []
    term_start: list[int] = []
    token_terms: list[int] = []
    pair_terms: list[int] = []
    buckets_per_token: list[list[int]] = []
    hashes: list[int] = []
    token_doc: list[int] = []
    second: list[str | None] = []
    for d in docs:
        tokens = batch.tokens[d]
        term_start.append(len(names))
        local: dict[str, int] = {}
        for token in tokens:
            tid = local.get(token)
            if tid is None:
                tid = local[token] = len(names)
                names.append(token)
                second.append(None)
            token_terms.append(tid)
        if len(tokens) > 1:
            first = len(names)
            names.extend(tokens[:-1])
            second.extend(tokens[1:])
            pair_terms.extend(range(first, first + len(tokens) - 1))
        for token in tokens:
            full, buckets = reference_token_entry(params, token)
            hashes.append(full)
            buckets_per_token.append(buckets)
        token_doc.extend([d] * len(tokens))
    term_start.append(len(names))
    lengths = np.array([len(b) for b in buckets_per_token], dtype=np.int64)
    buckets = np.array([b for bs in buckets_per_token for b in bs], dtype=np.int64)
    term_ids = np.repeat(np.array(token_terms, dtype=np.int64), lengths)
    doc_of = np.repeat(np.array(token_doc, dtype=np.int64), lengths)
    if params.bigrams and len(hashes) > 1:
        full_hashes = np.array(hashes, dtype=np.uint64)
        tdoc = np.array(token_doc, dtype=np.int64)
        same = tdoc[:-1] == tdoc[1:]
        mixed = (full_hashes[:-1][same] * np.uint64(0x9E3779B1)) ^ (full_hashes[1:][same] + np.uint64(0x7F4A7C15))
        bigrams = ((mixed >> np.uint64(7)) & np.uint64(word_size - 1)).astype(np.int64)
        buckets = np.concatenate([buckets, bigrams])
        term_ids = np.concatenate([term_ids, np.array(pair_terms, dtype=np.int64)])
        doc_of = np.concatenate([doc_of, tdoc[:-1][same]])
    cols = scorer.features.lookup[buckets].astype(np.int64)
    keep = cols >= 0
    cols, term_ids, doc_of = cols[keep], term_ids[keep], doc_of[keep]
    n_cols = scorer.features.n_text_cols
    row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    pos = np.searchsorted(row_of * n_cols + matrix.indices, doc_of * n_cols + cols)
    share = matrix.data[pos] / np.bincount(pos, minlength=max(matrix.nnz, 1))[pos]
    heads = sorted({j for w in wanted for j in w})
    per_term = {j: np.bincount(term_ids, share * scorer.text_coef[cols, j], minlength=len(names)) for j in heads}
    signal_names = scorer.features.column_names_signals
    out: list[Explained] = []
    for k, d in enumerate(docs):
        lo, hi = term_start[k], term_start[k + 1]
        signal_parts = batch.signals[d][:, None] * scorer.signal_coef
        explained: Explained = {}
        for j in wanted[k]:
            values = per_term[j][lo:hi]
            best = np.argpartition(-values, top_k)[:top_k] if len(values) > top_k else range(len(values))
            merged: dict[str, float] = {}
            for t in best:
                if values[t] > 0:
                    word = second[lo + int(t)]
                    name = names[lo + int(t)] if word is None else f"{names[lo + int(t)]} {word}"
                    merged[name] = merged.get(name, 0.0) + float(values[t])
            for s, v in enumerate(signal_parts[:, j]):
                if v > 0:
                    merged[signal_names[s]] = float(v)
            items = sorted(merged.items(), key=lambda item: -item[1])[:top_k]
            explained[j] = tuple((name, round(weight, 4)) for name, weight in items)
        out.append(explained)
    return out


def _reference_score_batch(scorer: Scorer, texts: Sequence[str], top_k: int) -> list[dict[str, Any]]:
    """Probabilities and explanations computed the original way: ``{head: (probability, contributions)}``."""
    batch = reference_hash_batch(scorer.features.params, texts)
    matrix = reference_weigh(scorer.features, batch.counts)
    decisions = np.asarray(matrix @ scorer.text_coef, dtype=np.float64)
    decisions += batch.signals @ scorer.signal_coef + scorer.intercept
    probs = np.empty_like(decisions)
    for j, head in enumerate(scorer.heads):
        probs[:, j] = calibrate(decisions[:, j], scorer.calibration[head])
    wanted = [np.flatnonzero(row >= scorer.explain_min_probability).tolist() for row in probs]
    docs = [i for i, w in enumerate(wanted) if w]
    explained = dict(zip(docs, _reference_explain(scorer, matrix, batch, docs, [wanted[i] for i in docs], top_k),
                         strict=True)) if docs else {}
    return [{head: (row[j], explained.get(i, {}).get(j, ())) for j, head in enumerate(scorer.heads)}
            for i, row in enumerate(probs.tolist())]


def _synthetic_scorer(params: FeatureParams, texts: Sequence[str], seed: int = 3) -> Scorer:
    """A model with random weights over tiny bucket spaces: many shared buckets, signed contributions."""
    rng = np.random.default_rng(seed)
    fitted = FittedFeatures.fit(reference_hash_batch(params, texts).counts, params, min_df=1)
    heads = ["spam", "toxic", "threat"]
    state = {
        "format": STATE_FORMAT, "feature_params": params.to_dict(), "kept": fitted.kept, "idf": fitted.idf,
        "heads": heads, "coef": rng.normal(0, 1, (fitted.n_text_cols + len(SIGNAL_NAMES), 3)).astype(np.float32),
        "intercept": rng.normal(0, 0.5, 3),
        "calibration": {"spam": {"method": "sigmoid", "a": -1.5, "b": 0.2}, "toxic": {"method": "sigmoid", "a": -0.7,
                        "b": -0.4}, "threat": {"method": "isotonic", "x": np.linspace(-3, 3, 7),
                                               "y": np.linspace(0, 1, 7)}},
    }
    return Scorer(state, "synthetic")


def _as_plain(results: list[dict[str, HeadScore]]) -> list[dict[str, Any]]:
    return [{head: (s.probability, s.contributions) for head, s in result.items()} for result in results]


def _assert_scores_match_the_reference(scorer: Scorer, texts: list[str], sizes: Sequence[int],
                                       top_ks: Sequence[int]) -> int:
    # the reference scores every comment as written (mentions apart are tested in test_mentions.py)
    apart, scorer.mentions_apart = scorer.mentions_apart, False
    explained = 0
    try:
        for top_k in top_ks:
            for size in sizes:
                for start in range(0, len(texts), size):
                    chunk = texts[start : start + size]
                    # When scored in batches, with explanations
                    got = _as_plain(scorer.score_batch(chunk, explain=True, top_k=top_k))
                    # Then probabilities and contributions are exactly the original ones
                    assert got == _reference_score_batch(scorer, chunk, top_k), (top_k, chunk)
                    explained += sum(bool(c) for result in got for _, c in result.values())
    finally:
        scorer.mentions_apart = apart
    return explained


def test_scores_and_explanations_are_identical_to_the_original_code(scorer: Scorer) -> None:
    # Given a trained model and varied comments (its own kind of text, obfuscated, unicode, emoji, very long)
    texts = varied_texts(250, seed=29) + [e.text for e in tiny_examples(seed=41, n=150)]
    explained = _assert_scores_match_the_reference(scorer, texts, sizes=(1, 9, 100), top_ks=(5,))
    # And many heads really were explained
    assert explained > 100


@pytest.mark.slow
@pytest.mark.parametrize("params", [
    FeatureParams(word_bits=7, char_bits=8, char_min=2, char_max=4, bigrams=True),
    FeatureParams(word_bits=9, char_bits=7, char_min=1, char_max=3, bigrams=False, signal_weight=1.0),
], ids=["bigrams", "no-bigrams"])
def test_explanations_with_shared_buckets_and_ties_are_identical_to_the_original_code(params: FeatureParams) -> None:
    # Given a random model over bucket spaces so small that most features are shared (ties, repeated bigrams)
    texts = [*varied_texts(160, seed=31), "the cat the cat the cat", "a b a b a b a b", "idiot idiot moron idiot"]
    model = _synthetic_scorer(params, texts)
    model.explain_min_probability = 0.0  # explain every head of every comment
    # When scored with several top_k / Then identical, and explain() agrees for single comments
    _assert_scores_match_the_reference(model, texts, sizes=(1, 50), top_ks=(1, 3, 5, 12))
    for text in texts[:40]:
        (expected,) = _reference_score_batch(model, [text], 4)
        assert model.explain(text, top_k=4) == {head: contributions for head, (_, contributions) in expected.items()}


def test_the_current_model_scores_exactly_as_before(bundle: Path) -> None:
    # Given a promoted model, served as a worker serves it: the current one of its models directory (not the
    # developer's models/, so that the test runs, and runs alike, on every checkout)
    from moderation.models.current import CurrentModel, ModelStore
    from training.registry import ModelRegistry

    ModelRegistry(bundle.parent).promote(bundle.name, force=True)
    current = CurrentModel(ModelStore(bundle.parent)).get()
    assert current.version == bundle.name
    # When varied comments are scored / Then probabilities and explanations are those of the original code
    _assert_scores_match_the_reference(current, varied_texts(300, seed=37), sizes=(100,), top_ks=(5,))
