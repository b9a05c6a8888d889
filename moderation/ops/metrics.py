"""Prometheus metrics: counters the workers keep in Redis, and their exposition in the text format.

A prefork worker is several processes, and a deployment several workers: each batch adds its counts to one
Redis hash (``keys.metrics_key(prefix)``, one pipelined round trip per batch), and ``moderation metrics``
reads them with the queue depths, the pending count, the dead letters, the current model and the workers
alive, and serves them on ``/metrics`` (so any number of workers is scraped at one place).

Metric names::

    moderation_decisions_total{decision}              counter    decisions published, by outcome
    moderation_decision_latency_seconds               histogram  submission to decision (bucket, sum, count)
    moderation_rescored_total{changed}                counter    comments re-scored by ``rescore``
    moderation_queue_depth{queue}                     gauge      messages waiting on each queue (LLEN)
    moderation_pending_comments                       gauge      accepted comments without a decision yet
    moderation_dead_letters                           gauge      entries in the dead-letter stream
    moderation_model_info{version,source}             gauge      1 for the current model (as the workers resolve it)
    moderation_workers_alive                          gauge      worker processes with a live heartbeat
    moderation_workers_waiting_for_model              gauge      live worker processes with no model loaded
    moderation_worker_model_info{node,pid,version}    gauge      1 per live worker process and the model it serves
    moderation_redis_up                               gauge      1 if Redis answered this scrape
    moderation_oldest_undecided_seconds               gauge      age of the oldest accepted comment still undecided
    moderation_review_backlog                         gauge      held comments awaiting a moderator's verdict
    moderation_workers_stalled                        gauge      worker nodes whose consuming loop stopped beating

and the breakdowns of :mod:`moderation.ops.breakdowns` (by site, language, reason, score histograms,
moderators' overturns, Redis client retries and reconnects, requeues, redeliveries).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from moderation import keys
from moderation.models.current import ModelStore
from moderation.ops.breakdowns import record_breakdowns, series
from moderation.ops.health import consuming_workers, oldest_undecided_seconds
from moderation.records import OUTCOMES, Decision

#: Upper bounds (milliseconds) of the latency histogram's buckets; a last ``+Inf`` bucket is implied.
LATENCY_BUCKETS_MS: tuple[float, ...] = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _bucket_field(index: int) -> str:
    return f"latency:{index}"


def record_decisions(redis: Redis, prefix: str, decisions: Iterable[Decision], pipe: Any = None) -> None:
    """Add a batch's published decisions to the counters: one pipelined round trip.

    :param redis: the connection.
    :param prefix: the key prefix.
    :param decisions: the decisions just published (not the duplicates).
    :param pipe: queue the commands on this pipeline instead (the caller executes it).
    """
    decisions = list(decisions)
    outcomes: dict[str, int] = {}
    buckets: dict[int, int] = {}
    latency_sum = 0.0
    latency_count = 0
    for decision in decisions:
        outcomes[decision.decision] = outcomes.get(decision.decision, 0) + 1
        if decision.latency_ms is not None:
            index = bisect.bisect_left(LATENCY_BUCKETS_MS, decision.latency_ms)
            buckets[index] = buckets.get(index, 0) + 1
            latency_sum += decision.latency_ms
            latency_count += 1
    if not outcomes:
        return
    key = keys.metrics_key(prefix)
    own = pipe is None
    pipe = redis.pipeline(transaction=False) if own else pipe
    for outcome, count in outcomes.items():
        pipe.hincrby(key, f"decisions:{outcome}", count)
    for index, count in buckets.items():
        pipe.hincrby(key, _bucket_field(index), count)
    if latency_count:
        pipe.hincrby(key, "latency:count", latency_count)
        pipe.hincrbyfloat(key, "latency:sum_ms", latency_sum)
    record_breakdowns(pipe, prefix, decisions)
    if own:
        pipe.execute()


def record_rescored(redis: Redis, prefix: str, *, changed: int, unchanged: int) -> None:
    """Count comments re-scored by a ``rescore`` run."""
    pipe = redis.pipeline(transaction=False)
    pipe.hincrby(keys.metrics_key(prefix), "rescored:true", changed)
    pipe.hincrby(keys.metrics_key(prefix), "rescored:false", unchanged)
    pipe.execute()


@dataclass
class Snapshot:
    """Everything one scrape reports (see the module's list of metric names)."""

    redis_up: bool
    counters: dict[str, float] = field(default_factory=dict)
    queues: dict[str, int] = field(default_factory=dict)
    pending: int = 0
    dead_letters: int = 0
    model_version: str | None = None
    model_source: str | None = None
    workers: list[dict[str, str]] = field(default_factory=list)
    oldest_undecided_s: float = 0.0
    review_backlog: int = 0
    stalled: list[str] = field(default_factory=list)


def collect(redis: Redis, store: ModelStore, queues: Sequence[str]) -> Snapshot:
    """Read the counters and gauges from Redis (a few round trips); ``redis_up`` False if it does not answer.

    :param redis: the connection (decode_responses on).
    :param store: the deployment's model store: its prefix, and the current model resolved as the workers do.
    :param queues: the queues whose depth to report (interactive and bulk).
    """
    prefix = store.prefix
    try:
        pipe = redis.pipeline(transaction=False)
        pipe.hgetall(keys.metrics_key(prefix))
        for queue in queues:
            pipe.llen(queue)
        pipe.zcard(keys.pending_key(prefix))
        pipe.xlen(keys.dead_letter_stream(prefix))
        pipe.hlen(keys.review_items_key(prefix))
        results: list[Any] = pipe.execute()
        pointer = store.pointer()
        workers, stalled = consuming_workers(redis, prefix)
        oldest = oldest_undecided_seconds(redis, prefix)
    except RedisError:
        return Snapshot(redis_up=False)
    counters = {str(k): float(v) for k, v in (results[0] or {}).items()}
    depths = {q: int(n) for q, n in zip(queues, results[1:1 + len(queues)], strict=True)}
    pending, dead, held = results[1 + len(queues):]
    return Snapshot(True, counters, depths, int(pending), int(dead), pointer.version if pointer else None,
                    pointer.source if pointer else None, workers, oldest, int(held), stalled)


def _labels(**labels: Any) -> str:
    def escape(value: Any) -> str:
        return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')

    return "{" + ",".join(f'{name}="{escape(value)}"' for name, value in labels.items()) + "}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def exposition(snapshot: Snapshot) -> str:
    """The snapshot in Prometheus' text exposition format (version 0.0.4)."""
    lines: list[str] = []

    def metric(name: str, kind: str, help_text: str, samples: Iterable[tuple[str, Mapping[str, Any], float]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for suffix, labels, value in samples:
            lines.append(f"{name}{suffix}{_labels(**labels) if labels else ''} {_number(value)}")

    metric("moderation_redis_up", "gauge", "1 if Redis answered this scrape.", [("", {}, int(snapshot.redis_up))])
    if not snapshot.redis_up:
        return "\n".join(lines) + "\n"
    c = snapshot.counters
    metric("moderation_decisions_total", "counter", "Decisions published, by outcome.",
           [("", {"decision": o}, c.get(f"decisions:{o}", 0)) for o in OUTCOMES])
    cumulative = 0.0
    buckets = []
    for index, bound in enumerate(LATENCY_BUCKETS_MS):
        cumulative += c.get(_bucket_field(index), 0)
        buckets.append(("_bucket", {"le": _number(bound / 1000)}, cumulative))
    cumulative += c.get(_bucket_field(len(LATENCY_BUCKETS_MS)), 0)
    buckets += [("_bucket", {"le": "+Inf"}, cumulative), ("_sum", {}, c.get("latency:sum_ms", 0) / 1000),
                ("_count", {}, c.get("latency:count", 0))]
    metric("moderation_decision_latency_seconds", "histogram", "From submission to published decision.", buckets)
    metric("moderation_rescored_total", "counter", "Comments re-scored, by whether the decision changed.",
           [("", {"changed": v}, c.get(f"rescored:{v}", 0)) for v in ("true", "false")])
    metric("moderation_queue_depth", "gauge", "Messages waiting on each queue.",
           [("", {"queue": q}, n) for q, n in snapshot.queues.items()])
    metric("moderation_pending_comments", "gauge", "Accepted comments without a decision yet.",
           [("", {}, snapshot.pending)])
    metric("moderation_dead_letters", "gauge", "Entries in the dead-letter stream.", [("", {}, snapshot.dead_letters)])
    metric("moderation_model_info", "gauge", "The current model, resolved as the workers do.",
           [("", {"version": snapshot.model_version, "source": snapshot.model_source}, 1)]
           if snapshot.model_version else [])
    metric("moderation_workers_alive", "gauge", "Worker processes with a live heartbeat.",
           [("", {}, len(snapshot.workers))])
    metric("moderation_workers_waiting_for_model", "gauge", "Live worker processes with no model loaded.",
           [("", {}, sum(1 for w in snapshot.workers if not w.get("model_version")))])
    metric("moderation_worker_model_info", "gauge", "The model each live worker process serves.",
           [("", {"node": w.get("node", ""), "pid": w.get("pid", ""), "version": w.get("model_version", "")}, 1)
            for w in snapshot.workers])
    metric("moderation_oldest_undecided_seconds", "gauge", "Age of the oldest accepted comment still undecided.",
           [("", {}, snapshot.oldest_undecided_s)])
    metric("moderation_review_backlog", "gauge", "Held comments awaiting a moderator's verdict.",
           [("", {}, snapshot.review_backlog)])
    metric("moderation_workers_stalled", "gauge", "Worker nodes whose consuming loop stopped beating.",
           [("", {}, len(snapshot.stalled))])
    for name, kind, help_text, samples in series(c):
        metric(name, kind, help_text, samples)
    return "\n".join(lines) + "\n"
