"""Webhook deliveries in Redis: made from the decision stream, taken, retried with growing pauses, dead-lettered.

* :meth:`DeliveryQueue.ingest` reads the decision stream as the ``webhooks`` consumer group and, for each
  decision of a site with webhooks, records one delivery per URL (a hash of jobs and a sorted set of when each
  may next be attempted), acknowledging the stream entry in the same transaction. A delivery is recorded
  already taken by the caller (due at the end of a lease), who attempts it at once.
* :meth:`DeliveryQueue.take` takes the deliveries that are due (retries, and those of a deliverer that died:
  their lease ran out), pushing each to the end of a new lease, atomically, so two deliverers never take the
  same one at once.
* :meth:`DeliveryQueue.done`, :meth:`retry` and :meth:`give_up` end an attempt: removed, due again after a
  pause (:func:`backoff`), or moved to the webhook dead-letter stream once ``webhook_retry_seconds`` have
  passed since the decision.

Nothing here slows moderation: workers only append to the decision stream, as they always do.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any

from redis import Redis
from redis.exceptions import ResponseError

from moderation import keys
from moderation.publishing.webhooks import Webhook, Webhooks, decision_body, ensure_group

#: Pause before the first retry; each later one doubles, up to ``webhook_backoff_max_seconds``.
FIRST_PAUSE_SECONDS = 0.5

_TAKE_LUA = resources.files("moderation.publishing").joinpath("data/webhook_take.lua").read_text(encoding="utf-8")

_HURRY_LUA = resources.files("moderation.publishing").joinpath("data/webhook_hurry.lua").read_text(encoding="utf-8")


@dataclass
class Delivery:
    """One decision (or test event) to POST to one webhook.

    :param id: the delivery's id (webhook id and stream entry).
    :param hook: the webhook's id (its URL and secret are read when it is attempted).
    :param body: the JSON body, as sent every time.
    :param key: its idempotency key.
    :param first_ms: when the decision was read (ms); retries stop ``webhook_retry_seconds`` after it.
    :param attempts: attempts so far.
    :param last_error: why the last attempt failed.
    """

    id: str
    hook: str
    body: str
    key: str
    first_ms: int
    attempts: int = 0
    last_error: str = ""

    def to_json(self) -> str:
        """As stored in the jobs hash."""
        return json.dumps(asdict(self), ensure_ascii=False)


def backoff(attempts: int, max_seconds: float) -> float:
    """Seconds to wait before the next attempt, after ``attempts`` failed ones (doubling, with jitter).

    :param attempts: failed attempts so far (1 after the first).
    :param max_seconds: the longest pause.
    """
    pause = min(max_seconds, FIRST_PAUSE_SECONDS * 2 ** max(0, min(attempts - 1, 30)))
    return pause * random.uniform(0.8, 1.0)


class DeliveryQueue:
    """Webhook deliveries of one deployment.

    :param redis: a decoding connection.
    :param prefix: the key prefix.
    :param consumer: this deliverer's name in the consumer group.
    :param lease_seconds: how long a taken delivery is this deliverer's before others may take it.
    """

    def __init__(self, redis: Redis, prefix: str, consumer: str, lease_seconds: float = 30.0) -> None:
        self.redis = redis
        self.prefix = prefix
        self.consumer = consumer
        self.lease_ms = int(lease_seconds * 1000)
        self.stream = keys.decisions_stream(prefix)
        self.jobs = keys.webhook_jobs_key(prefix)
        self.due = keys.webhook_due_key(prefix)
        self.taken = keys.webhook_taken_key(prefix)
        self.dead = keys.webhook_dead_letters_stream(prefix)
        self._take = redis.register_script(_TAKE_LUA)
        self._hurry = redis.register_script(_HURRY_LUA)
        ensure_group(redis, prefix)

    def ingest(self, webhooks: Webhooks, now_ms: int, *, block_ms: int = 200, count: int = 200,
               reclaim: bool = False) -> list[Delivery]:
        """Read new decision stream entries (or, with ``reclaim``, those another deliverer read and never
        acknowledged for a lease), record their deliveries taken by this deliverer, acknowledge the entries.

        :param webhooks: the registrations (read again for each batch of entries: a webhook added a moment ago
            gets the decisions published after it).
        :param now_ms: the current time (ms).
        :param block_ms: how long to wait for new entries.
        :param count: the most entries read at once.
        :param reclaim: take over entries left unacknowledged instead of reading new ones.
        :returns: the deliveries to attempt now.
        """
        try:
            if reclaim:
                reply: Any = self.redis.xautoclaim(self.stream, keys.WEBHOOK_GROUP, self.consumer,
                                                   min_idle_time=self.lease_ms, start_id="0-0", count=count)
                entries = reply[1]
            else:
                read: Any = self.redis.xreadgroup(keys.WEBHOOK_GROUP, self.consumer, {self.stream: ">"},
                                                  count=count, block=block_ms)
                entries = read[0][1] if read else []
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            ensure_group(self.redis, self.prefix)
            return []
        if not entries:
            return []
        by_site: dict[str, list[Webhook]] = {}
        for hook in webhooks.all().values():
            by_site.setdefault(hook.site, []).append(hook)
        deliveries: list[Delivery] = []
        acked: list[str] = []
        for entry_id, fields in entries:
            acked.append(entry_id)
            try:
                record = json.loads((fields or {})["record"])
                site = record.get("site")
            except (KeyError, ValueError, TypeError, AttributeError):
                continue
            for hook in by_site.get(site or "", []):
                body = decision_body(record, entry_id)
                key = json.loads(body)["idempotency_key"]
                deliveries.append(Delivery(id=f"{hook.id}:{entry_id}", hook=hook.id, body=body.decode(), key=key,
                                           first_ms=now_ms))
        if not acked:
            return []
        pipe = self.redis.pipeline(transaction=True)
        for delivery in deliveries:
            pipe.hsetnx(self.jobs, delivery.id, delivery.to_json())
            pipe.zadd(self.due, {delivery.id: now_ms + self.lease_ms}, nx=True)
            pipe.hset(self.taken, delivery.id, now_ms + self.lease_ms)
        pipe.xack(self.stream, keys.WEBHOOK_GROUP, *acked)
        pipe.execute()
        return deliveries

    def take(self, now_ms: int, limit: int) -> list[Delivery]:
        """Take up to ``limit`` due deliveries (retries; those whose deliverer's lease ran out)."""
        if limit <= 0:
            return []
        ids: Any = self._take(keys=[self.due, self.taken], args=[now_ms, now_ms + self.lease_ms, limit])
        if not ids:
            return []
        raw: Any = self.redis.hmget(self.jobs, ids)
        taken = []
        for job_id, value in zip(ids, raw, strict=True):
            if value is None:  # its job is gone (done meanwhile): forget it
                self.redis.zrem(self.due, job_id)
                self.redis.hdel(self.taken, job_id)
                continue
            taken.append(Delivery(**json.loads(value)))
        return taken

    def done(self, delivery: Delivery) -> None:
        """The receiver accepted it: forget it."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.zrem(self.due, delivery.id)
        pipe.hdel(self.jobs, delivery.id)
        pipe.hdel(self.taken, delivery.id)
        pipe.execute()

    def hurry(self, hook_id: str, now_ms: int) -> int:
        """The webhook's receiver answered again: make its deliveries waiting for a retry due now, rather than
        after their pauses (up to ``webhook_backoff_max_seconds``). Those being attempted are left alone.

        :returns: how many were made due.
        """
        return int(self._hurry(keys=[self.due, self.taken], args=[now_ms, f"{hook_id}:"]))

    def retry(self, delivery: Delivery, error: str, due_ms: int) -> None:
        """An attempt failed: record it, due again at ``due_ms``."""
        delivery.attempts += 1
        delivery.last_error = error[:500]
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(self.jobs, delivery.id, delivery.to_json())
        pipe.zadd(self.due, {delivery.id: due_ms}, xx=True)
        pipe.hdel(self.taken, delivery.id)
        pipe.execute()

    def give_up(self, delivery: Delivery, error: str, hook: Webhook | None, maxlen: int) -> None:
        """Retried for long enough (or its webhook is gone): move it to the dead-letter stream."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.zrem(self.due, delivery.id)
        pipe.hdel(self.jobs, delivery.id)
        pipe.hdel(self.taken, delivery.id)
        if hook is not None:
            pipe.xadd(self.dead, {"webhook": hook.id, "site": hook.site, "url": hook.url,
                                  "idempotency_key": delivery.key, "attempts": delivery.attempts + 1,
                                  "error": error[:500], "body": delivery.body}, maxlen=maxlen, approximate=True)
        pipe.execute()

    def requeue_dead(self, entry_ids: Sequence[str], now_ms: int) -> int:
        """Deliver dead-lettered deliveries again (their retry time starts anew); how many were requeued."""
        requeued = 0
        for entry_id in entry_ids:
            found: Any = self.redis.xrange(self.dead, min=entry_id, max=entry_id)
            if not found:
                continue
            fields = found[0][1]
            delivery = Delivery(id=f"{fields['webhook']}:dead:{entry_id}", hook=fields["webhook"], body=fields["body"],
                                key=fields["idempotency_key"], first_ms=now_ms)
            pipe = self.redis.pipeline(transaction=True)
            pipe.hset(self.jobs, delivery.id, delivery.to_json())
            pipe.zadd(self.due, {delivery.id: now_ms})
            pipe.xdel(self.dead, entry_id)
            pipe.execute()
            requeued += 1
        return requeued


