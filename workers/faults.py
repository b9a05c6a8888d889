"""A test-only fault hook: makes the worker's code raise on chosen comments, to prove poison handling.

It is off unless the worker runs with ``MODERATION_FAULT_INJECTION=1``. When on, a comment whose metadata
holds ``{"fault": "raise"}`` makes every attempt to moderate it raise :class:`InjectedFault`, as a bug that
always fails on some input would. Production workers never set the variable, so the hook does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

ENV_VAR = "MODERATION_FAULT_INJECTION"


class InjectedFault(RuntimeError):
    """The error an injected fault raises."""


def enabled() -> bool:
    """Whether fault injection is switched on for this process."""
    return os.environ.get(ENV_VAR, "") == "1"


def check(payloads: Sequence[Any]) -> None:
    """Raise :class:`InjectedFault` if injection is on and a payload asks for a fault.

    :param payloads: the queued comment payloads about to be moderated.
    """
    if not enabled():
        return
    for payload in payloads:
        metadata = payload.get("metadata") if isinstance(payload, dict) else None
        if isinstance(metadata, dict) and metadata.get("fault") == "raise":
            raise InjectedFault(f"injected fault on comment {payload.get('id')!r}")
