"""The held-out split training keeps aside, and how evaluation finds it again.

Training sets aside every example whose salted text hash falls below ``fraction`` (10% by default) and never
trains on it. The rule depends only on the normalized text, so copies of one text always fall on the same
side, and bundles trained on the same files with the same salt hold out the same texts (a candidate and the
current model can be compared on texts neither saw). The bundle's metadata records the rule and the training
files (path and sha256), not the texts: evaluation re-reads the files, checks they are unchanged, and
applies the rule again. When the files are gone or changed, or the bundle kept no split, evaluation refuses
and asks for ``DATA=``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from training.bundle import sha256_file
from training.examples import Example
from training.textsketch import text_hash

#: Share of the training data held out by ``make train`` (``--holdout``).
DEFAULT_FRACTION = 0.1
#: Salt of the split's hash: fixed, so that bundles trained on the same files hold out the same texts.
DEFAULT_SALT = "holdout-v1"
#: Metadata key of the split's record.
METADATA_KEY = "holdout"
_PROJECT_ROOT = Path(__file__).resolve().parent.parent


class HoldoutUnavailable(LookupError):
    """The bundle has no usable held-out split (the message says why and what to pass instead)."""


def is_held_out(text: str, fraction: float, salt: str = DEFAULT_SALT) -> bool:
    """Whether training keeps this text aside.

    :param text: the example's text.
    :param fraction: the share held out (0 keeps nothing).
    :param salt: the split's salt.
    """
    return fraction > 0 and text_hash(text, salt) < fraction * 2.0**64


def split(
    examples: Sequence[Example], fraction: float, salt: str = DEFAULT_SALT
) -> tuple[list[Example], list[Example]]:
    """Training and held-out examples.

    :param examples: every example read.
    :param fraction: the share held out.
    :param salt: the split's salt.
    """
    train: list[Example] = []
    held: list[Example] = []
    for example in examples:
        (held if is_held_out(example.text, fraction, salt) else train).append(example)
    return train, held


def record(paths: Sequence[Path], data_hash: str, fraction: float, held: int, salt: str = DEFAULT_SALT) -> dict:
    """The metadata entry that lets evaluation find the split again.

    :param paths: the training files, as read.
    :param data_hash: :func:`training.datasets.dataset_hash` of them.
    :param fraction: the share held out.
    :param held: how many examples were held out.
    :param salt: the split's salt.
    """
    return {
        "fraction": fraction,
        "salt": salt,
        "rule": "blake2b-64(salt, NFKC casefolded text) < fraction * 2^64",
        "examples": held,
        "data_hash": data_hash,
        "files": [{"path": str(p), "absolute": str(Path(p).resolve()), "sha256": sha256_file(Path(p))}
                  for p in paths],
    }


def split_for_training(
    examples: Sequence[Example], paths: Sequence[Path], data_hash: str, fraction: float = DEFAULT_FRACTION
) -> tuple[list[Example], dict[str, Any]]:
    """Set the held-out examples aside and describe the split for the bundle's metadata.

    :param examples: every example read from ``paths``.
    :param paths: the training files.
    :param data_hash: their fingerprint.
    :param fraction: the share to hold out (0: none; the metadata then says so).
    :returns: the examples to train on, and ``{"holdout": ...}`` for the metadata.
    """
    train, held = split(examples, fraction)
    if not held:
        return list(examples), {METADATA_KEY: None}
    return train, {METADATA_KEY: record(paths, data_hash, fraction, len(held))}


@dataclass(frozen=True)
class HeldOut:
    """A bundle's held-out examples, found again.

    :param examples: the held-out examples.
    :param data_hash: a fingerprint of the split (training data hash, fraction and salt).
    :param files: the training files they come from.
    """

    examples: list[Example]
    data_hash: str
    files: list[str]

    def describe(self) -> str:
        """How the report names this data."""
        return f"held-out split of the training data ({len(self.examples):,} examples, not trained on)"


def _find(entry: Mapping[str, Any]) -> Path | None:
    for candidate in (Path(entry["path"]), Path(entry["absolute"]), _PROJECT_ROOT / entry["path"]):
        if candidate.is_file() and sha256_file(candidate) == entry["sha256"]:
            return candidate
    return None


def held_out_examples(metadata: Mapping[str, Any]) -> HeldOut:
    """Re-read a bundle's training files and return the examples its training held out.

    :param metadata: the bundle's metadata (:func:`training.bundle.read_metadata`).
    :raises HoldoutUnavailable: if the bundle kept no split, or its files are missing or changed.
    """
    from training.datasets import load_datasets

    version = metadata.get("version", "?")
    entry = metadata.get(METADATA_KEY)
    if not entry:
        raise HoldoutUnavailable(
            f"bundle {version} keeps no held-out split (trained on all of its data, or before splits were kept); "
            "evaluating on its training data would flatter it: pass evaluation data, make evaluate DATA=file "
            "(python -m training evaluate --data FILE)"
        )
    paths = []
    for file in entry["files"]:
        found = _find(file)
        if found is None:
            raise HoldoutUnavailable(
                f"bundle {version}: training file {file['path']} is missing or changed since training, so its "
                "held-out split cannot be rebuilt; pass evaluation data, make evaluate DATA=file"
            )
        paths.append(found)
    fraction, salt = float(entry["fraction"]), str(entry["salt"])
    examples = [e for e in load_datasets(paths) if is_held_out(e.text, fraction, salt)]
    if len(examples) != int(entry["examples"]):
        raise HoldoutUnavailable(
            f"bundle {version}: rebuilt {len(examples)} held-out examples, training recorded {entry['examples']} "
            "(the readers changed?); pass evaluation data, make evaluate DATA=file"
        )
    fingerprint = f"holdout:{entry['data_hash']}:{fraction}:{salt}"
    return HeldOut(examples, fingerprint, [str(f["path"]) for f in entry["files"]])
