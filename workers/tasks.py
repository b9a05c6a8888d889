"""The Celery task: a thin shell around :class:`workers.handler.BatchHandler`.

The worker gathers the messages that arrive within a few milliseconds into one batch (celery-batches:
scoring a hundred comments together costs a fraction of scoring them one by one, and a comment submitted
alone waits at most ``flush_interval_ms``). Each worker process loads the current model once (at process
start) and checks for a newly promoted one between batches. When a batch fails, its comments are tried one
by one; those that keep failing are retried a few times, then dead-lettered: never lost, never looping,
never taking their batch-mates down.

Without a model a process still starts (its heartbeat says it waits for one, :mod:`workers.heartbeat`) and
its worker does not consume (:mod:`workers.model_gate`). Should a message reach a process that has no
model all the same, it is held — queued again unchanged after ``model_refresh_seconds`` — never counted as
a failed attempt. Dead-lettering needs no model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from celery.signals import worker_process_init, worker_ready
from redis.exceptions import RedisError

from moderation import keys
from moderation.logs import configure_logging
from moderation.models.current import CurrentModel, ModelStore
from workers.app import app, settings
from workers.batching import ModerationBatches
from workers.handler import BatchHandler

log = logging.getLogger("workers.tasks")

MAX_RETRIES = 3
#: A batch is flushed when this many messages are waiting, or FLUSH_INTERVAL seconds after the first one.
FLUSH_EVERY = settings.flush_every
FLUSH_INTERVAL = settings.flush_interval_ms / 1000
#: Checks run on every batch's comment payloads just before they are moderated: empty, so production runs
#: none. A check that raises fails the batch as a bug would (each comment is then tried alone, retried,
#: dead-lettered). The chaos scenarios and tests add their fault injection here, only in the workers they
#: start (:mod:`harness.faults`, loaded with ``celery worker --include``).
BATCH_CHECKS: list[Callable[[Sequence[Any]], None]] = []
_handler: BatchHandler | None = None
_current: CurrentModel | None = None


def handler() -> BatchHandler:
    """This process's handler, created on first use; its model is loaded then if there is one (a process
    without a model still gets a handler: it can dead-letter, and it serves once a model is promoted)."""
    global _handler, _current
    if _handler is None:
        configure_logging(settings.log_level)
        import moderation.judging.scoring  # noqa: F401  (scikit-learn & co. now: a promotion then costs only its bundle)

        _current = CurrentModel(ModelStore.from_settings(settings, redis=_redis()),
                                refresh_seconds=settings.model_refresh_seconds)
        _current.poll()  # logs one line, no traceback, when there is no model yet
        _handler = BatchHandler.from_settings(settings, _current.get)
        _announce(_current)
    return _handler


def model_ready() -> bool:
    """Whether this process has a model to score with (trying to load one now if it has none yet)."""
    handler()
    return _current is not None and (_current.loaded or _current.poll())


def _announce(current: Any) -> None:
    """Say in Redis that this process is ready and which model it serves, and keep saying it (a heartbeat
    with a short expiry, read by ``moderation health``, ``moderation metrics`` and tests)."""
    from workers.heartbeat import start_heartbeat

    start_heartbeat(_redis(), prefix=settings.prefix, model=current, interval=settings.heartbeat_seconds,
                    default_queue=settings.queue, waiting_interval=settings.model_refresh_seconds)


def _redis() -> Any:
    from moderation.store.connection import redis_for

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


@dataclass(frozen=True)
class Delivery:
    """One queued message's part of a batch: its comments, when they were submitted, which attempt."""

    comments: list[Any]
    #: the first submission time: one for the whole message, or each comment's by ref (a sweep's message)
    submitted_at_ms: int | dict[str, int] | None
    attempt: int

    def sent(self, comment: Any) -> int | None:
        """When ``comment`` was first submitted (ms since the epoch), if known."""
        if isinstance(self.submitted_at_ms, dict):
            value = self.submitted_at_ms.get(_ref(comment)) if isinstance(comment, dict) else None
            return int(value) if isinstance(value, int | float) else None
        return self.submitted_at_ms


def _ref(comment: dict[str, Any]) -> str:
    """A queued payload's :func:`moderation.keys.comment_ref` (what a sweep's ``submitted_at_ms`` is keyed by)."""
    site = comment.get("site")
    return keys.comment_ref(site if isinstance(site, str) else None, str(comment.get("id")))


def _delivery(request: Any) -> Delivery:
    args, kwargs = list(request.args or ()), dict(request.kwargs or {})
    comments = args[0] if args else kwargs.get("comments", [])
    sent = kwargs.get("submitted_at_ms")
    if not isinstance(sent, int | dict):
        sent = None
    return Delivery(comments=list(comments) if isinstance(comments, list) else [comments],
                    submitted_at_ms=sent, attempt=int(kwargs.get("attempt", 0) or 0))


@app.task(name=keys.SCORE_TASK, base=ModerationBatches, flush_every=FLUSH_EVERY, flush_interval=FLUSH_INTERVAL,
          ignore_result=True, acks_late=True)
def score(requests: list[Any]) -> None:
    """Moderate the comments of every message gathered in this batch and publish their decisions.

    The worker's main process gathers the messages that arrive within ``flush_interval`` (a few ms), or
    ``flush_every`` of them, into one call (celery-batches), so comments submitted one at a time are still
    scored together; their messages are acknowledged once this returns. When the batch fails, each message's
    comments are moderated one by one, so one poisonous comment cannot take its batch-mates down: only the
    failing ones are queued again (a new message, after a back-off), and after :data:`MAX_RETRIES` retries
    they go to the dead-letter stream with the error.

    :param requests: the gathered messages (each with the task's arguments: the comment payloads, and
        ``submitted_at_ms``).
    """
    deliveries = [_delivery(r) for r in requests]
    _count_redeliveries(requests)
    if not model_ready():
        _hold(deliveries)
        return
    everything = [c for d in deliveries for c in d.comments]
    sent = {_ref(c): ms for d in deliveries for c in d.comments
            if isinstance(c, dict) and (ms := d.sent(c)) is not None}
    try:
        _moderate(everything, sent)
        return
    except Exception as exc:
        log.warning("batch failed; moderating its comments one by one",
                    extra={"fields": {"comments": len(everything), "error": _describe(exc)[:200]}})
    for delivery in deliveries:
        failed = _isolate(delivery.comments, delivery.submitted_at_ms)
        if failed:
            _retry_or_dead_letter(delivery, failed)


def _count_redeliveries(requests: list[Any]) -> None:
    """Count the messages kombu delivered again (a lease ran out, a restore after a Redis event)."""
    again = sum(1 for r in requests if (getattr(r, "delivery_info", None) or {}).get("redelivered"))
    if again:
        try:
            handler().redis.hincrby(keys.metrics_key(handler().settings.prefix), "redeliveries", again)
        except RedisError as exc:
            log.warning("could not count redeliveries", extra={"fields": {"error": str(exc)}})


def _hold(deliveries: list[Delivery]) -> None:
    """Queue the messages again unchanged (same attempt, same submission time) for when a model is loaded."""
    log.warning("no model loaded: holding comments until one is", extra={"fields": {
        "messages": len(deliveries), "comments": sum(len(d.comments) for d in deliveries),
        "retry_in_s": settings.model_refresh_seconds}})
    for delivery in deliveries:
        score.apply_async(args=(delivery.comments,),
                          kwargs={"submitted_at_ms": delivery.submitted_at_ms, "attempt": delivery.attempt},
                          countdown=settings.model_refresh_seconds)


def _retry_or_dead_letter(delivery: Delivery, failed: list[tuple[Any, Exception]]) -> None:
    attempts = delivery.attempt + 1
    if delivery.attempt >= MAX_RETRIES:
        log.error("giving up on comments", extra={"fields": {"comments": len(failed), "attempts": attempts}})
        handler().dead_letter([p for p, _ in failed], [_describe(e) for _, e in failed], attempts=attempts)
        return
    log.warning("retrying comments", extra={"fields": {"comments": len(failed), "attempt": attempts,
                                                        "error": _describe(failed[0][1])[:200]}})
    score.apply_async(args=([p for p, _ in failed],),
                      kwargs={"submitted_at_ms": delivery.submitted_at_ms, "attempt": attempts},
                      countdown=2 ** delivery.attempt)


def _moderate(comments: list[Any], submitted_at_ms: int | Mapping[str, int] | None) -> None:
    for check in BATCH_CHECKS:
        check(comments)
    handler().handle(comments, submitted_at_ms)


def _isolate(comments: list[Any], submitted_at_ms: int | Mapping[str, int] | None) -> list[tuple[Any, Exception]]:
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
