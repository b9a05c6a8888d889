"""Starting and stopping real Celery worker processes, for ``make run``, ``make bench``, ``make chaos`` and tests.

Each worker process announces itself when its model is loaded (see :func:`workers.tasks.handler`), so
callers wait for that condition instead of sleeping.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from redis import Redis

from moderation import keys
from moderation.settings import PROJECT_ROOT


class WorkerProcess:
    """A ``celery worker`` child process.

    :param env: environment for the worker (``REDIS_URL``, ``MODERATION_PREFIX``, ...), added to ours.
    :param name: the node name (``-n``); also how its processes announce themselves.
    :param concurrency: pool size.
    :param pool: ``prefork`` (default) or ``solo``.
    :param log_file: where its output goes (discarded by default).
    :param queues: the queues it consumes (``-Q``); the ``queue`` setting's by default.
    :param faults: load the fault hook (:mod:`harness.faults`) into it, for chaos scenarios and tests.
    :param includes: further modules to load into it (``--include``), e.g. measuring hooks of the bench.
    """

    def __init__(self, env: dict[str, str], *, name: str = "worker1", concurrency: int = 1,
                 pool: str = "prefork", log_file: Path | None = None, queues: Sequence[str] | None = None,
                 faults: bool = False, includes: Sequence[str] = ()) -> None:
        self.env = {**os.environ, **env, "MODERATION_WORKER_NAME": name}
        self.name = name
        self.concurrency = concurrency
        self.pool = pool
        self.log_file = log_file
        self.queues = list(queues or [])
        self.faults = faults
        self.includes = list(includes)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        """Start the worker (does not wait; see :meth:`wait_ready`)."""
        args = [sys.executable, "-m", "celery", "-A", "workers.app", "worker", "--loglevel=INFO",
                "-P", self.pool, "-c", str(self.concurrency), "-n", f"{self.name}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat"]
        if self.queues:
            args += ["-Q", ",".join(self.queues)]
        includes = ["harness.faults"] * self.faults + self.includes
        if includes:
            args += ["--include", ",".join(includes)]
        out = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(args, env=self.env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, redis: Redis, prefix: str, timeout: float = 120.0, *, model: bool = True) -> None:
        """Wait until every pool process has loaded its model (``model=False``: until every one is up, with
        or without a model).

        :raises RuntimeError: if the worker exits or is not ready within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited with {self.process and self.process.returncode}"
                                   f"{f'; see {self.log_file}' if self.log_file else ''}")
            beats = self.heartbeats(redis, prefix)
            if len([b for b in beats if b.get("model_version") or not model]) >= self.concurrency:
                return
            time.sleep(0.1)
        raise RuntimeError(f"worker {self.name} not ready within {timeout} s")

    def heartbeats(self, redis: Redis, prefix: str) -> list[dict[str, str]]:
        """The heartbeat hashes of this worker's live processes (:mod:`workers.heartbeat`)."""
        found = []
        for key in redis.scan_iter(match=keys.worker_key(prefix, f"{self.name}:*"), count=1000):
            fields = redis.hgetall(key)
            found.append({_text(k): _text(v) for k, v in fields.items()})
        return [f for f in found if f]

    def stop(self, timeout: float = 30.0) -> int | None:
        """Warm shutdown: SIGTERM to the main process only (work in flight finishes), SIGKILL after ``timeout``."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        code = self.process.returncode
        return code

    def kill(self) -> None:
        """SIGKILL the main process and its pool children at once (a crash)."""
        if self.process is None or self.process.poll() is not None:
            return
        for pid in child_pids(self.process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.kill()
        self.process.wait()

    def __enter__(self) -> WorkerProcess:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def child_pids(pid: int) -> list[int]:
    """The ids of the processes ``pid`` started (its pool children), from ``/proc``; none if it is gone."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]
