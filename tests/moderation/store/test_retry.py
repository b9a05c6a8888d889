"""The one bounded retry policy: its total is true whatever redis-py nests, and it retries failover replies."""

from __future__ import annotations

import time

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from moderation.store.connection import redis_from_url
from moderation.store.retry import COUNTERS, BoundedRetry, transient


def test_a_call_nested_in_another_is_tried_once_so_the_total_is_the_budget() -> None:
    # Given a policy of 0.5 s and a connect (nested in a command, as redis-py does) that always fails
    retry = BoundedRetry(0.5, cap=0.05, base=0.01)
    connects = []

    def connect() -> None:
        connects.append(time.monotonic())
        raise RedisConnectionError("refused")

    def command() -> None:
        retry.call_with_retry(connect, lambda error: None)

    # When the command is called, Then it gives up after the budget, not budget x attempts
    started = time.monotonic()
    with pytest.raises(RedisConnectionError):
        retry.call_with_retry(command, lambda error: None)
    assert time.monotonic() - started < 1.0
    assert len(connects) > 3  # every attempt of the outer call reconnected once


def test_failover_replies_are_retried_and_other_replies_are_not() -> None:
    assert transient(ResponseError("NOREPLICAS Not enough good replicas to write."))
    assert transient(ResponseError("READONLY You can't write against a read only replica."))
    # a script's write refused by a demoted primary, and WAIT sent to a replica
    assert transient(ResponseError("ERR Error running script (call to f_1): @user_script:21: @user_script: 21: "
                                   "-READONLY You can't write against a read only replica. "))
    assert transient(ResponseError("WAIT cannot be used with replica instances. Please also note ..."))
    assert not transient(ResponseError("WRONGTYPE Operation against a key holding the wrong kind of value"))
    retry = BoundedRetry(5)
    calls = []

    def wrong() -> None:
        calls.append(1)
        raise ResponseError("WRONGTYPE no")

    with pytest.raises(ResponseError):
        retry.call_with_retry(wrong, lambda error: None)
    assert calls == [1]


def test_a_reply_that_clears_up_is_retried_until_it_succeeds_and_counted() -> None:
    retry = BoundedRetry(5, cap=0.01, base=0.001)
    replies = [ResponseError("NOREPLICAS Not enough good replicas to write."), RedisConnectionError("gone")]
    before = COUNTERS["retries"]

    def flaky() -> str:
        if replies:
            raise replies.pop(0)
        return "ok"

    assert retry.call_with_retry(flaky, lambda error: None) == "ok"
    assert COUNTERS["retries"] - before == 2


def test_every_client_gets_the_bounded_policy_and_socket_timeouts() -> None:
    client = redis_from_url("redis://127.0.0.1:1/0", retry_seconds=7)
    kwargs = client.connection_pool.connection_kwargs
    assert isinstance(kwargs["retry"], BoundedRetry) and kwargs["retry"].seconds == 7
    assert kwargs["socket_timeout"] == 10.0 and kwargs["socket_connect_timeout"] == 2.0


def test_the_redis_py_internals_the_following_connection_relies_on_are_there() -> None:
    # FollowingConnection (moderation/store/connection.py) routes redis-py's reconnect on a closed socket through
    # the Sentinels: it relies on send_packed_command reconnecting via connect_check_health, and connect_to
    # connecting through it. If redis-py changes this, revisit the class (and raise the bound in pyproject.toml).
    import inspect

    from redis.connection import AbstractConnection
    from redis.sentinel import SentinelManagedConnection

    from moderation.store.connection import FollowingConnection

    assert "connect_check_health" in inspect.getsource(AbstractConnection.send_packed_command)
    assert "connect_check_health" in inspect.getsource(SentinelManagedConnection.connect_to)
    client = redis_from_url("redis+sentinel://127.0.0.1:1/mymaster/0")
    assert client.connection_pool.connection_class is FollowingConnection
