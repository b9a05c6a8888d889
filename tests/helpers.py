"""Helpers shared by tests of every package."""

from __future__ import annotations

from pathlib import Path

#: The repository's root directory (where ``pyproject.toml`` is).
ROOT = Path(__file__).resolve().parent.parent


def repo_root() -> Path:
    """The repository's root directory."""
    return ROOT
