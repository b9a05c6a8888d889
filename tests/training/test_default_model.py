"""``python -m training default-model`` end to end on a made-up data directory, with fast parameters."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import training.train as train_module
from tests.training.fake_datasets import write_data_dir
from tests.training.helpers import MAY_SHIP
from tests.training.tiny import FAST, tiny_examples, write_jsonl
from training.bundle import load_bundle, read_metadata
from training.cli import main
from training.corpora import load_corpus, sha256_file
from training.default_model import parse_holdout


@pytest.fixture
def tiny_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny seed corpus in place of the project's, so that training takes seconds."""
    seed = write_jsonl(tiny_examples(), tmp_path / "seed.jsonl")
    monkeypatch.setattr(train_module, "SEED_CORPUS", seed)
    return seed


def _run(data_dir: Path, out: Path, *extra: str) -> int:
    return main(["default-model", "--data-dir", str(data_dir), "--out", str(out), "--params", json.dumps(FAST),
                 *extra])


def test_default_model_trains_on_may_ship_corpora_records_sources_and_refuses_to_overwrite(
    tmp_path: Path, tiny_seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a made-up data directory without hatexplain, and one YouTube video and ETHOS held out, where the
    # Jigsaw sample also holds a copy of an ETHOS text (other case and spacing)
    data = write_data_dir(tmp_path / "datasets", skip=["hatexplain"])
    ethos_text = load_corpus(data, "ethos")[0].text
    with open(data / "jigsaw_sample" / "jigsaw_sample.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["copy", "  " + ethos_text.upper().replace(" ", "  "), 0, 0, 0, 0, 0, 0])
    out = tmp_path / "moderation" / "data" / "default_model"
    # When the default model is rebuilt
    code = _run(data, out, "--holdout", "youtube_spam/Youtube05-Shakira.csv", "ethos")
    # Then a loadable bundle is in place
    assert code == 0
    assert load_bundle(out).heads
    meta = read_metadata(out)
    sources = {record["corpus"]: record for record in meta["sources"]}
    # And it was trained on the seed corpus plus every present may-ship corpus, nothing evaluation-only
    assert set(sources) == {"seed_corpus"} | (MAY_SHIP - {"hatexplain"})
    assert meta["absent_sources"] == ["hatexplain"]
    # And each source has its licence, row count and file hashes
    youtube = sources["youtube_spam"]
    assert youtube["licence"].startswith("CC BY 4.0") and "CC BY 4.0" in youtube["attribution"]
    assert youtube["rows"] == 32 and youtube["labels"]["spam"] == {"examples": 32, "positives": 16}
    hashed = {item["path"]: item["sha256"] for item in youtube["files"]}
    assert "youtube_spam/Youtube05-Shakira.csv" not in hashed
    assert hashed["youtube_spam/Youtube01-Psy.csv"] == sha256_file(data / "youtube_spam" / "Youtube01-Psy.csv")
    assert sources["seed_corpus"]["files"][0]["sha256"] == sha256_file(tiny_seed)
    assert sources["multilingual/pt_toldbr_train.csv"]["licence"] == "CC BY-SA 4.0"
    assert sources["civil_comments_toxic_spans"]["rows"] == 7  # the post most annotators found not toxic is out
    # And the copy of a held-out text was kept out of training
    assert sources["jigsaw_sample"]["rows"] == 8 and sources["jigsaw_sample"]["dropped_held_out"] == 1
    assert meta["data"]["examples"] == sum(record["rows"] for record in meta["sources"])
    # And the held-out parts are evaluated and recorded
    held = {record["corpus"]: record for record in meta["held_out"]}
    assert set(held) == {"youtube_spam", "ethos"}
    assert meta["metrics"]["holdout:youtube_spam/Youtube05-Shakira.csv"]["heads"]["spam"]["n"] == 8
    assert meta["metrics"]["holdout:ethos"]["heads"]["toxic"]["n"] == 8
    printed = capsys.readouterr().out
    assert "ABSENT" in printed and "held out ethos" in printed and "cross-validation" in printed

    # When it is run again without --replace / Then it refuses and leaves the bundle alone
    assert _run(data, out) == 1
    assert "refusing to overwrite" in capsys.readouterr().err
    assert read_metadata(out)["version"] == meta["version"]

    # When run with --replace / Then a new bundle replaces it, with no staging folders left behind
    assert _run(data, out, "--replace") == 0
    assert read_metadata(out)["version"] != meta["version"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["default_model"]


def test_an_absent_data_directory_exits_2_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path / "no-datasets", tmp_path / "out") == 2
    assert "data directory" in capsys.readouterr().err and not (tmp_path / "out").exists()


def test_an_unknown_or_absent_holdout_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_data_dir(tmp_path / "datasets", skip=["ethos"])
    assert _run(data, tmp_path / "out", "--holdout", "no_such_corpus") == 2
    assert "not a corpus" in capsys.readouterr().err
    assert _run(data, tmp_path / "out", "--holdout", "ethos") == 2
    assert "held-out ethos is absent" in capsys.readouterr().err


def test_a_folder_that_is_not_a_bundle_is_never_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert _run(write_data_dir(tmp_path / "datasets"), out, "--replace") == 1
    assert "not a model bundle" in capsys.readouterr().err and (out / "notes.txt").exists()


def test_list_only_surveys_the_data_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Given a data directory without ETHOS / When listed / Then each corpus is shown with its state, nothing built
    data = write_data_dir(tmp_path / "datasets", skip=["ethos"])
    assert _run(data, tmp_path / "out", "--list") == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["ethos"].endswith("ABSENT") and "eval only" in lines["ethos"]
    assert lines["youtube_spam"].endswith("present") and "may ship" in lines["youtube_spam"]
    assert not (tmp_path / "out").exists()
    assert _run(tmp_path / "nowhere", tmp_path / "out", "--list") == 2


def test_holdout_names_a_corpus_or_one_of_its_files() -> None:
    assert parse_holdout("hatexplain").label == "hatexplain"
    assert parse_holdout("multilingual/zh_cold_dev.csv").file is None
    assert parse_holdout("youtube_spam/Youtube05-Shakira.csv").file == "Youtube05-Shakira.csv"
    with pytest.raises(ValueError):
        parse_holdout("youtube_spam/Youtube09-Nobody.csv")


def test_a_slice_of_each_non_english_source_is_held_out_and_judged_per_language(
    tmp_path: Path, tiny_seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a made-up data directory with 40 rows per file
    data = write_data_dir(tmp_path / "datasets", rows=40)
    out = tmp_path / "out"
    # When the default model is rebuilt holding out half of each non-English source
    assert _run(data, out, "--slice-share", "0.5") == 0
    meta = read_metadata(out)
    sources = {record["corpus"]: record for record in meta["sources"]}
    # Then each non-English source records its slice, English ones have none, and the slices are out of training
    korean = sources["multilingual/ko_beep_train_dev.csv"]
    assert korean["held_out_slice"]["rows"] > 0
    assert korean["rows"] + korean["held_out_slice"]["rows"] == 40
    assert "held_out_slice" not in sources["jigsaw_sample"]
    # And every language with a slice has held-out figures under the default policy, recorded and printed
    assert {"ko", "tr", "zh", "de"} <= set(meta["languages_held_out"])
    figures = meta["languages_held_out"]["ko"]
    assert {"roc_auc", "clean_approved", "abuse_approved_silently", "claim_bar", "screen_bar"} <= set(figures)
    assert meta["language_slices"]["share"] == 0.5
    assert "per language, held-out comments" in capsys.readouterr().out
