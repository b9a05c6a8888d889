"""Worker liveness: each pool process keeps a short-lived hash in Redis saying who it is and what it serves.

The hash ``keys.worker_key(prefix, "<node>:<pid>")`` holds ``node`` (the Celery node name), ``host``, ``pid``,
``queues``, ``model_version`` (empty while none is loaded), ``model_source`` (``redis``, ``file``, ``default``),
``state`` (``serving``, or ``waiting`` for a model), ``started``, ``beat`` (seconds since the epoch) and
``batches`` (messages this process handled). A thread refreshes it every ``heartbeat_seconds`` with an expiry
of three intervals, so a process that dies (or hangs) disappears within that; a clean shutdown deletes it.
Each beat also asks the current model for itself, so a promotion is loaded (and reported) even when no
comment arrives; a process waiting for a model beats every ``model_refresh_seconds`` (when shorter), so it
loads and reports one that soon after a promotion.

``moderation health`` and ``moderation metrics`` count these hashes as the workers alive.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterable
from typing import Any, Protocol

from celery.signals import celeryd_init, task_postrun, worker_process_shutdown
from redis import Redis
from redis.exceptions import RedisError

from moderation import keys
from moderation.ops.breakdowns import flush_client_counters

log = logging.getLogger("workers.heartbeat")

#: Environment variables a worker's main process sets for its pool processes (inherited at fork).
NAME_ENV = "MODERATION_WORKER_NAME"
QUEUES_ENV = "MODERATION_WORKER_QUEUES"


#: The ``state`` field: serving a model, or waiting for one.
SERVING, WAITING = "serving", "waiting"


class ModelLike(Protocol):
    """What the heartbeat needs of :class:`moderation.models.current.CurrentModel`."""

    @property
    def version(self) -> str | None: ...

    @property
    def source(self) -> str | None: ...

    @property
    def loaded(self) -> bool: ...

    def poll(self) -> bool: ...


def ttl_seconds(interval: float) -> int:
    """How long a heartbeat hash lives without being refreshed: three intervals, at least 2 s."""
    return max(2, int(interval * 3 + 0.999))


class Heartbeat:
    """Refreshes one pool process's worker hash from a daemon thread.

    :param redis: a connection (decoded or not).
    :param prefix: the key prefix.
    :param node: the Celery node name (``-n``), e.g. ``interactive1@web-3``.
    :param model: the process's current model (refreshed, then its version reported, on each beat).
    :param interval: seconds between beats.
    :param queues: the queues this worker consumes.
    :param waiting_interval: seconds between beats while no model is loaded (at most ``interval``).
    """

    def __init__(self, redis: Redis, *, prefix: str, node: str, model: ModelLike, interval: float,
                 queues: Iterable[str] = (), waiting_interval: float | None = None) -> None:
        self.redis = redis
        self.prefix = prefix
        self.node = node
        self.model = model
        self.interval = interval
        self.waiting_interval = min(interval, waiting_interval or interval)
        self.queues = ",".join(queues)
        self.pid = os.getpid()
        self.key = keys.worker_key(prefix, f"{node}:{self.pid}")
        self.started = int(time.time())
        self.batches = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def fields(self) -> dict[str, str | int | float]:
        """The hash's fields as of now."""
        return {"node": self.node, "host": socket.gethostname(), "pid": self.pid, "queues": self.queues,
                "model_version": self.model.version or "", "model_source": self.model.source or "",
                "state": SERVING if self.model.loaded else WAITING, "started": self.started,
                "beat": round(time.time(), 3), "batches": self.batches}

    def beat(self) -> None:
        """Pick up a promoted model if there is one, then write the hash and renew its expiry (one round trip)."""
        self.model.poll()  # never raises: a model that cannot load is reported by its old version, and logged
        pipe = self.redis.pipeline(transaction=True)
        fields: Any = self.fields()
        pipe.hset(self.key, mapping=fields)
        pipe.expire(self.key, ttl_seconds(self.interval))
        pipe.execute()
        flush_client_counters(self.redis, self.prefix)

    def start(self) -> Heartbeat:
        """Beat once now (so the process is visible before its first message), then every ``interval``."""
        self.beat()
        self._thread = threading.Thread(target=self._run, name="moderation-heartbeat", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval if self.model.loaded else self.waiting_interval):
            try:
                self.beat()
            except RedisError as exc:
                log.warning("heartbeat failed: %s", exc)

    def stop(self, *, delete: bool = True) -> None:
        """Stop beating; with ``delete`` remove the hash at once (a clean shutdown)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 1)
        if delete:
            try:
                self.redis.delete(self.key)
            except RedisError as exc:
                log.warning("could not delete the heartbeat: %s", exc)


_heartbeat: Heartbeat | None = None


def start_heartbeat(redis: Redis, *, prefix: str, model: ModelLike, interval: float, default_queue: str,
                    waiting_interval: float | None = None) -> Heartbeat:
    """Start this process's heartbeat (once; later calls return the running one).

    :param redis: a connection.
    :param prefix: the key prefix.
    :param model: the process's current model.
    :param interval: seconds between beats (the ``heartbeat_seconds`` setting).
    :param default_queue: reported as the queue when the worker was started without ``-Q``.
    :param waiting_interval: seconds between beats while no model is loaded.
    """
    global _heartbeat
    if _heartbeat is None:
        queues = [q for q in os.environ.get(QUEUES_ENV, "").split(",") if q] or [default_queue]
        node = os.environ.get(NAME_ENV) or f"worker@{socket.gethostname()}"
        _heartbeat = Heartbeat(redis, prefix=prefix, node=node, model=model, interval=interval,
                               queues=queues, waiting_interval=waiting_interval).start()
        fields = {"pid": os.getpid(), "model": model.version, "node": node}
        if model.loaded:
            log.info("worker process ready", extra={"fields": fields})
        else:
            log.warning("worker process waiting for a model (it serves once one is promoted)",
                        extra={"fields": fields})
    return _heartbeat


@celeryd_init.connect
def _name_pool_processes(sender: Any = None, options: dict[str, Any] | None = None, **_: Any) -> None:
    """In the worker's main process, before the pool forks: pass the node name and queues to the children."""
    if sender and not os.environ.get(NAME_ENV):
        os.environ[NAME_ENV] = str(sender)
    queues = (options or {}).get("queues")
    if queues:
        os.environ[QUEUES_ENV] = queues if isinstance(queues, str) else ",".join(map(str, queues))


@task_postrun.connect
def _count_batch(**_: Any) -> None:
    if _heartbeat is not None:
        _heartbeat.batches += 1


@worker_process_shutdown.connect
def _stop_heartbeat(**_: Any) -> None:
    if _heartbeat is not None:
        _heartbeat.stop(delete=True)
