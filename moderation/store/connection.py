"""Connecting to Redis from settings: one server (``redis://``, ``rediss://``, ``unix://``) or through Sentinel.

A Sentinel deployment is named by one URL, so it fits the ``redis_url`` setting and ``REDIS_URL``::

    redis+sentinel://[:PASSWORD@]HOST:PORT[,HOST:PORT...]/MASTER_NAME[/DB][?sentinel_password=SECRET]

``PASSWORD`` is the master's (and replicas') password; ``sentinel_password`` the Sentinels' own, when they
require one. redis-py asks the Sentinels for the current master on each (re)connection, so a failover is
followed; Celery gets the same through kombu's ``sentinel://`` transport (:func:`celery_broker`).

Importing this module needs redis-py only (no Celery): the client uses it. Parsing the Sentinel URL is
:mod:`moderation.store.sentinel_url`'s (the settings validate with it too).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from redis import Redis
from redis.sentinel import Sentinel

from moderation.settings import Settings
from moderation.store.resp_packing import packer_options
from moderation.store.sentinel_url import is_sentinel_url, parse_sentinel_url


def redis_from_url(url: str, *, decode_responses: bool = True, **options: Any) -> Redis:
    """A redis-py client for ``url``: a plain URL as ``Redis.from_url`` reads it, or a Sentinel-managed master.

    :param url: the ``redis_url`` setting.
    :param decode_responses: return ``str`` rather than ``bytes``.
    :param options: further connection options (``health_check_interval``, timeouts...); commands are packed
        by :class:`moderation.store.resp_packing.FastCommandPacker` unless they name a ``command_packer``.
    """
    options = packer_options(options)
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
