"""``make chaos``: fault scenarios with real processes, counting that every comment gets exactly one decision.

Starts its own embedded Redis (append-only persistence on) and real worker processes, and for each scenario
submits comments (the seed corpus, with authors, emails and IPs, as :mod:`harness.corpus` makes them) while a fault
is injected mid-run:

- ``kill9_worker``: SIGKILL of one worker's main process and its children while a second worker runs: the
  second takes over the killed one's messages (their leases, :mod:`workers.lease`, are no longer renewed);
- ``redis_restart``: the Redis server stopped and started again on the same port and files; the producer
  keeps submitting and retries on connection errors, workers reconnect;
- ``sigterm_worker``: a graceful stop (SIGTERM) of one of two workers mid-run; the other picks up what is left;
- ``poison_corrupt``: raw garbage and undecodable, pickle and unknown-task envelopes pushed among good
  messages: the good comments are decided, each bad message ends in the dead-letter stream;
- ``poison_bug``: comments that make the worker's code raise every time (the fault hook
  :mod:`harness.faults`, loaded into that scenario's worker only) mixed into batches of good ones: the good
  ones are decided, the bad ones are dead-lettered after the retries;
- ``sentinel_kill_primary``, ``sentinel_restart_primary``, ``sentinel_kill_sentinel``: a primary, two replicas
  and three real Sentinels, see :mod:`harness.chaos_sentinel` (their own processes, not the embedded Redis).

Per scenario: ``submitted`` (accepted good comments), ``decided`` (of those, with a stored decision),
``duplicates`` (decision stream entries beyond one per comment) and ``lost`` (accepted, never decided, after
waiting for redelivery and the sweep), and for the scenarios with a fault ``recovery_s``: seconds from the
fault (for a Redis restart, from Redis being back) until every comment accepted before it is decided. The
sweep is set to act after 60 s only, so a recovery under that is the workers' own doing; ``kill9_worker``
fails unless it recovers within :data:`MAX_KILL_RECOVERY` seconds, and unless within that time every message
unacknowledged at the kill was handed over (``handover_s``: acknowledged by its living holder, or back on the
queue from the killed one). Prints a table, writes
``reports/chaos.json`` and exits 1 unless every scenario has 0 lost and 0 duplicates and its bad inputs
dead-lettered.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import json
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from harness import chaos_sentinel
from harness.corpus import corpus_texts, payloads
from harness.tally import Counts, count, dead_letters, progress, wait_all_decided, wait_until
from harness.worker_process import WorkerProcess
from moderation import keys
from moderation.intake.client import ModerationClient, Receipt, connect
from moderation.intake.wire import task_message
from moderation.ops.embedded_redis import EmbeddedRedis
from moderation.settings import PROJECT_ROOT, load_settings

#: Worker settings for the scenarios: the default visibility timeout (leases), a sweep that acts after 60 s
#: only (so a faster recovery is not the sweep's), and a quick model refresh.
FAST_RECOVERY = {"MODERATION_SWEEP_AFTER": "60", "MODERATION_SWEEP_INTERVAL": "2", "MODERATION_MODEL_REFRESH": "1"}
#: The most seconds ``kill9_worker`` may take to decide every comment accepted before the kill.
MAX_KILL_RECOVERY = 30.0


def recovery_seconds(redis: Redis, prefix: str, ids: Sequence[str], since: float, timeout: float) -> float | None:
    """Seconds from ``since`` (a ``time.monotonic()`` reading) until every comment in ``ids`` is decided.

    :returns: None if they were not all decided within ``timeout`` seconds of now.
    """
    if not wait_until(lambda: count(redis, prefix, ids).lost == 0, timeout, interval=0.1):
        return None
    return round(time.monotonic() - since, 1)


#: kombu's hash of delivered, unacknowledged messages (delivery tag -> message), see :mod:`workers.lease`.
UNACKED_KEY = "unacked"


def handover_seconds(redis: Redis, tags: Sequence[str], since: float, timeout: float) -> float | None:
    """Seconds from ``since`` until none of the delivery ``tags`` is unacknowledged any more (each acknowledged
    by its living holder, or restored to the queue from a dead one).

    :returns: None if some were still unacknowledged ``timeout`` seconds from now.
    """
    if tags and not wait_until(lambda: not any(redis.hmget(UNACKED_KEY, list(tags))), timeout, interval=0.1):
        return None
    return round(time.monotonic() - since, 1)


class Producer(threading.Thread):
    """Submits comments in chunks at a steady pace, retrying a chunk on Redis errors (e.g. during a restart).

    :param client: the client to submit with (its Redis connection should retry, see
        :func:`moderation.intake.client.connect`).
    :param items: the comment payloads.
    :param chunk: comments per ``submit_many`` call.
    :param pause: seconds between chunks.
    :param give_up: seconds after which a chunk that keeps failing is abandoned (its comments not accepted).
    """

    def __init__(self, client: ModerationClient, items: Sequence[dict[str, Any]], *, chunk: int = 25,
                 pause: float = 0.01, give_up: float = 60.0) -> None:
        super().__init__(daemon=True, name="chaos-producer")
        self.client = client
        self.items = list(items)
        self.chunk = chunk
        self.pause = pause
        self.give_up = give_up
        self.accepted: list[str] = []
        self.errors = 0

    def run(self) -> None:
        """Submit every chunk; record the ids of accepted comments."""
        for start in range(0, len(self.items), self.chunk):
            part = self.items[start:start + self.chunk]
            deadline = time.monotonic() + self.give_up
            while True:
                try:
                    results = self.client.submit_many(part)
                    break
                except RedisError:
                    self.errors += 1
                    if time.monotonic() > deadline:
                        results = []
                        break
                    time.sleep(0.1)
            self.accepted += [r.ref for r in results if isinstance(r, Receipt)]
            if self.pause:
                time.sleep(self.pause)


def promote_for(redis_url: str, models_dir: Path, prefix: str) -> str:
    """Make the models directory's current bundle (else its newest, else the shipped one: a fresh clone has no
    ``models/``) current under ``prefix``; its version."""
    from moderation.models.bundle import SHIPPED_MODEL_DIR
    from training.registry import ModelRegistry

    local = ModelRegistry(models_dir)
    bundles = sorted(local.list(), key=lambda b: b.version)
    chosen = local.current() or (bundles[-1] if bundles else local.resolve(SHIPPED_MODEL_DIR))
    ModelRegistry(models_dir, redis=Redis.from_url(redis_url), prefix=prefix).promote(chosen.version, force=True)
    return str(chosen.version)


@dataclass
class Harness:
    """What every scenario shares: the Redis server, the models, where logs go, and the run's size.

    :param server: the embedded Redis (append-only on).
    :param models_dir: the model bundles.
    :param log_dir: worker log files.
    :param comments: comments per scenario.
    """

    server: EmbeddedRedis
    models_dir: Path
    log_dir: Path
    comments: int
    workers: list[WorkerProcess] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The Redis URL."""
        return self.server.url

    def redis(self) -> Redis:
        """A retrying connection (``decode_responses=True``)."""
        return connect(load_settings(env={"REDIS_URL": self.url}))

    def new_prefix(self, name: str) -> str:
        """A fresh key prefix for one scenario, with the model promoted under it."""
        prefix = f"chaos-{name}-{uuid.uuid4().hex[:6]}"
        promote_for(self.url, self.models_dir, prefix)
        return prefix

    def client(self, prefix: str) -> ModerationClient:
        """A client for ``prefix`` (queue ``<prefix>-q``), on a retrying connection."""
        return ModerationClient(self.redis(), prefix=prefix, queue=f"{prefix}-q", batch_size=25)

    def start_worker(self, prefix: str, name: str, *, concurrency: int = 2,
                     extra_env: dict[str, str] | None = None, faults: bool = False) -> WorkerProcess:
        """Start a worker for ``prefix`` and wait until its processes have loaded the model (``faults``: with
        the fault hook, :mod:`harness.faults`)."""
        env = {"REDIS_URL": self.url, "MODERATION_PREFIX": prefix, "MODERATION_QUEUE": f"{prefix}-q",
               "MODERATION_MODELS_DIR": str(self.models_dir), **FAST_RECOVERY, **(extra_env or {})}
        worker = WorkerProcess(env, name=name, concurrency=concurrency, log_file=self.log_dir / f"{prefix}-{name}.log",
                               faults=faults)
        self.workers.append(worker.start())
        worker.wait_ready(Redis.from_url(self.url), prefix, timeout=180)
        return worker

    def stop_all(self) -> None:
        """Stop every worker still running."""
        for worker in self.workers:
            worker.stop(timeout=20)
        self.workers.clear()

    def settle_timeout(self) -> float:
        """How long to wait for the last decisions: redelivery, the sweep, and the backlog itself."""
        return 120.0 + self.comments / 20


def _mid_run(harness: Harness, redis: Redis, prefix: str, fraction: float = 0.3) -> None:
    target = max(1, int(harness.comments * fraction))
    if not wait_until(lambda: progress(redis, prefix) >= target, harness.settle_timeout()):
        raise RuntimeError(f"{prefix}: fewer than {target} decisions before the fault")


def _replace_worker(harness: Harness, name: str, fault: Callable[[WorkerProcess], Any]) -> Counts:
    prefix = harness.new_prefix(name)
    redis = harness.redis()
    first = harness.start_worker(prefix, "a")
    harness.start_worker(prefix, "b")  # the living worker, there before the fault as in a deployment
    producer = Producer(harness.client(prefix), payloads(corpus_texts(harness.comments), prefix))
    producer.start()
    _mid_run(harness, redis, prefix)
    before = list(producer.accepted)
    held: list[str] = list(redis.hkeys(UNACKED_KEY))  # type: ignore[arg-type]
    faulted = time.monotonic()
    fault(first)
    waiting = count(redis, prefix, before).lost
    handover = handover_seconds(redis, held, faulted, harness.settle_timeout())
    recovery = recovery_seconds(redis, prefix, before, faulted, harness.settle_timeout())
    print(f"{name}: {waiting} of the {len(before)} comments accepted before the fault were undecided at it, "
          f"{len(held)} messages unacknowledged; those were all acknowledged or back on the queue after "
          f"{handover} s, the comments all decided after {recovery} s", flush=True)
    producer.join()
    counts = wait_all_decided(redis, prefix, producer.accepted, harness.settle_timeout())
    harness.stop_all()
    return dataclasses.replace(counts, recovery_s=recovery, handover_s=handover)


def kill9_worker(harness: Harness) -> tuple[Counts, bool]:
    """SIGKILL one worker (main process and children) mid-run; the other takes over its messages."""
    counts = _replace_worker(harness, "kill9", lambda worker: worker.kill())
    return counts, all(s is not None and s <= MAX_KILL_RECOVERY for s in (counts.recovery_s, counts.handover_s))


def sigterm_worker(harness: Harness) -> tuple[Counts, bool]:
    """SIGTERM one worker mid-run (a warm shutdown); the other picks up what is left."""
    return _replace_worker(harness, "sigterm", lambda worker: worker.stop(timeout=60)), True


def redis_restart(harness: Harness) -> tuple[Counts, bool]:
    """Stop and restart Redis (same port and append-only file) mid-run while the producer keeps submitting."""
    prefix = harness.new_prefix("restart")
    redis = harness.redis()
    harness.start_worker(prefix, "a")
    producer = Producer(harness.client(prefix), payloads(corpus_texts(harness.comments), prefix), pause=0.02)
    producer.start()
    _mid_run(harness, redis, prefix)
    before = list(producer.accepted)
    harness.server.stop()
    time.sleep(1.0)  # a real outage: clients see refused connections for a while
    harness.server.start()
    recovery = recovery_seconds(redis, prefix, before, time.monotonic(), harness.settle_timeout())
    producer.join()
    counts = wait_all_decided(redis, prefix, producer.accepted, harness.settle_timeout())
    harness.stop_all()
    return dataclasses.replace(counts, recovery_s=recovery), True


def corrupt_messages(queue: str) -> list[str]:
    """Queue items a worker cannot decode: raw garbage, JSON that is no envelope, a body that is no JSON,
    a pickle envelope, and a message naming an unknown task."""
    def envelope(**changes: Any) -> str:
        message = json.loads(task_message([{"id": f"bad-{uuid.uuid4().hex[:6]}", "body": "x"}],
                                          submitted_at_ms=int(time.time() * 1000), queue=queue))
        for name, value in changes.items():
            if name == "task":
                message["headers"]["task"] = value
            else:
                message[name.replace("_", "-")] = value
        return json.dumps(message)

    return [
        "garbage that is not JSON {{{",
        json.dumps(["a", "list", "not", "an", "envelope"]),
        envelope(body=base64.b64encode(b"\xff\xfe not json").decode()),
        envelope(content_type="application/x-python-serialize", content_encoding="binary",
                 body=base64.b64encode(b"\x80\x04\x95cos\nsystem\n(S'true'\ntR.").decode()),
        envelope(task="moderation.no-such-task"),
    ]


def poison_corrupt(harness: Harness) -> tuple[Counts, bool]:
    """Corrupt messages among good ones: good comments decided, every bad message dead-lettered."""
    prefix = harness.new_prefix("corrupt")
    redis = harness.redis()
    harness.start_worker(prefix, "a")
    client = harness.client(prefix)
    items = payloads(corpus_texts(harness.comments), prefix)
    bad = 0
    accepted: list[str] = []
    step = max(1, len(items) // 4)
    for start in range(0, len(items), step):
        accepted += [r.ref for r in client.submit_many(items[start:start + step]) if isinstance(r, Receipt)]
        messages = corrupt_messages(client.queue)
        redis.lpush(client.queue, *messages)
        bad += len(messages)
    counts = wait_all_decided(redis, prefix, accepted, harness.settle_timeout())
    lettered = wait_until(lambda: len(dead_letters(redis, prefix)) >= bad, 60)
    harness.stop_all()
    return counts, lettered and len(dead_letters(redis, prefix)) == bad


def poison_bug(harness: Harness) -> tuple[Counts, bool]:
    """Comments that always make the worker raise, mixed into batches: good ones decided, bad ones
    dead-lettered after the retries."""
    from workers.tasks import MAX_RETRIES

    prefix = harness.new_prefix("bug")
    redis = harness.redis()
    harness.start_worker(prefix, "a", faults=True)
    client = harness.client(prefix)
    items = payloads(corpus_texts(harness.comments), prefix)
    poisoned = set()
    for index in range(7, len(items), max(8, len(items) // 10)):
        items[index]["metadata"] = {"fault": "raise"}
        poisoned.add(items[index]["id"])
    receipts = client.submit_many(items)
    accepted = [r.ref for r in receipts if isinstance(r, Receipt) and r.id not in poisoned]
    poisoned_refs = [r.ref for r in receipts if isinstance(r, Receipt) and r.id in poisoned]
    counts = wait_all_decided(redis, prefix, accepted, harness.settle_timeout())
    wait_until(lambda: {f["comment_id"] for f in dead_letters(redis, prefix)} >= poisoned, 120)
    letters = [f for f in dead_letters(redis, prefix) if f["comment_id"] in poisoned]
    ok = (len(letters) == len(poisoned) and all(int(f["attempts"]) == MAX_RETRIES + 1 for f in letters)
          and not any(redis.exists(keys.decision_key(prefix, *keys.split_ref(c))) for c in poisoned_refs)
          and not any(redis.zscore(keys.pending_key(prefix), c) is not None for c in poisoned_refs))
    harness.stop_all()
    return counts, ok


#: Extra figures per scenario (the Sentinel scenarios' gap, longest client call), for the table and the report.
TIMINGS: dict[str, dict[str, float | None]] = {}


def _sentinel_scenario(name: str) -> Callable[[Harness], tuple[Counts, bool]]:
    def scenario(harness: Harness) -> tuple[Counts, bool]:
        counts, ok, timings = chaos_sentinel.run(
            name, chaos_sentinel.FAULTS[name], root=harness.log_dir.parent / "sentinel",
            models_dir=harness.models_dir, log_dir=harness.log_dir, comments=harness.comments)
        TIMINGS[name] = timings
        return counts, ok

    scenario.__doc__ = chaos_sentinel.FAULTS[name].__doc__
    return scenario
def poison_shapes(harness: Harness) -> tuple[Counts, bool]:
    """Malformed task messages (every shape, nesting too deep: :mod:`harness.malformed`) pushed raw while
    comments flow: every comment decided once, every malformed message dead-lettered, the worker never exits."""
    from harness.malformed import malformed_messages

    prefix = harness.new_prefix("shapes")
    redis = harness.redis()
    worker = harness.start_worker(prefix, "a")
    client = harness.client(prefix)
    producer = Producer(client, payloads(corpus_texts(harness.comments), prefix), pause=0.01)
    producer.start()
    _mid_run(harness, redis, prefix, 0.2)
    messages = malformed_messages(client.queue, prefix)
    for raw, _ in messages:
        redis.lpush(client.queue, raw)
    producer.join(600)
    counts = wait_all_decided(redis, prefix, producer.accepted, harness.settle_timeout())
    lettered = wait_until(lambda: len(dead_letters(redis, prefix)) >= len(messages), 60)
    errors = [f["error"] for f in dead_letters(redis, prefix)]
    alive = worker.process is not None and worker.process.poll() is None
    harness.stop_all()
    return counts, lettered and alive and all(any(r in e for e in errors) for _, r in messages)


SCENARIOS: dict[str, Callable[[Harness], tuple[Counts, bool]]] = {
    "kill9_worker": kill9_worker,
    "redis_restart": redis_restart,
    "sigterm_worker": sigterm_worker,
    "poison_corrupt": poison_corrupt,
    "poison_bug": poison_bug,
    **{name: _sentinel_scenario(name) for name in chaos_sentinel.FAULTS},
    "poison_shapes": poison_shapes,
}


def print_table(results: dict[str, Counts], checks: dict[str, bool]) -> None:
    """The scenarios' figures as a table."""
    print(f"\n{'scenario':<26}{'submitted':>10}{'decided':>10}{'duplicates':>12}{'lost':>7}{'handover':>10}"
          f"{'recovery':>10}  result")
    for name, counts in results.items():
        ok = counts.lost == 0 and counts.duplicates == 0 and checks[name]
        handover, recovery = ("-" if s is None else f"{s:.1f} s" for s in (counts.handover_s, counts.recovery_s))
        extra = TIMINGS.get(name)
        more = f"  gap {extra['gap_s']} s, longest call {extra['max_block_s']} s" if extra else ""
        print(f"{name:<26}{counts.submitted:>10}{counts.decided:>10}{counts.duplicates:>12}{counts.lost:>7}"
              f"{handover:>10}{recovery:>10}  {'ok' if ok else 'FAILED'}{more}")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the scenarios, print the table and write the JSON report."""
    parser = argparse.ArgumentParser(prog="python -m harness.chaos", description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=3000, help="comments per scenario")
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "reports" / "chaos.json")
    parser.add_argument("--only", action="append", choices=sorted(SCENARIOS), help="run only these scenarios")
    args = parser.parse_args(argv)
    from training.train import ensure_default_model

    settings = load_settings()
    ensure_default_model(settings.models_dir)
    root = PROJECT_ROOT / "var" / "chaos"
    shutil.rmtree(root, ignore_errors=True)
    (root / "logs").mkdir(parents=True)
    server = EmbeddedRedis(root / "redis", appendonly=True)
    server.start()
    harness = Harness(server, settings.models_dir, root / "logs", args.comments)
    results: dict[str, Counts] = {}
    checks: dict[str, bool] = {}
    try:
        for name in args.only or list(SCENARIOS):
            print(f"{name}: {args.comments} comments ...", flush=True)
            started = time.monotonic()
            try:
                results[name], checks[name] = SCENARIOS[name](harness)
            finally:
                harness.stop_all()
            print(f"{name}: {results[name].to_dict()} in {time.monotonic() - started:.0f} s", flush=True)
    finally:
        harness.stop_all()
        server.stop()
    print_table(results, checks)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"scenarios": {n: {**c.to_dict(), **TIMINGS.get(n, {})}
                                                   for n, c in results.items()}}, indent=2) + "\n")
    print(f"\nwritten to {args.json}; worker logs in {root / 'logs'}")
    ok = all(c.lost == 0 and c.duplicates == 0 and checks[n] for n, c in results.items())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
