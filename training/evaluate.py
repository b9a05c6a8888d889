"""Evaluation of a model on labelled data: per-head ranking and threshold metrics, tables and comparisons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from training.examples import Example

Report = dict[str, dict[str, Any]]  # head -> metric -> value


def score_examples(scorer: Any, examples: Sequence[Example], batch_size: int = 512) -> dict[str, tuple]:
    """Labels and probabilities per head, over the examples where the head is labelled.

    :param scorer: a :class:`moderation.judging.scoring.Scorer`.
    :param examples: labelled examples.
    :param batch_size: scoring batch size.
    :returns: head -> ``(y, p)`` arrays (heads the data never labels are left out).
    """
    texts = [e.text for e in examples]
    probs = np.vstack(
        [scorer.predict_proba(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
    ) if texts else np.zeros((0, len(scorer.heads)))
    out: dict[str, tuple] = {}
    for j, head in enumerate(scorer.heads):
        idx = [i for i, e in enumerate(examples) if head in e.labels]
        if idx:
            y = np.array([int(examples[i].labels[head]) for i in idx])
            out[head] = (y, probs[idx, j])
    return out


def head_metrics(y: np.ndarray, p: np.ndarray, threshold: float = 0.5) -> dict[str, Any]:
    """Metrics of one head.

    :param y: 0/1 labels.
    :param p: probabilities.
    :param threshold: probability at or above which a comment counts as positive.
    :returns: ``roc_auc``, ``average_precision`` (``None`` unless both classes occur), ``precision``,
        ``recall``, ``f1``, ``n``, ``positives``, ``threshold`` and ``confusion`` ``[[tn, fp], [fn, tp]]``.
    """
    both = len(np.unique(y)) == 2
    pred = (p >= threshold).astype(int)
    return {
        "roc_auc": float(roc_auc_score(y, p)) if both else None,
        "average_precision": float(average_precision_score(y, p)) if both else None,
        "precision": float(precision_score(y, pred, zero_division=0)),
        "recall": float(recall_score(y, pred, zero_division=0)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "n": len(y),
        "positives": int(y.sum()),
        "threshold": threshold,
        "confusion": confusion_matrix(y, pred, labels=[0, 1]).tolist(),
    }


def evaluate_scorer(scorer: Any, examples: Sequence[Example], threshold: float = 0.5) -> Report:
    """Per-head metrics of a scorer on labelled examples.

    :param scorer: a :class:`moderation.judging.scoring.Scorer`.
    :param examples: labelled examples.
    :param threshold: decision threshold for precision, recall, F1 and the confusion matrix.
    """
    return {head: head_metrics(y, p, threshold) for head, (y, p) in score_examples(scorer, examples).items()}


def compare_reports(
    new: Mapping[str, Mapping[str, Any]],
    old: Mapping[str, Mapping[str, Any]],
    *,
    metrics: Sequence[str] = ("average_precision", "roc_auc"),
    tolerance: float = 0.002,
) -> tuple[list[str], dict[str, dict[str, tuple[float, float]]]]:
    """Where ``new`` is worse than ``old`` by more than ``tolerance``, head by head.

    :param new: the candidate's report.
    :param old: the reference report.
    :param metrics: metrics to compare (higher is better).
    :param tolerance: allowed absolute drop.
    :returns: human-readable regressions, and head -> metric -> ``(new, old)`` for every compared pair.
    """
    worse: list[str] = []
    comparison: dict[str, dict[str, tuple[float, float]]] = {}
    for head in sorted(set(new) & set(old)):
        for metric in metrics:
            a, b = new[head].get(metric), old[head].get(metric)
            if a is None or b is None:
                continue
            comparison.setdefault(head, {})[metric] = (float(a), float(b))
            if a < b - tolerance:
                worse.append(f"{head} {metric} {a:.4f} < {b:.4f}")
    return worse, comparison


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def format_table(reports: Mapping[str, Report]) -> str:
    """Reports side by side (one column group per model), one row per head.

    :param reports: model name -> report.
    """
    columns = ("roc_auc", "average_precision", "precision", "recall", "f1", "n")
    short = {"roc_auc": "auc", "average_precision": "ap", "precision": "prec", "recall": "rec"}
    names = list(reports)
    heads = [h for h in dict.fromkeys(h for r in reports.values() for h in r)]
    tags = [""] if len(names) == 1 else [f"[{k + 1}]" for k in range(len(names))]
    header = f"{'head':<14}" + "".join(f"{short.get(c, c) + tag:>10}" for c in columns for tag in tags)
    lines = [header]
    for head in heads:
        cells = "".join(
            f"{_fmt(reports[name].get(head, {}).get(c)):>10}" for c in columns for name in names
        )
        lines.append(f"{head:<14}{cells}")
    if len(names) > 1:
        lines.append("  ".join(f"[{k + 1}] {name}" for k, name in enumerate(names)))
    return "\n".join(lines)
