"""Retraining that adds, never forgets: a model updated with a site's own labels on top of what it knows.

A site brings a few hundred (or thousand) verdicts; training on those alone would forget everything the shipped
model learned from hundreds of thousands of real comments, and a file that labels only spam could not train the
toxicity heads at all. So an update keeps the base model's feature transform and, per head:

* a head the new data does not label keeps the base coefficients and calibration unchanged;
* a head it labels is refitted on the new examples with the base model's decision value as a *prior feature*:
  ``d_new(x) = a · d_base(x) + w · x + b``. The prior column is scaled up (:data:`PRIOR_SCALE`) so that its
  weight ``a`` is practically unregularized, while the correction ``w`` over the hashed text features is held
  small by the regularization ``C`` (:data:`UPDATE_PARAMS`). Few labels move the model a little, many move it
  more, and words the site never labelled keep their base weights. The result folds back into one linear
  model of the same shape (``a · coef_base + w``), so scoring costs exactly what it cost before.

The base calibration is kept: the update corrects the decision values where the site's labels disagree with the
base model, and a few hundred site verdicts (mostly borderline comments a moderator looked at) are too few and
too unrepresentative to re-estimate the mapping from decision values to probabilities.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from moderation.features import FeatureParams, FittedFeatures, stack
from training.examples import Example
from training.fit import FitResult, Progress, TrainError, sample_weights

#: Multiplier of the prior column: its weight is then ``1 / PRIOR_SCALE`` for an unchanged model, and the
#: penalty on it is negligible next to the penalty on the text corrections.
PRIOR_SCALE = 10.0
#: Parameters of an update (override with ``params``): regularization of the correction, the minimum labelled
#: examples of each class a head needs to be updated, and the weight of every example.
UPDATE_PARAMS: dict[str, Any] = {"update_C": 0.5, "update_min_per_class": 5, "seed": 13}


def _decisions(state: Mapping[str, Any], fitted: FittedFeatures, design: sp.csr_matrix) -> np.ndarray:
    """Raw decision values of every base head for a design matrix (``n × heads``)."""
    coef = np.asarray(state["coef"], dtype=np.float64)
    return np.asarray(design @ coef) + np.asarray(state["intercept"], dtype=np.float64)


def update_model(
    base_state: Mapping[str, Any],
    examples: Sequence[Example],
    params: Mapping[str, Any] | None = None,
    *,
    progress: Progress | None = None,
) -> FitResult:
    """Update ``base_state`` with labelled ``examples``; heads they do not label are kept as they are.

    :param base_state: the model state to start from (:mod:`moderation.scoring`).
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
    base = _decisions(base_state, fitted, design)
    coef = np.array(base_state["coef"], dtype=np.float32, copy=True)
    intercept = np.array(base_state["intercept"], dtype=np.float64, copy=True)
    weights = sample_weights(examples, merged)
    need = int(merged["update_min_per_class"])
    updated: dict[str, dict[str, float]] = {}
    per_head: dict[str, dict[str, int]] = {}
    for j, head in enumerate(heads):
        idx = np.array([i for i, e in enumerate(examples) if head in e.labels], dtype=np.int64)
        y = np.array([int(examples[i].labels[head]) for i in idx], dtype=np.int64)
        positives = int(y.sum())
        if positives < need or len(y) - positives < need:
            if len(idx):
                say(f"{head}: {positives} positive and {len(y) - positives} negative new examples, need {need} "
                    "of each: kept as it was")
            continue
        prior = sp.csr_matrix((base[idx, j] / PRIOR_SCALE)[:, None])
        x = sp.hstack([prior, design[idx]], format="csr")
        model = LogisticRegression(C=float(merged["update_C"]), solver="liblinear", class_weight="balanced",
                                   max_iter=5000, random_state=int(merged["seed"]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x, y, sample_weight=weights[idx])
        a = float(model.coef_[0][0]) / PRIOR_SCALE
        correction = model.coef_[0][1:]
        coef[:, j] = (a * coef[:, j].astype(np.float64) + correction).astype(np.float32)
        intercept[j] = a * intercept[j] + float(model.intercept_[0])
        updated[head] = {"prior_weight": round(a, 4), "correction_norm": float(np.linalg.norm(correction))}
        per_head[head] = {"examples": len(idx), "positives": positives}
        say(f"{head}: updated on {len(idx):,} examples ({positives:,} positive), prior weight {a:.2f}")
    if not updated:
        raise TrainError(f"no head of the base model ({', '.join(heads)}) has at least {need} positive and {need} "
                         "negative new examples")
    state = {**dict(base_state), "coef": coef, "intercept": intercept}
    return FitResult(state, per_head, {h: dict(v) for h, v in updated.items()}, merged)
