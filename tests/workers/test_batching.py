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


class FakePool:
    """A prefork pool with ``processes`` processes and ``outstanding`` batches sent to them."""

    def __init__(self, processes: int, outstanding: int) -> None:
        self.num_processes = processes
        self._pool = mock.Mock(_cache=dict.fromkeys(range(outstanding)))


def test_a_partial_batch_waits_for_a_free_process_but_not_for_long() -> None:
    # Given one buffered message, a flush that records what it sends, and two pool processes both busy
    score._buffer.put(mock.Mock(eta=None))
    score._held_since = None
    score._pool = FakePool(processes=2, outstanding=2)
    with mock.patch.object(score, "flush") as flush:
        # When the flush timer fires
        score._do_flush()
        # Then nothing is sent yet: the next free process will get a bigger batch
        flush.assert_not_called()
        # And when a process is free at the next tick, the batch goes
        score._pool = FakePool(processes=2, outstanding=1)
        score._do_flush()
        assert flush.call_count == 1 and len(flush.call_args[0][0]) == 1
        # And a batch held for a busy pool longer than max_hold_seconds goes anyway
        score._buffer.put(mock.Mock(eta=None))
        score._pool = FakePool(processes=2, outstanding=2)
        score._do_flush()
        score._held_since -= score.max_hold_seconds
        score._do_flush()
        assert flush.call_count == 2
    score._tref = None
