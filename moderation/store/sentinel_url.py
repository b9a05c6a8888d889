"""Sentinel URLs: one URL names a Redis reached through Sentinel, so it fits the ``redis_url`` setting::

    redis+sentinel://[:PASSWORD@]HOST:PORT[,HOST:PORT...]/MASTER_NAME[/DB][?sentinel_password=SECRET]

Parsing only (standard library): :mod:`moderation.settings` validates the setting with it and
:mod:`moderation.store.connection` connects with what it parses.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

#: URL schemes of a Redis reached through Sentinel.
SENTINEL_SCHEMES = frozenset({"redis+sentinel"})
DEFAULT_SENTINEL_PORT = 26379


@dataclass(frozen=True)
class SentinelConfig:
    """Where the Sentinels are and which master they watch, parsed from a ``redis+sentinel://`` URL.

    :param hosts: the Sentinels' (host, port) pairs.
    :param master: the master's name in the Sentinels' configuration.
    :param db: the database number.
    :param password: the master's password, if any.
    :param sentinel_password: the Sentinels' password, if any.
    """

    hosts: tuple[tuple[str, int], ...]
    master: str
    db: int = 0
    password: str | None = None
    sentinel_password: str | None = None


def is_sentinel_url(url: str) -> bool:
    """Whether ``url`` names a Redis reached through Sentinel."""
    return urlsplit(url).scheme in SENTINEL_SCHEMES


def parse_sentinel_url(url: str) -> SentinelConfig:
    """Parse ``redis+sentinel://[:pw@]h1:p1,h2:p2/master[/db][?sentinel_password=...]``.

    :raises ValueError: naming what is missing or malformed.
    """
    parts = urlsplit(url)
    if parts.scheme not in SENTINEL_SCHEMES:
        raise ValueError(f"not a Sentinel URL (scheme {parts.scheme!r})")
    netloc = parts.netloc
    password = None
    if "@" in netloc:
        auth, netloc = netloc.rsplit("@", 1)
        password = unquote(auth.split(":", 1)[1]) if ":" in auth else (unquote(auth) or None)
    hosts = []
    for item in filter(None, netloc.split(",")):
        host, _, port = item.rpartition(":") if ":" in item else (item, "", "")
        if not host:
            raise ValueError(f"Sentinel address {item!r} has no host")
        try:
            hosts.append((host.strip("[]"), int(port) if port else DEFAULT_SENTINEL_PORT))
        except ValueError as exc:
            raise ValueError(f"Sentinel address {item!r}: port must be a number") from exc
    if not hosts:
        raise ValueError("needs at least one Sentinel host:port")
    path = [p for p in parts.path.split("/") if p]
    if not path or len(path) > 2:
        raise ValueError("path must be /MASTER_NAME or /MASTER_NAME/DB")
    try:
        db = int(path[1]) if len(path) == 2 else 0
    except ValueError as exc:
        raise ValueError("the database (after the master name) must be a number") from exc
    query = parse_qs(parts.query)
    unknown = set(query) - {"sentinel_password"}
    if unknown:
        raise ValueError(f"unknown URL parameter(s): {', '.join(sorted(unknown))}")
    sentinel_password = query.get("sentinel_password", [None])[0]
    return SentinelConfig(tuple(hosts), unquote(path[0]), db, password, sentinel_password)
