"""Fixtures for the HTTP API's tests: a real worker (the shipped model), the real API server and a real webhook
deliverer, each its own process, on one Redis prefix for the session; keys of two sites."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis import Redis

from harness.web_process import ApiServer, ModerationProcess
from harness.worker_process import WorkerProcess
from moderation.web.auth import ApiKeys


@dataclass(frozen=True)
class Stack:
    """A worker, an API server and a deliverer serving one prefix."""

    url: str
    prefix: str
    env: dict[str, str]
    redis: Redis
    logs: Path

    def key(self, site: str) -> str:
        """A new API key for ``site``."""
        return ApiKeys(self.redis, self.prefix).add(site)[1]


def stack_env(redis_url: str, prefix: str, models_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker, API server or deliverer on ``prefix`` (the shipped model)."""
    return {"REDIS_URL": redis_url, "MODERATION_PREFIX": prefix, "MODERATION_QUEUE": f"{prefix}-q",
            "MODERATION_MODELS_DIR": str(models_dir), "MODERATION_DEFAULT_MODEL": "shipped",
            "MODERATION_MODEL_REFRESH": "0.5", "MODERATION_API_RATE_LIMIT": "1000",
            "MODERATION_WEBHOOK_BACKOFF_MAX": "1", **extra}


@pytest.fixture(scope="session")
def stack(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The session's worker, API server and webhook deliverer."""
    prefix = f"api-{uuid.uuid4().hex[:8]}"
    logs = tmp_path_factory.mktemp("api-logs")
    env = stack_env(redis_url, prefix, tmp_path_factory.mktemp("no-models"))
    redis = Redis.from_url(redis_url, decode_responses=True)
    worker = WorkerProcess(env, name="api-w", concurrency=1, log_file=logs / "worker.log").start()
    server = ApiServer(env, log_file=logs / "api.log").start()
    deliverer = ModerationProcess(["webhooks", "deliver"], env, log_file=logs / "deliver.log").start()
    try:
        worker.wait_ready(redis, prefix, timeout=180)
        server.wait_ready()
        yield Stack(server.url, prefix, env, redis, logs)
    finally:
        deliverer.stop()
        server.stop()
        worker.stop()
        redis.close()
