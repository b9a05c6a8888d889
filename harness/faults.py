"""Fault injection for chaos scenarios and tests: makes a worker's code raise on chosen comments.

A worker has it only when started with ``celery -A workers.app worker --include harness.faults``
(:class:`harness.worker_process.WorkerProcess` with ``faults=True``): importing this module connects
:func:`install` to Celery's ``worker_init`` signal, which adds :func:`check` to the task's batch checks
(:data:`workers.tasks.BATCH_CHECKS`) in the worker's main process, before its pool processes are forked.
Production workers never load it, so they never look at a comment's ``fault``.

In such a worker, a comment whose metadata holds ``{"fault": "raise"}`` makes every attempt to moderate it
raise :class:`InjectedFault`, as a bug that always fails on some input would; ``{"fault": "hang"}`` makes it
hang (an hour), as a stuck process would, so that a test can kill the worker while it holds the message.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from celery.signals import worker_init

#: How long a ``hang`` fault blocks.
HANG_SECONDS = 3600.0


class InjectedFault(RuntimeError):
    """The error an injected fault raises."""


def check(payloads: Sequence[Any]) -> None:
    """Raise :class:`InjectedFault` (or hang) if a payload asks for a fault in its metadata.

    :param payloads: the queued comment payloads about to be moderated.
    """
    for payload in payloads:
        metadata = payload.get("metadata") if isinstance(payload, dict) else None
        fault = metadata.get("fault") if isinstance(metadata, dict) else None
        if fault == "hang":
            time.sleep(HANG_SECONDS)
        if fault == "raise":
            raise InjectedFault(f"injected fault on comment {payload.get('id')!r}")


def install(checks: list[Callable[[Sequence[Any]], None]] | None = None) -> None:
    """Add :func:`check` to ``checks`` (default: the task's :data:`workers.tasks.BATCH_CHECKS`), once."""
    if checks is None:
        from workers import tasks

        checks = tasks.BATCH_CHECKS
    if check not in checks:
        checks.append(check)


@worker_init.connect
def _install_in_worker(**_: Any) -> None:
    install()
