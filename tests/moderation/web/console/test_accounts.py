"""Console accounts and sessions against a real Redis, and the ``moderation moderators`` verbs."""

from __future__ import annotations

import json

import pytest
from redis import Redis

from moderation import keys
from moderation.web.console.accounts import AccountError, Accounts
from moderation.web.console.sessions import MAX_FAILURES_PER_NAME, Sessions
from tests.moderation.cli.test_cli import run_cli

pytestmark = pytest.mark.integration  # a real Redis (and, for the browser tests, Chromium)


def test_a_password_is_stored_only_as_a_salted_argon2_hash(redis: Redis, prefix: str) -> None:
    # Given two accounts with the same password
    accounts = Accounts(redis, prefix)
    accounts.add("alice", "same old password")
    accounts.add("bob", "same old password", role="admin")
    # Then Redis holds argon2id hashes, different for each (salted), never the password
    stored = [redis.hget(keys.console_moderator_key(prefix, n), "password") or "" for n in ("alice", "bob")]
    assert all(s.startswith("$argon2id$") for s in stored) and stored[0] != stored[1]
    assert not any("same old password" in str(v) for n in ("alice", "bob")
                   for v in redis.hgetall(keys.console_moderator_key(prefix, n)).values())
    # And only the right password verifies, for an existing account
    assert accounts.verify("alice", "same old password") is not None
    assert accounts.verify("alice", "wrong password!") is None
    assert accounts.verify("carol", "same old password") is None
    assert [(m.name, m.role) for m in accounts.list()] == [("alice", "moderator"), ("bob", "admin")]


def test_bad_names_roles_and_short_passwords_are_refused(redis: Redis, prefix: str) -> None:
    accounts = Accounts(redis, prefix)
    for name, password, role in [("bad name", "long enough!", "moderator"), ("alice\n", "long enough!", "moderator"),
                                 ("ok", "short", "moderator"),
                                 ("ok", "long enough!", "root")]:
        with pytest.raises(AccountError):
            accounts.add(name, password, role)  # type: ignore[arg-type]
    assert accounts.list() == []


def test_removing_an_account_ends_its_sessions(redis: Redis, prefix: str) -> None:
    # Given alice logged in twice
    accounts, sessions = Accounts(redis, prefix), Sessions(redis, prefix, ttl_seconds=60)
    alice = accounts.add("alice", "a long password")
    first, _ = sessions.start(alice)
    second, session = sessions.start(alice)
    assert sessions.load(first) is not None and sessions.load(second) == session
    # When her account is removed
    assert accounts.remove("alice") is True
    # Then neither session works any more, and the cookie token was never stored as such
    assert sessions.load(first) is None and sessions.load(second) is None
    assert not list(redis.scan_iter(match=f"{prefix}*{first}*"))


def test_failed_logins_are_counted_per_name_and_forgotten_after_a_success(redis: Redis, prefix: str) -> None:
    sessions = Sessions(redis, prefix)
    for _ in range(MAX_FAILURES_PER_NAME - 1):
        sessions.login_failed("alice", "198.51.100.7")
    assert not sessions.login_blocked("alice", "198.51.100.7")
    sessions.login_succeeded("alice")
    for _ in range(MAX_FAILURES_PER_NAME):
        sessions.login_failed("alice", "198.51.100.7")
    assert sessions.login_blocked("alice", "203.0.113.9") and not sessions.login_blocked("bob", "203.0.113.9")
    # No raw address in any key
    assert not any("198.51.100.7" in k for k in redis.scan_iter(match=f"{prefix}*"))


def test_the_moderators_verbs_add_list_and_remove(redis_url: str, redis: Redis, prefix: str) -> None:
    # When an admin and a moderator are added with passwords on standard input, then listed
    added = run_cli(["moderators", "add", "root", "--role", "admin", "--password-stdin"], redis_url, prefix,
                    stdin="a long password\n")
    run_cli(["moderators", "add", "ann", "--password-stdin"], redis_url, prefix, stdin="another password\n")
    listed = run_cli(["moderators", "list"], redis_url, prefix)
    # Then both exist with their roles, and the password is never printed
    assert added.returncode == 0 and "a long password" not in added.stdout
    assert [(r["name"], r["role"]) for r in map(json.loads, listed.stdout.splitlines())] == [
        ("ann", "moderator"), ("root", "admin")]
    assert Accounts(redis, prefix).verify("root", "a long password") is not None
    # And without --password-stdin, or with a short password, nothing is added (exit 2)
    assert run_cli(["moderators", "add", "eve"], redis_url, prefix).returncode == 2
    assert run_cli(["moderators", "add", "eve", "--password-stdin"], redis_url, prefix, stdin="short\n").returncode == 2
    # And remove deletes one (exit 1 for an unknown name)
    assert run_cli(["moderators", "remove", "ann"], redis_url, prefix).returncode == 0
    assert run_cli(["moderators", "remove", "ann"], redis_url, prefix).returncode == 1
    assert [m.name for m in Accounts(redis, prefix).list()] == ["root"]
