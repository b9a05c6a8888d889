"""The ``moderation.rescore`` task: score already decided comments again with the current model.

Queued by ``moderation rescore`` (:mod:`moderation.ops.rescore`) on the bulk queue. For each comment the worker
reads the published decision, decides again with the current model and policy, and appends a result to the
rescore stream: ``run``, ``comment_id``, ``status`` (``changed``, ``same``, ``new`` when there was no
decision, ``kept-rule`` when the published decision came from a rule, ``invalid``), ``old``/``new`` outcomes
and models, and the new ``record``.

The stateful rules (rates, repeats, author trust) belong to the moment a comment arrived: they are not run
again (that would count the comment twice), and a decision they made is kept. With ``apply``, a ``changed``
decision replaces the published one: the stored key (its expiry kept), a decision stream entry with the
extra field ``replaces`` (the old outcome), the pub/sub announcement and, for ``review``, the review queue;
a ``new`` one is published as a first decision.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from celery import Task

from moderation import keys
from moderation.judging.pipeline import moderate, validate_payloads
from moderation.ops.metrics import record_rescored
from moderation.records import Comment, Decision
from workers.app import app
from workers.handler import BatchHandler

log = logging.getLogger("workers.rescore_task")


def _old_status(old: dict[str, Any] | None, new: Decision) -> str:
    if old is None:
        return "new"
    if any(not reason.get("head") for reason in old.get("reasons", [])):
        return "kept-rule"
    return "same" if old.get("decision") == new.decision else "changed"


def rescore_batch(handler: BatchHandler, payloads: Sequence[Any], *, run: str, apply: bool) -> dict[str, int]:
    """Re-score one message's comments and record (and with ``apply`` publish) the results.

    :param handler: the process's batch handler (its Redis, model, policy, publisher, review queue).
    :param payloads: the queued comment payloads.
    :param run: the run's id, copied into each result.
    :param apply: replace published decisions that change.
    :returns: counts by status.
    """
    prefix = handler.settings.prefix
    redis = handler.redis
    comments, invalid = validate_payloads(payloads)
    olds: list[Any] = redis.mget([keys.decision_key(prefix, c.site, c.id) for c in comments]) if comments else []
    decisions = moderate(comments, handler.model(), handler.policy, rules=None)
    stream = keys.rescore_stream(prefix)
    maxlen = handler.settings.stream_maxlen
    counts: dict[str, int] = {}
    fresh: list[Decision] = []
    pipe = redis.pipeline(transaction=True)
    for comment, raw, decision in zip(comments, olds, decisions, strict=True):
        old = json.loads(raw) if raw else None
        status = _old_status(old, decision)
        counts[status] = counts.get(status, 0) + 1
        applied = apply and status in {"changed", "new"}
        if applied and status == "changed":
            _replace(pipe, handler, comment, decision, str(old.get("decision") if old else ""))
        elif applied:
            fresh.append(decision)
        pipe.xadd(stream, {"run": run, "comment_id": comment.id, "status": status,
                           "old": (old or {}).get("decision", ""), "new": decision.decision,
                           "old_model": (old or {}).get("model_version", ""), "new_model": decision.model_version,
                           "applied": int(applied), "record": decision.to_json()},
                  maxlen=maxlen, approximate=True)
    for item in invalid:
        counts["invalid"] = counts.get("invalid", 0) + 1
        comment_id = item.payload.get("id") if isinstance(item.payload, dict) else None
        pipe.xadd(stream, {"run": run, "comment_id": str(comment_id or ""), "status": "invalid",
                           "error": json.dumps(item.errors, ensure_ascii=False)[:2000]},
                  maxlen=maxlen, approximate=True)
    pipe.execute()
    if fresh:
        handler.publisher.publish_many(fresh)
    record_rescored(redis, prefix, changed=counts.get("changed", 0), unchanged=len(comments) - counts.get("changed", 0))
    log.info("batch re-scored", extra={"fields": {"run": run, "apply": apply, **counts}})
    return counts


def _replace(pipe: Any, handler: BatchHandler, comment: Comment, decision: Decision, old_outcome: str) -> None:
    prefix = handler.settings.prefix
    record = decision.to_json()
    pipe.set(keys.decision_key(prefix, comment.site, comment.id), record, xx=True, keepttl=True)
    pipe.xadd(keys.decisions_stream(prefix), {"comment_id": comment.id, "decision": decision.decision,
                                              "record": record, "replaces": old_outcome},
              maxlen=handler.settings.stream_maxlen, approximate=True)
    pipe.publish(keys.decisions_channel(prefix), record)
    if decision.decision == "review":
        handler.review.queue_hold(pipe, comment, decision)


@app.task(name=keys.RESCORE_TASK, bind=True, ignore_result=True, acks_late=True, max_retries=3)
def rescore(self: Task, comments: list[Any], submitted_at_ms: int | None = None, run: str = "",
            apply: bool = False) -> None:
    """Re-score the comments one bulk message carries (see the module's description).

    :param comments: the comment payloads.
    :param submitted_at_ms: when the run was queued (unused: re-scoring has no live latency).
    :param run: the run's id.
    :param apply: replace published decisions that change.
    """
    from workers.tasks import handler

    try:
        rescore_batch(handler(), comments, run=run, apply=apply)
    except Exception as exc:
        if self.request.retries >= 3:
            log.exception("giving up on a re-scoring batch", extra={"fields": {"run": run}})
            return
        raise self.retry(exc=exc, countdown=2 ** self.request.retries) from exc
