"""Our own dataset format (JSON Lines or CSV: ``text`` + 0/1 head columns), the feedback export, a writer."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from moderation.records import ALL_HEADS
from training.examples import Example
from training.readers._common import (
    DatasetFormatError,
    PathLike,
    check_label_columns,
    csv_rows,
    open_text,
    parse_labels,
    read_header,
    require_columns,
    require_text,
)

#: Extra columns the moderator-feedback export adds; they are read past like any other extra column.
FEEDBACK_COLUMNS: tuple[str, ...] = ("comment_id", "verdict", "site", "decided_at", "source")

#: Columns our format knows besides the labels: the text, its language, the feedback export's, and a comment's
#: own fields (an export of the backend's comments). Any other column beside real labels is read past; one that
#: looks like a misspelled label is refused (:func:`~training.readers._common.check_label_columns`).
KNOWN_COLUMNS: tuple[str, ...] = ("text", "lang", *FEEDBACK_COLUMNS, "id", "thread", "url", "parent_id",
                                  "created_at", "author", "metadata")

_JSON_SUFFIXES = frozenset({".jsonl", ".json", ".ndjson"})


def _lang(value: object, *, path: Path, line: int | None) -> str:
    """The optional ``lang`` column: an ISO 639-1 code (kept lower-case), or ``""`` when missing or blank."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DatasetFormatError(path, line, f"lang must be a language code string, got {type(value).__name__}")
    return value.strip().lower()


def _example(row: dict[str, object], *, path: Path, line: int | None) -> Example:
    """Build one Example from a parsed row of our format (text, optional head columns and ``lang``, extras
    ignored)."""
    text = require_text(row.get("text"), path=path, line=line, column="text")
    return Example(text=text, labels=parse_labels(row, ALL_HEADS, path=path, line=line), source=path.name,
                   lang=_lang(row.get("lang"), path=path, line=line))


def _json_records(path: Path) -> Iterator[tuple[int | None, str, object]]:
    """Yield ``(line, prefix, value)`` from a JSON Lines file, or from a JSON array if it starts with ``[``.

    For JSON Lines ``line`` is the 1-based line and ``prefix`` is empty; for an array ``line`` is ``None`` and
    ``prefix`` names the element ("element 3: "), since array elements have no line of their own.
    """
    with open_text(path) as handle:
        content = handle.read()
    if content.lstrip().startswith("["):
        try:
            values = json.loads(content)
        except json.JSONDecodeError as exc:
            raise DatasetFormatError(path, exc.lineno, f"invalid JSON: {exc.msg}") from None
        for index, value in enumerate(values, start=1):
            yield None, f"element {index}: ", value
        return
    for number, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield number, "", json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DatasetFormatError(path, number, f"invalid JSON: {exc.msg}") from None


def read_jsonl(path: PathLike) -> Iterator[Example]:
    """Read our format from a JSON Lines file: one object per line with ``text``, optional 0/1 head keys and an
    optional ``lang`` (ISO 639-1 code, kept in :attr:`Example.lang`).

    Blank lines are skipped; unknown keys are ignored; a missing, null or blank head is unknown (left out of
    ``labels``). A ``.json`` file holding one array of such objects is accepted too (errors then name the
    array element instead of a line).

    :param path: the ``.jsonl`` (or ``.json``) file.
    :raises DatasetFormatError: naming the file and line, for invalid JSON, a non-object line, a row without
        text, a label that is not 0/1, or a ``lang`` that is not a string.
    """
    path = Path(path)
    seen: set[str] = set()
    for line, prefix, record in _json_records(path):
        try:
            if not isinstance(record, dict):
                raise DatasetFormatError(path, line, f"expected a JSON object, got {type(record).__name__}")
            keys = [str(k).lower() for k in record]
            if not seen.issuperset(keys):
                check_label_columns(path, keys, ALL_HEADS, KNOWN_COLUMNS, line=line)
                seen.update(keys)
            yield _example(record, path=path, line=line)
        except DatasetFormatError as exc:
            if not prefix:
                raise
            raise DatasetFormatError(path, None, prefix + exc.problem) from None
    check_label_columns(path, sorted(seen), ALL_HEADS, KNOWN_COLUMNS)


def read_csv(path: PathLike) -> Iterator[Example]:
    """Read our format from a CSV file with a header: ``text`` plus optional head and ``lang`` columns, extras
    ignored.

    Column names are matched case-insensitively; a blank cell is unknown. Quoted text may span lines.

    :param path: the ``.csv`` file.
    :raises DatasetFormatError: naming the file and line, for a missing ``text`` column, a row without text,
        a label that is not 0/1, or a row whose field count differs from the header's.
    """
    path = Path(path)
    header = read_header(path)
    require_columns(path, header, ["text"], "our-format CSV")
    check_label_columns(path, header, ALL_HEADS, KNOWN_COLUMNS)
    for line, row in csv_rows(path):
        yield _example(dict(row), path=path, line=line)


def read_ours(path: PathLike) -> Iterator[Example]:
    """Read our format, choosing JSON Lines or CSV by the file's extension (``.jsonl``/``.json`` or else CSV).

    :param path: the file.
    """
    path = Path(path)
    return read_jsonl(path) if path.suffix.lower() in _JSON_SUFFIXES else read_csv(path)


def read_feedback(path: PathLike) -> Iterator[Example]:
    """Read a moderator-feedback export: our format plus ``comment_id``, ``verdict``, ``site``,
    ``decided_at`` and ``source`` columns, which are accepted and ignored (labels come from the head
    columns only; ``source`` of each Example is the file name, as for every reader).

    :param path: the export, JSON Lines (``.jsonl``/``.json``) or CSV.
    """
    return read_ours(path)


def write_jsonl(examples: Iterable[Example], path: PathLike) -> int:
    """Write examples in our JSON Lines format: ``{"text": ..., <head>: 0/1, ..., "lang": ...}`` per line, UTF-8
    (``lang`` only when the example has one).

    Unknown heads are left out, so reading the file back with :func:`read_jsonl` gives the same examples
    (source aside). Heads are written in :data:`~moderation.records.ALL_HEADS` order; label names outside
    ``ALL_HEADS`` are written after them, sorted, but the readers ignore them.

    :param examples: the examples to write.
    :param path: the destination file (overwritten; parent folders are created).
    :returns: the number of examples written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for example in examples:
            record: dict[str, object] = {"text": example.text}
            ordered = [head for head in ALL_HEADS if head in example.labels]
            ordered += sorted(set(example.labels) - set(ALL_HEADS))
            for head in ordered:
                record[head] = int(example.labels[head])
            if example.lang:
                record["lang"] = example.lang
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
