"""The audit stream: every decision and every moderator action, appended as who, what, when, why.

One Redis stream (``keys.audit_stream``), bounded with ``MAXLEN ~`` like the decision stream. Entries are
flat string fields:

``actor``
    ``worker`` for a worker's decision, else the moderator's name (``--moderator``, default ``$USER``).
``action``
    ``decide``, ``approve``, ``reject``, ``report-spam``, ``report-abuse`` (a toxic label) or ``report-ham``.
``comment_id``, ``site``
    What it was about (``site`` empty when the comment named none).
``outcome``
    The resulting decision (``approve``/``review``/``reject``), or the label a report gave (``spam``/``ham``).
``why``
    The reason codes of a decision, or the moderator's ``--reason``.
``at``
    When, as an ISO 8601 UTC time with milliseconds.

No comment text, email or IP address is ever written here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis import Redis

from moderation import keys

FIELDS: tuple[str, ...] = ("actor", "action", "comment_id", "site", "outcome", "why", "at")
#: Longer actors and reasons are cut to these many characters.
MAX_ACTOR_CHARS = 128
MAX_WHY_CHARS = 1000


def utc_now() -> str:
    """The current time as ISO 8601 UTC with milliseconds (``2026-01-31T12:00:00.000Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def audit_fields(*, actor: str, action: str, comment_id: str, site: str | None, outcome: str, why: str,
                 at: str | None = None) -> dict[str, str]:
    """One audit entry's fields, in :data:`FIELDS` order.

    :param actor: ``worker`` or the moderator's name.
    :param action: what was done (see the module docstring).
    :param comment_id: the comment.
    :param site: its site, if any.
    :param outcome: the resulting decision or label.
    :param why: reason codes or the moderator's reason.
    :param at: when (now by default).
    """
    return {"actor": actor[:MAX_ACTOR_CHARS], "action": action, "comment_id": comment_id, "site": site or "",
            "outcome": outcome, "why": why[:MAX_WHY_CHARS], "at": at or utc_now()}


def flat(fields: Mapping[str, str]) -> list[str]:
    """The fields as a flat ``[name, value, ...]`` list, as a Lua script passes them to ``XADD``."""
    return [item for pair in fields.items() for item in pair]


@dataclass(frozen=True)
class AuditEntry:
    """One entry read back from the audit stream."""

    entry_id: str
    fields: dict[str, str]

    def to_dict(self) -> dict[str, str]:
        """The entry as a JSON-ready dict, its stream id under ``id``."""
        return {"id": self.entry_id, **self.fields}


def read_audit(redis: Redis, prefix: str, *, count: int = 100, comment_id: str | None = None,
               newest_first: bool = True) -> list[AuditEntry]:
    """Read audit entries.

    :param count: at most this many (after filtering by ``comment_id``).
    :param comment_id: only the entries about this comment (scans the stream).
    :param newest_first: newest entries first (the default) or oldest first.
    """
    entries: list[AuditEntry] = []
    for entry in _scan(redis, keys.audit_stream(prefix), newest_first):
        if comment_id is None or entry.fields.get("comment_id") == comment_id:
            entries.append(entry)
            if len(entries) >= count:
                break
    return entries


def _scan(redis: Redis, stream: str, newest_first: bool, chunk: int = 500) -> Iterator[AuditEntry]:
    bound = "+" if newest_first else "-"
    while True:
        items: Any = (redis.xrevrange(stream, max=bound, min="-", count=chunk) if newest_first
                      else redis.xrange(stream, min=bound, max="+", count=chunk))
        for entry_id, fields in items:
            yield AuditEntry(_text(entry_id), {_text(k): _text(v) for k, v in fields.items()})
        if len(items) < chunk:
            return
        last = _text(items[-1][0])
        bound = f"({last}"


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
