"""Retraining that adds, never forgets: a model updated with a site's own labels on top of what it knows.

A site brings a few hundred (or thousand) verdicts; training on those alone would forget everything the shipped
model learned from hundreds of thousands of real comments, and a file that labels only spam could not train the
toxicity heads at all. So an update keeps the base model's feature transform and, per head:

* a head the new data does not label keeps the base coefficients and calibration unchanged;
* a head it labels is refitted on the new examples with the base model's decision value as a fixed *offset*:
  ``d_new(x) = d_base(x) + w · x + b``, a logistic regression whose correction ``w`` over the hashed text
  features is held small by the regularization ``C`` (:data:`UPDATE_PARAMS`). Few labels move the model a
  little, many move it more, and words the site never labelled keep their base weights. The base decision is
  an offset, not a feature with a weight of its own: fitted on a few hundred borderline verdicts, such a weight
  shrinks and flattens every score (an insult the base model was sure of dropped from 0.9998 to 0.73 in our
  test), which is forgetting by another name. The result folds back into one linear model of the same shape
  (``coef_base + w``), so scoring costs exactly what it cost before.

The base calibration is kept: the update corrects the decision values where the site's labels disagree with the
base model, and a few hundred site verdicts (mostly borderline comments a moderator looked at) are too few and
too unrepresentative to re-estimate the mapping from decision values to probabilities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

from moderation.judging.features import FeatureParams, FittedFeatures, stack
from training.examples import Example
from training.fit import FitResult, Progress, TrainError, sample_weights

#: Parameters of an update (override with ``params``): regularization of the correction, the minimum labelled
#: examples of each class a head needs to be updated, and the weight of every example.
UPDATE_PARAMS: dict[str, Any] = {"update_C": 1.0, "update_min_per_class": 5, "seed": 13}


def _decisions(state: Mapping[str, Any], design: sp.csr_matrix) -> np.ndarray:
    """Raw decision values of every base head for a design matrix (``n × heads``)."""
    coef = np.asarray(state["coef"], dtype=np.float64)
    return np.asarray(design @ coef) + np.asarray(state["intercept"], dtype=np.float64)


def fit_offset_logistic(
    x: sp.csr_matrix, y: np.ndarray, offset: np.ndarray, weights: np.ndarray, c: float
) -> tuple[np.ndarray, float]:
    """L2-regularized logistic regression with a fixed offset: ``P(y=1) = σ(offset + x·w + b)``.

    Classes are balanced (as ``class_weight="balanced"``); ``b`` is not penalized. Solved with L-BFGS, which
    suits a few thousand rows over many sparse columns.

    :param x: the examples' features.
    :param y: their 0/1 labels.
    :param offset: the base model's decision value for each.
    :param weights: per-example weights.
    :param c: inverse regularization strength (as scikit-learn's ``C``).
    :returns: the correction ``w`` and the intercept ``b``.
    """
    n, d = x.shape
    counts = np.bincount(y, minlength=2).astype(np.float64)
    balanced = weights * (n / (2.0 * np.maximum(counts, 1.0)))[y]
    sign = 2.0 * y - 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:d], theta[d]
        margin = sign * (offset + x @ w + b)
        value = float(np.sum(balanced * np.logaddexp(0.0, -margin)) + 0.5 * np.dot(w, w) / c)
        g = -balanced * sign / (1.0 + np.exp(np.clip(margin, -500, 500)))
        return value, np.append(x.T @ g + w / c, g.sum())

    found = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return found.x[:d], float(found.x[d])


def update_model(
    base_state: Mapping[str, Any],
    examples: Sequence[Example],
    params: Mapping[str, Any] | None = None,
    *,
    progress: Progress | None = None,
) -> FitResult:
    """Update ``base_state`` with labelled ``examples``; heads they do not label are kept as they are.

    :param base_state: the model state to start from (:mod:`moderation.judging.scoring`).
    :param examples: the new labelled examples (any subset of heads).
    :param params: overrides of :data:`UPDATE_PARAMS`.
    :param progress: receives one line per head (``None`` for silence).
    :raises TrainError: when no head of the base model has enough new labels.
    """
    say = progress or (lambda _message: None)
    merged = {**UPDATE_PARAMS, **(params or {})}
    heads = [str(h) for h in base_state["heads"]]
    fitted = FittedFeatures(
        FeatureParams.from_dict(base_state["feature_params"]), np.asarray(base_state["kept"]),
        np.asarray(base_state["idf"]),
    )
    weighted, batch = fitted.transform([e.text for e in examples])
    design = stack(weighted, batch.signals)
    base = _decisions(base_state, design)
    coef = np.array(base_state["coef"], dtype=np.float32, copy=True)
    intercept = np.array(base_state["intercept"], dtype=np.float64, copy=True)
    weights = sample_weights(examples, merged)
    need = int(merged["update_min_per_class"])
    updated: dict[str, dict[str, float]] = {}
    per_head: dict[str, dict[str, int]] = {}
    short: list[str] = []
    for j, head in enumerate(heads):
        idx = np.array([i for i, e in enumerate(examples) if head in e.labels], dtype=np.int64)
        y = np.array([int(examples[i].labels[head]) for i in idx], dtype=np.int64)
        positives = int(y.sum())
        if positives < need or len(y) - positives < need:
            short.append(f"{head} {positives} and {len(y) - positives}")
            if len(idx):
                say(f"{head}: {positives} positive and {len(y) - positives} negative new examples, need {need} "
                    "of each: kept as it was")
            continue
        correction, bias = fit_offset_logistic(design[idx], y, base[idx, j], weights[idx],
                                               float(merged["update_C"]))
        coef[:, j] = (coef[:, j].astype(np.float64) + correction).astype(np.float32)
        intercept[j] += bias
        updated[head] = {"correction_norm": float(np.linalg.norm(correction)), "intercept_shift": bias}
        per_head[head] = {"examples": len(idx), "positives": positives}
        say(f"{head}: updated on {len(idx):,} examples ({positives:,} positive)")
    if not updated:
        raise TrainError(f"too few labelled examples to update the model: each head needs at least {need} positive "
                         f"and {need} negative new examples, and these have {'; '.join(short)}")
    state = {**dict(base_state), "coef": coef, "intercept": intercept}
    return FitResult(state, per_head, {h: dict(v) for h, v in updated.items()}, merged)
