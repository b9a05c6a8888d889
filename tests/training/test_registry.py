"""The registry: promotion gate, rollback, Redis pointer and bundle transport, hot reload."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from redis import Redis

from moderation import keys
from moderation.models.current import CurrentModel, NoModelError
from tests.helpers import wait_until
from tests.training.tiny import FAST, tiny_examples, trained_bundle
from training.examples import Example
from training.registry import (
    CURRENT_FILE,
    ModelRegistry,
    PromotionRefused,
    RegistryError,
    bundle_key,
)
from training.train import train_bundle


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three bundles: good (seed 7), good2 (seed 8) and bad (labels shuffled)."""
    root = tmp_path_factory.mktemp("sources")
    rng = random.Random(3)
    shuffled = [e for e in tiny_examples(seed=7)]
    labels = [dict(e.labels) for e in shuffled]
    rng.shuffle(labels)
    bad = [Example(e.text, lab) for e, lab in zip(shuffled, labels, strict=True)]
    return {
        "good": trained_bundle(str(root)),
        "good2": trained_bundle(str(root), seed=8),
        "bad": train_bundle(bad, root, data_hash="shuffled", params=FAST, progress=None),
    }


@pytest.fixture
def eval_data() -> list[Example]:
    return tiny_examples(seed=21, n=150)


def test_promotion_makes_a_bundle_current_and_mirrors_it_locally(sources: dict[str, Path], tmp_path: Path) -> None:
    # Given an empty registry / When a bundle directory is promoted
    registry = ModelRegistry(tmp_path)
    assert registry.current() is None
    info = registry.promote(sources["good"])
    # Then it is copied in, current, listed, and written to models/CURRENT
    assert registry.current() is not None and registry.current().version == info.version  # type: ignore[union-attr]
    assert [b.version for b in registry.list()] == [info.version]
    assert json.loads((tmp_path / CURRENT_FILE).read_text())["version"] == info.version
    assert registry.history() == [info.version]


def test_a_worse_model_is_refused_unless_forced(
    sources: dict[str, Path], tmp_path: Path, eval_data: list[Example]
) -> None:
    # Given a good current model
    registry = ModelRegistry(tmp_path)
    good = registry.promote(sources["good"])
    # When a model trained on shuffled labels is proposed with evaluation data
    with pytest.raises(PromotionRefused, match="spam roc_auc") as refused:
        registry.promote(sources["bad"], eval_data=eval_data)
    # Then it is refused, the comparison is given, and the current model is unchanged
    assert "spam" in refused.value.comparison
    assert registry.current().version == good.version  # type: ignore[union-attr]
    # But forcing promotes it
    assert registry.promote(sources["bad"], force=True).version == sources["bad"].name
    assert registry.current().version == sources["bad"].name  # type: ignore[union-attr]


def test_an_equally_good_model_passes_the_gate(
    sources: dict[str, Path], tmp_path: Path, eval_data: list[Example]
) -> None:
    registry = ModelRegistry(tmp_path)
    registry.promote(sources["good"])
    assert registry.promote(sources["good2"], eval_data=eval_data).version == sources["good2"].name


def test_without_evaluation_data_the_gate_asks_for_some(sources: dict[str, Path], tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    registry.promote(sources["good"])
    with pytest.raises(PromotionRefused, match="no evaluation data"):
        registry.promote(sources["good2"])


def test_rollback_returns_to_the_previous_promotion(sources: dict[str, Path], tmp_path: Path) -> None:
    # Given two promotions
    registry = ModelRegistry(tmp_path)
    first = registry.promote(sources["good"])
    registry.promote(sources["bad"], force=True)
    # When rolled back / Then the first is current again and the history shrinks
    assert registry.rollback().version == first.version
    assert registry.current().version == first.version  # type: ignore[union-attr]
    assert registry.history() == [first.version]
    # And there is nothing before the first
    with pytest.raises(RegistryError, match="nothing to roll back"):
        registry.rollback()


@pytest.mark.integration
def test_redis_holds_the_pointer_and_the_bundle_for_other_machines(
    sources: dict[str, Path], tmp_path: Path, redis: Redis, prefix: str
) -> None:
    # Given a registry backed by Redis, and a subscriber to the model channel
    pubsub = redis.pubsub()
    pubsub.subscribe(keys.model_channel(prefix))
    pubsub.get_message(timeout=1)
    registry = ModelRegistry(tmp_path / "trainer", redis=redis, prefix=prefix)
    # When a bundle is promoted
    info = registry.promote(sources["good"])
    # Then Redis names it, stores its bytes, and announces it
    current = redis.hgetall(keys.model_current_key(prefix))
    assert current["version"] == info.version and current["sha256"] == info.sha256
    assert redis.exists(bundle_key(prefix, info.version))
    message = pubsub.get_message(timeout=2)
    assert message and json.loads(message["data"])["version"] == info.version
    pubsub.close()
    # And a worker on another machine (empty models dir, binary connection) fetches and loads it
    other = ModelRegistry(tmp_path / "elsewhere", redis=Redis.from_url(_url(redis)), prefix=prefix)
    assert other.current().version == info.version  # type: ignore[union-attr]
    scorer = CurrentModel(other).get()
    assert scorer.version == info.version
    assert (tmp_path / "elsewhere" / info.version / "model.npz").exists()


@pytest.mark.integration
def test_current_model_hot_reloads_when_the_pointer_moves(
    sources: dict[str, Path], tmp_path: Path, redis: Redis, prefix: str
) -> None:
    # Given a worker serving the current model
    trainer = ModelRegistry(tmp_path / "trainer", redis=redis, prefix=prefix)
    trainer.promote(sources["good"])
    # (a refresh interval long enough that the promotion below surely takes less, on a busy machine too)
    current = CurrentModel(ModelRegistry(tmp_path / "worker", redis=redis, prefix=prefix), refresh_seconds=1.0)
    first = current.get()
    assert first.version == sources["good"].name
    # When another model is promoted elsewhere
    trainer.promote(sources["good2"], force=True)
    # Then the worker keeps the old one until the refresh interval, then swaps without restart
    assert current.get() is first
    wait_until(lambda: current.get().version == sources["good2"].name, timeout=30)
    # And a rollback is picked up the same way
    trainer.rollback()
    wait_until(lambda: current.get().version == sources["good"].name, timeout=30)


@pytest.mark.integration
def test_a_broken_promotion_does_not_break_the_serving_model(
    sources: dict[str, Path], tmp_path: Path, redis: Redis, prefix: str
) -> None:
    # Given a worker serving a model
    ModelRegistry(tmp_path / "trainer", redis=redis, prefix=prefix).promote(sources["good"])
    current = CurrentModel(ModelRegistry(tmp_path / "worker", redis=redis, prefix=prefix), refresh_seconds=0)
    served = current.get()
    # When the pointer names a bundle nobody has / Then the worker keeps serving the old one
    redis.hset(keys.model_current_key(prefix), mapping={"version": "20990101-000000-ffffff", "sha256": "0" * 64})
    assert current.get() is served


def test_hot_reload_without_redis_follows_the_current_file(sources: dict[str, Path], tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    registry.promote(sources["good"])
    current = CurrentModel(ModelRegistry(tmp_path), refresh_seconds=0)
    assert current.get().version == sources["good"].name
    registry.promote(sources["good2"], force=True)
    assert current.get().version == sources["good2"].name


def test_no_current_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NoModelError, match="no current model"):
        CurrentModel(ModelRegistry(tmp_path)).get()


def _url(redis: Redis) -> str:
    kwargs = redis.connection_pool.connection_kwargs
    if "path" in kwargs:
        return f"unix://{kwargs['path']}?db={kwargs.get('db', 0)}"
    return f"redis://{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"


def test_latest_names_the_newest_bundle(tmp_path: Path) -> None:
    # Given two bundles trained one after the other
    from training.train import train_bundle

    first = train_bundle(tiny_examples(1), tmp_path, data_hash="a", params=FAST, progress=None)
    second = train_bundle(tiny_examples(2), tmp_path, data_hash="b", params=FAST, progress=None)
    # When "latest" is resolved / Then it is the second
    assert ModelRegistry(tmp_path).resolve("latest").version == max(first.name, second.name)


def test_a_new_bundle_replaces_a_current_format_1_bundle(sources: dict[str, Path], tmp_path: Path) -> None:
    # Given a models dir whose current model is an old format-1 bundle (model.skops)
    old = tmp_path / "20250101-000000-abcdef"
    old.mkdir()
    (old / "model.skops").write_bytes(b"PK")
    (old / "metadata.json").write_text(json.dumps({"version": old.name, "model_sha256": "0" * 64}))
    (tmp_path / CURRENT_FILE).write_text(json.dumps({"version": old.name, "sha256": "0" * 64}))
    registry = ModelRegistry(tmp_path)
    # When a retrained bundle is promoted / Then it becomes current (the old one cannot be compared with)
    assert registry.promote(sources["good"]).version == sources["good"].name
    assert registry.current().version == sources["good"].name  # type: ignore[union-attr]
