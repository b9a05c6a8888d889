"""Bundles: save, load, checksum, library versions, trusted types, no overwrite."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tests.training.tiny import trained_bundle
from training.bundle import (
    METADATA_FILE,
    MODEL_FILE,
    BundleError,
    bundle_info,
    load_bundle,
    load_state,
    read_metadata,
    save_bundle,
    unzip_bundle,
    zip_bundle,
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return trained_bundle(str(tmp_path_factory.mktemp("models")))


@pytest.fixture
def copy(bundle: Path, tmp_path: Path) -> Path:
    target = tmp_path / bundle.name
    shutil.copytree(bundle, target)
    return target


def test_a_trained_bundle_round_trips(bundle: Path) -> None:
    # Given a trained bundle / When loaded twice
    first, second = load_bundle(bundle), load_bundle(bundle)
    texts = ["Buy cheap pills now at www.cheap-deals.biz", "You absolute idiot", "Thanks for covering the tram line"]
    # Then it scores the same, and its metadata describes it
    assert np.allclose(first.predict_proba(texts), second.predict_proba(texts))
    meta = read_metadata(bundle)
    assert meta["version"] == bundle.name == first.version
    assert {"spam", "toxic"} <= set(meta["heads"]) and tuple(meta["heads"]) == first.heads
    assert set(meta["libraries"]) >= {"python", "sklearn", "numpy", "scipy", "skops"}
    assert meta["data"]["hash"] == "tiny-7"
    assert meta["examples_per_head"]["spam"]["examples"] == 360
    assert len(meta["model_sha256"]) == 64
    assert bundle_info(bundle).sha256 == meta["model_sha256"]


def test_version_is_time_plus_short_hash(bundle: Path) -> None:
    # Then the version reads like 20261128-101500-ab12cd
    date, clock, short = bundle.name.split("-")
    assert len(date) == 8 and len(clock) == 6 and len(short) == 6 and date.isdigit() and clock.isdigit()


def test_a_tampered_model_file_is_refused(copy: Path) -> None:
    # Given a bundle whose model.skops was modified after saving
    data = bytearray((copy / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / MODEL_FILE).write_bytes(bytes(data))
    # When loaded / Then it is refused before deserialization
    with pytest.raises(BundleError, match="checksum"):
        load_bundle(copy)


def test_a_bundle_made_with_other_library_versions_is_refused(copy: Path) -> None:
    # Given a bundle whose metadata says it was made with another scikit-learn
    meta = json.loads((copy / METADATA_FILE).read_text())
    meta["libraries"]["sklearn"] = "0.24.2"
    (copy / METADATA_FILE).write_text(json.dumps(meta))
    # When loaded / Then the error names the library and both versions
    with pytest.raises(BundleError, match=r"sklearn 0\.24\.2 \(bundle\)"):
        load_bundle(copy)


def test_a_model_file_with_foreign_types_is_refused(copy: Path) -> None:
    # Given a skops file holding an estimator (a type bundles never contain), with a matching checksum
    import hashlib

    import skops.io
    from sklearn.linear_model import LogisticRegression

    payload = skops.io.dumps({"format": 1, "model": LogisticRegression()})
    (copy / MODEL_FILE).write_bytes(payload)
    meta = json.loads((copy / METADATA_FILE).read_text())
    meta["model_sha256"] = hashlib.sha256(payload).hexdigest()
    (copy / METADATA_FILE).write_text(json.dumps(meta))
    # When loaded / Then it is refused, naming the type
    with pytest.raises(BundleError, match="LogisticRegression"):
        load_state(copy)


def test_saving_never_overwrites_an_existing_version(bundle: Path) -> None:
    # Given an existing bundle / When saving another state under the same version
    state, _ = load_state(bundle)
    # Then it is refused and the original is untouched
    before = (bundle / MODEL_FILE).read_bytes()
    with pytest.raises(BundleError, match="already exists"):
        save_bundle(state, bundle.parent, {"version": bundle.name, "heads": list(state["heads"])})
    assert (bundle / MODEL_FILE).read_bytes() == before


def test_zipped_bundle_unpacks_elsewhere_and_checks_the_checksum(bundle: Path, tmp_path: Path) -> None:
    # Given the zipped bundle (what Redis stores)
    data = zip_bundle(bundle)
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
