"""The fast command packer sends the bytes redis-py would, through the connection option it relies on."""

from __future__ import annotations

import inspect

import pytest
import redis
from redis import Redis
from redis.connection import AbstractConnection, Connection

from moderation.store.connection import redis_from_url
from moderation.store.resp_packing import FastCommandPacker, packer_options

COMMANDS: list[tuple[object, ...]] = [
    ("SET", "moderation:decision:c-1", '{"decision": "approve", "body": "Grüße 👋"}'),
    ("EVALSHA", "0" * 40, 3, "k1", "k2", "k3", 1, 0, -7, "comment:c-1"),
    ("XADD", b"moderation:decisions", b"*", b"decision", b"\x00\xff raw"),
    ("HSET", "h", "f", 2.5),                 # a float: redis-py's packer
    ("CONFIG GET", "maxmemory"),              # a name with a space: redis-py's packer
    ("SET", "k", memoryview(b"abc")),         # a memoryview: redis-py's packer
]


def default_packer() -> object:
    return Connection()._command_packer  # redis-py's own choice for a default connection


@pytest.mark.parametrize("command", COMMANDS)
def test_commands_are_packed_byte_for_byte_as_redis_py_packs_them(command: tuple[object, ...]) -> None:
    # Given redis-py's own packer and ours
    ours = packer_options({})["command_packer"]
    # When both pack the same command
    # Then the bytes on the wire are the same
    assert b"".join(map(bytes, ours.pack(*command))) == b"".join(map(bytes, default_packer().pack(*command)))


def test_a_bool_is_refused_as_redis_py_refuses_it() -> None:
    ours = packer_options({})["command_packer"]
    with pytest.raises(redis.DataError):
        ours.pack("SET", "k", True)


def test_redis_py_still_takes_the_command_packer_option() -> None:
    # The option is redis-py's, undocumented: if a release drops or renames it, this fails (see pyproject's bound).
    assert "command_packer" in inspect.signature(AbstractConnection.__init__).parameters
    packer = packer_options({})["command_packer"]
    assert Connection(command_packer=packer)._command_packer is packer


def test_other_encodings_and_explicit_packers_are_left_alone() -> None:
    assert "command_packer" not in packer_options({"encoding": "latin-1"})
    mine = object()
    assert packer_options({"command_packer": mine})["command_packer"] is mine


@pytest.mark.integration
def test_a_client_from_settings_packs_with_it_and_round_trips(redis_url: str) -> None:
    # Given a client made as the workers and the backend client make theirs
    client: Redis = redis_from_url(redis_url)
    # When it writes and reads text, numbers and bytes
    client.set("resp-packing:text", "Grüße 👋")
    client.hset("resp-packing:h", mapping={"n": 7, "f": 0.1})
    try:
        # Then they come back as written, through a connection using the fast packer
        assert client.get("resp-packing:text") == "Grüße 👋"
        assert client.hgetall("resp-packing:h") == {"n": "7", "f": "0.1"}
        connection = client.connection_pool.get_connection()
        try:
            assert isinstance(connection._command_packer, FastCommandPacker)
        finally:
            client.connection_pool.release(connection)
    finally:
        client.delete("resp-packing:text", "resp-packing:h")
