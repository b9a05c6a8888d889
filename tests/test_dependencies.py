"""Every runtime dependency is bounded, and constraints.txt pins each dependency at a version its bounds allow.

An unbounded dependency lets a future release change the program under a running site; a constraints file that
disagrees with pyproject.toml makes ``make install`` fail (or silently test another program than the one
shipped). ``make lock`` rewrites constraints.txt from a fresh environment.
"""

from __future__ import annotations

import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
#: Tools for developing (lint, tests) rather than what a deployment runs: constraints.txt pins them instead.
DEV_EXTRAS = {"dev"}


def requirements(*, runtime_only: bool) -> list[Requirement]:
    """The requirements of pyproject.toml: the core's and every extra's (but the dev tools' when runtime only)."""
    lines = list(PROJECT["dependencies"])
    for extra, extra_lines in PROJECT["optional-dependencies"].items():
        if not (runtime_only and extra in DEV_EXTRAS):
            lines.extend(extra_lines)
    return [Requirement(line) for line in lines]


def pinned() -> dict[str, str]:
    """constraints.txt as {canonical name: version}."""
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin (name==version)"
            pins[canonicalize_name(name)] = version
    return pins


@pytest.mark.parametrize("requirement", requirements(runtime_only=True), ids=str)
def test_each_runtime_dependency_has_an_upper_bound(requirement: Requirement) -> None:
    assert any(spec.operator in {"<", "<=", "==", "~="} for spec in requirement.specifier), (
        f"pyproject.toml: {requirement} has no upper bound")


@pytest.mark.parametrize("requirement", requirements(runtime_only=False), ids=str)
def test_constraints_pin_each_dependency_inside_its_bounds(requirement: Requirement) -> None:
    pins = pinned()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"constraints.txt does not pin {requirement.name} (run make lock)"
    assert requirement.specifier.contains(pins[name], prereleases=True), (
        f"constraints.txt pins {requirement.name}=={pins[name]}, outside pyproject.toml's {requirement.specifier} "
        "(run make lock)")
