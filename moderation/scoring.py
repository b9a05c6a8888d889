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
        results: list[dict[str, HeadScore]] = []
        for i in range(len(texts)):
            row = probs[i]
            wanted = [j for j in range(len(self.heads)) if row[j] >= self.explain_min_probability]
            explained = (
                self._explain(matrix, batch, i, wanted, top_k) if explain and wanted and top_k > 0 else {}
            )
            results.append(
                {
                    head: HeadScore(float(row[j]), explained.get(j, ()))
                    for j, head in enumerate(self.heads)
                }
            )
        return results

    def explain(self, text: str, top_k: int = 5) -> dict[str, tuple[tuple[str, float], ...]]:
        """Contributions of every head for one text, whatever its probability.

        :param text: raw comment text.
        :param top_k: number of contributions per head.
        """
        _, matrix, batch = self._score([text])
        explained = self._explain(matrix, batch, 0, list(range(len(self.heads))), top_k)
        return {head: explained[j] for j, head in enumerate(self.heads)}

    def _explain(
        self, matrix: Any, batch: Any, i: int, heads: list[int], top_k: int
    ) -> dict[int, tuple[tuple[str, float], ...]]:
        """Per-term contributions (value × coefficient) of document ``i`` for the given head indices.

        Char n-gram and word features are credited to the (normalized) word that produced them; a feature
        produced by several words is split evenly between them.
        """
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        row_cols = matrix.indices[start:end]
        row_vals = matrix.data[start:end].astype(np.float64)
        terms, term_ids, buckets = self.features.featurizer.doc_features(batch.tokens[i])
        cols = self.features.lookup[buckets] if len(buckets) else np.zeros(0, dtype=np.int32)
        keep = cols >= 0
        term_ids, cols = term_ids[keep], cols[keep]
        value_of = np.zeros(0)
        occurrences = np.zeros(0)
        if len(cols):
            uniq, inverse, counts = np.unique(cols, return_inverse=True, return_counts=True)
            pos = np.searchsorted(row_cols, uniq)
            pos = np.minimum(pos, max(len(row_cols) - 1, 0))
            found = row_cols[pos] == uniq if len(row_cols) else np.zeros(len(uniq), dtype=bool)
            value_of = np.where(found, row_vals[pos] if len(row_vals) else 0.0, 0.0)[inverse]
            occurrences = counts[inverse].astype(np.float64)
        signals = batch.signals[i]
        names = self.features.column_names_signals
        out: dict[int, tuple[tuple[str, float], ...]] = {}
        for j in heads:
            per_occurrence = value_of * self.text_coef[cols, j] / np.maximum(occurrences, 1.0)
            per_term = np.bincount(term_ids, per_occurrence, minlength=len(terms))
            items = [(terms[t], float(per_term[t])) for t in np.argsort(-per_term)[:top_k] if per_term[t] > 0]
            items += [
                (names[s], float(signals[s] * self.signal_coef[s, j]))
                for s in range(len(names))
                if signals[s] * self.signal_coef[s, j] > 0
            ]
            items.sort(key=lambda item: -item[1])
            out[j] = tuple((name, round(weight, 4)) for name, weight in items[:top_k])
        return out
