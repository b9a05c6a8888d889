"""Connecting to Redis from settings: one server (``redis://``, ``rediss://``, ``unix://``) or through Sentinel.

A Sentinel deployment is named by one URL, so it fits the ``redis_url`` setting and ``REDIS_URL``::

    redis+sentinel://[:PASSWORD@]HOST:PORT[,HOST:PORT...]/MASTER_NAME[/DB][?sentinel_password=SECRET]

``PASSWORD`` is the master's (and replicas') password; ``sentinel_password`` the Sentinels' own, when they
require one. redis-py asks the Sentinels for the current master on each (re)connection, so a failover is
followed; Celery gets the same through kombu's ``sentinel://`` transport (:func:`celery_broker`).

Importing this module needs redis-py only (no Celery): the client uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from redis import Redis
from redis.sentinel import Sentinel

from moderation.settings import SENTINEL_SCHEMES, Settings

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


def redis_from_url(url: str, *, decode_responses: bool = True, **options: Any) -> Redis:
    """A redis-py client for ``url``: a plain URL as ``Redis.from_url`` reads it, or a Sentinel-managed master.

    :param url: the ``redis_url`` setting.
    :param decode_responses: return ``str`` rather than ``bytes``.
    :param options: further connection options (``health_check_interval``, timeouts...).
    """
    if not is_sentinel_url(url):
        return Redis.from_url(url, decode_responses=decode_responses, **options)
    config = parse_sentinel_url(url)
    sentinel_kwargs = {"password": config.sentinel_password} if config.sentinel_password else {}
    timeouts = {k: v for k, v in options.items() if k in {"socket_timeout", "socket_connect_timeout"}}
    sentinel = Sentinel(list(config.hosts), sentinel_kwargs={**sentinel_kwargs, **timeouts})
    client: Redis = sentinel.master_for(config.master, redis_class=Redis, db=config.db, password=config.password,
                                        decode_responses=decode_responses, **options)
    return client


def redis_for(settings: Settings, *, decode_responses: bool = True, **options: Any) -> Redis:
    """A redis-py client for the settings' Redis (see :func:`redis_from_url`)."""
    return redis_from_url(settings.redis_url, decode_responses=decode_responses, **options)


def celery_broker(settings: Settings) -> tuple[str, dict[str, Any]]:
    """The Celery broker URL and the transport options to add for the settings' Redis.

    A plain URL is used as is. A Sentinel URL becomes kombu's form,
    ``sentinel://:pw@h1:p1/db;sentinel://:pw@h2:p2/db``, with the ``master_name`` transport option (and
    ``sentinel_kwargs`` carrying the Sentinels' password).
    """
    if not is_sentinel_url(settings.redis_url):
        return settings.redis_url, {}
    config = parse_sentinel_url(settings.redis_url)
    auth = f":{quote(config.password, safe='')}@" if config.password else ""
    url = ";".join(f"sentinel://{auth}{host}:{port}/{config.db}" for host, port in config.hosts)
    options: dict[str, Any] = {"master_name": config.master}
    if config.sentinel_password:
        options["sentinel_kwargs"] = {"password": config.sentinel_password}
    return url, options
