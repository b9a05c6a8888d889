"""A test-only fault hook: makes the worker's code raise on chosen comments, to prove poison handling.

It is off unless the worker runs with ``MODERATION_FAULT_INJECTION=1``. When on, a comment whose metadata
holds ``{"fault": "raise"}`` makes every attempt to moderate it raise :class:`InjectedFault`, as a bug that
always fails on some input would; ``{"fault": "hang"}`` makes it hang (an hour), as a stuck process would,
so that a test can kill the worker while it holds the message. Production workers never set the variable,
so the hook does nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

ENV_VAR = "MODERATION_FAULT_INJECTION"
#: How long a ``hang`` fault blocks.
HANG_SECONDS = 3600.0


class InjectedFault(RuntimeError):
    """The error an injected fault raises."""


def enabled() -> bool:
    """Whether fault injection is switched on for this process."""
    return os.environ.get(ENV_VAR, "") == "1"


def check(payloads: Sequence[Any]) -> None:
    """Raise :class:`InjectedFault` (or hang) if injection is on and a payload asks for a fault.

    :param payloads: the queued comment payloads about to be moderated.
    """
    if not enabled():
        return
    for payload in payloads:
        metadata = payload.get("metadata") if isinstance(payload, dict) else None
        fault = metadata.get("fault") if isinstance(metadata, dict) else None
        if fault == "hang":
            time.sleep(HANG_SECONDS)
        if fault == "raise":
            raise InjectedFault(f"injected fault on comment {payload.get('id')!r}")
