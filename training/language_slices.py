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
(its calibration still holds most abuse); one it screened whose slice approves more than 15% of its abuse
silently is held; the metadata says why (:func:`confirm_claims`).
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

#: Comments shorter than this are "short" for the identifier's figures.
SHORT_CHARS = 30

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


def short_identification(held: Mapping[str, Sequence[Example]], identify: Identify,
                         max_chars: int = SHORT_CHARS) -> dict[str, dict[str, Any]]:
    """How often the identifier finds the stated language of held-out comments shorter than ``max_chars``.

    :param held: language -> its held-out examples.
    :param identify: the language identifier (texts -> codes).
    :param max_chars: the length below which a comment is short.
    :returns: language -> ``examples``, ``accuracy`` and the most frequent wrong answers (``confused``).
    """
    report: dict[str, dict[str, Any]] = {}
    for lang in sorted(held):
        texts = [e.text for e in held[lang] if len(e.text.strip()) < max_chars]
        if not texts:
            continue
        found = list(identify(texts))
        wrong: dict[str, int] = {}
        for code in found:
            if code != lang:
                wrong[code] = wrong.get(code, 0) + 1
        report[lang] = {"examples": len(texts), "accuracy": sum(code == lang for code in found) / len(texts),
                        "confused": dict(sorted(wrong.items(), key=lambda item: -item[1])[:3])}
    return report


def held_out_pools(metadata: Mapping[str, Any], data_dir: Any) -> dict[str, list[Example]]:
    """Read again, per language, the held-out comments a bundle's metadata records: each source's slice (by
    :func:`split_slice` with the recorded share) and the non-English held-out files.

    :param metadata: the bundle's metadata (``language_slices``, ``sources``, ``held_out``).
    :param data_dir: the folder laid out like ``../shared/datasets``.
    """
    share = float((metadata.get("language_slices") or {}).get("share", 0.0))
    pools: dict[str, list[Example]] = {}
    for record in metadata.get("sources", []):
        if "held_out_slice" in record and share:
            pools.setdefault(record["lang"], []).extend(split_slice(_record_examples(record, data_dir), share)[1])
    for record in metadata.get("held_out", []):
        if record.get("lang", "en") != "en":
            pools.setdefault(record["lang"], []).extend(_record_examples(record, data_dir))
    return pools


def _record_examples(record: Mapping[str, Any], data_dir: Any) -> list[Example]:
    """The examples of the data files a metadata source record names."""
    from training.corpora import load_corpus

    files = [str(item["path"]).rpartition("/")[2] for item in record["files"] if item.get("role") == "data"]
    return [e for f in files for e in load_corpus(data_dir, record["corpus"], f)]


def confirm_claims(languages: Sequence[str], screened: Sequence[str],
                   report: Mapping[str, Mapping[str, Any]]) -> tuple[list[str], list[str], dict[str, str]]:
    """The claims the held-out slices confirm: a claimed language whose slice misses the claim bar is screened,
    and a screened one whose slice has more abuse approved silently than :data:`SCREEN_MAX_ABUSE_APPROVED` is held.

    :param languages: the languages cross-validation claimed.
    :param screened: the languages it screens.
    :param report: :func:`evaluate_slices`'s figures.
    :returns: claimed, screened, and language -> why its claim or screening was withdrawn.
    """
    claimed, demoted = [], {}
    for lang in languages:
        figures = report.get(lang)
        if figures is None or figures["claim_bar"]:
            claimed.append(lang)
            continue
        demoted[lang] = f"{_figures(figures)}: below the claim bar, screened"
    kept = set(demoted)
    for lang in screened:
        figures = report.get(lang)
        if figures is not None and figures["abuse_approved_silently"] is not None \
                and figures["abuse_approved_silently"] > SCREEN_MAX_ABUSE_APPROVED:
            demoted[lang] = f"{_figures(figures)}: too much abuse approved to screen, held"
        else:
            kept.add(lang)
    return claimed, sorted(kept), demoted


def _figures(figures: Mapping[str, Any]) -> str:
    return (f"held-out ROC-AUC {_pct(figures['roc_auc'])}, clean approved {_pct(figures['clean_approved'])}, "
            f"abuse approved silently {_pct(figures['abuse_approved_silently'])}")


def format_report(report: Mapping[str, Mapping[str, Any]], claimed: Sequence[str], screened: Sequence[str],
                  short: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """The per-language table ``make default-model`` and ``make bench-quality`` print.

    :param report: :func:`evaluate_slices`'s figures.
    :param claimed: the claimed languages.
    :param screened: the screened languages.
    :param short: :func:`short_identification`'s figures (the last two columns), if measured.
    """
    short = short or {}
    lines = [f"{'lang':<6}{'status':<10}{'n':>7}{'ROC-AUC':>9}{'clean ok':>10}{'abuse silent':>14}{'lang id':>9}"
             f"{'short n':>9}{'short id':>10}"]
    for lang, figures in report.items():
        status = "claimed" if lang in claimed else "screened" if lang in screened else "held"
        brief = short.get(lang, {})
        lines.append(f"{lang:<6}{status:<10}{figures['examples']:>7}{_num(figures['roc_auc']):>9}"
                     f"{_num(figures['clean_approved']):>10}{_num(figures['abuse_approved_silently']):>14}"
                     f"{_num(figures.get('identified_as_stated')):>9}{brief.get('examples', '-')!s:>9}"
                     f"{_num(brief.get('accuracy')):>10}")
    return "\n".join(lines)


def _num(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pct(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def run_languages(scorer: Any, metadata: Mapping[str, Any], policy: Any, data_dir: Any,
                  say: Callable[[str], None], identify: Identify | None) -> dict[str, Any]:
    """``make bench-quality``'s per-language section: the held-out comments the bundle's metadata records,
    moderated as a worker would, and the identifier on the short ones.

    :param scorer: the model.
    :param metadata: its metadata.
    :param policy: the policy in force.
    :param data_dir: the folder laid out like ``../shared/datasets``.
    :param say: receives the report lines.
    :param identify: the language identifier, or ``None`` (each example's stated language; no short figures).
    :returns: ``{"languages": ..., "short_identification": ...}``.
    """
    pools = held_out_pools(metadata, data_dir)
    if not pools:
        say("\nper-language held-out section skipped: the bundle records no held-out slices")
        return {}
    report = evaluate_slices(scorer, policy, pools, identify)
    short = short_identification(pools, identify) if identify is not None else {}
    say(f"\nper language, held-out comments of the sources the shipped model {metadata.get('version')} was "
        "trained on (its slices and held-out files), moderated as a worker would; short: under "
        f"{SHORT_CHARS} characters, identified as their language")
    say(format_report(report, list(getattr(scorer, "languages", ())), list(getattr(scorer, "screened_languages", ())),
                      short))
    return {"languages": report, "short_identification": short}
