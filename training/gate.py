"""The promotion gate: is a candidate bundle worse than the current one, head by head, given the evidence?

Each head is judged on ROC-AUC with a 95% confidence interval of the difference:

* on evaluation examples both models score (the ``--data`` files, or the candidate's held-out split), the
  paired DeLong interval (DeLong et al. 1988, fast form of Sun & Xu 2014): both models are scored on the same
  texts, so their shared noise cancels;
* on metrics both bundles recorded on the same data (no scores kept), the unpaired Hanley & McNeil (1982)
  standard errors, which is wider (conservative).

A head vetoes the promotion only when it has at least :data:`MIN_CLASS_EXAMPLES` positive and negative
examples, its AUC dropped by more than :data:`TOLERANCE`, and the whole interval is below zero. A head with
less evidence is shown, with its figures, but cannot veto: three positives cannot outweigh a clear gain
elsewhere. A candidate lacking a head the current model has is refused (decisions would change silently).
Average precision is shown beside, not gated (it has no simple interval).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import rankdata

#: Fewest positive and negative examples a head needs before it can veto a promotion.
MIN_CLASS_EXAMPLES = 20
#: How much worse (absolute ROC-AUC) a head may be before it can veto.
TOLERANCE = 0.002
#: How far (a share of the fairness set) a figure may fall below the current model's and under its target before
#: it blocks a promotion; a model already under the target blocks only on a fall of :data:`FAIRNESS_FALL`.
FAIRNESS_SLACK = 0.005
FAIRNESS_FALL = 0.05
#: z of the two-sided 95% interval.
Z95 = 1.959963984540054


def delong_paired(y: np.ndarray, p_new: np.ndarray, p_old: np.ndarray) -> tuple[float, float, float]:
    """ROC-AUCs of two scorings of the same examples and the variance of their difference (DeLong).

    :param y: 0/1 labels (both classes present).
    :param p_new: the candidate's scores.
    :param p_old: the reference's scores.
    :returns: ``(auc_new, auc_old, variance of auc_new - auc_old)``.
    """
    y = np.asarray(y)
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    m, n = pos.size, neg.size
    scores = np.vstack([np.asarray(p_new, dtype=np.float64), np.asarray(p_old, dtype=np.float64)])
    ordered = np.hstack([scores[:, pos], scores[:, neg]])
    rank_pos = rankdata(ordered[:, :m], axis=1)
    rank_neg = rankdata(ordered[:, m:], axis=1)
    rank_all = rankdata(ordered, axis=1)
    aucs = rank_all[:, :m].sum(axis=1) / (m * n) - (m + 1.0) / (2.0 * n)
    v01 = (rank_all[:, :m] - rank_pos) / n  # per positive: share of negatives it beats
    v10 = 1.0 - (rank_all[:, m:] - rank_neg) / m  # per negative: share of positives beating it
    cov = (np.atleast_2d(np.cov(v01)) / m if m > 1 else np.zeros((2, 2))) + (
        np.atleast_2d(np.cov(v10)) / n if n > 1 else np.zeros((2, 2))
    )
    variance = float(cov[0, 0] + cov[1, 1] - 2.0 * cov[0, 1])
    return float(aucs[0]), float(aucs[1]), max(variance, 0.0)


def hanley_mcneil_variance(auc: float, positives: int, negatives: int) -> float:
    """Variance of one ROC-AUC from its value and class counts (Hanley & McNeil 1982).

    :param auc: the AUC.
    :param positives: positive examples.
    :param negatives: negative examples.
    """
    q1, q2 = auc / (2.0 - auc), 2.0 * auc * auc / (1.0 + auc)
    return (auc * (1 - auc) + (positives - 1) * (q1 - auc**2) + (negatives - 1) * (q2 - auc**2)) / (
        positives * negatives
    )


@dataclass(frozen=True)
class HeadJudgement:
    """One head's comparison.

    :param head: the head.
    :param status: ``better``, ``worse``, ``same``, ``too little evidence``, ``not comparable``,
        ``missing in candidate`` or ``new in candidate``.
    :param vetoes: whether this head refuses the promotion.
    :param positives: positive examples it was judged on.
    :param negatives: negative examples it was judged on.
    :param auc_new: the candidate's ROC-AUC.
    :param auc_old: the current model's ROC-AUC.
    :param ci: 95% interval of ``auc_new - auc_old``.
    :param ap_new: the candidate's average precision (shown, not gated).
    :param ap_old: the current model's average precision.
    """

    head: str
    status: str
    vetoes: bool = False
    positives: int = 0
    negatives: int = 0
    auc_new: float | None = None
    auc_old: float | None = None
    ci: tuple[float, float] | None = None
    ap_new: float | None = None
    ap_old: float | None = None

    @property
    def delta(self) -> float | None:
        """``auc_new - auc_old``."""
        return None if self.auc_new is None or self.auc_old is None else self.auc_new - self.auc_old

    def line(self) -> str:
        """One readable line."""
        parts = [f"{self.head:<14}"]
        if self.delta is not None:
            parts.append(f"auc {self.auc_old:.4f} -> {self.auc_new:.4f} ({self.delta:+.4f}")
            parts.append(f", 95% CI {self.ci[0]:+.4f} .. {self.ci[1]:+.4f})" if self.ci else ")")
        if self.ap_new is not None and self.ap_old is not None:
            parts.append(f"  ap {self.ap_old:.4f} -> {self.ap_new:.4f}")
        if self.positives or self.negatives:
            parts.append(f"  on {self.positives:,} pos / {self.negatives:,} neg")
        label = self.status.upper() if self.vetoes else self.status
        if self.status == "too little evidence":
            label += f" (needs {MIN_CLASS_EXAMPLES} of each): cannot veto"
        elif self.status == "worse" and not self.vetoes:
            label += " within noise: does not veto"
        parts.append(f"  -> {label}")
        return "".join(parts)


def judge_head(
    head: str,
    positives: int,
    negatives: int,
    auc_new: float | None,
    auc_old: float | None,
    variance: float | None,
    *,
    ap_new: float | None = None,
    ap_old: float | None = None,
) -> HeadJudgement:
    """Classify one head's change, given the evidence behind it.

    :param head: the head.
    :param positives: positive examples judged on.
    :param negatives: negative examples judged on.
    :param auc_new: the candidate's ROC-AUC (``None`` if undefined).
    :param auc_old: the current model's ROC-AUC.
    :param variance: variance of the difference, or ``None`` if unknown.
    :param ap_new: the candidate's average precision.
    :param ap_old: the current model's average precision.
    """
    common = {"positives": positives, "negatives": negatives, "auc_new": auc_new, "auc_old": auc_old,
              "ap_new": ap_new, "ap_old": ap_old}
    if auc_new is None or auc_old is None or variance is None:
        return HeadJudgement(head, "not comparable", **common)  # type: ignore[arg-type]
    delta = auc_new - auc_old
    half = Z95 * float(np.sqrt(variance))
    ci = (delta - half, delta + half)
    if min(positives, negatives) < MIN_CLASS_EXAMPLES:
        return HeadJudgement(head, "too little evidence", ci=ci, **common)  # type: ignore[arg-type]
    if delta < -TOLERANCE:
        return HeadJudgement(head, "worse", vetoes=ci[1] < 0, ci=ci, **common)  # type: ignore[arg-type]
    status = "better" if delta > TOLERANCE else "same"
    return HeadJudgement(head, status, ci=ci, **common)  # type: ignore[arg-type]


def _hedge(head: HeadJudgement) -> str:
    """How sure a change is, for the summary line."""
    if head.status == "too little evidence":
        return f" (on {min(head.positives, head.negatives)} examples of a class: not counted)"
    if head.ci is not None and head.ci[0] < 0 < head.ci[1]:
        return " (within noise)"
    return ""


@dataclass
class Verdict:
    """The gate's answer.

    :param candidate: the candidate's version.
    :param current: the current model's version.
    :param source: what it was judged on (files and example count, or the recorded data).
    :param heads: per head judgement.
    :param warnings: e.g. overlaps of the evaluation data with training data.
    """

    candidate: str
    current: str
    source: str
    heads: list[HeadJudgement] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether no head vetoes and nothing else blocks (too little evidence, a fairness regression)."""
        return not any(h.vetoes for h in self.heads) and not self.blocks

    def lines(self) -> list[str]:
        """The readable verdict: which model is which, source, one line per head, warnings, blocks, outcome."""
        out = [*self.models, f"gate: {self.candidate} against the current {self.current}, judged on {self.source}"]
        out += [f"  {h.line()}" for h in self.heads]
        out += [f"  {n}" for n in self.notes]
        out += [f"blocked: {b}" for b in self.blocks]
        out += [f"warning: {w}" for w in self.warnings]
        better = [h.head + _hedge(h) for h in self.heads if (h.delta or 0) > TOLERANCE]
        worse = [h.head + _hedge(h) for h in self.heads
                 if (h.delta or 0) < -TOLERANCE or h.status == "missing in candidate"]
        out.append(f"improved: {', '.join(better) or 'none'}; got worse: {', '.join(worse) or 'none'}; "
                   + ("passes" if self.passed else "refused"))
        return out

    def reason(self) -> str:
        """Why it was refused, in one sentence."""
        vetoes = "; ".join(
            f"{h.head} lacks in the candidate" if h.status == "missing in candidate"
            else f"{h.head} roc_auc {h.auc_new:.4f} < {h.auc_old:.4f} (95% CI of the change "
                 f"{h.ci[0]:+.4f} .. {h.ci[1]:+.4f}, on {h.positives} pos / {h.negatives} neg)"  # type: ignore[index]
            for h in self.heads if h.vetoes
        )
        why = "; ".join(filter(None, [vetoes, *self.blocks]))
        return f"refusing to promote {self.candidate} over {self.current} on {self.source}: {why}"

    def comparison(self) -> dict[str, dict[str, tuple[float, float]]]:
        """head -> metric -> ``(candidate, current)`` for every compared pair."""
        out: dict[str, dict[str, tuple[float, float]]] = {}
        for h in self.heads:
            for metric, new, old in (("roc_auc", h.auc_new, h.auc_old), ("average_precision", h.ap_new, h.ap_old)):
                if new is not None and old is not None:
                    out.setdefault(h.head, {})[metric] = (new, old)
        return out


def _heads_presence(verdict: Verdict, new_heads: Sequence[str], old_heads: Sequence[str]) -> None:
    for head in old_heads:
        if head not in new_heads:
            verdict.heads.append(HeadJudgement(head, "missing in candidate", vetoes=True))
    for head in new_heads:
        if head not in old_heads:
            verdict.heads.append(HeadJudgement(head, "new in candidate"))


def judge_scores(
    verdict: Verdict,
    new: Mapping[str, tuple[np.ndarray, np.ndarray]],
    old: Mapping[str, tuple[np.ndarray, np.ndarray]],
    new_heads: Sequence[str],
    old_heads: Sequence[str],
) -> Verdict:
    """Fill ``verdict`` from both models' scores of the same examples (paired DeLong intervals).

    :param verdict: the verdict to fill (source and versions set).
    :param new: head -> ``(y, p)`` of the candidate (:func:`training.evaluate.score_examples`).
    :param old: the same for the current model, on the same examples.
    :param new_heads: the candidate's heads.
    :param old_heads: the current model's heads.
    """
    from sklearn.metrics import average_precision_score

    for head in [h for h in old_heads if h in new_heads]:
        if head not in new or head not in old:
            continue  # the evaluation data does not label it
        (y, p_new), (_, p_old) = new[head], old[head]
        positives = int(np.sum(y == 1))
        negatives = int(y.size - positives)
        if positives == 0 or negatives == 0:
            verdict.heads.append(judge_head(head, positives, negatives, None, None, None))
            continue
        auc_new, auc_old, variance = delong_paired(y, p_new, p_old)
        verdict.heads.append(judge_head(
            head, positives, negatives, auc_new, auc_old, variance,
            ap_new=float(average_precision_score(y, p_new)), ap_old=float(average_precision_score(y, p_old)),
        ))
    _heads_presence(verdict, new_heads, old_heads)
    return verdict


def judge_recorded(
    verdict: Verdict,
    new: Mapping[str, Mapping[str, Any]],
    old: Mapping[str, Mapping[str, Any]],
    new_heads: Sequence[str],
    old_heads: Sequence[str],
) -> Verdict:
    """Fill ``verdict`` from metrics both bundles recorded on the same data (unpaired Hanley-McNeil intervals).

    :param verdict: the verdict to fill.
    :param new: head -> metrics (:func:`training.evaluate.head_metrics`) of the candidate.
    :param old: the same for the current model.
    :param new_heads: the candidate's heads.
    :param old_heads: the current model's heads.
    """
    for head in [h for h in old_heads if h in new_heads]:
        if head not in new or head not in old:
            continue
        a, b = new[head], old[head]
        positives = int(a.get("positives", 0))
        negatives = int(a.get("n", 0)) - positives
        auc_new, auc_old = a.get("roc_auc"), b.get("roc_auc")
        variance = None
        if auc_new is not None and auc_old is not None and positives and negatives:
            variance = hanley_mcneil_variance(float(auc_new), positives, negatives) + hanley_mcneil_variance(
                float(auc_old), positives, negatives
            )
        verdict.heads.append(judge_head(
            head, positives, negatives, auc_new, auc_old, variance,
            ap_new=a.get("average_precision"), ap_old=b.get("average_precision"),
        ))
    _heads_presence(verdict, new_heads, old_heads)
    return verdict


class NoEvidence(LookupError):
    """Nothing to judge the candidate on: no data given, no held-out split, no metrics recorded by both."""


def overlap_warnings(texts: Sequence[str], bundles: Sequence[Any], what: str) -> list[str]:
    """Warnings for each bundle whose training data (its recorded sketch) contains some of ``texts``.

    :param texts: the evaluation texts.
    :param bundles: :class:`training.bundle.BundleInfo` of the models judged.
    :param what: how to name the texts in the warning.
    """
    from training.textsketch import training_overlap

    warnings = []
    for info in bundles:
        overlap = training_overlap(info.metadata, texts)
        if overlap is not None and overlap.found:
            warnings.append(f"{overlap.describe()} of {what} are in {info.version}'s training data: "
                            "its figures there are flattered")
    return warnings


def describe_model(role: str, info: Any) -> str:
    """Which model is which, in one line: its role, version, what it was trained on and what it builds on.

    :param role: ``candidate`` or ``current``.
    :param info: the model's :class:`training.bundle.BundleInfo`.
    """
    meta = info.metadata
    data = meta.get("data") or {}
    files = ", ".join(data.get("files") or []) or "unrecorded data"
    line = f"{role}: {info.version}, trained {info.created_at[:16]} on {files}"
    if data.get("examples"):
        line += f" ({int(data['examples']):,} examples)"
    if meta.get("base_model"):
        line += f", built on {meta['base_model'].get('version')}"
    if meta.get("sources"):
        line += " (the shipped model's recipe)"
    return line


def require_evidence(verdict: Verdict, changed: Sequence[str]) -> None:
    """Block a verdict that rests on too few examples.

    Blocked: when no head was judged on :data:`MIN_CLASS_EXAMPLES` positive and negative examples (nothing
    showed the candidate is as good), and when a head the candidate changed was judged on fewer (its change is
    unseen).

    :param verdict: the filled verdict.
    :param changed: heads the candidate changed (an update's updated heads; the main heads of a new model).
    """
    judged = [h for h in verdict.heads if h.auc_new is not None or h.status == "not comparable"]
    enough = [h for h in judged if min(h.positives, h.negatives) >= MIN_CLASS_EXAMPLES]
    if not enough:
        counts = ", ".join(f"{h.head} {h.positives} pos / {h.negatives} neg" for h in judged) or "no labelled head"
        verdict.blocks.append(f"too few examples to judge: no head has {MIN_CLASS_EXAMPLES} positive and "
                              f"{MIN_CLASS_EXAMPLES} negative examples ({counts}); give more evaluation data (DATA=)")
        return
    thin = [h for h in judged if h.head in changed and h not in enough]
    for h in thin:
        verdict.blocks.append(f"{h.head} was changed but judged on {h.positives} pos / {h.negatives} neg (needs "
                              f"{MIN_CLASS_EXAMPLES} of each)")


#: Fairness figures the gate watches: (report path, words).
FAIRNESS_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("acceptable_approved", "acceptable sentences naming a group approved", "approved"),
    ("abuse_held", "abuse and threats at groups held or rejected", "held"),
)


def fairness_blocks(new: Mapping[str, Any] | None, old: Mapping[str, Any] | None) -> tuple[list[str], list[str]]:
    """Compare two fairness reports (:func:`training.fairness.model_fairness`) against their targets.

    A figure blocks when the candidate's is below its target and more than :data:`FAIRNESS_SLACK` below the
    current model's while that one met the target, or more than :data:`FAIRNESS_FALL` below it in any case.

    :param new: the candidate's report (``None``: no toxic head).
    :param old: the current model's.
    :returns: ``(lines to show, blocking reasons)``.
    """
    if not new or not old:
        return [], []
    which = "policy" if "policy" in new and "policy" in old else "toxic_head"
    lines, blocks = [], []
    for key, words, _ in FAIRNESS_FIGURES:
        a, b = new[which].get(key), old[which].get(key)
        target = new[which]["targets"][key]
        if a is None or b is None:
            continue
        line = f"fairness: {words}: {b:.1%} -> {a:.1%} (target {target:.0%})"
        if a < target and ((b >= target and a < b - FAIRNESS_SLACK) or a < b - FAIRNESS_FALL):
            blocks.append(f"{words} fell to {a:.1%} from {b:.1%}, below the target {target:.0%}")
            line += " -> BLOCKS"
        lines.append(line)
    return lines, blocks


def check_promotion(
    info: Any, candidate: Any, current: Any, data: Sequence[Any] | None, files: Sequence[str] = (),
    fairness: Any | None = None,
) -> Verdict:
    """Judge a candidate against the current model.

    Judged on, in this order: ``data`` (named by ``files``); else the candidate's held-out split
    (:mod:`training.holdout`); else the latest metrics both bundles recorded on the same data.

    :param info: the candidate's :class:`training.bundle.BundleInfo`.
    :param candidate: the candidate's loaded scorer.
    :param current: the current model's :class:`training.bundle.BundleInfo`.
    :param data: evaluation examples, or ``None``.
    :param files: the files ``data`` was read from, for the report.
    :param fairness: a function of a scorer giving its fairness report (:func:`training.fairness.model_fairness`),
        or ``None`` not to judge fairness.
    :raises NoEvidence: if there is nothing to judge on.
    """
    from training.bundle import load_bundle
    from training.evaluate import score_examples
    from training.holdout import HoldoutUnavailable, held_out_examples

    source = ""
    if data is not None:
        source = f"{', '.join(files) or 'the given evaluation data'} ({len(data):,} examples)"
    else:
        try:
            held = held_out_examples(info.metadata)
            data, source = held.examples, f"the candidate's {held.describe()}"
        except HoldoutUnavailable:
            data = None
    current_scorer = load_bundle(current.path)
    if data is not None:
        verdict = Verdict(info.version, current.version, source)
        verdict.warnings += overlap_warnings([e.text for e in data], [info, current], "the evaluation texts")
        judge_scores(verdict, score_examples(candidate, data), score_examples(current_scorer, data),
                     info.heads, current.heads)
    else:
        new_m, old_m = info.metadata.get("metrics", {}), current.metadata.get("metrics", {})
        shared = sorted(set(new_m) & set(old_m))
        if not shared:
            raise NoEvidence(
                f"cannot compare {info.version} with the current {current.version}: no evaluation data given, "
                "the candidate keeps no held-out split, and no metrics were recorded by both on the same data; "
                "pass evaluation data (--data, make promote DATA=file) or force"
            )
        record = new_m[shared[-1]]
        named = ", ".join(record.get("files", [])) or f"data {shared[-1][:12]}"
        verdict = Verdict(info.version, current.version, f"metrics both recorded on {named} (unpaired intervals)")
        judge_recorded(verdict, record["heads"], old_m[shared[-1]]["heads"], info.heads, current.heads)
    judged = {h.head for h in verdict.heads}
    unjudged = [h for h in current.heads if h in info.heads and h not in judged]
    if unjudged:
        verdict.warnings.append(f"not judged (the data does not label them): {', '.join(unjudged)}")
    if not any(h.auc_new is not None for h in verdict.heads) and verdict.passed:
        raise NoEvidence(f"cannot compare {info.version} with {current.version} on {verdict.source}: "
                         "it labels no head both models have with both classes; pass other data or force")
    verdict.models = [describe_model("candidate", info), describe_model("current", current)]
    changed = (list(info.metadata.get("updated_heads") or {}) if info.metadata.get("base_model")
               else [h for h in info.heads if h in ("spam", "toxic")])
    require_evidence(verdict, changed)
    if fairness is not None:
        shown, blocks = fairness_blocks(fairness(candidate), fairness(current_scorer))
        verdict.notes += shown
        verdict.blocks += blocks
    return verdict
