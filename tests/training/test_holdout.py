"""The held-out split: deterministic by text, recorded by rule and file hashes, rebuilt or refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.tiny import tiny_examples, write_jsonl
from training.datasets import dataset_hash
from training.examples import Example
from training.holdout import HoldoutUnavailable, held_out_examples, is_held_out, split, split_for_training


def test_the_split_depends_on_the_text_only() -> None:
    # Given 2,000 distinct texts and a copy of one of them
    examples = [Example(f"text {i}", {"spam": i % 2}) for i in range(2_000)]
    train, held = split(examples, 0.1)
    # Then about a tenth is held out, and the same call gives the same split
    assert 140 < len(held) < 260 and len(train) + len(held) == 2_000
    assert split(examples, 0.1) == (train, held)
    # And a copy of a held-out text (other case, other spacing) is held out too: no leak through duplicates
    assert is_held_out(held[0].text.upper() + "  ", 0.1)
    # And a fraction of 0 holds nothing out
    assert split(examples, 0.0) == (examples, [])


def test_evaluation_rebuilds_the_recorded_split_from_the_unchanged_files(tmp_path: Path) -> None:
    # Given a training file and the split training recorded
    path = write_jsonl(tiny_examples(seed=5, n=300), tmp_path / "train.jsonl")
    from training.datasets import load_datasets

    examples = load_datasets([path])
    train, metadata = split_for_training(examples, [path], dataset_hash([path]), 0.2)
    held_count = len(examples) - len(train)
    assert metadata["holdout"]["examples"] == held_count > 0
    # When evaluation looks for it / Then it finds exactly the examples not trained on
    held = held_out_examples({"version": "v1", **metadata})
    assert len(held.examples) == held_count
    assert not {e.text for e in held.examples} & {e.text for e in train}
    assert "not trained on" in held.describe() and held.files == [str(path)]


def test_no_split_or_a_changed_file_is_refused_naming_data(tmp_path: Path) -> None:
    # Given a bundle trained on everything
    with pytest.raises(HoldoutUnavailable, match=r"keeps no held-out split.*DATA="):
        held_out_examples({"version": "v0"})
    _, nothing = split_for_training([Example("a", {"spam": 0})], [], "h", 0.0)
    with pytest.raises(HoldoutUnavailable, match="DATA="):
        held_out_examples({"version": "v0", **nothing})
    # And a bundle whose training file changed since
    path = write_jsonl(tiny_examples(seed=5, n=90), tmp_path / "train.jsonl")
    from training.datasets import load_datasets

    _, metadata = split_for_training(load_datasets([path]), [path], dataset_hash([path]), 0.3)
    path.write_text(path.read_text() + '{"text": "one more", "spam": 0}\n')
    with pytest.raises(HoldoutUnavailable, match=r"missing or changed.*DATA="):
        held_out_examples({"version": "v1", **metadata})


def test_an_updated_bundle_remembers_its_bases_training_texts(tmp_path: Path) -> None:
    # Given a bundle trained on one corpus, updated with another
    from moderation.models.bundle import read_metadata
    from tests.training.tiny import trained_bundle
    from training.textsketch import training_overlap
    from training.train import update_bundle

    base = trained_bundle(str(tmp_path))
    new = tiny_examples(seed=77, n=120)
    updated = update_bundle(base, new, tmp_path, data_hash="x", progress=None, metadata={"holdout": None})
    # When texts of either corpus are checked / Then both count as trained on
    metadata = read_metadata(updated)
    assert training_overlap(metadata, [tiny_examples(seed=7)[0].text, new[0].text, "never seen"]).found == 2  # type: ignore[union-attr]
    assert metadata["holdout"] is None
