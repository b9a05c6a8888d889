"""celery-batches' ``Batches`` task base, with its flush timer re-armed after a broker reconnect.

``Batches`` arms one repeating flush timer, on the consumer's event-loop timer, when the first message of
an empty buffer arrives, and keeps it in ``self._tref`` on the long-lived task instance. When the broker
connection is lost, Celery rebuilds the consumer (its timer is cleared) and calls ``Strategy`` again, but
``_tref`` still points at the dead timer, so it is never armed again: from then on a batch is flushed only
when ``flush_every`` messages have come in. With fewer messages than that in flight (the prefetch limit,
acknowledgements lost in the reconnect), the worker holds its messages and moderates nothing, which we saw
as a 100 s stall after a Redis restart. Reported upstream as clokep/celery-batches#107 (fixed by #108,
not in a release as of 0.11); drop this module once a release has it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery_batches import Batches


class ReconnectSafeBatches(Batches):
    """:class:`celery_batches.Batches` whose flush timer is re-armed each time the consumer (re)starts."""

    abstract = True

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
        handler: Callable[..., None] = super().Strategy(task, app, consumer)
        return handler
