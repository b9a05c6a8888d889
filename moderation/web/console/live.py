"""Live updates: decisions announced on the pub/sub channel, fanned out to every open console page.

One thread per console process subscribes to ``keys.decisions_channel`` (the channel every worker and every
verdict publishes to) and hands each announcement to the pages listening, as server-sent events
(:func:`sse_event`). A page marks a comment another moderator decided, and offers to show newly held ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from redis import Redis

from moderation import keys
from moderation.web.announcements import ChannelSubscriber

#: A page that falls this far behind is sent no more events (its queue would grow without bound).
MAX_BACKLOG = 1000
KEEPALIVE_SECONDS = 15.0
#: How often an open stream asks whether its session still stands.
SESSION_CHECK_SECONDS = 1.0


def announcement(raw: str) -> dict[str, Any] | None:
    """What a page needs of one published decision: the comment, the outcome, and who decided it and why."""
    try:
        record = json.loads(raw)
        reasons = record.get("reasons") or [{}]
        return {"comment_id": str(record["comment_id"]), "decision": str(record["decision"]),
                "site": record.get("site"), "ref": keys.comment_ref(record.get("site"), str(record["comment_id"])),
                "revision": int(record.get("revision") or 1), "note": str(reasons[0].get("message", "")),
                "by_moderator": str(reasons[0].get("code", "")).startswith("moderator.")}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def sse_event(event: str, data: dict[str, Any]) -> str:
    """One server-sent event (JSON data on one line)."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=True)}\n\n"


class LiveFeed(ChannelSubscriber):
    """Subscribes once to the decision channel and fans each announcement out to the listening pages.

    :param redis: the connection to subscribe with.
    :param prefix: the key prefix.
    """

    def __init__(self, redis: Redis, prefix: str) -> None:
        super().__init__(redis, prefix, name="console-live-feed")
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]] = set()
        self._lock = threading.Lock()

    def handle(self, raw: str) -> None:
        """Fan one announcement out to the pages listening."""
        data = announcement(raw)
        if data is not None:
            self._fan_out(data)

    def _fan_out(self, data: dict[str, Any]) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for loop, queue in listeners:
            with contextlib.suppress(RuntimeError):  # that page's loop is gone
                loop.call_soon_threadsafe(self._put, queue, data)

    @staticmethod
    def _put(queue: asyncio.Queue[dict[str, Any]], data: dict[str, Any]) -> None:
        if queue.qsize() < MAX_BACKLOG:
            queue.put_nowait(data)

    async def events(self, alive: Callable[[], Awaitable[bool]] | None = None) -> AsyncIterator[str]:
        """The server-sent events for one page, until it goes away (a keep-alive comment every 15 s) or
        ``alive`` says its session has ended (asked at least every :data:`SESSION_CHECK_SECONDS`, and before
        each event once that long has passed): a removed account, a changed password or role stop the stream.

        :param alive: whether the page's session still stands.
        """
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        listener = (loop, queue)
        with self._lock:
            self._listeners.add(listener)
        wait = SESSION_CHECK_SECONDS if alive is not None else KEEPALIVE_SECONDS
        checked = kept_alive = loop.time()
        try:
            yield ": connected\n\n"
            while True:
                data: dict[str, Any] | None
                try:
                    data = await asyncio.wait_for(queue.get(), timeout=wait)
                except TimeoutError:
                    data = None
                if alive is not None and loop.time() - checked >= SESSION_CHECK_SECONDS:
                    if not await alive():
                        return
                    checked = loop.time()
                if data is not None:
                    yield sse_event("decided", data)
                elif loop.time() - kept_alive >= KEEPALIVE_SECONDS:
                    kept_alive = loop.time()
                    yield ": keep-alive\n\n"
        finally:
            with self._lock:
                self._listeners.discard(listener)
