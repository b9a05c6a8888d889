"""Load the seed corpus's phrase banks from their data files, one per language (``training/data/seed/<lang>.toml``).

Every phrase in those files was written for this project. A file holds named *banks*: multi-line strings with
one phrase a line (blank lines and surrounding spaces ignored). A phrase may contain ``{slot}`` references that
:mod:`training.seed_corpus` expands recursively: from the topic being discussed, from a bank of that name, or
from a value generated in code. The English file (``en.toml``) also has ``[topics.<name>]`` tables; the other
languages' files also declare their comment *kinds* (``[kinds.<name>]``: class, labels, weight, templates),
the words that make abuse obscene, and how abusers of that language disguise words (``[obfuscation]``).

Why TOML: a bank reads as the list it is (one phrase a line, no quotes or commas to escape, comments allowed),
the standard library reads it (:mod:`tomllib`), and it is the format of the project's other data files.

Warning: the abuse banks contain deliberately offensive language, slurs included. They exist so that a
classifier can learn to recognise abuse; they are training data, not opinions.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Where the per-language phrase files live.
SEED_DIR = Path(__file__).resolve().parent / "data" / "seed"
#: The top-level classes every language's corpus has.
CLASSES: tuple[str, ...] = ("ham", "spam", "toxic")

Bank = tuple[str, ...]


def lines(block: str) -> Bank:
    """Split a multi-line string into the tuple of its non-empty, stripped lines.

    :param block: one phrase a line.
    """
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


@dataclass(frozen=True)
class Kind:
    """One kind of comment of a language file: which class it belongs to, how often, and its templates.

    :param name: the kind's name (``[kinds.<name>]``).
    :param cls: ``ham``, ``spam`` or ``toxic``.
    :param weight: relative frequency within its class.
    :param labels: heads set to 1 besides the class's own (``toxic`` kinds: ``insult``, ``threat``, ...).
    :param templates: the phrases to fill.
    """

    name: str
    cls: str
    weight: float
    labels: tuple[str, ...]
    templates: Bank


@dataclass(frozen=True)
class PhraseBanks:
    """Everything one language's file holds.

    :param lang: ISO 639-1 code.
    :param name: the language's English name.
    :param banks: named banks, referenced as ``{name}``.
    :param topics: topic name -> its own banks (English only).
    :param kinds: comment kinds (every language but English, whose composition is in code).
    :param meta: the remaining ``[meta]`` settings (size, whether the script has case, typos).
    :param obfuscation: the ``[obfuscation]`` table as read (styles, look-alikes, written-out variants).
    """

    lang: str
    name: str
    banks: Mapping[str, Bank]
    topics: Mapping[str, Mapping[str, Bank]] = field(default_factory=dict)
    kinds: tuple[Kind, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    obfuscation: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Bank:
        """The bank ``name``; ``Name`` (first letter capitalised) gives the bank ``name`` capitalised.

        :param name: a bank name.
        :raises KeyError: for a bank the file does not have.
        """
        if name in self.banks:
            return self.banks[name]
        lower = name[:1].lower() + name[1:]
        if name[:1].isupper() and lower in self.banks:
            return tuple(s[:1].upper() + s[1:] for s in self.banks[lower])
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return name in self.banks or (name[:1].isupper() and name[:1].lower() + name[1:] in self.banks)

    def kinds_of(self, cls: str) -> tuple[Kind, ...]:
        """The kinds of class ``cls``, in file order.

        :param cls: ``ham``, ``spam`` or ``toxic``.
        """
        return tuple(kind for kind in self.kinds if kind.cls == cls)


def _kind(name: str, table: Mapping[str, Any], path: Path) -> Kind:
    cls = table.get("class")
    if cls not in CLASSES:
        raise ValueError(f"{path.name}: kind {name!r} has class {cls!r}, expected one of {CLASSES}")
    return Kind(name=name, cls=cls, weight=float(table.get("weight", 1)), labels=tuple(table.get("labels", ())),
                templates=lines(table["templates"]))


def languages() -> tuple[str, ...]:
    """The languages that have a phrase file, English first and then alphabetically."""
    found = sorted(path.stem for path in SEED_DIR.glob("*.toml"))
    return tuple(sorted(found, key=lambda lang: (lang != "en", lang)))


@functools.cache
def load(lang: str) -> PhraseBanks:
    """Read the phrase file of ``lang`` (cached: the banks are read-only).

    :param lang: ISO 639-1 code, the file's name.
    :raises FileNotFoundError: when there is no such file.
    :raises ValueError: when the file's ``meta.lang`` differs from its name, or a kind is malformed.
    """
    path = SEED_DIR / f"{lang}.toml"
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    meta = dict(data.get("meta", {}))
    if meta.pop("lang", None) != lang:
        raise ValueError(f"{path.name}: meta.lang must be {lang!r}")
    return PhraseBanks(
        lang=lang,
        name=str(meta.pop("name", lang)),
        banks={name: lines(block) for name, block in data.get("banks", {}).items()},
        topics={name: {slot: lines(block) for slot, block in table.items()}
                for name, table in data.get("topics", {}).items()},
        kinds=tuple(_kind(name, table, path) for name, table in data.get("kinds", {}).items()),
        meta=meta,
        obfuscation=data.get("obfuscation", {}),
    )
