"""Where a comment stands, as one site sees it: ``decided`` (with its decision), ``pending``, ``refused`` (a
worker dead-lettered it, with the errors) or ``unknown``.

The site is always passed explicitly: a comment of another site is ``unknown`` to this one (until comment ids
are scoped by site in the keys, a site also cannot submit an id another site uses: :func:`foreign_ids`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from redis import Redis

from moderation import keys
from moderation.records import Decision

DECIDED, PENDING, REFUSED, UNKNOWN = "decided", "pending", "refused", "unknown"
#: How many of the newest dead letters are searched for a refused comment.
DEAD_LETTERS_SEARCHED = 1000

_REFUSAL_LUA = resources.files("moderation.web.api").joinpath("data/refusal.lua").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Standing:
    """A comment's standing for one site.

    :param status: :data:`DECIDED`, :data:`PENDING`, :data:`REFUSED` or :data:`UNKNOWN`.
    :param decision: its decision (decided).
    :param errors: why a worker refused it (refused), as a validation error's messages.
    """

    status: str
    decision: Decision | None = None
    errors: dict[str, Any] | None = None


def _site_of(raw: str | None) -> str | None:
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        return None
    return data.get("site") if isinstance(data, dict) else None


def standing(redis: Redis, prefix: str, site: str, comment_id: str) -> Standing:
    """Where ``comment_id`` of ``site`` stands (two round trips at most).

    :param redis: a decoding connection.
    :param prefix: the key prefix.
    :param site: the asking site.
    :param comment_id: the site's comment id.
    """
    pipe = redis.pipeline(transaction=False)
    pipe.get(keys.decision_key(prefix, comment_id))
    pipe.hget(keys.pending_payload_key(prefix), comment_id)
    pipe.zscore(keys.pending_key(prefix), comment_id)
    raw, payload, pending = pipe.execute()
    if raw:
        decision = Decision.from_json(raw)
        if decision.site == site:
            return Standing(DECIDED, decision=decision)
        return Standing(UNKNOWN)
    if pending is not None and _site_of(payload) == site:
        return Standing(PENDING)
    errors = refusal(redis, prefix, site, comment_id)
    return Standing(REFUSED, errors=errors) if errors is not None else Standing(UNKNOWN)


def refusal(redis: Redis, prefix: str, site: str, comment_id: str) -> dict[str, Any] | None:
    """The errors of the newest dead letter of ``comment_id`` on ``site`` among the newest
    :data:`DEAD_LETTERS_SEARCHED`, or None."""
    found: Any = redis.eval(_REFUSAL_LUA, 1, keys.dead_letter_stream(prefix), comment_id, DEAD_LETTERS_SEARCHED)
    for error, payload in zip(found[::2], found[1::2], strict=True):
        if _site_of(payload) != site:
            continue
        try:
            parsed = json.loads(error)
        except ValueError:
            parsed = None
        return parsed if isinstance(parsed, dict) else {"_schema": [error]}
    return None


def foreign_ids(redis: Redis, prefix: str, site: str, comment_ids: Sequence[str]) -> set[str]:
    """The ids among ``comment_ids`` that another site has submitted (decided or pending), in one round trip.

    :param redis: a decoding connection.
    :param prefix: the key prefix.
    :param site: the submitting site.
    :param comment_ids: the ids it submits.
    """
    if not comment_ids:
        return set()
    pipe = redis.pipeline(transaction=False)
    pipe.mget([keys.decision_key(prefix, cid) for cid in comment_ids])
    pipe.hmget(keys.pending_payload_key(prefix), list(comment_ids))
    decisions, payloads = pipe.execute()
    foreign = set()
    for cid, decision, payload in zip(comment_ids, decisions, payloads, strict=True):
        owner = _site_of(decision) if decision else _site_of(payload) if payload else site
        if owner != site:
            foreign.add(cid)
    return foreign
