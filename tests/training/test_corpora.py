"""The catalogue of public corpora on a made-up data directory laid out like ../shared/datasets."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from tests.training.fake_datasets import write_data_dir
from tests.training.helpers import MAY_SHIP
from training.corpora import (
    DataDirMissing,
    catalogue,
    format_survey,
    get_corpus,
    load_corpus,
    sha256_folder,
    source_records,
    survey,
)
from training.datasets import FORMATS, detect_format


def test_the_catalogue_marks_exactly_the_readme_may_ship_corpora() -> None:
    # Given the catalogue / Then the may-ship set is the READMEs' and every entry is complete
    corpora = catalogue()
    assert {name for name, c in corpora.items() if c.may_ship} == MAY_SHIP
    assert {"ethos", "gab_hate_corpus_devtest", "datacamp_comment_spam", "multilingual/ar_osact2020_train.csv",
            "multilingual/ru_2ch_pikabu_nonhidden.csv"} <= set(corpora) - MAY_SHIP
    for corpus in corpora.values():
        assert corpus.format in FORMATS and corpus.files and len(corpus.lang) == 2
        assert corpus.licence and corpus.citation and corpus.attribution


def test_cc_by_and_by_sa_corpora_carry_their_attribution() -> None:
    # Then the credit lines name the licence the CC terms ask for
    assert "CC BY 4.0" in get_corpus("youtube_spam").attribution
    assert "no" in get_corpus("multilingual/de_germeval2018.training.txt").attribution.lower()
    assert "CC BY-SA 3.0 ES" in get_corpus("stormfront_hate").attribution
    assert "CC BY-SA 4.0" in get_corpus("multilingual/pt_toldbr_train.csv").attribution
    assert "CC BY-SA" in get_corpus("jigsaw_sample").attribution
    assert "modified" in get_corpus("multilingual/zh_cold_train.csv").attribution


def test_survey_says_what_is_present_and_what_is_absent(tmp_path: Path) -> None:
    # Given a data directory without hatexplain, and ToxicSpans without its annotations
    root = write_data_dir(tmp_path / "datasets", skip=["hatexplain"])
    (root / "civil_comments_toxic_spans" / "annotations.csv").unlink()
    # When surveyed
    presences = {p.corpus.name: p for p in survey(root)}
    # Then
    assert presences["youtube_spam"].present
    assert presences["hatexplain"].missing == ("hatexplain/hatexplain_train.csv", "hatexplain/hatexplain_test.csv")
    assert presences["civil_comments_toxic_spans"].missing == ("civil_comments_toxic_spans/annotations.csv",)
    table = format_survey(list(presences.values()))
    assert "hatexplain" in table and "ABSENT" in table
    assert "ABSENT (missing civil_comments_toxic_spans/annotations.csv)" in table


def test_an_absent_data_directory_is_said_clearly(tmp_path: Path) -> None:
    with pytest.raises(DataDirMissing, match=r"data directory .*nowhere is absent"):
        survey(tmp_path / "nowhere")


def test_every_corpus_loads_with_its_reader_and_language(tmp_path: Path) -> None:
    # Given a full made-up data directory
    root = write_data_dir(tmp_path / "datasets")
    # When each corpus is loaded / Then it yields examples in its language, sourced as folder/file
    for corpus in catalogue().values():
        examples = load_corpus(root, corpus.name)
        assert examples, corpus.name
        assert {e.lang for e in examples} == {corpus.lang}, corpus.name
        assert {e.source for e in examples} <= {f"{corpus.folder}/{f}" for f in corpus.files}
    # And the files' formats are detected where the header is unambiguous
    assert detect_format(root / "hatexplain" / "hatexplain_train.csv") == "hatexplain"
    assert detect_format(root / "gab_hate_corpus_devtest" / "dev.jsonl") == "gab"
    assert detect_format(root / "multilingual" / "de_germeval2018.training.txt") == "germeval"
    assert detect_format(root / "ethos" / "Ethos_Dataset_Binary.csv") == "ethos"
    assert detect_format(root / "multilingual" / "zh_cold_dev.csv") == "multilingual"
    assert detect_format(root / "civil_comments_toxic_spans" / "comments.csv") == "toxic_spans"


def test_one_file_of_a_corpus_loads_alone(tmp_path: Path) -> None:
    # Given the YouTube corpus / When only one video is loaded / Then only its comments come back
    root = write_data_dir(tmp_path / "datasets", rows=6)
    one = load_corpus(root, "youtube_spam", "Youtube05-Shakira.csv")
    assert len(one) == 6 and {e.source for e in one} == {"youtube_spam/Youtube05-Shakira.csv"}
    assert len(load_corpus(root, "youtube_spam")) == 30
    with pytest.raises(ValueError, match="has no file"):
        load_corpus(root, "youtube_spam", "Youtube09-Nobody.csv")


def test_loading_an_absent_corpus_names_the_missing_files(tmp_path: Path) -> None:
    root = write_data_dir(tmp_path / "datasets", skip=["ethos"])
    with pytest.raises(FileNotFoundError, match=r"ethos/Ethos_Dataset_Binary\.csv absent"):
        load_corpus(root, "ethos")


def test_source_records_hash_data_companions_and_licences(tmp_path: Path) -> None:
    # Given the made-up ToxicSpans and Stormfront corpora
    root = write_data_dir(tmp_path / "datasets")
    # When their source files are fingerprinted
    spans = {r["path"]: r for r in source_records(root, "civil_comments_toxic_spans")}
    storm = {r["path"]: r for r in source_records(root, "stormfront_hate")}
    # Then each file has its sha256 and role
    comments = root / "civil_comments_toxic_spans" / "comments.csv"
    assert spans["civil_comments_toxic_spans/comments.csv"] == {
        "path": "civil_comments_toxic_spans/comments.csv", "role": "data",
        "sha256": hashlib.sha256(comments.read_bytes()).hexdigest(), "bytes": comments.stat().st_size,
    }
    assert spans["civil_comments_toxic_spans/annotations.csv"]["role"] == "companion"
    assert spans["civil_comments_toxic_spans/LICENSE"]["role"] == "licence"
    folder = storm["stormfront_hate/all_files/"]
    assert folder["kind"] == "folder" and folder["files"] == 8
    assert folder["sha256"] == sha256_folder(root / "stormfront_hate" / "all_files")


def test_folder_hash_is_the_one_the_shared_readme_pins(tmp_path: Path) -> None:
    # Given a folder of a few files / Then sha256_folder equals the README's shell recipe
    for name, text in [("b_1.txt", "two"), ("a_10.txt", "one"), ("a_2.txt", "three")]:
        (tmp_path / name).write_text(text)
    recipe = 'LC_ALL=C ls | LC_ALL=C sort | while read f; do sha256sum "$f"; done | sha256sum'
    expected = subprocess.run(["bash", "-c", recipe], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert sha256_folder(tmp_path) == expected.stdout.split()[0]
