"""Which model is current, where its bundle is, and the hot-reloading scorer a worker serves.

There is ONE resolution of the current model (:meth:`ModelStore.pointer`), used by the workers, ``moderation
health``, ``moderation metrics`` and the training CLI alike:

1. the Redis pointer (hash ``keys.model_current_key(prefix)``: ``version``, ``sha256``), written by a
   promotion (:mod:`training.registry`), when Redis is given and holds one;
2. else the file ``<models_dir>/CURRENT`` (a promotion without Redis, or this machine's mirror);
3. else the default bundle shipped with the package (:data:`moderation.models.bundle.SHIPPED_MODEL_DIR`, or the
   ``default_model`` setting), when present.

A promoted bundle missing locally is fetched from Redis (``<prefix>:model:bundle:<version>``, a zip of the
bundle directory, base64) into the models directory. Nothing here writes a pointer: promotion and rollback
live in :mod:`training.registry`, which builds on :class:`ModelStore`.

numpy is imported only when a bundle is loaded.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moderation import keys
from moderation.models.bundle import (
    METADATA_FILE,
    MODEL_FILE,
    BundleError,
    bundle_info,
    is_bundle,
    load_bundle,
    load_state,
    read_metadata,
    sha256_file,
    unzip_bundle,
)

if TYPE_CHECKING:
    from moderation.settings import Settings

log = logging.getLogger("moderation.models.current")

#: The file naming the current model in a models directory.
CURRENT_FILE = "CURRENT"
#: Where a pointer came from (:attr:`ModelPointer.source`).
SOURCE_REDIS, SOURCE_FILE, SOURCE_DEFAULT = "redis", "file", "default"


class ModelStoreError(Exception):
    """The current model cannot be found or fetched."""


class NoModelError(ModelStoreError):
    """No model is current: no Redis pointer, no ``CURRENT`` file, no shipped default bundle."""


@dataclass(frozen=True)
class ModelPointer:
    """The current model: its version and the sha256 of its ``model.npz``, and where that was read.

    :param version: the bundle version.
    :param sha256: checksum of its ``model.npz``.
    :param source: ``redis``, ``file`` (``models/CURRENT``) or ``default`` (the shipped bundle).
    """

    version: str
    sha256: str
    source: str

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the model (two pointers with the same key name the same bundle)."""
        return self.version, self.sha256


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class ModelStore:
    """Reads the current pointer and bundles: from Redis (when given), ``models_dir`` and the shipped default.

    :param models_dir: local bundle directory (also the cache for bundles fetched from Redis).
    :param redis: a redis-py client (decoded or not), or ``None`` for a single machine.
    :param prefix: key prefix.
    :param default_model: the bundle to serve when nothing was promoted (``None``: no fallback). Processes
        built from settings use the ``default_model`` setting (:meth:`from_settings`).
    """

    def __init__(self, models_dir: Path, redis: Any | None = None, prefix: str = keys.DEFAULT_PREFIX,
                 default_model: Path | None = None) -> None:
        self.models_dir = Path(models_dir)
        self.redis = redis
        self.prefix = prefix
        self.default_model = Path(default_model) if default_model is not None else None

    @classmethod
    def from_settings(cls, settings: Settings, redis: Any | None) -> ModelStore:
        """The store every process of a deployment uses: its models dir, prefix and default model.

        :param settings: the validated settings.
        :param redis: a connection to the deployment's Redis (or ``None``).
        """
        return cls(settings.models_dir, redis=redis, prefix=settings.prefix, default_model=settings.default_model)

    def describe(self) -> str:
        """Where :meth:`pointer` looks, for messages."""
        places = [f"Redis key {keys.model_current_key(self.prefix)}"] if self.redis is not None else []
        places.append(str(self.models_dir / CURRENT_FILE))
        places.append(f"default bundle {self.default_model}" if self.default_model else "no default bundle")
        return ", ".join(places)

    # -- the pointer -------------------------------------------------------------------------------------------
    def promoted_pointer(self) -> ModelPointer | None:
        """The promoted model (Redis pointer, else ``models/CURRENT``), ignoring the shipped default."""
        if self.redis is not None:
            version, sha = self.redis.hmget(keys.model_current_key(self.prefix), ["version", "sha256"])
            if version and sha:
                return ModelPointer(_text(version), _text(sha), SOURCE_REDIS)
            # No pointer in this Redis (new or flushed): the local one, if this machine has one.
        try:
            data = json.loads((self.models_dir / CURRENT_FILE).read_text())
            return ModelPointer(str(data["version"]), str(data["sha256"]), SOURCE_FILE)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def default_pointer(self) -> ModelPointer | None:
        """The shipped default bundle, if there is one (read from its metadata; not verified here)."""
        if self.default_model is None or not is_bundle(self.default_model):
            return None
        try:
            meta = read_metadata(self.default_model)
        except BundleError as exc:
            log.warning("ignoring the default bundle: %s", exc)
            return None
        return ModelPointer(str(meta["version"]), str(meta["model_sha256"]), SOURCE_DEFAULT)

    def pointer(self) -> ModelPointer | None:
        """The current model: the Redis pointer, else ``models/CURRENT``, else the shipped default; ``None``
        if there is none at all. One cheap read (an HMGET, or a small file)."""
        return self.promoted_pointer() or self.default_pointer()

    # -- bundles -----------------------------------------------------------------------------------------------
    def locate(self, pointer: ModelPointer) -> Path:
        """The directory of the pointer's bundle, with ``model.npz`` matching its checksum.

        Looked up in ``models_dir``, then the default bundle, then fetched from Redis into ``models_dir``.

        :param pointer: the pointer to resolve.
        :raises BundleError: if the local bundle is of an old format.
        :raises ModelStoreError: if it cannot be found or does not match.
        """
        path = self.models_dir / pointer.version
        if is_bundle(path):
            read_metadata(path)  # refuses a format-1 bundle with its one-line message
            if sha256_file(path / MODEL_FILE) != pointer.sha256:
                raise ModelStoreError(f"{path}: {MODEL_FILE} does not match the current checksum "
                                      f"{pointer.sha256[:12]}…")
            return path
        default = self.default_model
        if default is not None and is_bundle(default) and (default / MODEL_FILE).exists() and \
                sha256_file(default / MODEL_FILE) == pointer.sha256:
            return default
        if self.redis is None:
            raise ModelStoreError(f"bundle {pointer.version} is not in {self.models_dir}")
        return self.fetch(pointer.version, pointer.sha256)

    def fetch(self, version: str, sha256: str | None = None) -> Path:
        """Unpack a bundle stored in Redis into ``models_dir`` (checksum from its metadata if not given).

        :param version: the version.
        :param sha256: the expected checksum of its ``model.npz``.
        :raises ModelStoreError: if Redis does not hold it or it does not match.
        """
        raw = self.redis.get(keys.model_bundle_key(self.prefix, version)) if self.redis is not None else None
        if raw is None:
            raise ModelStoreError(f"bundle {version} is neither in {self.models_dir} nor in Redis")
        data = base64.b64decode(raw if isinstance(raw, bytes) else raw.encode())
        expected = sha256 or str(_zipped_metadata(data).get("model_sha256", ""))
        try:
            return unzip_bundle(data, self.models_dir, version=version, sha256=expected)
        except BundleError as exc:
            raise ModelStoreError(str(exc)) from exc

    def current_path(self) -> Path:
        """The current bundle's directory (fetched if needed).

        :raises NoModelError: if no model is current.
        :raises ModelStoreError: if it cannot be found.
        """
        pointer = self.pointer()
        if pointer is None:
            raise NoModelError(f"no current model (looked in: {self.describe()}); train and promote one: "
                               "make train && make promote")
        return self.locate(pointer)

    def verify_current(self) -> ModelPointer:
        """Resolve, locate and verify (checksum, signature, format) the current bundle, without building a
        scorer: what a worker's main process checks before it consumes.

        :raises NoModelError: if no model is current.
        :raises ModelStoreError: if it cannot be found.
        :raises BundleError: if it does not verify.
        """
        pointer = self.pointer()
        if pointer is None:
            raise NoModelError(f"no current model (looked in: {self.describe()})")
        load_state(self.locate(pointer))
        return pointer


def _zipped_metadata(data: bytes) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            metadata = json.loads(archive.read(METADATA_FILE))
    except (zipfile.BadZipFile, KeyError, ValueError):
        return {}
    return metadata if isinstance(metadata, dict) else {}


def current_bundle(store: ModelStore) -> Any:
    """The current bundle's description (:class:`moderation.models.bundle.BundleInfo`), or ``None`` if none.

    :param store: the store to resolve with.
    """
    pointer = store.pointer()
    return bundle_info(store.locate(pointer)) if pointer is not None else None


class CurrentModel:
    """The current model's scorer, loaded once and swapped when the pointer changes.

    ``get()`` is called per batch: at most every ``refresh_seconds`` it reads the pointer (one Redis HMGET,
    or the small ``CURRENT`` file); when the version or checksum changed it fetches the bundle (from Redis
    into the local models directory if missing), verifies and loads it, and swaps it in. If the new bundle
    cannot be loaded, the old scorer keeps serving and the error is logged (and retried later). Before any
    model was loaded, every ``get()`` tries to load one (so a worker serves as soon as one is promoted).

    :param store: where the pointer and bundles are read.
    :param refresh_seconds: minimum interval between pointer checks (0 checks on every call).
    """

    def __init__(self, store: ModelStore, refresh_seconds: float = 2.0) -> None:
        self.store = store
        self.refresh_seconds = refresh_seconds
        self._scorer: Any | None = None
        self._pointer: ModelPointer | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._last_error = ""

    @property
    def version(self) -> str | None:
        """Version of the loaded scorer, or ``None`` while none is loaded."""
        return self._pointer.version if self._pointer else None

    @property
    def source(self) -> str | None:
        """Where the loaded scorer's pointer came from (``redis``, ``file``, ``default``), or ``None``."""
        return self._pointer.source if self._pointer else None

    @property
    def loaded(self) -> bool:
        """Whether a scorer is loaded."""
        return self._scorer is not None

    def get(self) -> Any:
        """The scorer to use for the next batch (a :class:`moderation.judging.scoring.Scorer`).

        :raises NoModelError: if no model is current and none was loaded yet.
        :raises ModelStoreError: if the first model cannot be found.
        :raises BundleError: if the first model cannot be loaded.
        """
        scorer = self._scorer
        if scorer is not None and time.monotonic() - self._checked < self.refresh_seconds:
            return scorer
        with self._lock:
            if self._scorer is None:
                self._load_first()
            elif time.monotonic() - self._checked >= self.refresh_seconds:
                self._refresh()
            return self._scorer

    def poll(self) -> bool:
        """Refresh (or first load) when due, never raising; whether a scorer is loaded afterwards.

        An error is logged once per distinct message (a waiting worker does not fill its log).
        """
        try:
            self.get()
        except Exception as exc:  # a missing model, Redis down, a bad bundle: reported, never fatal here
            message = f"{type(exc).__name__}: {exc}"
            if message != self._last_error:
                log.warning("waiting for a model: %s", message)
                self._last_error = message
        return self.loaded

    def _load_first(self) -> None:
        pointer = self.store.pointer()
        if pointer is None:
            raise NoModelError(f"no current model (looked in: {self.store.describe()}); train and promote one: "
                               "make train && make promote")
        self._scorer = load_bundle(self.store.locate(pointer))
        self._pointer = pointer
        self._checked = time.monotonic()
        self._last_error = ""
        log.info("model loaded", extra={"fields": {"version": pointer.version, "source": pointer.source}})

    def _refresh(self) -> None:
        self._checked = time.monotonic()
        try:
            pointer = self.store.pointer()
        except Exception as exc:  # Redis down: keep serving the loaded model
            log.warning("cannot read the model pointer: %s", exc)
            return
        if pointer is None or self._pointer is None or pointer.key == self._pointer.key:
            if pointer is not None and self._pointer is not None and pointer.source != self._pointer.source:
                self._pointer = pointer  # same bundle, now named by another source (e.g. promoted to Redis)
            return
        try:
            scorer = load_bundle(self.store.locate(pointer))
        except (BundleError, ModelStoreError, OSError) as exc:
            log.error("cannot load current model %s, keeping %s: %s", pointer.version, self.version, exc)
            return
        old = self.version
        self._scorer, self._pointer = scorer, pointer
        log.info("model hot-reloaded", extra={"fields": {"version": pointer.version, "previous": old,
                                                         "source": pointer.source}})
