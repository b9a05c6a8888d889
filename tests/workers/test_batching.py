"""The batch task's flush timer survives a broker reconnect (celery-batches#107)."""

from __future__ import annotations

from typing import Any
from unittest import mock

from workers.tasks import score


class FakeTimer:
    """The consumer's event-loop timer: records what is armed on it."""

    def __init__(self) -> None:
        self.armed: list[float] = []

    def call_repeatedly(self, interval: float, callback: Any) -> mock.Mock:
        self.armed.append(interval)
        return mock.Mock()


def consumer_with(timer: FakeTimer) -> mock.MagicMock:
    consumer = mock.MagicMock()
    consumer.timer = timer
    return consumer


def message(task_id: str) -> mock.MagicMock:
    msg = mock.MagicMock()
    msg.headers = {"id": task_id, "task": score.name}
    msg.body = msg.payload = ([[]], {}, {})  # Celery's protocol 2: args, kwargs, embed
    return msg


def test_a_restarted_consumer_arms_the_flush_timer_again() -> None:
    # Given the batch task's handler on a first consumer, which armed its flush timer on the first message
    first = FakeTimer()
    handler = score.Strategy(score, score.app, consumer_with(first))
    with mock.patch("celery_batches.signals"):
        handler(message("m-1"), None, mock.Mock(), mock.Mock(), set())
        assert first.armed == [score.flush_interval]
        # When the broker connection is lost and Celery starts a new consumer (a new timer) for the task
        second = FakeTimer()
        handler = score.Strategy(score, score.app, consumer_with(second))
        handler(message("m-2"), None, mock.Mock(), mock.Mock(), set())
    # Then the next message arms the flush timer on the new consumer's timer, so partial batches still flush
    assert second.armed == [score.flush_interval]
    # (the task is a process-wide singleton: leave it as it was)
    while not score._buffer.empty():
        score._buffer.get_nowait()
    score._tref = None
