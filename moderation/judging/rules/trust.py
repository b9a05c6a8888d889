"""Author trust from history: approved and rejected counts kept in Redis per site and author.

* ``trust.new_author``: while an author has fewer than ``new_author_review_count`` approved comments, each
  of their comments is held for review (0: off). A comment with no author id, email or IP address has no
  history and counts as new.
* ``trust.skip_review``: a trusted author (at least ``trusted_after`` approved comments, and at most
  ``trusted_max_reject_share`` of their decided comments rejected) is not held when only the model asked
  for review and every score is below ``trusted_skip_review_below``.

Counts change when a worker approves or rejects a comment, when a moderator gives a verdict, and when a
report corrects a decision (:mod:`moderation.review.queue`). Authors are identified by id, else by a keyed hash
of their email, else of their IP address (:func:`moderation.logs.keyed_hash`): never by the raw value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from moderation.judging.policy import RuleSettings
from moderation.judging.rules.base import Finding, finding
from moderation.logs import keyed_hash
from moderation.records import Author, Reason

#: An author's history is forgotten after this long without a new verdict.
HISTORY_TTL_SECONDS = 365 * 24 * 3600


def author_identity(author: Author) -> str | None:
    """The author's identity for history and rates: ``id:<id>``, ``email:<hash>`` or ``ip:<hash>``; None."""
    if author.id:
        return f"id:{author.id}"
    if author.email:
        return f"email:{keyed_hash(author.email)}"
    if author.ip:
        return f"ip:{keyed_hash(author.ip)}"
    return None


class History(NamedTuple):
    """An author's record on a site (a named tuple: one is built per comment with an author)."""

    approved: int = 0
    rejected: int = 0

    def is_new(self, rules: RuleSettings) -> bool:
        """Whether the author is still new: fewer approved comments than the site asks for (at least one)."""
        return self.approved < max(1, rules.new_author_review_count)

    def is_trusted(self, rules: RuleSettings) -> bool:
        """Whether the author is trusted (see the module docstring)."""
        if not rules.trusted_after or self.approved < rules.trusted_after:
            return False
        return self.rejected <= rules.trusted_max_reject_share * (self.approved + self.rejected)


def check_new_author(history: History | None, rules: RuleSettings) -> list[Finding]:
    """``trust.new_author`` when the site holds new authors' comments and this author is new.

    :param history: the author's history (None: no identity, so no history).
    """
    if not rules.new_author_review_count:
        return []
    approved = history.approved if history else 0
    if approved >= rules.new_author_review_count:
        return []
    return [finding("review", "trust.new_author",
                    f"the author has {approved} approved comment(s); this site holds comments until "
                    f"{rules.new_author_review_count}", (f"approved={approved}",))]


def skip_review(history: History | None, rules: RuleSettings, model_reasons: Sequence[Reason],
                scores: Mapping[str, float]) -> Reason | None:
    """The ``trust.skip_review`` reason when a trusted author's comment held only by mild model scores
    should be approved; None otherwise.

    :param model_reasons: the reasons of the model's review (each with a ``head``).
    :param scores: head -> probability.
    """
    if history is None or not history.is_trusted(rules) or not model_reasons:
        return None
    held = {r.head: scores.get(r.head, 1.0) for r in model_reasons if r.head}
    if len(held) != len(model_reasons) or any(s >= rules.trusted_skip_review_below for s in held.values()):
        return None
    return Reason(code="trust.skip_review",
                  message=f"trusted author ({history.approved} approved, {history.rejected} rejected): mild "
                          f"scores below {rules.trusted_skip_review_below:.2f} are not held",
                  terms=tuple(f"{head}={score:.2f}" for head, score in held.items()))
