"""Readers for public English hate-speech datasets: HateXplain, Stormfront, ETHOS and the Gab Hate Corpus.

Each maps its own labels to ``toxic`` and, where the dataset says the abuse targets a group,
``identity_hate``; heads the dataset does not speak to stay unknown. Every Example carries ``lang="en"``.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

from training.examples import Example
from training.readers._common import (
    DatasetFormatError,
    PathLike,
    csv_rows,
    nonblank_lines,
    open_text,
    parse_fraction,
    read_header,
    require_columns,
    require_text,
)

#: HateXplain ``post_label`` -> our heads (HateXplain's own two-class "toxic" is hatespeech or offensive).
HATEXPLAIN_LABELS: dict[str, dict[str, int]] = {
    "hatespeech": {"toxic": 1, "identity_hate": 1},
    "offensive": {"toxic": 1, "identity_hate": 0},
    "normal": {"toxic": 0, "identity_hate": 0},
}
#: Stormfront ``label`` -> our heads; ``None`` drops the sentence (``relation``: hateful only with its
#: neighbours; ``idk/skip``: the annotators could not tell).
STORMFRONT_LABELS: dict[str, dict[str, int] | None] = {
    "hate": {"toxic": 1, "identity_hate": 1},
    "nohate": {"toxic": 0, "identity_hate": 0},
    "relation": None,
    "idk/skip": None,
}
#: The folder beside ``annotations_metadata.csv`` that holds one ``<file_id>.txt`` per sentence.
STORMFRONT_TEXTS = "all_files"
#: ETHOS ``isHate`` (fraction of annotators) at or above this is hate (the authors' split).
ETHOS_THRESHOLD = 0.5
#: Gab Hate Corpus columns: ``toxic`` = any of them; ``identity_hate`` = the first two (hate-based rhetoric).
GAB_TOXIC: tuple[str, ...] = ("hd", "cv", "vo")
GAB_HATE: tuple[str, ...] = ("hd", "cv")

_FILE_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def _tokens(cell: str, *, path: Path, line: int) -> str:
    """Join a HateXplain ``post_tokens`` cell (a Python list literal of strings) with single spaces."""
    try:
        tokens = ast.literal_eval(cell.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise DatasetFormatError(path, line, "column 'post_tokens' is not a Python list literal") from None
    if not isinstance(tokens, list) or not all(isinstance(token, str) for token in tokens):
        raise DatasetFormatError(path, line, "column 'post_tokens' must be a list of strings")
    return require_text(" ".join(tokens), path=path, line=line, column="post_tokens")


def read_hatexplain(path: PathLike) -> Iterator[Example]:
    """Read a HateXplain CSV (``post_tokens,toxic_tokens,post_label``) into ``toxic`` and ``identity_hate``.

    The text is the token list joined by spaces (HateXplain keeps no raw text; ``<user>`` and ``<number>``
    placeholders stay as they are). ``toxic`` = ``hatespeech`` or ``offensive``; ``identity_hate`` =
    ``hatespeech``. The rationale column ``toxic_tokens`` is not read.

    :param path: e.g. ``hatexplain_train.csv``.
    :raises DatasetFormatError: naming the file and line, for a missing column, a token cell that is not a
        list of strings (or is empty), or an unknown label.
    """
    path = Path(path)
    require_columns(path, read_header(path), ("post_tokens", "post_label"), "HateXplain")
    for line, row in csv_rows(path):
        labels = HATEXPLAIN_LABELS.get(row["post_label"].strip().lower())
        if labels is None:
            known = ", ".join(HATEXPLAIN_LABELS)
            raise DatasetFormatError(path, line, f"post_label must be one of {known}, got {row['post_label']!r}")
        text = _tokens(row["post_tokens"], path=path, line=line)
        yield Example(text=text, labels=dict(labels), source=path.name, lang="en")


def read_stormfront(path: PathLike, texts: PathLike | None = None) -> Iterator[Example]:
    """Read the Stormfront sentences (``annotations_metadata.csv``: ``file_id,user_id,subforum_id,num_contexts,
    label``; the sentence in ``all_files/<file_id>.txt``) into ``toxic`` and ``identity_hate``.

    ``hate`` -> both 1; ``noHate`` -> both 0; ``relation`` and ``idk/skip`` are dropped (see
    :data:`STORMFRONT_LABELS`). Sentence files are UTF-8; surrounding whitespace is stripped.

    :param path: ``annotations_metadata.csv``.
    :param texts: the folder of sentence files (default: ``all_files`` beside ``path``).
    :raises DatasetFormatError: naming the metadata file and line, for a missing column, an unknown label, a
        file id that is not a plain name, or a sentence file that is missing, unreadable or blank.
    """
    path = Path(path)
    folder = Path(texts) if texts is not None else path.with_name(STORMFRONT_TEXTS)
    require_columns(path, read_header(path), ("file_id", "label"), "Stormfront annotations")
    for line, row in csv_rows(path):
        word = row["label"].strip().lower()
        if word not in STORMFRONT_LABELS:
            known = "hate, noHate, relation, idk/skip"
            raise DatasetFormatError(path, line, f"label must be one of {known}, got {row['label']!r}")
        labels = STORMFRONT_LABELS[word]
        if labels is None:
            continue
        file_id = row["file_id"].strip()
        if not _FILE_ID.match(file_id):
            raise DatasetFormatError(path, line, f"file_id must be a plain name, got {row['file_id']!r}")
        sentence = folder / f"{file_id}.txt"
        try:
            with open_text(sentence) as handle:
                raw = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise DatasetFormatError(path, line, f"cannot read the sentence file {sentence}: {exc}") from None
        text = require_text(raw.strip(), path=path, line=line, column=f"{STORMFRONT_TEXTS}/{file_id}.txt")
        yield Example(text=text, labels=dict(labels), source=path.name, lang="en")


def read_ethos(path: PathLike) -> Iterator[Example]:
    """Read ETHOS binary (``comment;isHate``, semicolon-separated; ``isHate`` the fraction of annotators) into
    ``toxic`` = ``isHate >= 0.5``.

    :param path: ``Ethos_Dataset_Binary.csv``.
    :raises DatasetFormatError: naming the file and line, for a missing column, a row without text, or an
        ``isHate`` that is not a number from 0 to 1.
    """
    path = Path(path)
    require_columns(path, read_header(path, delimiter=";"), ("comment", "ishate"), "ETHOS binary")
    for line, row in csv_rows(path, delimiter=";"):
        text = require_text(row["comment"], path=path, line=line, column="comment")
        score = parse_fraction(row["ishate"], path=path, line=line, column="isHate")
        yield Example(text=text, labels={"toxic": int(score >= ETHOS_THRESHOLD)}, source=path.name, lang="en")


def _gab_flag(record: dict[str, object], column: str, *, path: Path, line: int) -> int:
    """One 0/1 majority label of a Gab Hate Corpus record."""
    value = record.get(column)
    if isinstance(value, bool) or value not in (0, 1):
        raise DatasetFormatError(path, line, f"key {column!r} must be 0 or 1, got {value!r}")
    return int(value)


def read_gab(path: PathLike) -> Iterator[Example]:
    """Read Gab Hate Corpus JSON Lines (``text_id``, ``Text``, 0/1 majority labels ``hd``, ``cv``, ``vo``, ...)
    into ``toxic`` = hd or cv or vo and ``identity_hate`` = hd or cv.

    :param path: ``dev.jsonl`` or ``test.jsonl``.
    :raises DatasetFormatError: naming the file and line, for invalid JSON, a line that is not an object, a
        missing or blank ``Text``, or a label that is not 0/1.
    """
    path = Path(path)
    for number, raw in nonblank_lines(path):
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DatasetFormatError(path, number, f"invalid JSON: {exc.msg}") from None
        if not isinstance(record, dict):
            raise DatasetFormatError(path, number, f"expected a JSON object, got {type(record).__name__}")
        text = require_text(record.get("Text"), path=path, line=number, column="Text")
        flags = {column: _gab_flag(record, column, path=path, line=number) for column in GAB_TOXIC}
        labels = {
            "toxic": int(any(flags[c] for c in GAB_TOXIC)),
            "identity_hate": int(any(flags[c] for c in GAB_HATE)),
        }
        yield Example(text=text, labels=labels, source=path.name, lang="en")
