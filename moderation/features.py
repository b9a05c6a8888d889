"""Text features: hashed word 1-2-grams and char_wb n-grams of the normalized text, plus comment signals.

Design, for speed and small model files:

* Text goes through :mod:`moderation.normalize` (obfuscation folding), then each token is hashed once: its
  word bucket and the buckets of its char n-grams (``" word "`` padded, like scikit-learn's ``char_wb``) are
  kept in a bounded LRU cache as packed ``int32`` bytes. Words repeat a lot across comments, so most tokens
  cost a dictionary lookup; a batch is assembled with one ``bytes.join`` and a few numpy calls.
* Word bigrams are hashed from the two word hashes with numpy, for the whole batch at once.
* Fitting keeps only buckets seen in at least ``min_df`` training documents (:class:`FittedFeatures`), so the
  model stores a compact column map instead of a vocabulary. Values are sublinear TF × IDF, L2-normalized
  per block (words, chars), like ``TfidfVectorizer``.
* :mod:`moderation.signals` adds numeric comment signals, scaled by ``signal_weight``.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from moderation.normalize import normalize_chunk, prepare
from moderation.signals import SIGNAL_NAMES, comment_signals

_MAX_WORD_CHARS = 30  # longer tokens get char n-grams of their first 30 characters only
_BIGRAM_MUL = np.uint64(0x9E3779B1)


@dataclass(frozen=True)
class FeatureParams:
    """Shape of the feature space (stored in every bundle).

    :param word_bits: log2 of the number of word (1-2-gram) hash buckets.
    :param char_bits: log2 of the number of char n-gram hash buckets.
    :param char_min: shortest char n-gram.
    :param char_max: longest char n-gram.
    :param bigrams: whether to add word bigrams.
    :param signal_weight: multiplier of the comment signals (their effective regularization).
    :param cache_size: LRU size of the per-token hash cache (entries).
    """

    word_bits: int = 19
    char_bits: int = 20
    char_min: int = 2
    char_max: int = 5
    bigrams: bool = True
    signal_weight: float = 0.5
    cache_size: int = 65536

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureParams:
        """Build from a (stored) dict, ignoring unknown keys.

        :param data: the mapping written by :meth:`to_dict`.
        """
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for storage."""
        return asdict(self)


class HashedBatch(NamedTuple):
    """Raw hashed counts of a batch.

    :param counts: ``n × buckets`` CSR of raw occurrence counts (word buckets first, then char buckets).
    :param signals: ``n × len(SIGNAL_NAMES)`` signal matrix (already multiplied by ``signal_weight``).
    :param tokens: the normalized tokens of each document (for explanations).
    """

    counts: sp.csr_matrix
    signals: np.ndarray
    tokens: list[tuple[str, ...]]


class Featurizer:
    """Turns texts into hashed counts and signals (nothing fitted).

    :param params: the feature-space shape.
    """

    def __init__(self, params: FeatureParams) -> None:
        self.params = params
        self.word_size = 1 << params.word_bits
        self.char_size = 1 << params.char_bits
        self.n_buckets = self.word_size + self.char_size
        self.token_entry = lru_cache(maxsize=params.cache_size)(self._token_entry)
        self.chunk_entry = lru_cache(maxsize=params.cache_size)(self._chunk_entry)

    def _token_entry(self, token: str) -> tuple[int, bytes]:
        """Full 32-bit hash of ``token`` and its packed buckets (word bucket, then char n-gram buckets)."""
        full = murmurhash3_32(token, positive=True)
        buckets = array("i", [full & (self.word_size - 1)])
        padded = f" {token[:_MAX_WORD_CHARS]} "
        cmask = self.char_size - 1
        offset = self.word_size
        for n in range(self.params.char_min, self.params.char_max + 1):
            for i in range(max(1, len(padded) - n + 1)):
                buckets.append(offset + (murmurhash3_32(padded[i : i + n], positive=True) & cmask))
        return full, buckets.tobytes()

    def bigram_buckets(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Word buckets of bigrams from the full hashes of their two words.

        :param first: uint64 hashes of the first words.
        :param second: uint64 hashes of the second words.
        """
        mixed = (first * _BIGRAM_MUL) ^ (second + np.uint64(0x7F4A7C15))
        return ((mixed >> np.uint64(7)) & np.uint64(self.word_size - 1)).astype(np.int64)

    def _chunk_entry(self, chunk: str) -> tuple[tuple[str, ...], int, int, tuple[int, ...], bytes]:
        """Normalized tokens, folds, repeats, token hashes and packed buckets of one prepared chunk."""
        norm = normalize_chunk(chunk)
        entries = [self.token_entry(t) for t in norm.tokens]
        hashes = tuple(e[0] for e in entries)
        return norm.tokens, norm.folds, norm.repeats, hashes, b"".join(e[1] for e in entries)

    def hash_batch(self, texts: Sequence[str]) -> HashedBatch:
        """Hash a batch of raw texts.

        :param texts: raw comment texts.
        """
        chunk_entry = self.chunk_entry
        packed: list[bytes] = []
        hashes: list[int] = []
        n_tokens = np.zeros(len(texts), dtype=np.int64)
        tokens_per_doc: list[tuple[str, ...]] = []
        signals = np.zeros((len(texts), len(SIGNAL_NAMES)), dtype=np.float64)
        for i, text in enumerate(texts):
            chunks, folds = prepare(text)
            if chunks:
                tok_parts, fold_parts, repeat_parts, hash_parts, byte_parts = zip(
                    *map(chunk_entry, chunks), strict=True
                )
                tokens = tuple(chain.from_iterable(tok_parts))
                hashes.extend(chain.from_iterable(hash_parts))
                packed.append(b"".join(byte_parts))
                folds += sum(fold_parts)
                repeats = sum(repeat_parts)
            else:
                tokens, repeats = (), 0
                packed.append(b"")
            tokens_per_doc.append(tokens)
            n_tokens[i] = len(tokens)
            signals[i] = comment_signals(text, tokens, folds, repeats)
        counts = self._assemble(packed, hashes, n_tokens, len(texts))
        return HashedBatch(counts, signals * self.params.signal_weight, tokens_per_doc)

    def _assemble(
        self, packed: list[bytes], hashes: list[int], n_tokens: np.ndarray, n_docs: int
    ) -> sp.csr_matrix:
        lengths = np.fromiter(map(len, packed), dtype=np.int64, count=len(packed)) // 4
        cols = np.frombuffer(b"".join(packed), dtype=np.int32).astype(np.int64)
        token_doc = np.repeat(np.arange(n_docs), n_tokens)
        rows = np.repeat(np.arange(n_docs), lengths)
        if self.params.bigrams and len(hashes) > 1:
            full = np.array(hashes, dtype=np.uint64)
            same = token_doc[:-1] == token_doc[1:]
            cols = np.concatenate([cols, self.bigram_buckets(full[:-1][same], full[1:][same])])
            rows = np.concatenate([rows, token_doc[:-1][same]])
        data = np.ones(len(cols), dtype=np.float32)
        matrix = sp.csr_matrix((data, (rows, cols)), shape=(n_docs, self.n_buckets))
        matrix.sum_duplicates()
        return matrix


class FittedFeatures:
    """The fitted feature transform: kept buckets and their IDF weights.

    :param params: the feature-space shape.
    :param kept: sorted bucket ids kept (seen in at least ``min_df`` training documents).
    :param idf: IDF weight of each kept bucket.
    """

    def __init__(self, params: FeatureParams, kept: np.ndarray, idf: np.ndarray) -> None:
        self.params = params
        self.featurizer = Featurizer(params)
        self.kept = np.asarray(kept, dtype=np.int64)
        self.idf = np.asarray(idf, dtype=np.float32)
        self.n_word_cols = int(np.searchsorted(self.kept, self.featurizer.word_size))
        self.lookup = np.full(self.featurizer.n_buckets, -1, dtype=np.int32)
        self.lookup[self.kept] = np.arange(len(self.kept), dtype=np.int32)
        self.n_text_cols = len(self.kept)
        self.column_names_signals = tuple(f"signal:{name}" for name in SIGNAL_NAMES)

    @classmethod
    def fit(cls, counts: sp.csr_matrix, params: FeatureParams, min_df: int = 2) -> FittedFeatures:
        """Choose kept buckets and IDF from training counts (smooth IDF, as in scikit-learn).

        :param counts: hashed counts of the training texts (:meth:`Featurizer.hash_batch`).
        :param params: the feature-space shape used to hash them.
        :param min_df: minimum number of documents a bucket must appear in.
        """
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        kept = np.flatnonzero(df >= min_df)
        idf = np.log((1 + counts.shape[0]) / (1 + df[kept])) + 1.0
        return cls(params, kept, idf)

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Sublinear TF-IDF of kept buckets, L2-normalized per block (words, chars).

        :param counts: raw hashed counts (any number of rows).
        """
        cols = self.lookup[counts.indices]
        keep = cols >= 0
        row_of = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))[keep]
        cols = cols[keep]
        values = (1.0 + np.log(counts.data[keep])) * self.idf[cols]
        is_char = cols >= self.n_word_cols
        n = counts.shape[0]
        sq = values * values
        word_norm = np.sqrt(np.bincount(row_of[~is_char], sq[~is_char], minlength=n))
        char_norm = np.sqrt(np.bincount(row_of[is_char], sq[is_char], minlength=n))
        norms = np.where(is_char, char_norm[row_of], word_norm[row_of])
        values = (values / np.maximum(norms, 1e-12)).astype(np.float32)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of, minlength=n), out=indptr[1:])
        return sp.csr_matrix((values, cols, indptr), shape=(n, self.n_text_cols))

    def transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, HashedBatch]:
        """Text features of raw texts.

        :param texts: raw comment texts.
        :returns: the weighted text matrix (``n × n_text_cols``) and the hashed batch (signals, tokens).
        """
        batch = self.featurizer.hash_batch(texts)
        return self.weigh(batch.counts), batch


def stack(text_matrix: sp.csr_matrix, signals: np.ndarray) -> sp.csr_matrix:
    """The full design matrix: text columns, then signal columns.

    :param text_matrix: output of :meth:`FittedFeatures.weigh`.
    :param signals: the batch's signal matrix.
    """
    return sp.hstack([text_matrix, sp.csr_matrix(signals.astype(np.float32))], format="csr")
