"""The review queue as the console shows it: held comments with their context, filtered and ordered.

Everything is read through :class:`moderation.review.queue.ReviewQueue` and the keys the workers write
(:mod:`moderation.keys`): the held items, the authors' histories, and the parent comments where Redis still
has them (held, or kept for reports). Nothing here renders HTML: the templates escape every value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from moderation import keys
from moderation.judging.normalize import URL_TOKEN
from moderation.records import Reason
from moderation.review.queue import HeldComment, ReviewQueue

#: Titles of the reasons a comment is held for, by the first part of the reason code (model heads and rules).
REASON_TITLES: dict[str, str] = {
    "spam": "Looks like spam", "toxic": "Possibly abusive", "severe_toxic": "Possibly severely abusive",
    "obscene": "Possibly obscene", "threat": "Possibly a threat", "insult": "Possibly an insult",
    "identity_hate": "Possibly hateful about a group", "words": "Watched words", "links": "Links",
    "repeat": "Repeated text", "rate": "Posting fast", "trust": "New author", "moderator": "Moderator",
    "lang": "Language", "context": "Insults only mentioned",
}
#: Reasons whose terms are not what drove a score (a language code; insults scored apart), so not highlighted.
_UNHIGHLIGHTED = ("lang.", "context.")
ORDERS = ("newest", "uncertain", "oldest")
#: Longest parent comment shown (characters).
PARENT_CHARS = 400


@dataclass(frozen=True)
class Segment:
    """A run of a comment's text; ``hit`` when it is one of the terms that drove its scores."""

    text: str
    hit: bool = False


@dataclass(frozen=True)
class ReasonView:
    """One reason a comment was held for, in plain words."""

    code: str
    title: str
    message: str
    head: str | None
    terms: tuple[str, ...]


@dataclass
class QueueItem:
    """One held comment, with what a moderator needs to decide it."""

    comment_id: str
    site: str | None
    held_at: str
    segments: list[Segment]
    author_name: str
    author_url: str
    identity: str | None
    scores: list[tuple[str, float]]
    reasons: list[ReasonView]
    lang: str | None
    thread: str | None
    url: str
    model_version: str
    uncertainty: float
    approved: int = 0
    rejected: int = 0
    held: int = 0
    parent_id: str | None = None
    parent_text: str | None = None
    #: The revision held: the verdict form sends it back, and a verdict on an edited comment is refused.
    revision: int = 1

    @property
    def ref(self) -> str:
        """The comment's name across sites (:func:`moderation.keys.comment_ref`): what the verdict form sends."""
        return keys.comment_ref(self.site, self.comment_id)

    @property
    def heads(self) -> set[str]:
        """The model heads that held it."""
        return {r.head for r in self.reasons if r.head}

    @property
    def codes(self) -> set[str]:
        """Its reason codes."""
        return {r.code for r in self.reasons}


@dataclass
class QueuePage:
    """What the queue page shows: the items after filtering, and the choices for each filter."""

    items: list[QueueItem]
    total: int
    sites: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)


def reason_title(code: str) -> str:
    """A reason code's title in plain words (``spam.review`` -> "Looks like spam")."""
    return REASON_TITLES.get(code.split(".", 1)[0], code)


def highlighted_terms(reasons: Iterable[Reason]) -> list[str]:
    """The terms of a decision's reasons that drove a score or a rule (not a language, not insults scored apart).

    :param reasons: the decision's reasons.
    """
    return [t for r in reasons if not r.code.startswith(_UNHIGHLIGHTED) for t in r.terms]


def _term_pattern(term: str) -> str | None:
    """A regular expression finding ``term`` (a model or rule term) in the original text, or None for signals."""
    if term.startswith("signal:") or term == URL_TOKEN or len(term) < 2:
        return None
    words = [w for w in re.split(r"[\s_]+", term) if w]
    if not words:
        return None
    return r"(?<!\w)" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?!\w)"


def highlight(text: str, terms: Iterable[str]) -> list[Segment]:
    """``text`` split into segments, the ones matching a term (case-insensitively, whole words) marked.

    :param text: the comment's body.
    :param terms: the terms that drove its scores (``bit_ly`` matches ``bit.ly``; signals match nothing).
    """
    patterns = sorted({p for p in map(_term_pattern, terms) if p}, key=len, reverse=True)
    if not patterns or not text:
        return [Segment(text)]
    finder = re.compile("|".join(patterns), re.IGNORECASE)
    segments: list[Segment] = []
    at = 0
    for match in finder.finditer(text):
        if match.start() == match.end():
            continue
        if match.start() > at:
            segments.append(Segment(text[at:match.start()]))
        segments.append(Segment(match.group(0), True))
        at = match.end()
    if at < len(text):
        segments.append(Segment(text[at:]))
    return segments


def uncertainty(held: HeldComment) -> float:
    """How unsure the model was (0 sure .. 1 a coin toss): the held-for heads' scores' closeness to 0.5."""
    heads = {r.head for r in held.decision.reasons if r.head} or set(held.decision.scores)
    scores = [held.decision.scores[h] for h in heads if isinstance(held.decision.scores.get(h), int | float)]
    if not scores:
        return 0.0
    return max(1.0 - abs(2.0 * float(s) - 1.0) for s in scores)


def _item(held: HeldComment) -> QueueItem:
    comment = held.comment
    author = comment.get("author") or {}
    reasons = [ReasonView(r.code, reason_title(r.code), r.message, r.head, r.terms) for r in held.decision.reasons]
    terms = highlighted_terms(held.decision.reasons)
    scores = sorted(((h, float(s)) for h, s in held.decision.scores.items() if isinstance(s, int | float)),
                    key=lambda pair: -pair[1])
    return QueueItem(
        comment_id=held.comment_id, site=held.decision.site, held_at=held.held_at,
        segments=highlight(str(comment.get("body", "")), terms), author_name=str(author.get("name") or ""),
        author_url=_safe_url(author.get("url")), identity=held.identity, scores=scores, reasons=reasons,
        lang=getattr(held.decision, "lang", None) or comment.get("lang"),  # a record's own lang, once it has one
        thread=comment.get("thread"), url=_safe_url(comment.get("url")),
        model_version=held.decision.model_version, uncertainty=uncertainty(held), parent_id=comment.get("parent_id"),
        revision=held.revision,
    )


def _safe_url(value: Any) -> str:
    """An http(s) URL to link to, or "" (a ``javascript:`` or other scheme is never made a link)."""
    text = str(value or "")
    return text if re.match(r"^https?://", text, re.IGNORECASE) else ""


def _matches(item: QueueItem, *, site: str | None, code: str | None, head: str | None, lang: str | None) -> bool:
    return ((not site or (item.site or keys.NO_SITE) == site) and (not code or code in item.codes)
            and (not head or head in item.heads) and (not lang or (item.lang or "") == lang))


def load_queue(queue: ReviewQueue, *, site: str | None = None, code: str | None = None, head: str | None = None,
               lang: str | None = None, order: str = "newest", limit: int = 200) -> QueuePage:
    """The queue page: held comments of every site, filtered and ordered, with their authors and parents.

    :param queue: the review queues.
    :param site: only this site's (``~``: comments with no site).
    :param code: only comments held for this reason code.
    :param head: only comments held by this model head.
    :param lang: only comments in this language.
    :param order: ``newest`` first, most ``uncertain`` first, or ``oldest`` first.
    :param limit: at most this many items.
    """
    everything = [_item(held) for held in queue.pending()]
    page = QueuePage(items=[], total=0,
                     sites=sorted({i.site or keys.NO_SITE for i in everything}),
                     codes=sorted({c for i in everything for c in i.codes}),
                     heads=sorted({h for i in everything for h in i.heads}),
                     langs=sorted({i.lang for i in everything if i.lang}))
    chosen = [i for i in everything if _matches(i, site=site, code=code, head=head, lang=lang)]
    if order == "uncertain":
        chosen.sort(key=lambda i: -i.uncertainty)
    elif order != "oldest":
        chosen.reverse()
    page.total = len(chosen)
    page.items = chosen[:limit]
    held_by: dict[tuple[str | None, str], int] = {}
    for item in everything:
        if item.identity:
            held_by[(item.site, item.identity)] = held_by.get((item.site, item.identity), 0) + 1
    _add_context(queue, page.items, held_by)
    return page


def _add_context(queue: ReviewQueue, items: Sequence[QueueItem], held_by: dict[tuple[str | None, str], int]) -> None:
    """Fill in each item's author history and parent comment: one round trip for all of them."""
    prefix = queue.prefix
    pipe = queue.redis.pipeline(transaction=False)
    for item in items:
        pipe.hmget(keys.author_key(prefix, item.site, item.identity or "-"), ["approved", "rejected"])
        pipe.hget(keys.review_items_key(prefix), keys.comment_ref(item.site, item.parent_id or ""))
        pipe.get(keys.comment_text_key(prefix, item.site, item.parent_id or ""))
    replies: list[Any] = pipe.execute() if items else []
    for index, item in enumerate(items):
        history, parent_held, parent_kept = replies[3 * index: 3 * index + 3]
        if item.identity:
            item.approved, item.rejected = (int(v or 0) for v in history)
            item.held = held_by.get((item.site, item.identity), 0)
        if item.parent_id:
            body = None
            if parent_held:
                body = HeldComment.from_json(parent_held).comment.get("body")
            elif parent_kept:
                body = json.loads(parent_kept).get("body")
            if body:
                text = str(body)
                item.parent_text = text if len(text) <= PARENT_CHARS else text[:PARENT_CHARS] + "…"
