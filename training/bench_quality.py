"""Quality benchmark: our pipeline vs a textbook baseline on the reference splits of the public datasets.

For each split of :data:`training.splits.REFERENCE_SPLITS`: train our pipeline (one head) and the baseline
(TF-IDF word 1-2 + char_wb 2-5, sublinear tf, min_df 2 → LogisticRegression(C=4, balanced)) on the same
train part, and report ROC-AUC, average precision and F1 at 0.5 on the test part, with deltas. The default
model (the current one, or a seed-corpus model trained in a temporary directory) is scored on each test set
without retraining. Nothing trained here is saved: models trained on the public datasets never enter the
project. Skips with a message (exit code 0) when the datasets are absent.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

from training.examples import Example

METRICS = ("roc_auc", "average_precision", "f1")


def _metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "average_precision": float(average_precision_score(y, p)),
        "f1": float(f1_score(y, p >= 0.5)),
    }


def baseline_probabilities(train: list[Example], test: list[Example], head: str) -> np.ndarray:
    """Fit the textbook baseline on ``train`` and return its probabilities on ``test``.

    :param train: training examples labelled for ``head``.
    :param test: test examples.
    :param head: the label.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    pipeline = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        ),
        LogisticRegression(C=4, class_weight="balanced", max_iter=2000),
    )
    pipeline.fit([e.text for e in train], [int(e.labels[head]) for e in train])
    return pipeline.predict_proba([e.text for e in test])[:, 1]


def _default_scorer(registry: Any | None) -> tuple[Any, str]:
    """The current model, or a seed-corpus model trained in a temporary directory."""
    from training.bundle import load_bundle

    if registry is not None:
        try:
            current = registry.current()
        except Exception as exc:  # a dangling pointer: fall back to a fresh seed model
            print(f"(current model unavailable: {exc})", file=sys.stderr, flush=True)
            current = None
        if current is not None:
            return load_bundle(current.path), f"current {current.version}"
    from training.train import SEED_CORPUS, load_training_data, train_bundle

    examples, data_hash = load_training_data([SEED_CORPUS])
    with tempfile.TemporaryDirectory() as tmp:
        path = train_bundle(examples, Path(tmp), data_hash=data_hash, progress=None)
        return load_bundle(path), f"seed model {path.name} (not saved)"


def _shipped_section(registry: Any | None) -> dict[str, Any]:
    """The current (by default the shipped) model on every corpus of the shared datasets it never saw."""
    from moderation.judging.policy import load_policy
    from moderation.models.bundle import read_metadata
    from moderation.settings import load_settings
    from training.bench_shipped import run
    from training.corpora import DEFAULT_DATA_DIR, DataDirMissing

    if registry is None or not Path(DEFAULT_DATA_DIR).is_dir():
        print(f"shipped-model section skipped: no {DEFAULT_DATA_DIR}", flush=True)
        return {}
    current = registry.current()
    if current is None:
        return {}
    scorer = load_bundle_scorer(current.path)
    identify = None
    try:
        from moderation.judging.language import LanguageIdentifier

        identifier = LanguageIdentifier()
        identify = identifier.identify_texts
    except (ImportError, AttributeError):
        pass
    from training.language_slices import run_languages

    metadata, policy = read_metadata(current.path), load_policy(load_settings().policy_file)
    say = lambda line: print(line, flush=True)  # noqa: E731
    try:
        results = run(scorer, metadata, policy, Path(DEFAULT_DATA_DIR), say, identify)
        results["languages_held_out"] = run_languages(scorer, metadata, policy, Path(DEFAULT_DATA_DIR), say,
                                                      identify)
        return results
    except DataDirMissing:
        return {}


def load_bundle_scorer(path: Path) -> Any:
    """A scorer for the bundle at ``path``.

    :param path: the bundle directory.
    """
    from training.bundle import load_bundle

    return load_bundle(path)


def _row(name: str, values: dict[str, float], base: dict[str, float] | None = None) -> str:
    cells = []
    for metric in METRICS:
        cell = f"{values[metric]:.4f}"
        if base is not None:
            cell += f" ({values[metric] - base[metric]:+.4f})"
        cells.append(f"{cell:>18}")
    return f"  {name:<38}" + "".join(cells)


def run_bench(json_out: Path | None = None, *, registry: Any | None = None, only: list[str] | None = None) -> int:
    """Run the benchmark, print a table, optionally write JSON.

    :param json_out: where to write the JSON results (``None``: don't).
    :param registry: the model registry, for the default model (``None``: train a seed model).
    :param only: run only these split names.
    :returns: the exit code (0, also when skipped).
    """
    from moderation.judging.scoring import Scorer
    from training.fit import fit_model
    from training.splits import REFERENCE_SPLITS, DatasetMissing

    results: dict[str, Any] = {"splits": {}}
    default: tuple[Any, str] | None = None
    for name, (split, head) in REFERENCE_SPLITS.items():
        if only and name not in only:
            continue
        try:
            train, test = split(None)
        except DatasetMissing as exc:
            print(f"skipping {name}: {exc}", flush=True)
            continue
        train = [e for e in train if head in e.labels]
        test = [e for e in test if head in e.labels]
        y = np.array([int(e.labels[head]) for e in test])
        texts = [e.text for e in test]
        print(f"{name}: {len(train):,} train / {len(test):,} test, head {head}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        fitted = fit_model(train, heads=[head])
        ours_seconds = time.perf_counter() - started
        ours = _metrics(y, Scorer(fitted.state, "bench").predict_proba(texts)[:, 0])
        started = time.perf_counter()
        base = _metrics(y, baseline_probabilities(train, test, head))
        base_seconds = time.perf_counter() - started
        if default is None:
            default = _default_scorer(registry)
        default_p = default[0].predict_proba(texts)[:, list(default[0].heads).index(head)]
        seed = _metrics(y, default_p)
        results["splits"][name] = {
            "head": head,
            "n_train": len(train),
            "n_test": len(test),
            "ours": ours,
            "baseline": base,
            "delta": {m: ours[m] - base[m] for m in METRICS},
            "default_model": seed,
            "ours_cv": fitted.cv_metrics[head],
            "train_seconds": {"ours": round(ours_seconds, 1), "baseline": round(base_seconds, 1)},
            "beats_baseline": ours["roc_auc"] > base["roc_auc"] and ours["f1"] > base["f1"],
        }
        title = f"{name} ({head}, {len(test):,} test comments)"
        print(f"\n{title:<40}" + "".join(f"{m:>18}" for m in METRICS), flush=True)
        print(_row("baseline", base), flush=True)
        print(_row("ours", ours, base), flush=True)
        print(_row("default", seed, base), flush=True)
        print(flush=True)
    results["shipped"] = _shipped_section(registry)
    if not results["splits"] and not results["shipped"]:
        print("bench-quality skipped: no reference dataset found (see /work/shared/datasets/README.md)", flush=True)
        return 0
    if default is not None:
        results["default_model"] = default[1]
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(results, indent=2))
        print(f"wrote {json_out}", file=sys.stderr, flush=True)
    return 0
