"""Packing Redis commands without a Python call per argument.

redis-py's hiredis packer still runs its encoder on every argument in Python before handing the command to
``hiredis.pack_command``; a worker's batch sends a few thousand arguments (the rules' script keys, decision
fields), and that loop cost about a tenth of a worker's time. :class:`FastCommandPacker` hands commands whose
arguments are all ``str``, ``bytes`` or ``int`` straight to ``hiredis.pack_command`` (which encodes ``str`` as
UTF-8 and ``int`` in decimal, the bytes redis-py would send) and gives any other command (floats, memoryviews,
a command name with a space such as ``"CONFIG GET"``) to redis-py's own packer.

It is installed through redis-py's ``command_packer`` connection option (:func:`packer_options`), which
redis-py accepts but does not document: ``pyproject.toml`` bounds redis-py to the versions checked, and
``tests/moderation/store/test_resp_packing.py`` fails loudly if the option or the bytes it sends change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Argument types ``hiredis.pack_command`` packs exactly as redis-py's encoder does (``bool`` is not among
#: them: ``type(True)`` is ``bool``, which redis-py refuses).
_PLAIN: frozenset[type] = frozenset((str, bytes, int))


class FastCommandPacker:
    """A redis-py command packer: plain commands packed by hiredis in one call, others by redis-py's packer.

    :param fallback: the packer for the other commands (redis-py's, with the connection's encoding).
    """

    def __init__(self, fallback: Any) -> None:
        import hiredis

        self._pack_command = hiredis.pack_command
        self._fallback = fallback

    def pack(self, *args: Any) -> list[bytes]:
        """The command ``args`` in the Redis protocol, as redis-py's packers return it (a list of chunks).

        :param args: the command name and its arguments.
        """
        name = args[0]
        if set(map(type, args)) <= _PLAIN and not (" " in name if type(name) is str else b" " in name):
            return [self._pack_command(args)]
        packed: list[bytes] = self._fallback.pack(*args)
        return packed


def packer_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` for ``Redis.from_url`` / ``master_for`` with a :class:`FastCommandPacker` added.

    Left as they are when hiredis is missing, when they set another encoding than UTF-8 (strict), or when they
    already name a ``command_packer``.

    :param options: connection options.
    """
    if "command_packer" in options or options.get("encoding", "utf-8") != "utf-8" \
            or options.get("encoding_errors", "strict") != "strict":
        return dict(options)
    try:
        import hiredis  # noqa: F401
    except ImportError:
        return dict(options)
    from redis._parsers.encoders import Encoder
    from redis.connection import PythonRespSerializer

    fallback = PythonRespSerializer(6000, Encoder("utf-8", "strict", False).encode)
    return {**options, "command_packer": FastCommandPacker(fallback)}
