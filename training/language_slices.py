"""Held-out slices of every non-English source, and the per-language figures the claims rest on.

``make default-model`` keeps a deterministic share (:data:`DEFAULT_SHARE`) of each non-English source out of
training: a text is held out when its salted hash (:func:`training.holdout.is_held_out`, salt :data:`SALT`) falls
below the share, so copies of one text fall on the same side and every rebuild holds out the same texts. After
training, the slices are moderated as a worker would (the language identifier, the default policy) and each
language gets:

* ``roc_auc``: the toxic head's ROC-AUC;
* ``clean_approved``: the share of its clean comments approved;
* ``abuse_approved_silently``: the share of its abusive comments approved (neither held nor rejected);
* ``claim_bar`` / ``screen_bar``: whether those meet the bar to be claimed (ROC-AUC ≥ 0.85, clean approved ≥ 80%,
  abuse approved silently ≤ 15%) or screened (abuse approved silently ≤ 15%, clean approved ≥ 30%).

A language the cross-validation claimed but whose slice misses the claim bar is not claimed: it is screened
(its calibration still holds nearly all abuse) and the metadata says why (:func:`confirm_claims`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from training.examples import Example
from training.holdout import is_held_out

#: Share of each non-English source held out by ``make default-model``.
DEFAULT_SHARE = 0.1
#: Salt of the slices' hash (independent of ``make train``'s split).
SALT = "languages-v1"
#: The claim bar on held-out comments: ROC-AUC, clean approved, abusive approved silently.
CLAIM_MIN_AUC = 0.85
CLAIM_MIN_CLEAN_APPROVED = 0.80
CLAIM_MAX_ABUSE_APPROVED = 0.15
#: The screening bar: abusive approved silently at most, clean approved at least.
SCREEN_MAX_ABUSE_APPROVED = 0.15
SCREEN_MIN_CLEAN_APPROVED = 0.30

Identify = Callable[[Sequence[str]], Sequence[str]]


def sliced(lang: str, share: float) -> bool:
    """Whether sources in ``lang`` have a slice held out (every language but English, whose held-out sets are
    whole corpora).

    :param lang: the source's ISO 639-1 code.
    :param share: the share held out (0: none).
    """
    return share > 0 and lang != "en"


def split_slice(examples: Sequence[Example], share: float) -> tuple[list[Example], list[Example]]:
    """The training part and the held-out slice of one source.

    :param examples: the source's examples.
    :param share: the share held out.
    """
    train: list[Example] = []
    held: list[Example] = []
    for example in examples:
        (held if is_held_out(example.text, share, SALT) else train).append(example)
    return train, held


def language_figures(y: np.ndarray, probs: np.ndarray, approved: np.ndarray) -> dict[str, Any]:
    """One language's held-out figures (see the module docstring).

    :param y: 0/1 toxic labels.
    :param probs: the toxic head's probabilities.
    :param approved: whether each comment was approved under the default policy.
    """
    clean, abuse = y == 0, y == 1
    figures: dict[str, Any] = {
        "examples": len(y),
        "positives": int(abuse.sum()),
        "roc_auc": float(roc_auc_score(y, probs)) if 0 < int(abuse.sum()) < len(y) else None,
        "clean_approved": float(approved[clean].mean()) if clean.any() else None,
        "abuse_approved_silently": float(approved[abuse].mean()) if abuse.any() else None,
    }
    auc, ok, silent = figures["roc_auc"], figures["clean_approved"], figures["abuse_approved_silently"]
    complete = None not in (auc, ok, silent)
    figures["claim_bar"] = bool(complete and auc >= CLAIM_MIN_AUC and ok >= CLAIM_MIN_CLEAN_APPROVED
                                and silent <= CLAIM_MAX_ABUSE_APPROVED)
    figures["screen_bar"] = bool(complete and silent <= SCREEN_MAX_ABUSE_APPROVED
                                 and ok >= SCREEN_MIN_CLEAN_APPROVED)
    return figures


def evaluate_slices(scorer: Any, policy: Any, held: Mapping[str, Sequence[Example]],
                    identify: Identify | None) -> dict[str, dict[str, Any]]:
    """Moderate each language's held-out comments as a worker would and report its figures.

    :param scorer: the model.
    :param policy: the policy (its default site).
    :param held: language -> its held-out examples (every source in it together).
    :param identify: the language identifier (texts -> codes), or ``None`` to take each example's language.
    :returns: language -> :func:`language_figures`, plus ``sources`` (per source, how many were held out).
    """
    from training.bench_shipped import outcomes

    report: dict[str, dict[str, Any]] = {}
    for lang in sorted(held):
        examples = [e for e in held[lang] if "toxic" in e.labels]
        if not examples:
            continue
        y = np.array([int(e.labels["toxic"]) for e in examples])
        probs, approved, langs = outcomes(scorer, policy, examples, identify)
        figures = language_figures(y, probs, approved)
        figures["identified_as_stated"] = float(np.mean([found == lang for found in langs]))
        sources: dict[str, int] = {}
        for example in examples:
            sources[example.source] = sources.get(example.source, 0) + 1
        figures["sources"] = sources
        report[lang] = figures
    return report


def confirm_claims(languages: Sequence[str], screened: Sequence[str],
                   report: Mapping[str, Mapping[str, Any]]) -> tuple[list[str], list[str], dict[str, str]]:
    """The claims the held-out slices confirm; a claimed language whose slice misses the claim bar is screened.

    :param languages: the languages cross-validation claimed.
    :param screened: the languages it screens.
    :param report: :func:`evaluate_slices`'s figures.
    :returns: claimed, screened, and language -> why its claim was withdrawn.
    """
    claimed, demoted = [], {}
    for lang in languages:
        figures = report.get(lang)
        if figures is None or figures["claim_bar"]:
            claimed.append(lang)
            continue
        demoted[lang] = (f"held-out ROC-AUC {_pct(figures['roc_auc'])}, clean approved "
                         f"{_pct(figures['clean_approved'])}, abuse approved silently "
                         f"{_pct(figures['abuse_approved_silently'])}: below the claim bar, screened")
    return claimed, sorted({*screened, *demoted}), demoted


def format_report(report: Mapping[str, Mapping[str, Any]], claimed: Sequence[str],
                  screened: Sequence[str]) -> str:
    """The per-language table ``make default-model`` and ``make bench-quality`` print.

    :param report: :func:`evaluate_slices`'s figures.
    :param claimed: the claimed languages.
    :param screened: the screened languages.
    """
    lines = [f"{'lang':<6}{'status':<10}{'n':>7}{'ROC-AUC':>9}{'clean ok':>10}{'abuse silent':>14}{'lang id':>9}"]
    for lang, figures in report.items():
        status = "claimed" if lang in claimed else "screened" if lang in screened else "held"
        lines.append(f"{lang:<6}{status:<10}{figures['examples']:>7}{_num(figures['roc_auc']):>9}"
                     f"{_num(figures['clean_approved']):>10}{_num(figures['abuse_approved_silently']):>14}"
                     f"{_num(figures.get('identified_as_stated')):>9}")
    return "\n".join(lines)


def _num(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pct(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"
