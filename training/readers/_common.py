"""Shared helpers for the dataset readers: opening files, CSV rows with line numbers, label parsing."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO

#: A path argument as callers pass it.
PathLike = str | Path

_TRUE_WORDS = frozenset({"1", "true"})
_FALSE_WORDS = frozenset({"0", "false"})


class DatasetFormatError(ValueError):
    """A dataset file is malformed; the message names the file, the line and the problem.

    :param path: the file being read.
    :param line: 1-based line number where the bad record starts, or ``None`` for a whole-file problem.
    :param problem: what is wrong, in words.
    """

    def __init__(self, path: PathLike, line: int | None, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}, line {line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {problem}")


def raise_field_size_limit() -> None:
    """Let the csv module read very long fields (long comments), as large as the platform allows."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long is 32 bits on some platforms
            limit //= 2


def open_text(path: PathLike) -> TextIO:
    """Open a dataset file for reading as UTF-8, dropping a byte-order mark if there is one.

    :param path: the file to open.
    :returns: a text stream with universal newlines left to the csv module (``newline=""``).
    """
    return open(path, encoding="utf-8-sig", newline="")


def nonblank_lines(path: PathLike) -> Iterator[tuple[int, str]]:
    """The file's non-blank lines with their 1-based line numbers (for line-oriented formats: JSONL, TSV).

    :param path: the file.
    """
    with open_text(path) as handle:
        lines = handle.read().splitlines()
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield number, raw


def csv_rows(path: PathLike, *, delimiter: str = ",") -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each record of a CSV file, keyed by lower-cased header names.

    Quoted fields may span several lines; ``line_number`` is the line where the record starts.
    Completely empty lines are skipped. A record with a different number of fields than the header is an
    error.

    :param path: the CSV file.
    :param delimiter: the field separator.
    """
    raise_field_size_limit()
    with open_text(path) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            names = [name.strip().lower() for name in next(reader)]
        except StopIteration:
            raise DatasetFormatError(path, 1, "the file is empty (no header row)") from None
        except csv.Error as exc:
            raise DatasetFormatError(path, 1, f"unreadable CSV header: {exc}") from None
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise DatasetFormatError(path, start, f"unreadable CSV: {exc}") from None
            if not fields or (len(fields) == 1 and not fields[0].strip() and len(names) > 1):
                continue
            if len(fields) != len(names):
                raise DatasetFormatError(
                    path, start, f"expected {len(names)} fields as in the header, found {len(fields)}"
                )
            yield start, dict(zip(names, fields, strict=True))


def read_header(path: PathLike, delimiter: str = ",") -> list[str]:
    """Return the lower-cased, stripped column names of a CSV file's first row (empty list if none).

    :param path: the CSV file.
    :param delimiter: the field separator.
    """
    raise_field_size_limit()
    with open_text(path) as handle:
        try:
            return [name.strip().lower() for name in next(csv.reader(handle, delimiter=delimiter))]
        except (StopIteration, csv.Error):
            return []


def require_columns(path: PathLike, header: Sequence[str], columns: Sequence[str], what: str) -> None:
    """Raise :class:`DatasetFormatError` unless every one of ``columns`` is in ``header``.

    :param path: the file, for the message.
    :param header: the file's lower-cased column names.
    :param columns: the required lower-cased names.
    :param what: the format's name, for the message.
    """
    missing = [column for column in columns if column not in header]
    if missing:
        problem = f"not a {what} file: missing column(s) {', '.join(missing)} (header: {', '.join(header)})"
        raise DatasetFormatError(path, 1, problem)


def parse_label(value: object, *, path: PathLike, line: int | None, head: str) -> int | None:
    """Turn one label cell into 0, 1 or ``None`` (unknown).

    Accepted: 0/1 (ints, or floats equal to them), ``"0"``/``"1"``, true/false (booleans or strings, any
    case). Blank strings and ``None``/null mean unknown. Anything else is a :class:`DatasetFormatError`.

    :param value: the raw cell (a string from CSV, any JSON value from JSON Lines).
    :param path: the file, for error messages.
    :param line: the line number, for error messages.
    :param head: the column name, for error messages.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        if value in (0, 1):
            return int(value)
    elif isinstance(value, str):
        word = value.strip().lower()
        if not word:
            return None
        if word in _TRUE_WORDS:
            return 1
        if word in _FALSE_WORDS:
            return 0
    problem = f"label {head!r} must be 0 or 1 (or true/false, or blank), got {value!r}"
    raise DatasetFormatError(path, line, problem)


def parse_labels(
    row: Mapping[str, object], heads: Sequence[str], *, path: PathLike, line: int | None
) -> dict[str, int]:
    """Parse the label columns ``heads`` of one row, leaving unknown (absent or blank) heads out.

    :param row: column name -> raw value.
    :param heads: the head names to look for.
    :param path: the file, for error messages.
    :param line: the line number, for error messages.
    """
    labels: dict[str, int] = {}
    for head in heads:
        value = parse_label(row.get(head), path=path, line=line, head=head)
        if value is not None:
            labels[head] = value
    return labels


def require_text(value: object, *, path: PathLike, line: int | None, column: str) -> str:
    """Return ``value`` if it is a non-blank string, else raise a :class:`DatasetFormatError`.

    :param value: the raw text cell.
    :param path: the file, for error messages.
    :param line: the line number, for error messages.
    :param column: the text column's name, for error messages.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DatasetFormatError(path, line, f"row has no text (column {column!r} is missing or blank)")
    if not isinstance(value, str):
        problem = f"column {column!r} must be a string, got {type(value).__name__}"
        raise DatasetFormatError(path, line, problem)
    return value


def require_01(value: str, *, path: PathLike, line: int, column: str) -> int:
    """Parse a label cell that a dataset always fills: exactly ``0`` or ``1`` (surrounding blanks ignored).

    :param value: the raw cell.
    :param path: the file, for error messages.
    :param line: the line number, for error messages.
    :param column: the column's name, for error messages.
    :raises DatasetFormatError: for anything else, blank included.
    """
    word = value.strip()
    if word not in ("0", "1"):
        raise DatasetFormatError(path, line, f"column {column!r} must be 0 or 1, got {value!r}")
    return int(word)


def parse_fraction(value: str, *, path: PathLike, line: int, column: str) -> float:
    """Parse a score cell that must be a number from 0 to 1 (e.g. the fraction of raters who chose a label).

    :param value: the raw cell.
    :param path: the file, for error messages.
    :param line: the line number, for error messages.
    :param column: the column's name, for error messages.
    :raises DatasetFormatError: when it is not a number, is NaN, or lies outside [0, 1].
    """
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0.0 <= number <= 1.0:  # False for NaN too
        raise DatasetFormatError(path, line, f"column {column!r} must be a number from 0 to 1, got {value!r}")
    return number


def misspelled_label(column: str, heads: Sequence[str]) -> str | None:
    """The head ``column`` is probably a misspelling of (``spma`` -> ``spam``), or ``None``.

    :param column: a lower-cased column name that is not a head.
    :param heads: the known head names.
    """
    import difflib

    if len(column) < 3:
        return None
    close = difflib.get_close_matches(column, heads, n=1, cutoff=0.75)
    if close:
        return close[0]
    letters = sorted(column)
    return next((head for head in heads if sorted(head) == letters), None)


def check_label_columns(
    path: PathLike, columns: Sequence[str], heads: Sequence[str], extras: Sequence[str], *, line: int | None = None
) -> None:
    """Refuse a header (or JSON record's keys) whose label columns cannot be what was meant.

    Refused: a column that looks like a misspelled head (``spma``), and a file with no head column at all but
    columns of its own (``text,spma,note``: nothing would be learnt from it, silently). Other extra columns
    beside real labels are read past.

    :param path: the file, for the message.
    :param columns: the lower-cased column names (or keys).
    :param heads: the label columns the format knows.
    :param extras: other columns the format knows (``text``, ``lang``...).
    :param line: where the record starts (``None``: the header, line 1).
    :raises DatasetFormatError: naming the unknown column(s) and the known label columns.
    """
    unknown = [c for c in columns if c not in heads and c not in extras]
    known = f"known label columns: {', '.join(heads)}"
    for column in unknown:
        meant = misspelled_label(column, heads)
        if meant is not None:
            raise DatasetFormatError(path, line or 1, f"unknown label column {column!r} (did you mean {meant!r}?); "
                                                      f"{known}")
    if unknown and not any(c in heads for c in columns) and line is None:
        raise DatasetFormatError(path, 1, f"no label column: unknown column(s) {', '.join(map(repr, unknown))}; "
                                          f"{known}")
