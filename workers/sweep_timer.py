"""A worker bootstep that runs the sweep on a timer: requeueing comments accepted but never decided
(:mod:`moderation.publishing.sweep` finds and requeues them).

Every worker runs the timer; a short Redis lock lets one of them sweep per interval.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import bootsteps
from redis import Redis
from redis.exceptions import RedisError

from moderation import keys
from moderation.publishing.sweep import requeue_undecided
from moderation.settings import Settings
from moderation.store.connection import redis_for

log = logging.getLogger("workers.sweep_timer")


def sweep_once(redis: Redis, settings: Settings, owner: str) -> int | None:
    """Sweep if no other worker did within the interval; returns how many were requeued (None: skipped)."""
    lock_ms = max(100, int(settings.sweep_interval_seconds * 900))
    if not redis.set(keys.sweep_lock_key(settings.prefix), owner, nx=True, px=lock_ms):
        return None
    result = requeue_undecided(redis, prefix=settings.prefix, queue=settings.queue,
                               older_than_seconds=settings.sweep_after_seconds, batch_size=settings.batch_size,
                               stream_maxlen=settings.stream_maxlen, refused_ttl_seconds=settings.decision_ttl_seconds)
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
        self.redis: Redis | None = None

    def start(self, parent: Any) -> None:
        """Schedule the sweep (on every consumer start, i.e. after each reconnection)."""
        settings: Settings = parent.app.conf.moderation_settings
        if self.redis is None:
            self.redis = redis_for(settings, decode_responses=True, health_check_interval=30)
        if self.tref is not None:
            self.tref.cancel()
        self.tref = parent.timer.call_repeatedly(settings.sweep_interval_seconds, self._tick,
                                                 (settings, parent.hostname), priority=10)

    def stop(self, parent: Any) -> None:
        """Cancel the scheduled sweep."""
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    def _tick(self, settings: Settings, hostname: str) -> None:
        try:
            if self.redis is not None:
                sweep_once(self.redis, settings, hostname)
        except RedisError as exc:
            log.warning("sweep failed", extra={"fields": {"error": str(exc)}})
