"""Reference splits on small fabricated dataset folders laid out like the real ones under shared/datasets.

No test needs the real datasets: each builds its own folder in ``tmp_path`` with text written for the test.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from sklearn.model_selection import train_test_split

from moderation.records import SUBTYPE_HEADS
from training.splits import (
    DEFAULT_ROOT,
    REFERENCE_SPLITS,
    ROOT_ENV,
    YOUTUBE_TEST_FILES,
    YOUTUBE_TRAIN_FILES,
    DatasetMissing,
    datasets_root,
    davidson_split,
    jigsaw_split,
    youtube_split,
)


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def make_youtube(root: Path) -> None:
    """Five per-video files; file N has N+1 comments whose text names the file, alternating ham/spam."""
    for number, name in enumerate(YOUTUBE_TRAIN_FILES + YOUTUBE_TEST_FILES, start=1):
        rows: list[list[object]] = [
            [f"id{number}-{i}", f"user {i}", "", f"video {number} comment {i}<br />thanks &amp; bye", i % 2]
            for i in range(number + 1)
        ]
        _write_csv(root / "youtube_spam" / name, ["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"], rows)


def make_davidson(root: Path, counts: tuple[int, int, int] = (10, 20, 10)) -> list[int]:
    """A labeled_data.csv with ``counts`` rows of class 0, 1, 2; returns each row's class in file order."""
    classes = [klass for klass, count in enumerate(counts) for _ in range(count)]
    rows: list[list[object]] = [
        [
            index,
            3,
            int(klass == 0) * 3,
            int(klass == 1) * 3,
            int(klass == 2) * 3,
            klass,
            f"made-up tweet {index}",
        ]
        for index, klass in enumerate(classes)
    ]
    header = ["", "count", "hate_speech", "offensive_language", "neither", "class", "tweet"]
    _write_csv(root / "davidson_hate_offensive" / "labeled_data.csv", header, rows)
    return classes


def make_jigsaw(root: Path, count: int = 20) -> None:
    """A jigsaw_sample.csv with ``count`` rows, every fourth one toxic, one text spanning two lines."""
    rows: list[list[object]] = [
        [f"id{i:03d}", f"talk page note {i}" + ("\nwith a second line" if i == 5 else ""), int(i % 4 == 0)]
        + [0] * len(SUBTYPE_HEADS)
        for i in range(count)
    ]
    header = ["id", "comment_text", "toxic", *SUBTYPE_HEADS]
    _write_csv(root / "jigsaw_sample" / "jigsaw_sample.csv", header, rows)


def test_youtube_split_trains_on_videos_1_to_3_and_tests_on_4_and_5(tmp_path: Path) -> None:
    """Given five fabricated YouTube files, when split, then train holds files 01-03 and test files 04-05,
    in file order, with spam labels and cleaned text."""
    make_youtube(tmp_path)

    train, test = youtube_split(tmp_path)

    assert len(train) == 2 + 3 + 4 and len(test) == 5 + 6
    assert {e.source for e in train} == set(YOUTUBE_TRAIN_FILES)
    assert {e.source for e in test} == set(YOUTUBE_TEST_FILES)
    assert train[0].text == "video 1 comment 0\nthanks & bye"
    assert [e.labels["spam"] for e in test[:5]] == [0, 1, 0, 1, 0]
    assert all(set(e.labels) == {"spam"} for e in train + test)


def test_davidson_split_is_stratified_90_10_with_seed_11(tmp_path: Path) -> None:
    """Given 40 fabricated Davidson rows (10 hate, 20 offensive, 10 neither), when split,
    then test is 10% with classes in proportion, and it is exactly sklearn's split with seed 11."""
    classes = make_davidson(tmp_path)

    train, test = davidson_split(tmp_path)

    assert (len(train), len(test)) == (36, 4)
    test_kinds = Counter((e.labels["toxic"], e.labels["identity_hate"]) for e in test)
    assert test_kinds == {(1, 1): 1, (1, 0): 2, (0, 0): 1}
    texts = [f"made-up tweet {index}" for index in range(len(classes))]
    want_train, want_test = train_test_split(texts, test_size=0.1, stratify=classes, random_state=11)
    assert [e.text for e in train] == want_train
    assert [e.text for e in test] == want_test


def test_jigsaw_split_is_shuffled_80_20_with_seed_3(tmp_path: Path) -> None:
    """Given 20 fabricated Jigsaw rows, when split, then train/test are 16/4, disjoint, repeatable,
    and exactly sklearn's shuffled split with seed 3."""
    make_jigsaw(tmp_path)

    train, test = jigsaw_split(tmp_path)
    again = jigsaw_split(tmp_path)

    assert (len(train), len(test)) == (16, 4)
    assert not {e.text for e in train} & {e.text for e in test}
    assert (train, test) == again
    texts = [f"talk page note {i}" + ("\nwith a second line" if i == 5 else "") for i in range(20)]
    want_train, want_test = train_test_split(texts, test_size=0.2, random_state=3, shuffle=True)
    assert [e.text for e in train] == want_train
    assert [e.text for e in test] == want_test
    assert all(set(e.labels) == {"toxic", *SUBTYPE_HEADS} for e in train + test)


@pytest.mark.parametrize("name", sorted(REFERENCE_SPLITS))
def test_missing_dataset_raises_dataset_missing(tmp_path: Path, name: str) -> None:
    """Given an empty datasets root, when any reference split is requested, then DatasetMissing (a
    FileNotFoundError) names the missing file and the root."""
    split, _head = REFERENCE_SPLITS[name]

    with pytest.raises(DatasetMissing) as caught:
        split(tmp_path)

    assert isinstance(caught.value, FileNotFoundError)
    assert str(tmp_path) in str(caught.value)
    assert ROOT_ENV in str(caught.value)
    assert caught.value.paths


def test_youtube_split_with_one_file_missing_names_that_file(tmp_path: Path) -> None:
    """Given a YouTube folder without Youtube05, when split, then DatasetMissing names exactly that file."""
    make_youtube(tmp_path)
    (tmp_path / "youtube_spam" / "Youtube05-Shakira.csv").unlink()

    with pytest.raises(DatasetMissing, match=r"Youtube05-Shakira\.csv") as caught:
        youtube_split(tmp_path)

    assert [path.name for path in caught.value.paths] == ["Youtube05-Shakira.csv"]


def test_root_comes_from_argument_then_environment_then_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given MODERATION_DATASETS pointing at a fabricated folder, when a split is called without a root,
    then it reads from there; an explicit root wins; without either the default is ../shared/datasets."""
    make_jigsaw(tmp_path / "env", count=10)
    make_jigsaw(tmp_path / "arg", count=30)
    monkeypatch.setenv(ROOT_ENV, str(tmp_path / "env"))

    assert sum(map(len, jigsaw_split())) == 10
    assert sum(map(len, jigsaw_split(tmp_path / "arg"))) == 30
    monkeypatch.delenv(ROOT_ENV)
    assert datasets_root() == DEFAULT_ROOT
    assert DEFAULT_ROOT.parts[-2:] == ("shared", "datasets")
    assert DEFAULT_ROOT.parent.parent == Path(__file__).resolve().parents[3]


def test_reference_splits_name_their_heads() -> None:
    """Given the registry, then each split is paired with the head it benchmarks."""
    assert {name: head for name, (_split, head) in REFERENCE_SPLITS.items()} == {
        "youtube": "spam",
        "davidson": "toxic",
        "jigsaw": "toxic",
    }
    assert REFERENCE_SPLITS["youtube"][0] is youtube_split
