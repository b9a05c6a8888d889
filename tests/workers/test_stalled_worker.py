"""A worker whose main process is frozen (SIGSTOP) stops counting as alive, though its pool's heartbeat threads
go on: health sees the loop that takes messages, not a thread beside it."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from redis import Redis

from moderation.ops.health import consuming_workers, live_workers
from tests.helpers import wait_until
from tests.workers.conftest import start_worker

pytestmark = pytest.mark.integration


def test_a_frozen_main_process_is_reported_stalled_and_alive_again_once_it_runs(redis_url: str, models_dir: Path,
                                                                                 tmp_path: Path) -> None:
    # Given a running worker (short lease interval: its loop beats every second)
    running = start_worker(redis_url, models_dir, tmp_path, name="frozen", concurrency=1,
                           extra_env={"MODERATION_VISIBILITY_TIMEOUT": "5"})
    redis = Redis.from_url(redis_url, decode_responses=True)
    pid = running.process.process.pid  # type: ignore[union-attr]
    try:
        wait_until(lambda: len(consuming_workers(redis, running.prefix)[0]) == 1, 30)
        # When its main process is frozen
        os.kill(pid, signal.SIGSTOP)
        # Then within a few seconds it is stalled, not alive, while its pool process's heartbeat hash lives on
        wait_until(lambda: consuming_workers(redis, running.prefix)[1] == ["frozen"], 30)
        assert consuming_workers(redis, running.prefix)[0] == []
        assert len(live_workers(redis, running.prefix)) == 1
        # and once it runs again it is alive again
        os.kill(pid, signal.SIGCONT)
        wait_until(lambda: len(consuming_workers(redis, running.prefix)[0]) == 1, 30)
    finally:
        os.kill(pid, signal.SIGCONT)
        running.process.stop()
