"""Bundles (format 2): npz round trip, no version checks, integrity, refusals, no overwrite, transport."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import shutil
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from moderation.models.bundle import (
    BUNDLE_FORMAT,
    LEGACY_MODEL_FILE,
    METADATA_FILE,
    MODEL_FILE,
    STATE_ENTRY,
    BundleError,
    bundle_info,
    load_bundle,
    load_state,
    read_metadata,
    save_bundle,
    state_from_npz,
    state_to_npz,
    unzip_bundle,
    zip_bundle,
)
from tests.training.tiny import trained_bundle

#: A state shaped like what the model engineer may add: nested dicts, per-language arrays, every scalar type.
RICH_STATE: dict[str, Any] = {
    "format": 1,
    "name": "tiny – ünïcode",
    "flags": [True, False, None],
    "ratio": 0.125,
    "coef": np.arange(12, dtype=np.float32).reshape(3, 4),
    "intercept": np.array([0.5, -1.25]),
    "kept": np.array([3, 1, 4], dtype=np.int32),
    "mask": np.array([True, False]),
    "hashes": np.array([2**63 + 5], dtype=np.uint64),
    "languages": {"en": {"idf": np.linspace(0, 1, 5, dtype=np.float32), "vocab": np.array(["a", "bb"])},
                  "de": {"idf": np.zeros(0, dtype=np.float64), "weights": [np.ones(2), np.zeros(3)]}},
    "calibration": {"toxic": {"method": "isotonic", "x": np.array([0.0, 1.0]), "y": np.array([0.1, 0.9])}},
    "empty": {},
}


def assert_same(left: Any, right: Any) -> None:
    """Exact equality: same structure, same values, same array dtypes and shapes."""
    if isinstance(left, np.ndarray):
        assert isinstance(right, np.ndarray) and left.dtype == right.dtype and left.shape == right.shape
        assert np.array_equal(left, right)
    elif isinstance(left, dict):
        assert isinstance(right, dict) and set(left) == set(right)
        for key in left:
            assert_same(left[key], right[key])
    elif isinstance(left, list):
        assert isinstance(right, list) and len(left) == len(right)
        for a, b in zip(left, right, strict=True):
            assert_same(a, b)
    else:
        assert type(left) is type(right) and left == right


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return trained_bundle(str(tmp_path_factory.mktemp("models")))


@pytest.fixture
def copy(bundle: Path, tmp_path: Path) -> Path:
    target = tmp_path / bundle.name
    shutil.copytree(bundle, target)
    return target


def rewrite_model(path: Path, model_bytes: bytes) -> None:
    """Replace model.npz and fix the checksum in the metadata (what an attacker with write access does)."""
    (path / MODEL_FILE).write_bytes(model_bytes)
    meta = json.loads((path / METADATA_FILE).read_text())
    meta["model_sha256"] = hashlib.sha256(model_bytes).hexdigest()
    (path / METADATA_FILE).write_text(json.dumps(meta))


def test_any_state_of_plain_values_and_arrays_round_trips_exactly(tmp_path: Path) -> None:
    # Given a state with nested dicts, lists, every scalar type and arrays of several dtypes
    # When saved as a bundle and loaded back
    path = save_bundle(RICH_STATE, tmp_path, {"heads": []})
    state, meta = load_state(path)
    # Then every value comes back identical (arrays with their dtype and shape)
    assert_same(RICH_STATE, state)
    assert meta["bundle_format"] == BUNDLE_FORMAT == 2 and sorted(p.name for p in path.iterdir()) == [
        METADATA_FILE, MODEL_FILE]
    # And the file is a plain npz: arrays named after their place in the state, plus the JSON structure
    with np.load(path / MODEL_FILE, allow_pickle=False) as archive:
        assert {"coef", "languages/en/idf", "languages/de/weights/1", STATE_ENTRY} <= set(archive.files)


def test_a_trained_bundle_round_trips(bundle: Path) -> None:
    # Given a trained bundle / When loaded twice
    first, second = load_bundle(bundle), load_bundle(bundle)
    texts = ["Buy cheap pills now at www.cheap-deals.biz", "You absolute idiot", "Thanks for covering the tram line"]
    # Then it scores the same, and its metadata describes it
    assert np.allclose(first.predict_proba(texts), second.predict_proba(texts))
    meta = read_metadata(bundle)
    assert meta["version"] == bundle.name == first.version
    assert {"spam", "toxic"} <= set(meta["heads"]) and tuple(meta["heads"]) == first.heads
    assert set(meta["libraries"]) >= {"python", "sklearn", "numpy", "scipy"}
    assert meta["data"]["hash"] == "tiny-7"
    assert meta["examples_per_head"]["spam"]["examples"] == 360
    assert len(meta["model_sha256"]) == 64
    assert bundle_info(bundle).sha256 == meta["model_sha256"]


def test_library_versions_are_recorded_but_never_checked(copy: Path) -> None:
    # Given a bundle whose metadata says it was made with very different libraries
    meta = json.loads((copy / METADATA_FILE).read_text())
    meta["libraries"] = {"python": "3.99.0", "sklearn": "0.24.2", "numpy": "9.0.0", "scipy": "0.1"}
    (copy / METADATA_FILE).write_text(json.dumps(meta))
    # When loaded / Then it loads and scores
    assert load_bundle(copy).predict_proba(["hello"]).shape[0] == 1


def test_version_is_time_plus_short_hash(bundle: Path) -> None:
    date, clock, short = bundle.name.split("-")
    assert len(date) == 8 and len(clock) == 6 and len(short) == 6 and date.isdigit() and clock.isdigit()


def test_a_tampered_model_file_is_refused(copy: Path) -> None:
    # Given a bundle whose model.npz was modified after saving
    data = bytearray((copy / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / MODEL_FILE).write_bytes(bytes(data))
    # When loaded / Then it is refused before parsing
    with pytest.raises(BundleError, match="checksum"):
        load_bundle(copy)


def test_an_object_array_is_refused_even_with_a_matching_checksum(copy: Path) -> None:
    # Given a model.npz holding an object array (a pickle inside the .npy), checksum fixed up
    buffer = io.BytesIO()
    np.savez(buffer, **{STATE_ENTRY: np.frombuffer(b'{"x": {"__array__": "x"}}', dtype=np.uint8),
                        "x": np.array([{"a": 1}], dtype=object)})
    rewrite_model(copy, buffer.getvalue())
    # When loaded / Then it is refused, and nothing is unpickled
    with pytest.raises(BundleError, match=r"npz|pickle|Object"):
        load_state(copy)


def test_a_pickle_named_model_npz_is_refused(copy: Path) -> None:
    # Given a pickle in place of model.npz, checksum fixed up
    rewrite_model(copy, pickle.dumps({"format": 1, "coef": [1.0]}))
    # When loaded / Then it is refused without unpickling
    with pytest.raises(BundleError, match="not a readable npz"):
        load_state(copy)


def test_void_arrays_and_unreferenced_or_missing_entries_are_refused() -> None:
    def npz(tree: Any, **arrays: np.ndarray) -> bytes:
        buffer = io.BytesIO()
        np.savez(buffer, **{STATE_ENTRY: np.frombuffer(json.dumps(tree).encode(), dtype=np.uint8)}, **arrays)
        return buffer.getvalue()

    with pytest.raises(BundleError, match="dtype"):
        state_from_npz(npz({"v": {"__array__": "v"}}, v=np.zeros(2, dtype="V8")))
    with pytest.raises(BundleError, match="never references"):
        state_from_npz(npz({"a": 1}, extra=np.zeros(2)))
    with pytest.raises(BundleError, match="missing array"):
        state_from_npz(npz({"a": {"__array__": "nope"}}))
    with pytest.raises(BundleError, match="lacks"):
        state_from_npz(_npz_without_state())


def _npz_without_state() -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, a=np.zeros(1))
    return buffer.getvalue()


def test_values_a_bundle_cannot_hold_are_refused_when_saving() -> None:
    with pytest.raises(BundleError, match="state x: a set"):
        state_to_npz({"x": {1, 2}})
    with pytest.raises(BundleError, match="dtype object"):
        state_to_npz({"x": np.array([object()])})
    with pytest.raises(BundleError, match="keys must be strings"):
        state_to_npz({"x": {1: "a"}})


def test_an_old_format_1_bundle_is_refused_with_one_line_saying_retrain(tmp_path: Path) -> None:
    # Given a format-1 bundle (model.skops)
    old = tmp_path / "20250101-000000-abcdef"
    old.mkdir()
    (old / LEGACY_MODEL_FILE).write_bytes(b"PK...")
    (old / METADATA_FILE).write_text(json.dumps({"version": old.name, "model_sha256": "0" * 64,
                                                 "bundle_format": 1}))
    # When loaded / Then one line says what and what to do
    with pytest.raises(BundleError, match="format 1") as refused:
        load_bundle(old)
    assert "retrain" in str(refused.value) and "\n" not in str(refused.value)


def test_saving_never_overwrites_an_existing_version(bundle: Path) -> None:
    # Given an existing bundle / When saving another state under the same version
    state, _ = load_state(bundle)
    before = (bundle / MODEL_FILE).read_bytes()
    # Then it is refused and the original is untouched
    with pytest.raises(BundleError, match="already exists"):
        save_bundle(state, bundle.parent, {"version": bundle.name, "heads": list(state["heads"])})
    assert (bundle / MODEL_FILE).read_bytes() == before


def test_zipped_bundle_unpacks_elsewhere_and_checks_the_checksum(bundle: Path, tmp_path: Path) -> None:
    # Given the zipped bundle (what Redis stores): both files of format 2
    data = zip_bundle(bundle)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == [METADATA_FILE, MODEL_FILE]
    sha = read_metadata(bundle)["model_sha256"]
    # When unpacked on another machine / Then it loads there
    path = unzip_bundle(data, tmp_path / "cache", version=bundle.name, sha256=sha)
    assert load_bundle(path).version == bundle.name
    # And a wrong checksum is refused
    with pytest.raises(BundleError, match="checksum"):
        unzip_bundle(data, tmp_path / "other", version=bundle.name, sha256="0" * 64)
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as archive:
        archive.writestr("metadata.json", "{}")
    with pytest.raises(BundleError, match="malformed"):
        unzip_bundle((tmp_path / "bad.zip").read_bytes(), tmp_path / "x", version="v", sha256=sha)


def test_the_shipped_default_bundle_is_package_data() -> None:
    # Given the packaging configuration / Then pip install . carries the shipped bundle's two files
    import tomllib

    from moderation.models.bundle import SHIPPED_MODEL_DIR
    from tests.helpers import repo_root

    globs = tomllib.loads((repo_root() / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    package = repo_root() / "moderation" / "models"
    assert package / "data" / "default_model" == SHIPPED_MODEL_DIR
    for name in (METADATA_FILE, MODEL_FILE):
        assert any((package / "data" / "default_model" / name).match(str(package / g))
                   for g in globs["moderation.models"])


def test_the_shipped_default_bundle_verifies_and_loads_when_present() -> None:
    from moderation.models.bundle import SHIPPED_MODEL_DIR

    if not (SHIPPED_MODEL_DIR / MODEL_FILE).exists():
        pytest.skip("no default bundle committed yet")
    assert load_bundle(SHIPPED_MODEL_DIR).predict_proba(["hello"]).shape[0] == 1
