"""Connecting to Redis from settings: one server (``redis://``, ``rediss://``, ``unix://``) or through Sentinel.

A Sentinel deployment is named by one URL, so it fits the ``redis_url`` setting and ``REDIS_URL``::

    redis+sentinel://[:PASSWORD@]HOST:PORT[,HOST:PORT...]/MASTER_NAME[/DB][?sentinel_password=SECRET]

``PASSWORD`` is the master's (and replicas') password; ``sentinel_password`` the Sentinels' own, when they
require one. redis-py asks the Sentinels for the current master on each (re)connection, so a failover is
followed; Celery gets the same through kombu's ``sentinel://`` transport (:func:`celery_broker`).

Every client made here retries with one bounded policy (:mod:`moderation.store.retry`: the
``client_retry_seconds`` setting in all, each attempt reconnecting and asking the Sentinels afresh) and has
socket timeouts (:data:`SOCKET_DEFAULTS`), so no call blocks on a dead or partitioned node longer than that.

Importing this module needs redis-py only (no Celery): the client uses it. Parsing the Sentinel URL is
:mod:`moderation.store.sentinel_url`'s (the settings validate with it too).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from redis.sentinel import Sentinel, SentinelManagedConnection

from moderation.settings import Settings
from moderation.store.resp_packing import packer_options
from moderation.store.retry import bounded_retry
from moderation.store.sentinel_url import is_sentinel_url, parse_sentinel_url

#: Roughly how long a client keeps retrying a call while Redis is unreachable, unless told otherwise.
RETRY_SECONDS = 30.0
#: Socket options every client gets unless told otherwise: a read on a node that went silent (a partition,
#: a frozen primary) fails after 10 s instead of hanging; a connection attempt after 2 s.
SOCKET_DEFAULTS: dict[str, Any] = {"socket_timeout": 10.0, "socket_connect_timeout": 2.0, "socket_keepalive": True}
#: The longest a Sentinel may take to answer who the primary is before the next one is asked.
SENTINEL_TIMEOUT = 1.0


class FollowingConnection(SentinelManagedConnection):
    """A Sentinel-managed connection that asks the Sentinels for the primary on *every* reconnection.

    redis-py's own reconnects on the way when a command finds its socket closed
    (``send_packed_command`` -> ``connect_check_health``), and that path goes to the address cached from
    before, retrying it: after a failover a client kept dialling the dead primary for its whole retry budget
    although the Sentinels had named the new one. Here that path goes through :meth:`connect` (which asks the
    Sentinels) too. Relies on redis-py's internal call structure (bounded ``redis<9`` in pyproject.toml;
    ``tests/moderation/store/test_retry.py`` fails if it changes).
    """

    _following = False

    def connect_to(self, address: Any) -> None:
        """Connect to ``address`` (the primary the Sentinels just named)."""
        self._following = True
        try:
            super().connect_to(address)
        finally:
            self._following = False

    def connect_check_health(self, check_health: bool = True, retry_socket_connect: bool = True) -> None:
        """Connect: to the address just resolved when called from :meth:`connect_to`, else ask the Sentinels."""
        if self._sock:
            return
        if self._following:
            super().connect_check_health(check_health=check_health, retry_socket_connect=False)
            return
        self.connect()


def redis_from_url(url: str, *, decode_responses: bool = True, retry_seconds: float = RETRY_SECONDS,
                   **options: Any) -> Redis:
    """A redis-py client for ``url``: a plain URL as ``Redis.from_url`` reads it, or a Sentinel-managed master.

    :param url: the ``redis_url`` setting.
    :param decode_responses: return ``str`` rather than ``bytes``.
    :param retry_seconds: the whole time a call keeps retrying on lost connections and failover replies
        (:class:`moderation.store.retry.BoundedRetry`), unless ``options`` name their own ``retry``.
    :param options: further connection options (``health_check_interval``, timeouts...); commands are packed
        by :class:`moderation.store.resp_packing.FastCommandPacker` unless they name a ``command_packer``.
    """
    options = packer_options({**SOCKET_DEFAULTS, **options})
    options.setdefault("retry", bounded_retry(retry_seconds))
    if not is_sentinel_url(url):
        return Redis.from_url(url, decode_responses=decode_responses, **options)
    config = parse_sentinel_url(url)
    sentinel_kwargs = {"password": config.sentinel_password} if config.sentinel_password else {}
    # A Sentinel answers at once or is skipped for the next one: short timeouts, no retry of its own (the
    # client's bounded policy retries the whole reconnection, asking every Sentinel again).
    timeouts = {k: min(float(v), SENTINEL_TIMEOUT) for k, v in options.items()
                if k in {"socket_timeout", "socket_connect_timeout"} and v is not None}
    sentinel = Sentinel(list(config.hosts), sentinel_kwargs={**sentinel_kwargs, **timeouts,
                                                             "retry": Retry(NoBackoff(), 0)})
    client: Redis = sentinel.master_for(config.master, redis_class=Redis, db=config.db, password=config.password,
                                        decode_responses=decode_responses, connection_class=FollowingConnection,
                                        **options)
    return client


def redis_for(settings: Settings, *, decode_responses: bool = True, **options: Any) -> Redis:
    """A redis-py client for the settings' Redis (see :func:`redis_from_url`), retrying for the
    ``client_retry_seconds`` setting unless ``options`` say otherwise."""
    options.setdefault("retry_seconds", settings.client_retry_seconds)
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
