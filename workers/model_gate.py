"""A worker without a model takes no work: its consumer starts consuming only once a model can be served.

A consumer bootstep in the worker's main process. When the consumer starts (after the task consumer is
built, before the event loop begins to consume), it checks that the current model resolves and its bundle
verifies (:meth:`moderation.models.current.ModelStore.verify_current`: checksum, signature, format). If not,
it cancels the consumption of every task queue — the messages stay in Redis, untouched, for workers that
have a model — says so in the log, and checks again every half ``model_refresh_seconds``; as soon as a
model is there it consumes the queues again (Celery's own ``add_task_queue``, as ``celery control
add_consumer`` does). The pool processes meanwhile load the model themselves (their heartbeats say
``waiting`` until they do), and one that receives work without a model holds it (:mod:`workers.tasks`).

Why not take messages and put them back: the Redis transport would hand them straight back (a busy loop),
retrying would burn the attempts that lead to the dead-letter stream, and held messages would sit in one
worker's memory while another worker could serve them. Not consuming leaves them where every worker sees
them. Once a model has been served, the gate stays open: a later failure to load a promoted model keeps the
old one serving (hot reload), which needs no gate.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import bootsteps
from redis import Redis

from moderation.models.current import ModelStore
from moderation.settings import Settings
from moderation.store.connection import redis_for

log = logging.getLogger("workers.model_gate")

#: Timer ticks kept after the gate opens, so the event loop turns (and starts polling the queues) at once.
WAKE_TICKS = 3


def model_available(store: ModelStore) -> tuple[bool, str]:
    """Whether the current model can be served, and what was found (or why not).

    :param store: the worker's model store.
    """
    try:
        pointer = store.verify_current()
    except Exception as exc:  # no model, Redis down, a bundle that does not verify: not yet
        return False, f"{type(exc).__name__}: {exc}"
    return True, f"model {pointer.version} ({pointer.source})"


class ModelGate(bootsteps.StartStopStep):
    """Holds the worker's task queues unconsumed until a model can be served (see the module docstring)."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.open = False
        self.held: list[str] = []
        self.tref: Any = None
        self.store: ModelStore | None = None
        self.last_reason = ""
        self.ticks_open = 0

    def _store(self, settings: Settings) -> ModelStore:
        if self.store is None:
            redis: Redis = redis_for(settings, decode_responses=False, health_check_interval=30)
            self.store = ModelStore.from_settings(settings, redis)
        return self.store

    def start(self, parent: Any) -> None:
        """On every consumer start (also after a reconnection): consume only if a model can be served."""
        if self.open:
            return
        settings: Settings = parent.app.conf.moderation_settings
        ready, reason = model_available(self._store(settings))
        if ready:
            self.open = True
            return
        consumer = parent.task_consumer
        self.held = sorted(queue.name for queue in consumer.queues)
        for name in self.held:
            consumer.cancel_by_queue(name)  # not deselected: a reconnection's new consumer names them again
        self.last_reason = reason
        every = max(0.1, settings.model_refresh_seconds / 2)
        log.warning("no model to serve: not consuming %s until one is promoted (checking every %.1f s): %s",
                    ", ".join(self.held), every, reason)
        if self.tref is not None:
            self.tref.cancel()
        self.tref = parent.timer.call_repeatedly(every, self._check, (parent, settings), priority=10)

    def stop(self, parent: Any) -> None:
        """Cancel the pending check."""
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    def _check(self, parent: Any, settings: Settings) -> None:
        if self.open:
            # The event loop registers a new queue's BRPOP on its next turn, and with no timer due it may
            # sleep up to 10 s first: a few more ticks keep it turning until consuming has begun.
            self.ticks_open += 1
            if self.ticks_open >= WAKE_TICKS and self.tref is not None:
                self.tref.cancel()
                self.tref = None
            return
        ready, reason = model_available(self._store(settings))
        if not ready:
            if reason != self.last_reason:
                log.warning("still no model to serve: %s", reason)
                self.last_reason = reason
            return
        self.open = True
        for name in self.held:
            parent.add_task_queue(name)
        log.info("%s can be served: consuming %s", reason, ", ".join(self.held))
