"""Production apart from measuring: no module of ``moderation``, ``workers`` or ``training`` imports the
harness (the demo, the benchmarks, the chaos scenarios and their fault hook), not even inside a function."""

from __future__ import annotations

from tests.helpers import repo_root
from tests.import_graph import PRODUCTION, import_graph


def test_production_code_never_imports_the_harness() -> None:
    # Given every import of every module of the project
    graph = import_graph(repo_root())
    assert "harness.chaos" in graph and "workers.tasks" in graph
    # When the imports production modules make of the harness are picked out
    found = sorted(f"{module} -> {target}" for module, targets in graph.items()
                   if module.split(".")[0] in PRODUCTION for target in targets if target.split(".")[0] == "harness")
    # Then there are none
    assert not found, "production imports the harness:\n" + "\n".join(found)
