"""The licence, the credits and the model card keep up with the shipped model.

A rebuilt bundle (``make default-model``) may learn from other corpora: each must then be credited, and the
model card must describe the bundle that ships, not an older one.
"""

from __future__ import annotations

import json
import tomllib

import pytest

from moderation.models.bundle import SHIPPED_MODEL_DIR
from tests.helpers import ROOT

METADATA = json.loads((SHIPPED_MODEL_DIR / "metadata.json").read_text(encoding="utf-8"))
PUBLIC_SOURCES = [source for source in METADATA["sources"] if "citation" in source]


def test_the_code_has_a_licence_that_pyproject_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")
    assert all((ROOT / name).is_file() for name in project["license-files"])


@pytest.mark.parametrize("source", PUBLIC_SOURCES, ids=[s["corpus"] for s in PUBLIC_SOURCES])
def test_every_corpus_the_shipped_model_learnt_from_is_credited_with_its_licence(source: dict[str, str]) -> None:
    # Given a public corpus the shipped bundle lists among its sources
    credits = (ROOT / "CREDITS.md").read_text(encoding="utf-8")
    first_author = source["citation"].split(",")[0].split()[-1]
    # Then CREDITS.md names its first author and links its licence
    assert first_author in credits, f"CREDITS.md does not credit {source['corpus']} ({first_author})"
    assert source["licence_url"] in credits, f"CREDITS.md does not link {source['corpus']}'s licence"


def test_the_model_card_describes_the_bundle_that_ships() -> None:
    card = (ROOT / "docs" / "model-card.md").read_text(encoding="utf-8")
    assert f"`{METADATA['version']}`" in card, "docs/model-card.md describes another bundle: update it"
    assert METADATA["model_sha256"][:8] in card
    assert f"{METADATA['data']['examples']:,}" in card
