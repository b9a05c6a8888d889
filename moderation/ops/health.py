"""The deployment's health, for probes and dashboards: Redis, workers, model, queue depth.

:func:`check` returns a :class:`HealthReport`; ``moderation health`` prints it as JSON and exits with its
code (:data:`EXIT_CODES`), checked in this order, the first failing one wins:

=====  =========================================================================================
0      healthy
4      Redis unreachable (the same code as every other verb)
5      no live worker: no worker heartbeat hash (:mod:`workers.heartbeat`), or none whose consuming loop
       beats (``keys.worker_loop_key``, written by the loop that takes messages: a frozen main process
       stops it while its pool processes' heartbeat threads go on)
6      no model: none resolves (no Redis pointer, no ``models/CURRENT``, no shipped default bundle), or
       live worker processes are waiting for one (``--require-current``: some live worker still serves
       another version than the current one)
7      a queue is deeper than its bound (``--max-queue`` for the interactive queue, ``--max-bulk-queue``)
8      decisions late: the oldest undecided comment was accepted longer ago than
       ``health_max_undecided_seconds`` (``--max-undecided``), whatever the workers say about themselves
=====  =========================================================================================
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from moderation import keys
from moderation.models.current import ModelStore

EXIT_HEALTHY = 0
EXIT_REDIS_UNREACHABLE = 4
EXIT_NO_WORKER = 5
EXIT_NO_MODEL = 6
EXIT_QUEUE_TOO_DEEP = 7
EXIT_DECISIONS_LATE = 8
EXIT_CODES = {"healthy": EXIT_HEALTHY, "redis_unreachable": EXIT_REDIS_UNREACHABLE, "no_worker": EXIT_NO_WORKER,
              "no_model": EXIT_NO_MODEL, "queue_too_deep": EXIT_QUEUE_TOO_DEEP,
              "decisions_late": EXIT_DECISIONS_LATE}


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def live_workers(redis: Redis, prefix: str) -> list[dict[str, str]]:
    """The heartbeat hashes of the worker processes alive now (their keys expire when they stop beating).

    :param redis: the connection.
    :param prefix: the key prefix.
    :returns: each process's fields (``node``, ``pid``, ``model_version``, ``queues``, ``beat``...), by key.
    """
    names = sorted(_text(k) for k in redis.scan_iter(match=keys.worker_key(prefix, "*"), count=1000))
    if not names:
        return []
    pipe = redis.pipeline(transaction=False)
    for name in names:
        pipe.hgetall(name)
    found: list[Any] = pipe.execute()
    return [{_text(k): _text(v) for k, v in fields.items()} for fields in found if fields]


def consuming_workers(redis: Redis, prefix: str) -> tuple[list[dict[str, str]], list[str]]:
    """The live worker processes whose node's consuming loop beats, and the nodes whose loop does not.

    :param redis: the connection.
    :param prefix: the key prefix.
    :returns: the heartbeat fields of the processes of consuming nodes, and the stalled nodes' names.
    """
    workers = live_workers(redis, prefix)
    nodes = sorted({w.get("node", "?") for w in workers})
    beats = redis.mget([keys.worker_loop_key(prefix, n) for n in nodes]) if nodes else []
    looping = {n for n, b in zip(nodes, beats, strict=True) if b is not None}
    return [w for w in workers if w.get("node", "?") in looping], [n for n in nodes if n not in looping]


def oldest_undecided_seconds(redis: Redis, prefix: str, now: float | None = None) -> float:
    """How long ago the oldest comment still undecided was accepted (0 when none is pending).

    :param redis: the connection.
    :param prefix: the key prefix.
    :param now: seconds since the epoch (``time.time()`` by default).
    """
    oldest: Any = redis.zrange(keys.pending_key(prefix), 0, 0, withscores=True)
    if not oldest:
        return 0.0
    return max(0.0, round((time.time() if now is None else now) - float(oldest[0][1]) / 1000, 3))


@dataclass
class HealthReport:
    """What :func:`check` found.

    :param status: ``healthy`` or the first failing check's name (a key of :data:`EXIT_CODES`).
    :param problems: every failing check, in words.
    """

    status: str = "healthy"
    problems: list[str] = field(default_factory=list)
    redis: bool = False
    workers: int = 0
    nodes: list[str] = field(default_factory=list)
    model_version: str | None = None
    model_source: str | None = None
    waiting: int = 0
    serving: dict[str, int] = field(default_factory=dict)
    queues: dict[str, int] = field(default_factory=dict)
    pending: int = 0
    stalled: list[str] = field(default_factory=list)
    oldest_undecided_s: float = 0.0
    #: Webhook deliveries waiting or under way (``backlog``) and given up (``dead_letters``: see
    #: ``moderation webhooks dead-letters``).
    webhooks: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """The process exit code for this report."""
        return EXIT_CODES[self.status]

    def fail(self, status: str, problem: str) -> None:
        """Record a failing check (the first one sets the status)."""
        if self.status == "healthy":
            self.status = status
        self.problems.append(problem)

    def to_dict(self) -> dict[str, Any]:
        """The report as printed."""
        return {**asdict(self), "exit_code": self.exit_code}


def check(redis: Redis, *, store: ModelStore, queue: str, bulk_queue: str, max_queue: int,
          max_bulk_queue: int | None = None, require_current: bool = False,
          max_undecided_seconds: float | None = None) -> HealthReport:
    """Check Redis, the workers' heartbeats, the model and the queue depths.

    The current model is resolved exactly as the workers resolve it (:meth:`ModelStore.pointer`: Redis
    pointer, ``models/CURRENT``, shipped default), so the report names the model they serve.

    :param redis: the connection (with short timeouts: a probe must not hang).
    :param store: the deployment's model store (its Redis, prefix, models dir and default bundle).
    :param queue: the interactive queue.
    :param bulk_queue: the bulk queue.
    :param max_queue: the most messages the interactive queue may hold.
    :param max_bulk_queue: the most the bulk queue may hold (None: not checked; a re-scoring backlog is fine).
    :param require_current: also fail while a live worker serves another model than the promoted one (to wait
        for a promotion to reach every worker).
    :param max_undecided_seconds: fail when the oldest undecided comment is older (None: not checked).
    """
    report = HealthReport()
    prefix = store.prefix
    try:
        redis.ping()
        pipe = redis.pipeline(transaction=False)
        pipe.llen(queue)
        pipe.llen(bulk_queue)
        pipe.zcard(keys.pending_key(prefix))
        pipe.zcard(keys.webhook_due_key(prefix))
        pipe.xlen(keys.webhook_dead_letters_stream(prefix))
        depth, bulk_depth, pending, webhook_backlog, webhook_dead = pipe.execute()
        pointer = store.pointer()
        workers, stalled = consuming_workers(redis, prefix)
        oldest = oldest_undecided_seconds(redis, prefix)
    except RedisError as exc:
        report.fail("redis_unreachable", f"Redis unreachable: {exc}")
        return report
    report.redis = True
    report.queues = {queue: int(depth), bulk_queue: int(bulk_depth)}
    report.pending = int(pending)
    report.stalled = stalled
    report.oldest_undecided_s = oldest
    report.webhooks = {"backlog": int(webhook_backlog), "dead_letters": int(webhook_dead)}
    report.model_version = pointer.version if pointer else None
    report.model_source = pointer.source if pointer else None
    report.workers = len(workers)
    report.nodes = sorted({w.get("node", "?") for w in workers})
    for worker in workers:
        served = worker.get("model_version") or "none"
        report.serving[served] = report.serving.get(served, 0) + 1
    report.waiting = sum(1 for w in workers if not w.get("model_version"))
    if not workers:
        frozen = f"no live worker: the consuming loop of {', '.join(stalled)} has stopped beating (frozen or hung)"
        report.fail("no_worker", frozen if stalled else "no live worker (no heartbeat in Redis)")
    elif stalled:
        report.problems.append(f"the consuming loop of {', '.join(stalled)} has stopped beating (not counted alive)")
    if pointer is None:
        report.fail("no_model", f"no model: none promoted and no default bundle (looked in: {store.describe()}); "
                                "train and promote one (make train && make promote)")
    elif report.waiting:
        report.fail("no_model", f"{report.waiting} worker process(es) waiting for a model, not consuming; the "
                                f"current one is {pointer.version} ({pointer.source}): they load it within "
                                "model_refresh_seconds, or their log says why they cannot")
    elif require_current and any(w.get("model_version") != report.model_version for w in workers):
        stale = sum(n for v, n in report.serving.items() if v != report.model_version)
        report.fail("no_model", f"{stale} worker process(es) not yet serving {report.model_version}")
    if depth > max_queue:
        report.fail("queue_too_deep", f"queue {queue} holds {depth} messages (bound {max_queue})")
    if max_bulk_queue is not None and bulk_depth > max_bulk_queue:
        report.fail("queue_too_deep", f"queue {bulk_queue} holds {bulk_depth} messages (bound {max_bulk_queue})")
    if max_undecided_seconds is not None and oldest > max_undecided_seconds:
        report.fail("decisions_late", f"the oldest undecided comment was accepted {oldest:.0f} s ago "
                                      f"(bound {max_undecided_seconds:.0f} s): moderation is stalled or behind")
    return report
