"""Readers for public datasets: Jigsaw Toxic Comment, YouTube Spam, SMS Spam Collection, Davidson et al.

All four are English; their Examples carry ``lang="en"``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from moderation.records import SUBTYPE_HEADS
from training.examples import Example
from training.readers._common import (
    DatasetFormatError,
    PathLike,
    csv_rows,
    open_text,
    read_header,
    require_columns,
    require_text,
)

JIGSAW_COLUMNS: tuple[str, ...] = ("id", "comment_text", "toxic", *SUBTYPE_HEADS)
YOUTUBE_COLUMNS: tuple[str, ...] = ("comment_id", "author", "date", "content", "class")
DAVIDSON_COLUMNS: tuple[str, ...] = (
    "count", "hate_speech", "offensive_language", "neither", "class", "tweet"
)
SMS_LABELS: dict[str, int] = {"ham": 0, "spam": 1}

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _strict_01(value: str, *, path: Path, line: int, column: str) -> int:
    """Parse a label cell that the dataset always fills: exactly 0 or 1, never blank."""
    word = value.strip()
    if word not in ("0", "1"):
        raise DatasetFormatError(path, line, f"column {column!r} must be 0 or 1, got {value!r}")
    return int(word)


def clean_html_text(text: str) -> str:
    """Undo the HTML escaping of scraped comments: ``<br />`` to newlines, entities unescaped, BOMs dropped.

    ``<br>`` tags are turned into newlines *before* unescaping, so an escaped ``&lt;br /&gt;`` typed by the
    commenter stays literal text. Stray U+FEFF characters (a BOM glued to the end of many YouTube comments)
    are removed. Other tags are kept as they are.

    :param text: the raw cell.
    """
    return html.unescape(_BR.sub("\n", text)).replace("\ufeff", "")


def read_jigsaw(path: PathLike) -> Iterator[Example]:
    """Read the Jigsaw Toxic Comment CSV (``id,comment_text,toxic,severe_toxic,obscene,threat,insult,
    identity_hate``) into ``toxic`` and the subtype heads; ``spam`` is unknown.

    :param path: the CSV file (e.g. Kaggle's ``train.csv`` or a sample of it).
    :raises DatasetFormatError: naming the file and line, for missing columns, a row without text, or a
        label that is not 0/1.
    """
    path = Path(path)
    require_columns(path, read_header(path), JIGSAW_COLUMNS[1:], "Jigsaw")
    for line, row in csv_rows(path):
        text = require_text(row["comment_text"], path=path, line=line, column="comment_text")
        labels = {
            head: _strict_01(row[head], path=path, line=line, column=head) for head in JIGSAW_COLUMNS[2:]
        }
        yield Example(text=text, labels=labels, source=path.name, lang="en")


def read_youtube(path: PathLike) -> Iterator[Example]:
    """Read one YouTube Spam Collection CSV (``COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS``; CLASS 1 = spam) into
    ``spam``; ``toxic`` is unknown. HTML entities are unescaped and ``<br />`` becomes a newline
    (see :func:`clean_html_text`).

    :param path: one of the per-video files, e.g. ``Youtube01-Psy.csv``.
    :raises DatasetFormatError: naming the file and line, for missing columns, a row without text, or a
        CLASS that is not 0/1.
    """
    path = Path(path)
    require_columns(path, read_header(path), ("content", "class"), "YouTube Spam Collection")
    for line, row in csv_rows(path):
        raw = require_text(row["content"], path=path, line=line, column="CONTENT")
        text = require_text(clean_html_text(raw), path=path, line=line, column="CONTENT")
        spam = _strict_01(row["class"], path=path, line=line, column="CLASS")
        yield Example(text=text, labels={"spam": spam}, source=path.name, lang="en")


def read_sms(path: PathLike) -> Iterator[Example]:
    """Read the SMS Spam Collection (``label<TAB>text`` per line, no header, label ``ham`` or ``spam``) into
    ``spam``. The text is everything after the first tab, taken literally (no CSV quoting). Blank lines are
    skipped.

    :param path: the file (``SMSSpamCollection``, often saved as ``.tsv`` or ``.txt``).
    :raises DatasetFormatError: naming the file and line, for a line without a tab, an unknown label or an
        empty text.
    """
    path = Path(path)
    with open_text(path) as handle:
        for number, raw in enumerate(handle.read().splitlines(), start=1):
            if not raw.strip():
                continue
            label, tab, text = raw.partition("\t")
            if not tab:
                raise DatasetFormatError(path, number, "expected 'ham' or 'spam', a tab, then the text")
            spam = SMS_LABELS.get(label.strip().lower())
            if spam is None:
                raise DatasetFormatError(path, number, f"label must be 'ham' or 'spam', got {label!r}")
            text = require_text(text, path=path, line=number, column="text")
            yield Example(text=text, labels={"spam": spam}, source=path.name, lang="en")


def davidson_labels(klass: int) -> dict[str, int]:
    """Map a Davidson ``class`` (0 hate speech, 1 offensive, 2 neither) to our heads.

    ``toxic`` = class 0 or 1; ``identity_hate`` = class 0 (so 0 for offensive-only and for neither).

    :param klass: 0, 1 or 2.
    """
    return {"toxic": int(klass in (0, 1)), "identity_hate": int(klass == 0)}


def read_davidson(path: PathLike) -> Iterator[Example]:
    """Read Davidson et al.'s ``labeled_data.csv`` (an unnamed index column, then
    ``count,hate_speech,offensive_language,neither,class,tweet``) into ``toxic`` and ``identity_hate``
    (see :func:`davidson_labels`); ``spam`` and the other subtypes are unknown. Tweets carry HTML entities
    (``&amp;``, ``&#128514;``), which are unescaped like the YouTube text.

    :param path: the CSV file.
    :raises DatasetFormatError: naming the file and line, for missing columns, a row without text, or a
        class that is not 0, 1 or 2.
    """
    path = Path(path)
    require_columns(path, read_header(path), ("class", "tweet"), "Davidson")
    for line, row in csv_rows(path):
        word = row["class"].strip()
        if word not in ("0", "1", "2"):
            raise DatasetFormatError(path, line, f"column 'class' must be 0, 1 or 2, got {row['class']!r}")
        raw = require_text(row["tweet"], path=path, line=line, column="tweet")
        text = require_text(clean_html_text(raw), path=path, line=line, column="tweet")
        yield Example(text=text, labels=davidson_labels(int(word)), source=path.name, lang="en")

