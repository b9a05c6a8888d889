"""The recipe of the shipped default model: how its examples become a bundle.

This is the one place to change how the default model is trained (features, parameters, weighting of the
sources...). :mod:`training.default_model` gathers the data, records where it came from and installs the
result; it only calls :func:`build_default_model`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from training.examples import Example
from training.fit import Progress, stderr_progress
from training.train import train_bundle


def build_default_model(
    examples: Sequence[Example],
    out_root: Path,
    *,
    data_hash: str,
    data_files: Sequence[str] = (),
    params: Mapping[str, Any] | None = None,
    progress: Progress | None = stderr_progress,
) -> Path:
    """Train the default model on ``examples`` and write it as a new bundle under ``out_root``.

    For now: :func:`training.train.train_bundle` with the default parameters (overridden by ``params``).

    :param examples: the seed corpus and the public corpora that may train a shipped model.
    :param out_root: a models directory; the bundle goes to ``out_root/<version>``.
    :param data_hash: fingerprint of the training data (recorded in the metadata).
    :param data_files: names of the training sources, for the metadata.
    :param params: parameter overrides (see :data:`training.fit.DEFAULT_PARAMS`), e.g. fast ones in tests.
    :param progress: receives progress lines (default: stderr; ``None`` for silence).
    :returns: the new bundle directory.
    """
    return train_bundle(
        examples, out_root, data_hash=data_hash, params=params, data_files=data_files, progress=progress
    )
