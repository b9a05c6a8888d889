"""Normalization, signals and hashed features (no trained model needed)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from moderation.judging import normalize as normalize_module
from moderation.judging.features import FeatureParams, Featurizer, FittedFeatures, split_unspaced, stack
from moderation.judging.normalize import normalize, normalize_chunk, normalize_counted, prepare, tokenize
from moderation.judging.numeric_features import SIGNAL_NAMES, batch_signals, comment_signals
from tests.moderation.feature_reference import reference_hash_batch, reference_weigh
from tests.moderation.varied_texts import varied_texts


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("You are an I D I O T", "you are an idiot"),
        ("f.u.c.k off", "fuck off"),
        ("s-h-i-t", "shit"),
        ("what a 1d10t", "what a idiot"),
        ("$hit happens", "shit happens"),
        ("b!tch please", "bitch please"),
        ("you a$$hole", "you asshole"),
        ("сasinо", "casino"),  # Cyrillic с and о
        ("ｆｕｃｋ", "fuck"),  # fullwidth
        ("𝐢𝐝𝐢𝐨𝐭", "idiot"),  # mathematical bold
        ("idi\u200bot", "idiot"),  # zero-width space
        ("caf\u00e9", "cafe"),
        ("Sooooo stupiiiid", "soo stupiid"),
    ],
)
def test_obfuscated_spellings_fold_to_the_plain_word(raw: str, expected: str) -> None:
    # Given an obfuscated comment / When normalized / Then the model sees the plain spelling
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "raw", ["user123 likes mp3", "the 2nd time at 10am", "wow!! great", "Привет мир", "covid19 news"]
)
def test_ordinary_text_is_not_folded(raw: str) -> None:
    # Given ordinary text with digits, exclamations or another script / When normalized / Then nothing folds
    text, folds = normalize_counted(raw)
    assert folds == 0
    assert text == raw.lower()


def test_urls_become_a_token_and_their_domain() -> None:
    # Given links written in several ways
    text = "see http://www.YouTube.com/watch?v=1 and bit.ly/abc or mail me@example.org"
    # When tokenized
    tokens = tokenize(text)
    # Then each URL is a token followed by its domain, and the e-mail keeps its domain too
    assert tokens[:3] == ["see", "urltok", "youtube_com"]
    assert tokens[4:6] == ["urltok", "bit_ly"]
    assert "emailtok" in tokens and "example_org" in tokens


def test_folds_are_counted_as_an_obfuscation_hint() -> None:
    # Given an obfuscated and a plain insult / Then only the first reports folds
    assert normalize_counted("ur an 1d10t, a real m0r0n")[1] == 2
    assert normalize_counted("you are an idiot")[1] == 0


def test_signals_describe_links_capitals_and_emoji() -> None:
    # Given a shouty spam comment with a shortened link and emoji
    text = "FREE MONEY!!! visit bit.ly/x and paypa1-login.com 🔥🔥"
    chunks = tokenize(text)
    # When its signals are computed
    values = dict(zip(SIGNAL_NAMES, comment_signals(text, chunks, folds=0, repeats=1), strict=True))
    # Then they count what a moderator would notice
    assert values["links"] == pytest.approx(np.log1p(2))
    assert values["shortener_link"] == 1.0
    assert values["lookalike_domain"] == 1.0
    assert values["emoji"] > 0
    assert values["caps_share"] > 0.2
    assert values["exclamations"] > 0
    # and a calm comment has none of them
    calm = dict(zip(SIGNAL_NAMES, comment_signals("a calm remark", ["a", "calm", "remark"], 0, 0), strict=True))
    assert calm["links"] == calm["caps_share"] == calm["emoji"] == 0


def test_hashing_is_stable_across_instances_and_batches() -> None:
    # Given two featurizers with the same parameters
    texts = ["Check out my channel", "you are an idiot", ""]
    first = Featurizer(FeatureParams()).hash_batch(texts).counts
    # When one hashes the texts one at a time
    second = Featurizer(FeatureParams())
    rows = [second.hash_batch([t]).counts for t in texts]
    # Then the buckets are identical (a model is portable between processes)
    for i, row in enumerate(rows):
        assert (first[i] != row).nnz == 0


def test_weighted_features_are_l2_normalized_per_block() -> None:
    # Given features fitted on a few texts
    params = FeatureParams(word_bits=16, char_bits=16)
    texts = ["the tram line is late", "the tram line is fine", "buy pills now", "buy pills here now"]
    batch = Featurizer(params).hash_batch(texts)
    fitted = FittedFeatures.fit(batch.counts, params, min_df=1)
    # When weighed
    matrix = fitted.weigh(batch.counts).toarray()
    # Then the word block and the char block each have unit norm, and signals stack after them
    words, chars = matrix[:, : fitted.n_word_cols], matrix[:, fitted.n_word_cols :]
    assert np.allclose(np.linalg.norm(words, axis=1), 1.0, atol=1e-5)
    assert np.allclose(np.linalg.norm(chars, axis=1), 1.0, atol=1e-5)
    assert stack(fitted.weigh(batch.counts), batch.signals).shape[1] == fitted.n_text_cols + len(SIGNAL_NAMES)


def test_unseen_buckets_are_dropped_and_empty_text_is_harmless() -> None:
    # Given features fitted with min_df 2 / When transforming unseen words and an empty text
    params = FeatureParams(word_bits=16, char_bits=16)
    fitted = FittedFeatures.fit(Featurizer(params).hash_batch(["aa bb", "aa bb"]).counts, params)
    matrix, batch = fitted.transform(["zzqx", ""])
    # Then nothing unseen leaks in and the rows are simply empty
    assert matrix.nnz == 0
    assert batch.tokens == [("zzqx",), ()]


# ---- Regression: the batch implementation against a straightforward token-by-token reference ----

def assert_same_csr(actual: sp.csr_matrix, expected: sp.csr_matrix) -> None:
    """Same shape, and bit for bit the same arrays of the same types."""
    assert actual.shape == expected.shape
    for name in ("indptr", "indices", "data"):
        got, want = getattr(actual, name), getattr(expected, name)
        assert got.dtype == want.dtype, name
        assert np.array_equal(got, want), name


REGRESSION_PARAMS = [
    FeatureParams(),
    FeatureParams(word_bits=8, char_bits=9, char_min=1, char_max=3, bigrams=False, signal_weight=0.3),
    FeatureParams(word_bits=6, char_bits=6, char_min=3, char_max=6, bigrams=True, signal_weight=1.0),
]


@pytest.mark.slow
@pytest.mark.parametrize("params", REGRESSION_PARAMS, ids=["default", "small-no-bigrams", "tiny-collisions"])
def test_batch_hashing_is_bit_identical_to_the_token_by_token_reference(params: FeatureParams) -> None:
    # Given a few hundred varied texts (obfuscated words, unicode, emoji, empty-ish and very long ones)
    texts = varied_texts()
    featurizer = Featurizer(params)
    fitted = FittedFeatures.fit(reference_hash_batch(params, texts).counts, params, min_df=2)
    for size in (1, 7, 100, len(texts)):
        for start in range(0, len(texts), size):
            chunk = texts[start : start + size]
            # When they are hashed and weighed in batches of several sizes
            batch = featurizer.hash_batch(chunk)
            expected = reference_hash_batch(params, chunk)
            # Then counts, signals, tokens and weighted features are exactly those of the reference
            assert_same_csr(batch.counts, expected.counts)
            assert np.array_equal(batch.signals, expected.signals)
            assert batch.tokens == expected.tokens
            assert_same_csr(fitted.weigh(batch.counts), reference_weigh(fitted, expected.counts))


def test_batch_signals_equal_the_per_comment_signals() -> None:
    # Given varied texts with their tokens and made-up fold and repeat counts
    texts = varied_texts(200, seed=5)
    tokens = [tuple(tokenize(t)) for t in texts]
    folds, repeats = [i % 4 for i in range(len(texts))], [i % 3 for i in range(len(texts))]
    # When the signals are computed for the whole batch
    matrix = batch_signals(texts, tokens, folds, repeats)
    # Then each row is bit for bit the single-comment vector
    expected = [comment_signals(t, k, f, r) for t, k, f, r in zip(texts, tokens, folds, repeats, strict=True)]
    assert np.array_equal(matrix, np.array(expected))
    assert batch_signals([], [], [], []).shape == (0, len(SIGNAL_NAMES))


def test_entry_counts_and_cached_preparation_agree_with_the_direct_computation() -> None:
    # Given the tokens of varied texts (long tokens, unicode, emoji included)
    texts = varied_texts(150, seed=3)
    featurizer = Featurizer(FeatureParams())
    tokens = sorted({token for text in texts for token in tokenize(text)})
    # When the number of buckets of each token is computed from its length
    sizes = featurizer.entries_per_token(np.array([len(t) for t in tokens], dtype=np.int64))
    # Then it is the number of buckets the token is hashed into
    assert sizes.tolist() == [len(featurizer.token_entry(t)[1]) // 4 for t in tokens]
    # And the cached preparation of a text is the uncached one (an immutable tuple), short or long
    for text in texts:
        assert prepare(text) == normalize_module._prepare(text)
        assert isinstance(prepare(text)[0], tuple)
    # And the squashed form of each chunk is the chunk without symbols
    for text in texts:
        for chunk in map(normalize_chunk, prepare(text)[0]):
            assert chunk.squashed == "".join(c for c in chunk.text if c.isalnum())


def test_chinese_and_japanese_characters_are_tokens_of_their_own() -> None:
    # Given comments in scripts written without spaces, beside Latin words
    featurizer = Featurizer(FeatureParams())
    # When they are hashed
    batch = featurizer.hash_batch(["我会杀了你 ok", "こんにちは", "plain words"])
    # Then every ideograph or kana is a token (so the word bigrams are character bigrams) and Latin words stay whole
    assert batch.tokens[0] == ("我", "会", "杀", "了", "你", "ok")
    assert batch.tokens[1] == ("こ", "ん", "に", "ち", "は")
    assert batch.tokens[2] == ("plain", "words")
    assert batch.counts[0].nnz > 0


def test_the_features_split_the_same_unspaced_scripts_as_the_words_rule_matches_anywhere() -> None:
    # Given tokens in Chinese, kana, Thai and Hangul, one joined to a Latin word
    tokens = ("abc中文", "カナ", "กข", "한국", "plain")
    # When they are split for the model's features
    # Then each character of those scripts is a token (one list, normalize.UNSPACED_CHARS), Latin runs and
    # Korean words (written with spaces) whole
    assert split_unspaced(tokens) == ("abc", "中", "文", "カ", "ナ", "ก", "ข", "한국", "plain")
