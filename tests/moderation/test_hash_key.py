"""No shared default hash key: each install generates its own (owner-only), a production profile refuses to
start without one."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from moderation import logs
from tests.helpers import ROOT


def test_an_install_without_a_key_generates_its_own_owner_only_and_keeps_it(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Given no MODERATION_HASH_KEY and no key file yet
    monkeypatch.delenv("MODERATION_HASH_KEY", raising=False)
    monkeypatch.delenv("MODERATION_PROFILE", raising=False)
    path = tmp_path / "var" / "hash-key"
    monkeypatch.setenv("MODERATION_HASH_KEY_FILE", str(path))
    # When a value is hashed
    hashed = logs.keyed_hash("203.0.113.9")
    # Then a key was generated for this install, readable by its owner only, and is the one used
    secret = path.read_text().strip()
    assert len(secret) >= 32 and secret != "moderation-default-key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert hashed == logs.keyed_hash("203.0.113.9", key=secret)
    assert hashed != logs.keyed_hash("203.0.113.9", key="moderation-default-key")
    # And another install gets another key
    monkeypatch.setenv("MODERATION_HASH_KEY_FILE", str(tmp_path / "other" / "hash-key"))
    assert logs.keyed_hash("203.0.113.9") != hashed


def test_a_production_profile_without_a_key_refuses_to_start(tmp_path: Path) -> None:
    # Given a production profile with neither MODERATION_HASH_KEY nor a key file
    env = {k: v for k, v in os.environ.items() if k != "MODERATION_HASH_KEY"}
    env.update({"MODERATION_PROFILE": "production", "MODERATION_HASH_KEY_FILE": str(tmp_path / "missing")})
    # When the worker's app is loaded (as `celery -A workers.app worker` does first)
    result = subprocess.run([sys.executable, "-c", "import workers.app"], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    # Then it stops, saying what to set, and generated nothing
    assert result.returncode != 0
    assert "MODERATION_HASH_KEY" in result.stderr and "HashKeyError" in result.stderr
    assert not (tmp_path / "missing").exists()
