"""What a bundle was trained on, in a bounded size: a bottom-k sketch of its normalized text hashes.

A bundle cannot keep its training texts (a shipped bundle would carry dataset text), but it can keep hashes.
Keeping all of them grows with the data, so the sketch keeps the ``k`` smallest distinct 64-bit hashes
(a bottom-k sketch, Cohen & Kaplan 2007). Every training hash up to the largest kept one, ``tau``, is in the
sketch, so for an evaluation text whose hash is at most ``tau`` membership in the training data is known
exactly; those texts are a uniform sample (the hash decides, not the text), and the share of them found
estimates the share of the whole evaluation file that was trained on. Below ``k`` distinct training texts the
sketch holds them all and the overlap is exact.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Hashes kept: 4096 × 8 bytes (44 KB of base64 in metadata.json).
DEFAULT_K = 4096
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The form texts are compared in: NFKC, case-folded, whitespace collapsed and trimmed.

    Deliberately simpler than the model's normalizer, so that hashes recorded today still match after the
    model's text cleaning changes.

    :param text: a comment.
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def text_hash(text: str, salt: str = "") -> int:
    """A 64-bit hash of the normalized text.

    :param text: a comment.
    :param salt: prefix mixed in (different uses get independent hashes).
    """
    digest = hashlib.blake2b(f"{salt}\x00{normalize(text)}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass(frozen=True)
class Overlap:
    """How much of an evaluation set is in the training data.

    :param texts: distinct evaluation texts.
    :param checked: how many of them the sketch could decide (all when ``exact``).
    :param found: how many of the checked ones are training texts.
    :param exact: whether every text was checked (the sketch holds all training hashes).
    """

    texts: int
    checked: int
    found: int
    exact: bool

    @property
    def share(self) -> float:
        """Estimated share of the evaluation texts that were trained on."""
        return self.found / self.checked if self.checked else 0.0

    def describe(self) -> str:
        """One phrase, e.g. ``"37 of 120 texts"`` or ``"about 31% (12 of 39 texts checked)"``."""
        if self.exact:
            return f"{self.found:,} of {self.texts:,} distinct texts"
        return f"about {self.share:.0%} of {self.texts:,} distinct texts ({self.found} of {self.checked} checked)"


class TextSketch:
    """The ``k`` smallest distinct text hashes of a corpus.

    :param hashes: sorted distinct hashes (at most ``k``).
    :param total: distinct texts in the corpus.
    :param k: the bound.
    """

    def __init__(self, hashes: np.ndarray, total: int, k: int) -> None:
        self.hashes = np.asarray(hashes, dtype=np.uint64)
        self.total = total
        self.k = k

    @classmethod
    def build(cls, texts: Iterable[str], k: int = DEFAULT_K) -> TextSketch:
        """Sketch a corpus.

        :param texts: the training texts.
        :param k: how many hashes to keep.
        """
        distinct = np.unique(np.fromiter((text_hash(t) for t in texts), dtype=np.uint64))
        return cls(distinct[:k], int(distinct.size), k)

    @property
    def complete(self) -> bool:
        """Whether every training hash is kept."""
        return self.total <= self.k

    def overlap(self, texts: Iterable[str]) -> Overlap:
        """How many of ``texts`` are in the sketched corpus (exactly, or estimated from a hash sample).

        :param texts: evaluation texts.
        """
        distinct = np.unique(np.fromiter((text_hash(t) for t in texts), dtype=np.uint64))
        if self.complete:
            checked = distinct
        else:
            checked = distinct[distinct <= self.hashes[-1]] if self.hashes.size else distinct[:0]
        found = int(np.isin(checked, self.hashes).sum())
        return Overlap(int(distinct.size), int(checked.size), found, self.complete)

    def merge(self, other: TextSketch) -> TextSketch:
        """The sketch of both corpora together (for a bundle that builds on another one's training).

        :param other: the other corpus' sketch.
        :returns: a sketch with ``min(k)`` hashes; its ``total`` is exact when both were complete, else the
            bottom-k estimate of the distinct count, ``(k - 1) / (tau / 2^64)``.
        """
        k = min(self.k, other.k)
        union = np.union1d(self.hashes, other.hashes)
        if self.complete and other.complete:
            return TextSketch(union[:k], int(union.size), k)
        kept = union[:k]
        tau = (float(kept[-1]) + 1.0) / 2.0**64 if kept.size else 1.0
        return TextSketch(kept, max(int((kept.size - 1) / tau), kept.size + 1, self.total, other.total), k)

    def to_metadata(self) -> dict[str, Any]:
        """A JSON-ready form: ``k``, ``total``, ``hash`` (how texts were hashed) and the packed hashes."""
        packed = base64.b64encode(self.hashes.astype(">u8").tobytes()).decode("ascii")
        return {"k": self.k, "total": self.total, "hash": "blake2b-64 of NFKC casefolded text", "hashes": packed}

    @classmethod
    def from_metadata(cls, data: Mapping[str, Any]) -> TextSketch:
        """Read what :meth:`to_metadata` wrote.

        :param data: the recorded mapping.
        :raises ValueError: if it is malformed.
        """
        try:
            raw = base64.b64decode(str(data["hashes"]), validate=True)
            hashes = np.frombuffer(raw, dtype=">u8").astype(np.uint64)
            return cls(hashes, int(data["total"]), int(data["k"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"malformed training text sketch: {exc}") from exc


def training_overlap(metadata: Mapping[str, Any], texts: Iterable[str]) -> Overlap | None:
    """How much of ``texts`` a bundle was trained on, from the sketches its metadata records.

    An update records the sketch of its new texts apart (``new_training_texts``) beside the merged one: the
    larger overlap found in either is returned.

    :param metadata: the bundle's metadata (:func:`training.bundle.read_metadata`).
    :param texts: evaluation texts.
    :returns: the overlap, or ``None`` when the bundle recorded no (readable) sketch.
    """
    texts = list(texts)
    found: list[Overlap] = []
    for name in ("training_texts", "new_training_texts"):
        recorded = metadata.get(name)
        if not recorded:
            continue
        try:
            found.append(TextSketch.from_metadata(recorded).overlap(texts))
        except ValueError:
            continue
    return max(found, key=lambda o: (o.found, o.exact)) if found else None
