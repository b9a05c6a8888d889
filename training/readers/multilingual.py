"""Readers for the non-English toxicity data: the derived ``text,toxic,lang`` CSVs and GermEval 2018's TSV.

The derived CSVs (COLD, OSACT, ToLD-Br, the Russian 2ch/Pikabu set, Jigsaw Multilingual, MLMA) name each
row's language; GermEval is German. Examples carry that ISO 639-1 code in ``lang``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from training.examples import Example
from training.readers._common import (
    DatasetFormatError,
    PathLike,
    csv_rows,
    nonblank_lines,
    read_header,
    require_01,
    require_columns,
    require_text,
)

#: The columns of the derived multilingual CSVs.
MULTILINGUAL_COLUMNS: tuple[str, ...] = ("text", "toxic", "lang")
#: GermEval 2018 coarse labels -> toxic.
GERMEVAL_LABELS: dict[str, int] = {"OFFENSE": 1, "OTHER": 0}
#: GermEval's marker for a line break inside a tweet.
GERMEVAL_LINE_BREAK = "|LBR|"

_ISO_639_1 = re.compile(r"^[a-z]{2}$")
#: VKontakte reply mentions, ``[id<number>|<name>]`` (real user ids and names): read as ``@USER``.
_VK_MENTION = re.compile(r"\[(?:id|club)\d+\|[^\]\n]*\]")


def read_multilingual(path: PathLike) -> Iterator[Example]:
    """Read a derived multilingual CSV (``text,toxic,lang``; toxic 0/1, lang an ISO 639-1 code) into
    ``toxic``, keeping each row's language in ``Example.lang``. VKontakte reply mentions
    (``[id123|Name]``) are read as ``@USER``, as the other sources mask theirs.

    :param path: e.g. ``zh_cold_train.csv``.
    :raises DatasetFormatError: naming the file and line, for a missing column, a row without text, a toxic
        value that is not 0/1, or a lang that is not two lower-case letters.
    """
    path = Path(path)
    require_columns(path, read_header(path), MULTILINGUAL_COLUMNS, "multilingual text,toxic,lang")
    for line, row in csv_rows(path):
        text = require_text(row["text"], path=path, line=line, column="text")
        if "[" in text:
            text = _VK_MENTION.sub("@USER", text)
        toxic = require_01(row["toxic"], path=path, line=line, column="toxic")
        lang = row["lang"].strip()
        if not _ISO_639_1.match(lang):
            raise DatasetFormatError(path, line, f"column 'lang' must be an ISO 639-1 code, got {row['lang']!r}")
        yield Example(text=text, labels={"toxic": toxic}, source=path.name, lang=lang)


def read_germeval(path: PathLike) -> Iterator[Example]:
    """Read GermEval 2018 (``text<TAB>OFFENSE|OTHER<TAB>ABUSE|INSULT|PROFANITY|OTHER``, no header, no quoting)
    into ``toxic`` = ``OFFENSE``, with ``lang="de"``.

    ``|LBR|`` becomes a newline and surrounding whitespace is stripped. The fine-grained third column is
    checked for presence only (its classes do not map one-to-one onto our subtypes). Blank lines are skipped.

    :param path: e.g. ``germeval2018.training.txt``.
    :raises DatasetFormatError: naming the file and line, for a line without three tab-separated fields, an
        unknown coarse label, or an empty text.
    """
    path = Path(path)
    for number, raw in nonblank_lines(path):
        fields = raw.split("\t")
        if len(fields) != 3:
            problem = f"expected 3 tab-separated fields (text, coarse, fine label), found {len(fields)}"
            raise DatasetFormatError(path, number, problem)
        toxic = GERMEVAL_LABELS.get(fields[1].strip())
        if toxic is None:
            raise DatasetFormatError(path, number, f"the second field must be OFFENSE or OTHER, got {fields[1]!r}")
        text = fields[0].replace(GERMEVAL_LINE_BREAK, "\n").strip()
        text = require_text(text, path=path, line=number, column="text")
        yield Example(text=text, labels={"toxic": toxic}, source=path.name, lang="de")
