"""A worker bootstep that runs the sweep on a timer: requeueing comments accepted but never decided
(:mod:`moderation.publishing.sweep` finds and requeues them).

Every worker runs the timer; a short Redis lock lets one of them sweep per interval. A second, faster timer
(every lease interval, :func:`workers.lease.renew_interval`) on the same event loop

- writes the worker's loop beat (``keys.worker_loop_key``): written by the loop that takes messages, so a
  worker whose main process is frozen or hung stops counting as alive (``moderation health``), however
  lively the heartbeat threads of its pool processes;
- watches for Redis events and requeues what was in flight at one (:mod:`moderation.publishing.event_requeue`).
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from celery import bootsteps
from redis import Redis
from redis.exceptions import RedisError

from moderation import keys
from moderation.ops.breakdowns import flush_client_counters
from moderation.publishing.dead_letters import prune_dead_letters
from moderation.publishing.event_requeue import EventRequeue
from moderation.publishing.sweep import requeue_undecided
from moderation.review.retention import prune_held
from moderation.settings import Settings
from moderation.store.connection import redis_for
from workers.heartbeat import NAME_ENV, ttl_seconds
from workers.lease import renew_interval

log = logging.getLogger("workers.sweep_timer")


def sweep_once(redis: Redis, settings: Settings, owner: str) -> int | None:
    """Sweep if no other worker did within the interval; returns how many were requeued (None: skipped)."""
    lock_ms = max(100, int(settings.sweep_interval_seconds * 900))
    if not redis.set(keys.sweep_lock_key(settings.prefix), owner, nx=True, px=lock_ms):
        return None
    result = requeue_undecided(redis, prefix=settings.prefix, queue=settings.queue,
                               older_than_seconds=settings.sweep_after_seconds, batch_size=settings.batch_size,
                               stream_maxlen=settings.stream_maxlen, refused_ttl_seconds=settings.decision_ttl_seconds)
    if result.requeued:
        redis.hincrby(keys.metrics_key(settings.prefix), "requeued:sweep", result.requeued)
    prune_held(redis, settings.prefix, settings.review_retention_days * 86400)
    prune_dead_letters(redis, settings.prefix, settings.review_retention_days * 86400)
    if result.requeued or result.missing or result.dead_lettered:
        log.warning("swept undecided comments", extra={"fields": {
            "requeued": result.requeued, "cleaned": result.cleaned, "missing": result.missing,
            "dead_lettered": result.dead_lettered}})
    return result.requeued


class SweepStep(bootsteps.StartStopStep):
    """Runs :func:`sweep_once` every ``sweep_interval_seconds`` on the consumer's timer.

    A consumer step (``app.steps["consumer"]``), not a worker step: when the broker connection is lost,
    Celery clears the event loop's timers and restarts the consumer's steps once reconnected, so the sweep
    is scheduled again after a Redis restart instead of silently stopping.
    """

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.tref: Any = None
        self.watch_tref: Any = None
        self.redis: Redis | None = None
        self.probe: Redis | None = None
        self.events: EventRequeue | None = None

    def start(self, parent: Any) -> None:
        """Schedule the sweep (on every consumer start, i.e. after each reconnection)."""
        settings: Settings = parent.app.conf.moderation_settings
        if self.redis is None:
            self.redis = redis_for(settings, decode_responses=True, health_check_interval=30)
        if self.tref is not None:
            self.tref.cancel()
        self.tref = parent.timer.call_repeatedly(settings.sweep_interval_seconds, self._tick,
                                                 (settings, parent.hostname), priority=10)
        interval = renew_interval(settings.visibility_timeout_seconds)
        if self.probe is None:  # probed from the event loop: fails fast instead of retrying
            self.probe = redis_for(settings, decode_responses=True, retry_seconds=0, socket_timeout=1.0,
                                   socket_connect_timeout=1.0)
            self.events = EventRequeue(self.probe, prefix=settings.prefix, queue=settings.queue, delay=interval,
                                       batch_size=settings.batch_size)
        if self.watch_tref is not None:
            self.watch_tref.cancel()
        self.watch_tref = parent.timer.call_repeatedly(interval, self._watch, (settings, parent.hostname, interval),
                                                       priority=5)
        self._watch(settings, parent.hostname, interval)

    def stop(self, parent: Any) -> None:
        """Cancel the scheduled sweep and watch."""
        for tref in (self.tref, self.watch_tref):
            if tref is not None:
                tref.cancel()
        self.tref = self.watch_tref = None

    def _watch(self, settings: Settings, hostname: str, interval: float) -> None:
        if self.probe is None or self.events is None:
            return
        try:
            node = os.environ.get(NAME_ENV) or hostname  # the node name the heartbeats carry
            self.probe.set(keys.worker_loop_key(settings.prefix, node), round(time.time(), 3),
                           ex=ttl_seconds(interval))
            flush_client_counters(self.probe, settings.prefix)
        except RedisError as exc:
            log.warning("loop beat failed", extra={"fields": {"error": str(exc)}})
        self.events.tick()

    def _tick(self, settings: Settings, hostname: str) -> None:
        try:
            if self.redis is not None:
                sweep_once(self.redis, settings, hostname)
        except RedisError as exc:
            log.warning("sweep failed", extra={"fields": {"error": str(exc)}})
