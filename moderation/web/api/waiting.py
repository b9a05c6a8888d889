"""Long polls: ``GET /v1/decisions/{id}?wait=S`` waits for a decision without holding a thread or a Redis
connection per request.

One thread per API process subscribes to the decision channel (every publication is announced there) and
wakes the requests waiting for that comment id; each then reads the stored decision again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections import defaultdict
from collections.abc import Iterator

from redis import Redis

from moderation.web.announcements import ChannelSubscriber


class DecisionWaiter(ChannelSubscriber):
    """Wakes the requests waiting for a comment's decision when one is announced.

    :param redis: the connection to subscribe with.
    :param prefix: the key prefix.
    """

    def __init__(self, redis: Redis, prefix: str) -> None:
        super().__init__(redis, prefix, name="api-decision-waiter")
        self._waiting: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = defaultdict(set)
        self._lock = threading.Lock()

    def handle(self, raw: str) -> None:
        """Wake the requests waiting for the announced comment."""
        self._wake(raw)

    def _wake(self, raw: str) -> None:
        try:
            comment_id = str(json.loads(raw)["comment_id"])
        except (ValueError, KeyError, TypeError):
            return
        with self._lock:
            waiters = self._waiting.pop(comment_id, set())
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # that request's loop is gone
                loop.call_soon_threadsafe(event.set)

    @contextlib.contextmanager
    def watch(self, comment_id: str) -> Iterator[asyncio.Event]:
        """Register interest in ``comment_id`` (before reading the stored decision, so one published meanwhile
        is not missed); the event is set when a decision of it is announced.

        Use as ``with waiter.watch(id) as event: ... await asyncio.wait_for(event.wait(), timeout)``.
        """
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiting[comment_id].add(entry)
        try:
            yield entry[1]
        finally:
            with self._lock:
                waiters = self._waiting.get(comment_id)
                if waiters is not None:
                    waiters.discard(entry)
                    if not waiters:
                        del self._waiting[comment_id]
