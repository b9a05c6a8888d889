"""Erasing an author on request: everything Redis keeps of them, on every site or one.

An author is named as a backend knows them: an author id, an e-mail address or an IP address. What is erased:
their held comments (the review items carry the raw e-mail and IP address), their pending payloads, their
dead letters, the kept texts of their decided comments, their labelled examples in the feedback stream, their
history, rate counters and repeat counts. Published decisions stay: they carry no author.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from redis import Redis

from moderation import keys
from moderation.logs import keyed_hash


def identities(author: str) -> set[str]:
    """Every identity (:func:`moderation.judging.rules.trust.author_identity`) ``author`` can stand for.

    :param author: an author id, an e-mail address or an IP address.
    """
    return {f"id:{author}", f"email:{keyed_hash(author)}", f"ip:{keyed_hash(author)}"}


def _is_theirs(payload: Any, author: str, site: str | None) -> bool:
    if not isinstance(payload, dict) or (site is not None and payload.get("site") != site):
        return False
    who = payload.get("author") or {}
    if not isinstance(who, dict):
        return False
    return (who.get("id") == author or str(who.get("email") or "").strip().lower() == author.strip().lower()
            or who.get("ip") == author.strip())


def _load(raw: Any) -> Any:
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return None


def forget_author(redis: Redis, prefix: str, author: str, *, site: str | None = None) -> dict[str, int]:
    """Erase what Redis keeps of ``author`` (on ``site`` only, if given).

    :param redis: the connection (``decode_responses=True``).
    :param prefix: the key prefix.
    :param author: an author id, an e-mail address or an IP address.
    :param site: only this site's (None: every site).
    :returns: how many entries of each kind were erased.
    """
    erased: Counter[str] = Counter()
    who = identities(author)
    seen: set[str] = set()  # the e-mail and IP addresses their comments came from: their counters go too
    sites = "*" if site is None else site
    # Held comments
    items = keys.review_items_key(prefix)
    for ref, raw in redis.hscan_iter(items):
        held = _load(raw) or {}
        if _is_theirs(held.get("comment"), author, site):
            seen |= _addresses(held.get("comment"))
            comment_site, comment_id = keys.split_ref(str(ref))
            redis.hdel(items, ref)
            redis.zrem(keys.review_queue_key(prefix, comment_site), comment_id)
            erased["held"] += 1
    # Pending payloads
    for ref, raw in redis.hscan_iter(keys.pending_payload_key(prefix)):
        if _is_theirs(payload := _load(raw), author, site):
            seen |= _addresses(payload)
            pipe = redis.pipeline(transaction=True)
            pipe.zrem(keys.pending_key(prefix), ref)
            for key in (keys.pending_payload_key(prefix), keys.pending_digest_key(prefix),
                        keys.pending_attempts_key(prefix)):
                pipe.hdel(key, ref)
            pipe.execute()
            erased["pending"] += 1
    # Dead letters and labelled examples
    for stream, field, theirs in (
            (keys.dead_letter_stream(prefix), "payload", lambda v: _is_theirs(v, author, site)),
            (keys.feedback_stream(prefix), "example",
             lambda v: isinstance(v, dict) and v.get("author") in who and (site is None or v.get("site") == site))):
        doomed = []
        for entry, fields in _entries(redis, stream):
            value = _load(fields.get(field))
            if theirs(value):
                doomed.append(entry)
                seen |= _addresses(value)
        for start in range(0, len(doomed), 500):
            redis.xdel(stream, *doomed[start:start + 500])
        erased[stream.rsplit(":", 1)[-1]] += len(doomed)
    # Kept texts of decided comments
    for key in redis.scan_iter(match=f"{prefix}:comment:*", count=1000):
        kept = _load(redis.get(key)) or {}
        if kept.get("author") in who and (site is None or kept.get("site") == site):
            redis.delete(key)
            erased["kept_texts"] += 1
    # History, rate counters, repeat counts
    for address in seen:
        who |= identities(address)
    for identity in who:
        kind, _, value = identity.partition(":")
        patterns = [f"{prefix}:author:{sites}:{identity}", f"{prefix}:rate:{sites}:author:{identity}:*"]
        if kind == "ip":
            patterns.append(f"{prefix}:rate:{sites}:ip:{value}:*")
        for pattern in patterns:
            for key in redis.scan_iter(match=pattern, count=1000):
                erased["counters"] += int(redis.delete(key))
    for key in redis.scan_iter(match=f"{prefix}:repeat:{sites}:*", count=1000):
        erased["repeats"] += int(redis.hdel(key, *who))
    return dict(erased)


def _addresses(payload: Any) -> set[str]:
    who = (payload.get("author") if isinstance(payload, dict) else None) or {}
    return {str(v) for v in (who.get("email"), who.get("ip")) if v} if isinstance(who, dict) else set()


def _entries(redis: Redis, stream: str) -> list[tuple[str, dict[str, str]]]:
    found: list[tuple[str, dict[str, str]]] = []
    last = "-"
    while True:
        batch: Any = redis.xrange(stream, min=last, count=1000)
        batch = [e for e in batch if e[0] != last] if last != "-" else batch
        if not batch:
            return found
        found += batch
        last = batch[-1][0]
