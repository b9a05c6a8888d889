"""The Celery task: a thin shell around :class:`workers.handler.BatchHandler`.

Each worker process loads the current model once (at process start) and checks for a newly promoted one
between batches. When a batch fails, its comments are tried one by one; those that keep failing are retried
a few times, then dead-lettered: never lost, never looping, never taking their batch-mates down.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.signals import worker_process_init, worker_ready

from moderation import keys
from moderation.logs import configure_logging
from workers import faults
from workers.app import app, settings
from workers.handler import BatchHandler

log = logging.getLogger("workers.tasks")

MAX_RETRIES = 3
_handler: BatchHandler | None = None


def handler() -> BatchHandler:
    """This process's handler, created (and its model loaded) on first use."""
    global _handler
    if _handler is None:
        from training.registry import CurrentModel, ModelRegistry

        configure_logging(settings.log_level)
        registry = ModelRegistry(settings.models_dir, redis=_redis(), prefix=settings.prefix)
        current = CurrentModel(registry, refresh_seconds=settings.model_refresh_seconds)
        current.get()
        _handler = BatchHandler.from_settings(settings, current.get)
        _announce(current)
    return _handler


def _announce(current: Any) -> None:
    """Say in Redis that this process is ready and which model it serves, and keep saying it (a heartbeat
    with a short expiry, read by ``moderation health``, ``moderation metrics`` and tests)."""
    from workers.heartbeat import start_heartbeat

    start_heartbeat(_redis(), prefix=settings.prefix, model=current, interval=settings.heartbeat_seconds,
                    default_queue=settings.queue)


def _redis() -> Any:
    from moderation.connection import redis_for

    return redis_for(settings, decode_responses=False, health_check_interval=30)


@worker_process_init.connect
def _load_model(**_: Any) -> None:
    handler()


@worker_ready.connect
def _load_model_in_solo_pool(sender: Any = None, **_: Any) -> None:
    # A solo pool runs tasks in the main process, which gets no worker_process_init.
    pool = getattr(sender, "pool", None)
    if pool is not None and type(pool).__module__.endswith(".solo"):
        handler()


@app.task(name=keys.SCORE_TASK, bind=True, ignore_result=True, acks_late=True, max_retries=MAX_RETRIES)
def score(self: Task, comments: list[Any], submitted_at_ms: int | None = None) -> None:
    """Moderate the comments one queued message carries and publish their decisions.

    When the batch fails, its comments are moderated one by one, so one poisonous comment cannot take its
    batch-mates down: only the failing ones are retried (in a new message, after a back-off), and after
    :data:`MAX_RETRIES` retries they go to the dead-letter stream with the error.

    :param comments: the queued comment payloads.
    :param submitted_at_ms: when they were submitted (for the decisions' latency).
    """
    try:
        _moderate(comments, submitted_at_ms)
        return
    except Exception as exc:
        failed = _isolate(comments, submitted_at_ms) if len(comments) > 1 else [(comments[0], exc)] if comments else []
    if not failed:
        return
    attempts = self.request.retries + 1
    if self.request.retries >= MAX_RETRIES:
        log.error("giving up on comments", extra={"fields": {"comments": len(failed), "attempts": attempts}})
        handler().dead_letter([p for p, _ in failed], [_describe(e) for _, e in failed], attempts=attempts)
        return
    log.warning("retrying comments", extra={"fields": {"comments": len(failed), "attempt": attempts,
                                                        "error": _describe(failed[0][1])[:200]}})
    raise self.retry(args=([p for p, _ in failed],), kwargs={"submitted_at_ms": submitted_at_ms},
                     exc=failed[0][1], countdown=2 ** self.request.retries)


def _moderate(comments: list[Any], submitted_at_ms: int | None) -> None:
    faults.check(comments)
    handler().handle(comments, submitted_at_ms)


def _isolate(comments: list[Any], submitted_at_ms: int | None) -> list[tuple[Any, Exception]]:
    """Moderate the comments one at a time; return those that still fail, with their errors."""
    failed: list[tuple[Any, Exception]] = []
    for comment in comments:
        try:
            _moderate([comment], submitted_at_ms)
        except Exception as exc:
            failed.append((comment, exc))
    return failed


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
