"""Webhooks: each published decision of a site is POSTed, signed, to the URLs the site registered.

This module holds the registrations (``moderation webhooks add|list|remove``), what is sent and how it is
signed. Delivery is :mod:`moderation.publishing.webhook_queue` (at-least-once, from the decision stream, with
retries) run by :mod:`moderation.publishing.webhook_delivery`.

**The request.** ``POST`` with a JSON body::

    {"type": "decision", "idempotency_key": "...", "site": "news-a", "comment_id": "c-1", "revision": 1,
     "decision": {...the decision record...}}

and the headers ``Moderation-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`` (keyed with
the webhook's secret), ``Idempotency-Key`` (the same as in the body) and ``Moderation-Delivery-Attempt``. The
idempotency key names one publication: site, comment id, revision and the decision stream entry (a moderator's
verdict on revision N is a later publication of N, with another key); a delivery repeated after a timeout or a
crash carries the same key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from redis import Redis
from redis.exceptions import ResponseError

from moderation import keys
from moderation.intake.field_rules import site_name_ok
from moderation.publishing.audit import utc_now

SIGNATURE_HEADER = "Moderation-Signature"
#: A receiver should refuse a signature older than this (replays).
SIGNATURE_TOLERANCE_SECONDS = 300


class WebhookError(ValueError):
    """A webhook cannot be registered (bad site or URL); the message says why."""


@dataclass(frozen=True)
class Webhook:
    """One registration: decisions of ``site`` go to ``url``, signed with ``secret``.

    :param id: its id (``list``, ``remove``, ``test``).
    :param site: the site whose decisions it receives.
    :param url: where they are POSTed (http or https).
    :param secret: the signing secret (shown once when added).
    :param created_at: when it was added (ISO 8601, UTC).
    """

    id: str
    site: str
    url: str
    secret: str
    created_at: str

    def to_dict(self, *, with_secret: bool = False) -> dict[str, Any]:
        """As ``moderation webhooks list`` prints it (without the secret unless asked)."""
        data = asdict(self)
        if not with_secret:
            del data["secret"]
        return data


def signature(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``Moderation-Signature`` header's value for ``body``.

    :param secret: the webhook's secret.
    :param body: the raw request body.
    :param timestamp: unix seconds (default: now).
    """
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify_signature(secret: str, body: bytes, header: str, *, tolerance: float = SIGNATURE_TOLERANCE_SECONDS,
                     now: float | None = None) -> bool:
    """Whether ``header`` is a valid, recent signature of ``body`` (what a Python receiver does).

    :param secret: the webhook's secret.
    :param body: the raw request body, as received.
    :param header: the ``Moderation-Signature`` header.
    :param tolerance: the oldest signature accepted, in seconds.
    :param now: the current unix time (default: now).
    """
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        t = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


def idempotency_key(site: str, comment_id: str, revision: int, entry_id: str) -> str:
    """The key of one publication: site, comment id, revision, decision stream entry."""
    return f"{site}:{comment_id}:{revision}:{entry_id}"


def decision_body(record: dict[str, Any], entry_id: str) -> bytes:
    """The JSON body that carries one published decision record."""
    site, comment_id, revision = str(record.get("site")), str(record["comment_id"]), int(record.get("revision", 1))
    return json.dumps({"type": "decision", "idempotency_key": idempotency_key(site, comment_id, revision, entry_id),
                       "site": site, "comment_id": comment_id, "revision": revision, "decision": record},
                      ensure_ascii=False, separators=(",", ":")).encode()


def ping_body(hook: Webhook) -> bytes:
    """The body of ``moderation webhooks test``: a ``test`` event (no decision)."""
    return json.dumps({"type": "test", "idempotency_key": f"test:{secrets.token_hex(8)}", "site": hook.site,
                       "webhook": hook.id, "sent_at": utc_now()}, separators=(",", ":")).encode()


def check_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL with a host, else :class:`WebhookError`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError("a webhook URL is an absolute http:// or https:// URL")
    return url


class Webhooks:
    """The registrations, in one Redis hash.

    :param redis: a decoding connection.
    :param prefix: the key prefix.
    """

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self.key = keys.webhooks_key(prefix)

    def add(self, site: str, url: str) -> Webhook:
        """Register ``url`` for ``site``'s decisions from now on (its secret is in the result, shown once).

        :raises WebhookError: for a bad site name or URL.
        """
        if not site_name_ok(site):
            raise WebhookError("a site name is 1-64 letters, digits, '.', '_' or '-'")
        hook = Webhook(id=f"wh_{secrets.token_hex(6)}", site=site, url=check_url(url),
                       secret=f"whsec_{secrets.token_urlsafe(32)}", created_at=utc_now())
        ensure_group(self.redis, self.prefix)
        self.redis.hset(self.key, hook.id, json.dumps(asdict(hook)))
        return hook

    def all(self) -> dict[str, Webhook]:
        """Every registration by id."""
        raw: Any = self.redis.hgetall(self.key)
        return {hook_id: Webhook(**json.loads(value)) for hook_id, value in raw.items()}

    def list(self) -> list[Webhook]:
        """Every registration, oldest first."""
        return sorted(self.all().values(), key=lambda h: (h.created_at, h.id))

    def get(self, hook_id: str) -> Webhook | None:
        """One registration, or None."""
        raw: Any = self.redis.hget(self.key, hook_id)
        return Webhook(**json.loads(raw)) if raw else None

    def remove(self, hook_id: str) -> bool:
        """Delete a registration (deliveries still waiting for it are dropped); whether there was one."""
        return bool(self.redis.hdel(self.key, hook_id))


def ensure_group(redis: Redis, prefix: str) -> None:
    """Create the decision stream's ``webhooks`` consumer group if it does not exist, reading from now on."""
    try:
        redis.xgroup_create(keys.decisions_stream(prefix), keys.WEBHOOK_GROUP, id="$", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise
