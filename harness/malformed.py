"""Task messages no producer should send, as a buggy backend in any language could push them: every shape the
transport can hand a worker (not Celery's triple, kwargs of the wrong type, args that are not a list of
comments, bad headers, callbacks) and nesting too deep for the worker to pickle. Each comes with what the
dead letter's reason must say. Used by the worker tests and ``make chaos`` (``poison_shapes``)."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

EMBED = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}


class Text(str):
    """JSON already written out (nesting too deep for ``json.dumps``)."""


def as_json(value: Any) -> str:
    """``value`` as JSON text (a :class:`Text` as it is)."""
    return value if isinstance(value, Text) else json.dumps(value)


def nested(levels: int) -> Text:
    """A list nested ``levels`` deep (about 2 KB for 900), as JSON text."""
    return Text("[" * levels + "1" + "]" * levels)


def raw_message(queue: str, body: Any, **headers: Any) -> str:
    """A kombu envelope around ``body`` (any JSON, or :class:`Text`), as the README lays it out."""
    task_id = str(uuid.uuid4())
    return json.dumps({
        "body": base64.b64encode(as_json(body).encode("utf-8")).decode("ascii"),
        "content-encoding": "utf-8", "content-type": "application/json",
        "headers": {"lang": "py", "task": "moderation.score", "id": task_id, "root_id": task_id,
                    "parent_id": None, "group": None, "retries": 0, "eta": None, "expires": None, **headers},
        "properties": {"correlation_id": task_id, "reply_to": "", "delivery_mode": 2,
                       "delivery_info": {"exchange": "", "routing_key": queue}, "priority": 0,
                       "body_encoding": "base64", "delivery_tag": str(uuid.uuid4())},
    })


def shapes(tag: str) -> list[tuple[Any, dict[str, Any], str]]:
    """(body, extra headers, what the dead letter's reason must say) for each malformed message.

    :param tag: makes the comment ids inside unique.
    """
    one = [{"id": f"{tag}-x", "body": "Thanks for the clear explanation of the budget, very helpful."}]
    return [
        ({"comments": one}, {}, "JSON object, not Celery's [args, kwargs, embed]"),
        ([[one], {}], {}, "list of 2"),
        ([[one]], {}, "list of 1"),
        ([], {}, "list of 0"),
        ([[one], [], EMBED], {}, "kwargs is a JSON list"),
        ([{"comments": one}, {}, EMBED], {}, "args is a JSON object"),
        ([["not comments"], {}, EMBED], {}, "comments are a JSON string"),
        ([[{"id": "x"}], {}, EMBED], {}, "comments are a JSON object"),
        ([[one], {"submitted_at_ms": "yesterday"}, EMBED], {}, "submitted_at_ms"),
        ([[one], {"attempt": "again"}, EMBED], {}, "attempt"),
        ([[one], {"colour": 1}, EMBED], {}, "unknown keyword argument"),
        ([[one], {}, "embed"], {}, "embed is a JSON string"),
        ([[one], {}, {**EMBED, "callbacks": [{"task": "x"}]}], {}, "callbacks"),
        ([[one, one], {}, EMBED], {}, "takes one argument"),
        (None, {}, "JSON null"),
        (42, {}, "JSON number"),
        ("a string", {}, "JSON string"),
        ([[one], {}, EMBED], {"eta": "tomorrow"}, "headers.eta"),
        ([[one], {}, EMBED], {"id": 7}, "headers.id"),
        ([[one], {}, EMBED], {"timelimit": "soon"}, "headers.timelimit"),
        ([[one], {}, EMBED], {"task": 5}, "headers.task"),
        (Text(f'[[{json.dumps(one)}], {{}}, {{"chord": null, "x": {nested(900)}}}]'), {}, "nests deeper than 16"),
        (nested(100_000), {}, "task body nests deeper"),
    ]


def malformed_messages(queue: str, tag: str) -> list[tuple[str, str]]:
    """Each malformed message as pushed raw (``LPUSH``), with what its dead letter's reason must say."""
    return [(raw_message(queue, body, **headers), reason) for body, headers, reason in shapes(tag)]
