"""Who is calling the web face: per-site API keys (``Authorization: Bearer KEY``).

A key is ``mk_<id>_<secret>``: the id names it in ``moderation api-keys list`` and ``revoke``; the whole key is
shown once, when it is made, and Redis keeps only its SHA-256 (a key is 32 random bytes, so a fast hash is
enough: there is nothing to guess). Each key belongs to one site, and the key alone decides the site of every
request made with it. Revoking deletes the hash, so the next request with that key is refused.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any

from redis import Redis

from moderation import keys
from moderation.intake.field_rules import site_name_ok
from moderation.publishing.audit import utc_now

#: What every key starts with (so a leaked one is easy to recognise in a scan).
KEY_PREFIX = "mk_"


class ApiKeyError(ValueError):
    """A key cannot be made (a bad site name); the message says why."""


@dataclass(frozen=True)
class ApiKey:
    """One key's record (never the key itself).

    :param id: the key's public id (``mk_<id>_...``).
    :param site: the site every request made with it acts for.
    :param created_at: when it was made (ISO 8601, UTC).
    """

    id: str
    site: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        """As ``moderation api-keys list`` prints it."""
        return asdict(self)


def digest(key: str) -> str:
    """The SHA-256 (hex) Redis keeps of a key."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header, or None.

    :param authorization: the header's value (None when absent).
    """
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


_CHECK_LUA = resources.files("moderation.web").joinpath("data/api_key_check.lua").read_text(encoding="utf-8")


class ApiKeys:
    """The API keys in Redis.

    :param redis: a decoding connection.
    :param prefix: the key prefix.
    """

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self.key = keys.api_keys_key(prefix)
        self._check = redis.register_script(_CHECK_LUA)

    def add(self, site: str) -> tuple[ApiKey, str]:
        """Make a key for ``site``.

        :returns: its record and the key itself (shown once: only its hash is kept).
        :raises ApiKeyError: if ``site`` is not a valid site name.
        """
        if not site_name_ok(site):
            raise ApiKeyError("a site name is 1-64 letters, digits, '.', '_' or '-'")
        record = ApiKey(id=secrets.token_hex(6), site=site, created_at=utc_now())
        key = f"{KEY_PREFIX}{record.id}_{secrets.token_urlsafe(32)}"
        self.redis.hset(self.key, digest(key), json.dumps(record.to_dict()))
        return record, key

    def list(self) -> list[ApiKey]:
        """Every key's record, oldest first."""
        raw: Any = self.redis.hvals(self.key)
        return sorted((ApiKey(**json.loads(value)) for value in raw), key=lambda k: (k.created_at, k.id))

    def revoke(self, key_id: str) -> bool:
        """Delete the key with this id (or the key itself); requests with it are refused from now on.

        :returns: whether there was such a key.
        """
        if key_id.startswith(KEY_PREFIX) and self.redis.hdel(self.key, digest(key_id)):
            return True
        found: Any = self.redis.hgetall(self.key)
        hashes = [h for h, value in found.items() if json.loads(value).get("id") == key_id]
        return bool(hashes) and bool(self.redis.hdel(self.key, *hashes))

    def verify_and_count(self, key: str | None, window: int, window_seconds: int) -> tuple[ApiKey | None, int]:
        """The record of a live key (None: missing, wrong or revoked), the request counted in the key's rate
        window, in one round trip.

        :param key: the presented key.
        :param window: the number of the current fixed window (:class:`moderation.web.limits.FixedWindow`).
        :param window_seconds: its length (the counter expires after it).
        :returns: the key's record (None: refused, nothing counted) and its requests in this window so far.
        """
        if not key or not key.startswith(KEY_PREFIX):
            return None, 0
        hashed = digest(key)
        reply: Any = self._check(keys=[self.key, keys.api_rate_key(self.prefix, hashed[:16], window)],
                                 args=[hashed, window_seconds + 1])
        if not reply:
            return None, 0
        raw, count = reply
        return ApiKey(**json.loads(raw)), int(count)
