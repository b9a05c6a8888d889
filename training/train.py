"""Training entry points: a new bundle from examples, and the default model for a fresh install."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from moderation import keys
from moderation.models.bundle import SHIPPED_MODEL_DIR, BundleError, save_bundle
from moderation.models.current import SOURCE_FILE
from training.examples import Example
from training.fit import Progress, fit_model, stderr_progress

#: The project's own seed corpus, used when no training data is given.
SEED_CORPUS = Path(__file__).resolve().parent / "data" / "seed_corpus.jsonl"


def load_training_data(paths: Sequence[Path], format: str = "auto") -> tuple[list[Example], str]:
    """Read training files (any supported format) and fingerprint them.

    :param paths: dataset files.
    :param format: the format of every file (:func:`training.datasets.load_dataset`; ``auto``: detected).
    :returns: the examples and the data hash.
    """
    from training.datasets import dataset_hash, load_datasets

    return load_datasets(paths, format=format), dataset_hash(paths)


def train_bundle(
    examples: Sequence[Example],
    out_root: Path,
    *,
    data_hash: str,
    params: Mapping[str, Any] | None = None,
    heads: Sequence[str] | None = None,
    data_files: Sequence[str] = (),
    progress: Progress | None = stderr_progress,
    metadata: Mapping[str, Any] | None = None,
) -> Path:
    """Train every head with enough labels and write a new bundle directory.

    :param examples: labelled training examples.
    :param out_root: the models directory (the bundle goes to ``out_root/<version>``).
    :param data_hash: fingerprint of the training data (recorded in the metadata).
    :param params: parameter overrides (see :data:`training.fit.DEFAULT_PARAMS`).
    :param heads: restrict to these heads (default: every head with enough labels).
    :param data_files: names of the training files, for the metadata.
    :param progress: receives progress lines (default: stderr; ``None`` for silence).
    :param metadata: more metadata to record (e.g. the held-out split, :mod:`training.holdout`).
    :returns: the new bundle directory.
    """
    from training.textsketch import TextSketch

    say = progress or (lambda _message: None)
    started = time.perf_counter()
    result = fit_model(examples, params, heads=heads, progress=progress)
    path = save_bundle(
        result.state,
        Path(out_root),
        {
            "heads": list(result.state["heads"]),
            "data": {"hash": data_hash, "examples": len(examples), "files": list(data_files)},
            "examples_per_head": result.examples_per_head,
            "cv_metrics": result.cv_metrics,
            "languages": list(result.state.get("languages", [])),
            "screened_languages": list(result.state.get("screened_languages", [])),
            "languages_cv": result.languages,
            "params": result.params,
            "training_seconds": round(time.perf_counter() - started, 1),
            "metrics": {},
            # What it was trained on, in bounded size: promotion and evaluation warn about overlaps with it.
            "training_texts": TextSketch.build(e.text for e in examples).to_metadata(),
            **(metadata or {}),
        },
    )
    say(f"saved {path} ({time.perf_counter() - started:.1f} s)")
    return path


def _merged_sketch(base_meta: Mapping[str, Any], examples: Sequence[Example]) -> dict[str, Any]:
    """The sketch of ``examples`` merged with the base bundle's (when it recorded a readable one)."""
    from training.textsketch import TextSketch

    sketch = TextSketch.build(e.text for e in examples)
    try:
        if base_meta.get("training_texts"):
            sketch = sketch.merge(TextSketch.from_metadata(base_meta["training_texts"]))
    except ValueError:
        pass
    return sketch.to_metadata()


def update_bundle(
    base: Path,
    examples: Sequence[Example],
    out_root: Path,
    *,
    data_hash: str,
    params: Mapping[str, Any] | None = None,
    data_files: Sequence[str] = (),
    progress: Progress | None = stderr_progress,
    metadata: Mapping[str, Any] | None = None,
) -> Path:
    """A new bundle: the model of ``base`` updated with ``examples`` (:mod:`training.update`).

    Heads the examples do not label keep the base model's knowledge unchanged; the others are corrected by the
    new labels on top of it. The metadata names the base model and keeps its data sources.

    :param base: the bundle to start from (usually the current one).
    :param examples: the new labelled examples (any subset of heads).
    :param out_root: the models directory (the bundle goes to ``out_root/<version>``).
    :param data_hash: fingerprint of the new data.
    :param params: overrides of :data:`training.update.UPDATE_PARAMS`.
    :param data_files: names of the new training files, for the metadata.
    :param progress: receives progress lines (default: stderr; ``None`` for silence).
    :param metadata: more metadata to record (e.g. the held-out split, :mod:`training.holdout`).
    :returns: the new bundle directory.
    """
    from moderation.models.bundle import load_state
    from training.textsketch import TextSketch
    from training.update import update_model

    say = progress or (lambda _message: None)
    started = time.perf_counter()
    base_state, base_meta = load_state(Path(base))
    say(f"updating {base_meta['version']} with {len(examples):,} examples")
    result = update_model(base_state, examples, params, progress=progress)
    inherited = ("sources", "languages", "languages_cv", "held_out")
    kept: dict[str, Any] = {k: base_meta[k] for k in inherited if k in base_meta}
    path = save_bundle(
        result.state,
        Path(out_root),
        {
            **kept,
            "heads": list(result.state["heads"]),
            "data": {"hash": data_hash, "examples": len(examples), "files": list(data_files)},
            "base_model": {"version": base_meta["version"], "data": base_meta.get("data", {})},
            "examples_per_head": {**base_meta.get("examples_per_head", {}), **result.examples_per_head},
            "updated_heads": result.cv_metrics,
            "cv_metrics": base_meta.get("cv_metrics", {}),
            "params": {**result.params, "mode": "update"},
            "training_seconds": round(time.perf_counter() - started, 1),
            "metrics": {},
            # The base model's training texts and the new ones: overlaps with either flatter the figures.
            "training_texts": _merged_sketch(base_meta, examples),
            # The new texts alone, exactly while few: merged with a large base's sample, they would mostly fall
            # outside it, and evaluating on the moderators' own verdicts would not warn.
            "new_training_texts": TextSketch.build(e.text for e in examples).to_metadata(),
            **(metadata or {}),
        },
    )
    say(f"saved {path} ({time.perf_counter() - started:.1f} s)")
    return path


def ensure_default_model(
    models_dir: Path,
    redis: Any | None = None,
    prefix: str = keys.DEFAULT_PREFIX,
    *,
    default_model: Path | None = SHIPPED_MODEL_DIR,
    progress: Progress | None = stderr_progress,
) -> Path:
    """Return the current bundle's directory; when there is none at all, train and promote one on the seed
    corpus (the last resort: the shipped default bundle, when present, is current when nothing was promoted).

    With Redis, a lock makes concurrent callers train at most once.

    :param models_dir: the models directory.
    :param redis: a redis-py client, or ``None``.
    :param prefix: key prefix.
    :param default_model: the shipped default bundle (``None``: no fallback).
    :param progress: progress lines (default: stderr).
    """
    from training.registry import ModelRegistry, RegistryError

    registry = ModelRegistry(Path(models_dir), redis=redis, prefix=prefix, default_model=default_model)

    def current_path() -> Path | None:
        try:
            current = registry.current()
        except (RegistryError, BundleError):
            return None  # the pointer names a bundle nobody has (or an old format): train a new one
        return current.path if current else None

    found = current_path()
    if found is not None:
        pointer = registry.pointer()
        if redis is not None and pointer is not None and pointer.source == SOURCE_FILE:
            # The current model is only local (a new or flushed Redis): publish it, so every worker sees it.
            registry.promote(found.name, force=True)
        return found
    lock = redis.lock(keys.model_default_lock_key(prefix), timeout=1800, blocking_timeout=1800) if redis else None
    if lock is not None:
        lock.acquire()
    try:
        found = current_path()
        if found is not None:
            return found
        from training.holdout import split_for_training

        examples, data_hash = load_training_data([SEED_CORPUS])
        examples, holdout = split_for_training(examples, [SEED_CORPUS], data_hash)
        say = progress or (lambda _message: None)
        say(f"no current model: training the default model on {SEED_CORPUS.name} ({len(examples):,} examples)")
        path = train_bundle(
            examples, Path(models_dir), data_hash=data_hash, data_files=[SEED_CORPUS.name], progress=progress,
            metadata=holdout,
        )
        registry.promote(path, force=True)
        return registry.models_dir / path.name
    finally:
        if lock is not None:
            lock.release()
