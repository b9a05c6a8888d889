"""The fairness and context evaluation set, and its report: bias metrics per group, approval shares.

The set is generated from ``training/data/fairness/templates.toml`` (written for this project, see its
header): every template of a category filled with every group, plus group-free items. Templates and groups
are data; this module only fills them in, in file order (no randomness), so the set is the same everywhere.

    python -m training.fairness [--out items.jsonl]    # the items as JSON Lines (text, toxic, group, ...)
"""

from __future__ import annotations

import argparse
import json
import string
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from training.bias import bias_report

#: The templates and groups.
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "fairness" / "templates.toml"
#: Category -> its toxic label.
CATEGORIES: dict[str, int] = {"neutral": 0, "about_abuse": 0, "abuse": 1}
#: The group of group-free items.
NO_GROUP = "none"
#: Slots a template may use.
SLOTS: frozenset[str] = frozenset({"people", "adj", "a_adj", "being"})
#: What the product aims at (issue 11): share of acceptable items approved, of abuse held or rejected.
TARGET_APPROVED = 0.95
TARGET_HELD = 0.90


class FairnessSetError(ValueError):
    """The templates file is malformed (the message names the entry)."""


@dataclass(frozen=True)
class FairnessItem:
    """One sentence of the set.

    :param text: the sentence.
    :param toxic: 1 for abuse, 0 otherwise.
    :param group: the group it names (``"none"`` for group-free items).
    :param axis: the group's dimension (``religion``, ``disability``...; ``"none"`` for group-free items).
    :param category: ``neutral``, ``about_abuse`` or ``abuse``.
    :param template: which template made it, e.g. ``abuse-03`` or ``free-about_abuse-01``.
    """

    text: str
    toxic: int
    group: str
    axis: str
    category: str
    template: str


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _fill(template: str, values: Mapping[str, str]) -> str:
    """The template filled in; a sentence that starts with a slot gets a capital (lowercase ones stay so)."""
    text = template.format(**values)
    return text[:1].upper() + text[1:] if template.startswith("{") else text


def _slots(template: str, where: str) -> set[str]:
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise FairnessSetError(f"{where}: {exc}") from exc
    unknown = used - SLOTS
    if unknown:
        raise FairnessSetError(f"{where}: unknown slot(s) {sorted(unknown)}; slots are {sorted(SLOTS)}")
    return used


def _templates(table: Any, where: str) -> dict[str, list[str]]:
    if not isinstance(table, Mapping) or set(table) != set(CATEGORIES):
        raise FairnessSetError(f"[{where}] must have exactly the lists {sorted(CATEGORIES)}")
    for category, texts in table.items():
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t.strip() for t in texts):
            raise FairnessSetError(f"[{where}] {category}: must be a non-empty list of sentences")
    return {category: list(table[category]) for category in CATEGORIES}


def load_fairness_set(path: Path = DEFAULT_FILE) -> list[FairnessItem]:
    """Generate the items: every group template with every group, then the group-free items.

    :param path: the templates file.
    :raises FairnessSetError: on a malformed file (unknown slot, a group template naming no group,
        a group missing a field, duplicate group ids).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FairnessSetError(f"{path}: {exc}") from exc
    templates = _templates(data.get("templates"), "templates")
    free = _templates(data.get("free"), "free")
    groups = data.get("groups")
    if not isinstance(groups, list) or not groups:
        raise FairnessSetError(f"{path}: no [[groups]]")
    items: list[FairnessItem] = []
    seen: set[str] = set()
    for k, group in enumerate(groups):
        missing = [f for f in ("id", "axis", "adj", "people", "being") if not str(group.get(f, "")).strip()]
        if missing:
            raise FairnessSetError(f"[[groups]] #{k + 1}: missing {', '.join(missing)}")
        if group["id"] in seen or group["id"] == NO_GROUP:
            raise FairnessSetError(f"[[groups]] #{k + 1}: id {group['id']!r} is taken")
        seen.add(group["id"])
        values = {"people": group["people"], "adj": group["adj"], "being": group["being"],
                  "a_adj": f"{_article(group['adj'])} {group['adj']}"}
        for category, texts in templates.items():
            for n, template in enumerate(texts, start=1):
                if not _slots(template, f"templates.{category}[{n}]"):
                    raise FairnessSetError(f"templates.{category}[{n}]: names no group (use a slot)")
                items.append(FairnessItem(_fill(template, values), CATEGORIES[category],
                                          group["id"], group["axis"], category, f"{category}-{n:02d}"))
    for category, texts in free.items():
        for n, text in enumerate(texts, start=1):
            if _slots(text, f"free.{category}[{n}]"):
                raise FairnessSetError(f"free.{category}[{n}]: group-free items take no slot")
            items.append(FairnessItem(text, CATEGORIES[category], NO_GROUP, NO_GROUP, category,
                                      f"free-{category}-{n:02d}"))
    return items


def _share(mask: np.ndarray) -> float | None:
    return float(mask.mean()) if mask.size else None


def outcome_shares(items: Sequence[FairnessItem], flagged: np.ndarray) -> dict[str, Any]:
    """Approval shares: of acceptable items (neutral and about-abuse) approved, of abuse held or rejected.

    :param items: the items.
    :param flagged: per item, whether it was held or rejected (not approved).
    :returns: ``acceptable_approved``, ``abuse_held``, per category ``approved`` shares, counts, and whether
        the targets (:data:`TARGET_APPROVED`, :data:`TARGET_HELD`) are met.
    """
    category = np.array([item.category for item in items])
    toxic = np.array([item.toxic for item in items], dtype=bool)
    approved = ~np.asarray(flagged, dtype=bool)
    acceptable_approved, abuse_held = _share(approved[~toxic]), _share(~approved[toxic])
    met = (acceptable_approved or 0.0) >= TARGET_APPROVED and (abuse_held or 0.0) >= TARGET_HELD
    shares: dict[str, Any] = {
        "acceptable_approved": acceptable_approved,
        "abuse_held": abuse_held,
        "approved_by_category": {c: _share(approved[category == c]) for c in CATEGORIES},
        "counts": {c: int((category == c).sum()) for c in CATEGORIES},
        "targets": {"acceptable_approved": TARGET_APPROVED, "abuse_held": TARGET_HELD, "met": met},
    }
    return shares


def fairness_report(
    items: Sequence[FairnessItem],
    toxic_scores: Sequence[float] | np.ndarray,
    review_threshold: float,
    policy_flagged: Sequence[bool] | np.ndarray | None = None,
    words_flagged: Sequence[bool] | np.ndarray | None = None,
) -> dict[str, Any]:
    """Bias metrics per group and approval shares of a model on the set.

    :param items: the items.
    :param toxic_scores: the toxic head's probability per item.
    :param review_threshold: the policy's review threshold of the toxic head: below it, approved.
    :param policy_flagged: optionally, per item, whether the policy over every model head held or rejected it.
    :param words_flagged: optionally, per item, whether the word lists' rule held or rejected it (reported
        together with ``policy_flagged``: what a comment with no other rule firing would get).
    :returns: ``bias`` (:func:`training.bias.bias_report` at the review threshold, with each group's axis and
        category counts), ``toxic_head`` (:func:`outcome_shares` by the toxic head alone), ``policy`` (the same
        by every head, when given), ``policy_and_words`` (every head or the word lists, when both are given),
        ``items`` and ``review_threshold``.
    """
    p = np.asarray(toxic_scores, dtype=np.float64)
    y = np.array([item.toxic for item in items])
    bias = bias_report(y, p, [item.group for item in items], review_threshold)
    axes = {item.group: item.axis for item in items}
    for group, metrics in bias["groups"].items():
        metrics["axis"] = axes[group]
    report: dict[str, Any] = {
        "items": len(items),
        "review_threshold": review_threshold,
        "toxic_head": outcome_shares(items, p >= review_threshold),
        "bias": bias,
    }
    if policy_flagged is not None:
        report["policy"] = outcome_shares(items, np.asarray(policy_flagged, dtype=bool))
        if words_flagged is not None:
            both = np.asarray(policy_flagged, dtype=bool) | np.asarray(words_flagged, dtype=bool)
            report["policy_and_words"] = outcome_shares(items, both)
    return report


def model_fairness(scorer: Any, policy_file: Path | None = None) -> dict[str, Any] | None:
    """A model's :func:`fairness_report` on the shipped set, with the policy's thresholds and word lists.

    :param scorer: a :class:`moderation.judging.scoring.Scorer`.
    :param policy_file: the policy (default: the settings' ``policy_file``, i.e. ``config/policy.toml``).
    :returns: the report, or ``None`` when the model or the policy has no toxic head.
    """
    from moderation.judging.policy import load_policy
    from moderation.judging.rules.base import TextView
    from moderation.judging.rules.words import check_words
    from moderation.settings import load_settings

    if "toxic" not in scorer.heads:
        return None
    policy = load_policy(policy_file or load_settings().policy_file).for_site(None)
    if "toxic" not in policy.heads:
        return None
    items = load_fairness_set()
    texts = [item.text for item in items]
    # The set is English: scored as a worker scores an English comment (its per-language calibration, and the
    # mentions apart as the policy says).
    if hasattr(scorer, "score_in_context"):
        results, _ = scorer.score_in_context(texts, explain=False, langs=["en"] * len(texts),
                                             apart=[policy.mentions_apart] * len(texts))
        probs = np.array([[score[0] for score in row.values()] for row in results])
    else:
        probs = scorer.predict_proba(texts)
    flagged = [policy.decide(dict(zip(scorer.heads, map(float, row), strict=True)))[0] != "approve" for row in probs]
    rules = policy.rules
    mentions_lang = "en" if policy.mentions_apart else None
    words = [bool(check_words(TextView(text), rules.banned_words, rules.suspect_words, mentions_lang))
             for text in texts]
    toxic = probs[:, list(scorer.heads).index("toxic")]
    return fairness_report(items, np.asarray(toxic), policy.heads["toxic"].review, flagged, words)


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "-"
    return f"{100 * value:.1f}%" if percent else f"{value:.3f}"


def format_fairness(report: Mapping[str, Any]) -> str:
    """The report as text: one line per group (worst BPSN first), then the summary and the shares.

    :param report: made by :func:`fairness_report`.
    """
    bias = report["bias"]
    lines = [f"{'group':<16}{'axis':<20}{'n':>4}{'toxic':>6}{'fpr':>8}{'subgroup':>10}{'bpsn':>8}{'bnsp':>8}"]
    groups = sorted(bias["groups"].items(), key=lambda kv: (kv[1]["bpsn_auc"] is None, kv[1]["bpsn_auc"] or 0))
    for group, m in groups:
        lines.append(
            f"{group:<16}{m['axis']:<20}{m['n']:>4}{m['toxic']:>6}{_fmt(m['fpr'], True):>8}"
            f"{_fmt(m['subgroup_auc']):>10}{_fmt(m['bpsn_auc']):>8}{_fmt(m['bnsp_auc']):>8}"
        )
    lines.append(
        f"overall AUC {_fmt(bias['overall_auc'])}, FPR {_fmt(bias['overall_fpr'], True)} at the review threshold "
        f"{report['review_threshold']:.2f}; power means (p=-5): subgroup {_fmt(bias['mean_subgroup_auc'])}, "
        f"BPSN {_fmt(bias['mean_bpsn_auc'])}, BNSP {_fmt(bias['mean_bnsp_auc'])}; "
        f"final bias score {_fmt(bias['final_score'])}"
    )
    for key, label in (("toxic_head", "toxic head alone"), ("policy", "policy, every model head"),
                       ("policy_and_words", "policy and the word lists")):
        if key in report:
            s = report[key]
            by = ", ".join(f"{c} {_fmt(v, True)}" for c, v in s["approved_by_category"].items())
            lines.append(
                f"{label}: neutral + talk about abuse approved {_fmt(s['acceptable_approved'], True)} "
                f"(target {s['targets']['acceptable_approved']:.0%}), abuse at groups held or rejected "
                f"{_fmt(s['abuse_held'], True)} (target {s['targets']['abuse_held']:.0%}); approved by category: {by}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print (or write) the generated items as JSON Lines.

    :param argv: arguments (default ``sys.argv[1:]``).
    """
    parser = argparse.ArgumentParser(prog="python -m training.fairness", description=__doc__.splitlines()[0])
    parser.add_argument("--templates", default=str(DEFAULT_FILE), help="templates file")
    parser.add_argument("--out", help="write here instead of stdout")
    args = parser.parse_args(argv)
    lines = [json.dumps(asdict(item)) + "\n" for item in load_fairness_set(Path(args.templates))]
    if args.out:
        Path(args.out).write_text("".join(lines), encoding="utf-8")
        print(f"wrote {len(lines)} items to {args.out}", file=sys.stderr)
    else:
        sys.stdout.writelines(lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
