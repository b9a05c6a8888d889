"""Fixtures for integration tests: a real trained model and a real Celery worker process."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis import Redis

from harness.worker_process import WorkerProcess

SEED = Path(__file__).resolve().parents[2] / "training" / "data" / "seed_corpus.jsonl"


@dataclass(frozen=True)
class RunningWorker:
    """A worker process serving one prefix and queue, with what a test needs to talk to it."""

    process: WorkerProcess
    env: dict[str, str]
    prefix: str
    queue: str
    redis_url: str
    log_file: Path


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models directory holding one bundle trained on the seed corpus (the real training code)."""
    from training.datasets import dataset_hash, load_datasets
    from training.train import train_bundle

    root = tmp_path_factory.mktemp("models")
    # One regularization value and two folds: a real model of the same kind, trained in well under a minute.
    train_bundle(load_datasets([SEED]), root, data_hash=dataset_hash([SEED]), params={"C_grid": [4.0], "cv_folds": 2},
                 progress=None)
    return root


def start_worker(redis_url: str, models_dir: Path, log_dir: Path, *, name: str = "w1", concurrency: int = 2,
                 prefix: str | None = None, extra_env: dict[str, str] | None = None,
                 queues: list[str] | None = None, faults: bool = False) -> RunningWorker:
    """Promote the newest bundle under ``prefix`` and start a worker for it (consuming ``queues``, by default the
    prefix's own queue; ``faults``: with the fault hook, :mod:`harness.faults`); wait until it is ready."""
    from training.registry import ModelRegistry

    prefix = prefix or f"it-{uuid.uuid4().hex[:8]}"
    redis = Redis.from_url(redis_url)
    registry = ModelRegistry(models_dir, redis=redis, prefix=prefix)
    newest = sorted(registry.list(), key=lambda b: b.version)[-1]
    registry.promote(newest.version, force=True)
    env = {"REDIS_URL": redis_url, "MODERATION_PREFIX": prefix, "MODERATION_QUEUE": f"{prefix}-q",
           "MODERATION_MODELS_DIR": str(models_dir), "MODERATION_MODEL_REFRESH": "0.5", **(extra_env or {})}
    log_file = log_dir / f"{name}-{prefix}.log"
    process = WorkerProcess(env, name=name, concurrency=concurrency, log_file=log_file, queues=queues,
                            faults=faults).start()
    process.wait_ready(Redis.from_url(redis_url), prefix, timeout=120)
    return RunningWorker(process, env, prefix, env["MODERATION_QUEUE"], redis_url, log_file)


@pytest.fixture(scope="session")
def worker(redis_url: str, models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningWorker]:
    """One real worker process (prefork, 2 children) for the session, on its own prefix and queue."""
    running = start_worker(redis_url, models_dir, tmp_path_factory.mktemp("logs"))
    yield running
    running.process.stop()
    if os.environ.get("MODERATION_SHOW_WORKER_LOG"):
        print(running.log_file.read_text())
