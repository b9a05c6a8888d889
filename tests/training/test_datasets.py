"""Dataset readers, format detection, the JSON Lines writer and the dataset fingerprint.

Every file here is written into ``tmp_path`` by the test, with text written for the test.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from moderation.records import ALL_HEADS, SUBTYPE_HEADS
from training.datasets import (
    FORMATS,
    DatasetFormatError,
    dataset_hash,
    detect_format,
    load_dataset,
    load_datasets,
    read_csv,
    read_davidson,
    read_feedback,
    read_jigsaw,
    read_jsonl,
    read_sms,
    read_youtube,
    write_jsonl,
)
from training.examples import Example

JIGSAW_HEADER = ["id", "comment_text", "toxic", *SUBTYPE_HEADS]
YOUTUBE_HEADER = ["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"]
DAVIDSON_HEADER = ["", "count", "hate_speech", "offensive_language", "neither", "class", "tweet"]
FEEDBACK_HEADER = ["comment_id", "text", "spam", "toxic", "verdict", "site", "decided_at", "source"]


def write_csv(path: Path, header: list[str], rows: list[list[object]], *, bom: bool = False) -> Path:
    """Write a CSV file (csv module quoting, so texts with commas, quotes and newlines round-trip)."""
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_lines(path: Path, lines: list[str]) -> Path:
    """Write text lines joined by newlines."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- our format: JSON Lines -------------------------------------------------------------------------------


def test_jsonl_reads_text_and_labels_and_leaves_unknown_heads_absent(tmp_path: Path) -> None:
    """Given JSON Lines rows with full, partial, null and string labels,
    when read, then known heads are 0/1 ints and missing or null heads are absent, not 0."""
    path = write_lines(
        tmp_path / "ours.jsonl",
        [
            json.dumps({"text": "Buy cheap watches at my shop", "spam": 1, "toxic": 0}),
            json.dumps({"text": "Thanks for the detailed answer", "toxic": "0"}),
            "",
            json.dumps({"text": "you absolute clown", "toxic": True, "insult": "1", "spam": None}),
            json.dumps({"text": "Nice photo", "spam": False, "threat": "", "note": "extra keys are ignored"}),
        ],
    )

    examples = list(read_jsonl(path))

    assert [e.text for e in examples] == [
        "Buy cheap watches at my shop",
        "Thanks for the detailed answer",
        "you absolute clown",
        "Nice photo",
    ]
    assert [dict(e.labels) for e in examples] == [
        {"spam": 1, "toxic": 0},
        {"toxic": 0},
        {"toxic": 1, "insult": 1},
        {"spam": 0},
    ]
    assert "spam" not in examples[1].labels  # unknown, not negative
    assert all(e.source == "ours.jsonl" for e in examples)


@pytest.mark.parametrize(
    ("bad_line", "fragment"),
    [
        (json.dumps({"spam": 1}), "no text"),
        (json.dumps({"text": "   ", "spam": 1}), "no text"),
        (json.dumps({"text": "fine words", "spam": 2}), "'spam'"),
        (json.dumps({"text": "fine words", "toxic": "maybe"}), "'toxic'"),
        ('{"text": "unterminated', "invalid JSON"),
        (json.dumps(["text", "in a list"]), "JSON object"),
    ],
)
def test_jsonl_bad_row_error_names_file_and_line(tmp_path: Path, bad_line: str, fragment: str) -> None:
    """Given a JSON Lines file whose third line is bad, when read, then the error names the file, line 3
    and the problem."""
    path = write_lines(
        tmp_path / "bad.jsonl",
        [json.dumps({"text": "first comment"}), json.dumps({"text": "second comment", "spam": 0}), bad_line],
    )

    with pytest.raises(DatasetFormatError) as caught:
        list(read_jsonl(path))

    message = str(caught.value)
    assert "bad.jsonl" in message
    assert "line 3" in message
    assert fragment in message
    assert caught.value.line == 3


def test_json_array_file_is_accepted(tmp_path: Path) -> None:
    """Given a .json file holding an array of rows, when loaded, then it reads like JSON Lines."""
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([{"text": "hello there", "spam": 0}, {"text": "win a prize now", "spam": 1}]))

    examples = load_dataset(path)

    assert [(e.text, dict(e.labels)) for e in examples] == [
        ("hello there", {"spam": 0}),
        ("win a prize now", {"spam": 1}),
    ]


# --- our format: CSV ----------------------------------------------------------------------------------------


def test_csv_reads_multiline_quoted_text_bom_and_blank_labels(tmp_path: Path) -> None:
    """Given our CSV with a BOM, a quoted text spanning lines, blank and true/false cells and an extra column,
    when read, then the text keeps its newlines, blanks are unknown and the extra column is ignored."""
    path = tmp_path / "ours.csv"
    path.write_text(
        "\ufefftext,spam,toxic,obscene,extra\n"
        '"First line of a comment,\nsecond line with ""quotes""\nthird line",0,,,whatever\n'
        "short and sweet,TRUE,false,1,\n",
        encoding="utf-8",
    )

    examples = list(read_csv(path))

    assert examples[0].text == 'First line of a comment,\nsecond line with "quotes"\nthird line'
    assert dict(examples[0].labels) == {"spam": 0}
    assert examples[1].text == "short and sweet"
    assert dict(examples[1].labels) == {"spam": 1, "toxic": 0, "obscene": 1}


def test_csv_error_after_multiline_record_names_the_right_line(tmp_path: Path) -> None:
    """Given our CSV whose first record spans three lines and whose second record has no text,
    when read, then the error names line 5 (header 1, record 2-4, bad record 5)."""
    path = tmp_path / "ours.csv"
    path.write_text('text,spam\n"one\ntwo\nthree",0\n,1\n', encoding="utf-8")

    with pytest.raises(DatasetFormatError, match=r"ours\.csv, line 5: row has no text"):
        list(read_csv(path))


def test_csv_bad_label_and_field_count_errors(tmp_path: Path) -> None:
    """Given our CSV with a label of 5, or a row with too many fields, when read,
    then the error names the line."""
    bad_label = write_csv(tmp_path / "label.csv", ["text", "toxic"], [["okay", 0], ["not okay", 5]])
    too_many = tmp_path / "fields.csv"
    too_many.write_text("text,spam\nhello,0\nhello,0,surprise\n", encoding="utf-8")

    with pytest.raises(DatasetFormatError, match=r"line 3: label 'toxic' must be 0 or 1"):
        list(read_csv(bad_label))
    with pytest.raises(DatasetFormatError, match=r"line 3: expected 2 fields"):
        list(read_csv(too_many))


def test_csv_without_text_column_is_rejected(tmp_path: Path) -> None:
    """Given a CSV with no text column, when read as our format, then the error says the column is missing."""
    path = write_csv(tmp_path / "notext.csv", ["body", "spam"], [["hello", 0]])

    with pytest.raises(DatasetFormatError, match="missing column"):
        list(read_csv(path))


def test_very_long_field_is_read(tmp_path: Path) -> None:
    """Given a comment longer than the csv module's default field limit, when read, then it is read whole."""
    long_text = "word " * 60_000
    path = write_csv(tmp_path / "long.csv", ["text", "spam"], [[long_text, 1]])

    (example,) = read_csv(path)

    assert example.text == long_text


# --- moderator feedback export -----------------------------------------------------------------------------


def test_feedback_export_rows_are_read_with_extra_columns_ignored(tmp_path: Path) -> None:
    """Given a feedback export CSV and JSON Lines with comment_id, verdict, site, decided_at and source,
    when read with read_feedback or auto-detected, then only text and head columns count."""
    csv_path = write_csv(
        tmp_path / "feedback.csv",
        FEEDBACK_HEADER,
        [
            [
                "c-1",
                "Follow my page for free followers",
                1,
                "",
                "spam",
                "blog.example",
                "2024-05-01T10:00:00Z",
                "mod",
            ],
            ["c-2", "I disagree, but fair point", 0, 0, "ham", "blog.example", "2024-05-01T10:05:00Z", "mod"],
        ],
    )
    jsonl_path = write_lines(
        tmp_path / "feedback.jsonl",
        [
            json.dumps(
                {
                    "comment_id": "c-3",
                    "text": "go away idiot",
                    "toxic": 1,
                    "insult": 1,
                    "verdict": "toxic",
                    "site": "forum.example",
                    "decided_at": "2024-05-02T08:00:00Z",
                    "source": "moderator",
                }
            )
        ],
    )

    from_csv = list(read_feedback(csv_path))
    from_jsonl = list(read_feedback(jsonl_path))

    assert [(e.text, dict(e.labels)) for e in from_csv] == [
        ("Follow my page for free followers", {"spam": 1}),
        ("I disagree, but fair point", {"spam": 0, "toxic": 0}),
    ]
    assert [(e.text, dict(e.labels)) for e in from_jsonl] == [("go away idiot", {"toxic": 1, "insult": 1})]
    assert from_csv[0].source == "feedback.csv"  # the Example source is the file, not the "source" column
    assert detect_format(csv_path) == "feedback"
    assert load_dataset(csv_path) == from_csv


# --- Jigsaw ------------------------------------------------------------------------------------------------


def test_jigsaw_reads_toxic_and_subtypes_and_leaves_spam_unknown(tmp_path: Path) -> None:
    """Given a Jigsaw-format CSV, when read, then toxic and every subtype are labelled and spam is absent."""
    path = write_csv(
        tmp_path / "jigsaw.csv",
        JIGSAW_HEADER,
        [
            ["a1", "Please cite a source for this edit.", 0, 0, 0, 0, 0, 0],
            ["b2", "You are a worthless\nvandal and I will find you", 1, 0, 0, 1, 1, 0],
        ],
    )

    examples = list(read_jigsaw(path))

    assert examples[0].labels == dict.fromkeys(["toxic", *SUBTYPE_HEADS], 0)
    assert examples[1].text == "You are a worthless\nvandal and I will find you"
    assert dict(examples[1].labels) == {
        "toxic": 1,
        "severe_toxic": 0,
        "obscene": 0,
        "threat": 1,
        "insult": 1,
        "identity_hate": 0,
    }
    assert all("spam" not in e.labels for e in examples)


def test_jigsaw_bad_label_names_line(tmp_path: Path) -> None:
    """Given a Jigsaw CSV with a blank toxic cell on line 2, when read,
    then the error names line 2 and toxic."""
    path = write_csv(
        tmp_path / "jigsaw.csv", JIGSAW_HEADER, [["a1", "some talk page text", "", 0, 0, 0, 0, 0]]
    )

    with pytest.raises(DatasetFormatError, match=r"jigsaw\.csv, line 2: column 'toxic'"):
        list(read_jigsaw(path))


# --- YouTube -----------------------------------------------------------------------------------------------


def test_youtube_unescapes_html_and_turns_br_into_newlines(tmp_path: Path) -> None:
    """Given YouTube rows with HTML entities, <br /> tags, an escaped br and a trailing BOM character,
    when read, then entities are unescaped, tags become newlines, the BOM is gone and toxic is unknown."""
    path = write_csv(
        tmp_path / "Youtube09-Test.csv",
        YOUTUBE_HEADER,
        [
            [
                "id1",
                "Some Person",
                "2014-01-01T00:00:00",
                "Tom &amp; Jerry&#39;s song<br />so good<br/>wow\ufeff",
                0,
            ],
            ["id2", "Other Person", "", "check my channel &gt;&gt; free stuff<BR>subscribe", 1],
            ["id3", "Third Person", "", "I typed &lt;br /&gt; on purpose", 0],
        ],
    )

    examples = list(read_youtube(path))

    assert [e.text for e in examples] == [
        "Tom & Jerry's song\nso good\nwow",
        "check my channel >> free stuff\nsubscribe",
        "I typed <br /> on purpose",
    ]
    assert [dict(e.labels) for e in examples] == [{"spam": 0}, {"spam": 1}, {"spam": 0}]
    assert all("toxic" not in e.labels for e in examples)


def test_youtube_bad_class_names_line(tmp_path: Path) -> None:
    """Given a YouTube row with CLASS 3, when read, then the error names the line and CLASS."""
    path = write_csv(
        tmp_path / "yt.csv", YOUTUBE_HEADER, [["i", "a", "", "nice", 0], ["j", "b", "", "meh", 3]]
    )

    with pytest.raises(DatasetFormatError, match=r"line 3: column 'CLASS' must be 0 or 1"):
        list(read_youtube(path))


# --- SMS ---------------------------------------------------------------------------------------------------


def test_sms_reads_ham_and_spam_with_text_taken_literally(tmp_path: Path) -> None:
    """Given an SMS Spam Collection file with quotes and a tab inside a text, when read,
    then each line is one example, quotes are kept and the text is everything after the first tab."""
    path = write_lines(
        tmp_path / "sms.tsv",
        [
            'ham\tSee you at "the usual place" at 6',
            "spam\tFREE entry! Text WIN to 80000\tnow",
            "",
            "Ham\tok",
        ],
    )

    examples = list(read_sms(path))

    assert [(e.text, dict(e.labels)) for e in examples] == [
        ('See you at "the usual place" at 6', {"spam": 0}),
        ("FREE entry! Text WIN to 80000\tnow", {"spam": 1}),
        ("ok", {"spam": 0}),
    ]


def test_sms_unknown_label_names_line(tmp_path: Path) -> None:
    """Given an SMS file whose second line is labelled 'junk', when read, then the error names line 2."""
    path = write_lines(tmp_path / "sms.txt", ["ham\thello", "junk\tbuy now"])

    with pytest.raises(DatasetFormatError, match=r"sms\.txt, line 2: label must be 'ham' or 'spam'"):
        list(read_sms(path))


# --- Davidson ----------------------------------------------------------------------------------------------


def test_davidson_maps_classes_to_toxic_and_identity_hate(tmp_path: Path) -> None:
    """Given Davidson rows of class 0 (hate), 1 (offensive) and 2 (neither) with an unnamed index column,
    when read, then toxic = class 0 or 1, identity_hate = class 0, spam is unknown, entities are unescaped."""
    path = write_csv(
        tmp_path / "labeled_data.csv",
        DAVIDSON_HEADER,
        [
            [0, 3, 3, 0, 0, 0, "those people should all leave &amp; never come back"],
            [1, 3, 0, 3, 0, 1, "this stupid weather can go to hell"],
            [2, 3, 0, 0, 3, 2, "lovely morning for a run &#128514;"],
        ],
    )

    examples = list(read_davidson(path))

    assert [dict(e.labels) for e in examples] == [
        {"toxic": 1, "identity_hate": 1},
        {"toxic": 1, "identity_hate": 0},
        {"toxic": 0, "identity_hate": 0},
    ]
    assert examples[0].text == "those people should all leave & never come back"
    assert examples[2].text == "lovely morning for a run \U0001f602"
    assert all("spam" not in e.labels for e in examples)


def test_davidson_bad_class_names_line(tmp_path: Path) -> None:
    """Given a Davidson row with class 7, when read, then the error names the line and the class column."""
    path = write_csv(tmp_path / "labeled_data.csv", DAVIDSON_HEADER, [[0, 3, 0, 0, 3, 7, "a quiet tweet"]])

    with pytest.raises(DatasetFormatError, match=r"line 2: column 'class' must be 0, 1 or 2"):
        list(read_davidson(path))


# --- detection and loading ---------------------------------------------------------------------------------


def _sample_files(tmp_path: Path) -> dict[str, Path]:
    """One small file per format, named and laid out as the real ones would be."""
    return {
        "ours": write_lines(tmp_path / "mine.jsonl", [json.dumps({"text": "hello friends", "spam": 0})]),
        "ours-csv": write_csv(tmp_path / "mine.csv", ["text", "toxic"], [["calm words", 0]]),
        "feedback": write_csv(
            tmp_path / "export.csv",
            FEEDBACK_HEADER,
            [["c9", "buy now", 1, "", "spam", "s", "2024-01-01", "mod"]],
        ),
        "jigsaw": write_csv(
            tmp_path / "train.csv", JIGSAW_HEADER, [["x", "an edit summary", 0, 0, 0, 0, 0, 0]]
        ),
        "youtube": write_csv(
            tmp_path / "Youtube07-Band.csv", YOUTUBE_HEADER, [["i", "a", "", "great beat", 0]]
        ),
        "sms-tsv": write_lines(tmp_path / "sms.tsv", ["spam\tclaim your prize"]),
        "sms-txt": write_lines(tmp_path / "sms.txt", ["ham\tsee you soon"]),
        "sms-bare": write_lines(tmp_path / "SMSSpamCollection", ["ham\ton my way"]),
        "davidson": write_csv(
            tmp_path / "labeled_data.csv", DAVIDSON_HEADER, [[0, 3, 0, 0, 3, 2, "sunny day"]]
        ),
    }


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ours", "ours"),
        ("ours-csv", "ours"),
        ("feedback", "feedback"),
        ("jigsaw", "jigsaw"),
        ("youtube", "youtube"),
        ("sms-tsv", "sms"),
        ("sms-txt", "sms"),
        ("sms-bare", "sms"),
        ("davidson", "davidson"),
    ],
)
def test_detect_format_from_extension_and_header(tmp_path: Path, key: str, expected: str) -> None:
    """Given one small file of each format, when its format is detected, then the right format is named and
    load_dataset reads it with that format's reader."""
    path = _sample_files(tmp_path)[key]

    assert detect_format(path) == expected
    assert load_dataset(path) == load_dataset(path, format=expected)
    assert len(load_dataset(path)) == 1


def test_explicit_format_overrides_detection(tmp_path: Path) -> None:
    """Given a YouTube-format file, when loaded with format="youtube" in any case,
    then it is read as YouTube."""
    path = _sample_files(tmp_path)["youtube"]

    assert load_dataset(path, format="YouTube") == [Example("great beat", {"spam": 0}, "Youtube07-Band.csv", lang="en")]


def test_unknown_format_lists_known_ones(tmp_path: Path) -> None:
    """Given an unknown format name, when loading, then the ValueError lists every known format."""
    path = _sample_files(tmp_path)["ours"]

    with pytest.raises(ValueError, match="unknown dataset format 'parquet'") as caught:
        load_dataset(path, format="parquet")
    for name in FORMATS:
        assert name in str(caught.value)


def test_undetectable_file_asks_for_a_format(tmp_path: Path) -> None:
    """Given a CSV whose header matches no format, when auto-loading,
    then the ValueError says to name it with --format."""
    path = write_csv(tmp_path / "mystery.csv", ["body", "label"], [["hi", "x"]])

    with pytest.raises(ValueError, match="--format"):
        load_dataset(path)


def test_missing_file_is_file_not_found(tmp_path: Path) -> None:
    """Given a path that does not exist, when loading, then FileNotFoundError names it."""
    with pytest.raises(FileNotFoundError, match=r"nope\.jsonl"):
        load_dataset(tmp_path / "nope.jsonl")


def test_load_datasets_concatenates_in_order(tmp_path: Path) -> None:
    """Given files of different formats, when loaded together, then examples come file by file in order."""
    files = _sample_files(tmp_path)

    examples = load_datasets([files["sms-tsv"], files["ours"], files["jigsaw"]])

    assert [e.text for e in examples] == ["claim your prize", "hello friends", "an edit summary"]
    assert [e.source for e in examples] == ["sms.tsv", "mine.jsonl", "train.csv"]


# --- writer and hash ---------------------------------------------------------------------------------------


def test_write_jsonl_round_trips_and_keeps_unknown_heads_absent(tmp_path: Path) -> None:
    """Given examples with partial labels and non-ASCII, multi-line text, when written and read back,
    then texts and labels are identical and unknown heads are still absent."""
    examples = [
        Example("Ça va? 👋\nsecond line", {"spam": 0}, "a"),
        Example("get rich quick", {"spam": 1, "toxic": 0}, "b"),
        Example("no labels at all", {}, "c"),
        Example("every head", dict.fromkeys(ALL_HEADS, 1), "d"),
    ]
    path = tmp_path / "out" / "examples.jsonl"

    written = write_jsonl(examples, path)
    back = list(read_jsonl(path))

    assert written == 4
    assert [(e.text, dict(e.labels)) for e in back] == [(e.text, dict(e.labels)) for e in examples]
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0]) == {
        "text": "Ça va? 👋\nsecond line",
        "spam": 0,
    }


def test_dataset_hash_is_sha256_of_bytes_and_order_sensitive(tmp_path: Path) -> None:
    """Given two files, when hashed, then one file's hash is its plain sha256, the pair's hash depends on
    order and on every byte, and str and Path arguments agree."""
    first = write_lines(tmp_path / "a.jsonl", [json.dumps({"text": "one"})])
    second = write_lines(tmp_path / "b.jsonl", [json.dumps({"text": "two"})])

    single = dataset_hash(first)
    pair = dataset_hash([first, second])

    assert single == hashlib.sha256(first.read_bytes()).hexdigest()
    assert dataset_hash([str(first)]) == single
    assert len(pair) == 64 and pair != single
    assert dataset_hash([second, first]) != pair
    second.write_text(json.dumps({"text": "two!"}) + "\n", encoding="utf-8")
    assert dataset_hash([first, second]) != pair


# --- the language of an example -------------------------------------------------------------------------


def test_our_format_keeps_the_lang_column_in_jsonl_and_csv(tmp_path: Path) -> None:
    """Given our format with a ``lang`` key or column (any case, padded, or missing), when read, then each
    Example has the lower-cased code, or "" when the row does not say."""
    jsonl = write_lines(tmp_path / "mixed.jsonl", [
        json.dumps({"text": "Guter Artikel", "toxic": 0, "lang": "de"}),
        json.dumps({"text": "nice one", "toxic": 0}),
        json.dumps({"text": "tres bien", "lang": " FR "}),
    ])
    csv_path = write_csv(tmp_path / "mixed.csv", ["text", "toxic", "Lang"], [["hola", 0, "es"], ["hi", 0, ""]])

    assert [e.lang for e in read_jsonl(jsonl)] == ["de", "", "fr"]
    assert [e.lang for e in read_csv(csv_path)] == ["es", ""]


def test_a_lang_that_is_not_a_string_names_the_line(tmp_path: Path) -> None:
    """Given a JSON Lines row whose ``lang`` is a number, when read, then the error names the line."""
    path = write_lines(tmp_path / "bad.jsonl", [json.dumps({"text": "ok"}), json.dumps({"text": "x", "lang": 7})])

    with pytest.raises(DatasetFormatError, match=r"bad\.jsonl.*2.*lang"):
        list(read_jsonl(path))


def test_the_writer_keeps_lang_so_a_round_trip_is_lossless(tmp_path: Path) -> None:
    """Given Examples with and without a language, when written and read back, then text, labels and lang
    are the same, and a row without a language has no lang key."""
    examples = [Example("Я не согласен", {"toxic": 0}, lang="ru"), Example("plain", {"spam": 1})]
    path = tmp_path / "out.jsonl"

    write_jsonl(examples, path)
    back = list(read_jsonl(path))

    assert [(e.text, dict(e.labels), e.lang) for e in back] == [(e.text, dict(e.labels), e.lang) for e in examples]
    assert "lang" not in json.loads(path.read_text(encoding="utf-8").splitlines()[1])
