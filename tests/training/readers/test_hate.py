"""HateXplain, Stormfront, ETHOS and Gab Hate Corpus readers, on files the tests write."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.readers._files import write_csv, write_jsonl, write_text
from training.readers import DatasetFormatError, read_ethos, read_gab, read_hatexplain, read_stormfront

HATEXPLAIN_HEADER = ["post_tokens", "toxic_tokens", "post_label"]
STORMFRONT_HEADER = ["file_id", "user_id", "subforum_id", "num_contexts", "label"]


def test_hatexplain_joins_tokens_and_maps_the_three_labels(tmp_path: Path) -> None:
    # Given one post of each label, tokens as Python list literals
    path = write_csv(tmp_path / "hx.csv", HATEXPLAIN_HEADER, [
        ["['<user>', 'those', 'made-up', 'people', 'again']", "[0, 0, 1, 1, 0]", "hatespeech"],
        ["['what', 'a', \"fool's\", 'take']", "[0, 0, 1, 0]", "offensive"],
        ["['nice', 'weather', '<number>']", "[0, 0, 0]", "normal"],
    ])
    # When read
    examples = list(read_hatexplain(path))
    # Then the tokens are joined by spaces; toxic = hatespeech or offensive, identity_hate = hatespeech
    assert [(e.text, dict(e.labels), e.lang) for e in examples] == [
        ("<user> those made-up people again", {"toxic": 1, "identity_hate": 1}, "en"),
        ("what a fool's take", {"toxic": 1, "identity_hate": 0}, "en"),
        ("nice weather <number>", {"toxic": 0, "identity_hate": 0}, "en"),
    ]


@pytest.mark.parametrize(("tokens", "label", "problem"), [
    ("not a list at all", "normal", "not a Python list literal"),
    ("[1, 2]", "normal", "list of strings"),
    ("__import__('os')", "normal", "not a Python list literal"),
    ("['ok']", "spicy", "post_label must be one of"),
])
def test_hatexplain_names_the_line_of_a_malformed_row(tmp_path: Path, tokens: str, label: str, problem: str) -> None:
    # Given a good row then a malformed one on line 3 / Then the error names the file and line 3
    path = write_csv(tmp_path / "hx.csv", HATEXPLAIN_HEADER, [["['fine']", "[0]", "normal"], [tokens, "[0]", label]])
    with pytest.raises(DatasetFormatError, match=rf"hx\.csv, line 3: .*{problem}"):
        list(read_hatexplain(path))


def _stormfront(tmp_path: Path, rows: list[tuple[str, str, str | None]]) -> Path:
    """annotations_metadata.csv plus all_files/<id>.txt for each row that has a text."""
    for file_id, _, text in rows:
        if text is not None:
            write_text(tmp_path / "all_files" / f"{file_id}.txt", [text])
    return write_csv(tmp_path / "annotations_metadata.csv", STORMFRONT_HEADER,
                     [[file_id, 7, 3, 0, label] for file_id, label, _ in rows])


def test_stormfront_keeps_hate_and_nohate_and_drops_relation_and_idk(tmp_path: Path) -> None:
    # Given one sentence of each label
    path = _stormfront(tmp_path, [("10_1", "hate", "made-up hateful sentence"), ("10_2", "noHate", " calm one "),
                                  ("10_3", "relation", "needs its neighbours"), ("10_4", "idk/skip", "unclear")])
    # When read
    examples = list(read_stormfront(path))
    # Then hate -> toxic and identity_hate 1, noHate -> 0; the others are dropped; texts are stripped
    assert [(e.text, dict(e.labels), e.lang) for e in examples] == [
        ("made-up hateful sentence", {"toxic": 1, "identity_hate": 1}, "en"),
        ("calm one", {"toxic": 0, "identity_hate": 0}, "en"),
    ]


def test_stormfront_names_the_metadata_line_of_a_missing_sentence_file(tmp_path: Path) -> None:
    path = _stormfront(tmp_path, [("10_1", "noHate", "present"), ("10_2", "hate", None)])
    with pytest.raises(DatasetFormatError, match=r"annotations_metadata\.csv, line 3: cannot read .*10_2\.txt"):
        list(read_stormfront(path))


@pytest.mark.parametrize(("file_id", "label", "problem"), [
    ("../../etc/passwd", "hate", "file_id must be a plain name"),
    ("10_1", "maybe", "label must be one of"),
])
def test_stormfront_rejects_odd_ids_and_labels(tmp_path: Path, file_id: str, label: str, problem: str) -> None:
    path = _stormfront(tmp_path, [(file_id, label, None)])
    with pytest.raises(DatasetFormatError, match=rf"line 2: {problem}"):
        list(read_stormfront(path))


def test_ethos_reads_semicolon_separated_rows_with_hate_at_one_half(tmp_path: Path) -> None:
    # Given isHate fractions 0.5, 0.3333 and 1.0, one text holding a comma and a semicolon
    path = write_csv(tmp_path / "ethos.csv", ["comment", "isHate"],
                     [["made-up slur, aimed; badly", 0.5], ["mild made-up gripe", 0.3333], ["awful", 1.0]],
                     delimiter=";")
    # When read / Then toxic = isHate >= 0.5
    assert [(e.text, dict(e.labels)) for e in read_ethos(path)] == [
        ("made-up slur, aimed; badly", {"toxic": 1}), ("mild made-up gripe", {"toxic": 0}), ("awful", {"toxic": 1}),
    ]


def test_ethos_names_the_line_of_a_bad_score(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ethos.csv", ["comment", "isHate"], [["a", 0.1], ["b", "lots"]], delimiter=";")
    with pytest.raises(DatasetFormatError, match=r"ethos\.csv, line 3: column 'isHate'"):
        list(read_ethos(path))


def test_gab_toxic_is_any_of_hd_cv_vo_and_identity_hate_is_hd_or_cv(tmp_path: Path) -> None:
    # Given records with each combination that matters
    flags = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1)]
    path = write_jsonl(tmp_path / "dev.jsonl", [
        {"text_id": n, "Text": f"made-up gab post {n}", "hd": hd, "cv": cv, "vo": vo, "rel": 0, "care": 1}
        for n, (hd, cv, vo) in enumerate(flags)
    ])
    # When read
    examples = list(read_gab(path))
    # Then
    assert [dict(e.labels) for e in examples] == [
        {"toxic": 0, "identity_hate": 0}, {"toxic": 1, "identity_hate": 1},
        {"toxic": 1, "identity_hate": 1}, {"toxic": 1, "identity_hate": 0},
    ]
    assert {(e.lang, e.source) for e in examples} == {("en", "dev.jsonl")}


@pytest.mark.parametrize(("line", "problem"), [
    ("{not json", "invalid JSON"),
    ('{"Text": "", "hd": 0, "cv": 0, "vo": 0}', "row has no text"),
    ('{"Text": "x", "hd": 2, "cv": 0, "vo": 0}', "key 'hd' must be 0 or 1"),
    ('{"Text": "x", "hd": 0, "cv": 0}', "key 'vo' must be 0 or 1"),
    ("[1, 2]", "expected a JSON object"),
])
def test_gab_names_the_line_of_a_malformed_record(tmp_path: Path, line: str, problem: str) -> None:
    path = write_text(tmp_path / "test.jsonl", ['{"Text": "fine", "hd": 0, "cv": 0, "vo": 0}', "", line])
    with pytest.raises(DatasetFormatError, match=rf"test\.jsonl, line 3: {problem}"):
        list(read_gab(path))
