"""Console sessions, their CSRF tokens, and the login rate limit, in Redis.

A session is a random 256-bit token in a cookie; Redis keeps only its SHA-256
(``keys.console_session_key``), with the moderator's name, role and the session's CSRF token, and it expires
after ``console_session_hours``. Every POST must carry that CSRF token (a form field or the
``X-CSRF-Token`` header), compared in constant time.

Logins are rate-limited per account name and per client (a keyed hash of its address, never the raw one):
after :data:`MAX_FAILURES_PER_NAME` (or :data:`MAX_FAILURES_PER_CLIENT`) failures within
:data:`FAILURE_WINDOW_SECONDS`, further attempts are refused unchecked until the window ends.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from redis import Redis

from moderation import keys
from moderation.logs import keyed_hash
from moderation.web.console.accounts import Moderator

MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_CLIENT = 20
FAILURE_WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class Session:
    """A logged-in moderator.

    :param name: the account name.
    :param role: ``moderator`` or ``admin``.
    :param csrf: the token every POST of this session must carry.
    """

    name: str
    role: str
    csrf: str

    @property
    def is_admin(self) -> bool:
        """Whether the account is an admin."""
        return self.role == "admin"

    def csrf_ok(self, token: str | None) -> bool:
        """Whether ``token`` is this session's CSRF token (constant-time)."""
        return bool(token) and hmac.compare_digest(self.csrf.encode(), str(token).encode())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class Sessions:
    """Sessions and login failures.

    :param redis: the connection (``decode_responses=True``).
    :param prefix: the key prefix.
    :param ttl_seconds: how long a session lasts.
    """

    def __init__(self, redis: Redis, prefix: str = keys.DEFAULT_PREFIX, ttl_seconds: int = 12 * 3600) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds

    def start(self, moderator: Moderator) -> tuple[str, Session]:
        """Start a session for ``moderator``; returns the cookie's token and the session."""
        token = secrets.token_urlsafe(32)
        session = Session(moderator.name, moderator.role, secrets.token_urlsafe(32))
        key = keys.console_session_key(self.prefix, _digest(token))
        index = keys.console_sessions_key(self.prefix, moderator.name)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(key, mapping={"name": session.name, "role": session.role, "csrf": session.csrf})
        pipe.expire(key, self.ttl_seconds)
        pipe.sadd(index, key)
        pipe.expire(index, self.ttl_seconds)
        pipe.execute()
        return token, session

    def load(self, token: str | None) -> Session | None:
        """The live session of this cookie token, if any (and if its account still exists)."""
        if not token or len(token) > 128:
            return None
        fields: Any = self.redis.hgetall(keys.console_session_key(self.prefix, _digest(token)))
        if not fields or not fields.get("name"):
            return None
        if not self.redis.exists(keys.console_moderator_key(self.prefix, fields["name"])):
            return None
        return Session(fields["name"], fields.get("role", "moderator"), fields.get("csrf", ""))

    def end(self, token: str | None) -> None:
        """End the session of this cookie token (log out)."""
        if token and len(token) <= 128:
            key = keys.console_session_key(self.prefix, _digest(token))
            name: Any = self.redis.hget(key, "name")
            self.redis.delete(key)
            if name:
                self.redis.srem(keys.console_sessions_key(self.prefix, name), key)

    # -- the login rate limit --------------------------------------------------------------------------

    def _failure_keys(self, name: str, client: str) -> tuple[str, str]:
        return (keys.console_login_failures_key(self.prefix, f"name:{keyed_hash(name)}"),
                keys.console_login_failures_key(self.prefix, f"client:{keyed_hash(client)}"))

    def login_attempt(self, name: str, client: str) -> bool:
        """Count a login attempt for ``name`` and ``client`` before its password is checked; whether it may go on.

        Counting first (one atomic round trip) is what makes the limit hold under concurrent attempts: checking
        then counting let 30 simultaneous wrong passwords all be checked. A successful login forgets the
        account's count (:meth:`login_succeeded`).
        """
        pipe = self.redis.pipeline(transaction=True)
        for key in self._failure_keys(name, client):
            pipe.set(key, 0, ex=FAILURE_WINDOW_SECONDS, nx=True)
            pipe.incr(key)
        replies = pipe.execute()
        return int(replies[1]) <= MAX_FAILURES_PER_NAME and int(replies[3]) <= MAX_FAILURES_PER_CLIENT

    def login_blocked(self, name: str, client: str) -> bool:
        """Whether logins for ``name`` or from ``client`` are refused for now (too many recent failures)."""
        by_name, by_client = self.redis.mget(self._failure_keys(name, client))
        return int(by_name or 0) >= MAX_FAILURES_PER_NAME or int(by_client or 0) >= MAX_FAILURES_PER_CLIENT

    def login_failed(self, name: str, client: str) -> None:
        """Count a failed login for ``name`` and ``client`` (the window starts at the first failure)."""
        pipe = self.redis.pipeline(transaction=False)
        for key in self._failure_keys(name, client):
            pipe.set(key, 0, ex=FAILURE_WINDOW_SECONDS, nx=True)  # (EXPIRE NX needs Redis 7; the embedded one is 6)
            pipe.incr(key)
        pipe.execute()

    def login_succeeded(self, name: str) -> None:
        """Forget the account's failures (the client's stay: they may be guessing other names)."""
        self.redis.delete(self._failure_keys(name, "")[0])
