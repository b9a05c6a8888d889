"""Training: heads chosen from the labels, progress display, the CLI, and the default model."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis import Redis

import training.train as train_module
from tests.training.tiny import FAST, tiny_examples, write_jsonl
from training.bundle import read_metadata
from training.cli import main
from training.examples import Example
from training.fit import TrainError, fit_model, trainable_heads
from training.registry import ModelRegistry
from training.train import ensure_default_model, train_bundle


def test_absent_labels_are_unknown_not_negative() -> None:
    # Given examples where only some are labelled for spam
    examples = tiny_examples()
    partial = [Example(e.text, {k: v for k, v in e.labels.items() if k != "spam" or i % 2 == 0})
               for i, e in enumerate(examples)]
    # When the trainable heads are chosen
    heads = trainable_heads(partial, {"min_positives_main": 5, "min_positives_subtype": 30})
    # Then spam uses only the examples that carry a spam label
    assert len(heads["spam"]) == len(examples) // 2
    assert len(heads["toxic"]) == len(examples)


def test_subtype_heads_need_enough_positives() -> None:
    # Given obscene positives below 30 / Then obscene is not trained but insult is
    examples = tiny_examples(n=150)
    positives = sum(e.labels["obscene"] for e in examples)
    assert positives < 30
    heads = trainable_heads(examples, {"min_positives_main": 5, "min_positives_subtype": 30})
    assert "obscene" not in heads and "insult" in heads


def test_a_main_head_without_positives_is_an_error() -> None:
    examples = [Example(f"comment number {i}", {"spam": 0, "toxic": i % 2}) for i in range(40)]
    with pytest.raises(TrainError, match="spam"):
        fit_model(examples, FAST, progress=None)


def test_training_reports_progress_per_head(tmp_path: Path) -> None:
    # Given the tiny corpus / When trained with a progress callback
    lines: list[str] = []
    path = train_bundle(tiny_examples(), tmp_path, data_hash="h", params=FAST, progress=lines.append)
    # Then there is a line per step, numbered, with example counts
    assert lines[0].startswith("[1/5] features")
    assert any(line.startswith("[2/5] fitting spam (360 examples") for line in lines)
    assert lines[-1].startswith("saved ")
    meta = read_metadata(path)
    assert meta["params"]["C_grid"] == [4.0]
    assert set(meta["cv_metrics"]) == set(meta["heads"])


def test_cli_trains_from_files_and_promotes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Given a JSONL file in our format
    data = write_jsonl(tiny_examples(), tmp_path / "tiny.jsonl")
    models = tmp_path / "models"
    # When trained and promoted from the command line (forced: a model of a few hundred made-up comments is
    # rightly refused by the gate next to the shipped one)
    code = main(["--no-redis", "--models", str(models), "train", "--from-scratch", "--data", str(data),
                 "--params", '{"C_grid": [4.0], "cv_folds": 3}', "--promote", "--force"])
    # Then a bundle exists and is current
    assert code == 0
    out = capsys.readouterr()
    assert "fitting toxic" in out.err
    registry = ModelRegistry(models)
    assert registry.current() is not None
    assert read_metadata(registry.current().path)["data"]["files"] == ["tiny.jsonl"]  # type: ignore[union-attr]
    assert main(["--no-redis", "--models", str(models), "models"]) == 0
    listing = capsys.readouterr().out
    assert "* " in listing
    assert "languages: en; screened: none" in listing  # seed-like data only: English, nothing screened


@pytest.mark.integration
def test_default_model_is_trained_once_and_promoted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redis: Redis, prefix: str
) -> None:
    # Given no current model, and a (tiny) seed corpus
    seed = write_jsonl(tiny_examples(), tmp_path / "seed.jsonl")
    monkeypatch.setattr(train_module, "SEED_CORPUS", seed)
    original = train_module.train_bundle
    calls: list[int] = []

    def counting(*args: object, **kwargs: object) -> Path:
        calls.append(1)
        kwargs["params"] = FAST
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(train_module, "train_bundle", counting)
    # When the default model is ensured twice
    first = ensure_default_model(tmp_path / "models", redis=redis, prefix=prefix, default_model=None, progress=None)
    second = ensure_default_model(tmp_path / "models", redis=redis, prefix=prefix, default_model=None,
                                  progress=None)
    # Then it was trained once, promoted, and the same bundle is returned
    assert calls == [1]
    assert first == second
    assert ModelRegistry(tmp_path / "models", redis=redis, prefix=prefix).current().version == first.name  # type: ignore[union-attr]



@pytest.mark.integration
def test_a_new_redis_reuses_the_local_current_model_instead_of_training(tmp_path: Path, redis: Redis,
                                                                        prefix: str) -> None:
    # Given a models directory whose current model was promoted without Redis (or in a Redis since gone)
    models = tmp_path / "models"
    bundle = train_bundle(tiny_examples(), models, data_hash="tiny", params=FAST, progress=None)
    ModelRegistry(models).promote(bundle.name, force=True)
    # When a fresh Redis is used / Then that model is published there, and nothing is trained
    path = ensure_default_model(models, redis=redis, prefix=prefix,
                                progress=lambda line: pytest.fail(f"trained: {line}"))
    assert path.name == bundle.name
    published = ModelRegistry(models, redis=redis, prefix=prefix).current_pointer()
    assert published is not None and published.source == "redis"
    assert published.key == (bundle.name, ModelRegistry(models).current_pointer().sha256)  # type: ignore[union-attr]


@pytest.mark.integration
def test_the_shipped_default_bundle_is_used_instead_of_training(tmp_path: Path, redis: Redis, prefix: str) -> None:
    # Given no promoted model, and a shipped default bundle
    shipped = train_bundle(tiny_examples(), tmp_path / "package", data_hash="tiny", params=FAST, progress=None)
    # When the default model is ensured (what make run does) / Then the shipped bundle is it, nothing is trained
    path = ensure_default_model(tmp_path / "models", redis=redis, prefix=prefix, default_model=shipped,
                                progress=lambda line: pytest.fail(f"trained: {line}"))
    assert path == shipped
    # And nothing was promoted: workers resolve the same shipped bundle by themselves
    assert ModelRegistry(tmp_path / "models", redis=redis, prefix=prefix).promoted_pointer() is None
