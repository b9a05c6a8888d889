"""Moderators' accounts: a name, a role and an argon2 password hash, kept in Redis.

Each account is a hash (``keys.console_moderator_key``: ``role``, ``password``, ``created_at``) and its name is
in a set (``keys.console_moderators_key``). Passwords are hashed with argon2id (argon2-cffi's defaults: salted,
memory-hard); the password itself is never stored or logged. Removing an account ends its sessions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from redis import Redis

from moderation import keys
from moderation.publishing.audit import utc_now

Role = Literal["moderator", "admin"]
ROLES: tuple[Role, ...] = ("moderator", "admin")
#: Account names: what the audit stream records as the actor.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@\-]{1,64}\Z")  # "\Z": "$" also matches before a final newline
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024

_HASHER = PasswordHasher()
#: Verified against when the account does not exist, so an unknown name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not-a-password-anyone-has")


class AccountError(ValueError):
    """A bad account name, role or password (the message says which rule)."""


@dataclass(frozen=True)
class Moderator:
    """A console account.

    :param name: the login name (also the actor in the audit stream).
    :param role: ``moderator`` or ``admin``.
    :param created_at: when it was added (ISO 8601 UTC).
    """

    name: str
    role: Role
    created_at: str = ""

    def to_dict(self) -> dict[str, str]:
        """The account as ``moderators list`` prints it (never the hash)."""
        return {"name": self.name, "role": self.role, "created_at": self.created_at}


def check_name(name: str) -> str:
    """``name`` if it is a valid account name.

    :raises AccountError: if it is not.
    """
    if not NAME_PATTERN.match(name):
        raise AccountError("a name is 1-64 letters, digits, '.', '_', '@' or '-'")
    return name


class Accounts:
    """The console's accounts in Redis.

    :param redis: the connection (``decode_responses=True``).
    :param prefix: the key prefix.
    """

    def __init__(self, redis: Redis, prefix: str = keys.DEFAULT_PREFIX) -> None:
        self.redis = redis
        self.prefix = prefix

    def add(self, name: str, password: str, role: Role = "moderator") -> Moderator:
        """Create an account, or replace its password and role if it exists (ending its sessions).

        :param name: the login name.
        :param password: the password (at least :data:`MIN_PASSWORD_CHARS` characters).
        :param role: ``moderator`` or ``admin``.
        :raises AccountError: for a bad name, role or password.
        """
        check_name(name)
        if role not in ROLES:
            raise AccountError(f"a role is one of {', '.join(ROLES)}")
        if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
            raise AccountError(f"a password has {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")
        created = utc_now()
        sessions: Any = self.redis.smembers(keys.console_sessions_key(self.prefix, name))
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(keys.console_moderator_key(self.prefix, name),
                  mapping={"role": role, "password": _HASHER.hash(password), "created_at": created})
        pipe.sadd(keys.console_moderators_key(self.prefix), name)
        # A new password or role ends the account's sessions at once (a stolen cookie dies with the old password)
        pipe.delete(keys.console_sessions_key(self.prefix, name), *sessions)
        pipe.execute()
        return Moderator(name, role, created)

    def remove(self, name: str) -> bool:
        """Delete an account and end its sessions; False if there was none."""
        sessions: Any = self.redis.smembers(keys.console_sessions_key(self.prefix, name))
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(keys.console_moderator_key(self.prefix, name))
        pipe.srem(keys.console_moderators_key(self.prefix), name)
        pipe.delete(keys.console_sessions_key(self.prefix, name), *sessions)
        removed = pipe.execute()[0]
        return bool(removed)

    def get(self, name: str) -> Moderator | None:
        """The account named ``name``, if any."""
        if not NAME_PATTERN.match(name):
            return None
        fields: Any = self.redis.hmget(keys.console_moderator_key(self.prefix, name), ["role", "created_at"])
        role, created = fields
        return Moderator(name, role, created or "") if role in ROLES else None

    def list(self) -> list[Moderator]:
        """Every account, by name."""
        names: Any = self.redis.smembers(keys.console_moderators_key(self.prefix))
        found = [self.get(str(name)) for name in sorted(names)]
        return [account for account in found if account is not None]

    def verify(self, name: str, password: str) -> Moderator | None:
        """The account if ``password`` is its password, else None (an unknown name costs as much time)."""
        stored: Any = None
        if NAME_PATTERN.match(name) and len(password) <= MAX_PASSWORD_CHARS:
            stored = self.redis.hget(keys.console_moderator_key(self.prefix, name), "password")
        try:
            _HASHER.verify(stored or _DUMMY_HASH, password[:MAX_PASSWORD_CHARS])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if not stored:
            return None
        if _HASHER.check_needs_rehash(stored):
            self.redis.hset(keys.console_moderator_key(self.prefix, name), "password", _HASHER.hash(password))
        return self.get(name)
