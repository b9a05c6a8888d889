"""A straightforward reference for the hashed features: text by text, token by token, n-gram by n-gram (the
original code), which the batch implementation and the scorer must match bit for bit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from moderation.judging.features import FeatureParams, FittedFeatures, split_unspaced
from moderation.judging.normalize import normalize_chunk, prepare
from moderation.judging.numeric_features import SIGNAL_NAMES, comment_signals


class _ReferenceBatch(NamedTuple):
    counts: sp.csr_matrix
    signals: np.ndarray
    tokens: list[tuple[str, ...]]


def reference_token_entry(params: FeatureParams, token: str) -> tuple[int, list[int]]:
    """A token's full hash and its buckets, one n-gram at a time (the original code)."""
    word_size, char_size = 1 << params.word_bits, 1 << params.char_bits
    full = murmurhash3_32(token, positive=True)
    buckets = [full & (word_size - 1)]
    padded = f" {token[:30]} "
    for n in range(params.char_min, params.char_max + 1):
        for i in range(max(1, len(padded) - n + 1)):
            buckets.append(word_size + (murmurhash3_32(padded[i : i + n], positive=True) & (char_size - 1)))
    return full, buckets


def reference_hash_batch(params: FeatureParams, texts: Sequence[str]) -> _ReferenceBatch:
    """Counts, signals and tokens computed text by text and token by token, assembled from COO triplets."""
    word_size = 1 << params.word_bits
    rows: list[int] = []
    cols: list[int] = []
    hashes: list[int] = []
    token_doc: list[int] = []
    tokens_per_doc: list[tuple[str, ...]] = []
    signals = np.zeros((len(texts), len(SIGNAL_NAMES)))
    for i, text in enumerate(texts):
        chunks, folds = prepare(text)
        parts = [normalize_chunk(chunk) for chunk in chunks]
        tokens = split_unspaced(tuple(token for part in parts for token in part.tokens))
        for token in tokens:
            full, buckets = reference_token_entry(params, token)
            hashes.append(full)
            token_doc.append(i)
            rows += [i] * len(buckets)
            cols += buckets
        tokens_per_doc.append(tokens)
        signals[i] = comment_signals(text, tokens, folds + sum(p.folds for p in parts), sum(p.repeats for p in parts))
    if params.bigrams and len(hashes) > 1:
        full_hashes = np.array(hashes, dtype=np.uint64)
        docs = np.array(token_doc)
        same = docs[:-1] == docs[1:]
        mixed = (full_hashes[:-1] * np.uint64(0x9E3779B1)) ^ (full_hashes[1:] + np.uint64(0x7F4A7C15))
        cols += ((mixed >> np.uint64(7)) & np.uint64(word_size - 1)).astype(np.int64)[same].tolist()
        rows += docs[:-1][same].tolist()
    counts = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)),
                           shape=(len(texts), word_size + (1 << params.char_bits)))
    counts.sum_duplicates()
    return _ReferenceBatch(counts, signals * params.signal_weight, tokens_per_doc)


def reference_weigh(fitted: FittedFeatures, counts: sp.csr_matrix) -> sp.csr_matrix:
    """Sublinear TF-IDF, L2-normalized per block, computed block by block (the original code)."""
    cols = fitted.lookup[counts.indices]
    keep = cols >= 0
    row_of = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))[keep]
    cols = cols[keep]
    values = (1.0 + np.log(counts.data[keep])) * fitted.idf[cols]
    is_char = cols >= fitted.n_word_cols
    n = counts.shape[0]
    sq = values * values
    word_norm = np.sqrt(np.bincount(row_of[~is_char], sq[~is_char], minlength=n))
    char_norm = np.sqrt(np.bincount(row_of[is_char], sq[is_char], minlength=n))
    norms = np.where(is_char, char_norm[row_of], word_norm[row_of])
    values = (values / np.maximum(norms, 1e-12)).astype(np.float32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of, minlength=n), out=indptr[1:])
    return sp.csr_matrix((values, cols, indptr), shape=(n, fitted.n_text_cols))
