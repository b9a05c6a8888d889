"""Limits the web face puts on callers: request body size (checked before anything parses the body) and
per-key request rates (fixed windows counted in Redis, so every API process shares them).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class FixedWindow:
    """A request-rate limit: at most ``limit`` requests per key in each ``seconds``-long window.

    :param limit: requests allowed per window.
    :param seconds: the window's length.
    """

    limit: int
    seconds: int = 1

    def window(self, now: float | None = None) -> int:
        """The number of the window ``now`` (default: the current time) falls in."""
        return int((time.time() if now is None else now) // self.seconds)

    def retry_after(self, now: float | None = None) -> int:
        """Whole seconds until the next window opens (at least 1): the ``Retry-After`` of a refused request."""
        now = time.time() if now is None else now
        return max(1, math.ceil((self.window(now) + 1) * self.seconds - now))


class BodyLimit:
    """Refuses a request whose body is larger than ``max_bytes`` with 413, before the application reads it: at
    once when its ``Content-Length`` says so; a body sent in chunks (no length) is read here first, up to the
    bound, and handed on whole, or refused as soon as it passes the bound.

    :param app: the application.
    :param max_bytes: the largest body accepted.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_bytes
            except ValueError:
                too_big = True
            if too_big:
                if length.isdigit() and int(length) <= DRAIN_FACTOR * self.max_bytes:
                    await _drain(receive)  # read and drop it: closing on an unread body resets the connection,
                    # and the client would see that instead of the 413
                await self._refuse(send)
                return
        elif b"transfer-encoding" in headers:  # chunked: read it here, within the bound
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.max_bytes:
                    await self._refuse(send)
                    return
                more = message.get("more_body", False)
            receive = _replay(b"".join(chunks), receive)
        await self.app(scope, receive, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": f"request body larger than {self.max_bytes} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


#: A body announced larger than the bound, but at most this many times it, is read and dropped before the 413,
#: so the client reads the refusal; a larger one is refused at once (its connection may then be reset).
DRAIN_FACTOR = 4


async def _drain(receive: Receive) -> None:
    """Read a request's body to its end (or the client's going away), keeping none of it."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the application ``body`` whole, then waits on the real one (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
