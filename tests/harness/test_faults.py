"""The fault hook of the chaos scenarios and tests (harness/faults.py): what it does, and where it goes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from harness import faults

POISONED = {"id": "x", "metadata": {"fault": "raise"}}


def test_a_comment_asking_for_a_fault_raises_and_others_pass() -> None:
    # Given a batch of ordinary comments, and the same batch with one that asks for a fault
    ordinary = [{"id": "a", "body": "fine"}, {"id": "b", "metadata": {"note": "x"}}, "not even a dict"]
    # When the check looks at them / Then only the poisoned batch raises
    faults.check(ordinary)
    with pytest.raises(faults.InjectedFault, match="'x'"):
        faults.check([*ordinary, POISONED])


def test_installing_adds_the_check_to_a_batch_check_list_once() -> None:
    # Given an empty list of batch checks, as the task's is in production
    checks: list[Callable[[Sequence[Any]], None]] = []
    # When the hook is installed twice
    faults.install(checks)
    faults.install(checks)
    # Then the check is there once
    assert checks == [faults.check]


def test_production_workers_have_no_batch_checks_and_the_task_runs_the_installed_ones(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the production task module, as a worker imports it
    from workers import tasks

    # Then it runs no check of its own
    assert tasks.BATCH_CHECKS == []
    # When the fault hook is installed (as the worker_init signal does in a worker started with it)
    monkeypatch.setattr(tasks, "BATCH_CHECKS", [])
    faults.install()
    handled: list[Any] = []
    monkeypatch.setattr(tasks, "handler", lambda: SimpleNamespace(handle=lambda comments, _: handled.append(comments)))
    # Then a poisoned comment raises before it is handled, and an ordinary one is handled
    with pytest.raises(faults.InjectedFault):
        tasks._moderate([POISONED], None)
    tasks._moderate([{"id": "ok"}], None)
    assert handled == [[{"id": "ok"}]]
