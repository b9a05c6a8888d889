"""Plain objects the schemas build and the pipeline passes around: comments and decisions."""

from __future__ import annotations

import importlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from moderation import keys

_orjson: Any
try:  # The worker extra installs orjson (a worker writes several JSON records per comment); clients need not.
    _orjson = importlib.import_module("orjson")
except ImportError:  # pragma: no cover - where only the client is installed
    _orjson = None

Outcome = Literal["approve", "review", "reject"]
OUTCOMES: tuple[Outcome, ...] = ("approve", "review", "reject")

#: The heads every model scores (a probability each).
MAIN_HEADS: tuple[str, ...] = ("spam", "toxic")
#: Toxicity subtypes, scored where training data labels them.
SUBTYPE_HEADS: tuple[str, ...] = ("severe_toxic", "obscene", "threat", "insult", "identity_hate")
#: Every head, in the order models, datasets and exports list them.
ALL_HEADS: tuple[str, ...] = MAIN_HEADS + SUBTYPE_HEADS

_STDLIB_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def compact_json(value: Any) -> str:
    """``value`` as compact JSON with non-ASCII characters kept as they are.

    It parses to what ``json.dumps(value, separators=(",", ":"), ensure_ascii=False)`` gives (only the spelling
    of some floats differs, ``1e-5`` for ``1e-05``), with orjson when it is installed (~6x faster). What orjson
    refuses (a lone surrogate, an int beyond 64 bits, a numpy scalar, a non-string key) goes to the standard
    library, which decides as before. Non-finite floats are the caller's to keep away: orjson writes them as
    ``null`` where the standard library writes ``NaN`` (:meth:`Decision.to_json` checks its own).

    :param value: a JSON-ready value (dicts, lists, strings, numbers, booleans, None).
    """
    if _orjson is not None:
        try:
            return _orjson.dumps(value).decode()
        except TypeError:
            pass
    return _STDLIB_COMPACT.encode(value)


@dataclass(frozen=True)
class Author:
    """Who wrote a comment. Every field is optional; ``email`` and ``ip`` are never logged or exported raw."""

    id: str | None = None
    name: str | None = None
    email: str | None = None
    url: str | None = None
    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class Comment:
    """A validated comment, as :class:`moderation.intake.schemas.CommentSchema` builds it."""

    id: str
    body: str
    thread: str | None = None
    url: str | None = None
    author: Author = field(default_factory=Author)
    created_at: datetime | None = None
    parent_id: str | None = None
    lang: str | None = None
    site: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """The comment's name across sites (:func:`moderation.keys.comment_ref`)."""
        return keys.comment_ref(self.site, self.id)


@dataclass(frozen=True)
class Reason:
    """Why a decision was taken.

    :param code: a stable machine-readable code, e.g. ``spam.reject`` or ``toxic.review``.
    :param message: the same for people.
    :param head: the model head that drove it, if any.
    :param score: that head's score.
    :param terms: the words or signals that pushed the score most, strongest first.
    """

    code: str
    message: str
    head: str | None = None
    score: float | None = None
    terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The reason as published: empty fields left out."""
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.head is not None:
            data["head"] = self.head
        if self.score is not None:
            data["score"] = self.score
        if self.terms:
            data["terms"] = list(self.terms)
        return data


@dataclass(frozen=True)
class Decision:
    """The one decision published for a comment."""

    comment_id: str
    decision: Outcome
    scores: dict[str, float]
    reasons: tuple[Reason, ...]
    model_version: str
    decided_at: str
    latency_ms: float | None = None
    site: str | None = None
    thread: str | None = None
    #: Blatant spam a backend may drop silently (Akismet's "discard"); only ever set on a reject.
    discard: bool = False
    #: The comment's language (:mod:`moderation.judging.language`: ISO 639-1, ``und`` undetermined, ``zxx`` no
    #: letters); None in records written before languages were identified.
    lang: str | None = None
    #: The language identifier's probability of ``lang`` (None with ``lang``).
    lang_confidence: float | None = None
    #: 1 for a comment's first decision, N+1 for the decision of an edit (same id, another body) of revision N.
    revision: int = 1

    @property
    def ref(self) -> str:
        """The comment's name across sites (:func:`moderation.keys.comment_ref`)."""
        return keys.comment_ref(self.site, self.comment_id)

    def to_dict(self) -> dict[str, Any]:
        """The decision as the JSON-ready dict that is published (built by hand: ``asdict`` is slow here)."""
        return {
            "comment_id": self.comment_id,
            "decision": self.decision,
            "scores": dict(self.scores),
            "reasons": [r.to_dict() for r in self.reasons],
            "model_version": self.model_version,
            "decided_at": self.decided_at,
            "latency_ms": self.latency_ms,
            "site": self.site,
            "thread": self.thread,
            "discard": self.discard,
            "lang": self.lang,
            "lang_confidence": self.lang_confidence,
            "revision": self.revision,
        }

    def to_json(self) -> str:
        """The decision as compact JSON (:func:`compact_json`; a non-finite number is written as the standard
        library does, ``NaN``)."""
        data = self.to_dict()
        # A sum is finite only if every term is (a huge but finite sum merely takes the standard library's path).
        try:
            total = sum(self.scores.values()) + (self.latency_ms or 0.0)
            for reason in self.reasons:
                total += reason.score or 0.0
            finite = math.isfinite(total)
        except TypeError:  # not numbers: whatever the standard library makes of them
            finite = False
        return compact_json(data) if finite else _STDLIB_COMPACT.encode(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        """Rebuild a decision from its published dict."""
        reasons = tuple(
            Reason(
                code=r["code"],
                message=r.get("message", ""),
                head=r.get("head"),
                score=r.get("score"),
                terms=tuple(r.get("terms", ())),
            )
            for r in data.get("reasons", ())
        )
        return cls(
            comment_id=data["comment_id"],
            decision=data["decision"],
            scores=dict(data.get("scores", {})),
            reasons=reasons,
            model_version=data.get("model_version", ""),
            decided_at=data.get("decided_at", ""),
            latency_ms=data.get("latency_ms"),
            site=data.get("site"),
            thread=data.get("thread"),
            discard=bool(data.get("discard", False)),
            lang=data.get("lang"),
            lang_confidence=data.get("lang_confidence"),
            revision=int(data.get("revision", 1) or 1),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Decision:
        """Rebuild a decision from its published JSON."""
        return cls.from_dict(json.loads(text))
