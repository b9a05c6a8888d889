"""Readers for public English comment-toxicity datasets: Civil Comments samples and Wikipedia CAT-LARGE.

Civil Comments (news-site comments, Borkan et al. 2019) comes in three shapes: the ToxicSpans posts
(``comments.csv`` plus the span annotators' ``annotations.csv``), a labelled sample (``text,label``) and the
rater-fraction columns of the Hugging Face ``civil_comments`` train split. CAT-LARGE (Pavlopoulos et al. 2020)
holds Wikipedia talk-page comments with a crowd ``label``. Every Example carries ``lang="en"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from training.examples import Example
from training.readers._common import (
    DatasetFormatError,
    PathLike,
    csv_rows,
    parse_fraction,
    read_header,
    require_01,
    require_columns,
    require_text,
)

#: The file beside ``comments.csv`` that holds one row per span annotator.
TOXIC_SPANS_ANNOTATIONS = "annotations.csv"
#: Civil Comments rater fractions at or above this count as a yes (the dataset's own convention).
CIVIL_THRESHOLD = 0.5
#: Our head <- the Civil Comments column whose rater fraction sets it (``toxicity`` sets ``toxic``).
CIVIL_HEADS: dict[str, str] = {
    "toxic": "toxicity",
    "severe_toxic": "severe_toxicity",
    "obscene": "obscene",
    "threat": "threat",
    "insult": "insult",
    "identity_hate": "identity_attack",
}

_TICKS = {"true": True, "1": True, "false": False, "0": False}


def _not_toxic_votes(path: Path) -> dict[str, tuple[int, int]]:
    """Count, per ``comment_id`` of a ToxicSpans ``annotations.csv``, the annotators and their ``not toxic`` ticks.

    :param path: the annotations file (``annotation,comment_id,worker,country,all toxic,not toxic``).
    :returns: comment id -> ``(annotators, not-toxic ticks)``.
    :raises DatasetFormatError: naming the file and line, for a missing column or a tick that is not
        True/False.
    """
    require_columns(path, read_header(path), ("comment_id", "not toxic"), "ToxicSpans annotations")
    votes: dict[str, tuple[int, int]] = {}
    for line, row in csv_rows(path):
        tick = _TICKS.get(row["not toxic"].strip().lower())
        if tick is None:
            problem = f"column 'not toxic' must be True or False, got {row['not toxic']!r}"
            raise DatasetFormatError(path, line, problem)
        annotators, ticks = votes.get(row["comment_id"].strip(), (0, 0))
        votes[row["comment_id"].strip()] = (annotators + 1, ticks + int(tick))
    return votes


def read_toxic_spans(path: PathLike, annotations: PathLike | None = None) -> Iterator[Example]:
    """Read the ToxicSpans posts (``comments.csv``: ``comment_id,comment_text``) as confident toxic examples.

    Every post was found toxic by at least half of the original Civil Comments raters. The span annotators
    could tick ``not toxic``; a post is kept with ``toxic = 1`` unless a strict majority of its annotators
    ticked it, and dropped otherwise (there are no negatives here: pair it with other Civil Comments files).
    A post without annotation rows is kept (no majority ticked it). Other heads are unknown.

    :param path: ``comments.csv``.
    :param annotations: the annotators' file (default: ``annotations.csv`` beside ``path``).
    :raises DatasetFormatError: naming the file and line, for a missing annotations file or column, a row
        without text, or a tick that is not True/False.
    """
    path = Path(path)
    source = Path(annotations) if annotations is not None else path.with_name(TOXIC_SPANS_ANNOTATIONS)
    if not source.is_file():
        raise DatasetFormatError(path, None, f"the span annotations {source} are missing (needed beside it)")
    votes = _not_toxic_votes(source)
    require_columns(path, read_header(path), ("comment_id", "comment_text"), "ToxicSpans comments")
    for line, row in csv_rows(path):
        text = require_text(row["comment_text"], path=path, line=line, column="comment_text")
        annotators, ticks = votes.get(row["comment_id"].strip(), (0, 0))
        if 2 * ticks > annotators:
            continue
        yield Example(text=text, labels={"toxic": 1}, source=path.name, lang="en")


def read_civil_labelled(path: PathLike) -> Iterator[Example]:
    """Read a labelled Civil Comments sample (``text,label``; label 1 toxic, 0 not) into ``toxic``.

    :param path: the CSV file (e.g. ``jigsaw_sample10k.csv``, which despite its name holds Civil Comments).
    :raises DatasetFormatError: naming the file and line, for a missing column, a row without text, or a
        label that is not 0/1.
    """
    path = Path(path)
    require_columns(path, read_header(path), ("text", "label"), "labelled Civil Comments")
    for line, row in csv_rows(path):
        text = require_text(row["text"], path=path, line=line, column="text")
        toxic = require_01(row["label"], path=path, line=line, column="label")
        yield Example(text=text, labels={"toxic": toxic}, source=path.name, lang="en")


def civil_labels(fractions: dict[str, float]) -> dict[str, int]:
    """Map Civil Comments rater fractions to our heads: each head is 1 when its column is >= 0.5.

    :param fractions: column name (see :data:`CIVIL_HEADS`) -> fraction of raters, 0 to 1.
    """
    return {head: int(fractions[column] >= CIVIL_THRESHOLD) for head, column in CIVIL_HEADS.items()}


def read_civil_scores(path: PathLike) -> Iterator[Example]:
    """Read Civil Comments rows with rater fractions (``text,toxicity,severe_toxicity,obscene,threat,insult,
    identity_attack,...``) into ``toxic`` and the subtype heads (see :func:`civil_labels`).

    ``sexual_explicit`` and any other column (e.g. the bucket name) are ignored.

    :param path: the CSV file (e.g. ``benchmark_sample_4900.csv``).
    :raises DatasetFormatError: naming the file and line, for a missing column, a row without text, or a
        score that is not a number from 0 to 1.
    """
    path = Path(path)
    require_columns(path, read_header(path), ("text", *CIVIL_HEADS.values()), "Civil Comments scores")
    for line, row in csv_rows(path):
        text = require_text(row["text"], path=path, line=line, column="text")
        fractions = {
            column: parse_fraction(row[column], path=path, line=line, column=column)
            for column in CIVIL_HEADS.values()
        }
        yield Example(text=text, labels=civil_labels(fractions), source=path.name, lang="en")


def read_cat_large(path: PathLike) -> Iterator[Example]:
    """Read a CAT-LARGE file (``gc.csv``: ``id,text,parent,label,api``; ``gn.csv``: ``id,text,label,api,parent``)
    into ``toxic`` from the crowd ``label``.

    The ``api`` column is a Perspective API score, a model's output rather than a human label: it is never
    read. ``parent`` (the previous comment) is not part of the example.

    :param path: ``gc.csv`` or ``gn.csv``.
    :raises DatasetFormatError: naming the file and line, for a missing column, a row without text, or a
        label that is not 0/1.
    """
    path = Path(path)
    require_columns(path, read_header(path), ("id", "text", "label"), "CAT-LARGE")
    for line, row in csv_rows(path):
        text = require_text(row["text"], path=path, line=line, column="text")
        toxic = require_01(row["label"], path=path, line=line, column="label")
        yield Example(text=text, labels={"toxic": toxic}, source=path.name, lang="en")
