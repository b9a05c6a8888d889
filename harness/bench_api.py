"""``make bench-api``: the HTTP API and webhooks on this machine, with a real worker, API server and deliverer.

Starts its own Redis (embedded), a worker (the current model, else the shipped one), ``moderation api`` and
``moderation webhooks deliver`` as processes, and a local webhook receiver in this process; prints the figures
and writes ``reports/bench_api.json``:

- ``intake_cps``: comments/s accepted over HTTP in batches of 100 (``--clients`` connections at once) and
  decided by the worker in the same run, from the first request to the last published decision;
- ``single_latency_ms``: one comment per ``POST /v1/comments`` at ``--rate`` requests/s (open loop), from
  sending the request to reading the answer (p50/p95/p99/max);
- ``webhook_latency_ms``: from a decision's publication (its stream entry's time) to its arrival at the
  receiver, comments submitted one per request at ``--webhook-rate``/s;
- ``outage``: the receiver down for ``--down-seconds`` while comments keep coming, then back: how many
  decisions were lost, delivered twice under one idempotency key (allowed), and delivered twice under
  different keys (a real duplicate), and how long after it came back the last one arrived;
- ``intake_cpu_per_comment`` and ``single_cpu_per_request``: CPU milliseconds the API server and the worker spent
  per comment (batches) and per request (single comments), with the load average before and after: on a shared
  machine the wall-clock figures measure the neighbours too, the CPU cost does not.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from redis import Redis

from harness.bench import percentile
from harness.corpus import corpus_texts, payloads
from harness.tally import progress
from harness.web_process import ApiServer, ModerationProcess, WebhookReceiver
from harness.worker_process import WorkerProcess, child_pids
from moderation.ops.embedded_redis import EmbeddedRedis
from moderation.publishing.webhooks import Webhooks
from moderation.settings import PROJECT_ROOT
from moderation.web.auth import ApiKeys

TARGETS = {"intake_cps": (">=", 3000), "single_p99_ms": ("<=", 20), "webhook_p99_ms": ("<=", 100),
           "outage_lost": ("<=", 0), "outage_real_duplicates": ("<=", 0)}


class Connection:
    """One keep-alive connection to the API, with a key."""

    def __init__(self, url: str, key: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}

    def post(self, path: str, body: Any) -> tuple[int, Any]:
        """POST JSON; the status and the parsed answer."""
        self.conn.request("POST", path, body=json.dumps(body).encode(), headers=self.headers)
        response = self.conn.getresponse()
        return response.status, json.loads(response.read())


def comments(texts: list[str], tag: str) -> list[dict[str, Any]]:
    """The corpus payloads without their ``site`` (the key decides it)."""
    return [{k: v for k, v in p.items() if k != "site"} for p in payloads(texts, tag)]


def in_threads(count: int, work: Callable[[int], None]) -> None:
    """Run ``work(i)`` for i in range(count), each in its own thread, and wait for all."""
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def wait_for(condition: Callable[[], bool], timeout: float) -> float:
    """Wait until ``condition()``; returns when (perf_counter). Raises after ``timeout`` seconds."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"not done within {timeout} s")
        time.sleep(0.005)
    return time.perf_counter()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (s), from ``/proc``."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


class CpuMeter:
    """CPU time of the API server and of the worker (main process and pool) over one phase: what each comment
    costs, whatever else the machine is doing (wall-clock figures on a shared machine are not)."""

    def __init__(self, api_pid: int, worker_pid: int) -> None:
        self.api_pid, self.worker_pid = api_pid, worker_pid
        self.start = self.read()

    def read(self) -> tuple[float, float]:
        return cpu_seconds([self.api_pid]), cpu_seconds([self.worker_pid, *child_pids(self.worker_pid)])

    def per(self, count: int) -> dict[str, float]:
        """Milliseconds of CPU per unit (comment or request) since the meter started, by process."""
        api, worker = self.read()
        return {"api_cpu_ms": round((api - self.start[0]) * 1000 / count, 3),
                "worker_cpu_ms": round((worker - self.start[1]) * 1000 / count, 3)}


def intake(url: str, key: str, redis: Redis, prefix: str, texts: list[str], clients: int) -> dict[str, Any]:
    """Batches of 100 over HTTP from ``clients`` connections, until every comment is decided."""
    items = comments(texts, f"tp-{uuid.uuid4().hex[:4]}")
    batches = [items[i:i + 100] for i in range(0, len(items), 100)]
    base = progress(redis, prefix)
    accepted = [0] * clients

    def send(index: int) -> None:
        conn = Connection(url, key)
        for batch in batches[index::clients]:
            status, answer = conn.post("/v1/comments", batch)
            assert status == 202, answer
            accepted[index] += sum(r["status"] == "queued" for r in answer["results"])

    started = time.perf_counter()
    in_threads(clients, send)
    sent = time.perf_counter()
    finished = wait_for(lambda: progress(redis, prefix) >= base + sum(accepted), 600)
    cps = sum(accepted) / (finished - started)
    print(f"intake over HTTP: {sum(accepted):,} comments in batches of 100 from {clients} connections, decided in "
          f"{finished - started:.2f} s = {cps:,.0f} comments/s (requests took {sent - started:.2f} s)", flush=True)
    return {"intake_cps": round(cps), "intake_comments": sum(accepted),
            "intake_request_seconds": round(sent - started, 2)}


def open_loop(url: str, key: str, items: list[dict[str, Any]], rate: float, threads: int) -> list[float]:
    """POST one comment per request at ``rate`` requests/s in all (open loop); each request's latency (ms)."""
    latencies: list[float] = []
    lock = threading.Lock()
    started = time.perf_counter() + 0.2

    def send(index: int) -> None:
        conn = Connection(url, key)
        mine: list[float] = []
        for n in range(index, len(items), threads):
            due = started + n / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            sent = time.perf_counter()
            status, answer = conn.post("/v1/comments", items[n])
            assert status == 202, answer
            mine.append((time.perf_counter() - min(sent, due)) * 1000)  # from when it was due: a late start counts
        with lock:
            latencies.extend(mine)

    in_threads(threads, send)
    return latencies


def summary(values: list[float]) -> dict[str, float]:
    """p50/p95/p99/max of ``values`` (ms), rounded."""
    return {"p50": round(statistics.median(values), 1), "p95": round(percentile(values, 95), 1),
            "p99": round(percentile(values, 99), 1), "max": round(max(values), 1)}


def webhook_latencies(receiver: WebhookReceiver, since: int) -> list[float]:
    """Per delivery received after ``since`` (index): arrival minus the decision's publication, in ms."""
    out = []
    for got in receiver.deliveries()[since:]:
        entry_ms = int(got.body["idempotency_key"].rsplit(":", 1)[1].split("-")[0])
        out.append(got.at * 1000 - entry_ms)
    return out


def outage(url: str, key: str, receiver: WebhookReceiver, texts: list[str], down: float, rate: float
           ) -> dict[str, Any]:
    """The receiver down for ``down`` seconds while comments keep coming; then back."""
    items = comments(texts[:int(down * rate)], f"out-{uuid.uuid4().hex[:4]}")
    expected = {c["id"] for c in items}
    before = len(receiver.deliveries())
    receiver.stop()
    print(f"receiver down for {down:.0f} s, {len(items)} comments submitted meanwhile", flush=True)
    open_loop(url, key, items, rate, 2)
    receiver.start()
    back = time.perf_counter()
    seen = lambda: {d.body["comment_id"] for d in receiver.deliveries()[before:]}  # noqa: E731
    try:
        done = wait_for(lambda: expected <= seen(), 600)
    except RuntimeError:
        done = time.perf_counter()
    time.sleep(2)  # anything delivered twice arrives within this too
    got = [d for d in receiver.deliveries()[before:] if d.body["comment_id"] in expected]
    by_comment: dict[str, set[str]] = {}
    for d in got:
        by_comment.setdefault(d.body["comment_id"], set()).add(d.body["idempotency_key"])
    result = {"down_seconds": down, "comments": len(items), "lost": len(expected - set(by_comment)),
              "same_key_repeats": len(got) - sum(len(k) for k in by_comment.values()),
              "real_duplicates": sum(len(k) - 1 for k in by_comment.values()),
              "all_arrived_seconds_after_back": round(done - back, 1)}
    print(f"outage: {result}", flush=True)
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement; the report."""
    var = PROJECT_ROOT / "var"
    (var / "bench-api-models").mkdir(parents=True, exist_ok=True)
    texts = corpus_texts(max(args.comments, int(args.rate * args.seconds), int(args.down_seconds * 20) + 1000))
    report: dict[str, Any] = {"cores": os.cpu_count(), "load_average_before": os.getloadavg()[0],
                              "concurrency": args.concurrency, "clients": args.clients}
    with EmbeddedRedis(var / "bench-api-redis") as server:
        prefix = f"bapi-{uuid.uuid4().hex[:6]}"
        redis = Redis.from_url(server.url, decode_responses=True)
        env = {"REDIS_URL": server.url, "MODERATION_PREFIX": prefix, "MODERATION_QUEUE": f"{prefix}-q",
               "MODERATION_LOG_LEVEL": "WARNING", "MODERATION_API_RATE_LIMIT": "100000",
               "MODERATION_MODELS_DIR": os.environ.get("MODERATION_MODELS_DIR", str(var / "bench-api-models"))}
        worker = WorkerProcess(env, name="bench-api", concurrency=args.concurrency,
                               log_file=var / "bench-api-worker.log").start()
        api = ApiServer(env, log_file=var / "bench-api-server.log").start()
        deliverer = ModerationProcess(["webhooks", "deliver"], env, log_file=var / "bench-api-deliver.log").start()
        receiver = WebhookReceiver().start()
        try:
            worker.wait_ready(redis, prefix, timeout=180)
            api.wait_ready()
            keys = ApiKeys(redis, prefix)
            intake_key, hooks_key = keys.add("news")[1], keys.add("hooks")[1]
            receiver.secret = Webhooks(redis, prefix).add("hooks", receiver.url).secret
            open_loop(api.url, intake_key, comments(texts[:200], "warm"), 200, 4)  # warm up
            assert api.process is not None and worker.process is not None
            meter = CpuMeter(api.process.pid, worker.process.pid)
            report.update(intake(api.url, intake_key, redis, prefix, texts[:args.comments], args.clients))
            report["intake_cpu_per_comment"] = meter.per(report["intake_comments"])
            meter = CpuMeter(api.process.pid, worker.process.pid)
            single = open_loop(api.url, intake_key, comments(texts[:int(args.rate * args.seconds)], "one"),
                               args.rate, 8)
            report["single_cpu_per_request"] = meter.per(len(single))
            print(f"CPU per comment in batches of 100: {report['intake_cpu_per_comment']}; per single-comment "
                  f"request: {report['single_cpu_per_request']}", flush=True)
            report["single_rate"] = args.rate
            report["single_latency_ms"] = summary(single)
            print(f"single comments at {args.rate:.0f} requests/s: {report['single_latency_ms']}", flush=True)
            before = len(receiver.deliveries())
            hooked = comments(texts[:int(args.webhook_rate * args.seconds)], "wh")
            open_loop(api.url, hooks_key, hooked, args.webhook_rate, 2)
            wait_for(lambda: len(receiver.deliveries()) >= before + len(hooked), 120)
            report["webhook_rate"] = args.webhook_rate
            report["webhook_latency_ms"] = summary(webhook_latencies(receiver, before))
            print(f"webhooks at {args.webhook_rate:.0f} decisions/s, publication to arrival: "
                  f"{report['webhook_latency_ms']}", flush=True)
            if args.down_seconds > 0:
                report["outage"] = outage(api.url, hooks_key, receiver, texts, args.down_seconds, 10)
        finally:
            receiver.stop()
            deliverer.stop()
            api.stop()
            worker.stop()
    return report


def print_table(report: dict[str, Any]) -> None:
    """The figures against the targets."""
    flat = {**report, "single_p99_ms": report["single_latency_ms"]["p99"],
            "webhook_p99_ms": report["webhook_latency_ms"]["p99"]}
    if "outage" in report:
        flat.update({"outage_lost": report["outage"]["lost"],
                     "outage_real_duplicates": report["outage"]["real_duplicates"]})
    print(f"\n{'figure':<26}{'value':>12}  target")
    for name, (op, bound) in TARGETS.items():
        if name in flat:
            value = flat[name]
            met = value >= bound if op == ">=" else value <= bound
            print(f"{name:<26}{value:>12,}  {op} {bound:,}  {'met' if met else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m harness.bench_api", description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20_000, help="comments for the intake run")
    parser.add_argument("--clients", type=int, default=4, help="connections sending batches at once")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--rate", type=float, default=200, help="single-comment requests/s for the latency run")
    parser.add_argument("--seconds", type=float, default=10, help="length of the latency and webhook runs")
    parser.add_argument("--webhook-rate", type=float, default=50, help="decisions/s for the webhook latency run")
    parser.add_argument("--down-seconds", type=float, default=60, help="receiver outage (0: skip)")
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "reports" / "bench_api.json")
    args = parser.parse_args(argv)
    report = run(args)
    report["load_average_after"] = os.getloadavg()[0]
    print_table(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
