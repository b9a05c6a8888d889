"""Unintended-bias metrics of a toxicity score over identity groups (Borkan et al. 2019, the Jigsaw metric).

Every example belongs to at most one group here (the fairness set names one group per sentence). For a
group, with ``y`` the 0/1 labels and ``p`` the scores:

* **subgroup AUC**: ROC-AUC over the group's examples only. Low: the model cannot tell abuse of the group
  from neutral talk about it.
* **BPSN AUC** (background positive, subgroup negative): the group's non-toxic examples against the toxic
  examples *outside* the group. Low: neutral sentences naming the group score as high as abuse elsewhere
  (the group's name alone raises the score: false positives).
* **BNSP AUC** (background negative, subgroup positive): the group's toxic examples against the non-toxic
  examples outside it. Low: abuse of the group scores as low as neutral text elsewhere (missed abuse).
* **FPR**: the share of the group's non-toxic examples scored at or above a threshold.

The overall figure of the Jigsaw Unintended Bias competition is ``w·AUC + (1-w)/3·(M(subgroup) + M(BPSN) +
M(BNSP))``, where ``M`` is the power mean with ``p = -5`` over groups (close to the worst group) and
``w = 0.25``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

#: Exponent of the generalized mean over groups (Borkan et al.: -5, which leans on the worst groups).
POWER = -5.0
#: Weight of the overall AUC in :func:`final_bias_score`.
OVERALL_WEIGHT = 0.25


def _auc(y: np.ndarray, p: np.ndarray) -> float | None:
    """ROC-AUC (ties count one half), or ``None`` unless both classes occur."""
    if y.size == 0 or y.min() == y.max():
        return None
    return float(roc_auc_score(y, p))


def subgroup_auc(y: np.ndarray, p: np.ndarray, in_group: np.ndarray) -> float | None:
    """ROC-AUC over the group's examples only.

    :param y: 0/1 labels.
    :param p: scores.
    :param in_group: boolean mask of the group's examples.
    :returns: the AUC, or ``None`` when the group lacks toxic or non-toxic examples.
    """
    return _auc(y[in_group], p[in_group])


def bpsn_auc(y: np.ndarray, p: np.ndarray, in_group: np.ndarray) -> float | None:
    """ROC-AUC of the group's non-toxic examples against the toxic examples outside the group.

    :param y: 0/1 labels.
    :param p: scores.
    :param in_group: boolean mask of the group's examples.
    """
    keep = (in_group & (y == 0)) | (~in_group & (y == 1))
    return _auc(y[keep], p[keep])


def bnsp_auc(y: np.ndarray, p: np.ndarray, in_group: np.ndarray) -> float | None:
    """ROC-AUC of the group's toxic examples against the non-toxic examples outside the group.

    :param y: 0/1 labels.
    :param p: scores.
    :param in_group: boolean mask of the group's examples.
    """
    keep = (in_group & (y == 1)) | (~in_group & (y == 0))
    return _auc(y[keep], p[keep])


def false_positive_rate(y: np.ndarray, p: np.ndarray, threshold: float) -> float | None:
    """Share of non-toxic examples scored at or above ``threshold``.

    :param y: 0/1 labels.
    :param p: scores.
    :param threshold: the score from which an example counts as flagged.
    :returns: the rate, or ``None`` when there is no non-toxic example.
    """
    negatives = p[y == 0]
    return float((negatives >= threshold).mean()) if negatives.size else None


def power_mean(values: Iterable[float | None], power: float = POWER) -> float | None:
    """Generalized mean ``(mean(v^power))^(1/power)`` of the values that are not ``None``.

    :param values: numbers in (0, 1] (AUCs); ``None`` entries are skipped.
    :param power: the exponent (negative: close to the minimum).
    :returns: the mean, or ``None`` if no value is given.
    """
    kept = np.array([v for v in values if v is not None], dtype=np.float64)
    if kept.size == 0:
        return None
    if np.any(kept <= 0):
        return 0.0
    return float(np.mean(kept**power) ** (1.0 / power))


def group_metrics(y: np.ndarray, p: np.ndarray, in_group: np.ndarray, threshold: float) -> dict[str, Any]:
    """Every bias metric of one group.

    :param y: 0/1 labels (all examples).
    :param p: scores.
    :param in_group: boolean mask of the group's examples.
    :param threshold: threshold of the false positive rate.
    :returns: ``n``, ``toxic``, ``subgroup_auc``, ``bpsn_auc``, ``bnsp_auc`` and ``fpr`` (``None`` where undefined).
    """
    return {
        "n": int(in_group.sum()),
        "toxic": int(y[in_group].sum()),
        "subgroup_auc": subgroup_auc(y, p, in_group),
        "bpsn_auc": bpsn_auc(y, p, in_group),
        "bnsp_auc": bnsp_auc(y, p, in_group),
        "fpr": false_positive_rate(y[in_group], p[in_group], threshold),
    }


def bias_report(
    y: Sequence[int] | np.ndarray, p: Sequence[float] | np.ndarray, groups: Sequence[str], threshold: float
) -> dict[str, Any]:
    """Per-group metrics and the summary figures of the Jigsaw Unintended Bias metric.

    :param y: 0/1 labels.
    :param p: scores.
    :param groups: each example's group (an example outside every group can use any name, e.g. ``"none"``:
        it is a group of its own here, and background for the others).
    :param threshold: threshold of the false positive rates.
    :returns: ``groups`` (group -> :func:`group_metrics`), ``overall_auc``, ``overall_fpr``, the power means
        ``mean_subgroup_auc``, ``mean_bpsn_auc``, ``mean_bnsp_auc``, and ``final_score``.
    """
    labels = np.asarray(y, dtype=np.int64)
    scores = np.asarray(p, dtype=np.float64)
    names = np.asarray(groups)
    per_group = {g: group_metrics(labels, scores, names == g, threshold) for g in dict.fromkeys(groups)}
    means = {
        f"mean_{metric}": power_mean(m[metric] for m in per_group.values())
        for metric in ("subgroup_auc", "bpsn_auc", "bnsp_auc")
    }
    overall = _auc(labels, scores)
    return {
        "threshold": threshold,
        "overall_auc": overall,
        "overall_fpr": false_positive_rate(labels, scores, threshold),
        **means,
        "final_score": final_bias_score(overall, means.values()),
        "groups": per_group,
    }


def final_bias_score(
    overall_auc: float | None, bias_means: Iterable[float | None], weight: float = OVERALL_WEIGHT
) -> float | None:
    """The competition's single figure: ``weight·overall + (1-weight)·mean(bias means)``.

    :param overall_auc: ROC-AUC over every example.
    :param bias_means: the power means of subgroup, BPSN and BNSP AUCs.
    :param weight: weight of the overall AUC.
    :returns: the score, or ``None`` when a part is undefined.
    """
    means = list(bias_means)
    if overall_auc is None or not means or any(m is None for m in means):
        return None
    return weight * overall_auc + (1.0 - weight) * float(np.mean(np.asarray(means, dtype=np.float64)))
