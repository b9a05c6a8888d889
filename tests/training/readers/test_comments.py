"""Civil Comments (ToxicSpans, labelled sample, rater fractions) and CAT-LARGE readers, on files the tests write."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.readers._files import write_csv
from training.readers import (
    DatasetFormatError,
    read_cat_large,
    read_civil_labelled,
    read_civil_scores,
    read_toxic_spans,
)

ANNOTATION_HEADER = ["annotation", "comment_id", "worker", "country", "all toxic", "not toxic"]
SCORE_HEADER = ["text", "toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack",
                "sexual_explicit", "_primary_case_type"]


def _spans(tmp_path: Path, ticks: dict[str, list[str]]) -> Path:
    """comments.csv with one made-up post per id, and annotations.csv with the given not-toxic ticks."""
    write_csv(tmp_path / "comments.csv", ["comment_id", "comment_text"],
              [[cid, f"made-up rude post {cid}"] for cid in ticks])
    rows = [[n, cid, 100 + n, "XX", "False", tick]
            for n, (cid, tick) in enumerate((cid, t) for cid, marks in ticks.items() for t in marks)]
    write_csv(tmp_path / "annotations.csv", ANNOTATION_HEADER, rows)
    return tmp_path / "comments.csv"


def test_toxic_spans_keeps_posts_unless_a_strict_majority_ticked_not_toxic(tmp_path: Path) -> None:
    # Given posts where 1 of 3, 2 of 3, 2 of 4 and 0 of 3 span annotators ticked "not toxic"
    path = _spans(tmp_path, {"11": ["False", "True", "False"], "12": ["True", "True", "False"],
                             "13": ["True", "False", "True", "False"], "14": ["False", "False", "False"]})
    # When read
    examples = list(read_toxic_spans(path))
    # Then the 2-of-3 post is dropped, the others are toxic English examples from comments.csv
    assert [e.text for e in examples] == ["made-up rude post 11", "made-up rude post 13", "made-up rude post 14"]
    assert {(tuple(e.labels.items()), e.lang, e.source) for e in examples} == {
        ((("toxic", 1),), "en", "comments.csv")
    }


def test_toxic_spans_without_annotations_beside_it_is_an_error(tmp_path: Path) -> None:
    # Given comments.csv alone / Then the error names the file and the missing annotations
    path = write_csv(tmp_path / "comments.csv", ["comment_id", "comment_text"], [["1", "a made-up post"]])
    with pytest.raises(DatasetFormatError, match=r"comments\.csv: .*annotations\.csv"):
        list(read_toxic_spans(path))


def test_toxic_spans_rejects_a_tick_that_is_not_true_or_false(tmp_path: Path) -> None:
    # Given an annotation row whose "not toxic" says "maybe" on line 3
    path = _spans(tmp_path, {"1": ["False", "maybe"]})
    # Then the error names annotations.csv and line 3
    with pytest.raises(DatasetFormatError, match=r"annotations\.csv, line 3: .*'not toxic'") as info:
        list(read_toxic_spans(path))
    assert info.value.line == 3


def test_civil_labelled_maps_label_to_toxic(tmp_path: Path) -> None:
    # Given a text,label sample with a multi-line text
    path = write_csv(tmp_path / "sample.csv", ["text", "label"],
                     [["a calm made-up remark", 0], ["line one\nline two, rude", 1]])
    # When read / Then label becomes toxic and the text keeps its newline
    examples = list(read_civil_labelled(path))
    assert [(e.text, dict(e.labels), e.lang) for e in examples] == [
        ("a calm made-up remark", {"toxic": 0}, "en"),
        ("line one\nline two, rude", {"toxic": 1}, "en"),
    ]


def test_civil_labelled_names_the_line_of_a_bad_label(tmp_path: Path) -> None:
    # Given a label 2 on the record that starts on line 4 (the record before it spans two lines)
    path = write_csv(tmp_path / "sample.csv", ["text", "label"], [["first\nsecond", 0], ["ok text", 2]])
    # Then the error names the file and line 4
    with pytest.raises(DatasetFormatError, match=r"sample\.csv, line 4: column 'label' must be 0 or 1"):
        list(read_civil_labelled(path))


def test_civil_scores_turn_rater_fractions_of_one_half_or_more_into_heads(tmp_path: Path) -> None:
    # Given rows at, above and below the 0.5 rater fraction
    path = write_csv(tmp_path / "bucketed.csv", SCORE_HEADER, [
        ["made-up clean remark", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, "clean"],
        ["made-up insult", 0.5, 0.1, 0.49, 0.0, 0.8, 0.0, 0.9, "insult"],
        ["made-up group attack", 0.9, 0.6, 0.0, 0.5, 0.2, 0.7, 0.0, "identity_attack"],
    ])
    # When read
    examples = list(read_civil_scores(path))
    # Then toxicity sets toxic, identity_attack sets identity_hate, severe_toxicity severe_toxic; sexual_explicit
    # is not a head
    assert [dict(e.labels) for e in examples] == [
        {"toxic": 0, "severe_toxic": 0, "obscene": 0, "threat": 0, "insult": 0, "identity_hate": 0},
        {"toxic": 1, "severe_toxic": 0, "obscene": 0, "threat": 0, "insult": 1, "identity_hate": 0},
        {"toxic": 1, "severe_toxic": 1, "obscene": 0, "threat": 1, "insult": 0, "identity_hate": 1},
    ]
    assert {e.lang for e in examples} == {"en"}


@pytest.mark.parametrize("score", ["high", "1.5", "-0.1", "nan", ""])
def test_civil_scores_reject_a_score_outside_zero_to_one(tmp_path: Path, score: str) -> None:
    # Given a toxicity cell that is not a fraction / Then the error names file, line 2 and column
    path = write_csv(tmp_path / "bucketed.csv", SCORE_HEADER, [["made-up", score, 0, 0, 0, 0, 0, 0, "x"]])
    with pytest.raises(DatasetFormatError, match=r"bucketed\.csv, line 2: column 'toxicity'"):
        list(read_civil_scores(path))


def test_cat_large_reads_the_crowd_label_in_either_column_order_and_never_the_api_score(tmp_path: Path) -> None:
    # Given a gc file and a gn file (different column orders) whose api scores contradict the labels
    gc = write_csv(tmp_path / "gc.csv", ["id", "text", "parent", "label", "api"],
                   [["101", "made-up reply", "made-up parent", 0, 0.97], ["102", "made-up jab", "p", 1, 0.01]])
    gn = write_csv(tmp_path / "gn.csv", ["id", "text", "label", "api", "parent"],
                   [["201", "made-up note", 0, 0.99, "p"]])
    # When read / Then the labels come from label, the parent is not in the text
    assert [(e.text, dict(e.labels), e.source) for e in [*read_cat_large(gc), *read_cat_large(gn)]] == [
        ("made-up reply", {"toxic": 0}, "gc.csv"),
        ("made-up jab", {"toxic": 1}, "gc.csv"),
        ("made-up note", {"toxic": 0}, "gn.csv"),
    ]


def test_cat_large_names_the_line_of_a_blank_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gn.csv", ["id", "text", "label", "api", "parent"],
                     [["1", "fine", 0, 0.1, ""], ["2", "  ", 1, 0.1, ""]])
    with pytest.raises(DatasetFormatError, match=r"gn\.csv, line 3: row has no text"):
        list(read_cat_large(path))
