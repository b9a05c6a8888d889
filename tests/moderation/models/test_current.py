"""The one resolution of the current model (Redis pointer → models/CURRENT → shipped default), shared by the
workers' hot reload, health and metrics."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from redis import Redis

from moderation import keys
from moderation.models.bundle import read_metadata
from moderation.models.current import CurrentModel, ModelStore, ModelStoreError, NoModelError
from moderation.ops.health import check
from tests.training.tiny import trained_bundle
from training.registry import ModelRegistry

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 'shipped' bundle (outside any models dir, as in the package) and two others to promote."""
    root = tmp_path_factory.mktemp("bundles")
    shipped = tmp_path_factory.mktemp("package") / "default_model"
    shutil.copytree(trained_bundle(str(root), seed=7), shipped)
    return {"shipped": shipped, "a": trained_bundle(str(root), seed=8), "b": trained_bundle(str(root), seed=9)}


@pytest.fixture(scope="module")
def shipped_version(bundles: dict[str, Path]) -> str:
    return str(read_metadata(bundles["shipped"])["version"])


def health_version(redis: Redis, store: ModelStore) -> tuple[str | None, str | None]:
    report = check(redis, store=store, queue="q", bulk_queue="bq", max_queue=10)
    return report.model_version, report.model_source


def test_redis_pointer_then_current_file_then_shipped_default(bundles: dict[str, Path], tmp_path: Path,
                                                              redis: Redis, prefix: str) -> None:
    models = tmp_path / "models"
    store = ModelStore(models, redis=redis, prefix=prefix, default_model=bundles["shipped"])
    # Given nothing promoted / Then the shipped default is current
    pointer = store.pointer()
    assert pointer is not None and pointer.source == "default" and store.locate(pointer) == bundles["shipped"]
    # When a bundle is promoted without Redis (models/CURRENT) / Then it wins over the default
    ModelRegistry(models).promote(bundles["a"])
    assert store.pointer().source == "file" and store.pointer().version == bundles["a"].name  # type: ignore[union-attr]
    # When another is promoted through Redis / Then the Redis pointer wins over the file of another machine
    ModelRegistry(tmp_path / "trainer", redis=redis, prefix=prefix).promote(bundles["b"], force=True)
    assert store.pointer().source == "redis" and store.pointer().version == bundles["b"].name  # type: ignore[union-attr]
    # When the Redis pointer is gone (a flushed Redis) / Then the file again
    redis.delete(keys.model_current_key(prefix))
    assert store.pointer().version == bundles["a"].name  # type: ignore[union-attr]


def test_health_names_the_model_the_workers_serve_whatever_its_source(bundles: dict[str, Path], shipped_version: str,
                                                                      tmp_path: Path, redis: Redis,
                                                                      prefix: str) -> None:
    models = tmp_path / "models"
    store = ModelStore(models, redis=redis, prefix=prefix, default_model=bundles["shipped"])
    served = CurrentModel(store, refresh_seconds=0)
    # Given only the shipped default / Then the worker serves it and health names it
    assert served.get().version == shipped_version
    assert health_version(redis, store) == (shipped_version, "default")
    # Given a model promoted to models/CURRENT only (where health used to say "no model promoted")
    ModelRegistry(models).promote(bundles["a"])
    assert served.get().version == bundles["a"].name
    assert health_version(redis, store) == (bundles["a"].name, "file")
    # Given a promotion through Redis
    ModelRegistry(tmp_path / "trainer", redis=redis, prefix=prefix).promote(bundles["b"], force=True)
    assert served.get().version == bundles["b"].name and served.source == "redis"
    assert health_version(redis, store) == (bundles["b"].name, "redis")


def test_without_any_model_the_error_says_where_it_looked(tmp_path: Path, redis: Redis, prefix: str) -> None:
    store = ModelStore(tmp_path / "models", redis=redis, prefix=prefix, default_model=None)
    assert store.pointer() is None
    current = CurrentModel(store, refresh_seconds=0)
    with pytest.raises(NoModelError, match="CURRENT"):
        current.get()
    assert current.poll() is False and not current.loaded and current.version is None


def test_a_waiting_model_serves_as_soon_as_one_is_promoted(bundles: dict[str, Path], tmp_path: Path, redis: Redis,
                                                           prefix: str) -> None:
    # Given a process with no model
    current = CurrentModel(ModelStore(tmp_path / "worker", redis=redis, prefix=prefix), refresh_seconds=60)
    assert current.poll() is False
    # When a model is promoted elsewhere / Then the next poll loads it (no refresh interval while waiting)
    ModelRegistry(tmp_path / "trainer", redis=redis, prefix=prefix).promote(bundles["a"])
    assert current.poll() is True and current.version == bundles["a"].name


def test_a_pointer_to_a_bundle_nobody_has_is_an_error_not_a_fallback(bundles: dict[str, Path], tmp_path: Path,
                                                                     redis: Redis, prefix: str) -> None:
    # Given a Redis pointer naming a bundle neither the disk nor Redis holds, and a shipped default
    redis.hset(keys.model_current_key(prefix), mapping={"version": "20990101-000000-ffffff", "sha256": "0" * 64})
    store = ModelStore(tmp_path / "models", redis=redis, prefix=prefix, default_model=bundles["shipped"])
    # When resolved / Then the promotion is what is current, and loading it fails loudly (no silent default)
    with pytest.raises(ModelStoreError, match="20990101-000000-ffffff"):
        store.verify_current()
