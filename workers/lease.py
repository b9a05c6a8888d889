"""Leases on unacknowledged messages: a worker that dies hands its messages to the living within seconds.

kombu's Redis transport keeps every delivered, unacknowledged message in the hash ``unacked`` (delivery tag
-> message) and the sorted set ``unacked_index`` (delivery tag -> time of delivery). Every worker runs
``restore_visible``, which puts back on its queue each message delivered more than ``visibility_timeout``
ago. That timestamp is written once, at delivery, so the timeout has to exceed the longest time a living
worker may hold a message (prefetched, batched, retried with a countdown), and a dead worker's messages wait
that long: minutes.

Here the timestamp becomes a lease. :class:`LeaseStep` runs on the worker's event loop (its main process, the
one that holds the messages) and, every :func:`renew_interval` seconds, sets the ``unacked_index`` time of
every message it still holds to now (``ZADD XX``: an acknowledged message is never put back). The messages of
a living worker therefore never look older than a few seconds, and ``visibility_timeout_seconds`` can be
short (15 s by default): it only expires for a worker that stopped renewing, i.e. that died or hung. The
same step makes ``restore_visible`` scan that often (kombu scans only every ``unacked_restore_interval`` x
``unacked_restore_throttle`` seconds, 100 s by default). A process killed with SIGKILL thus has its
messages back on the queue within ``visibility_timeout_seconds`` + one interval, and taken by another worker.

This is the per-message form of the heartbeats of :mod:`workers.heartbeat`: kombu's keys do not say which
worker holds which message, and the holder renewing its own leases needs no such bookkeeping. A worker that
only stalled longer than the timeout gets its messages redelivered to others: publishing once per comment
(:mod:`moderation.publishing.publish`) makes that extra work, never a second decision.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import bootsteps

log = logging.getLogger("workers.lease")


def renew_interval(visibility_timeout: float) -> float:
    """Seconds between lease renewals (and restore scans): a quarter of the timeout, within 0.5-5 s.

    :param visibility_timeout: the ``visibility_timeout_seconds`` setting.
    """
    return max(0.5, min(5.0, visibility_timeout / 4))


def transport_options(visibility_timeout: int) -> dict[str, Any]:
    """kombu Redis transport options for leases: the timeout, ``restore_visible`` scanning every interval, and
    the scan's mutex expiring after the timeout.

    :param visibility_timeout: the ``visibility_timeout_seconds`` setting.
    """
    # The scan's mutex expires after the timeout too (kombu: 300 s): a worker killed while it held the mutex
    # must not stop every scan for minutes.
    return {"visibility_timeout": visibility_timeout, "unacked_mutex_expire": visibility_timeout,
            "unacked_restore_interval": renew_interval(visibility_timeout), "unacked_restore_throttle": 1}


def held_tags(qos: Any) -> list[str]:
    """The delivery tags a kombu virtual ``QoS`` holds unacknowledged (delivered, not yet acked/rejected).

    :param qos: the channel's ``QoS`` (``channel.qos``).
    """
    dirty = qos._dirty
    return [tag for tag in list(qos._delivered) if tag not in dirty]


def renew(channel: Any, now: float | None = None) -> int:
    """Renew the leases of every message ``channel`` holds: their ``unacked_index`` time becomes ``now``.

    :param channel: a kombu Redis ``Channel`` (the task consumer's).
    :param now: the time to write (``time.time()`` by default).
    :returns: how many messages were held.
    """
    tags = held_tags(channel.qos)
    if tags:
        stamp = time.time() if now is None else now
        with channel.conn_or_acquire() as client:
            client.zadd(channel.unacked_index_key, dict.fromkeys(tags, stamp), xx=True)
    return len(tags)


class LeaseStep(bootsteps.StartStopStep):
    """A consumer step renewing the leases of the messages this worker holds, every :func:`renew_interval`.

    A consumer step, as :class:`workers.sweep_timer.SweepStep`: rescheduled on each consumer start (after a broker
    reconnection), and it runs in the event loop that owns the channel.
    """

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.tref: Any = None

    def start(self, parent: Any) -> None:
        """Schedule the renewal on the consumer's timer."""
        if self.tref is not None:
            self.tref.cancel()
        interval = renew_interval(parent.app.conf.moderation_settings.visibility_timeout_seconds)
        self.tref = parent.timer.call_repeatedly(interval, self._tick, (parent,), priority=5)

    def stop(self, parent: Any) -> None:
        """Cancel the renewal."""
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    def _tick(self, parent: Any) -> None:
        consumer = getattr(parent, "task_consumer", None)
        channel = getattr(consumer, "channel", None)
        if channel is None or not hasattr(channel, "unacked_index_key"):
            return
        try:
            renew(channel)
        except Exception as exc:  # a broker error: the next tick tries again; the consumer reconnects on its own
            log.warning("could not renew message leases", extra={"fields": {"error": f"{type(exc).__name__}: {exc}"}})
