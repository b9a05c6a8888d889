"""Hot reload: the scorer of the current model, refreshed when a promotion or rollback moves the pointer."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from training.bundle import BundleError, load_bundle

if TYPE_CHECKING:
    from training.registry import ModelRegistry

log = logging.getLogger("training.current")


class CurrentModel:
    """The current model's scorer, loaded once and swapped when the pointer changes.

    ``get()`` is called per batch: at most every ``refresh_seconds`` it reads the pointer (one Redis HMGET,
    or the small ``CURRENT`` file without Redis); when the version or checksum changed it fetches the bundle
    (from Redis into the local models directory if missing), verifies and loads it, and swaps it in. If the
    new bundle cannot be loaded, the old scorer keeps serving and the error is logged (and retried later).

    :param registry: the model registry.
    :param refresh_seconds: minimum interval between pointer checks (0 checks on every call).
    """

    def __init__(self, registry: ModelRegistry, refresh_seconds: float = 2.0) -> None:
        self.registry = registry
        self.refresh_seconds = refresh_seconds
        self._scorer: Any | None = None
        self._pointer: tuple[str, str] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    @property
    def version(self) -> str | None:
        """Version of the loaded scorer, or ``None`` before the first :meth:`get`."""
        return self._pointer[0] if self._pointer else None

    def get(self) -> Any:
        """The scorer to use for the next batch (a :class:`moderation.scoring.Scorer`).

        :raises RegistryError: if no model was ever promoted (the first load only).
        :raises BundleError: if the first model cannot be loaded.
        """
        scorer = self._scorer
        now = time.monotonic()
        if scorer is not None and now - self._checked < self.refresh_seconds:
            return scorer
        with self._lock:
            if self._scorer is None:
                self._load_first()
            elif time.monotonic() - self._checked >= self.refresh_seconds:
                self._refresh()
            return self._scorer

    def _load_first(self) -> None:
        from training.registry import RegistryError

        pointer = self.registry.current_pointer()
        if pointer is None:
            raise RegistryError(
                f"no current model (models dir {self.registry.models_dir}, prefix {self.registry.prefix}); "
                "train and promote one: python -m training train && python -m training promote <version>"
            )
        self._scorer = load_bundle(self.registry.ensure_local(*pointer))
        self._pointer = pointer
        self._checked = time.monotonic()
        log.info("model loaded", extra={"fields": {"version": pointer[0]}})

    def _refresh(self) -> None:
        from training.registry import RegistryError

        self._checked = time.monotonic()
        try:
            pointer = self.registry.current_pointer()
        except Exception as exc:  # Redis down: keep serving the loaded model
            log.warning("cannot read the model pointer: %s", exc)
            return
        if pointer is None or pointer == self._pointer:
            return
        try:
            scorer = load_bundle(self.registry.ensure_local(*pointer))
        except (BundleError, RegistryError, OSError) as exc:
            log.error("cannot load promoted model %s, keeping %s: %s", pointer[0], self.version, exc)
            return
        old = self.version
        self._scorer, self._pointer = scorer, pointer
        log.info("model hot-reloaded", extra={"fields": {"version": pointer[0], "previous": old}})
