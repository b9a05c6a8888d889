"""Reader for the DataCamp tutorial comments hand-labelled spam / not spam (``comment,label,articleName``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from training.examples import Example
from training.readers._common import PathLike, csv_rows, read_header, require_01, require_columns


def read_datacamp(path: PathLike) -> Iterator[Example]:
    """Read the DataCamp comments (``comment,label,articleName``; label 1 spam, 0 not, blank unlabelled) into
    ``spam``; ``toxic`` is unknown.

    Unlabelled rows (blank ``label``) are skipped, and so are rows whose comment is blank (nothing to learn
    from). The comments are on English tutorials, so Examples carry ``lang="en"`` (the labeller marked the
    few non-English ones spam).

    :param path: ``datacamp_comments_labeled_phase2.csv``.
    :raises DatasetFormatError: naming the file and line, for a missing column or a label that is not 0, 1
        or blank.
    """
    path = Path(path)
    require_columns(path, read_header(path), ("comment", "label"), "DataCamp comments")
    for line, row in csv_rows(path):
        if not row["label"].strip():
            continue
        spam = require_01(row["label"], path=path, line=line, column="label")
        if not row["comment"].strip():
            continue
        yield Example(text=row["comment"], labels={"spam": spam}, source=path.name, lang="en")
