"""The model registry: promotion (with a quality gate), rollback, history and the list of bundles.

Reading the current model — the one resolution (Redis pointer, ``models/CURRENT``, the shipped default),
locating and fetching bundles — is :class:`moderation.models.current.ModelStore`, which this class extends
with the writing side. Without Redis the pointer is the file ``<models>/CURRENT`` and the promotion history
``<models>/HISTORY.json``. With Redis (shared by workers on several machines with no shared disk) the truth
is in Redis, and the local files are kept as a mirror:

* hash ``keys.model_current_key(prefix)``: ``version``, ``sha256``, ``promoted_at``;
* string ``<prefix>:model:bundle:<version>``: the zipped bundle, base64 (so decoded connections work too);
* list ``<prefix>:model:history``: promoted versions, oldest first (rollback pops the last one);
* a JSON message on ``keys.model_channel(prefix)`` for each promotion or rollback.
"""

from __future__ import annotations

import base64
import builtins
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from moderation import keys
from moderation.models.bundle import (
    BundleError,
    BundleInfo,
    bundle_info,
    is_bundle,
    load_bundle,
    read_metadata,
    zip_bundle,
)
from moderation.models.current import CURRENT_FILE, ModelPointer, ModelStore, ModelStoreError
from training.examples import Example

HISTORY_FILE = "HISTORY.json"


class RegistryError(ModelStoreError):
    """A registry operation cannot be done (unknown version, nothing to roll back to...)."""


class PromotionRefused(RegistryError):
    """The candidate is worse than the current model on the evaluation data.

    :param message: what is worse, head by head.
    :param comparison: head -> metric -> (candidate, current).
    """

    def __init__(self, message: str, comparison: dict[str, dict[str, tuple[float, float]]]) -> None:
        super().__init__(message)
        self.comparison = comparison


bundle_key = keys.model_bundle_key
history_key = keys.model_history_key


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class ModelRegistry(ModelStore):
    """Bundles under ``models_dir``, their promotion and rollback (the pointer in Redis when given, else in
    ``CURRENT``), on top of the store's reading side.

    :param models_dir: local bundle directory (also the cache for bundles fetched from Redis).
    :param redis: a redis-py client (decoded or not), or ``None`` for a single machine.
    :param prefix: key prefix.
    :param default_model: the shipped default bundle, served (and compared with) when nothing was promoted.
    """

    # -- bundles ---------------------------------------------------------------------------------------
    def list(self) -> list[BundleInfo]:
        """Local bundles, oldest version first (directories without valid metadata, or of an old format, are
        skipped)."""
        if not self.models_dir.is_dir():
            return []
        found = []
        for path in sorted(self.models_dir.iterdir()):
            if path.is_dir() and not path.name.startswith(".") and is_bundle(path):
                try:
                    found.append(bundle_info(path))
                except BundleError:
                    continue
        return sorted(found, key=lambda info: info.version)

    def get(self, version: str) -> BundleInfo:
        """One bundle by version, fetched from Redis into ``models_dir`` when only Redis has it.

        :param version: the version string.
        :raises RegistryError: if neither the disk nor Redis has it.
        """
        path = self.models_dir / version
        if is_bundle(path):
            return bundle_info(path)
        if self.redis is not None and self.redis.exists(bundle_key(self.prefix, version)):
            try:
                return bundle_info(self.fetch(version))
            except (BundleError, ModelStoreError) as exc:
                raise RegistryError(str(exc)) from exc
        raise RegistryError(f"no bundle {version!r} in {self.models_dir}" + (" or Redis" if self.redis else ""))

    def ensure_local(self, version: str, sha256: str) -> Path:
        """The local directory of ``version`` with ``model.npz`` matching ``sha256`` (fetched if needed).

        :param version: the version string.
        :param sha256: the expected checksum of ``model.npz``.
        :raises RegistryError: if it cannot be found or does not match.
        """
        try:
            return self.locate(ModelPointer(version, sha256, "registry"))
        except ModelStoreError as exc:
            raise RegistryError(str(exc)) from exc

    def resolve(self, version_or_path: str | Path) -> BundleInfo:
        """A bundle by version or by directory; a directory outside ``models_dir`` is copied into it.

        :param version_or_path: version string, bundle directory, ``"current"``, or ``"latest"`` (the newest).
        """
        if str(version_or_path) == "latest":
            bundles = self.list()
            if not bundles:
                raise RegistryError(f"no bundles in {self.models_dir}")
            return max(bundles, key=lambda b: b.version)  # versions start with their UTC training time
        if str(version_or_path) == "current":
            current = self.current()
            if current is None:
                raise RegistryError("no current model")
            return current
        path = Path(version_or_path)
        if is_bundle(path):
            info = bundle_info(path)
            local = self.models_dir / info.version
            if path.resolve() != local.resolve():
                if local.exists():
                    return self.get(info.version)
                self.models_dir.mkdir(parents=True, exist_ok=True)
                shutil.copytree(path, local)
            return bundle_info(local)
        return self.get(str(version_or_path))

    def load(self, version: str) -> Any:
        """Load a bundle as a scorer.

        :param version: the version string.
        """
        return load_bundle(self.get(version).path)

    # -- pointer and history ---------------------------------------------------------------------------
    def current_pointer(self) -> ModelPointer | None:
        """The current model's pointer: the store's one resolution (Redis, ``CURRENT``, shipped default)."""
        return self.pointer()

    def current(self) -> BundleInfo | None:
        """The current bundle (fetched locally if needed), or ``None`` if there is none at all."""
        pointer = self.pointer()
        if pointer is None:
            return None
        try:
            return bundle_info(self.locate(pointer))
        except ModelStoreError as exc:
            raise RegistryError(str(exc)) from exc

    def history(self) -> builtins.list[str]:
        """Promoted versions, oldest first (the last one is current)."""
        if self.redis is not None:
            return [_text(v) for v in self.redis.lrange(history_key(self.prefix), 0, -1)]
        try:
            return [str(v) for v in json.loads((self.models_dir / HISTORY_FILE).read_text())]
        except (OSError, ValueError):
            return []

    def promote(
        self, version: str | Path, *, force: bool = False, eval_data: Sequence[Example] | None = None,
        eval_files: Sequence[str] = (), report: Callable[[str], None] | None = None,
    ) -> BundleInfo:
        """Make a bundle current, after checking it is not worse than the current one.

        :param version: version string or bundle directory.
        :param force: skip the quality gate.
        :param eval_data: labelled examples both models are evaluated on. Without them the gate uses the
            candidate's held-out split, else the metrics both bundles recorded on the same evaluation data
            (``metadata["metrics"]``), and refuses when there are none (:mod:`training.gate`).
        :param eval_files: the files ``eval_data`` was read from (named in the verdict).
        :param report: receives the gate's verdict, line by line (what improved, what got worse).
        :raises PromotionRefused: if the candidate is worse, or cannot be compared, and ``force`` is false.
        :raises BundleError: if the candidate does not load (tampered, incompatible).
        """
        info = self.resolve(version)
        candidate = load_bundle(info.path)  # refuses tampered or incompatible bundles, even when forced
        try:
            current = self.current()
        except (BundleError, ModelStoreError):
            current = None  # the pointer names a bundle that cannot be read (gone, format 1): nothing to compare
        if current is not None and current.version != info.version and not force:
            self._gate(info, candidate, current, eval_data, eval_files, report)
        self._set_current(info, action="promote")
        return info

    def rollback(self) -> BundleInfo:
        """Go back to the previously promoted model; from the first promotion, back to the shipped default.

        :raises RegistryError: if there is no earlier promotion and no shipped default to return to.
        """
        history = self.history()
        if len(history) < 2:
            return self._back_to_default(history)
        previous = history[-2]
        info = self.get(previous)
        load_bundle(info.path)
        self._set_current(info, action="rollback")
        return info

    def _back_to_default(self, history: builtins.list[str]) -> BundleInfo:
        """Forget every promotion: the shipped default bundle serves again (the history empties).

        The pointer names the shipped bundle (every machine has it with the package) rather than disappearing,
        so a machine whose local ``CURRENT`` still names the rolled-back model follows too.
        """
        if not history or self.default_model is None or self.default_pointer() is None:
            what = "no promotion in the history" if not history else "no shipped default bundle to return to"
            raise RegistryError(f"nothing to roll back to: {what}")
        info = bundle_info(self.default_model)
        load_bundle(info.path)
        now = time.time()
        if self.redis is not None:
            pipe = self.redis.pipeline(transaction=True)
            pipe.hset(keys.model_current_key(self.prefix),
                      mapping={"version": info.version, "sha256": info.sha256, "promoted_at": f"{now:.3f}",
                               "path": str(info.path), "promoted_by": _who()})
            pipe.delete(history_key(self.prefix))
            message = {"action": "rollback", "version": info.version, "sha256": info.sha256, "at": now}
            pipe.publish(keys.model_channel(self.prefix), json.dumps(message))
            pipe.execute()
        self._write_local(CURRENT_FILE, {"version": info.version, "sha256": info.sha256, "promoted_at": now})
        self._write_local(HISTORY_FILE, [])
        return info

    def _gate(
        self, info: BundleInfo, candidate: Any, current: BundleInfo, data: Sequence[Example] | None,
        files: Sequence[str] = (), report: Callable[[str], None] | None = None,
    ) -> None:
        from training.fairness import model_fairness
        from training.gate import NoEvidence, check_promotion  # the gate's logic lives there

        try:
            verdict = check_promotion(info, candidate, current, data, files, fairness=model_fairness)
        except NoEvidence as exc:
            raise PromotionRefused(str(exc), {}) from exc
        for line in verdict.lines() if report else ():
            report(line)  # type: ignore[misc]
        if not verdict.passed:
            raise PromotionRefused(verdict.reason(), verdict.comparison())

    def _set_current(self, info: BundleInfo, *, action: str) -> None:
        now = time.time()
        if self.redis is not None:
            key = bundle_key(self.prefix, info.version)
            if not self.redis.exists(key):
                self.redis.set(key, base64.b64encode(zip_bundle(info.path)))
            pipe = self.redis.pipeline(transaction=True)
            pipe.hset(
                keys.model_current_key(self.prefix),
                mapping={"version": info.version, "sha256": info.sha256, "promoted_at": f"{now:.3f}",
                         "path": str(info.path), "promoted_by": _who()},
            )
            if action == "promote":
                pipe.rpush(history_key(self.prefix), info.version)
            else:
                pipe.rpop(history_key(self.prefix))
            message = {"action": action, "version": info.version, "sha256": info.sha256, "at": now}
            pipe.publish(keys.model_channel(self.prefix), json.dumps(message))
            pipe.execute()
        history = self.history() if self.redis is not None else self._local_history(info.version, action)
        self._write_local(CURRENT_FILE, {"version": info.version, "sha256": info.sha256, "promoted_at": now})
        self._write_local(HISTORY_FILE, history)

    def _local_history(self, version: str, action: str) -> builtins.list[str]:
        history = self.history()
        return [*history, version] if action == "promote" else history[:-1]

    def _write_local(self, name: str, data: Any) -> None:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.models_dir / f".{name}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data))
        os.replace(tmp, self.models_dir / name)


def _who() -> str:
    """Who promotes or rolls back (``$USER``, else the login name), as the moderators' console shows it."""
    try:
        import getpass

        return os.environ.get("USER") or getpass.getuser() or "unknown"
    except (OSError, KeyError):
        return "unknown"


__all__ = [
    "CURRENT_FILE",
    "BundleError",
    "BundleInfo",
    "ModelRegistry",
    "PromotionRefused",
    "RegistryError",
    "read_metadata",
]
