"""Where a comment stands, as one site sees it: ``decided`` (with its decision), ``pending``, ``refused`` (a
worker dead-lettered it, with the errors) or ``unknown``.

Comment ids are scoped by site in the keys (:func:`moderation.keys.comment_ref`), so the site is always passed
explicitly: another site's comment of the same id is another comment, unknown to this one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from redis import Redis

from moderation import keys
from moderation.records import Decision

DECIDED, PENDING, REFUSED, UNKNOWN = "decided", "pending", "refused", "unknown"


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


def standing(redis: Redis, prefix: str, site: str, comment_id: str) -> Standing:
    """Where ``comment_id`` of ``site`` stands (one round trip).

    :param redis: a decoding connection.
    :param prefix: the key prefix.
    :param site: the asking site.
    :param comment_id: the site's comment id.
    """
    pipe = redis.pipeline(transaction=False)
    pipe.get(keys.decision_key(prefix, site, comment_id))
    pipe.zscore(keys.pending_key(prefix), keys.comment_ref(site, comment_id))
    pipe.get(keys.refused_key(prefix, site, comment_id))
    raw, pending, refused = pipe.execute()
    if raw:
        return Standing(DECIDED, decision=Decision.from_json(raw))
    if pending is not None:
        return Standing(PENDING)
    if refused is not None:
        return Standing(REFUSED, errors=refusal_errors(str(refused)))
    return Standing(UNKNOWN)


def refusal_errors(error: str) -> dict[str, Any]:
    """A worker's refusal (:func:`moderation.keys.refused_key`'s value) as field errors: the validation
    messages when it holds them as JSON, else the text under ``_schema``.

    :param error: the stored refusal.
    """
    try:
        parsed = json.loads(error)
    except ValueError:
        parsed = None
    return parsed if isinstance(parsed, dict) else {"_schema": [error]}
