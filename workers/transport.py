"""Raw garbage on the queue list becomes a message the consumer dead-letters, instead of killing the worker.

kombu's Redis transport parses each item it pops from a queue list as a JSON envelope; an item that is not
one (``LPUSH moderation 'garbage'``) raises inside the consumer's event loop and stops the worker, after the
item was already popped: the worker dies and the input is gone without a trace. :func:`install` makes the
two methods that pop queue items (``_brpop_read`` and ``_get``) turn such an item into a well-formed
envelope of content type :data:`GARBAGE_TYPE` carrying the raw item; Celery refuses that content type,
and :class:`workers.poison.DeadLetteringConsumer` records it in the dead-letter stream. An envelope whose task
body has the wrong shape, size or depth (:func:`workers.shape.check_envelope`) is turned into one the same way,
here, before the main process unpacks or pickles anything of it.

kombu has no hook for this, so :func:`install` wraps those two methods and the ``loads`` they call (only
while they run), in the worker process only (``workers.poison`` is imported by the worker when it resolves
its consumer class).
"""

from __future__ import annotations

import base64
import binascii
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from workers.shape import Refused, check_envelope

log = logging.getLogger("workers.transport")

#: Content type of the envelope standing in for an item that was not a message.
GARBAGE_TYPE = "application/x-moderation-not-a-message"
#: Header carrying why the item was not a message.
ERROR_HEADER = "x-moderation-error"

_state = threading.local()
_installed = False


def wrap_garbage(raw: str, error: str, queue: str = "") -> dict[str, Any]:
    """A kombu envelope carrying ``raw`` (an item that was not a message) and why.

    :param raw: the item as popped from the list.
    :param error: why it is not a message.
    :param queue: the queue it came from (its routing key).
    """
    return {
        "body": base64.b64encode(raw.encode("utf-8", "surrogateescape")).decode("ascii"),
        "content-encoding": "binary",
        "content-type": GARBAGE_TYPE,
        "headers": {ERROR_HEADER: error[:500]},
        "properties": {"delivery_tag": str(uuid.uuid4()), "body_encoding": "base64", "priority": 0,
                       "delivery_info": {"exchange": "", "routing_key": queue}},
    }


def envelope_problem(item: Any) -> str | None:
    """Why a parsed queue item is not a kombu envelope the consumer can take, or None if it is one."""
    if not isinstance(item, dict):
        return f"not a message envelope (a JSON {type(item).__name__})"
    properties = item.get("properties")
    if not isinstance(properties, dict) or not isinstance(properties.get("delivery_tag"), str):
        return "not a message envelope (no properties.delivery_tag)"
    if not isinstance(properties.get("delivery_info", {}), dict):
        return "not a message envelope (bad properties.delivery_info)"
    body = item.get("body")
    if body is not None and not isinstance(body, str):
        return "not a message envelope (body is not a string)"
    if body and properties.get("body_encoding") == "base64":
        try:
            base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return "not a message envelope (body is not valid base64)"
    if not isinstance(item.get("headers", {}), dict):
        return "not a message envelope (headers is not an object)"
    return None


def safe_loads(original: Callable[[Any], Any], queue: str) -> Callable[[Any], Any]:
    """``original`` (kombu's ``loads``), turning what is not an envelope into :func:`wrap_garbage`'s for the
    first call made while a queue item is being read (that item); otherwise unchanged."""

    def loads(text: Any, *args: Any, **kwargs: Any) -> Any:
        if not getattr(_state, "reading", False):
            return original(text, *args, **kwargs)
        # Only the first call is the popped item: the message is then delivered from inside the same method,
        # and what that does (a reject restoring an unacknowledged message) must parse as usual.
        _state.reading = False
        raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        try:
            item = original(text, *args, **kwargs)
        except Exception as exc:  # any parse error: the item is garbage
            return wrap_garbage(raw, f"not JSON: {type(exc).__name__}: {exc}", queue)
        problem = envelope_problem(item)
        if problem:
            return wrap_garbage(raw, problem, queue)
        try:
            return check_envelope(item).envelope
        except Refused as exc:
            return wrap_garbage(raw, f"refused message: {exc}", queue)

    loads.__wrapped__ = original  # type: ignore[attr-defined]
    return loads


def _reading(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _state.reading = True
        try:
            return method(*args, **kwargs)
        finally:
            _state.reading = False

    wrapper.__wrapped__ = method  # type: ignore[attr-defined]
    return wrapper


def _tolerant_ack(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` (kombu's Redis ``QoS.ack``/``reject``), not raising when the broker connection is gone.

    A task finishing while the worker reconnects to a restarted Redis acknowledges on a closed channel, and
    kombu then raises ``AttributeError`` inside the event loop, which stops the worker ("Unrecoverable
    error"). Swallowed here, the message stays in kombu's unacknowledged set, is delivered again after the
    visibility timeout, and its comments, already decided, are skipped: nothing is lost or decided twice.
    """

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except (AttributeError, OSError, RedisConnectionError, RedisTimeoutError) as exc:
            log.warning("acknowledgement lost in a broker reconnect; the message will be redelivered",
                        extra={"fields": {"error": f"{type(exc).__name__}: {exc}"[:200]}})
            return None

    wrapper.__wrapped__ = method  # type: ignore[attr-defined]
    return wrapper


def install(queue: str = "") -> None:
    """Make kombu's Redis transport hand garbage to the consumer as :data:`GARBAGE_TYPE` messages (idempotent).

    :param queue: the routing key given to such messages (the worker's queue).
    """
    global _installed
    if _installed:
        return
    from kombu.transport import redis as transport

    setattr(transport, "loads", safe_loads(transport.loads, queue))  # noqa: B010
    setattr(transport.Channel, "_brpop_read", _reading(transport.Channel._brpop_read))  # noqa: B010
    setattr(transport.Channel, "_get", _reading(transport.Channel._get))  # noqa: B010
    setattr(transport.QoS, "ack", _tolerant_ack(transport.QoS.ack))  # noqa: B010
    setattr(transport.QoS, "reject", _tolerant_ack(transport.QoS.reject))  # noqa: B010
    _installed = True
