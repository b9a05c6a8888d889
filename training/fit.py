"""Fit the model state: the feature transform, then one calibrated linear model per head.

Per head, only examples where the head is labelled are used (an absent label is unknown, not negative).
Regularization ``C`` is picked by stratified cross-validation on the training data (average precision of
the out-of-fold decisions); the calibrator (Platt sigmoid by default, isotonic optional) is fitted on those
out-of-fold decisions, then the final model is refitted on all of the head's examples.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from moderation.judging.features import FeatureParams, FittedFeatures, stack
from moderation.judging.language import DEFAULT_LANGUAGES
from moderation.judging.scoring import STATE_FORMAT
from moderation.records import ALL_HEADS, MAIN_HEADS, SUBTYPE_HEADS
from training.examples import Example

Progress = Callable[[str], None]

DEFAULT_PARAMS: dict[str, Any] = {
    "features": FeatureParams().to_dict(),
    "min_df": 2,
    "C_grid": [1.0, 4.0, 16.0],
    "cv_folds": 4,
    "class_weight": "balanced",
    "calibration": "sigmoid",
    "min_positives_subtype": 30,
    "min_positives_main": 5,
    "seed": 13,
    "nb_scale": True,
    "nb_alpha": 1.0,
    "n_jobs": 2,
    # Each source (Example.source) counts as at most this many examples (None: no cap), so one big dataset
    # does not drown the others; `source_weights` multiplies the weight of named sources on top.
    "source_cap": None,
    "source_weights": {},
    # Per-language calibration: a language with at least this many labelled examples of each class in a head
    # gets its own sigmoid fitted on its out-of-fold decisions.
    "lang_min_per_class": 150,
    # Per head, the share of a language's abusive comments (out of fold) that should reach the policy's review
    # threshold (`claim_review_threshold`): its calibration is shifted to put that threshold there, so that the
    # same thresholds catch about the same share in every language whatever its base rate. Heads not named keep
    # the plain sigmoid.
    "lang_target_recall": {"toxic": 0.88},
    # Languages the model claims: enough real labels (at least `claim_min_per_class` of each class for the
    # toxic head) and cross-validated quality at the bar (ROC-AUC, clean comments approved, abusive ones
    # caught at the policy's review threshold `claim_review_threshold`).
    "claim_min_per_class": 500,
    "claim_min_auc": 0.85,
    "claim_min_clean_approved": 0.80,
    "claim_min_abuse_caught": 0.85,
    "claim_review_threshold": 0.45,
    # Languages with real labels that miss the claim bar are *screened* when, with their toxic calibration
    # shifted to catch `screen_target_recall` of their abusive comments at the review threshold, at most
    # `screen_max_abuse_approved` of those are approved and at least `screen_min_clean_approved` of the clean
    # ones: the model approves what it is sure of, and the policy holds the rest for review.
    "screen_target_recall": 0.95,
    "screen_max_abuse_approved": 0.08,
    "screen_min_clean_approved": 0.25,
    # Sources left out of the claim figures: the project's own seed corpus is written from templates and would
    # flatter them (a claim rests on real comments).
    "claim_exclude_sources": ["seed_corpus.jsonl"],
    # Keep only the text columns with the largest weights (None: all); the model file and the worker's memory
    # shrink with them.
    "max_text_columns": None,
}


class TrainError(ValueError):
    """The examples cannot produce a model (e.g. a main head has no positives)."""


def stderr_progress(message: str) -> None:
    """Default progress display: one line on stderr.

    :param message: the line to print.
    """
    print(message, file=sys.stderr, flush=True)


@dataclass
class FitResult:
    """A fitted model state and what was learned about it.

    :param state: the model state (:mod:`moderation.judging.scoring`).
    :param examples_per_head: labelled examples (and positives) per head.
    :param cv_metrics: out-of-fold ROC-AUC / average precision per head, and the chosen ``C``.
    :param params: the effective parameters.
    :param languages: the toxic head's cross-validated figures per language, and which are claimed.
    """

    state: dict[str, Any]
    examples_per_head: dict[str, dict[str, int]]
    cv_metrics: dict[str, dict[str, float]]
    params: dict[str, Any] = field(default_factory=dict)
    languages: dict[str, dict[str, float]] = field(default_factory=dict)


def merge_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults overridden by ``params`` (``features`` merged key by key).

    :param params: overrides, or ``None``.
    """
    merged = {**DEFAULT_PARAMS, **(params or {})}
    merged["features"] = {**DEFAULT_PARAMS["features"], **(params or {}).get("features", {})}
    return merged


def sample_weights(examples: Sequence[Example], params: Mapping[str, Any]) -> np.ndarray:
    """Per-example training weights from their sources (:data:`DEFAULT_PARAMS` ``source_cap``/``source_weights``).

    :param examples: the training examples.
    :param params: effective parameters.
    """
    sources = [e.source for e in examples]
    counts: dict[str, int] = {}
    for source in sources:
        counts[source] = counts.get(source, 0) + 1
    cap = params.get("source_cap")
    multipliers = params.get("source_weights") or {}
    per_source = {
        source: (min(1.0, cap / n) if cap else 1.0) * float(multipliers.get(source, 1.0))
        for source, n in counts.items()
    }
    return np.array([per_source[s] for s in sources], dtype=np.float64)


def trainable_heads(
    examples: Sequence[Example], params: Mapping[str, Any], heads: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """Heads with enough labelled data, each with the indices of its labelled examples.

    :param examples: the training examples.
    :param params: effective parameters (minimum positives).
    :param heads: restrict to these heads (default: all known heads).
    :raises TrainError: when a requested main head cannot be trained.
    """
    wanted = list(heads) if heads is not None else list(ALL_HEADS)
    wanted += sorted({h for e in examples for h in e.labels} - set(ALL_HEADS)) if heads is None else []
    out: dict[str, np.ndarray] = {}
    for head in wanted:
        idx = np.array([i for i, e in enumerate(examples) if head in e.labels], dtype=np.int64)
        positives = sum(int(examples[i].labels[head]) for i in idx)
        negatives = len(idx) - positives
        need = params["min_positives_main"] if head in MAIN_HEADS else params["min_positives_subtype"]
        if positives >= need and negatives >= need:
            out[head] = idx
        elif head in MAIN_HEADS and (heads is None or head in heads):
            raise TrainError(
                f"too few labelled examples to train the {head} head: {positives} positive and {negatives} negative, "
                f"it needs {need} of each"
            )
    return out


def fit_sigmoid(decisions: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Platt scaling with Platt's smoothed targets: ``p = 1 / (1 + exp(a·d + b))``.

    Newton's method with backtracking (Lin, Lin & Weng, 2007), in numpy.

    :param decisions: out-of-fold decision values.
    :param y: 0/1 labels.
    """
    d = np.asarray(decisions, dtype=np.float64)
    pos = float(y.sum())
    neg = float(len(y) - pos)
    target = np.where(y == 1, (pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0))
    a, b = 0.0, float(np.log((neg + 1.0) / (pos + 1.0)))

    def loss(a: float, b: float) -> float:
        z = a * d + b
        return float(np.sum(np.logaddexp(0.0, z) - (1.0 - target) * z))  # -log-likelihood, p = sigmoid(-z)

    current = loss(a, b)
    for _ in range(100):
        z = a * d + b
        p = 1.0 / (1.0 + np.exp(np.clip(z, -500, 500)))  # P(y=1)
        q = p * (1.0 - p) + 1e-12
        g = target - p  # d loss / d z
        grad = np.array([np.dot(g, d), g.sum()])
        hess = np.array([[np.dot(q * d, d) + 1e-12, np.dot(q, d)], [np.dot(q, d), q.sum() + 1e-12]])
        if np.abs(grad).max() < 1e-6:
            break
        step = np.linalg.solve(hess, -grad)
        size = 1.0
        while size > 1e-8:
            candidate = loss(a + size * step[0], b + size * step[1])
            if candidate < current + 1e-4 * size * float(grad @ step):
                a, b, current = a + size * step[0], b + size * step[1], candidate
                break
            size /= 2.0
        else:
            break
    return {"method": "sigmoid", "a": float(a), "b": float(b)}


def fit_isotonic(decisions: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Isotonic calibration stored as interpolation points.

    :param decisions: out-of-fold decision values.
    :param y: 0/1 labels.
    """
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(decisions, y)
    return {
        "method": "isotonic",
        "x": np.asarray(iso.X_thresholds_, dtype=np.float64),
        "y": np.asarray(iso.y_thresholds_, dtype=np.float64),
    }


def _learner(c: float, params: Mapping[str, Any]) -> LogisticRegression:
    # The dual liblinear solver is ~10x faster than the primal one when features outnumber examples.
    return LogisticRegression(
        C=c, solver="liblinear", dual=True, class_weight=params["class_weight"], max_iter=2000,
        random_state=params["seed"],
    )


def nb_ratio(matrix: Any, y: np.ndarray, n_text: int, alpha: float) -> np.ndarray:
    """Naive-Bayes log-count ratio of each column (NB-LR scaling); signal columns keep 1.

    :param matrix: design matrix.
    :param y: 0/1 labels.
    :param n_text: number of text columns (the rest are signals).
    :param alpha: additive smoothing.
    """
    pos = alpha + np.asarray(matrix[y == 1].sum(axis=0)).ravel()
    neg = alpha + np.asarray(matrix[y == 0].sum(axis=0)).ravel()
    ratio = np.log((pos / pos[:n_text].sum()) / (neg / neg[:n_text].sum()))
    ratio[n_text:] = 1.0
    return ratio


def _scaled(matrix: Any, y: np.ndarray, n_text: int, params: Mapping[str, Any]) -> tuple[Any, np.ndarray | None]:
    if not params.get("nb_scale"):
        return matrix, None
    ratio = nb_ratio(matrix, y, n_text, float(params["nb_alpha"]))
    return matrix @ sp.diags(ratio), ratio


def _fold_decisions(
    matrix: Any, y: np.ndarray, c: float, train_idx: np.ndarray, test_idx: np.ndarray, n_text: int,
    params: Mapping[str, Any], weights: np.ndarray | None = None,
) -> np.ndarray:
    """Decision values on one held-out fold (NB ratios from the training part only)."""
    train_x, ratio = _scaled(matrix[train_idx], y[train_idx], n_text, params)
    fold_weights = None if weights is None else weights[train_idx]
    model = _learner(c, params).fit(train_x, y[train_idx], sample_weight=fold_weights)
    test_x = matrix[test_idx] if ratio is None else matrix[test_idx] @ sp.diags(ratio)
    return np.asarray(model.decision_function(test_x))


def fit_head(
    matrix: Any,
    y: np.ndarray,
    params: Mapping[str, Any],
    n_text: int | None = None,
    c_grid: Sequence[float] | None = None,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, float, dict, dict, np.ndarray]:
    """Cross-validate ``C``, calibrate on out-of-fold decisions, refit on everything.

    Folds and candidate ``C`` values run in parallel threads (liblinear releases the GIL).

    :param matrix: design matrix of the head's labelled examples.
    :param y: their 0/1 labels.
    :param params: effective parameters.
    :param n_text: number of text columns (the rest are signals).
    :param c_grid: candidate ``C`` values (default ``params["C_grid"]``).
    :param weights: per-example training weights (default: all 1).
    :returns: coefficients, intercept, calibration entry, CV metrics and the out-of-fold decisions.
    """
    from joblib import Parallel, delayed

    n_text = n_text or matrix.shape[1]
    grid = list(c_grid or params["C_grid"])
    folds = int(min(params["cv_folds"], np.bincount(y, minlength=2).min()))
    splitter = StratifiedKFold(n_splits=max(folds, 2), shuffle=True, random_state=params["seed"])
    splits = list(splitter.split(np.zeros(len(y)), y))
    jobs = [(c, train_idx, test_idx) for c in grid for train_idx, test_idx in splits]
    decisions = Parallel(n_jobs=int(params.get("n_jobs", 2)), prefer="threads")(
        delayed(_fold_decisions)(matrix, y, c, tr, te, n_text, params, weights) for c, tr, te in jobs
    )
    best: tuple[float, float, np.ndarray] | None = None
    for k, c in enumerate(grid):
        oof = np.zeros(len(y))
        for (_, _, test_idx), values in zip(jobs[k * len(splits) : (k + 1) * len(splits)],
                                            decisions[k * len(splits) : (k + 1) * len(splits)], strict=True):
            oof[test_idx] = values
        score = average_precision_score(y, oof)
        if best is None or score > best[1] + 1e-4:
            best = (c, score, oof)
    assert best is not None
    c, ap, oof = best
    calibration = fit_isotonic(oof, y) if params["calibration"] == "isotonic" else fit_sigmoid(oof, y)
    full_x, ratio = _scaled(matrix, y, n_text, params)
    final = _learner(c, params).fit(full_x, y, sample_weight=weights)
    coef = final.coef_[0] if ratio is None else final.coef_[0] * ratio  # fold the scaling into the weights
    metrics = {"C": c, "cv_average_precision": float(ap), "cv_roc_auc": float(roc_auc_score(y, oof))}
    return coef.astype(np.float32), float(final.intercept_[0]), calibration, metrics, oof


def example_langs(examples: Sequence[Example]) -> list[str]:
    """Each example's language as training treats it: the stated one, English where none is stated.

    :param examples: the training examples.
    """
    return [e.lang or "en" for e in examples]


def lang_calibrations(
    oof: np.ndarray, y: np.ndarray, langs: Sequence[str], params: Mapping[str, Any], recall: float | None = None
) -> dict[str, dict[str, Any]]:
    """A sigmoid per language with enough labelled examples of each class (out-of-fold decisions).

    :param oof: out-of-fold decisions of one head.
    :param y: their labels.
    :param langs: the language of each.
    :param params: effective parameters (``lang_min_per_class``, ``claim_review_threshold``).
    :param recall: when given, each sigmoid is shifted to put the review threshold at this recall
        (:func:`at_recall`).
    """
    need = int(params["lang_min_per_class"])
    by_lang: dict[str, dict[str, Any]] = {}
    codes = np.asarray(langs)
    for lang in sorted(set(langs)):
        mask = codes == lang
        positives = int(y[mask].sum())
        if positives >= need and int(mask.sum()) - positives >= need:
            entry = fit_sigmoid(oof[mask], y[mask])
            if recall is not None:
                entry = at_recall(entry, oof[mask][y[mask] == 1], recall, float(params["claim_review_threshold"]))
            by_lang[lang] = entry
    return by_lang


def at_recall(entry: Mapping[str, Any], positive_decisions: np.ndarray, recall: float,
              threshold: float) -> dict[str, Any]:
    """A sigmoid shifted so that ``recall`` of the given positives score at or above ``threshold``.

    The slope is kept (how fast the probability rises with the evidence); only the offset moves.

    :param entry: the fitted sigmoid (``{"method": "sigmoid", "a", "b"}``).
    :param positive_decisions: out-of-fold decisions of the positive examples.
    :param recall: the share of them to put at or above the threshold.
    :param threshold: the probability the review threshold asks for.
    """
    a = float(entry["a"])
    if a >= 0 or not len(positive_decisions):  # a degenerate fit (no evidence for the positive class)
        return dict(entry)
    cut = float(np.quantile(positive_decisions, 1.0 - recall))
    b = float(np.log(1.0 / threshold - 1.0) - a * cut)
    return {"method": "sigmoid", "a": a, "b": b, "fitted_b": float(entry["b"]), "target_recall": recall}


def claimed_languages(
    oof: np.ndarray, y: np.ndarray, langs: Sequence[str], calibration: Mapping[str, Any],
    by_lang: Mapping[str, Mapping[str, Any]], params: Mapping[str, Any],
) -> dict[str, dict[str, float]]:
    """The toxic head's cross-validated quality per language, and whether the model may claim it.

    A language is claimed when it has at least ``claim_min_per_class`` labelled examples of each class, an
    out-of-fold ROC-AUC of at least ``claim_min_auc``, and, at the review threshold, at least
    ``claim_min_clean_approved`` of its clean comments below it and ``claim_min_abuse_caught`` of its abusive ones
    at or above it.

    :param oof: out-of-fold decisions of the toxic head.
    :param y: their labels.
    :param langs: the language of each.
    :param calibration: the head's default calibration.
    :param by_lang: the head's per-language calibrations.
    :param params: effective parameters.
    :returns: language -> its figures, with ``claimed`` 1.0 or 0.0.
    """
    from moderation.judging.scoring import calibrate

    codes = np.asarray(langs)
    threshold = float(params["claim_review_threshold"])
    report: dict[str, dict[str, float]] = {}
    for lang in sorted(set(langs)):
        mask = codes == lang
        labels = y[mask]
        positives = int(labels.sum())
        negatives = int(mask.sum()) - positives
        if not positives or not negatives:
            continue
        probs = calibrate(oof[mask], by_lang.get(lang, calibration))
        figures = {
            "examples": float(mask.sum()),
            "positives": float(positives),
            "roc_auc": float(roc_auc_score(labels, oof[mask])),
            "clean_approved": float(np.mean(probs[labels == 0] < threshold)),
            "abuse_caught": float(np.mean(probs[labels == 1] >= threshold)),
        }
        need = int(params["claim_min_per_class"])
        figures["claimed"] = float(
            min(positives, negatives) >= need
            and figures["roc_auc"] >= float(params["claim_min_auc"])
            and figures["clean_approved"] >= float(params["claim_min_clean_approved"])
            and figures["abuse_caught"] >= float(params["claim_min_abuse_caught"])
        )
        report[lang] = figures
    return report


def screen_languages(
    oof: np.ndarray, y: np.ndarray, langs: Sequence[str], by_lang: Mapping[str, Mapping[str, Any]],
    report: dict[str, dict[str, float]], params: Mapping[str, Any],
) -> dict[str, dict[str, Any]]:
    """The toxic calibrations of the languages the model screens: real labels, not claimed, but safe to approve
    on when the calibration is shifted to catch nearly all abuse (see ``screen_target_recall``).

    :param oof: out-of-fold decisions of the toxic head (real comments only).
    :param y: their labels.
    :param langs: the language of each.
    :param by_lang: the head's per-language calibrations (a language without one is not screened).
    :param report: :func:`claimed_languages`'s figures; each unclaimed language's screening figures are added
        to it (``screen_clean_approved``, ``screen_abuse_approved``, ``screened``).
    :param params: effective parameters.
    :returns: language -> its screening calibration.
    """
    from moderation.judging.scoring import calibrate

    codes = np.asarray(langs)
    threshold = float(params["claim_review_threshold"])
    screened: dict[str, dict[str, Any]] = {}
    for lang, figures in report.items():
        if figures.get("claimed") or lang not in by_lang:
            continue
        mask = codes == lang
        labels, decisions = y[mask], oof[mask]
        entry = at_recall(by_lang[lang], decisions[labels == 1], float(params["screen_target_recall"]), threshold)
        probs = calibrate(decisions, entry)
        clean, abuse = float(np.mean(probs[labels == 0] < threshold)), float(np.mean(probs[labels == 1] < threshold))
        ok = abuse <= float(params["screen_max_abuse_approved"]) and clean >= float(params["screen_min_clean_approved"])
        figures.update(screen_clean_approved=clean, screen_abuse_approved=abuse, screened=float(ok))
        if ok:
            screened[lang] = entry
    return screened


def prune_columns(coef: np.ndarray, n_text: int, keep: int | None) -> np.ndarray:
    """Indices of the text columns to keep: the ``keep`` with the largest weight in any head (all if ``None``).

    :param coef: ``columns × heads`` coefficients (text columns first).
    :param n_text: number of text columns.
    :param keep: how many to keep.
    """
    if keep is None or keep >= n_text:
        return np.arange(n_text)
    strength = np.abs(coef[:n_text]).max(axis=1)
    return np.sort(np.argpartition(-strength, keep)[:keep])


def fit_model(
    examples: Sequence[Example],
    params: Mapping[str, Any] | None = None,
    *,
    heads: Sequence[str] | None = None,
    progress: Progress | None = stderr_progress,
) -> FitResult:
    """Fit the feature transform and every trainable head.

    :param examples: labelled training examples.
    :param params: parameter overrides (see :data:`DEFAULT_PARAMS`).
    :param heads: restrict to these heads (default: every head with enough labels).
    :param progress: receives one line per step (``None`` for silence).
    """
    say = progress or (lambda _message: None)
    merged = merge_params(params)
    chosen = trainable_heads(examples, merged, heads)
    if not chosen:
        raise TrainError(f"too few labelled examples to train: no head has {merged['min_positives_main']} positive and "
                         f"{merged['min_positives_main']} negative examples ({len(examples):,} examples given)")
    steps = len(chosen) + 1
    feature_params = FeatureParams.from_dict(merged["features"])
    say(f"[1/{steps}] features: hashing {len(examples):,} texts")
    from moderation.judging.features import Featurizer

    batch = Featurizer(feature_params).hash_batch([e.text for e in examples])
    fitted = FittedFeatures.fit(batch.counts, feature_params, min_df=int(merged["min_df"]))
    design = stack(fitted.weigh(batch.counts), batch.signals)
    weights = sample_weights(examples, merged)
    langs = example_langs(examples)
    coefs, intercepts, calibrations = [], [], {}
    by_lang: dict[str, dict[str, Any]] = {}
    per_head: dict[str, dict[str, int]] = {}
    cv: dict[str, dict[str, float]] = {}
    languages: dict[str, dict[str, float]] = {}
    screened: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for step, (head, idx) in enumerate(chosen.items(), start=2):
            y = np.array([int(examples[i].labels[head]) for i in idx], dtype=np.int64)
            say(f"[{step}/{steps}] fitting {head} ({len(idx):,} examples, {int(y.sum()):,} positive)")
            # Subtypes reuse the C chosen for toxic (they share its vocabulary); saves most of the CV time.
            grid = [cv["toxic"]["C"]] if head in SUBTYPE_HEADS and "toxic" in cv else None
            coef, intercept, calibration, metrics, oof = fit_head(
                design[idx], y, merged, fitted.n_text_cols, grid, weights[idx]
            )
            head_langs = [langs[i] for i in idx]
            recall = (merged.get("lang_target_recall") or {}).get(head)
            for lang, entry in lang_calibrations(oof, y, head_langs, merged, recall).items():
                by_lang.setdefault(lang, {})[head] = entry
            if head == "toxic":
                by_head = {lang: entries["toxic"] for lang, entries in by_lang.items() if "toxic" in entries}
                excluded = set(merged.get("claim_exclude_sources") or ())
                real = np.array([examples[i].source not in excluded for i in idx], dtype=bool)
                real_langs = [head_langs[k] for k in np.flatnonzero(real)]
                languages = claimed_languages(oof[real], y[real], real_langs, calibration, by_head, merged)
                for lang, entry in screen_languages(oof[real], y[real], real_langs, by_head, languages,
                                                    merged).items():
                    by_lang[lang]["toxic"] = entry
                    screened.append(lang)
            coefs.append(coef)
            intercepts.append(intercept)
            calibrations[head] = calibration
            per_head[head] = {"examples": len(idx), "positives": int(y.sum())}
            cv[head] = metrics
    coef_matrix = np.stack(coefs, axis=1).astype(np.float32)
    keep = prune_columns(coef_matrix, fitted.n_text_cols, merged.get("max_text_columns"))
    rows = np.concatenate([keep, np.arange(fitted.n_text_cols, coef_matrix.shape[0])])
    claimed = sorted(lang for lang, figures in languages.items() if figures["claimed"])
    state = {
        "format": STATE_FORMAT,
        "feature_params": feature_params.to_dict(),
        "kept": fitted.kept[keep].astype(np.int32),
        "idf": fitted.idf[keep].astype(np.float32),
        "heads": list(chosen),
        "coef": coef_matrix[rows],
        "intercept": np.asarray(intercepts, dtype=np.float64),
        "calibration": calibrations,
        "calibration_by_lang": by_lang,
        # Without real labelled comments to judge by (e.g. the seed corpus alone), a model claims English only.
        "languages": claimed if languages else list(DEFAULT_LANGUAGES),
        # Languages with real labels below the claim bar whose calibration catches nearly all abuse: the model
        # approves what it is sure of in them, the policy holds the rest (moderation.judging.policy, `screened`).
        "screened_languages": sorted(screened),
    }
    return FitResult(state, per_head, cv, merged, languages)
