"""The webhook deliverer (``moderation webhooks deliver``): a process of its own beside the workers, so a slow
or absent receiver never slows moderation.

One loop reads new decisions (:meth:`DeliveryQueue.ingest`) and due retries (:meth:`DeliveryQueue.take`) and
hands each delivery to a pool of ``webhook_concurrency`` threads, which POST it (:func:`post`, standard
library HTTP, ``webhook_timeout_seconds`` per attempt). A 2xx answer ends it; anything else (refused
connection, timeout, any other status) is retried after a pause that doubles from 0.5 s up to
``webhook_backoff_max_seconds``, for ``webhook_retry_seconds`` after the decision, then dead-lettered. Any
number of deliverers may run: a delivery is taken by one at a time, and one whose deliverer died is taken
again when its lease runs out (so a receiver may see a delivery twice, with the same idempotency key).
"""

from __future__ import annotations

import http.client
import logging
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from redis import Redis

from moderation.publishing.webhook_queue import Delivery, DeliveryQueue, backoff
from moderation.publishing.webhooks import SIGNATURE_HEADER, Webhook, Webhooks, signature
from moderation.settings import Settings

log = logging.getLogger(__name__)
USER_AGENT = "moderation-webhooks/1"
#: How often the registrations (URLs, secrets) are read again, and entries another deliverer left are taken over.
HOOKS_REFRESH_SECONDS = 1.0
RECLAIM_SECONDS = 10.0


def now_ms() -> int:
    """Milliseconds since the epoch."""
    return time.time_ns() // 1_000_000


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """POST ``body`` to ``url``.

    :returns: the status (None when there was no answer) and, when it failed, why.
    """
    parts = urlsplit(url)
    conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_class(parts.hostname or "", parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("POST", path, body=body, headers={**headers, "Content-Length": str(len(body))})
        response = conn.getresponse()
        response.read(65536)
        status = response.status
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    finally:
        conn.close()
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


def signed_headers(hook: Webhook, body: bytes, key: str, attempt: int) -> dict[str, str]:
    """The headers of one attempt: content type, signature (timestamped now), idempotency key, attempt number."""
    return {"Content-Type": "application/json", "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature(hook.secret, body), "Idempotency-Key": key,
            "Moderation-Delivery-Attempt": str(attempt)}


class Deliverer:
    """Delivers webhooks until stopped.

    :param redis: a decoding connection.
    :param settings: prefix, timeouts, retry time, concurrency.
    :param consumer: this deliverer's name in the consumer group (default: host and pid).
    """

    def __init__(self, redis: Redis, settings: Settings, consumer: str | None = None) -> None:
        self.settings = settings
        self.webhooks = Webhooks(redis, settings.prefix)
        lease = max(30.0, 3 * settings.webhook_timeout_seconds)
        self.queue = DeliveryQueue(redis, settings.prefix, consumer or f"{socket.gethostname()}-{os.getpid()}",
                                   lease_seconds=lease)
        self.hooks: dict[str, Webhook] = {}
        self._pool = ThreadPoolExecutor(max_workers=settings.webhook_concurrency, thread_name_prefix="webhook")
        self._in_flight = 0
        self._lock = threading.Lock()

    def attempt(self, delivery: Delivery) -> None:
        """POST one delivery and record the outcome (run in the pool)."""
        try:
            hook = self.hooks.get(delivery.hook) or self.webhooks.get(delivery.hook)
            if hook is None:
                self.queue.give_up(delivery, "webhook removed", None, self.settings.stream_maxlen)
                return
            body = delivery.body.encode()
            _status, error = post(hook.url, body, signed_headers(hook, body, delivery.key, delivery.attempts + 1),
                                  self.settings.webhook_timeout_seconds)
            now = now_ms()
            if not error:
                self.queue.done(delivery)
                if delivery.attempts:  # its receiver is back: the rest need not wait out their pauses
                    self.queue.hurry(hook.id, now)
            elif now - delivery.first_ms >= self.settings.webhook_retry_seconds * 1000:
                log.warning("webhook delivery given up", extra={"fields": {"webhook": hook.id, "error": error,
                                                                           "attempts": delivery.attempts + 1}})
                self.queue.give_up(delivery, error, hook, self.settings.stream_maxlen)
            else:
                pause = backoff(delivery.attempts + 1, self.settings.webhook_backoff_max_seconds)
                self.queue.retry(delivery, error, now + int(pause * 1000))
        except Exception:  # a Redis hiccup: the delivery's lease runs out and it is taken again
            log.exception("webhook delivery failed")
        finally:
            with self._lock:
                self._in_flight -= 1

    def _submit(self, deliveries: list[Delivery]) -> None:
        with self._lock:
            self._in_flight += len(deliveries)
        for delivery in deliveries:
            self._pool.submit(self.attempt, delivery)

    def run(self, stop: threading.Event) -> None:
        """Deliver until ``stop`` is set (then wait for the attempts under way)."""
        refreshed = reclaimed = 0.0
        try:
            while not stop.is_set():
                try:
                    clock = time.monotonic()
                    if clock - refreshed >= HOOKS_REFRESH_SECONDS:
                        self.hooks, refreshed = self.webhooks.all(), clock
                    if clock - reclaimed >= RECLAIM_SECONDS:
                        self._submit(self.queue.ingest(self.webhooks, now_ms(), reclaim=True))
                        reclaimed = clock
                    with self._lock:
                        room = 2 * self.settings.webhook_concurrency - self._in_flight
                    if room <= 0:  # every thread busy (slow receivers): the stream keeps the rest meanwhile
                        stop.wait(0.05)
                        continue
                    self._submit(self.queue.take(now_ms(), room))
                    self._submit(self.queue.ingest(self.webhooks, now_ms(), block_ms=200, count=room))
                except Exception as exc:  # Redis restarting: try again shortly
                    log.warning("webhook deliverer: %s; trying again", exc)
                    stop.wait(1.0)
        finally:
            self._pool.shutdown(wait=True)
