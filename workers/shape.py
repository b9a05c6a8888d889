"""What a task message must look like before the worker's main process takes it: shape, size and depth.

kombu hands the consumer whatever JSON envelope a producer pushed; Celery then unpacks the body in the
worker's main process (``args, kwargs, embed = body``), and pickles each request to send it to a pool
process. A body of the wrong shape (an object, a two-part list) made that unpacking raise inside the event
loop ("Unrecoverable error", the worker exits, and dies again at every restart on the same message); a comment
nested a few hundred levels deep made the pickling fail, and the whole flush stayed stuck. :func:`check_envelope`
is called where a queue item is first read (:mod:`workers.transport`), before anything unpacks or pickles it:

* a message of the wrong shape (not Celery's protocol 2 ``[args, kwargs, embed]``, kwargs of the wrong type,
  headers Celery cannot read, a body over :data:`MAX_BODY_BYTES` or nested beyond :data:`MAX_BODY_DEPTH`) is
  refused as a whole, with a reason naming what was wrong (the consumer dead-letters it);
* a comment nested beyond :data:`MAX_COMMENT_DEPTH` is replaced by a small stand-in (:data:`REFUSED_FIELD`
  and its id), which the batch handler dead-letters with that reason; its batch-mates are decided as usual.

Comments that are not objects, or whose fields are wrong (an id that is a number, say), are left to the
handler's validation, which dead-letters each with its errors.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from moderation import keys

#: The largest task body (decoded from base64) a worker reads: a full batch of the largest comments fits.
MAX_BODY_BYTES = 8 * 1024 * 1024
#: How deeply a task body may nest (a comment's metadata is 5 levels down).
MAX_BODY_DEPTH = 16
#: How deeply one comment may nest (an object of objects: 2; of lists of objects: 3).
MAX_COMMENT_DEPTH = 6
#: The most comments one message may carry.
MAX_COMMENTS = 1000
#: Field of the stand-in left where a comment was refused at read; its value is the reason.
REFUSED_FIELD = "x-moderation-refused"
#: Keyword arguments the score task takes.
SCORE_KWARGS = frozenset({"comments", "submitted_at_ms", "attempt"})
_EMBED_KEYS = ("callbacks", "errbacks", "chain", "chord")
_STR_HEADERS = ("id", "root_id", "parent_id", "group", "eta", "expires", "shadow", "argsrepr", "kwargsrepr",
                "origin", "lang")


class Refused(ValueError):
    """A message refused as a whole; the message says why."""


@dataclass(frozen=True)
class Checked:
    """A message that may be taken: its envelope (the body rewritten when comments were refused)."""

    envelope: dict[str, Any]
    refused_comments: int = 0


def depth(value: Any, limit: int) -> int:
    """How deeply ``value`` nests (a scalar: 0, ``[]``: 1, ``[[1]]``: 2), counted without recursion and
    stopping once past ``limit`` (then ``limit + 1`` is returned).

    :param value: decoded JSON.
    :param limit: the depth beyond which counting stops.
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            level += 1
            if level > limit:
                return limit + 1
            deepest = max(deepest, level)
            stack.extend((child, level) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def check_envelope(envelope: dict[str, Any]) -> Checked:
    """Check one kombu envelope (already known to be one: ``workers.transport.envelope_problem``).

    Only JSON task messages are looked into; another content type is left to Celery (which refuses it).

    :param envelope: the parsed queue item.
    :returns: the envelope to hand on, its body rewritten if comments were refused.
    :raises Refused: naming what is wrong with the message.
    """
    headers = envelope.get("headers") or {}
    if envelope.get("content-type") != "application/json":
        return Checked(envelope)
    task = _check_headers(headers)
    body = _decode(envelope)
    if not isinstance(body, list):
        raise Refused(f"task body is a JSON {_kind(body)}, not Celery's [args, kwargs, embed] list")
    if len(body) != 3:
        raise Refused(f"task body is a list of {len(body)}, not Celery's [args, kwargs, embed]")
    args, kwargs, embed = body
    if not isinstance(args, list):
        raise Refused(f"task args is a JSON {_kind(args)}, not a list")
    if not isinstance(kwargs, dict):
        raise Refused(f"task kwargs is a JSON {_kind(kwargs)}, not an object")
    _check_embed(embed)
    refused = 0
    if task == keys.SCORE_TASK:
        refused = _check_score(args, kwargs)
    if depth(body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH:
        raise Refused(f"task body nests deeper than {MAX_BODY_DEPTH} levels")
    if not refused:
        return Checked(envelope)
    text = json.dumps(body, ensure_ascii=False).encode("utf-8")
    rewritten = {**envelope, "body": base64.b64encode(text).decode("ascii")}
    rewritten["properties"] = {**envelope["properties"], "body_encoding": "base64"}
    return Checked(rewritten, refused)


def _kind(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")


def _check_headers(headers: dict[str, Any]) -> str:
    task = headers.get("task")
    if not isinstance(task, str) or not task:
        raise Refused("headers.task is missing or not a string (only Celery protocol 2 messages are taken)")
    for name in _STR_HEADERS:
        if headers.get(name) is not None and not isinstance(headers[name], str):
            raise Refused(f"headers.{name} is a JSON {_kind(headers[name])}, not a string or null")
    retries = headers.get("retries")
    if retries is not None and (not isinstance(retries, int) or isinstance(retries, bool) or retries < 0):
        raise Refused("headers.retries is not a count")
    limits = headers.get("timelimit")
    if limits is not None and not (isinstance(limits, list) and len(limits) == 2
                                   and all(v is None or _is_number(v) for v in limits)):
        raise Refused("headers.timelimit is not [soft, hard] (numbers or nulls)")
    if headers.get("eta") is not None or headers.get("expires") is not None:
        # Parsed by Celery in the main process; a bad date stopped the worker.
        from datetime import datetime

        for name in ("eta", "expires"):
            if headers.get(name) is not None:
                try:
                    datetime.fromisoformat(headers[name])
                except ValueError:
                    raise Refused(f"headers.{name} is not an ISO 8601 date") from None
    return task


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decode(envelope: dict[str, Any]) -> Any:
    raw = envelope.get("body") or ""
    if envelope["properties"].get("body_encoding") == "base64":
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise Refused("undecodable task body: not valid base64") from None
    else:
        data = raw.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BODY_BYTES:
        raise Refused(f"task body is {len(data)} bytes, over the limit of {MAX_BODY_BYTES}")
    try:
        return json.loads(data)
    except RecursionError:
        raise Refused(f"task body nests deeper than {MAX_BODY_DEPTH} levels") from None
    except ValueError as exc:
        raise Refused(f"undecodable task body: not JSON: {exc}") from None


def _check_embed(embed: Any) -> None:
    if embed is None:
        return
    if not isinstance(embed, dict):
        raise Refused(f"task embed is a JSON {_kind(embed)}, not an object or null")
    for name in _EMBED_KEYS:
        if embed.get(name) is not None:
            raise Refused(f"task embed.{name} is set: callbacks, chains and chords are not taken")


def _check_score(args: list[Any], kwargs: dict[str, Any]) -> int:
    unknown = sorted(set(kwargs) - SCORE_KWARGS)
    if unknown:
        raise Refused(f"unknown keyword argument(s) of {keys.SCORE_TASK}: {', '.join(map(repr, unknown[:5]))}")
    if len(args) > 1 or (args and "comments" in kwargs):
        raise Refused(f"{keys.SCORE_TASK} takes one argument, the list of comments; got {len(args)} argument(s)"
                      + (" and kwargs.comments" if "comments" in kwargs else ""))
    if not args and "comments" not in kwargs:
        raise Refused(f"{keys.SCORE_TASK} got no comments (args is empty and there is no kwargs.comments)")
    comments = args[0] if args else kwargs["comments"]
    if not isinstance(comments, list):
        raise Refused(f"the comments are a JSON {_kind(comments)}, not a list of comment objects")
    if len(comments) > MAX_COMMENTS:
        raise Refused(f"{len(comments)} comments in one message, over the limit of {MAX_COMMENTS}")
    sent = kwargs.get("submitted_at_ms")
    if sent is not None and not _is_number(sent) and not (
            isinstance(sent, dict) and all(_is_number(v) for v in sent.values())):
        raise Refused("kwargs.submitted_at_ms is neither a time in ms nor an object of them by comment id")
    attempt = kwargs.get("attempt")
    if attempt is not None and (not isinstance(attempt, int) or isinstance(attempt, bool) or attempt < 0):
        raise Refused("kwargs.attempt is not a count")
    refused = 0
    for index, comment in enumerate(comments):
        if depth(comment, MAX_COMMENT_DEPTH) > MAX_COMMENT_DEPTH:
            comments[index] = stand_in(comment, f"comment nests deeper than {MAX_COMMENT_DEPTH} levels")
            refused += 1
    return refused


def stand_in(comment: Any, reason: str) -> dict[str, Any]:
    """What takes a refused comment's place in its message: the reason, and its id and site when they are
    strings (so its pending entry can be cleared).

    :param comment: the refused comment.
    :param reason: why it was refused.
    """
    kept: dict[str, Any] = {REFUSED_FIELD: reason}
    if isinstance(comment, dict):
        for name in ("id", "site"):
            if isinstance(comment.get(name), str):
                kept[name] = comment[name][:200]
        kept["fields"] = sorted(str(k)[:64] for k in list(comment)[:20])
    return kept
