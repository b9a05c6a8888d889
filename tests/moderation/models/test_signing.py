"""Bundle signatures: with MODERATION_MODEL_KEY set, bundles are signed when saved and refused unsigned or forged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderation.models.bundle import METADATA_FILE, BundleError, load_state, save_bundle
from moderation.models.signing import MODEL_KEY_ENV, SIGNATURE_FIELD, SignatureError, sign, verify

STATE = {"heads": ["spam", "toxic"], "weights": [0.5, 1.5, -2.0]}  # any state: signing does not read it


def saved(tmp_path: Path) -> Path:
    return save_bundle(STATE, tmp_path / "models", {"heads": STATE["heads"]})


def metadata(bundle: Path) -> dict:
    return json.loads((bundle / METADATA_FILE).read_text())


def test_with_a_key_a_bundle_is_signed_and_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODEL_KEY_ENV, "k1-secret")
    bundle = saved(tmp_path)
    meta = metadata(bundle)
    assert meta[SIGNATURE_FIELD] == sign(meta["model_sha256"], b"k1-secret")
    state, _ = load_state(bundle)
    assert state["weights"] == STATE["weights"]


def test_an_unsigned_bundle_is_refused_when_a_key_is_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODEL_KEY_ENV, raising=False)
    bundle = saved(tmp_path)
    assert SIGNATURE_FIELD not in metadata(bundle)
    load_state(bundle)  # no key: checksum only, as before
    monkeypatch.setenv(MODEL_KEY_ENV, "k1-secret")
    with pytest.raises(BundleError, match="unsigned"):
        load_state(bundle)


def test_a_bundle_signed_with_another_key_or_forged_is_refused(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODEL_KEY_ENV, "someone-else")
    bundle = saved(tmp_path)
    monkeypatch.setenv(MODEL_KEY_ENV, "k1-secret")
    with pytest.raises(BundleError, match="signature does not match"):
        load_state(bundle)
    # a forger who rewrites the metadata's checksum and signature without the key fails too
    meta = metadata(bundle)
    meta[SIGNATURE_FIELD] = sign(meta["model_sha256"], b"guess")
    (bundle / METADATA_FILE).write_text(json.dumps(meta))
    with pytest.raises(BundleError, match="signature"):
        load_state(bundle)


def test_verify_checks_only_when_a_key_is_set() -> None:
    verify({}, "ab" * 32, key=b"")
    with pytest.raises(SignatureError):
        verify({}, "ab" * 32, key=b"k")
    verify({SIGNATURE_FIELD: sign("ab" * 32, b"k")}, "ab" * 32, key=b"k")
