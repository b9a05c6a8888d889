"""After a Redis event (a restart, a Sentinel failover), comments in flight are decided in seconds, not minutes.

A failover can lose the last writes of the old primary: a message popped from the queue whose entry in
kombu's unacknowledged set never reached the replica is then in no queue and no lease, and only the sweep
(``sweep_after_seconds``, minutes) would find it. :class:`EventRequeue` notices the event, as the primary's
``run_id`` changing or a probe failing, and one lease interval after it queues again every comment accepted
before the event and still undecided (:func:`moderation.publishing.sweep.requeue_undecided` with the event as
the deadline). Publishing once per comment makes a comment merely slow cost extra work, never a second
decision; the work is bounded by what was undecided at the event (at most ``limit`` comments, oldest first).

Workers run it on their event loop (:mod:`workers.sweep_timer`); it needs only redis-py.
"""

from __future__ import annotations

import logging
import time

from redis import Redis
from redis.exceptions import RedisError

from moderation import keys
from moderation.publishing.sweep import requeue_undecided

log = logging.getLogger("moderation.publishing.event_requeue")


class EventRequeue:
    """Watches the primary for events and requeues what was in flight at one.

    :param redis: a connection that fails fast (no long retry: it is probed from an event loop).
    :param prefix: the key prefix.
    :param queue: the queue to requeue onto.
    :param delay: seconds after noticing an event before requeueing (one lease interval: messages a living
        worker holds are decided or renewed by then).
    :param batch_size: comments per requeued message.
    :param limit: the most comments requeued for one event.
    """

    def __init__(self, redis: Redis, *, prefix: str, queue: str, delay: float, batch_size: int = 100,
                 limit: int = 1000) -> None:
        self.redis = redis
        self.prefix = prefix
        self.queue = queue
        self.delay = delay
        self.batch_size = batch_size
        self.limit = limit
        self.run_id: str | None = None
        #: When the event being handled was noticed (ms since the epoch), None when there is none.
        self.event_ms: int | None = None
        self._due = 0.0

    def tick(self) -> int | None:
        """Probe the primary; requeue when an event's delay has passed. Never raises.

        :returns: comments requeued for an event, or None when nothing was due.
        """
        try:
            run_id = str(self.redis.info("server")["run_id"])
        except RedisError:
            self._notice()
            return None
        if self.run_id is not None and run_id != self.run_id:
            self._notice()
        self.run_id = run_id
        if self.event_ms is None or time.monotonic() < self._due:
            return None
        try:
            requeued = self._requeue(self.event_ms)
        except RedisError as exc:  # the event is kept: the next tick tries again
            log.warning("requeue after a Redis event failed; trying again", extra={"fields": {"error": str(exc)}})
            return None
        self.event_ms = None
        return requeued

    def _notice(self) -> None:
        if self.event_ms is None:
            self.event_ms = time.time_ns() // 1_000_000
        self._due = time.monotonic() + self.delay  # counted from the last sign of the event

    def _requeue(self, event_ms: int) -> int:
        lock = self.redis.set(keys.redis_event_lock_key(self.prefix), "1", nx=True, px=int(self.delay * 1000) + 1)
        if not lock:
            return 0
        older_than = max(0.0, (time.time_ns() // 1_000_000 - event_ms) / 1000)
        result = requeue_undecided(self.redis, prefix=self.prefix, queue=self.queue, older_than_seconds=older_than,
                                   limit=self.limit, batch_size=self.batch_size)
        self.redis.hincrby(keys.metrics_key(self.prefix), "events:redis", 1)
        if result.requeued:
            self.redis.hincrby(keys.metrics_key(self.prefix), "requeued:event", result.requeued)
        log.warning("requeued the comments in flight at a Redis event", extra={"fields": {
            "requeued": result.requeued, "cleaned": result.cleaned}})
        return result.requeued
