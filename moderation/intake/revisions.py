"""Edits and duplicates: the same comment id submitted again.

People edit comments. A comment submitted again with the **same id and another body is an edit**: it is
moderated again and its decision is replaced and published again (stored, on the stream, on pub/sub) with the
next **revision** number (the first decision is revision 1). The **same id with the same body is a
duplicate**: it is not queued again, and the receipt says so, with the decision when there is one.

What Redis keeps for this (names in :mod:`moderation.keys`):

- ``<prefix>:pending:digest`` (hash): comment id -> digest of the body queued last, while undecided. The
  client writes it with the pending set and payload hash; so may a raw-Redis producer (README).
- ``<prefix>:revision:<id>`` (hash, expires with the decision): the published ``revision``, the ``digest``
  of its body, and ``d:<digest>`` -> revision for every body decided so far.

The worker (:meth:`moderation.judging.rules.engine.RuleEngine.observe`) decides a delivered body unless it is stale (a
newer body is pending) or already decided; it publishes it as revision N+1 over a decision of revision N
(:mod:`moderation.publishing.publish`), never twice for one revision. A digest is the SHA-1 (hex) of the body's UTF-8
bytes exactly as queued (:func:`body_digest`); any language computes the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from redis import Redis
from redis.exceptions import NoScriptError

from moderation import keys

_SUBMIT_LUA = resources.files("moderation.intake").joinpath("data/submit.lua").read_text(encoding="utf-8")


def body_digest(body: str) -> str:
    """The digest of a comment body as queued: SHA-1 of its UTF-8 bytes, in hex.

    :param body: the ``body`` field of the payload.
    """
    return hashlib.sha1(body.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Queued:
    """What :meth:`Submitter.submit` made of one comment.

    :param revision: the revision it is queued as (1 new, 2+ an edit), 0 for a duplicate (not queued).
    :param decision: a duplicate's stored decision JSON, if it has one.
    """

    revision: int
    decision: str | None = None

    @property
    def duplicate(self) -> bool:
        """Whether the comment was a duplicate (not queued)."""
        return self.revision == 0


class Submitter:
    """Queues serialized payloads with the duplicate / edit check, in one script call (one round trip).

    :param redis: the connection (decoded or not).
    :param prefix: the key prefix.
    """

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self._script = redis.register_script(_SUBMIT_LUA)

    def submit(self, refs: Sequence[str], bodies: Sequence[str], serialized: Sequence[str], message: str,
               queue: str, now_ms: int, wait: tuple[int, int] | None = None) -> tuple[list[Queued], bool, int]:
        """Record the comments as pending (all but the duplicates) and push ``message`` if none is a duplicate.

        :param refs: the comments' refs (:func:`moderation.keys.comment_ref`: the id, scoped by the site).
        :param bodies: their bodies, as in the payloads.
        :param serialized: the payloads as JSON (stored for the sweep).
        :param message: the task message carrying every payload.
        :param queue: the queue's list.
        :param now_ms: the submission time.
        :param wait: ``(replicas, timeout_ms)``: then ``WAIT`` for that many replicas on the same connection,
            in the same round trip (a retry after a lost connection runs both again, on the new primary).
        :returns: per comment what became of it, whether ``message`` was pushed (if not, some were
            duplicates: push a message of the others), and how many replicas acknowledged (0 without ``wait``).
        """
        prefix = self.prefix
        script_keys = [keys.pending_key(prefix), keys.pending_payload_key(prefix), keys.pending_digest_key(prefix),
                       queue]
        args: list[str | int] = [now_ms, message]
        for ref, body, text in zip(refs, bodies, serialized, strict=True):
            site, comment_id = keys.split_ref(ref)
            script_keys += (keys.revision_key(prefix, site, comment_id), keys.decision_key(prefix, site, comment_id))
            args += (ref, body_digest(body), text)
        reply, acked = self._run(wait, "EVALSHA", self._script.sha, len(script_keys), *script_keys, *args)
        pushed = int(reply[0]) == 1
        results = []
        for at in range(1, len(reply), 2):
            decision = reply[at + 1]
            if isinstance(decision, bytes):
                decision = decision.decode("utf-8")
            results.append(Queued(int(reply[at]), decision or None))
        return results, pushed, acked

    def push(self, queue: str, message: str, wait: tuple[int, int] | None = None) -> int:
        """Push ``message`` onto ``queue`` (then ``WAIT`` as in :meth:`submit`); how many replicas acknowledged."""
        return self._run(wait, "LPUSH", queue, message)[1]

    def _run(self, wait: tuple[int, int] | None, *command: Any) -> tuple[Any, int]:
        for attempt in range(2):
            pipe = self.redis.pipeline(transaction=False)
            pipe.execute_command(*command)
            if wait:
                pipe.execute_command("WAIT", *wait)
            try:
                replies = pipe.execute()
            except NoScriptError:
                if attempt:
                    raise
                self.redis.script_load(_SUBMIT_LUA)
                continue
            return replies[0], int(replies[1]) if wait else 0
        raise AssertionError("unreachable")
