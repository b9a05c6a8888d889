"""The derived multilingual CSV reader and the GermEval 2018 reader, on files the tests write."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.readers._files import write_csv, write_text
from training.readers import DatasetFormatError, read_germeval, read_multilingual


def test_multilingual_keeps_each_rows_language(tmp_path: Path) -> None:
    # Given rows in two languages, one text spanning two lines
    path = write_csv(tmp_path / "xx.csv", ["text", "toxic", "lang"],
                     [["texto inventado\nsegunda línea", 1, "es"], ["testo inventato", 0, "it"]])
    # When read / Then lang is kept in Example.lang
    assert [(e.text, dict(e.labels), e.lang, e.source) for e in read_multilingual(path)] == [
        ("texto inventado\nsegunda línea", {"toxic": 1}, "es", "xx.csv"),
        ("testo inventato", {"toxic": 0}, "it", "xx.csv"),
    ]


@pytest.mark.parametrize(("toxic", "lang", "problem"), [
    ("1.0", "pt", "column 'toxic' must be 0 or 1"),
    ("1", "", "column 'lang' must be an ISO 639-1 code"),
    ("0", "pt-BR", "column 'lang' must be an ISO 639-1 code"),
])
def test_multilingual_names_the_line_of_a_bad_row(tmp_path: Path, toxic: str, lang: str, problem: str) -> None:
    path = write_csv(tmp_path / "xx.csv", ["text", "toxic", "lang"], [["ok", 0, "pt"], ["bad", toxic, lang]])
    with pytest.raises(DatasetFormatError, match=rf"xx\.csv, line 3: {problem}"):
        list(read_multilingual(path))


def test_germeval_maps_offense_turns_lbr_into_newlines_and_says_german(tmp_path: Path) -> None:
    # Given the upstream TSV shape: text, coarse label, fine label; a blank line; quotes are not special
    path = write_text(tmp_path / "germeval.txt", [
        'Ein erfundener "Satz" |LBR| zweite Zeile\tOTHER\tOTHER',
        "",
        "Du erfundener Trottel\tOFFENSE\tINSULT",
    ])
    # When read
    examples = list(read_germeval(path))
    # Then
    assert [(e.text, dict(e.labels), e.lang) for e in examples] == [
        ('Ein erfundener "Satz" \n zweite Zeile', {"toxic": 0}, "de"),
        ("Du erfundener Trottel", {"toxic": 1}, "de"),
    ]


@pytest.mark.parametrize(("line", "problem"), [
    ("zwei Felder\tOTHER", "expected 3 tab-separated fields"),
    ("Text\tMAYBE\tOTHER", "the second field must be OFFENSE or OTHER"),
    (" |LBR| \tOTHER\tOTHER", "row has no text"),
])
def test_germeval_names_the_line_of_a_malformed_line(tmp_path: Path, line: str, problem: str) -> None:
    path = write_text(tmp_path / "germeval.txt", ["Gut\tOTHER\tOTHER", line])
    with pytest.raises(DatasetFormatError, match=rf"germeval\.txt, line 2: {problem}"):
        list(read_germeval(path))
