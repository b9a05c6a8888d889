"""Scale-out with real processes: two workers under distinct node names (as on two hosts, each with its own
models directory) share one queue; a promotion rolls across both; a re-scoring run goes through the bulk
queue; health and metrics see them all."""

from __future__ import annotations

import io
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis import Redis

from moderation import keys
from moderation.cli.main import main
from moderation.intake.client import ModerationClient, Receipt
from moderation.ops.health import EXIT_HEALTHY, live_workers
from tests.helpers import wait_until
from tests.workers.conftest import SEED, RunningWorker, start_worker
from tests.workers.helpers import FRIENDLY, SPAM, wait_for_decisions

# Every test here runs real worker processes on a real Redis.
pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Cluster:
    """Two workers on one prefix and queue; ``beta`` also consumes the bulk queue."""

    alpha: RunningWorker
    beta: RunningWorker
    prefix: str
    queue: str
    bulk_queue: str
    redis_url: str
    hosts: tuple[Path, Path]

    def env(self) -> dict[str, str]:
        return {"REDIS_URL": self.redis_url, "MODERATION_PREFIX": self.prefix, "MODERATION_QUEUE": self.queue,
                "MODERATION_BULK_QUEUE": self.bulk_queue}

    def client(self) -> ModerationClient:
        return ModerationClient(Redis.from_url(self.redis_url, decode_responses=True), prefix=self.prefix,
                                queue=self.queue, bulk_queue=self.bulk_queue, batch_size=25)


@pytest.fixture(scope="module")
def cluster(redis_url: str, models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("scale-out")
    hosts = (root / "host-a-models", root / "host-b-models")
    for host in hosts:  # each "host" has its own disk: a promoted bundle reaches it through Redis
        shutil.copytree(models_dir, host)
    prefix = f"it-scale-{time.time_ns() % 10**8}"
    bulk = f"{prefix}-bulk"
    # Small batches and prefetch (flush_every 2 -> 4 reserved messages per process), so one worker cannot take all.
    fast = {"MODERATION_HEARTBEAT": "0.5", "MODERATION_MODEL_REFRESH": "0.5", "MODERATION_BULK_QUEUE": bulk,
            "MODERATION_FLUSH_EVERY": "2"}
    alpha = start_worker(redis_url, hosts[0], root, name="alpha", concurrency=1, prefix=prefix, extra_env=fast)
    try:
        beta = start_worker(redis_url, hosts[1], root, name="beta", concurrency=1, prefix=prefix, extra_env=fast,
                            queues=[f"{prefix}-q", bulk])
    except BaseException:
        alpha.process.stop()
        raise
    yield Cluster(alpha, beta, prefix, alpha.queue, bulk, redis_url, hosts)
    for worker in (alpha, beta):
        worker.process.stop()
    redis = Redis.from_url(redis_url)
    leftovers = list(redis.scan_iter(match=f"{prefix}*", count=1000))
    if leftovers:
        redis.delete(*leftovers)


def by_node(cluster: Cluster) -> dict[str, list[dict[str, str]]]:
    nodes: dict[str, list[dict[str, str]]] = {}
    for worker in live_workers(Redis.from_url(cluster.redis_url, decode_responses=True), cluster.prefix):
        nodes.setdefault(worker["node"], []).append(worker)
    return nodes


def run_cli(cluster: Cluster, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    for name, value in cluster.env().items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def test_two_named_workers_share_one_queue_and_both_do_the_work(cluster: Cluster, uid: str) -> None:
    nodes = by_node(cluster)
    assert set(nodes) == {"alpha", "beta"}
    assert nodes["alpha"][0]["queues"] == cluster.queue
    assert nodes["beta"][0]["queues"] == f"{cluster.queue},{cluster.bulk_queue}"
    client = cluster.client()
    ids = []
    for i in range(40):  # one message each; a worker reserves at most 4, so neither can take them all
        receipt = client.submit({"id": f"share-{uid}-{i}", "body": (FRIENDLY + SPAM)[i % 5]})
        ids.append(receipt.id)
    assert len(wait_for_decisions(client, ids, timeout=120)) == len(ids)

    def both_worked() -> bool:
        counts = {node: sum(int(w.get("batches", 0)) for w in workers) for node, workers in by_node(cluster).items()}
        return counts.get("alpha", 0) > 0 and counts.get("beta", 0) > 0

    wait_until(both_worked, 30, "both workers' heartbeats to count the messages they handled")


def test_a_promotion_rolls_across_both_workers_and_each_reports_it(
        cluster: Cluster, tmp_path: Path, uid: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from training.datasets import dataset_hash, load_datasets
    from training.registry import ModelRegistry
    from training.train import train_bundle

    old = {w["model_version"] for workers in by_node(cluster).values() for w in workers}
    assert len(old) == 1
    # A second model, trained on a training machine with its own disk (a part of the corpus: quick)
    examples = load_datasets([SEED])[::2]
    bundle = train_bundle(examples, tmp_path / "trainer", data_hash=dataset_hash([SEED]) + "-half",
                          params={"C_grid": [4.0], "cv_folds": 2}, progress=None)
    registry = ModelRegistry(tmp_path / "trainer", redis=Redis.from_url(cluster.redis_url), prefix=cluster.prefix)
    new = registry.promote(bundle, force=True).version
    assert new not in old

    def rolled_out() -> bool:
        nodes = by_node(cluster)
        return set(nodes) == {"alpha", "beta"} and all(
            w["model_version"] == new for workers in nodes.values() for w in workers)

    wait_until(rolled_out, 120, f"both workers' heartbeats to report {new}")
    for host in cluster.hosts:  # each host fetched the bundle from Redis
        assert (host / new).is_dir()
    code, text = run_cli(cluster, monkeypatch, "health", "--require-current")
    assert code == EXIT_HEALTHY, text
    assert json.loads(text)["serving"] == {new: 2}
    decision = cluster.client().submit({"id": f"after-{uid}", "body": FRIENDLY[0]})
    assert wait_for_decisions(cluster.client(), [decision.id])[decision.id].model_version == new


def test_rescore_goes_through_the_bulk_queue_and_reports_old_against_new(
        cluster: Cluster, tmp_path: Path, uid: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client = cluster.client()
    decided = [{"id": f"re-{uid}-{i}", "body": text} for i, text in enumerate(FRIENDLY + SPAM)]
    results = client.submit_many(decided)
    assert all(isinstance(r, Receipt) for r in results)
    before = wait_for_decisions(client, [c["id"] for c in decided])
    never = {"id": f"re-{uid}-never", "body": "An exported comment this deployment never decided."}
    backlog = tmp_path / "backlog.jsonl"
    backlog.write_text("".join(json.dumps(c) + "\n" for c in [*decided, never]) + "{\"id\": \"x\"}\n")
    report = tmp_path / "rescore.jsonl"

    code, text = run_cli(cluster, monkeypatch, "rescore", str(backlog), "--apply", "--report", str(report),
                         "--wait", "120")
    lines = [json.loads(line) for line in text.splitlines()]
    assert code == 1  # one line refused (no body); the others were re-scored
    assert lines[0]["line"] == len(decided) + 2 and "body" in lines[0]["errors"]
    summary = lines[-1]
    assert summary["complete"] and summary["rescored"] == summary["submitted"] == len(decided) + 1
    assert summary["queue"] == cluster.bulk_queue and summary["applied"] is True
    rows = {row["id"]: row for row in map(json.loads, report.read_text().splitlines())}
    assert rows[never["id"]]["status"] == "new" and rows[never["id"]]["old"] is None
    current = Redis.from_url(cluster.redis_url, decode_responses=True).hget(
        keys.model_current_key(cluster.prefix), "version")
    for comment in decided:
        row = rows[comment["id"]]
        assert row["status"] in {"same", "changed", "kept-rule"}
        assert row["old"] == before[comment["id"]].decision and row["new_model"] == current
        stored = client.decision(comment["id"])
        assert stored is not None
        if row["status"] == "changed":
            assert (stored.decision, stored.model_version) == (row["new"], current)
        else:
            assert stored.decision == row["old"]
    assert client.decision(never["id"]) is not None  # --apply published it


def test_metrics_count_both_workers_and_their_decisions(cluster: Cluster, monkeypatch: pytest.MonkeyPatch,
                                                        uid: str) -> None:
    client = cluster.client()
    ids = [r.id for r in client.submit_many([{"id": f"m-{uid}-{i}", "body": t} for i, t in enumerate(FRIENDLY)])
           if isinstance(r, Receipt)]
    wait_for_decisions(client, ids)
    code, text = run_cli(cluster, monkeypatch, "metrics", "--once")
    assert code == 0
    values = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
              if line and not line.startswith("#")}
    assert values["moderation_workers_alive"] == 2
    assert sum(v for k, v in values.items() if k.startswith("moderation_decisions_total")) >= len(ids)
    assert values["moderation_decision_latency_seconds_count"] >= len(ids)
    nodes = {k.split('node="')[1].split('"')[0] for k in values if k.startswith("moderation_worker_model_info")}
    assert nodes == {"alpha", "beta"}
