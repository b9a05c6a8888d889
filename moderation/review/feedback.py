"""Labelled examples from moderators, and their export in the project's dataset format.

Every verdict on a held comment and every report on a published one is recorded as a labelled example in
the feedback stream (``keys.feedback_stream``), atomically with the action itself (:mod:`moderation.review.queue`).
``moderation export-feedback`` (``make export-feedback``) writes them as JSON Lines that
:func:`training.datasets.read_feedback` reads and ``make train`` includes::

    {"text": "...", "spam": 1, "comment_id": "c-1", "verdict": "reject", "site": "news",
     "decided_at": "2026-01-31T12:00:00.000Z", "source": "moderator", "author": "email:3f9a..."}

How an action becomes labels (a head left out is *unknown* for training, not negative):

* ``reject`` of a held comment: 1 for every model head that held it (a toxicity subtype such as ``threat``
  also gives ``toxic=1``); a hold by the words rule gives ``toxic=1``; by links, repeats or rates
  ``spam=1``; a comment held for no such reason (a new author) gives ``spam=1``. ``--label HEAD`` on the
  reject overrides all this with ``HEAD=1``.
* ``approve`` of a held comment: ``spam=0`` and ``toxic=0``, and 0 for every other head that held it.
* ``report-spam`` (Akismet's submit-spam): ``spam=1``.
* ``report-ham`` (submit-ham): ``spam=0`` and ``toxic=0``.

A comment labelled several times is exported once, its labels merged with the later ones winning per head.
No raw email or IP address is exported: the author is an id or a keyed hash
(:func:`moderation.logs.keyed_hash`), and e-mail addresses and IP addresses inside the text are masked
(``jane@example.com`` becomes ``user@example.com``, keeping the domain spam is recognised by; IP addresses
become ``0.0.0.0``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from redis import Redis

from moderation import keys
from moderation.logs import IPV4_RE, IPV6_RE
from moderation.records import MAIN_HEADS, SUBTYPE_HEADS, Comment, Reason, compact_json

#: The toxicity subtypes, as a set: a moderator's label among them also confirms ``toxic``.
TOXIC_SUBTYPES = frozenset(SUBTYPE_HEADS)
#: Rule reason prefixes -> the head a moderator's reject confirms.
RULE_HEADS: Mapping[str, str] = {"words": "toxic", "links": "spam", "repeat": "spam", "rate": "spam"}
#: Bound on the feedback stream (labels are precious: far larger than the decision stream).
FEEDBACK_MAXLEN = 1_000_000

_EMAIL = re.compile(r"\b[\w.+-]{1,64}@([\w-]{1,63}(?:\.[\w-]{1,63})+)\b")


def labels_for(action: str, reasons: Sequence[Reason] = (), label: str | None = None) -> dict[str, int]:
    """The training labels an action gives (the mapping of the module docstring).

    :param action: ``approve``, ``reject``, ``spam`` (report-spam) or ``ham`` (report-ham).
    :param reasons: the reasons the comment was held for (verdicts only).
    :param label: with ``reject``, the head the moderator named, overriding the reasons.
    """
    if action == "spam":
        return {"spam": 1}
    if action == "ham":
        return {"spam": 0, "toxic": 0}
    heads = {r.head for r in reasons if r.head}
    if action == "approve":
        return {head: 0 for head in (*MAIN_HEADS, *sorted(heads - set(MAIN_HEADS)))}
    if action != "reject":
        raise ValueError(f"unknown action {action!r}: expected approve, reject, spam or ham")
    if label:
        return {label: 1}
    labels = dict.fromkeys(sorted(heads), 1)
    if heads & TOXIC_SUBTYPES:
        labels["toxic"] = 1
    for reason in reasons:
        head = RULE_HEADS.get(reason.code.split(".", 1)[0])
        if head:
            labels[head] = 1
    return labels or {"spam": 1}


#: What a report on a published decision says the comment is -> the labels it gives (``spam``: Akismet's
#: submit-spam; ``toxic``: abusive, a toxic label and no spam claim; ``ham``: fine, submit-ham).
REPORT_LABELS: Mapping[str, Mapping[str, int]] = {"spam": {"spam": 1}, "toxic": {"toxic": 1},
                                                  "ham": {"spam": 0, "toxic": 0}}


def report_labels(label: str) -> dict[str, int]:
    """The training labels a report gives (``spam``, ``toxic`` or ``ham``; see :data:`REPORT_LABELS`).

    :param label: what the reporter says the comment is.
    :raises ValueError: for any other label.
    """
    if label not in REPORT_LABELS:
        raise ValueError(f"unknown report label {label!r}: expected {', '.join(REPORT_LABELS)}")
    return dict(REPORT_LABELS[label])


def mask_text(text: str) -> str:
    """``text`` with e-mail addresses reduced to ``user@<domain>`` and IP addresses to ``0.0.0.0``."""
    if "@" in text:
        text = _EMAIL.sub(r"user@\1", text)
    if "." in text:
        text = IPV4_RE.sub("0.0.0.0", text)
    if ":" in text:
        text = IPV6_RE.sub("0.0.0.0", text)
    return text


def example_row(*, text: str, labels: Mapping[str, int], comment_id: str, verdict: str, site: str | None,
                decided_at: str, source: str, author: str | None) -> dict[str, Any]:
    """One labelled example, as stored in the feedback stream and exported.

    :param text: the comment body (masked here).
    :param labels: head -> 0/1 (:func:`labels_for`).
    :param comment_id: the comment.
    :param verdict: ``approve``, ``reject``, ``spam`` or ``ham``.
    :param site: the comment's site.
    :param decided_at: when the label was given.
    :param source: ``moderator`` (a verdict on a held comment) or ``report`` (a correction).
    :param author: the author's identity (an id or keyed hash), if any.
    """
    return {"text": mask_text(text), **labels, "comment_id": comment_id, "verdict": verdict, "site": site or "",
            "decided_at": decided_at, "source": source, "author": author or ""}


def stored_comment(comment: Comment, identity: str | None) -> str:
    """What is kept of a decided comment for later reports: text, site, thread and author identity (compact JSON).

    :param comment: the comment.
    :param identity: its author's identity (:func:`moderation.judging.rules.trust.author_identity`), if any.
    """
    return compact_json({"body": comment.body, "site": comment.site, "thread": comment.thread, "author": identity})


def iter_feedback(redis: Redis, prefix: str, chunk: int = 1000) -> Iterator[dict[str, Any]]:
    """Every recorded example, oldest first."""
    stream = keys.feedback_stream(prefix)
    start = "-"
    while True:
        items: Any = redis.xrange(stream, min=start, max="+", count=chunk)
        for _entry_id, fields in items:
            raw = fields.get("example") if "example" in fields else fields.get(b"example")
            if raw:
                yield json.loads(raw)
        if len(items) < chunk:
            return
        last = items[-1][0]
        start = f"({last.decode() if isinstance(last, bytes) else last}"


def merged_feedback(redis: Redis, prefix: str) -> list[dict[str, Any]]:
    """The recorded examples, one per comment: labels merged (later wins per head), the rest from the last."""
    rows: dict[str, dict[str, Any]] = {}
    for row in iter_feedback(redis, prefix):
        previous = rows.pop(row["comment_id"], None)
        if previous is not None:
            labels = {k: v for k, v in previous.items() if isinstance(v, int) and not isinstance(v, bool)}
            row = {"text": row["text"], **labels, **{k: v for k, v in row.items() if k != "text"}}
        rows[row["comment_id"]] = row
    return list(rows.values())


def export_feedback(redis: Redis, prefix: str, path: Path) -> int:
    """Write the recorded examples to ``path`` as JSON Lines (replacing it; folders are created).

    :returns: how many examples were written.
    """
    rows = merged_feedback(redis, prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    temporary.replace(path)
    return len(rows)
