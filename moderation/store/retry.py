"""One bounded retry policy for every Redis user: a total time that is documented and true.

redis-py applies a connection's ``Retry`` twice, nested: around each command, and again around the
(re)connection the command makes. A policy of N attempts over S seconds thus costs up to N x S when the
server stays away (a failover with the old primary's address cached, or Sentinels still naming it): the
client froze for 20 minutes behind a "30 s" policy. :class:`BoundedRetry` is a redis-py ``Retry`` that
counts wall-clock time, not attempts, and retries only at the outermost level: a call nested in another
on the same thread (the connect inside a command) is tried once and its failure handed to the outer call,
which disconnects and tries again, so every attempt reconnects afresh and, through Sentinel, asks the
Sentinels for the primary again (:mod:`moderation.store.connection`).

Besides lost connections and timeouts it retries the replies of a Redis in the middle of an event:
``NOREPLICAS`` (a primary without a replica in sync refuses writes, see ``config/redis/node.conf``),
``READONLY`` (a demoted primary), ``MASTERDOWN``, ``LOADING`` and ``TRYAGAIN``; the failed connection is
dropped first, so the next attempt goes to whichever node the Sentinels name then.

Every retry and every reconnection is counted in :data:`COUNTERS` (read by the metrics of the process).
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

T = TypeVar("T")

#: Replies of a Redis in the middle of a failover or restart: retried like a lost connection.
TRANSIENT_REPLIES = ("NOREPLICAS", "READONLY", "MASTERDOWN", "LOADING", "TRYAGAIN")
#: ``retries`` reported to redis-py (which reads it for its own statistics only; the deadline rules).
NOMINAL_RETRIES = 1000
#: Per-process counts: ``retries`` (attempts made again after an error), ``reconnects`` (of those, after a lost
#: connection), ``gave_up`` (calls that ran out of time), ``errors`` (errors seen, retried or not).
COUNTERS: Counter[str] = Counter()

_nesting = threading.local()


def transient(error: BaseException) -> bool:
    """Whether ``error`` is worth another attempt: a lost connection, a timeout, or a transient reply (also
    wrapped in a script's error: ``ERR Error running script ... -READONLY ...``, and ``WAIT`` refused by a
    replica), all of which mean the connection is on a node that is no longer, or not yet, the primary."""
    if isinstance(error, ResponseError):
        text = str(error)
        return (text.split(" ", 1)[0] in TRANSIENT_REPLIES or "cannot be used with replica" in text
                or any(f"-{reply} " in text or f": {reply} " in text for reply in TRANSIENT_REPLIES))
    return isinstance(error, RedisConnectionError | RedisTimeoutError | socket.timeout | ConnectionError)


class BoundedRetry(Retry):
    """A redis-py ``Retry`` that keeps trying for ``seconds`` of wall clock in all, whatever the nesting.

    :param seconds: the whole budget of one call (0: no retry).
    :param cap: the longest pause between attempts.
    :param base: the first pause (doubling up to ``cap``).
    """

    def __init__(self, seconds: float, *, cap: float = 1.0, base: float = 0.05) -> None:
        super().__init__(ExponentialBackoff(cap=cap, base=base), NOMINAL_RETRIES if seconds > 0 else 0,
                         supported_errors=(RedisConnectionError, RedisTimeoutError, socket.timeout,
                                           ConnectionError, ResponseError))
        self.seconds = seconds

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, BoundedRetry) and other.seconds == self.seconds and super().__eq__(other)

    __hash__ = Retry.__hash__

    def call_with_retry(self, do: Callable[[], T], fail: Callable[..., Any],
                        is_retryable: Callable[[Exception], bool] | None = None,
                        with_failure_count: bool = False) -> T:
        """Call ``do`` until it succeeds, an error is not transient, or the budget is spent (then raise).

        :param do: the operation.
        :param fail: called with each retried error (and the failure count with ``with_failure_count``).
        :param is_retryable: a further check redis-py may pass.
        :param with_failure_count: pass the failure count to ``fail``.
        """
        if getattr(_nesting, "active", False):
            return do()  # the outer call retries, reconnecting afresh
        _nesting.active = True
        try:
            return self._outermost(do, fail, is_retryable, with_failure_count)
        finally:
            _nesting.active = False

    def _outermost(self, do: Callable[[], T], fail: Callable[..., Any],
                   is_retryable: Callable[[Exception], bool] | None, with_failure_count: bool) -> T:
        self._backoff.reset()
        deadline = time.monotonic() + self.seconds
        failures = 0
        while True:
            try:
                return do()
            except self._supported_errors as error:
                COUNTERS["errors"] += 1
                if not transient(error) or (is_retryable is not None and not is_retryable(error)):
                    if not isinstance(error, ResponseError):
                        _call(fail, error, failures + 1, with_failure_count)
                    raise
                failures += 1
                _call(fail, error, failures, with_failure_count)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    COUNTERS["gave_up"] += 1
                    raise
                COUNTERS["retries"] += 1
                if not isinstance(error, ResponseError):
                    COUNTERS["reconnects"] += 1  # the failed connection was dropped: the next attempt reconnects
                time.sleep(min(self._backoff.compute(failures), remaining))


def _call(fail: Callable[..., Any], error: Exception, failures: int, with_failure_count: bool) -> None:
    if with_failure_count:
        fail(error, failures)
    else:
        fail(error)


def bounded_retry(seconds: float) -> BoundedRetry:
    """The project's retry policy for ``seconds`` in all (the ``client_retry_seconds`` setting)."""
    return BoundedRetry(seconds)
