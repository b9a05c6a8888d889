"""Scoring: calibrated per-head probabilities with readable explanations. The worker's contract.

A model is a plain *state* mapping (only str/int/float/lists/numpy arrays, so the npz bundle format stores it
without any custom type) holding the fitted feature transform, one linear model per head and one calibrator per head:

``format``            int, :data:`STATE_FORMAT`
``feature_params``    dict, :class:`moderation.judging.features.FeatureParams`
``kept``, ``idf``     arrays, :class:`moderation.judging.features.FittedFeatures`
``heads``             list of head names
``coef``              float32 array ``(n_text_cols + n_signals) × n_heads``
``intercept``         float64 array ``n_heads``
``calibration``       dict head -> ``{"method": "sigmoid", "a": float, "b": float}`` (``p = 1/(1+exp(a·d+b))``)
                      or ``{"method": "isotonic", "x": array, "y": array}``
``calibration_by_lang`` optional dict language -> head -> calibration entry, used for comments identified as
                      that language (a head without one uses ``calibration``)
``languages``         optional list of the ISO 639-1 codes the model claims (trained on, and good enough on
                      held-out data); a model without it claims English only
``screened_languages`` optional list of languages it has real labels for but does not claim, calibrated to
                      catch nearly all their abuse: the policy approves what the model is sure of in them and
                      holds the rest (:meth:`moderation.judging.policy.SitePolicy.judge`)

Mentions are scored apart: a comment that quotes, names or reports an insult rather than aiming it at anyone
("Calling the mayor an idiot is not an argument."; :mod:`moderation.judging.mentions`) is scored a second time without
the mentioned words, and each head keeps the lower of its two scores (with that score's explanation). Only
comments some head scores at :data:`MENTION_MIN_PROBABILITY` or more are looked at: below, nothing is lowered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, count, pairwise, repeat
from typing import Any, NamedTuple

import numpy as np

from moderation.judging.features import FeatureParams, FittedFeatures
from moderation.judging.language import DEFAULT_LANGUAGES
from moderation.judging.mentions import LANGUAGES as MENTION_LANGUAGES
from moderation.judging.mentions import Span, find_mentions, without_mentions

STATE_FORMAT = 1
#: Heads with a probability below this get no explanation (explanations cost more than scoring).
EXPLAIN_MIN_PROBABILITY = 0.2
#: Comments whose every head scores below this are not looked at for mentions (nothing for them to lower).
MENTION_MIN_PROBABILITY = 0.2


class HeadScore(NamedTuple):
    """Score of one head for one comment (a named tuple: a batch of 100 comments builds 700 of them, and a
    frozen dataclass costs twice as much to build).

    :param probability: calibrated probability, 0..1.
    :param contributions: top terms/signals pushing toward positive: ``(name, weight)``, strongest first.
    """

    probability: float
    contributions: tuple[tuple[str, float], ...]


def calibrate(decisions: np.ndarray, calibration: Mapping[str, Any]) -> np.ndarray:
    """Map raw decision values of one head to calibrated probabilities.

    :param decisions: decision values (``X·w + b``).
    :param calibration: the head's calibration entry (see the module docstring).
    """
    if calibration["method"] == "isotonic":
        return np.interp(decisions, np.asarray(calibration["x"]), np.asarray(calibration["y"]))
    z = float(calibration["a"]) * decisions + float(calibration["b"])
    return 1.0 / (1.0 + np.exp(np.clip(z, -50.0, 50.0)))


class Scorer:
    """Scores batches of comments with every head of one model.

    :param state: the model state (see the module docstring).
    :param version: the bundle version string.
    :param mentions_apart: whether to score mentions apart (see the module docstring); off, every comment is
        scored as written.
    """

    def __init__(self, state: Mapping[str, Any], version: str, *, mentions_apart: bool = True) -> None:
        if int(state.get("format", 0)) != STATE_FORMAT:
            raise ValueError(f"unsupported model state format {state.get('format')!r}")
        self.version = version
        self.mentions_apart = mentions_apart
        self.heads: tuple[str, ...] = tuple(str(h) for h in state["heads"])
        self.features = FittedFeatures(
            FeatureParams.from_dict(state["feature_params"]), np.asarray(state["kept"]), np.asarray(state["idf"])
        )
        coef = np.asarray(state["coef"], dtype=np.float32)
        n_text = self.features.n_text_cols
        self.text_coef = np.ascontiguousarray(coef[:n_text])
        self.signal_coef = np.ascontiguousarray(coef[n_text:]).astype(np.float64)
        # explanations read one head's text coefficients at a time (a view, not a copy: explanations gather
        # scattered columns anyway, and a copy cost each worker process 8 MB with the shipped model)
        self.text_coef_by_head = self.text_coef.T
        # explanations multiply a comment's signals by one head's coefficients: plain floats, one list per head
        self.signal_coef_by_head: list[list[float]] = self.signal_coef.T.tolist()
        self.intercept = np.asarray(state["intercept"], dtype=np.float64)
        self.calibration = {h: dict(state["calibration"][h]) for h in self.heads}
        self.calibration_by_lang: dict[str, dict[str, dict[str, Any]]] = {
            str(lang): {h: dict(entry) for h, entry in entries.items() if h in self.calibration}
            for lang, entries in dict(state.get("calibration_by_lang") or {}).items()
        }
        self.languages: tuple[str, ...] = tuple(str(x) for x in state.get("languages", DEFAULT_LANGUAGES))
        self.screened_languages: tuple[str, ...] = tuple(
            str(x) for x in state.get("screened_languages", ()) if str(x) not in self.languages)
        self.explain_min_probability = EXPLAIN_MIN_PROBABILITY
        if self.text_coef.shape[1] != len(self.heads) or len(self.signal_coef) != len(
            self.features.column_names_signals
        ):
            raise ValueError("model state: coefficient shape does not match heads and features")

    def predict_proba(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> np.ndarray:
        """Calibrated probabilities, ``len(texts) × len(heads)``.

        :param texts: raw comment texts.
        :param langs: each text's language (ISO 639-1), for per-language calibration; ``None``: the default one.
        """
        probs, _, batch = self._score(texts, langs)
        spans = self._mentions(texts, langs, probs.max(axis=1, initial=0.0), batch.tokens)
        rows = [i for i, found in enumerate(spans) if found]
        if rows:
            unmentioned = [without_mentions(texts[i], spans[i] or ()) for i in rows]
            probs[rows] = np.minimum(probs[rows], self._score(unmentioned, _pick(langs, rows))[0])
        return probs

    def _mentions(self, texts: Sequence[str], langs: Sequence[str] | None, peaks: np.ndarray,
                  tokens: Sequence[Sequence[str]],
                  apart: Sequence[bool] | None = None) -> list[tuple[Span, ...] | None]:
        """Each text's mentions, looked for where they can lower a score (see the module docstring); ``None``
        where not looked for.

        :param peaks: each text's highest probability (as scored as written).
        """
        spans: list[tuple[Span, ...] | None] = [None] * len(texts)
        if not self.mentions_apart:
            return spans
        default = DEFAULT_LANGUAGES[0]
        for i in np.flatnonzero(peaks >= MENTION_MIN_PROBABILITY).tolist():
            lang = langs[i] if langs is not None else default
            if lang in MENTION_LANGUAGES and (apart is None or apart[i]):
                spans[i] = find_mentions(texts[i], lang, tokens[i])
        return spans

    def _score(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> tuple[np.ndarray, Any, Any]:
        matrix, batch = self.features.transform(texts)
        decisions = np.asarray(matrix @ self.text_coef, dtype=np.float64)
        decisions += batch.signals @ self.signal_coef + self.intercept
        probs = np.empty_like(decisions)
        # each comment calibrated once: by its language's entry where the model has one, else the default one
        rest: np.ndarray | None = None  # the rows left for the default calibration (None: all of them)
        if langs is not None and self.calibration_by_lang:
            codes = np.asarray(langs)
            rest = np.ones(len(codes), dtype=bool)
            for lang, entries in self.calibration_by_lang.items():
                rows = np.flatnonzero(codes == lang)
                if not len(rows):
                    continue
                rest[rows] = False
                whole = len(rows) == len(codes)
                for j, head in enumerate(self.heads):
                    entry = entries.get(head) or self.calibration[head]
                    if whole:
                        probs[:, j] = calibrate(decisions[:, j], entry)
                    else:
                        probs[rows, j] = calibrate(decisions[rows, j], entry)
            if rest.all():
                rest = None
        if rest is None:
            for j, head in enumerate(self.heads):
                probs[:, j] = calibrate(decisions[:, j], self.calibration[head])
        elif rest.any():
            rows = np.flatnonzero(rest)
            for j, head in enumerate(self.heads):
                probs[rows, j] = calibrate(decisions[rows, j], self.calibration[head])
        return probs, matrix, batch

    def score_batch(
        self, texts: Sequence[str], explain: bool = True, top_k: int = 5, langs: Sequence[str] | None = None
    ) -> list[dict[str, HeadScore]]:
        """Score a batch of comments (mentions apart: see :meth:`score_in_context`).

        :param texts: raw comment texts.
        :param langs: each text's language (ISO 639-1), for per-language calibration; ``None``: the default one.
        :param explain: whether to compute contributions (only for heads whose probability is at least
            :attr:`explain_min_probability`; other heads get an empty tuple).
        :param top_k: number of contributions per explained head.
        :returns: one ``{head: HeadScore}`` dict per text, in order.
        """
        return self.score_in_context(texts, explain, top_k, langs)[0]

    def score_in_context(
        self, texts: Sequence[str], explain: bool = True, top_k: int = 5, langs: Sequence[str] | None = None,
        apart: Sequence[bool] | None = None,
    ) -> tuple[list[dict[str, HeadScore]], list[tuple[Span, ...] | None]]:
        """Score a batch of comments, and each one's mentions scored apart.

        A comment with mentions (:func:`moderation.judging.mentions.find_mentions`) is scored again without them; each
        head keeps the lower score, with its explanation.

        :param texts: raw comment texts.
        :param explain: as for :meth:`score_batch`.
        :param top_k: as for :meth:`score_batch`.
        :param langs: as for :meth:`score_batch`; only the languages with mention frames have mentions.
        :param apart: per text, whether its mentions may be scored apart (a site's policy); ``None``: all.
        :returns: the :meth:`score_batch` results, and per text the mentions that were scored apart: ``None``
            where they were not looked for (every head under :data:`MENTION_MIN_PROBABILITY`, a language
            without frames, or not ``apart``), else the spans found (often none).
        """
        results, peaks, tokens = self._score_explained(texts, explain, top_k, langs)
        spans = self._mentions(texts, langs, peaks, tokens, apart)
        rows = [i for i, found in enumerate(spans) if found]
        if rows:
            unmentioned = [without_mentions(texts[i], spans[i] or ()) for i in rows]
            first_scores = np.array([[score[0] for score in results[i].values()] for i in rows])
            again_scored = self._score_explained(unmentioned, explain, top_k, _pick(langs, rows), first_scores)[0]
            for i, again in zip(rows, again_scored, strict=True):
                first = results[i]
                results[i] = {head: again[head] if again[head][0] < score[0] else score
                              for head, score in first.items()}
        return results, spans

    def _score_explained(
        self, texts: Sequence[str], explain: bool, top_k: int, langs: Sequence[str] | None,
        below: np.ndarray | None = None,
    ) -> tuple[list[dict[str, HeadScore]], np.ndarray, list[tuple[str, ...]]]:
        """Every text scored as written, with explanations; each one's highest probability and its tokens.

        :param below: optionally, per text and head, a probability: only scores under it are explained (a
            comment scored again without its mentions keeps only its lower scores).
        """
        if not texts:
            return [], np.zeros(0), []
        probs, matrix, batch = self._score(texts, langs)
        explained: dict[int, dict[int, tuple[tuple[str, float], ...]]] = {}
        if explain and top_k > 0:
            wanted_mask = probs >= self.explain_min_probability
            if below is not None:
                wanted_mask &= probs < below
            rows, cols = np.nonzero(wanted_mask)  # row by row, heads in order
            if len(rows):
                docs, starts = np.unique(rows, return_index=True)
                heads = cols.tolist()
                bounds = [*starts.tolist(), len(heads)]
                wanted = [heads[a:b] for a, b in pairwise(bounds)]
                explained = dict(zip(docs.tolist(), self._explain(matrix, batch, docs.tolist(), wanted, top_k),
                                     strict=True))
        names = self.heads
        nothing = ((),) * len(names)
        head_ids = range(len(names))
        results: list[dict[str, HeadScore]] = []
        for i, row in enumerate(probs.tolist()):
            reasons = explained.get(i)
            contributions = nothing if reasons is None else map(reasons.get, head_ids, nothing)
            # tuple.__new__ on (probability, contributions) pairs: HeadScores without the named tuple's
            # Python-level __new__
            pairs = zip(row, contributions, strict=True)
            results.append(dict(zip(names, map(tuple.__new__, repeat(HeadScore), pairs), strict=True)))
        return results, probs.max(axis=1, initial=0.0), batch.tokens

    def explain(self, text: str, top_k: int = 5) -> dict[str, tuple[tuple[str, float], ...]]:
        """Contributions of every head for one text, whatever its probability.

        :param text: raw comment text.
        :param top_k: number of contributions per head.
        """
        _, matrix, batch = self._score([text])
        (explained,) = self._explain(matrix, batch, [0], [list(range(len(self.heads)))], top_k)
        return {head: explained[j] for j, head in enumerate(self.heads)}

    def _explain(
        self, matrix: Any, batch: Any, docs: list[int], wanted: list[list[int]], top_k: int
    ) -> list[dict[int, tuple[tuple[str, float], ...]]]:
        """Per-term contributions (value × coefficient) for some documents of a batch, vectorized.

        Char n-gram and word features are credited to the (normalized) word that produced them, bigrams
        to ``"a b"``; a feature produced by several words of a comment is split evenly between them.

        The entries are taken from the hashed batch (:class:`moderation.judging.features.TokenEntries`) rather than
        hashed again, and each term's contributions are added up in entry order, so that the weights (and
        ties between them) do not depend on how the batch was put together.

        :param matrix: the batch's weighted text matrix.
        :param batch: the hashed batch (tokens, signals, entries).
        :param docs: row indices to explain, ascending.
        :param wanted: for each of ``docs``, the head indices to explain.
        :param top_k: contributions kept per head.
        :returns: for each of ``docs``, head index -> contributions.
        """
        featurizer = self.features.featurizer
        entries = batch.entries
        n_docs = len(docs)
        doc_ids = np.asarray(docs, dtype=np.int64)
        # The explained documents' tokens, one after another, and where each comes from.
        tokens = list(chain.from_iterable(batch.tokens[d] for d in docs))
        n_tokens = entries.token_bounds[doc_ids + 1] - entries.token_bounds[doc_ids]
        token_doc = np.repeat(np.arange(n_docs), n_tokens)  # index in docs
        # Terms of document k, numbered from term_start[k]: its distinct tokens in order of first occurrence,
        # then one term per bigram occurrence (named, and merged with its equals, only if selected).
        distinct = dict(zip(dict.fromkeys(tokens), count()))
        word = np.fromiter(map(distinct.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        _, first, inverse = np.unique(token_doc * max(len(distinct), 1) + word, return_index=True,
                                      return_inverse=True)
        rank = np.empty(len(first), dtype=np.int64)
        rank[np.argsort(first)] = np.arange(len(first))  # (document, token) pairs by first occurrence
        n_distinct = np.bincount(token_doc[first], minlength=n_docs)
        n_pairs = np.maximum(n_tokens - 1, 0)
        pairs_before = _starts(n_pairs)
        term_start = np.append(_starts(n_distinct) + pairs_before, int(n_distinct.sum() + n_pairs.sum()))
        token_term = rank[inverse.reshape(-1)] + pairs_before[token_doc]
        left = np.flatnonzero(token_doc[:-1] == token_doc[1:])  # the first token of each bigram
        pair_doc = token_doc[left]
        pair_term = term_start[pair_doc] + n_distinct[pair_doc] + left - _starts(n_tokens)[pair_doc]
        # Entries as hash_batch counted them: each token's buckets in order, then the bigrams.
        n_entries = entries.entry_bounds[doc_ids + 1] - entries.entry_bounds[doc_ids]
        buckets = entries.buckets[_ranges(entries.entry_bounds[doc_ids], n_entries)].astype(np.int64)
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        entry_token = np.repeat(np.arange(len(tokens)), featurizer.entries_per_token(lengths))
        term_ids = token_term[entry_token]
        doc_of = doc_ids[token_doc[entry_token]]
        if featurizer.params.bigrams and len(tokens) > 1:
            full = entries.hashes[_ranges(entries.token_bounds[doc_ids], n_tokens)]
            buckets = np.concatenate([buckets, featurizer.bigram_buckets(full[left], full[left + 1])])
            term_ids = np.concatenate([term_ids, pair_term])
            doc_of = np.concatenate([doc_of, doc_ids[pair_doc]])
        cols = self.features.lookup[buckets].astype(np.int64)
        keep = cols >= 0
        cols, term_ids, doc_of = cols[keep], term_ids[keep], doc_of[keep]
        pos = _positions(matrix, doc_of, cols, self.features.n_text_cols)
        share = matrix.data[pos] / np.bincount(pos, minlength=max(matrix.nnz, 1))[pos]
        heads = sorted({j for w in wanted for j in w})
        n_terms = int(term_start[-1])
        by_head = self.text_coef_by_head
        per_term = {j: np.bincount(term_ids, share * by_head[j][cols], minlength=n_terms) for j in heads}
        # The name of each term: a token, or a bigram "a b" (by the explained token it starts at).
        term_token = np.empty(n_terms, dtype=np.int64)
        term_token[token_term] = np.arange(len(tokens))
        term_token[pair_term] = left
        term_pair = np.zeros(n_terms, dtype=bool)
        term_pair[pair_term] = True
        term_token_list, term_pair_list = term_token.tolist(), term_pair.tolist()

        def label(term: int) -> str:
            at = term_token_list[term]
            return f"{tokens[at]} {tokens[at + 1]}" if term_pair_list[term] else tokens[at]

        signal_names = self.features.column_names_signals
        signal_coef_by_head = self.signal_coef_by_head
        # A signal's contribution is its value times the head's coefficient (the same product numpy would
        # take); a signal at 0 contributes 0, -0 or NaN, never a positive weight, so it is skipped.
        signal_rows = batch.signals[doc_ids].tolist()
        bounds = term_start.tolist()
        out: list[dict[int, tuple[tuple[str, float], ...]]] = []
        for k in range(n_docs):
            lo, hi = bounds[k], bounds[k + 1]
            signals = [(s, value) for s, value in enumerate(signal_rows[k]) if value != 0]
            explained: dict[int, tuple[tuple[str, float], ...]] = {}
            for j in wanted[k]:
                values = per_term[j][lo:hi]
                chosen: Iterable[tuple[int, float]]
                if len(values) > top_k:
                    best = (-values).argpartition(top_k)[:top_k]  # as np.argpartition, without its wrapper
                    chosen = zip(best.tolist(), values[best].tolist(), strict=True)
                else:
                    chosen = enumerate(values.tolist())
                merged: dict[str, float] = {}
                for t, value in chosen:
                    if value > 0:
                        name = label(lo + t)
                        merged[name] = merged.get(name, 0.0) + value
                coef = signal_coef_by_head[j]
                for s, signal in signals:
                    value = signal * coef[s]
                    if value > 0:
                        merged[signal_names[s]] = value
                items = sorted(merged.items(), key=_by_weight)[:top_k]
                explained[j] = tuple([(name, round(weight, 4)) for name, weight in items])
            out.append(explained)
        return out


def _pick(langs: Sequence[str] | None, rows: Sequence[int]) -> list[str] | None:
    return None if langs is None else [langs[i] for i in rows]


def _by_weight(item: tuple[str, float]) -> float:
    return -item[1]


def _positions(matrix: Any, doc_of: np.ndarray, cols: np.ndarray, n_cols: int) -> np.ndarray:
    """Where each (document, column) pair is stored in ``matrix`` (every pair must be there).

    Pairs come in runs of one document: each run is looked up in a column -> position map of that row.
    """
    positions = np.empty(len(cols), dtype=np.int64)
    where = np.empty(n_cols, dtype=np.int64)  # only the current row's columns are ever read
    indptr, indices = matrix.indptr, matrix.indices
    bounds = [0, *(np.flatnonzero(doc_of[1:] != doc_of[:-1]) + 1).tolist(), len(cols)]
    for start, end in pairwise(bounds):
        if start == end:
            continue
        doc = int(doc_of[start])
        lo, hi = int(indptr[doc]), int(indptr[doc + 1])
        where[indices[lo:hi]] = np.arange(lo, hi)
        positions[start:end] = where[cols[start:end]]
    return positions


def _starts(sizes: np.ndarray) -> np.ndarray:
    """Where consecutive segments of the given sizes start."""
    starts = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    return starts


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The concatenation of ``range(start, start + size)`` for each pair (vectorized)."""
    total = int(sizes.sum())
    return np.arange(total, dtype=np.int64) + np.repeat(starts - _starts(sizes), sizes)
