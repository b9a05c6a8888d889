"""The bounded record of training texts: exact below k texts, a sampled estimate above."""

from __future__ import annotations

import pytest

from training.textsketch import TextSketch, normalize, text_hash, training_overlap


def test_texts_are_compared_normalized() -> None:
    assert normalize("  Hello\tWORLD\n ") == "hello world"
    assert text_hash("Ｈｅｌｌｏ  world") == text_hash("hello world")  # NFKC width forms, case, spaces
    assert text_hash("hello world", salt="a") != text_hash("hello world")


def test_a_small_corpus_is_kept_whole_and_overlap_is_exact() -> None:
    # Given a sketch of 100 texts with room for 4096
    sketch = TextSketch.build(f"comment number {i}" for i in range(100))
    assert sketch.complete and sketch.total == 100
    # When 30 evaluation texts are checked, 10 of them training texts (one with other case and spacing)
    overlap = sketch.overlap([f"comment number {i}" for i in range(9)] + ["COMMENT  number 9"]
                             + [f"new text {i}" for i in range(20)])
    # Then the count is exact
    assert (overlap.texts, overlap.checked, overlap.found, overlap.exact) == (30, 30, 10, True)
    assert overlap.describe() == "10 of 30 distinct texts"


def test_a_large_corpus_keeps_k_hashes_and_estimates_the_share() -> None:
    # Given 20,000 training texts sketched into 2,000 hashes
    sketch = TextSketch.build((f"training text {i}" for i in range(20_000)), k=2_000)
    assert not sketch.complete and sketch.hashes.size == 2_000
    # When an evaluation set of 4,000 texts, a quarter of them trained on, is checked
    texts = [f"training text {i}" for i in range(1_000)] + [f"unseen text {i}" for i in range(3_000)]
    overlap = sketch.overlap(texts)
    # Then about a tenth of them are decided, and the share is estimated from those
    assert 250 < overlap.checked < 550
    assert overlap.share == pytest.approx(0.25, abs=0.08)
    assert "about" in overlap.describe()


def test_the_sketch_survives_the_metadata_round_trip() -> None:
    sketch = TextSketch.build(f"t{i}" for i in range(50))
    metadata = {"training_texts": sketch.to_metadata()}
    assert training_overlap(metadata, ["t1", "t2", "x"]).found == 2  # type: ignore[union-attr]
    assert training_overlap({}, ["t1"]) is None  # bundles made before sketches were recorded
    assert training_overlap({"training_texts": {"hashes": "!!"}}, ["t1"]) is None


def test_sketches_merge_for_a_bundle_that_builds_on_another() -> None:
    # Given two small corpora sharing 20 texts / When merged / Then the union is exact
    a = TextSketch.build(f"t{i}" for i in range(0, 60))
    b = TextSketch.build(f"t{i}" for i in range(40, 100))
    merged = a.merge(b)
    assert merged.complete and merged.total == 100
    assert merged.overlap(["t5", "t95", "zzz"]).found == 2
    # And large ones keep k hashes, with the distinct count estimated
    big = TextSketch.build((f"a{i}" for i in range(6_000)), k=500).merge(
        TextSketch.build((f"a{i}" for i in range(3_000, 9_000)), k=500))
    assert big.hashes.size == 500 and not big.complete
    assert big.total == pytest.approx(9_000, rel=0.2)


def test_an_update_on_a_large_base_still_warns_about_its_own_few_new_texts() -> None:
    # Given an update of a model trained on many texts (its sketch is a sample) with 200 moderators' verdicts
    base = TextSketch.build(f"base comment number {i}" for i in range(20_000))
    verdicts = [f"verdict comment {i}" for i in range(200)]
    new = TextSketch.build(verdicts)
    metadata = {"training_texts": new.merge(base).to_metadata(), "new_training_texts": new.to_metadata()}
    # When it is evaluated on those verdicts
    overlap = training_overlap(metadata, verdicts)
    # Then every one of them is found (the merged sample alone would miss most)
    assert overlap is not None and overlap.exact and overlap.found == 200
    assert new.merge(base).overlap(verdicts).found < 200
