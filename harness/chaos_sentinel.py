"""``make chaos``'s Sentinel scenarios: a primary, two replicas and three real Sentinels, two workers, and a
client submitting one comment at a time at a steady pace while a fault strikes a third of the way through:

- ``sentinel_kill_primary``: the primary is killed (SIGKILL) and never comes back;
- ``sentinel_restart_primary``: the primary is killed and its supervisor restarts it 5 s later (as the
  replica of the new primary, ``config/redis/start-node.sh``'s way: :meth:`SentinelCluster.restart_node`);
- ``sentinel_kill_sentinel``: one of the three Sentinels is killed.

Each reports what :mod:`harness.chaos` reports (submitted, decided, duplicates, lost) plus ``gap_s`` (the
longest time without a receipt around the fault), ``max_block_s`` (the longest one client call took) and
``recovery_s`` (from the fault until every comment accepted before it was decided). A scenario passes with 0
lost, 0 duplicates, no call blocked :data:`MAX_BLOCK` seconds and every comment decided within
:data:`MAX_RECOVERY` seconds of the fault.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis.exceptions import RedisError

from harness.corpus import corpus_texts, payloads
from harness.sentinel_cluster import SentinelCluster
from harness.tally import Counts, count, progress, wait_all_decided, wait_until
from harness.worker_process import WorkerProcess
from moderation.intake.client import ModerationClient, Receipt, connect
from moderation.settings import load_settings

#: The most seconds one client call may block.
MAX_BLOCK = 30.0
#: The most seconds from the fault until every comment accepted before it is decided.
MAX_RECOVERY = 60.0
#: Worker settings: the sweep acts after 120 s only, so any recovery under that is the leases' and the
#: event requeue's doing, not the sweep's.
WORKER_ENV = {"MODERATION_SWEEP_AFTER": "120", "MODERATION_SWEEP_INTERVAL": "2", "MODERATION_MODEL_REFRESH": "1"}


@dataclass(eq=False)
class PacedProducer(threading.Thread):
    """Submits comments one call each at ``rate`` per second, retrying a refused one (as a backend would),
    and times every call.

    :param client: the client (through the Sentinels).
    :param items: the payloads.
    :param rate: comments per second.
    """

    client: ModerationClient
    items: Sequence[dict[str, Any]]
    rate: float = 100.0
    accepted: list[str] = field(default_factory=list)
    receipts_at: list[float] = field(default_factory=list)
    max_block: float = 0.0
    errors: int = 0
    #: The refusals seen (error type and the start of its message), with how long the call took.
    refusals: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(daemon=True, name="chaos-sentinel-producer")

    def run(self) -> None:
        """Submit every item; record accepted ids, the time of each receipt and the longest call."""
        started = time.monotonic()
        for index, item in enumerate(self.items):
            time.sleep(max(0.0, started + index / self.rate - time.monotonic()))
            while True:
                call = time.monotonic()
                try:
                    receipt = self.client.submit(item)
                except RedisError as exc:
                    self.errors += 1
                    self.max_block = max(self.max_block, time.monotonic() - call)
                    self.refusals.append(f"{time.monotonic() - call:.1f}s {type(exc).__name__}: {str(exc)[:120]}")
                    continue
                self.max_block = max(self.max_block, time.monotonic() - call)
                if isinstance(receipt, Receipt):
                    self.accepted.append(receipt.id)
                    self.receipts_at.append(time.monotonic())
                break

    def gap_around(self, moment: float) -> float:
        """The longest time between two receipts from 1 s before ``moment`` on."""
        times = [t for t in self.receipts_at if t >= moment - 1.0]
        return max((b - a for a, b in itertools.pairwise(times)), default=0.0)


def run(name: str, fault: Callable[[SentinelCluster], Any], *, root: Path, models_dir: Path, log_dir: Path,
        comments: int) -> tuple[Counts, bool, dict[str, float | None]]:
    """One Sentinel scenario end to end: returns the counts, whether it passed, and its timings."""
    prefix = f"chaos-{name}"
    with SentinelCluster(root / name) as cluster:
        settings = load_settings(env={"REDIS_URL": cluster.url, "MODERATION_PREFIX": prefix,
                                      "MODERATION_QUEUE": f"{prefix}-q"})
        redis = connect(settings)
        env = {"REDIS_URL": cluster.url, "MODERATION_PREFIX": prefix, "MODERATION_QUEUE": f"{prefix}-q",
               "MODERATION_MODELS_DIR": str(models_dir), **WORKER_ENV}
        workers = [WorkerProcess(env, name=n, concurrency=1, log_file=log_dir / f"{name}-{n}.log").start()
                   for n in ("a", "b")]
        try:
            for worker in workers:
                worker.wait_ready(redis, prefix, timeout=180)
            producer = PacedProducer(ModerationClient.from_settings(settings),
                                     payloads(corpus_texts(comments), prefix))
            producer.start()
            wait_until(lambda: len(producer.accepted) >= comments // 3, comments)
            before = list(producer.accepted)
            faulted = time.monotonic()
            fault(cluster)
            wait_until(lambda: count(redis, prefix, before).lost == 0, MAX_RECOVERY * 3, interval=0.2)
            recovery = round(time.monotonic() - faulted, 1) if count(redis, prefix, before).lost == 0 else None
            producer.join()
            for refusal in producer.refusals[:10]:
                print(f"{name}: a submission was refused after {refusal}", flush=True)
            counts = wait_all_decided(redis, prefix, producer.accepted, 120 + comments / 20)
            timings = {"gap_s": round(producer.gap_around(faulted), 2), "max_block_s": round(producer.max_block, 2),
                       "recovery_s": recovery, "decisions": float(progress(redis, prefix))}
        finally:
            for worker in workers:
                worker.stop(timeout=20)
    ok = (counts.lost == 0 and counts.duplicates == 0 and timings["max_block_s"] is not None
          and float(timings["max_block_s"] or 0) < MAX_BLOCK and recovery is not None and recovery <= MAX_RECOVERY)
    return Counts(counts.submitted, counts.decided, counts.duplicates, counts.lost, recovery), ok, timings


def kill_primary(cluster: SentinelCluster) -> None:
    """SIGKILL the primary; it stays down."""
    cluster.kill_node(cluster.primary_index())


def restart_primary(cluster: SentinelCluster) -> None:
    """SIGKILL the primary; its supervisor starts it again 5 s later."""
    index = cluster.primary_index()
    cluster.kill_node(index)
    threading.Timer(5.0, cluster.restart_node, (index,)).start()


def kill_sentinel(cluster: SentinelCluster) -> None:
    """SIGKILL the first Sentinel (the one clients ask first)."""
    cluster.kill_sentinel(0)


FAULTS: dict[str, Callable[[SentinelCluster], Any]] = {
    "sentinel_kill_primary": kill_primary,
    "sentinel_restart_primary": restart_primary,
    "sentinel_kill_sentinel": kill_sentinel,
}


def measure_wait(root: Path, submissions: int = 2000) -> dict[str, dict[str, float]]:
    """What ``WAIT 1`` costs a submission: p50/p99 milliseconds of one-comment ``submit`` calls through the
    Sentinels, without and with it, alternating in blocks of 100 on one cluster."""
    with SentinelCluster(root / "wait") as cluster:
        settings = load_settings(env={"REDIS_URL": cluster.url, "MODERATION_PREFIX": "wait"})
        clients = {"without": ModerationClient(connect(settings), prefix="wait", queue="wait-q", wait_replicas=0),
                   "with": ModerationClient(connect(settings), prefix="wait", queue="wait-q", wait_replicas=1)}
        timings: dict[str, list[float]] = {name: [] for name in clients}
        texts = corpus_texts(submissions)
        for index, text in enumerate(texts):
            name = ("without", "with")[(index // 100) % 2]
            started = time.perf_counter()
            clients[name].submit({"id": f"w{index}", "body": text})
            timings[name].append((time.perf_counter() - started) * 1000)
    result = {}
    for name, values in timings.items():
        values.sort()
        result[name] = {"p50_ms": round(values[len(values) // 2], 2),
                        "p99_ms": round(values[int(len(values) * 0.99)], 2)}
    return result


if __name__ == "__main__":
    import json
    import sys
    import tempfile

    print(json.dumps(measure_wait(Path(tempfile.mkdtemp()), int(sys.argv[1]) if len(sys.argv) > 1 else 2000)))
