"""Load labelled datasets of any supported format into :class:`~training.examples.Example` lists.

Formats: ``ours`` (JSON Lines or CSV: ``text`` + optional 0/1 head columns), ``feedback`` (the moderator
feedback export, read like ours), ``jigsaw``, ``youtube``, ``sms`` and ``davidson``; and the public sets of
``../shared/datasets`` (see :mod:`training.corpora`): ``toxic_spans``, ``civil_labelled``, ``civil_scores``,
``cat_large``, ``hatexplain``, ``stormfront``, ``ethos``, ``gab``, ``datacamp``, ``multilingual`` and
``germeval``. The readers live in :mod:`training.readers`; this module detects the format, loads several
files, and fingerprints them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from training.examples import Example
from training.readers import (
    DatasetFormatError,
    clean_html_text,
    davidson_labels,
    read_csv,
    read_davidson,
    read_feedback,
    read_jigsaw,
    read_jsonl,
    read_ours,
    read_sms,
    read_youtube,
    write_jsonl,
)
from training.readers._common import PathLike, open_text, read_header
from training.readers.comments import read_cat_large, read_civil_labelled, read_civil_scores, read_toxic_spans
from training.readers.hate import read_ethos, read_gab, read_hatexplain, read_stormfront
from training.readers.multilingual import GERMEVAL_LABELS, MULTILINGUAL_COLUMNS, read_germeval, read_multilingual
from training.readers.public import SMS_LABELS
from training.readers.spam import read_datacamp

#: A reader: one file in, Examples out.
Reader = Callable[[PathLike], Iterator[Example]]

#: Format name -> reader, for ``load_dataset(path, format=...)``.
FORMATS: dict[str, Reader] = {
    "ours": read_ours,
    "feedback": read_feedback,
    "jigsaw": read_jigsaw,
    "youtube": read_youtube,
    "sms": read_sms,
    "davidson": read_davidson,
    # The public sets of ../shared/datasets (training.corpora says which file is which).
    "toxic_spans": read_toxic_spans,
    "civil_labelled": read_civil_labelled,
    "civil_scores": read_civil_scores,
    "cat_large": read_cat_large,
    "hatexplain": read_hatexplain,
    "stormfront": read_stormfront,
    "ethos": read_ethos,
    "gab": read_gab,
    "datacamp": read_datacamp,
    "multilingual": read_multilingual,
    "germeval": read_germeval,
}

_JSON_SUFFIXES = frozenset({".jsonl", ".json", ".ndjson"})
_SMS_SUFFIXES = frozenset({".tsv", ".txt"})
_FEEDBACK_MARKERS = frozenset({"comment_id", "verdict"})


def _first_line(path: Path) -> str:
    """Return the first non-blank line of a text file (BOM dropped), or ``""`` if there is none."""
    with open_text(path) as handle:
        for raw in handle:
            if raw.strip():
                return raw.rstrip("\r\n")
    return ""


#: Public formats told by CSV header columns they must all have (checked before the generic ones).
_PUBLIC_HEADERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("civil_scores", frozenset({"text", "toxicity", "severe_toxicity", "identity_attack"})),
    ("cat_large", frozenset({"id", "text", "label", "api"})),
    ("hatexplain", frozenset({"post_tokens", "post_label"})),
    ("stormfront", frozenset({"file_id", "num_contexts", "label"})),
    ("datacamp", frozenset({"comment", "label", "articlename"})),
)
#: Gab Hate Corpus JSON Lines keys.
_GAB_KEYS = frozenset({"Text", "hd", "cv", "vo"})


def _public_format(header: list[str]) -> str | None:
    """Name the public format (see :data:`_PUBLIC_HEADERS`) a CSV header belongs to, or ``None``."""
    columns = set(header)
    for name, required in _PUBLIC_HEADERS:
        if required <= columns:
            return name
    if columns == set(MULTILINGUAL_COLUMNS):
        return "multilingual"
    if {"comment_id", "comment_text"} <= columns and "toxic" not in columns:
        return "toxic_spans"
    return None


def _is_gab(first: str) -> bool:
    """Whether a JSON Lines file's first line is a Gab Hate Corpus record."""
    try:
        record = json.loads(first)
    except ValueError:
        return False
    return isinstance(record, dict) and set(record) >= _GAB_KEYS


def _is_germeval(first: str) -> bool:
    """Whether a text file's first line is GermEval 2018's ``text<TAB>OFFENSE|OTHER<TAB>fine label``."""
    fields = first.split("\t")
    return len(fields) == 3 and fields[1] in GERMEVAL_LABELS


def _format_from_csv_header(header: list[str]) -> str | None:
    """Name the format whose columns a CSV header has, or ``None``."""
    public = _public_format(header)
    if public is not None:
        return public
    columns = set(header)
    if "comment_text" in columns:
        return "jigsaw"
    if {"content", "class"} <= columns:
        return "youtube"
    if {"tweet", "class"} <= columns:
        return "davidson"
    if "text" in columns:
        return "feedback" if columns >= _FEEDBACK_MARKERS else "ours"
    return None


def detect_format(path: PathLike) -> str:
    """Guess a file's format from its extension and first line.

    ``.jsonl``/``.json`` -> ``ours``; ``.tsv``/``.txt`` (or no known extension) whose first field before a tab
    is ``ham`` or ``spam`` -> ``sms``; a CSV is recognised by its header columns (``comment_text`` -> jigsaw;
    ``CONTENT`` + ``CLASS`` -> youtube; ``tweet`` + ``class`` -> davidson; ``text`` -> ours, or feedback when
    ``comment_id`` and ``verdict`` are there too). A file with no known extension whose first line is a JSON
    object is ``ours``. Public formats are told where the header leaves no doubt: a JSON Lines file whose
    first record has ``Text``, ``hd``, ``cv`` and ``vo`` is ``gab``; a tab-separated ``text, OFFENSE|OTHER,
    fine label`` line is ``germeval``; a ``;``-separated ``comment;isHate`` header is ``ethos``; CSV headers
    name ``civil_scores``, ``cat_large``, ``hatexplain``, ``stormfront``, ``datacamp``, ``multilingual``
    (exactly ``text,toxic,lang``) and ``toxic_spans`` (``comment_id,comment_text`` without ``toxic``).
    ``civil_labelled`` (``text,label``) is never guessed: pass it.

    :param path: the file.
    :returns: a key of :data:`FORMATS`.
    :raises ValueError: if the format cannot be told; the message lists the formats to pass explicitly.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    first = _first_line(path)
    if suffix in _JSON_SUFFIXES:
        return "gab" if _is_gab(first) else "ours"
    if suffix != ".csv":
        label, tab, _ = first.partition("\t")
        if tab and label.strip().lower() in SMS_LABELS:
            return "sms"
        if _is_germeval(first):
            return "germeval"
        if suffix not in _SMS_SUFFIXES and first.lstrip().startswith("{"):
            return "ours"
    detected = _format_from_csv_header(read_header(path))
    if detected is not None:
        return detected
    if {"comment", "ishate"} <= set(read_header(path, delimiter=";")):
        return "ethos"
    raise ValueError(
        f"{path}: cannot tell the dataset format from the extension {suffix or '(none)'!r} and first line "
        f"{first[:80]!r}; name it with --format (FORMAT= with make, format= in Python): one of {', '.join(FORMATS)}"
    )


def load_dataset(path: PathLike, format: str = "auto") -> list[Example]:
    """Read one dataset file into a list of Examples.

    :param path: the file.
    :param format: ``"auto"`` (see :func:`detect_format`) or one of :data:`FORMATS` (``ours``, ``feedback``,
        ``jigsaw``, ``youtube``, ``sms``, ``davidson``, and the public formats listed above).
    :raises ValueError: for an unknown ``format`` (listing the known ones) or an undetectable file.
    :raises FileNotFoundError: if the file does not exist.
    :raises DatasetFormatError: (a ValueError) naming the file and line of a malformed row.
    """
    path = Path(path)
    name = format.strip().lower()
    if name != "auto" and name not in FORMATS:
        raise ValueError(f"unknown dataset format {format!r}; known formats: auto, {', '.join(FORMATS)}")
    if not path.is_file():
        raise FileNotFoundError(f"dataset file not found: {path}")
    if name == "auto":
        name = detect_format(path)
    return list(FORMATS[name](path))


def load_datasets(paths: Iterable[PathLike], format: str = "auto") -> list[Example]:
    """Read several dataset files, in order, into one list (formats detected per file unless given).

    :param paths: the files.
    :param format: as for :func:`load_dataset`, applied to every file.
    """
    examples: list[Example] = []
    for path in paths:
        examples.extend(load_dataset(path, format=format))
    return examples


def _file_sha256(path: Path) -> str:
    """Return the hex sha256 of one file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dataset_hash(paths: PathLike | Iterable[PathLike]) -> str:
    """Fingerprint the training files for model metadata: a sha256 over their bytes.

    For one file this is exactly the file's sha256 (what ``sha256sum`` prints). For several it is the sha256
    of their per-file sha256 hex digests joined by newlines, in the order given (file names do not count,
    order does, and moving bytes from one file to the next changes it).

    :param paths: one path, or an iterable of paths.
    :returns: 64 lowercase hex characters.
    :raises FileNotFoundError: if a file does not exist.
    """
    items = [Path(paths)] if isinstance(paths, str | Path) else [Path(path) for path in paths]
    digests = [_file_sha256(path) for path in items]
    if len(digests) == 1:
        return digests[0]
    return hashlib.sha256("\n".join(digests).encode("ascii")).hexdigest()


__all__ = [
    "FORMATS",
    "DatasetFormatError",
    "Reader",
    "clean_html_text",
    "dataset_hash",
    "davidson_labels",
    "detect_format",
    "load_dataset",
    "load_datasets",
    "read_csv",
    "read_davidson",
    "read_feedback",
    "read_jigsaw",
    "read_jsonl",
    "read_ours",
    "read_sms",
    "read_youtube",
    "write_jsonl",
]
