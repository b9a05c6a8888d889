"""Model bundles (format 2): a directory ``<version>/`` with ``model.npz`` and ``metadata.json``.

``model.npz`` holds the model state (:mod:`moderation.judging.scoring`) in a version-independent form: a numpy
``savez_compressed`` archive whose entries are plain numeric arrays, plus one entry, ``__state__.json`` (a
``uint8`` array of UTF-8 JSON), holding the rest of the state — dicts, lists, strings, numbers, booleans and
``None`` — with each array replaced by a reference ``{"__array__": "<entry name>"}``. Entry names follow the
array's place in the state (``coef``, ``calibration/toxic/x``), so the file reads well with ``numpy.load``.
The state may grow new keys, nested dicts and per-language arrays: nothing here knows its layout.

Loading uses ``numpy.load(allow_pickle=False)`` and accepts only numeric (and fixed-width text) arrays, so a
bundle can never run code, and it checks no library versions: a committed bundle loads on any supported
numpy / scikit-learn (the versions it was made with stay in the metadata, for information). What is checked,
before anything is parsed: the sha256 of ``model.npz`` against the metadata, and the HMAC signature when
``MODERATION_MODEL_KEY`` is set (:mod:`moderation.models.signing`). Format-1 bundles (``model.skops``) are refused
with a one-line message to retrain. A bundle is never overwritten.

numpy is imported only by the functions that need it: client-side modules may import this one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from moderation.models.signing import SignatureError, signature_fields
from moderation.models.signing import verify as verify_signature

MODEL_FILE = "model.npz"
METADATA_FILE = "metadata.json"
#: The files of a bundle directory (what Redis transport zips).
BUNDLE_FILES: tuple[str, ...] = (MODEL_FILE, METADATA_FILE)
BUNDLE_FORMAT = 2
#: The model file of format-1 bundles (skops), refused since format 2.
LEGACY_MODEL_FILE = "model.skops"
#: The npz entry holding the state's JSON structure.
STATE_ENTRY = "__state__.json"
#: The key of a JSON object that stands for an array entry.
ARRAY_REF = "__array__"
#: numpy dtype kinds a bundle may hold: booleans, integers, floats, complex, fixed-width text. Never object
#: (``O``, pickles) or void (``V``, raw records).
ARRAY_KINDS = frozenset("biufcU")
#: The directory of the default model shipped with the package (used when no other model is current).
SHIPPED_MODEL_DIR = Path(__file__).resolve().parent / "data" / "default_model"
#: Distributions whose versions a bundle records (for information only: loading checks none of them).
RECORDED_LIBRARIES: Mapping[str, str] = {"numpy": "numpy", "scipy": "scipy", "sklearn": "scikit-learn"}


class BundleError(Exception):
    """A bundle cannot be saved or loaded (missing, tampered, malformed, old format, or already exists)."""


@dataclass(frozen=True)
class BundleInfo:
    """What is known about one bundle from its metadata.

    :param version: the version string (also the directory name).
    :param path: the bundle directory.
    :param created_at: ISO creation time (UTC).
    :param sha256: checksum of ``model.npz``.
    :param heads: the model's heads.
    :param metadata: the whole ``metadata.json``.
    """

    version: str
    path: Path
    created_at: str
    sha256: str
    heads: tuple[str, ...]
    metadata: Mapping[str, Any] = field(repr=False, default_factory=dict)


def library_versions() -> dict[str, str]:
    """Versions of Python and of the libraries a model was made with (without importing them)."""
    found = {"python": platform.python_version()}
    for name, distribution in RECORDED_LIBRARIES.items():
        try:
            found[name] = importlib_metadata.version(distribution)
        except importlib_metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file.

    :param path: the file.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_version(model_bytes: bytes, now: datetime | None = None) -> str:
    """A version like ``20261128-101500-ab12cd``: UTC time plus a short hash of the model and a nonce.

    :param model_bytes: the serialized model.
    :param now: the creation time (default: now).
    """
    now = now or datetime.now(UTC)
    short = hashlib.sha256(model_bytes + secrets.token_bytes(8)).hexdigest()[:6]
    return f"{now:%Y%m%d-%H%M%S}-{short}"


# -- the state <-> npz encoding ------------------------------------------------------------------------------


def _entry_name(path: tuple[str, ...], used: set[str]) -> str:
    base = "/".join(path) or "array"
    name, n = base, 1
    while name in used or name == STATE_ENTRY:
        n += 1
        name = f"{base}~{n}"
    used.add(name)
    return name


def split_state(state: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Separate a state into its JSON structure and its arrays.

    :param state: the model state: dicts with str keys, lists or tuples (stored as lists), str, int, float,
        bool, None, numpy scalars (stored as Python numbers) and numpy arrays of :data:`ARRAY_KINDS`.
    :returns: the JSON-ready structure (arrays replaced by ``{"__array__": name}``) and the arrays by name.
    :raises BundleError: naming the place of any other value.
    """
    import numpy as np

    arrays: dict[str, Any] = {}

    def walk(value: Any, path: tuple[str, ...]) -> Any:
        where = "/".join(path) or "<state>"
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in ARRAY_KINDS:
                raise BundleError(f"state {where}: arrays of dtype {value.dtype} cannot be stored (numeric only)")
            name = _entry_name(path, set(arrays))
            arrays[name] = value
            return {ARRAY_REF: name}
        if isinstance(value, np.generic):
            return walk(value.item(), path)
        if isinstance(value, Mapping):
            out = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    raise BundleError(f"state {where}: dict keys must be strings, not {type(key).__name__}")
                if key == ARRAY_REF:
                    raise BundleError(f"state {where}: the key {ARRAY_REF!r} is reserved")
                out[key] = walk(item, (*path, key))
            return out
        if isinstance(value, list | tuple):
            return [walk(item, (*path, str(i))) for i, item in enumerate(value)]
        if value is None or isinstance(value, str | bool | int | float):
            return value
        raise BundleError(f"state {where}: a {type(value).__name__} cannot be stored in a bundle")

    return walk(state, ()), arrays


def state_to_npz(state: Mapping[str, Any]) -> bytes:
    """The ``model.npz`` bytes of a state (``numpy.savez_compressed``).

    :param state: the model state (see :func:`split_state`).
    """
    import numpy as np

    tree, arrays = split_state(state)
    text = json.dumps(tree, ensure_ascii=False, sort_keys=True, allow_nan=True).encode("utf-8")
    buffer = io.BytesIO()
    entries: dict[str, Any] = {STATE_ENTRY: np.frombuffer(text, dtype=np.uint8), **arrays}
    np.savez_compressed(buffer, **entries)
    return buffer.getvalue()


def state_from_npz(data: bytes, where: str = "model.npz") -> dict[str, Any]:
    """Rebuild a state from ``model.npz`` bytes, refusing anything but plain arrays and JSON.

    :param data: the file's bytes.
    :param where: how to name the file in errors.
    :raises BundleError: if the file is not such an archive, holds pickles, object or void arrays, or
        references entries that are missing (or holds entries nothing references).
    """
    import numpy as np

    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            if not hasattr(archive, "files"):
                raise BundleError(f"{where}: not an npz archive")
            entries = {name: archive[name] for name in archive.files}
    except BundleError:
        raise
    except Exception as exc:  # numpy raises ValueError (pickles, object arrays), OSError, zip errors...
        raise BundleError(f"{where}: not a readable npz archive of plain arrays: {exc}") from exc
    raw = entries.pop(STATE_ENTRY, None)
    if raw is None or raw.dtype != np.uint8 or raw.ndim != 1:
        raise BundleError(f"{where}: lacks its {STATE_ENTRY} entry")
    for name, array in entries.items():
        if array.dtype.kind not in ARRAY_KINDS:
            raise BundleError(f"{where}: entry {name!r} has dtype {array.dtype}, which bundles never hold")
    try:
        tree = json.loads(raw.tobytes().decode("utf-8"))
    except ValueError as exc:
        raise BundleError(f"{where}: {STATE_ENTRY} is not JSON: {exc}") from exc
    used: set[str] = set()

    def build(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {ARRAY_REF}:
                name = node[ARRAY_REF]
                if not isinstance(name, str) or name not in entries:
                    raise BundleError(f"{where}: the state references a missing array {name!r}")
                used.add(name)
                return entries[name]
            return {key: build(value) for key, value in node.items()}
        if isinstance(node, list):
            return [build(value) for value in node]
        return node

    state = build(tree)
    if not isinstance(state, dict):
        raise BundleError(f"{where}: does not hold a model state")
    extra = sorted(set(entries) - used)
    if extra:
        raise BundleError(f"{where}: holds entries the state never references: {extra[:5]}")
    return state


# -- bundle directories ----------------------------------------------------------------------------------------


def save_bundle(state: Mapping[str, Any], out_root: Path, metadata: Mapping[str, Any]) -> Path:
    """Write ``state`` as a new bundle directory under ``out_root``.

    :param state: the model state.
    :param out_root: the models directory.
    :param metadata: extra metadata (data hash, params, heads, metrics...); identity fields are added.
    :returns: the new bundle directory.
    :raises BundleError: if a bundle with the same version exists (never overwritten), or the state holds a
        value a bundle cannot store.
    """
    model_bytes = state_to_npz(state)
    now = datetime.now(UTC)
    version = str(metadata.get("version") or new_version(model_bytes, now))
    out_root.mkdir(parents=True, exist_ok=True)
    target = out_root / version
    if target.exists():
        raise BundleError(f"bundle {version} already exists in {out_root}; refusing to overwrite it")
    checksum = hashlib.sha256(model_bytes).hexdigest()
    full = {
        **metadata,
        "version": version,
        "bundle_format": BUNDLE_FORMAT,
        "created_at": now.isoformat(timespec="seconds"),
        "libraries": library_versions(),
        "model_file": MODEL_FILE,
        "model_sha256": checksum,
        "model_bytes": len(model_bytes),
        **signature_fields(checksum),  # when MODERATION_MODEL_KEY is set
    }
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=out_root))
    try:
        (staging / MODEL_FILE).write_bytes(model_bytes)
        (staging / METADATA_FILE).write_text(json.dumps(full, indent=2, sort_keys=True, default=_json_default))
        try:
            os.rename(staging, target)  # atomic; fails if target appeared meanwhile (non-empty dir)
        except OSError as exc:
            raise BundleError(f"bundle {version} already exists in {out_root}; refusing to overwrite it") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def is_bundle(path: Path) -> bool:
    """Whether ``path`` looks like a bundle directory of any format (a metadata file and a model file).

    :param path: a directory.
    """
    return (path / METADATA_FILE).is_file() and ((path / MODEL_FILE).is_file() or (path / LEGACY_MODEL_FILE).is_file())


def _refuse_legacy(path: Path, data: Mapping[str, Any]) -> None:
    old_format = int(data.get("bundle_format") or 1) < BUNDLE_FORMAT
    only_skops = (path / LEGACY_MODEL_FILE).exists() and not (path / MODEL_FILE).exists()
    if old_format or only_skops:
        raise BundleError(
            f"{path}: bundle {data.get('version', path.name)} is format 1 ({LEGACY_MODEL_FILE}), which this "
            "version no longer loads; retrain it: make train (or python -m training train)"
        )


def read_metadata(path: Path) -> dict[str, Any]:
    """The bundle's ``metadata.json``.

    :param path: the bundle directory.
    :raises BundleError: if missing or unreadable, or the bundle is of the old format 1.
    """
    try:
        data = json.loads((path / METADATA_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise BundleError(f"{path}: cannot read {METADATA_FILE}: {exc}") from exc
    if not isinstance(data, dict) or "version" not in data or "model_sha256" not in data:
        raise BundleError(f"{path}: {METADATA_FILE} lacks version or model_sha256")
    _refuse_legacy(path, data)
    return data


def write_metadata(path: Path, metadata: Mapping[str, Any]) -> None:
    """Replace ``metadata.json`` atomically (e.g. to record evaluation metrics).

    :param path: the bundle directory.
    :param metadata: the complete new metadata.
    """
    tmp = path / f".{METADATA_FILE}.tmp"
    tmp.write_text(json.dumps(dict(metadata), indent=2, sort_keys=True, default=_json_default))
    os.replace(tmp, path / METADATA_FILE)


def bundle_info(path: Path) -> BundleInfo:
    """Describe a bundle from its metadata (no checksum, no parsing of the model).

    :param path: the bundle directory.
    :raises BundleError: see :func:`read_metadata`.
    """
    meta = read_metadata(path)
    return BundleInfo(
        version=str(meta["version"]),
        path=path,
        created_at=str(meta.get("created_at", "")),
        sha256=str(meta["model_sha256"]),
        heads=tuple(meta.get("heads", ())),
        metadata=meta,
    )


def load_state(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify and read a bundle's model state.

    :param path: the bundle directory.
    :returns: the state and the metadata.
    :raises BundleError: if the bundle is of format 1, the checksum or signature does not match, or the file
        holds anything but plain arrays and JSON.
    """
    meta = read_metadata(path)
    try:
        model_bytes = (path / MODEL_FILE).read_bytes()
    except OSError as exc:
        raise BundleError(f"{path}: cannot read {MODEL_FILE}: {exc}") from exc
    actual = hashlib.sha256(model_bytes).hexdigest()
    if actual != meta["model_sha256"]:
        raise BundleError(
            f"{path}: {MODEL_FILE} checksum {actual[:12]}… does not match metadata "
            f"{str(meta['model_sha256'])[:12]}…; the file was modified or corrupted, refusing to load it"
        )
    try:
        verify_signature(meta, actual, where=str(path))  # when MODERATION_MODEL_KEY is set
    except SignatureError as exc:
        raise BundleError(str(exc)) from exc
    return state_from_npz(model_bytes, where=f"{path}/{MODEL_FILE}"), meta


def load_bundle(path: Path) -> Any:
    """Load a bundle as a :class:`moderation.judging.scoring.Scorer`, after verifying it.

    :param path: the bundle directory.
    :raises BundleError: see :func:`load_state`, or the state is not a valid model.
    """
    from moderation.judging.scoring import Scorer

    state, meta = load_state(path)
    try:
        return Scorer(state, str(meta["version"]))
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        raise BundleError(f"{path}: invalid model state: {exc}") from exc


# -- transport (Redis) -----------------------------------------------------------------------------------------


def zip_bundle(path: Path) -> bytes:
    """The bundle's files as zip bytes (for storing in Redis).

    :param path: the bundle directory.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in BUNDLE_FILES:
            archive.write(path / name, arcname=name)
    return buffer.getvalue()


def unzip_bundle(data: bytes, out_root: Path, *, version: str, sha256: str) -> Path:
    """Write a zipped bundle under ``out_root`` (if not there yet), checking version and checksum.

    :param data: bytes made by :func:`zip_bundle`.
    :param out_root: the local models (cache) directory.
    :param version: the version the bytes must hold.
    :param sha256: the checksum ``model.npz`` must have.
    :returns: the bundle directory.
    :raises BundleError: if the archive is malformed or does not match.
    """
    target = out_root / version
    if target.is_dir() and (target / MODEL_FILE).exists() and sha256_file(target / MODEL_FILE) == sha256:
        return target
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {name: archive.read(name) for name in BUNDLE_FILES}
    except (zipfile.BadZipFile, KeyError) as exc:
        raise BundleError(f"bundle {version}: malformed archive (a format-1 bundle? retrain it): {exc}") from exc
    if hashlib.sha256(files[MODEL_FILE]).hexdigest() != sha256:
        raise BundleError(f"bundle {version}: fetched {MODEL_FILE} does not match checksum {sha256[:12]}…")
    try:
        named = json.loads(files[METADATA_FILE]).get("version")
    except (ValueError, AttributeError) as exc:
        raise BundleError(f"bundle {version}: fetched metadata is not a JSON object") from exc
    if named != version:
        raise BundleError(f"bundle {version}: fetched metadata names another version")
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=out_root))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        if target.exists():
            raise BundleError(f"{target} exists with another {MODEL_FILE}; refusing to overwrite it")
        os.rename(staging, target)
    except OSError as exc:
        if not (target.is_dir() and sha256_file(target / MODEL_FILE) == sha256):
            raise BundleError(f"cannot write bundle {version} to {out_root}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
