"""The message checks, driven by the hostile-input generator: every message shape and nesting depth a transport
can hand a worker is either taken (in the shape the task expects, nothing nested too deep) or refused with a
reason; nothing else ever comes out of them (in the worker, anything else would stop it)."""

from __future__ import annotations

import base64
import json
import sys
from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.moderation.hostile_payloads import message_bodies
from workers.shape import MAX_BODY_DEPTH, MAX_COMMENT_DEPTH, REFUSED_FIELD, Refused, check_envelope, depth


def envelope(body_text: str) -> dict[str, Any]:
    return {"body": base64.b64encode(body_text.encode("utf-8", "surrogatepass")).decode("ascii"),
            "content-type": "application/json", "content-encoding": "utf-8",
            "headers": {"task": "moderation.score", "id": "t-1"},
            "properties": {"delivery_tag": "d-1", "body_encoding": "base64", "delivery_info": {}}}


def _dumps(value: Any) -> str | None:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 5000))
    try:
        return json.dumps(value, allow_nan=True)
    except (ValueError, RecursionError):
        return None
    finally:
        sys.setrecursionlimit(limit)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(message_bodies)
def test_every_message_shape_is_taken_in_the_right_shape_or_refused_with_a_reason(body: Any) -> None:
    text = _dumps(body)
    if text is None:
        return
    try:
        checked = check_envelope(envelope(text))
    except Refused as exc:
        assert str(exc)
        return
    # Taken: Celery's triple, one list of comments, nothing nested too deep (refused comments are stand-ins)
    taken = json.loads(base64.b64decode(checked.envelope["body"]))
    assert isinstance(taken, list) and len(taken) == 3
    args, kwargs, embed = taken
    assert isinstance(args, list) and isinstance(kwargs, dict) and (embed is None or isinstance(embed, dict))
    comments = args[0] if args else kwargs["comments"]
    assert isinstance(comments, list)
    assert all(depth(c, MAX_COMMENT_DEPTH) <= MAX_COMMENT_DEPTH or REFUSED_FIELD in c for c in comments)
    assert depth(taken, MAX_BODY_DEPTH) <= MAX_BODY_DEPTH


def test_a_comment_nested_too_deep_is_replaced_by_a_stand_in_naming_it() -> None:
    deep = "[" * 900 + "1" + "]" * 900
    text = f'[[[{{"id": "a", "body": "x"}}, {{"id": "b", "site": "news", "metadata": {{"x": {deep}}}}}]], {{}}, null]'
    checked = check_envelope(envelope(text))
    comments = json.loads(base64.b64decode(checked.envelope["body"]))[0][0]
    assert checked.refused_comments == 1 and comments[0] == {"id": "a", "body": "x"}
    assert comments[1][REFUSED_FIELD].startswith("comment nests deeper") and comments[1]["site"] == "news"
