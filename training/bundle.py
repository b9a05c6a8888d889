"""Model bundles: a directory ``<models>/<version>/`` with ``model.skops`` and ``metadata.json``.

``model.skops`` holds the model state (:mod:`moderation.scoring`) serialized with skops, never pickle. The
state is made of plain containers and numpy arrays only, so the list of types a bundle may contain beyond
skops' defaults (:data:`TRUSTED_TYPES`) is empty: a file naming any other type is refused before anything is
built from it. ``metadata.json`` records the version, creation time, library versions, the sha256 of
``model.skops``, the training data hash, parameters, heads, examples per head and metrics. Loading checks the
checksum and the library versions first.
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
from pathlib import Path
from typing import Any

from training.signing import SignatureError, signature_fields
from training.signing import verify as verify_signature

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
BUNDLE_FORMAT = 1
#: Types a bundle may hold beyond skops' default trusted ones (containers, numbers, numpy arrays): none.
TRUSTED_TYPES: tuple[str, ...] = ()
#: Every type a bundle's skops schema may name: the model state is plain containers and numeric arrays.
#: skops trusts many more by default (e.g. scikit-learn estimators); bundles are held to this list.
BUNDLE_TYPES: frozenset[str] = frozenset(
    {"builtins.dict", "builtins.list", "builtins.tuple", "builtins.str", "builtins.int", "builtins.float",
     "builtins.bool", "numpy.ndarray", *TRUSTED_TYPES}
)  # fmt: skip
#: Libraries whose major.minor must match between the training and the loading machine.
CHECKED_LIBRARIES: tuple[str, ...] = ("sklearn", "numpy", "skops")


class BundleError(Exception):
    """A bundle cannot be saved or loaded (missing, tampered, incompatible, or already exists)."""


@dataclass(frozen=True)
class BundleInfo:
    """What the registry knows about one bundle.

    :param version: the version string (also the directory name).
    :param path: the bundle directory.
    :param created_at: ISO creation time (UTC).
    :param sha256: checksum of ``model.skops``.
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
    """Versions of Python and the libraries a model depends on."""
    import numpy
    import scipy
    import sklearn
    import skops

    return {
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "skops": skops.__version__,
    }


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


def save_bundle(state: Mapping[str, Any], out_root: Path, metadata: Mapping[str, Any]) -> Path:
    """Serialize ``state`` into a new bundle directory under ``out_root``.

    :param state: the model state.
    :param out_root: the models directory.
    :param metadata: extra metadata (data hash, params, heads, metrics...); identity fields are added.
    :returns: the new bundle directory.
    :raises BundleError: if a bundle with the same version exists (never overwritten).
    """
    import skops.io

    model_bytes = skops.io.dumps(dict(state), compression=zipfile.ZIP_DEFLATED)
    now = datetime.now(UTC)
    version = str(metadata.get("version") or new_version(model_bytes, now))
    out_root.mkdir(parents=True, exist_ok=True)
    target = out_root / version
    if target.exists():
        raise BundleError(f"bundle {version} already exists in {out_root}; refusing to overwrite it")
    full = {
        **metadata,
        "version": version,
        "bundle_format": BUNDLE_FORMAT,
        "created_at": now.isoformat(timespec="seconds"),
        "libraries": library_versions(),
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "model_bytes": len(model_bytes),
        "trusted_types": list(TRUSTED_TYPES),
        **signature_fields(hashlib.sha256(model_bytes).hexdigest()),  # when MODERATION_MODEL_KEY is set
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


def read_metadata(path: Path) -> dict[str, Any]:
    """The bundle's ``metadata.json``.

    :param path: the bundle directory.
    :raises BundleError: if missing or unreadable.
    """
    try:
        data = json.loads((path / METADATA_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise BundleError(f"{path}: cannot read {METADATA_FILE}: {exc}") from exc
    if not isinstance(data, dict) or "version" not in data or "model_sha256" not in data:
        raise BundleError(f"{path}: {METADATA_FILE} lacks version or model_sha256")
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
    """Describe a bundle from its metadata (no checksum, no deserialization).

    :param path: the bundle directory.
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


def _major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def check_libraries(metadata: Mapping[str, Any]) -> None:
    """Refuse a bundle made with other major.minor versions of scikit-learn, numpy or skops.

    :param metadata: the bundle's metadata.
    :raises BundleError: naming every mismatch.
    """
    saved = metadata.get("libraries", {})
    here = library_versions()
    problems = [
        f"{lib} {saved.get(lib, '?')} (bundle) vs {here[lib]} (installed)"
        for lib in CHECKED_LIBRARIES
        if _major_minor(str(saved.get(lib, ""))) != _major_minor(here[lib])
    ]
    if problems:
        raise BundleError(
            f"bundle {metadata.get('version')} was made with other library versions: {'; '.join(problems)}. "
            "Retrain it here (python -m training train) or install the matching versions."
        )


def schema_types(node: Any) -> set[str]:
    """Every ``module.class`` a skops schema names (object arrays count as ``numpy.object-array``).

    :param node: the parsed ``schema.json`` (or any node of it).
    """
    found: set[str] = set()
    if isinstance(node, dict):
        if "__class__" in node and "__module__" in node:
            found.add(f"{node['__module__']}.{node['__class__']}")
            if node.get("__loader__") == "NdArrayNode" and node.get("type") != "numpy":
                found.add("numpy.object-array")
        for value in node.values():
            found |= schema_types(value)
    elif isinstance(node, list):
        for value in node:
            found |= schema_types(value)
    return found


def load_state(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify and deserialize a bundle's model state.

    :param path: the bundle directory.
    :returns: the state and the metadata.
    :raises BundleError: if the checksum differs, the libraries differ, or the file holds unexpected types.
    """
    import skops.io

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
    check_libraries(meta)
    try:
        untrusted = skops.io.get_untrusted_types(data=model_bytes)
        with zipfile.ZipFile(io.BytesIO(model_bytes)) as archive:
            named = schema_types(json.loads(archive.read("schema.json")))
    except Exception as exc:
        raise BundleError(f"{path}: {MODEL_FILE} is not a readable skops file: {exc}") from exc
    unexpected = sorted((set(untrusted) - set(TRUSTED_TYPES)) | (named - BUNDLE_TYPES))
    if unexpected:
        raise BundleError(f"{path}: {MODEL_FILE} contains types this project never saves: {unexpected}")
    state = skops.io.loads(model_bytes, trusted=list(TRUSTED_TYPES))
    if not isinstance(state, dict):
        raise BundleError(f"{path}: {MODEL_FILE} does not hold a model state")
    return state, meta


def load_bundle(path: Path) -> Any:
    """Load a bundle as a :class:`moderation.scoring.Scorer`, after verifying it.

    :param path: the bundle directory.
    :raises BundleError: see :func:`load_state`.
    """
    from moderation.scoring import Scorer

    state, meta = load_state(path)
    try:
        return Scorer(state, str(meta["version"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise BundleError(f"{path}: invalid model state: {exc}") from exc


def zip_bundle(path: Path) -> bytes:
    """The bundle's two files as zip bytes (for storing in Redis).

    :param path: the bundle directory.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in (MODEL_FILE, METADATA_FILE):
            archive.write(path / name, arcname=name)
    return buffer.getvalue()


def unzip_bundle(data: bytes, out_root: Path, *, version: str, sha256: str) -> Path:
    """Write a zipped bundle under ``out_root`` (if not there yet), checking version and checksum.

    :param data: bytes made by :func:`zip_bundle`.
    :param out_root: the local models (cache) directory.
    :param version: the version the bytes must hold.
    :param sha256: the checksum ``model.skops`` must have.
    :returns: the bundle directory.
    :raises BundleError: if the archive is malformed or does not match.
    """
    target = out_root / version
    if target.is_dir() and sha256_file(target / MODEL_FILE) == sha256:
        return target
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {name: archive.read(name) for name in (MODEL_FILE, METADATA_FILE)}
    except (zipfile.BadZipFile, KeyError) as exc:
        raise BundleError(f"bundle {version}: malformed archive: {exc}") from exc
    if hashlib.sha256(files[MODEL_FILE]).hexdigest() != sha256:
        raise BundleError(f"bundle {version}: fetched {MODEL_FILE} does not match checksum {sha256[:12]}…")
    if json.loads(files[METADATA_FILE]).get("version") != version:
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
