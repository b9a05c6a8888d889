"""The catalogue of public datasets laid out like ``../shared/datasets``: what each is and what it may be used for.

Each :class:`Corpus` is one folder of that layout (or one file of ``multilingual/``), described in
``training/data/corpora.toml`` from the datasets' READMEs: its files, reader, language, licence, whether a
shipped model may be trained on it, citation and credit line. This module says which corpora a ``DATA_DIR``
holds, loads one (or one of its files), and fingerprints its source files for a bundle's metadata.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from training.examples import Example

#: The catalogue's data file.
CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "corpora.toml"
#: Where the project expects the shared datasets, relative to the repository (``make default-model``).
DEFAULT_DATA_DIR = Path("..") / "shared" / "datasets"


class DataDirMissing(FileNotFoundError):
    """The data directory does not exist (or is not a directory)."""


@dataclass(frozen=True)
class Corpus:
    """One public dataset of the shared layout.

    :param name: the folder name, or ``multilingual/<file>`` for a file of the multilingual folder.
    :param title: what it is, in a few words.
    :param folder: its folder under the data directory.
    :param files: the data files its reader reads one by one (relative to ``folder``).
    :param companions: other files (or folders, ending in ``/``) the reader reads beside them.
    :param format: the reader, a key of :data:`training.datasets.FORMATS`.
    :param lang: ISO 639-1 code of the text.
    :param licence: the licence as the dataset's README states it.
    :param licence_url: where the licence text is.
    :param may_ship: whether the README lets a shipped model be trained on it.
    :param licence_files: licence texts that must go with any copy of the data.
    :param citation: what to cite.
    :param attribution: the credit line (as CC BY / BY-SA ask; a plain credit for the others).
    :param note: further terms and caveats.
    """

    name: str
    title: str
    folder: str
    files: tuple[str, ...]
    format: str
    lang: str
    licence: str
    licence_url: str
    may_ship: bool
    citation: str
    attribution: str
    companions: tuple[str, ...] = ()
    licence_files: tuple[str, ...] = ()
    note: str = ""

    def source_paths(self) -> tuple[str, ...]:
        """The data files and companions, relative to the data directory (a folder ends with ``/``)."""
        return tuple(f"{self.folder}/{name}" for name in (*self.files, *self.companions))


@dataclass(frozen=True)
class Presence:
    """Whether a data directory holds one corpus.

    :param corpus: the corpus.
    :param missing: its source paths (relative to the data directory) that are not there.
    """

    corpus: Corpus
    missing: tuple[str, ...]

    @property
    def present(self) -> bool:
        """Every data file and companion is there."""
        return not self.missing


def _corpus(name: str, table: dict[str, Any]) -> Corpus:
    """Build one Corpus from its table of the catalogue file."""
    fields: dict[str, Any] = dict(table)
    for key in ("files", "companions", "licence_files"):
        fields[key] = tuple(table.get(key, ()))
    return Corpus(name=name, **fields)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Corpus]:
    """Every known corpus by name, in the catalogue file's order (read once)."""
    with open(CATALOGUE_FILE, "rb") as handle:
        tables = tomllib.load(handle)["corpora"]
    return {name: _corpus(name, table) for name, table in tables.items()}


def get_corpus(name: str) -> Corpus:
    """The corpus called ``name``.

    :param name: a folder name, or ``multilingual/<file>``.
    :raises ValueError: for an unknown name, listing the known ones.
    """
    corpora = catalogue()
    if name not in corpora:
        raise ValueError(f"unknown corpus {name!r}; known: {', '.join(corpora)}")
    return corpora[name]


def require_data_dir(data_dir: Path | str) -> Path:
    """Return ``data_dir`` as a Path if it is a directory.

    :param data_dir: the folder laid out like ``../shared/datasets``.
    :raises DataDirMissing: saying clearly that it is absent.
    """
    path = Path(data_dir)
    if not path.is_dir():
        raise DataDirMissing(
            f"data directory {path} is absent (expected a folder laid out like ../shared/datasets, "
            "see training/data/corpora.toml)"
        )
    return path


def _exists(data_dir: Path, relative: str) -> bool:
    """Whether a source path is there: a folder for a path ending in ``/``, else a file."""
    target = data_dir / relative
    return target.is_dir() if relative.endswith("/") else target.is_file()


def survey(data_dir: Path | str, names: Iterable[str] | None = None) -> list[Presence]:
    """Which corpora the data directory holds, in catalogue order.

    :param data_dir: the folder laid out like ``../shared/datasets``.
    :param names: only these corpora (default: all).
    :raises DataDirMissing: if ``data_dir`` is absent.
    """
    root = require_data_dir(data_dir)
    chosen = [get_corpus(name) for name in names] if names is not None else list(catalogue().values())
    return [
        Presence(corpus, tuple(path for path in corpus.source_paths() if not _exists(root, path)))
        for corpus in chosen
    ]


def format_survey(presences: Sequence[Presence]) -> str:
    """One line per corpus: present or ABSENT (naming what is missing), its use and licence.

    :param presences: from :func:`survey`.
    """
    lines = []
    for item in presences:
        corpus = item.corpus
        use = "may ship" if corpus.may_ship else "eval only"
        if item.present:
            state = "present"
        elif len(item.missing) == len(corpus.source_paths()):
            state = "ABSENT"
        else:
            state = f"ABSENT (missing {', '.join(item.missing)})"
        lines.append(f"{corpus.name:<48} {use:<9} {corpus.lang:<3} {corpus.licence:<40.40} {state}")
    return "\n".join(lines)


def load_corpus(data_dir: Path | str, name: str, file: str | None = None) -> list[Example]:
    """Read one corpus (or one of its data files) into Examples whose ``source`` is ``<folder>/<file>``.

    :param data_dir: the folder laid out like ``../shared/datasets``.
    :param name: the corpus name.
    :param file: one of its data files (e.g. one YouTube video), or ``None`` for all of them in order.
    :raises DataDirMissing: if ``data_dir`` is absent.
    :raises ValueError: for an unknown corpus or file.
    :raises FileNotFoundError: if a needed file is absent, naming it.
    :raises DatasetFormatError: (a ValueError) naming the file and line of a malformed row.
    """
    from training.datasets import FORMATS

    root = require_data_dir(data_dir)
    corpus = get_corpus(name)
    if file is not None and file not in corpus.files:
        raise ValueError(f"corpus {name} has no file {file!r}; its files: {', '.join(corpus.files)}")
    missing = [path for path in corpus.source_paths() if not _exists(root, path)]
    files = [file] if file is not None else list(corpus.files)
    needed = [p for p in missing if p.split("/", 1)[1] in files or p.split("/", 1)[1] in corpus.companions]
    if needed:
        raise FileNotFoundError(f"corpus {name}: {', '.join(needed)} absent under {root}")
    reader = FORMATS[corpus.format]
    examples: list[Example] = []
    for each in files:
        source = f"{corpus.folder}/{each}"
        examples.extend(replace(example, source=source) for example in reader(root / source))
    return examples


def sha256_file(path: Path) -> str:
    """Hex sha256 of one file's bytes.

    :param path: the file.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_folder(path: Path) -> str:
    """Hex sha256 of a folder's files: of the ``sha256sum`` lines (``<hex>  <name>``) of its files, sorted
    by name bytewise — what ``cd DIR && LC_ALL=C ls | LC_ALL=C sort | while read f; do sha256sum "$f"; done |
    sha256sum`` prints (as the shared datasets' README pins ``stormfront_hate/all_files/``).

    :param path: the folder (sub-folders are not included).
    """
    names = sorted((entry.name for entry in os.scandir(path) if entry.is_file()), key=os.fsencode)
    listing = "".join(f"{sha256_file(path / name)}  {name}\n" for name in names)
    return hashlib.sha256(listing.encode("utf-8", "surrogateescape")).hexdigest()


def source_records(data_dir: Path | str, name: str, files: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Fingerprints of a corpus's source files, for a bundle's metadata.

    One record per data file (``role`` "data"), companion ("companion"; a folder is hashed with
    :func:`sha256_folder` and has ``kind`` "folder") and licence file that is present ("licence"):
    ``{"path": "<folder>/<file>", "role": ..., "sha256": ..., "bytes": ...}``.

    :param data_dir: the folder laid out like ``../shared/datasets``.
    :param name: the corpus name.
    :param files: only these data files (default: all of them).
    :raises FileNotFoundError: if a data file or companion is absent.
    """
    root = require_data_dir(data_dir)
    corpus = get_corpus(name)
    chosen = list(files) if files is not None else list(corpus.files)
    wanted = [(f, "data") for f in chosen] + [(c, "companion") for c in corpus.companions]
    wanted += [(f, "licence") for f in corpus.licence_files if (root / corpus.folder / f).is_file()]
    records: list[dict[str, Any]] = []
    for relative, role in wanted:
        path = root / corpus.folder / relative.rstrip("/")
        record: dict[str, Any] = {"path": f"{corpus.folder}/{relative}", "role": role}
        if relative.endswith("/"):
            if not path.is_dir():
                raise FileNotFoundError(f"corpus {name}: folder {record['path']} absent under {root}")
            files_in = [entry for entry in os.scandir(path) if entry.is_file()]
            record.update(kind="folder", sha256=sha256_folder(path), files=len(files_in),
                          bytes=sum(entry.stat().st_size for entry in files_in))
        else:
            if not path.is_file():
                raise FileNotFoundError(f"corpus {name}: {record['path']} absent under {root}")
            record.update(sha256=sha256_file(path), bytes=path.stat().st_size)
        records.append(record)
    return records
