"""Measuring what language identification costs: a worker that takes every comment's language from its hint.

Loaded only into a bench worker started with ``--include harness.without_language_id`` (``python -m harness.bench
--without-language-id``): importing this module connects :func:`install` to Celery's ``worker_init`` signal,
which replaces the pipeline's identifier with one that answers each comment's ``lang`` hint (``en`` without
one) at confidence 1.0 and runs no model. Production workers never load it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from celery.signals import worker_init

from moderation.judging.language import LanguageGuess, normalize_hint


def hinted_languages(texts: Sequence[str], hints: Sequence[str | None] | None = None) -> list[LanguageGuess]:
    """Each comment's hinted language (``en`` without a hint), as if identified for sure.

    :param texts: comment bodies.
    :param hints: each comment's ``lang`` field.
    """
    return [LanguageGuess(normalize_hint(hint) or "en", 1.0) for hint in (hints or [None] * len(texts))]


@worker_init.connect
def install(**_: Any) -> None:
    """Replace the pipeline's identifier in this worker (before its pool processes are forked)."""
    import moderation.judging.pipeline

    moderation.judging.pipeline.identify_batch = hinted_languages
