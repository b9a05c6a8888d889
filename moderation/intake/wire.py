"""The wire contract: the message that enqueues comments, in Celery's task protocol (version 2).

A comment backend does not need Celery (or Python) to enqueue: it pushes one JSON string onto a Redis list
named after the queue, as kombu's Redis transport lays messages out, and a worker picks it up. This module
builds that string; the README documents it for other languages.

The task ``moderation.score`` takes one positional argument, a list of comment payloads, and the keyword
argument ``submitted_at_ms`` (milliseconds since the epoch of the first submission; or an object of
them by comment id) used for the decision's latency.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from moderation import keys

#: Embedded options of Celery's protocol 2: no callbacks, chains or chords.
_EMBED = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}
_EMBED_JSON = json.dumps(_EMBED)


def task_message(
    comments: Sequence[dict[str, Any]],
    *,
    submitted_at_ms: int | Mapping[str, int],
    queue: str = keys.DEFAULT_QUEUE,
    task_id: str | None = None,
    task: str = keys.SCORE_TASK,
    options: dict[str, Any] | None = None,
) -> str:
    """Build the JSON string to ``LPUSH`` onto the queue's list to have ``comments`` moderated.

    :param comments: validated, dumped comment payloads (see :func:`moderation.intake.schemas.dump_comment`).
    :param submitted_at_ms: when they were first submitted, in milliseconds since the epoch: one time for
        all, or each comment's by id (the sweep re-queues comments first submitted at different times).
    :param queue: the Celery queue name (also the Redis list's key).
    :param task_id: the message's id; a new UUID by default.
    :param task: the task to run (``moderation.score``; ``moderation.rescore`` for a re-scoring run).
    :param options: further keyword arguments of the task (a re-scoring run's ``run`` and ``apply``).
    """
    return task_message_from_json([json.dumps(c, ensure_ascii=False) for c in comments],
                                  [str(c.get("id")) for c in comments[:5]], submitted_at_ms=submitted_at_ms,
                                  queue=queue, task_id=task_id, task=task, options=options)


def task_message_from_json(
    comments_json: Sequence[str],
    first_ids: Sequence[str],
    *,
    submitted_at_ms: int | Mapping[str, int],
    queue: str = keys.DEFAULT_QUEUE,
    task_id: str | None = None,
    task: str = keys.SCORE_TASK,
    options: dict[str, Any] | None = None,
) -> str:
    """:func:`task_message` for payloads already serialized (the client stores the same strings in the
    pending hash, so each payload is serialized once).

    :param comments_json: each payload as a JSON object string.
    :param first_ids: the ids of the first few payloads, for the message's ``argsrepr``.
    """
    task_id = task_id or str(uuid.uuid4())
    sent = dict(submitted_at_ms) if isinstance(submitted_at_ms, Mapping) else submitted_at_ms
    kwargs = {"submitted_at_ms": sent, **(options or {})}
    body = "[[[" + ", ".join(comments_json) + "]], " + json.dumps(kwargs, ensure_ascii=False) + ", " + _EMBED_JSON + "]"
    ids = ",".join(first_ids[:5])
    return json.dumps(
        {
            "body": base64.b64encode(body.encode("utf-8")).decode("ascii"),
            "content-encoding": "utf-8",
            "content-type": "application/json",
            "headers": {
                "lang": "py",
                "task": task,
                "id": task_id,
                "shadow": None,
                "eta": None,
                "expires": None,
                "group": None,
                "group_index": None,
                "retries": 0,
                "timelimit": [None, None],
                "root_id": task_id,
                "parent_id": None,
                "argsrepr": f"[{len(comments_json)} comments: {ids}]",
                "kwargsrepr": repr(kwargs),
                "origin": "moderation-client",
                "ignore_result": True,
            },
            "properties": {
                "correlation_id": task_id,
                "reply_to": "",
                "delivery_mode": 2,
                "delivery_info": {"exchange": "", "routing_key": queue},
                "priority": 0,
                "body_encoding": "base64",
                "delivery_tag": str(uuid.uuid4()),
            },
        },
        ensure_ascii=False,
    )


def comments_of(message: str | bytes) -> list[dict[str, Any]]:
    """The comment payloads a queued message carries (for tools that inspect or requeue messages)."""
    envelope = json.loads(message)
    args, _kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
    return list(args[0])
