"""The DataCamp comment-spam reader, on files the tests write."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.readers._files import write_csv
from training.readers import DatasetFormatError, read_datacamp

HEADER = ["comment", "label", "articleName"]


def test_datacamp_reads_labelled_rows_and_skips_unlabelled_and_blank_ones(tmp_path: Path) -> None:
    # Given a spam row, a ham row, an unlabelled row and a labelled row with a blank comment
    path = write_csv(tmp_path / "dc.csv", HEADER, [
        ["Visit my made-up course shop now", 1, "some-tutorial"],
        ["Clear made-up explanation, thanks", 0, "some-tutorial"],
        ["Nobody labelled this one", "", "other-tutorial"],
        ["  ", 1, "other-tutorial"],
    ])
    # When read / Then only the first two remain, as spam labels in English
    assert [(e.text, dict(e.labels), e.lang) for e in read_datacamp(path)] == [
        ("Visit my made-up course shop now", {"spam": 1}, "en"),
        ("Clear made-up explanation, thanks", {"spam": 0}, "en"),
    ]


def test_datacamp_names_the_line_of_a_bad_label(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dc.csv", HEADER, [["fine", 0, "a"], ["odd", "spam", "a"]])
    with pytest.raises(DatasetFormatError, match=r"dc\.csv, line 3: column 'label' must be 0 or 1"):
        list(read_datacamp(path))
