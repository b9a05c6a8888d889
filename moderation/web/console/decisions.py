"""Searching published decisions by comment id, author or text, for moderators to report wrong ones.

The decision stream (``keys.decisions_stream``) is read newest first, one decision per comment (the newest
entry wins, as for every consumer), joined with the texts workers keep for reports
(``keys.comment_text_key``) and the labels already given (``keys.label_key``). An author is matched by id, or
by e-mail or IP address through the same keyed hash the workers store (never the raw value).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from redis import Redis

from moderation import keys
from moderation.logs import keyed_hash
from moderation.records import Decision

#: How many stream entries one search reads at most (newest first).
SCAN_ENTRIES = 20_000
_CHUNK = 1000


@dataclass(frozen=True)
class DecisionRow:
    """One published decision as the search shows it (``ref``: :func:`moderation.keys.comment_ref`, what a
    report names)."""

    comment_id: str
    ref: str
    decision: str
    site: str | None
    decided_at: str
    why: str
    body: str
    author: str
    label: str
    model_version: str


def _identities(query: str) -> set[str]:
    """The author identities a query may name: an id, or the keyed hash of an e-mail or IP address."""
    text = query.strip()
    found = {f"id:{text}", text}
    if "@" in text:
        found.add(f"email:{keyed_hash(text)}")
    if "." in text or ":" in text:
        found.add(f"ip:{keyed_hash(text)}")
    return found


def _row(ref: str, decision: Decision | None, kept: dict[str, Any], label: Any) -> DecisionRow:
    return DecisionRow(
        comment_id=keys.split_ref(ref)[1], ref=ref, decision=decision.decision if decision else "?",
        site=(decision.site if decision else None) or kept.get("site"),
        decided_at=decision.decided_at if decision else "",
        why=decision.reasons[0].message if decision and decision.reasons else "",
        body=str(kept.get("body") or ""), author=str(kept.get("author") or ""), label=str(label or ""),
        model_version=decision.model_version if decision else "",
    )


def search_decisions(redis: Redis, prefix: str, query: str = "", *, limit: int = 50,
                     scan: int = SCAN_ENTRIES) -> list[DecisionRow]:
    """Published decisions matching ``query``, newest first.

    :param redis: the connection (``decode_responses=True``).
    :param prefix: the key prefix.
    :param query: a comment id, an author (id, e-mail or IP address) or words of the text (case-insensitive);
        empty: the newest decisions.
    :param limit: at most this many rows.
    :param scan: at most this many stream entries are read.
    """
    needle = query.strip().casefold()
    identities = _identities(query) if needle else set()
    rows: list[DecisionRow] = []
    seen: set[str] = set()
    if needle:
        exact = _fetch(redis, prefix, [query.strip()])
        if exact and exact[0][1] is not None:
            rows.append(_row(query.strip(), *exact[0][1:]))
            seen.add(query.strip())
    bound, read = "+", 0
    stream = keys.decisions_stream(prefix)
    while len(rows) < limit and read < scan:
        entries: Any = redis.xrevrange(stream, max=bound, min="-", count=_CHUNK)
        read += len(entries)
        fresh: dict[str, str] = {}
        for _entry_id, fields in entries:
            cid = keys.comment_ref(fields.get("site") or None, fields.get("comment_id", ""))
            if cid and cid not in seen and cid not in fresh:
                fresh[cid] = fields.get("record", "")
        seen.update(fresh)
        if fresh:
            rows += _matching(redis, prefix, fresh, needle, identities)
        if len(entries) < _CHUNK:
            break
        bound = f"({entries[-1][0]}"
    return rows[:limit]


def _fetch(redis: Redis, prefix: str, ids: list[str]) -> list[tuple[str, Decision | None, dict[str, Any], Any]]:
    pipe = redis.pipeline(transaction=False)
    for cid in ids:
        pipe.get(keys.decision_key(prefix, *keys.split_ref(cid)))
        pipe.get(keys.comment_text_key(prefix, *keys.split_ref(cid)))
        pipe.get(keys.label_key(prefix, *keys.split_ref(cid)))
    replies: list[Any] = pipe.execute()
    out = []
    for index, cid in enumerate(ids):
        raw, kept, label = replies[3 * index: 3 * index + 3]
        out.append((cid, Decision.from_json(raw) if raw else None, json.loads(kept) if kept else {}, label))
    return out


def _matching(redis: Redis, prefix: str, records: dict[str, str], needle: str,
              identities: set[str]) -> list[DecisionRow]:
    ids = list(records)
    pipe = redis.pipeline(transaction=False)
    for cid in ids:
        pipe.get(keys.comment_text_key(prefix, *keys.split_ref(cid)))
        pipe.get(keys.label_key(prefix, *keys.split_ref(cid)))
    replies: list[Any] = pipe.execute()
    rows = []
    for index, cid in enumerate(ids):
        kept_raw, label = replies[2 * index], replies[2 * index + 1]
        kept = json.loads(kept_raw) if kept_raw else {}
        if needle and not (needle in cid.casefold() or needle in str(kept.get("body") or "").casefold()
                           or str(kept.get("author") or "") in identities):
            continue
        try:
            decision = Decision.from_json(records[cid]) if records[cid] else None
        except (ValueError, KeyError):
            decision = None
        rows.append(_row(cid, decision, kept, label))
    return rows
