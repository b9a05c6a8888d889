"""Following the decision channel from a web process: one thread subscribes to ``keys.decisions_channel``
(every publication and verdict is announced there) and hands each announcement to :meth:`handle`.

The console's live page updates (:class:`moderation.web.console.live.LiveFeed`) and the API's long polls
(:class:`moderation.web.api.waiting.DecisionWaiter`) are both one of these.
"""

from __future__ import annotations

import logging
import threading

from redis import Redis
from redis.exceptions import RedisError

from moderation import keys

log = logging.getLogger(__name__)


class ChannelSubscriber:
    """A thread subscribed to the decision channel; subclasses say what to do with each announcement.

    :param redis: the connection to subscribe with.
    :param prefix: the key prefix.
    :param name: the thread's name.
    """

    def __init__(self, redis: Redis, prefix: str, name: str = "decision-channel") -> None:
        self.redis = redis
        self.channel = keys.decisions_channel(prefix)
        self._name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the subscriber thread."""
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the subscriber thread (within a second)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def handle(self, raw: str) -> None:
        """Called in the subscriber thread with each announcement (a decision record's JSON).

        :param raw: the announcement.
        """
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "message":
                        self.handle(message["data"])
                pubsub.close()
            except RedisError as exc:  # Redis restarting: subscribe again shortly
                log.warning("%s: %s; subscribing again", self._name, exc)
                self._stop.wait(1.0)
