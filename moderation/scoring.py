"""Scoring: calibrated per-head probabilities with readable explanations. The worker's contract.

A model is a plain *state* mapping (only str/int/float/lists/numpy arrays, so ``skops`` stores it without any
custom type) holding the fitted feature transform, one linear model per head and one calibrator per head:

``format``            int, :data:`STATE_FORMAT`
``feature_params``    dict, :class:`moderation.features.FeatureParams`
``kept``, ``idf``     arrays, :class:`moderation.features.FittedFeatures`
``heads``             list of head names
``coef``              float32 array ``(n_text_cols + n_signals) × n_heads``
``intercept``         float64 array ``n_heads``
``calibration``       dict head -> ``{"method": "sigmoid", "a": float, "b": float}`` (``p = 1/(1+exp(a·d+b))``)
                      or ``{"method": "isotonic", "x": array, "y": array}``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from moderation.features import FeatureParams, FittedFeatures

STATE_FORMAT = 1
#: Heads with a probability below this get no explanation (explanations cost more than scoring).
EXPLAIN_MIN_PROBABILITY = 0.2


@dataclass(frozen=True)
class HeadScore:
    """Score of one head for one comment.

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
    """

    def __init__(self, state: Mapping[str, Any], version: str) -> None:
        if int(state.get("format", 0)) != STATE_FORMAT:
            raise ValueError(f"unsupported model state format {state.get('format')!r}")
        self.version = version
        self.heads: tuple[str, ...] = tuple(str(h) for h in state["heads"])
        self.features = FittedFeatures(
            FeatureParams.from_dict(state["feature_params"]), np.asarray(state["kept"]), np.asarray(state["idf"])
        )
        coef = np.asarray(state["coef"], dtype=np.float32)
        n_text = self.features.n_text_cols
        self.text_coef = np.ascontiguousarray(coef[:n_text])
        self.signal_coef = np.ascontiguousarray(coef[n_text:]).astype(np.float64)
        self.intercept = np.asarray(state["intercept"], dtype=np.float64)
        self.calibration = {h: dict(state["calibration"][h]) for h in self.heads}
        self.explain_min_probability = EXPLAIN_MIN_PROBABILITY
        if self.text_coef.shape[1] != len(self.heads) or len(self.signal_coef) != len(
            self.features.column_names_signals
        ):
            raise ValueError("model state: coefficient shape does not match heads and features")

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, ``len(texts) × len(heads)``.

        :param texts: raw comment texts.
        """
        return self._score(texts)[0]

    def _score(self, texts: Sequence[str]) -> tuple[np.ndarray, Any, Any]:
        matrix, batch = self.features.transform(texts)
        decisions = np.asarray(matrix @ self.text_coef, dtype=np.float64)
        decisions += batch.signals @ self.signal_coef + self.intercept
        probs = np.empty_like(decisions)
        for j, head in enumerate(self.heads):
            probs[:, j] = calibrate(decisions[:, j], self.calibration[head])
        return probs, matrix, batch

    def score_batch(
        self, texts: Sequence[str], explain: bool = True, top_k: int = 5
    ) -> list[dict[str, HeadScore]]:
        """Score a batch of comments.

        :param texts: raw comment texts.
        :param explain: whether to compute contributions (only for heads whose probability is at least
            :attr:`explain_min_probability`; other heads get an empty tuple).
        :param top_k: number of contributions per explained head.
        :returns: one ``{head: HeadScore}`` dict per text, in order.
        """
        if not texts:
            return []
        probs, matrix, batch = self._score(texts)
        explained: dict[int, dict[int, tuple[tuple[str, float], ...]]] = {}
        if explain and top_k > 0:
            wanted = [np.flatnonzero(row >= self.explain_min_probability).tolist() for row in probs]
            docs = [i for i, w in enumerate(wanted) if w]
            if docs:
                explained = dict(zip(docs, self._explain(matrix, batch, docs, [wanted[i] for i in docs], top_k),
                                     strict=True))
        empty: dict[int, tuple[tuple[str, float], ...]] = {}
        results: list[dict[str, HeadScore]] = []
        for i, row in enumerate(probs.tolist()):
            reasons = explained.get(i, empty)
            results.append({head: HeadScore(row[j], reasons.get(j, ())) for j, head in enumerate(self.heads)})
        return results

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

        :param matrix: the batch's weighted text matrix.
        :param batch: the hashed batch (tokens, signals).
        :param docs: row indices to explain.
        :param wanted: for each of ``docs``, the head indices to explain.
        :param top_k: contributions kept per head.
        :returns: for each of ``docs``, head index -> contributions.
        """
        featurizer = self.features.featurizer
        names: list[str] = []
        term_start: list[int] = []
        token_terms: list[int] = []
        pair_terms: list[int] = []
        packed: list[bytes] = []
        hashes: list[int] = []
        token_doc: list[int] = []
        second: list[str | None] = []  # per term: the second word of a bigram, None for a word
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
            if len(tokens) > 1:  # one term per bigram occurrence; named (and merged) only if selected
                first = len(names)
                names.extend(tokens[:-1])
                second.extend(tokens[1:])
                pair_terms.extend(range(first, first + len(tokens) - 1))
            entries = list(map(featurizer.token_entry, tokens))
            packed.extend(e[1] for e in entries)
            hashes.extend(e[0] for e in entries)
            token_doc.extend([d] * len(tokens))
        term_start.append(len(names))
        lengths = np.fromiter(map(len, packed), dtype=np.int64, count=len(packed)) // 4
        buckets = np.frombuffer(b"".join(packed), dtype=np.int32).astype(np.int64)
        term_ids = np.repeat(np.array(token_terms, dtype=np.int64), lengths)
        doc_of = np.repeat(np.array(token_doc, dtype=np.int64), lengths)
        if featurizer.params.bigrams and len(hashes) > 1:
            full = np.array(hashes, dtype=np.uint64)
            tdoc = np.array(token_doc, dtype=np.int64)
            same = tdoc[:-1] == tdoc[1:]
            buckets = np.concatenate([buckets, featurizer.bigram_buckets(full[:-1][same], full[1:][same])])
            term_ids = np.concatenate([term_ids, np.array(pair_terms, dtype=np.int64)])
            doc_of = np.concatenate([doc_of, tdoc[:-1][same]])
        cols = self.features.lookup[buckets].astype(np.int64)
        keep = cols >= 0
        cols, term_ids, doc_of = cols[keep], term_ids[keep], doc_of[keep]
        n_cols = self.features.n_text_cols
        row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
        pos = np.searchsorted(row_of * n_cols + matrix.indices, doc_of * n_cols + cols)
        share = matrix.data[pos] / np.bincount(pos, minlength=max(matrix.nnz, 1))[pos]
        heads = sorted({j for w in wanted for j in w})
        per_term = {
            j: np.bincount(term_ids, share * self.text_coef[cols, j], minlength=len(names)) for j in heads
        }
        def label(term: int) -> str:
            word = second[term]
            return names[term] if word is None else f"{names[term]} {word}"

        signal_names = self.features.column_names_signals
        out: list[dict[int, tuple[tuple[str, float], ...]]] = []
        for k, d in enumerate(docs):
            lo, hi = term_start[k], term_start[k + 1]
            signal_parts = batch.signals[d][:, None] * self.signal_coef
            explained: dict[int, tuple[tuple[str, float], ...]] = {}
            for j in wanted[k]:
                values = per_term[j][lo:hi]
                best = np.argpartition(-values, top_k)[:top_k] if len(values) > top_k else range(len(values))
                merged: dict[str, float] = {}
                for t in best:
                    if values[t] > 0:
                        name = label(lo + int(t))
                        merged[name] = merged.get(name, 0.0) + float(values[t])
                for s, v in enumerate(signal_parts[:, j]):
                    if v > 0:
                        merged[signal_names[s]] = float(v)
                items = sorted(merged.items(), key=lambda item: -item[1])[:top_k]
                explained[j] = tuple((name, round(weight, 4)) for name, weight in items)
            out.append(explained)
        return out
