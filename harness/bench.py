"""``make bench``: throughput, latency and memory of the whole pipeline, on this machine.

Starts its own Redis (embedded) and a real worker, pushes realistic comments (the project's seed corpus,
with authors, threads and sites) through validation, rules, model, policy and publishing, prints a table
and writes ``reports/bench.json``:

- ``throughput_cps``: comments/s sustained end to end, submitted in messages of ``batch_size`` as fast as
  one producer can, from the first submission to the last published decision;
- ``offered_cps`` and ``latency_ms`` (p50/p95/p99): one comment per submission at a fixed offered rate,
  from submission to the decision's stream entry;
- ``worker_rss_mb``: the largest resident size of one worker process (``worker_rss_total_mb``: all of them);
- ``model_ceiling_cps``: the model scoring batches alone in this process, no queue;
- ``peer_cps``: alt-profanity-check (``make bench`` installs it) on the same texts, in one batch;
- ``profile_ms_per_batch``: where the time of one batch goes in the worker's code path;
- ``redis_memory``: Redis bytes per pending, decided and held comment (:mod:`harness.redis_memory`).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from redis import Redis

from harness.corpus import corpus_texts, payloads
from harness.tally import progress
from harness.worker_process import WorkerProcess, child_pids
from moderation import keys
from moderation.intake.client import ModerationClient, Receipt
from moderation.ops.embedded_redis import EmbeddedRedis
from moderation.settings import PROJECT_ROOT, load_settings


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def rss_mb(pid: int) -> float:
    """Resident set size of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_decisions(redis: Redis, prefix: str, target: int, timeout: float) -> float:
    """Wait until the decision stream holds ``target`` entries; returns when that happened (perf_counter)."""
    deadline = time.perf_counter() + timeout
    while progress(redis, prefix) < target:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"only {progress(redis, prefix)} of {target} decisions within {timeout} s")
        time.sleep(0.005)
    return time.perf_counter()


def model_ceiling(scorer: Any, texts: list[str], batch: int) -> float:
    """Comments/s of the model alone, scoring (with explanations) batches of ``batch``."""
    scorer.score_batch(texts[:batch])
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        scorer.score_batch(texts[start:start + batch], explain=True, top_k=5)
    return len(texts) / (time.perf_counter() - started)


def peer_speed(texts: list[str]) -> float | None:
    """Comments/s of alt-profanity-check on the same texts (None if it is not installed)."""
    try:
        from profanity_check import predict_prob
    except ImportError:
        return None
    predict_prob(texts[:100])
    started = time.perf_counter()
    predict_prob(texts)
    return len(texts) / (time.perf_counter() - started)


def profile_batch(redis_url: str, prefix: str, scorer: Any, batch: list[dict[str, Any]]) -> dict[str, float]:
    """Milliseconds per stage of one batch in the worker's code path (:class:`workers.handler.BatchHandler`):
    validation, the rules' round trip (decided check, counts, histories), the model, the rules and policy,
    holding and publishing, and the bookkeeping after publishing. Medians of 5 rounds after a warm-up round."""
    from datetime import UTC, datetime

    from moderation.judging.pipeline import moderate, validate_payloads
    from moderation.judging.policy import load_policy
    from moderation.store.connection import redis_from_url
    from workers.handler import BatchHandler

    settings = dataclasses.replace(load_settings(), prefix=prefix)
    # A connection made as the worker makes its own (the same command packer).
    handler = BatchHandler(redis_from_url(redis_url, decode_responses=True), lambda: scorer,
                           load_policy(settings.policy_file), settings)
    names = ("validate", "rules_observe", "model", "rules_and_policy", "hold_and_publish", "bookkeeping")
    stages: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(6):
        # New ids and authors each round: otherwise every comment is a repeat, held for review.
        items = [{**p, "id": f"{p['id']}-p{round_}", "author": {**p["author"], "id": f"{p['author']['id']}-p{round_}"}}
                 for p in batch]
        marks = [time.perf_counter()]
        comments, _ = validate_payloads(items)
        marks.append(time.perf_counter())
        now = datetime.now(UTC)
        observed = [o for o in handler.rules.observe(comments, now.timestamp()) if not o.decided]
        marks.append(time.perf_counter())
        scorer.score_batch([c.body for c in comments], explain=True, top_k=5)
        marks.append(time.perf_counter())
        # moderate() scores again: the model's time is taken off to leave the rules and the policy.
        decisions = moderate(comments, scorer, handler.policy, now=now, rules=handler.rules, observations=observed)
        marks.append(time.perf_counter())
        published = handler.hold_and_publish(comments, decisions)
        marks.append(time.perf_counter())
        handler.book_keep([(c, d) for c, d, p in zip(comments, decisions, published, strict=True) if p])
        marks.append(time.perf_counter())
        spans = [later - earlier for earlier, later in itertools.pairwise(marks)]
        spans[3] -= spans[2]  # moderate() ran the model again
        for name, span in zip(names, spans, strict=True):
            if round_:
                stages[name].append(span * 1000)
    profile = {name: round(statistics.median(values), 2) for name, values in stages.items()}
    profile["total"] = round(sum(profile.values()), 2)
    return profile


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run every measurement and return the report."""
    from moderation.models.current import CurrentModel
    from training.registry import ModelRegistry
    from training.train import ensure_default_model

    settings = load_settings()
    var = PROJECT_ROOT / "var"
    texts = corpus_texts(max(args.comments, args.offered * args.seconds))
    if args.model is not None:  # a given bundle instead of the current model
        from moderation.models.bundle import bundle_info, load_bundle

        current = bundle_info(args.model)
        scorer = load_bundle(args.model)
    else:
        ensure_default_model(settings.models_dir, default_model=settings.default_model)
        local = ModelRegistry(settings.models_dir, default_model=settings.default_model)
        found = local.current()
        assert found is not None
        current = found
        scorer = CurrentModel(local).get()
    print(f"model {scorer.version}; {len(texts):,} comments from the seed corpus", flush=True)

    report: dict[str, Any] = {"model_version": scorer.version, "cores": os.cpu_count(),
                              "concurrency": args.concurrency, "batch_size": args.batch,
                              "language_id": not args.without_language_id}
    report["model_ceiling_cps"] = round(model_ceiling(scorer, texts[:args.comments], args.batch))
    print(f"model alone: {report['model_ceiling_cps']:,} comments/s", flush=True)
    peer = peer_speed(texts[:args.comments])
    report["peer_cps"] = round(peer) if peer else None
    print(f"alt-profanity-check: {report['peer_cps'] or 'not installed'} comments/s", flush=True)

    with EmbeddedRedis(var / "bench-redis") as server:
        prefix = f"bench-{uuid.uuid4().hex[:6]}"
        redis = Redis.from_url(server.url, decode_responses=True)
        ModelRegistry(settings.models_dir, redis=Redis.from_url(server.url), prefix=prefix).promote(
            current.path, force=True)
        report["profile_ms_per_batch"] = profile_batch(server.url, f"{prefix}-profile", scorer,
                                                       payloads(texts[:args.batch], "profile"))
        env = {"REDIS_URL": server.url, "MODERATION_PREFIX": prefix, "MODERATION_QUEUE": f"{prefix}-q",
               "MODERATION_LOG_LEVEL": "WARNING", "MODERATION_BATCH_SIZE": str(args.batch)}
        worker = WorkerProcess(env, name="bench", concurrency=args.concurrency, log_file=var / "bench-worker.log",
                               includes=["harness.without_language_id"] if args.without_language_id else [])
        worker.start()
        try:
            worker.wait_ready(redis, prefix)
            client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q", batch_size=args.batch)
            report.update(throughput(client, redis, prefix, texts[:args.comments]))
            rss = [rss_mb(worker.process.pid)] + [rss_mb(p) for p in child_pids(worker.process.pid)]  # type: ignore[union-attr]
            report["worker_rss_mb"] = round(max(rss), 1)
            report["worker_rss_total_mb"] = round(sum(rss), 1)
            report.update(latency(client, redis, prefix, texts, args.offered, args.seconds))
        finally:
            worker.stop()
    report["throughput_vs_ceiling"] = round(report["throughput_cps"] / report["model_ceiling_cps"], 3)
    from harness.redis_memory import measure

    report["redis_memory"] = measure(var / "bench-memory-redis", scorer, comments=min(args.comments, 2000),
                                     batch=args.batch)
    print(f"Redis memory: {report['redis_memory']}", flush=True)
    return report


def throughput(client: ModerationClient, redis: Redis, prefix: str, texts: list[str]) -> dict[str, Any]:
    """Sustained end-to-end throughput with batched submissions."""
    warm = payloads(texts[:500], "warm")
    base = progress(redis, prefix)
    client.submit_many(warm)
    wait_decisions(redis, prefix, base + len(warm), 120)
    items = payloads(texts, "tp")
    base = progress(redis, prefix)
    started = time.perf_counter()
    results = client.submit_many(items)
    accepted = sum(isinstance(r, Receipt) for r in results)
    submitted = time.perf_counter()
    finished = wait_decisions(redis, prefix, base + accepted, 600)
    cps = accepted / (finished - started)
    print(f"end to end: {accepted:,} comments in {finished - started:.2f} s = {cps:,.0f} comments/s "
          f"(submitting took {submitted - started:.2f} s)", flush=True)
    return {"throughput_cps": round(cps), "throughput_comments": accepted,
            "submit_seconds": round(submitted - started, 2)}


def latency(client: ModerationClient, redis: Redis, prefix: str, texts: list[str], rate: int,
            seconds: int) -> dict[str, Any]:
    """Latency from submission to published decision, one comment per submission at a fixed offered rate."""
    items = payloads(texts[:rate * seconds], "lat")
    sent: dict[str, int] = {}
    base = progress(redis, prefix)
    last_id: Any = redis.xrevrange(keys.decisions_stream(prefix), count=1)
    start_id = last_id[0][0] if last_id else "0"
    started = time.perf_counter()
    behind = 0.0
    for index, payload in enumerate(items):
        due = started + index / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        else:
            behind = max(behind, -pause)
        receipt = client.submit(payload)
        sent[receipt.id] = receipt.submitted_at_ms
    wait_decisions(redis, prefix, base + len(items), 120)
    latencies: list[float] = []
    entries: Any = redis.xrange(keys.decisions_stream(prefix), min=f"({start_id}")
    for _entry_id, fields in entries:
        submitted = sent.get(fields["comment_id"])
        if submitted is not None:
            latencies.append(int(_entry_id.split("-")[0]) - submitted)
    result = {"offered_cps": rate, "latency_comments": len(latencies), "producer_max_lag_ms": round(behind * 1000, 1),
              "latency_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
                             "p99": percentile(latencies, 99), "max": max(latencies)}}
    print(f"latency at {rate}/s offered: {result['latency_ms']}", flush=True)
    return result


TARGETS = {"throughput_cps": (">=", 5000), "latency_p99_ms": ("<=", 30), "worker_rss_mb": ("<=", 300),
           "throughput_vs_ceiling": (">=", 0.6)}


def print_table(report: dict[str, Any]) -> None:
    """The figures against the targets, as a table."""
    flat = {**report, "latency_p99_ms": report["latency_ms"]["p99"]}
    print(f"\n{'figure':<26}{'value':>12}  target")
    for name in ("throughput_cps", "model_ceiling_cps", "throughput_vs_ceiling", "peer_cps", "offered_cps",
                 "latency_p99_ms", "worker_rss_mb", "worker_rss_total_mb"):
        value = flat.get(name)
        target = TARGETS.get(name)
        mark = ""
        if target and value is not None:
            ok = value >= target[1] if target[0] == ">=" else value <= target[1]
            mark = f"{target[0]} {target[1]}  {'ok' if ok else 'MISSED'}"
        print(f"{name:<26}{value if value is not None else '-':>12}  {mark}")
    print(f"{'latency_ms':<26}{json.dumps(report['latency_ms']):>12}")
    print(f"{'profile_ms_per_batch':<26}{json.dumps(report['profile_ms_per_batch'])}")
    if "redis_memory" in report:
        print(f"{'redis_memory':<26}{json.dumps(report['redis_memory'])}")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the benchmark, print and write the report."""
    parser = argparse.ArgumentParser(prog="python -m harness.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20_000, help="comments for the throughput run")
    parser.add_argument("--model", type=Path, help="a model bundle directory to bench instead of the current model")
    parser.add_argument("--without-language-id", action="store_true",
                        help="workers take each comment's language from its hint (what identification costs)")
    parser.add_argument("--offered", type=int, default=500, help="offered comments/s for the latency run")
    parser.add_argument("--seconds", type=int, default=10, help="length of the latency run")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--batch", type=int, default=100, help="comments per message and per model batch")
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "reports" / "bench.json")
    args = parser.parse_args(argv)
    report = run(args)
    print_table(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
