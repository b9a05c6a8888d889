"""The batch task's base: celery-batches' ``Batches``, with its flush timer re-armed after a broker
reconnect, and partial batches held back while every pool process is busy.

**Re-arming.** ``Batches`` arms one repeating flush timer, on the consumer's event-loop timer, when the first
message of an empty buffer arrives, and keeps it in ``self._tref`` on the long-lived task instance. When the
broker connection is lost, Celery rebuilds the consumer (its timer is cleared) and calls ``Strategy`` again,
but ``_tref`` still points at the dead timer, so it is never armed again: from then on a batch is flushed only
when ``flush_every`` messages have come in. With fewer messages than that in flight (the prefetch limit,
acknowledgements lost in the reconnect), the worker holds its messages and moderates nothing, which we saw
as a 100 s stall after a Redis restart. Reported upstream as clokep/celery-batches#107 (fixed by #108, not in
a release as of 0.11); drop that part once a release has it.

**Refusing.** An error raised while a message is taken into the buffer (a message of a shape
:mod:`workers.shape` did not foresee) is turned into ``InvalidTaskError``: dead-lettered, never fatal.

**Holding back.** Every ``flush_interval`` the buffer goes to the pool as one batch. Under heavy traffic of
one comment per message, that sent a stream of tiny batches to processes that were all busy, each batch then
paying its fixed cost (Redis round trips, the model's per-call overhead) for one or two comments, and the
workers fell behind from about 750 submissions a second. Now, while every pool process has a batch, a
partial batch keeps gathering (at most :attr:`ModerationBatches.max_hold_seconds`): the next free process
gets one bigger batch. With a free process, nothing changes: a lone comment still waits at most
``flush_interval``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from celery_batches import Batches


class ModerationBatches(Batches):
    """:class:`celery_batches.Batches`, re-arming its flush timer on each consumer start and holding partial
    batches back while the pool is busy (see the module docstring)."""

    abstract = True
    #: A partial batch is held back for a busy pool at most this long.
    max_hold_seconds = 0.03

    def Strategy(self, task: Any, app: Any, consumer: Any) -> Callable[..., None]:
        """Forget the previous consumer's flush timer, then build the message handler as ``Batches`` does.

        :param task: the task.
        :param app: the Celery app.
        :param consumer: the consumer being started.
        """
        stale: Any = getattr(self, "_tref", None)
        if stale is not None:
            stale.cancel()
            self._tref = None
        self._held_since: float | None = None
        handler: Callable[..., None] = super().Strategy(task, app, consumer)
        return refusing_malformed(handler)

    def _do_flush(self) -> None:
        if not self._buffer.empty() and pool_is_busy(self._pool):
            now = time.monotonic()
            since = getattr(self, "_held_since", None)
            if since is None:
                self._held_since = since = now
            if now - since < self.max_hold_seconds:
                return  # the timer fires again in flush_interval
        self._held_since = None
        super()._do_flush()


def refusing_malformed(handler: Callable[..., None]) -> Callable[..., None]:
    """``handler`` (the strategy's message handler), turning any error it raises on a message into
    ``InvalidTaskError``, which the consumer dead-letters and rejects (:mod:`workers.poison`).

    :mod:`workers.shape` refuses the malformed messages it knows of before they get here; this is the net for
    those it does not: an error raised here, in the worker's event loop, would otherwise stop the worker, and
    the message, returned to the queue, would stop every worker that takes it next.

    :param handler: the message handler built by ``Batches.Strategy``.
    """
    from celery.exceptions import InvalidTaskError
    from kombu.exceptions import ContentDisallowed, DecodeError

    def guarded(message: Any, body: Any, ack: Any, reject: Any, callbacks: Any, **kw: Any) -> None:
        try:
            handler(message, body, ack, reject, callbacks, **kw)
        except (InvalidTaskError, ContentDisallowed, DecodeError):
            raise
        except Exception as exc:
            raise InvalidTaskError(f"malformed task message: {type(exc).__name__}: {exc}"[:500]) from exc

    return guarded


def pool_is_busy(pool: Any) -> bool:
    """Whether every process of a Celery prefork pool has a batch (sent or waiting to be sent).

    :param pool: the worker's pool (``consumer.pool``); any other kind of pool counts as never busy.
    """
    processes = getattr(pool, "num_processes", None)
    outstanding = getattr(getattr(pool, "_pool", None), "_cache", None)
    if not isinstance(processes, int) or processes < 1 or outstanding is None:
        return False
    return len(outstanding) >= processes
