"""What a worker does with one queued message: validate, skip what is decided, moderate, publish.

Kept apart from the Celery task so the benchmark and tests can drive it directly.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from redis import Redis

from moderation import keys
from moderation.intake.revisions import body_digest
from moderation.judging.pipeline import InvalidInput, ScorerLike, moderate, validate_payloads
from moderation.judging.policy import Policy, load_policy
from moderation.judging.rules import RuleEngine
from moderation.ops.metrics import record_decisions
from moderation.publishing.dead_letters import letter_fields
from moderation.publishing.publish import DecisionPublisher, execute
from moderation.records import Comment, Decision
from moderation.review.queue import ReviewQueue
from moderation.settings import Settings
from moderation.store.connection import redis_for
from workers.shape import REFUSED_FIELD

log = logging.getLogger("workers.handler")


@dataclass(frozen=True)
class BatchResult:
    """What happened to one message's comments."""

    published: int
    duplicates: int
    invalid: int
    outcomes: dict[str, int]


class BatchHandler:
    """Moderates batches of queued payloads and publishes their decisions.

    :param redis: connection to the Redis the decisions go to.
    :param model: returns the model to use now (called once per batch, so a promoted model is picked up).
    :param policy: the policy in force.
    :param settings: prefix, expiry and stream bound.
    """

    def __init__(self, redis: Redis, model: Callable[[], ScorerLike], policy: Policy, settings: Settings) -> None:
        self.redis = redis
        self.model = model
        self.policy = policy
        self.settings = settings
        self.publisher = DecisionPublisher(redis, prefix=settings.prefix, ttl_seconds=settings.decision_ttl_seconds,
                                           stream_maxlen=settings.stream_maxlen)
        self.rules = RuleEngine(redis, policy, settings.prefix)
        self.review = ReviewQueue(redis, prefix=settings.prefix, ttl_seconds=settings.decision_ttl_seconds,
                                  stream_maxlen=settings.stream_maxlen)

    @classmethod
    def from_settings(cls, settings: Settings, model: Callable[[], ScorerLike]) -> BatchHandler:
        """A handler with its own Redis connection and the policy file named in ``settings``."""
        redis = redis_for(settings, decode_responses=True, health_check_interval=30)
        return cls(redis, model, load_policy(settings.policy_file), settings)

    def handle(self, payloads: Sequence[Any], submitted_at_ms: int | Mapping[str, int] | None = None) -> BatchResult:
        """Moderate one message's payloads.

        Comments that already have a decision (a redelivered message) are skipped; invalid payloads go to
        the dead-letter stream with their errors. The rules (:mod:`moderation.judging.rules`) see the batch with one
        Redis round trip; comments decided ``review`` are held in their site's review queue
        (:mod:`moderation.review.queue`); published decisions update authors' histories and the audit stream.
        """
        started = time.perf_counter()
        refused = [p for p in payloads if isinstance(p, dict) and REFUSED_FIELD in p]
        if refused:  # refused where the message was read (workers.shape): the stand-in says why
            payloads = [p for p in payloads if not (isinstance(p, dict) and REFUSED_FIELD in p)]
            self.dead_letter(refused, [str(p[REFUSED_FIELD]) for p in refused])
        comments, invalid = validate_payloads(payloads)
        if invalid:
            self.dead_letter([i.payload for i in invalid], [_errors(i) for i in invalid])
        digests = queued_digests(payloads)
        # An id twice in a batch: the last body is the one submitted last (an edit), the earlier one is stale.
        last = {c.ref: c for c in comments}
        unique = [c for c in comments if last[c.ref] is c]
        # One round trip finds the comments already decided (a redelivered message, a duplicate) or superseded
        # by an edit, and counts the others' rates and repeats: a redelivery is neither decided nor counted twice.
        now = datetime.now(UTC)
        observed = [o for o in self.rules.observe(unique, now.timestamp(), digests) if not o.decided]
        todo = [o.comment for o in observed]
        decisions = moderate(todo, self.model(), self.policy, submitted_at_ms=submitted_at_ms, now=now,
                             rules=self.rules, observations=observed)
        decisions = [d if o.revision == 1 else replace(d, revision=o.revision)
                     for d, o in zip(decisions, observed, strict=True)]
        published = self.hold_and_publish(todo, decisions, [digests.get(c.ref, "") for c in todo])
        self.book_keep([(c, d) for c, d, p in zip(todo, decisions, published, strict=True) if p])
        outcomes = Counter(str(d.decision) for d, p in zip(decisions, published, strict=True) if p)
        result = BatchResult(
            published=sum(published),
            duplicates=len(comments) - sum(published),
            invalid=len(invalid) + len(refused),
            outcomes=dict(outcomes),
        )
        log.info("batch moderated", extra={"fields": {
            "comments": len(payloads), "published": result.published, "duplicates": result.duplicates,
            "invalid": result.invalid, "outcomes": result.outcomes,
            "ms": round((time.perf_counter() - started) * 1000, 2),
        }})
        return result

    def hold_and_publish(self, comments: Sequence[Comment], decisions: Sequence[Decision],
                         digests: Sequence[str] | None = None) -> list[bool]:
        """Hold the comments decided ``review`` and publish every decision: one round trip.

        Redis runs a pipeline in order, so a comment is never published without being held. Each decision
        is encoded once: the same record is published and stored with a held comment. The scripts go as bare
        EVALSHA; :func:`moderation.publishing.publish.execute` reloads one Redis lost and re-runs just it.

        :param comments: the moderated comments.
        :param decisions: their decisions, in the same order.
        :param digests: the digests of the bodies decided (:func:`moderation.intake.revisions.body_digest`).
        :returns: for each decision, whether it was published (False: the comment already had one).
        """
        if not decisions:
            return []
        records = [d.to_json() for d in decisions]
        pipe = self.redis.pipeline(transaction=False)
        held = [i for i, d in enumerate(decisions) if d.decision == "review"]
        # An edit no longer held: the hold of its earlier body goes, so no verdict lands on outdated text.
        released = [comments[i] for i, d in enumerate(decisions) if d.revision > 1 and d.decision != "review"]
        self.review.queue_releases(pipe, released)
        self.review.queue_holds(pipe, [(comments[i], decisions[i]) for i in held], [records[i] for i in held])
        self.publisher.queue_publish(decisions, pipe, records, digests)
        return [bool(flag) for flag in execute(pipe)[-1]]

    def book_keep(self, published: Sequence[tuple[Comment, Decision]]) -> None:
        """After publishing: authors' histories, kept texts, audit and metrics, in one round trip.

        :param published: the comments whose decisions were published, with those decisions.
        """
        if not published:
            return
        pipe = self.redis.pipeline(transaction=False)
        self.review.record_published(published, self.policy.keep_comments_seconds, pipe)
        record_decisions(self.redis, self.settings.prefix, [d for _, d in published], pipe)
        execute(pipe)

    def dead_letter(self, payloads: Sequence[Any], errors: Sequence[str], attempts: int = 1) -> None:
        """Record payloads that cannot be moderated, with the error, in the dead-letter stream.

        Their comments leave the pending set in the same transaction, so the sweep does not queue them again
        (``moderation dead-letters requeue`` submits one anew once its cause is fixed).

        :param payloads: the queued payloads.
        :param errors: the error of each payload.
        :param attempts: how many times they were tried.
        """
        pipe = self.redis.pipeline(transaction=True)
        for payload, error in zip(payloads, errors, strict=True):
            comment_id = payload.get("id") if isinstance(payload, dict) else None
            site = payload.get("site") if isinstance(payload, dict) else None
            if isinstance(comment_id, str) and comment_id:
                scope = site if isinstance(site, str) else None
                ref = keys.comment_ref(scope, comment_id)
                pipe.set(keys.refused_key(self.settings.prefix, scope, comment_id), error[:2000],
                         ex=self.settings.decision_ttl_seconds)
                pipe.zrem(keys.pending_key(self.settings.prefix), ref)
                pipe.hdel(keys.pending_payload_key(self.settings.prefix), ref)
                pipe.hdel(keys.pending_digest_key(self.settings.prefix), ref)
            pipe.xadd(keys.dead_letter_stream(self.settings.prefix),
                      letter_fields(str(comment_id or ""), error, attempts, payload,
                                    **({"site": site} if isinstance(site, str) and site else {})),
                      maxlen=self.settings.stream_maxlen, approximate=True)
        pipe.execute()
        log.warning("dead-lettered", extra={"fields": {"count": len(payloads), "error": errors[0][:200]}})


def queued_digests(payloads: Sequence[Any]) -> dict[str, str]:
    """Comment ref (:func:`moderation.keys.comment_ref`) -> digest of the body as queued (the last one when a
    comment comes twice), for each payload with a string id and body.

    :param payloads: one message's (or batch's) payloads, before validation.
    """
    digests: dict[str, str] = {}
    for payload in payloads:
        if isinstance(payload, dict):
            comment_id, body, site = payload.get("id"), payload.get("body"), payload.get("site")
            if isinstance(comment_id, str) and isinstance(body, str):
                digests[keys.comment_ref(site if isinstance(site, str) else None, comment_id)] = body_digest(body)
    return digests


def _errors(item: InvalidInput) -> str:
    return "validation failed: " + json.dumps(item.errors, ensure_ascii=False)
