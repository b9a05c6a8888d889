"""Text features: hashed word 1-2-grams and char_wb n-grams of the normalized text, plus comment signals.

Design, for speed and small model files:

* Text goes through :mod:`moderation.judging.normalize` (obfuscation folding), then each token is hashed once: its
  word bucket and the buckets of its char n-grams (``" word "`` padded, like scikit-learn's ``char_wb``) are
  kept in a bounded LRU cache as packed ``int32`` bytes. Words repeat a lot across comments, so most tokens
  cost a dictionary lookup; a batch is assembled with one ``bytes.join`` and a few numpy calls.
* Word bigrams are hashed from the two word hashes with numpy, for the whole batch at once.
* Fitting keeps only buckets seen in at least ``min_df`` training documents (:class:`FittedFeatures`), so the
  model stores a compact column map instead of a vocabulary. Values are sublinear TF × IDF, L2-normalized
  per block (words, chars), like ``TfidfVectorizer``.
* Chinese and Japanese are written without spaces, so a whole clause would be one "word" with dozens of char
  n-grams, none of them cached. Their ideographs and kana become one token each instead: the word features are
  then single characters and the word bigrams character bigrams (the classic features for Chinese text
  classification), and every token is in the cache.
* :mod:`moderation.judging.numeric_features` adds the numeric comment signals, scaled by ``signal_weight``.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import chain, pairwise
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from moderation.judging.normalize import UNSPACED_CHARS, UNSPACED_RE, normalize_chunk, prepare
from moderation.judging.numeric_features import SIGNAL_NAMES, batch_signals

_MAX_WORD_CHARS = 30  # longer tokens get char n-grams of their first 30 characters only
_BIGRAM_MUL = np.uint64(0x9E3779B1)
_FIRST, _SECOND, _THIRD, _FOURTH = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)
# Each character of a script written without spaces (normalize.UNSPACED_CHARS) is a token of its own.
_UNSPACED_SPLIT_RE = re.compile(f"[{UNSPACED_CHARS}]|[^{UNSPACED_CHARS}]+")


def split_unspaced(tokens: Sequence[str]) -> tuple[str, ...]:
    """Tokens with every character of a script written without spaces (CJK ideographs, kana, Thai...) as a
    token of its own (other runs kept whole).

    :param tokens: normalized tokens.
    """
    out: list[str] = []
    for token in tokens:
        if UNSPACED_RE.search(token):
            out.extend(_UNSPACED_SPLIT_RE.findall(token))
        else:
            out.append(token)
    return tuple(out)


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


class TokenEntries(NamedTuple):
    """Where a batch's hashed counts come from, token by token (what explanations credit features to).

    :param hashes: ``uint64`` full hash of every token of the batch, documents one after another.
    :param buckets: ``int32`` bucket of every token entry (a token's word bucket, then its char n-gram
        buckets), tokens one after another.
    :param token_bounds: ``n + 1`` offsets of each document's tokens in ``hashes``.
    :param entry_bounds: ``n + 1`` offsets of each document's entries in ``buckets``.
    """

    hashes: np.ndarray
    buckets: np.ndarray
    token_bounds: np.ndarray
    entry_bounds: np.ndarray


class HashedBatch(NamedTuple):
    """Raw hashed counts of a batch.

    :param counts: ``n × buckets`` CSR of raw occurrence counts (word buckets first, then char buckets).
    :param signals: ``n × len(SIGNAL_NAMES)`` signal matrix (already multiplied by ``signal_weight``).
    :param tokens: the normalized tokens of each document (for explanations).
    :param entries: the token-level hashes behind ``counts`` (for explanations).
    """

    counts: sp.csr_matrix
    signals: np.ndarray
    tokens: list[tuple[str, ...]]
    entries: TokenEntries | None = None


def _bounds(sizes: np.ndarray) -> np.ndarray:
    """``len(sizes) + 1`` offsets of consecutive segments of the given sizes."""
    bounds = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=bounds[1:])
    return bounds


def _segment_sums(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Integer sums of consecutive segments of ``values`` delimited by ``bounds`` (empty segments sum to 0)."""
    cumulative = _bounds(values)
    return cumulative[bounds[1:]] - cumulative[bounds[:-1]]


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

    def entries_per_token(self, lengths: np.ndarray) -> np.ndarray:
        """How many buckets :meth:`token_entry` gives tokens of these lengths (1 word + the char n-grams).

        :param lengths: token lengths in characters.
        """
        padded = np.minimum(lengths, _MAX_WORD_CHARS) + 2
        sizes = np.ones(len(lengths), dtype=np.int64)
        for n in range(self.params.char_min, self.params.char_max + 1):
            sizes += np.maximum(1, padded - n + 1)
        return sizes

    def bigram_buckets(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Word buckets of bigrams from the full hashes of their two words.

        :param first: uint64 hashes of the first words.
        :param second: uint64 hashes of the second words.
        """
        mixed = (first * _BIGRAM_MUL) ^ (second + np.uint64(0x7F4A7C15))
        return ((mixed >> np.uint64(7)) & np.uint64(self.word_size - 1)).astype(np.int64)

    def _chunk_entry(self, chunk: str) -> tuple[tuple[str, ...], bytes, bytes, bytes]:
        """Normalized tokens of one prepared chunk, then packed: its counts (int64 folds, repeats, tokens,
        buckets), its token hashes (uint64) and its buckets (int32)."""
        norm = normalize_chunk(chunk)
        tokens = norm.tokens if chunk.isascii() or not UNSPACED_RE.search(chunk) else split_unspaced(norm.tokens)
        entries = [self.token_entry(t) for t in tokens]
        packed = b"".join([e[1] for e in entries])
        counts = array("q", [norm.folds, norm.repeats, len(tokens), len(packed) // 4]).tobytes()
        return tokens, counts, array("Q", [e[0] for e in entries]).tobytes(), packed

    def hash_batch(self, texts: Sequence[str]) -> HashedBatch:
        """Hash a batch of raw texts.

        Every chunk of the batch is looked up at once (most are cached), then the batch is assembled with a
        few joins and numpy calls: no per-token Python work for words seen before.

        :param texts: raw comment texts.
        """
        n_docs = len(texts)
        prepared = list(map(prepare, texts))
        chunk_lists = list(map(_FIRST, prepared))
        chunk_bounds = _bounds(np.fromiter(map(len, chunk_lists), dtype=np.int64, count=n_docs))
        # One lookup per chunk of the batch, then one join per field: no per-token work, and no zip(*...)
        # (thousands of short-lived iterators make the garbage collector walk the caches).
        entries = list(map(self.chunk_entry, chain.from_iterable(chunk_lists)))
        per_chunk = np.frombuffer(b"".join(map(_SECOND, entries)), dtype=np.int64).reshape(-1, 4)
        folds = np.fromiter(map(_SECOND, prepared), dtype=np.int64, count=n_docs)
        folds += _segment_sums(per_chunk[:, 0], chunk_bounds)
        repeats = _segment_sums(per_chunk[:, 1], chunk_bounds)
        token_bounds = _bounds(_segment_sums(per_chunk[:, 2], chunk_bounds))
        entry_bounds = _bounds(_segment_sums(per_chunk[:, 3], chunk_bounds))
        flat_tokens = tuple(chain.from_iterable(map(_FIRST, entries)))
        tokens_per_doc = [flat_tokens[a:b] for a, b in pairwise(token_bounds.tolist())]
        signals = batch_signals(texts, tokens_per_doc, folds.tolist(), repeats.tolist())
        token_entries = TokenEntries(
            hashes=np.frombuffer(b"".join(map(_THIRD, entries)), dtype=np.uint64),
            buckets=np.frombuffer(b"".join(map(_FOURTH, entries)), dtype=np.int32),
            token_bounds=token_bounds,
            entry_bounds=entry_bounds,
        )
        counts = self._assemble(token_entries, n_docs)
        return HashedBatch(counts, signals * self.params.signal_weight, tokens_per_doc, token_entries)

    def _assemble(self, entries: TokenEntries, n_docs: int) -> sp.csr_matrix:
        """The counts matrix: every (document, bucket) key of the batch sorted once, runs counted.

        The same canonical CSR (sorted indices, duplicates summed) as building it from COO triplets.
        """
        # (document, bucket) as one integer; 32 bits when they fit (a batch of up to ~2,700 documents with
        # the default sizes), which sorts about twice as fast as 64.
        key_type = np.uint32 if max(n_docs, 1) * self.n_buckets <= 1 << 32 else np.int64
        doc_keys = np.arange(n_docs, dtype=key_type) * self.n_buckets  # each document's first key
        keys = np.repeat(doc_keys, np.diff(entries.entry_bounds)) + entries.buckets.astype(key_type)
        if self.params.bigrams and len(entries.hashes) > 1:
            token_keys = np.repeat(doc_keys, np.diff(entries.token_bounds))
            same = token_keys[:-1] == token_keys[1:]
            full = entries.hashes
            bigrams = self.bigram_buckets(full[:-1][same], full[1:][same]).astype(key_type)
            keys = np.concatenate([keys, token_keys[:-1][same] + bigrams])
        keys.sort()
        starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else keys
        unique = keys[starts]
        data = np.diff(np.append(starts, len(keys))).astype(np.float32)
        indptr = np.append(np.searchsorted(unique, doc_keys), len(unique)).astype(np.int32)
        indices = (unique - np.repeat(doc_keys, np.diff(indptr))).astype(np.int32)
        matrix = sp.csr_matrix((data, indices, indptr), shape=(n_docs, self.n_buckets))
        matrix.has_canonical_format = True
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
        n = counts.shape[0]
        cols = self.lookup[counts.indices]
        keep = cols >= 0
        row_of = np.repeat(np.arange(n), np.diff(counts.indptr))[keep]
        cols = cols[keep]
        values = (1.0 + np.log(counts.data[keep])) * self.idf[cols]
        # One norm per (row, block): both blocks in one bincount, each summed in the same order as alone.
        block = row_of * 2 + (cols >= self.n_word_cols)
        norms = np.sqrt(np.bincount(block, values * values, minlength=2 * n))
        values = (values / np.maximum(norms, 1e-12)[block]).astype(np.float32)
        indptr = np.searchsorted(row_of, np.arange(n + 1)).astype(np.int32)
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
