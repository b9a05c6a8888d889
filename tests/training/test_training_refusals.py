"""Training that refuses to be wrong quietly: misspelled or unknown label columns, too few examples, ``latest``
promoted only when confirmed, and rollback from the first promotion back to the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.training.test_cli_errors import run_training
from tests.training.tiny import FAST, tiny_examples, trained_bundle, write_jsonl
from training.datasets import load_dataset
from training.readers._common import DatasetFormatError
from training.registry import ModelRegistry, RegistryError
from training.train import train_bundle


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("misspelled.csv", "text,spma\nbuy now,1\n", "unknown label column 'spma' (did you mean 'spam'?)"),
    ("none.csv", "text,verdict_x,notes\nhello,1,a\n", "no label column: unknown column(s) 'verdict_x', 'notes'"),
    ("misspelled.jsonl", '{"text": "a", "spam": 0}\n{"text": "b", "toxcc": 1}\n', "line 2: unknown label column"),
    ("none.jsonl", '{"text": "a", "label": 1}\n', "no label column: unknown column(s) 'label'"),
])
def test_unknown_or_misspelled_label_columns_are_refused_naming_the_known_ones(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    # Given a dataset whose label column is misspelled, or that has no label column at all
    path = tmp_path / name
    path.write_text(content)
    # When it is read / Then it is refused, naming the unknown column and every known label column
    with pytest.raises(DatasetFormatError) as refused:
        load_dataset(path)
    message = str(refused.value)
    assert expected in message
    assert "known label columns: spam, toxic, severe_toxic, obscene, threat, insult, identity_hate" in message


def test_extra_columns_beside_real_labels_are_still_read_past(tmp_path: Path) -> None:
    # Given a CSV with real labels and a comment's own fields beside them (thread is not a misspelled threat)
    path = tmp_path / "export.csv"
    path.write_text("text,spam,thread,note\nhello,0,t-1,x\n")
    # When read / Then the labels are there
    assert load_dataset(path)[0].labels == {"spam": 0}


def test_a_misspelled_column_stops_make_train_with_one_line(tmp_path: Path) -> None:
    # Given the moderators' CSV with "spma" for "spam"
    path = tmp_path / "verdicts.csv"
    path.write_text("text,spma\n" + "".join(f"comment number {i},{i % 2}\n" for i in range(40)))
    # When training on it / Then exit 2 with one line naming the column, never a model
    result = run_training(["train", "--data", str(path), "--out", str(tmp_path / "models"), "--from-scratch"])
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"training: error: {path}, line 1: unknown label column 'spma' (did you mean 'spam'?); known label columns: "
        "spam, toxic, severe_toxic, obscene, threat, insult, identity_hate"]
    assert not (tmp_path / "models").exists()


def test_too_few_examples_is_one_sentence_and_exit_2_not_a_traceback(tmp_path: Path) -> None:
    # Given three labelled verdicts
    path = write_jsonl(tiny_examples(n=3), tmp_path / "few.jsonl")
    # When training on them from scratch
    result = run_training(["train", "--data", str(path), "--out", str(tmp_path / "models"), "--from-scratch",
                           "--holdout", "0"])
    # Then one sentence says there are too few, and the exit code is 2
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("training: error: too few labelled examples to train"), result.stderr


def test_too_few_new_examples_for_an_update_says_how_many_each_head_has(tmp_path: Path) -> None:
    # Given a current model and three new verdicts
    models = tmp_path / "models"
    base = trained_bundle(str(tmp_path / "src"))
    assert run_training(["--models", str(models), "promote", str(base), "--force"]).returncode == 0
    path = write_jsonl(tiny_examples(seed=3, n=3), tmp_path / "few.jsonl")
    # When the model is updated with them
    result = run_training(["--models", str(models), "train", "--data", str(path), "--holdout", "0",
                           "--feedback", str(tmp_path / "none.jsonl")])
    # Then one sentence says which heads lack examples, exit 2
    assert result.returncode == 2 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "too few labelled examples to update the model" in last and "spam " in last, result.stderr


def test_promote_latest_shows_what_it_would_promote_and_asks_for_yes(tmp_path: Path) -> None:
    # Given a promoted model and a newer bundle
    models = tmp_path / "models"
    first = train_bundle(tiny_examples(1), models, data_hash="a", params=FAST, progress=None)
    assert run_training(["--models", str(models), "promote", first.name, "--force"]).returncode == 0
    newer = train_bundle(tiny_examples(2), models, data_hash="b", params=FAST, progress=None)
    # When "latest" is promoted without --yes (plain `make promote`)
    result = run_training(["--models", str(models), "promote", "latest"])
    # Then nothing changes, and it says which bundle and how to name or confirm it
    assert result.returncode == 2
    assert f"would promote the newest bundle: candidate: {newer.name}" in result.stderr
    assert f"MODEL={newer.name}" in result.stderr and "ARGS=--yes" in result.stderr
    assert json.loads((models / "CURRENT").read_text())["version"] == first.name


def test_rollback_from_the_first_promotion_returns_to_the_shipped_model(tmp_path: Path) -> None:
    # Given a registry with a shipped default bundle and one promotion
    shipped = trained_bundle(str(tmp_path / "shipped"))
    registry = ModelRegistry(tmp_path / "models", default_model=shipped)
    assert registry.current().version == shipped.name  # type: ignore[union-attr]
    promoted = registry.promote(train_bundle(tiny_examples(4), tmp_path / "src", data_hash="c", params=FAST,
                                             progress=None), force=True)
    assert registry.current().version == promoted.version  # type: ignore[union-attr]
    # When rolled back
    back = registry.rollback()
    # Then the shipped model is current again, the history is empty, and there is nothing further back
    assert back.version == shipped.name
    assert registry.current().version == shipped.name  # type: ignore[union-attr]
    assert registry.history() == []
    with pytest.raises(RegistryError, match="nothing to roll back to: no promotion"):
        registry.rollback()
