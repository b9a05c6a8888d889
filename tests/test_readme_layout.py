"""The README's "Layout" tables match the tree: every package has a row, every module is named in its
package's row, and no row names a folder that is gone."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import repo_root
from tests.import_graph import PACKAGES

#: Top-level folders that are no Python package of the project.
NOT_PACKAGES = {"tests"}


def layout_rows(readme: str) -> dict[str, str]:
    """The rows of the tables under ``## Layout``: folder (without its trailing slash) -> its text."""
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `([^`]+)/` \|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def packages(root: Path) -> list[Path]:
    """Every package folder of the project (a top-level package and each sub-package), relative to ``root``."""
    found = []
    for package in PACKAGES:
        found += [init.parent.relative_to(root) for init in sorted((root / package).rglob("__init__.py"))]
    return found


def test_every_top_level_package_is_one_the_layout_and_the_import_tests_know() -> None:
    # Given the repository's top-level folders that are Python packages
    root = repo_root()
    top = {p.name for p in root.iterdir() if (p / "__init__.py").is_file()} - NOT_PACKAGES
    # Then they are the project's packages, no more, no fewer
    assert top == set(PACKAGES)


def test_every_package_and_module_is_in_the_layout_and_every_row_exists() -> None:
    # Given the README's layout tables and the tree
    root = repo_root()
    rows = layout_rows((root / "README.md").read_text(encoding="utf-8"))
    # When each package's modules are looked for in its row
    missing_rows = [str(p) for p in packages(root) if str(p) not in rows]
    unnamed = [f"{package}/{module.name}" for package in packages(root) if str(package) in rows
               for module in sorted((root / package).glob("*.py"))
               if module.name != "__init__.py" and f"`{module.name}`" not in rows[str(package)]]
    stale = [folder for folder in rows if not (root / folder).is_dir()]
    # Then every package has a row naming each of its modules, and every row's folder exists
    assert not missing_rows, f"packages without a row in README's Layout: {missing_rows}"
    assert not unnamed, f"modules the README's Layout does not name in their package's row: {unnamed}"
    assert not stale, f"README's Layout names folders that do not exist: {stale}"


def test_the_layout_rows_are_read_by_folder() -> None:
    # Given a layout whose workers row forgets a module
    readme = "# x\n\n## Layout\n\n| folder | what |\n|---|---|\n| `workers/` | the app `app.py` |\n\n## Next\n"
    # When the rows are read / Then the row is there and the forgotten module is not in it
    rows = layout_rows(readme)
    assert rows == {"workers": " the app `app.py` "}
    assert "`tasks.py`" not in rows["workers"]
