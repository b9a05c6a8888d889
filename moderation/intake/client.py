"""The Python client a comment backend uses: submit comments, read decisions.

Importing it needs redis-py and marshmallow only: no Celery, no scikit-learn. Comments are validated here,
then pushed onto the worker queue as Celery task messages (:mod:`moderation.intake.wire`).

Example::

    from moderation.intake.client import ModerationClient

    client = ModerationClient.from_settings()
    receipt = client.submit({"id": "c-1", "body": "Great reporting, thanks!"})
    decision = client.decision("c-1", wait=5)   # None if not decided within 5 s
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from redis import Redis
from redis.exceptions import RedisError
from redis.retry import Retry

from moderation import keys
from moderation.intake.revisions import Submitter
from moderation.intake.schemas import dump_comment, load_comment
from moderation.intake.wire import task_message_from_json
from moderation.records import Comment, Decision
from moderation.settings import Settings, load_settings
from moderation.store.connection import RETRY_SECONDS, redis_for
from moderation.store.retry import bounded_retry


@dataclass(frozen=True)
class Receipt:
    """Proof that a comment was accepted: queued (new, or an edit), or recognised as a duplicate.

    :param id: the comment's id.
    :param task_id: the id of the queued message that carries it ("" for a duplicate: nothing was queued).
    :param submitted_at_ms: when it was queued (milliseconds since the epoch).
    :param status: ``queued`` (a new comment, or an edit: the same id with another body) or ``duplicate``
        (the same id with the body already submitted last: not queued again).
    :param revision: the revision it is queued as: 1 for a new comment, 2+ for an edit (its decision will
        replace the previous one); for a duplicate, the revision of its existing decision (0 if none yet).
    :param decision: a duplicate's existing decision, if it has one.
    :param site: the comment's site (None: none); ids are scoped by site (site-a's and site-b's ``1001`` are
        two comments).
    """

    id: str
    task_id: str
    submitted_at_ms: int
    status: str = "queued"
    revision: int = 1
    decision: Decision | None = None
    site: str | None = None

    @property
    def ref(self) -> str:
        """The comment's name across sites (:func:`moderation.keys.comment_ref`)."""
        return keys.comment_ref(self.site, self.id)

    @property
    def duplicate(self) -> bool:
        """Whether the comment was a duplicate (nothing queued)."""
        return self.status == DUPLICATE

    def to_dict(self) -> dict[str, Any]:
        """What the CLI prints for an accepted comment: id, status, revision, and a duplicate's decision."""
        data: dict[str, Any] = {"id": self.id, "status": self.status, "revision": self.revision}
        if self.site:
            data["site"] = self.site
        if self.decision is not None:
            data["decision"] = self.decision.to_dict()
        return data


#: Receipt status of a comment queued for moderation (new, or an edit).
QUEUED = "queued"
#: Receipt status of a comment submitted again with the same body: not queued again.
DUPLICATE = "duplicate"
#: :meth:`ModerationClient.status` of a comment with a published decision.
DECIDED = "decided"
#: :meth:`ModerationClient.status` of a comment accepted and waiting for its decision.
PENDING = "pending"
#: :meth:`ModerationClient.status` of a comment a worker refused (dead-lettered): :meth:`ModerationClient.refusal`
#: says why.
REFUSED = "refused"
#: :meth:`ModerationClient.status` of an id never submitted (or whose decision has expired).
UNKNOWN = "unknown"


class NotReplicated(RedisError):
    """A submission reached the primary but not ``wait_replicas`` replicas in time: it could be lost in a
    failover, so no receipt says ``queued``. Submitting it again is safe (never decided twice)."""


@dataclass(frozen=True)
class Refusal:
    """A comment that failed validation in :meth:`ModerationClient.submit_many`.

    :param index: its position in the input (0-based).
    :param errors: marshmallow's error dict: field -> messages naming the rule.
    """

    index: int
    errors: dict[str, Any]


def connect(settings: Settings) -> Redis:
    """Open a Redis connection for ``settings`` (``rediss://`` URLs use TLS; ``redis+sentinel://`` URLs ask the
    Sentinels for the master, see :mod:`moderation.store.connection`).

    Calls that fail on a lost connection, a timeout or a failover reply (a Redis restart, a failover) are
    retried with exponential back-off for ``client_retry_seconds`` in all (30 s by default), each attempt
    reconnecting (through Sentinel: to the primary the Sentinels name then), see
    :mod:`moderation.store.retry`; a retried submission may be queued twice, which publishing once per
    comment makes harmless.
    """
    return redis_for(settings, decode_responses=True, health_check_interval=30)


def reconnecting_retry(seconds: float = RETRY_SECONDS) -> Retry:
    """The project's bounded retry policy (:class:`moderation.store.retry.BoundedRetry`) for ``seconds`` in all.

    :param seconds: how long a call keeps retrying.
    """
    return bounded_retry(seconds)


def now_ms() -> int:
    """Milliseconds since the epoch."""
    return time.time_ns() // 1_000_000


class ModerationClient:
    """Submits comments for moderation and reads their decisions.

    :param redis: a connection to the Redis the workers use (pass it explicitly, as rq does).
    :param prefix: the key prefix the workers use.
    :param queue: the Celery queue the workers consume.
    :param batch_size: the most comments one queued message carries (:meth:`submit_many`).
    :param bulk_queue: the queue for bulk work (``submit_many(..., bulk=True)``), served by its own workers so
        a backlog never delays live comments.
    :param wait_replicas: a receipt says ``queued`` only once this many replicas hold the submission (Redis
        ``WAIT``, in the same round trip); 0 (one server) does not wait. See docs/high-availability.md.
    :param wait_timeout_ms: how long ``WAIT`` may take before the submission counts as not confirmed.
    """

    def __init__(self, redis: Redis, *, prefix: str = keys.DEFAULT_PREFIX, queue: str = keys.DEFAULT_QUEUE,
                 batch_size: int = 100, bulk_queue: str = keys.DEFAULT_BULK_QUEUE, wait_replicas: int = 0,
                 wait_timeout_ms: int = 1000) -> None:
        self.redis = redis
        self.prefix = prefix
        self.queue = queue
        self.batch_size = batch_size
        self.bulk_queue = bulk_queue
        self.wait = (wait_replicas, wait_timeout_ms) if wait_replicas > 0 else None
        self._submitter = Submitter(redis, prefix)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ModerationClient:
        """A client configured from the settings file and environment (``REDIS_URL`` and friends)."""
        settings = settings or load_settings()
        return cls(connect(settings), prefix=settings.prefix, queue=settings.queue, batch_size=settings.batch_size,
                   bulk_queue=settings.bulk_queue, wait_replicas=settings.wait_replicas,
                   wait_timeout_ms=settings.submit_wait_timeout_ms)

    def submit(self, comment: dict[str, Any] | Comment) -> Receipt:
        """Validate one comment and queue it.

        :param comment: the payload (a dict shaped as :class:`moderation.intake.schemas.CommentSchema`), or a
            :class:`Comment` already loaded.
        :raises marshmallow.ValidationError: naming each bad field and the rule it breaks; nothing is queued.
        :raises NotReplicated: fewer replicas than ``wait_replicas`` confirmed it: submit it again (the same id
            and body is never decided twice).
        :raises redis.exceptions.RedisError: Redis stayed unreachable for ``client_retry_seconds``.
        """
        loaded = comment if isinstance(comment, Comment) else load_comment(comment)
        return self._enqueue([dump_comment(loaded)])[0]

    def submit_many(self, comments: Iterable[dict[str, Any] | Comment], *, bulk: bool = False,
                    queue: str | None = None) -> list[Receipt | Refusal]:
        """Validate many comments and queue the valid ones, several to a message.

        :param comments: the payloads (or loaded comments).
        :param bulk: queue them on the bulk queue (a backlog, an import) rather than the interactive one.
        :param queue: queue them on this queue (overrides ``bulk``).
        :returns: one entry per input, in order: a :class:`Receipt` if queued, a :class:`Refusal` if not.
        """
        target = queue or (self.bulk_queue if bulk else self.queue)
        results: list[Receipt | Refusal | None] = []
        valid: list[tuple[int, dict[str, Any]]] = []
        for index, comment in enumerate(comments):
            try:
                loaded = comment if isinstance(comment, Comment) else load_comment(comment)
            except ValidationError as exc:
                results.append(Refusal(index, _as_dict(exc.messages)))
                continue
            results.append(None)
            valid.append((index, dump_comment(loaded)))
        for start in range(0, len(valid), self.batch_size):
            chunk = valid[start:start + self.batch_size]
            for (index, _), receipt in zip(chunk, self._enqueue([p for _, p in chunk], target), strict=True):
                results[index] = receipt
        return [r for r in results if r is not None]

    def _enqueue(self, payloads: Sequence[dict[str, Any]], queue: str | None = None) -> list[Receipt]:
        """Queue payloads: one script call records them as pending and pushes their message, unless some are
        duplicates (same id, same body as submitted last), which are left out (:mod:`moderation.intake.revisions`)."""
        submitted = now_ms()
        queue = queue or self.queue
        task_id = str(uuid.uuid4())
        # Each payload is serialized once: the same strings go to the pending hash and into the message.
        serialized = [json.dumps(p, ensure_ascii=False) for p in payloads]
        ids = [p["id"] for p in payloads]
        sites = [p.get("site") or None for p in payloads]
        message = task_message_from_json(serialized, ids[:5], submitted_at_ms=submitted, queue=queue,
                                          task_id=task_id)
        refs = [keys.comment_ref(site, comment_id) for site, comment_id in zip(sites, ids, strict=True)]
        results, pushed, acked = self._submitter.submit(refs, [p["body"] for p in payloads], serialized, message,
                                                        queue, submitted, self.wait)
        if not pushed:
            kept = [text for text, r in zip(serialized, results, strict=True) if not r.duplicate]
            if kept:
                kept_ids = [i for i, r in zip(ids, results, strict=True) if not r.duplicate]
                acked = self._submitter.push(queue, task_message_from_json(
                    kept, kept_ids[:5], submitted_at_ms=submitted, queue=queue, task_id=task_id), self.wait)
        if self.wait and acked < self.wait[0]:
            raise NotReplicated(f"{acked} of {self.wait[0]} replica(s) confirmed the submission within "
                                f"{self.wait[1]} ms: not safe across a failover yet; submit it again")
        receipts = []
        for comment_id, site, result in zip(ids, sites, results, strict=True):
            if result.duplicate:
                existing = Decision.from_json(result.decision) if result.decision else None
                receipts.append(Receipt(id=comment_id, task_id="", submitted_at_ms=submitted, status=DUPLICATE,
                                        revision=existing.revision if existing else 0, decision=existing, site=site))
            else:
                receipts.append(Receipt(id=comment_id, task_id=task_id, submitted_at_ms=submitted,
                                        revision=result.revision, site=site))
        return receipts

    def decision(self, comment_id: str, wait: float | None = None, *, site: str | None = None) -> Decision | None:
        """The comment's decision, or None if there is none (yet).

        :param comment_id: the backend's id of the comment.
        :param wait: seconds to wait for it to be published; None or 0 looks once.
        :param site: the comment's site (ids are scoped by site; None: a comment submitted without one).
        """
        key = keys.decision_key(self.prefix, site, comment_id)
        wanted = [f'"comment_id":{json.dumps(comment_id, ensure_ascii=False)}']
        if site:
            wanted.append(f'"site":{json.dumps(site, ensure_ascii=False)}')
        if not wait:
            raw = self.redis.get(key)
            return Decision.from_json(raw) if raw else None
        deadline = time.monotonic() + wait
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(keys.decisions_channel(self.prefix))
            raw = self.redis.get(key)  # after subscribing, so a decision published meanwhile is not missed
            while not raw:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                message = pubsub.get_message(timeout=min(remaining, 1.0))
                if message and all(w in message["data"] for w in wanted):
                    raw = self.redis.get(key) or message["data"]
                elif message is None:
                    raw = self.redis.get(key)
            return Decision.from_json(raw)
        finally:
            pubsub.close()

    def status(self, comment_id: str, *, site: str | None = None) -> str:
        """Where a comment stands: :data:`DECIDED` (it has a decision), :data:`PENDING` (accepted, waiting for
        its decision), :data:`REFUSED` (a worker dead-lettered it: :meth:`refusal` says why) or :data:`UNKNOWN`
        (never submitted through the pending set, or its decision expired).

        :param comment_id: the backend's id of the comment.
        :param site: its site (None: none).
        """
        pipe = self.redis.pipeline(transaction=False)
        pipe.exists(keys.decision_key(self.prefix, site, comment_id))
        pipe.zscore(keys.pending_key(self.prefix), keys.comment_ref(site, comment_id))
        pipe.exists(keys.refused_key(self.prefix, site, comment_id))
        decided, pending, refused = pipe.execute()
        if decided:
            return DECIDED
        if pending is not None:
            return PENDING
        return REFUSED if refused else UNKNOWN

    def refusal(self, comment_id: str, *, site: str | None = None) -> str | None:
        """Why a worker refused the comment (its dead letter's error), if it did.

        :param comment_id: the backend's id of the comment.
        :param site: its site (None: none).
        """
        reason: Any = self.redis.get(keys.refused_key(self.prefix, site, comment_id))
        return None if reason is None else str(reason)

    def decisions(self, comment_ids: Sequence[str], *, site: str | None = None) -> dict[str, Decision | None]:
        """The stored decisions of many comments of one site (None: none) in one round trip."""
        values = self.redis.mget([keys.decision_key(self.prefix, site, c) for c in comment_ids]) if comment_ids else []
        return {c: (Decision.from_json(v) if v else None) for c, v in zip(comment_ids, values, strict=True)}

    def pending_count(self) -> int:
        """How many accepted comments have no decision yet."""
        return int(self.redis.zcard(keys.pending_key(self.prefix)))


def _as_dict(messages: Any) -> dict[str, Any]:
    return messages if isinstance(messages, dict) else {"_schema": messages}
