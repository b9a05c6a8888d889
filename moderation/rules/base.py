"""What every rule shares: the comment's text seen once, and a rule's finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from moderation.normalize import NormChunk, normalize_chunk, prepare
from moderation.records import Outcome, Reason

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


@dataclass
class TextView:
    """A comment body prepared once for every rule: lowercased, and normalized by :mod:`moderation.normalize`.

    :param body: the comment body as submitted (cleaned).
    """

    body: str
    chunks: list[NormChunk] = field(init=False)

    def __post_init__(self) -> None:
        prepared, _ = prepare(self.body)
        self.chunks = [normalize_chunk(chunk) for chunk in prepared]

    @cached_property
    def lower(self) -> str:
        """The raw text, lowercased (catches forms the normalizer would change)."""
        return self.body.lower()

    @cached_property
    def tokens(self) -> list[str]:
        """The normalized word tokens, in order."""
        return [token for chunk in self.chunks for token in chunk.tokens]

    @cached_property
    def normalized(self) -> str:
        """The normalized text, one space between chunks."""
        return " ".join(chunk.text for chunk in self.chunks)
