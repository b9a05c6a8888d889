"""Messages the worker cannot even decode go to the dead-letter stream, never silently away.

Celery acknowledges and drops a message whose body cannot be decoded, and rejects (drops) one with a
content type it does not accept (pickle: the app accepts JSON only) or naming an unknown task, logging the
body. This consumer class (the app's ``worker_consumer``) does the same but first records each such message
in the dead-letter stream with the error, and logs only the error and the message's id (a body may hold
emails or IP addresses). Raw garbage that is not even a kombu envelope is caught by
:mod:`workers.transport` and recorded the same way.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

from celery.worker.consumer import Consumer
from redis import Redis
from redis.exceptions import RedisError

from moderation import keys
from moderation.settings import Settings, load_settings
from moderation.store.connection import redis_for
from workers import transport

log = logging.getLogger("workers.poison")

#: The most characters of an undecodable body kept in its dead letter.
MAX_BODY_CHARS = 60_000

_redis: dict[str, Redis] = {}


def _connection(settings: Settings) -> Redis:
    # Through the one connection module, so a ``redis+sentinel://`` URL reaches the master as everywhere else.
    if settings.redis_url not in _redis:
        _redis[settings.redis_url] = redis_for(settings, decode_responses=True, health_check_interval=30)
    return _redis[settings.redis_url]


def body_text(body: Any) -> str:
    """A message body as text for a dead letter: UTF-8 if it is, else ``base64:`` and its base64.

    Nothing here deserializes the body (a pickle is never loaded).

    :param body: the raw body (bytes or str).
    """
    if isinstance(body, str):
        return body[:MAX_BODY_CHARS]
    raw = bytes(body or b"")
    try:
        return raw.decode("utf-8")[:MAX_BODY_CHARS]
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(raw).decode("ascii")[:MAX_BODY_CHARS]


def dead_letter_message(settings: Settings, *, error: str, body: Any, content_type: str | None = None,
                        headers: Any = None) -> None:
    """Record an undecodable message in the dead-letter stream (with ``kind`` ``message``).

    :param settings: prefix, stream bound and the Redis URL.
    :param error: why it could not be handled.
    :param body: the raw body, or the whole raw message.
    :param content_type: the message's declared content type, if known.
    :param headers: the message's headers, if known (only ``id`` and ``task`` are kept).
    """
    kept = {k: headers.get(k) for k in ("id", "task")} if isinstance(headers, dict) else {}
    payload = {"content_type": content_type, "headers": kept, "body": body_text(body)}
    _connection(settings).xadd(keys.dead_letter_stream(settings.prefix), {
        "comment_id": "",
        "kind": "message",
        "error": error[:2000],
        "attempts": 1,
        "payload": json.dumps(payload, ensure_ascii=False),
    }, maxlen=settings.stream_maxlen, approximate=True)
    log.error("dead-lettered an undecodable message", extra={"fields": {
        "error": error[:200], "content_type": content_type, "message_id": kept.get("id")}})


def _garbage_error(message: Any) -> str | None:
    if getattr(message, "content_type", None) != transport.GARBAGE_TYPE:
        return None
    headers = getattr(message, "headers", None) or {}
    return str(headers.get(transport.ERROR_HEADER, "not a message envelope"))


def _describe(exc: BaseException | None, default: str) -> str:
    return f"{type(exc).__name__}: {exc}" if exc is not None else default


class DeadLetteringConsumer(Consumer):
    """Celery's consumer, recording every message it would drop in the dead-letter stream first.

    When the dead letter cannot be written (Redis unreachable), the message is neither acknowledged nor
    rejected: it stays in the broker's unacknowledged set and is delivered again after the visibility timeout.
    """

    def _record(self, message: Any, error: str) -> bool:
        settings: Settings = self.app.conf.moderation_settings
        try:
            dead_letter_message(settings, error=error, body=getattr(message, "body", None),
                                content_type=getattr(message, "content_type", None),
                                headers=getattr(message, "headers", None))
        except RedisError as exc:
            log.error("could not dead-letter a message; it will be delivered again",
                      extra={"fields": {"error": str(exc)}})
            return False
        return True

    def on_decode_error(self, message: Any, exc: Exception) -> None:
        """A body that cannot be decoded: dead-letter it, then acknowledge it (as Celery does)."""
        error = _garbage_error(message) or f"undecodable message: {_describe(exc, 'decode error')}"
        if self._record(message, error):
            message.ack()

    def on_invalid_task(self, body: Any, message: Any, exc: Exception) -> None:
        """A refused content type (pickle) or a malformed task message: dead-letter it, then reject it."""
        if self._record(message, f"refused message: {_describe(exc, 'invalid task')}"):
            message.reject_log_error(log, self.connection_errors)

    def on_unknown_message(self, body: Any, message: Any) -> None:
        """A message that is not a task message: dead-letter it, then reject it."""
        if self._record(message, "not a task message"):
            message.reject_log_error(log, self.connection_errors)

    def on_unknown_task(self, body: Any, message: Any, exc: Exception) -> None:
        """A message naming a task this worker does not have: dead-letter it, then reject it."""
        name = (getattr(message, "headers", None) or {}).get("task")
        if self._record(message, f"unknown task {name!r}"):
            message.reject_log_error(log, self.connection_errors)


transport.install(load_settings().queue)
