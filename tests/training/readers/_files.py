"""Small helpers the reader tests use to write their own files (every text is made up by the test)."""

from __future__ import annotations

import csv
import json
from pathlib import Path


def write_csv(path: Path, header: list[str], rows: list[list[object]], *, delimiter: str = ",") -> Path:
    """Write a CSV file with the csv module's quoting (texts with commas, quotes and newlines round-trip).

    :param path: the file.
    :param header: the header row.
    :param rows: the records.
    :param delimiter: the field separator.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_text(path: Path, lines: list[str]) -> Path:
    """Write lines joined by newlines, with a final newline.

    :param path: the file.
    :param lines: the lines.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    """Write one JSON object per line.

    :param path: the file.
    :param records: the objects.
    """
    return write_text(path, [json.dumps(record) for record in records])
