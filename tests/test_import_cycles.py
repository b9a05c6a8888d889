"""No import cycles in the project's packages: each idea has one home that the others import.

Every module of ``moderation``, ``workers``, ``training`` and ``harness`` is read with :mod:`ast` (nothing is
imported, :mod:`tests.import_graph`), and every import it makes of another project module, at module level or
inside a function, is an edge. A cycle is a strongly connected group of modules; the test names each one with
a path through it. There is no list of tolerated cycles: any cycle fails.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import repo_root
from tests.import_graph import PACKAGES, cycles, import_graph


def test_no_module_imports_itself_round_a_cycle() -> None:
    # Given every import of every module in the project's packages
    graph = import_graph(repo_root())
    assert "moderation.intake.schemas" in graph and "workers.tasks" in graph and "training.train" in graph
    # When the groups of modules that import one another are found
    found = cycles(graph)
    # Then there are none
    named = [" -> ".join(path) for path in found]
    assert not named, "import cycles (give the shared idea one module the others import):\n" + "\n".join(named)


def test_a_cycle_is_found_and_named_even_through_a_function_level_import(tmp_path: Path) -> None:
    # Given a package whose modules import one another, one of them inside a function
    package = tmp_path / "moderation"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from moderation.b import thing\n")
    (package / "b.py").write_text("def thing():\n    from . import c\n")
    (package / "c.py").write_text("import moderation.a\n")
    (package / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from moderation import a\n")
    for other in PACKAGES[1:]:
        (tmp_path / other).mkdir()
    # When the cycles are found / Then the one cycle is named as a path, and the type-checking import is no edge
    assert cycles(import_graph(tmp_path)) == [["moderation.a", "moderation.b", "moderation.c", "moderation.a"]]
