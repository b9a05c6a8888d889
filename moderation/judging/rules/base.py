"""What every rule shares: the comment's text seen once, and a rule's finding."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from operator import attrgetter

from moderation.judging.normalize import NormChunk, normalize_chunk, prepare
from moderation.records import Outcome, Reason

_TOKENS = attrgetter("tokens")

#: Severity order of outcomes: a finding can only make a decision stricter.
SEVERITY: dict[Outcome, int] = {"approve": 0, "review": 1, "reject": 2}


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one comment.

    :param outcome: ``review`` or ``reject``.
    :param reason: the reason code, message and the words or signals that triggered it.
    """

    outcome: Outcome
    reason: Reason


def finding(outcome: Outcome, code: str, message: str, terms: tuple[str, ...] = ()) -> Finding:
    """A finding with a reason built from its parts (``head`` is left empty: no model head drove it)."""
    return Finding(outcome, Reason(code=code, message=message, terms=terms))


class TextView:
    """A comment body prepared once for every rule: lowercased, and normalized by :mod:`moderation.judging.normalize`.

    A plain class with its chunks and tokens built at once (every comment needs both): no dataclass
    machinery, no lazy property for what is always read.

    :param body: the comment body as submitted (cleaned).
    """

    body: str
    #: The normalized chunks, in order.
    chunks: list[NormChunk]
    #: The normalized word tokens, in order.
    tokens: list[str]

    def __init__(self, body: str) -> None:
        self.body = body
        prepared, _ = prepare(body)
        self.chunks = chunks = list(map(normalize_chunk, prepared))
        self.tokens = list(chain.from_iterable(map(_TOKENS, chunks)))

    def __repr__(self) -> str:
        return f"TextView(body={self.body!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextView) and other.body == self.body

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces

    @cached_property
    def lower(self) -> str:
        """The raw text, lowercased (catches forms the normalizer would change)."""
        return self.body.lower()

    @cached_property
    def normalized(self) -> str:
        """The normalized text, one space between chunks."""
        return " ".join(chunk.text for chunk in self.chunks)
