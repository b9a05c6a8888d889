"""PNG plots of an evaluation (ROC, precision-recall, score histogram), with matplotlib's Agg backend."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

#: The kinds of plot written per head: ``<head>_<kind>.png``.
KINDS: tuple[str, ...] = ("roc", "pr", "hist")


def clear_plots(out_dir: Path) -> int:
    """Remove the plots a previous run wrote (``*_roc.png``, ``*_pr.png``, ``*_hist.png``; nothing else).

    So that a head the new evaluation has no plot for does not leave an old one beside the new ones.

    :param out_dir: the plots directory.
    :returns: how many files were removed.
    """
    removed = 0
    for kind in KINDS:
        for path in out_dir.glob(f"*_{kind}.png") if out_dir.is_dir() else ():
            if path.is_file():
                path.unlink()
                removed += 1
    return removed


def write_plots(scores: Mapping[str, Mapping[str, tuple]], out_dir: Path) -> list[Path]:
    """Write ``<head>_roc.png``, ``<head>_pr.png`` and ``<head>_hist.png`` for every head.

    :param scores: model name -> head -> ``(y, p)`` (several models are drawn on the same axes).
    :param out_dir: where to write the files (created if needed).
    :returns: the files written.
    :raises RuntimeError: if matplotlib is not installed (it is in the ``dev`` extra).
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("plots need matplotlib: pip install matplotlib (or the dev extra)") from exc
    from sklearn.metrics import precision_recall_curve, roc_curve

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    heads = list(dict.fromkeys(h for per_model in scores.values() for h in per_model))
    for head in heads:
        figures = {kind: plt.subplots(figsize=(5, 4)) for kind in ("roc", "pr", "hist")}
        for model, per_head in scores.items():
            if head not in per_head:
                continue
            y, p = per_head[head]
            if len(np.unique(y)) == 2:
                fpr, tpr, _ = roc_curve(y, p)
                figures["roc"][1].plot(fpr, tpr, label=model)
                precision, recall, _ = precision_recall_curve(y, p)
                figures["pr"][1].plot(recall, precision, label=model)
            bins = np.linspace(0, 1, 21).tolist()
            axis = figures["hist"][1]
            axis.hist(p[y == 0], bins=bins, alpha=0.5, label=f"{model} negative")
            axis.hist(p[y == 1], bins=bins, alpha=0.5, label=f"{model} positive")
        labels = {
            "roc": ("false positive rate", "true positive rate", "ROC"),
            "pr": ("recall", "precision", "precision-recall"),
            "hist": ("probability", "comments", "scores"),
        }
        for kind, (figure, axis) in figures.items():
            xlabel, ylabel, title = labels[kind]
            axis.set(xlabel=xlabel, ylabel=ylabel, title=f"{head}: {title}")
            axis.legend(fontsize="small")
            figure.tight_layout()
            path = out_dir / f"{head}_{kind}.png"
            figure.savefig(path, dpi=100)
            plt.close(figure)
            written.append(path)
    return written
