"""Marshmallow schemas for what a comment backend submits.

The fields follow what comment backends send (Akismet's list is the guide). Every error names the field
and the rule, in marshmallow's error dict: ``{"body": ["must not be blank"], "author": {"email": [...]}}``.
Loading builds plain :class:`~moderation.records.Comment` objects. The fields' rules (limits, patterns,
validators) live in :mod:`moderation.intake.field_rules`. A plainly valid payload is built by the fast path in
:mod:`moderation.intake.fast_schema`, which applies those same rules without marshmallow's machinery; anything else
goes through the schema, so every refusal and its messages come from here.
"""

from __future__ import annotations

import json
import math
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from moderation.intake import fast_schema as _fast
from moderation.intake.field_rules import (
    EMAIL,
    ID,
    LANG,
    MAX_BODY_CHARS,
    MAX_EMAIL_CHARS,
    MAX_METADATA_INT,
    MAX_METADATA_KEY_CHARS,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE_CHARS,
    MAX_NAME_CHARS,
    MAX_PAYLOAD_BYTES,
    MAX_THREAD_CHARS,
    MAX_URL_CHARS,
    MAX_USER_AGENT_CHARS,
    SITE,
    URL,
    has_surrogate,
    ip_address,
    payload_size,
)
from moderation.intake.text import clean_text
from moderation.records import Author, Comment


class StrictString(fields.String):
    """A string that must be valid Unicode (no lone surrogates, which cannot be stored or sent)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if has_surrogate(text):
            raise ValidationError("must be valid Unicode (no lone surrogates)")
        return text


class CleanString(fields.String):
    """A string that is NFC-normalized and stripped of control characters before it is validated.

    For optional fields (``allow_none``) a value that is empty after cleaning becomes None.
    """

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = clean_text(value)
            # An optional field left empty by cleaning is absent; a required one goes on to its blank check.
            if not value and self.allow_none:
                value = None
        return super().deserialize(value, attr, data, **kwargs)


def _required(**kwargs: Any) -> dict[str, Any]:
    return {"required": True, "error_messages": {"required": "is required", "null": "must not be null"}, **kwargs}


class AuthorSchema(Schema):
    """Who wrote the comment. All fields optional; each is validated when present."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "is not a known field"}  # noqa: RUF012  (marshmallow's own class attribute)

    id = CleanString(allow_none=True, validate=ID)
    name = CleanString(allow_none=True, validate=validate.Length(max=MAX_NAME_CHARS,
                                                                 error="must be at most {max} characters"))
    email = StrictString(allow_none=True, validate=[validate.Length(max=MAX_EMAIL_CHARS), EMAIL])
    url = StrictString(allow_none=True, validate=[validate.Length(max=MAX_URL_CHARS), URL])
    ip = StrictString(allow_none=True, validate=ip_address)
    user_agent = CleanString(allow_none=True, validate=validate.Length(max=MAX_USER_AGENT_CHARS))

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Author:
        return Author(**data)


def _small_metadata(value: dict[str, Any]) -> None:
    if len(value) > MAX_METADATA_KEYS:
        raise ValidationError(f"must have at most {MAX_METADATA_KEYS} keys")
    for key, item in value.items():
        if has_surrogate(key) or (isinstance(item, str) and has_surrogate(item)):
            raise ValidationError("keys and strings must be valid Unicode (no lone surrogates)")
        if len(key) > MAX_METADATA_KEY_CHARS:
            raise ValidationError(f"key {key[:20]!r}...: keys must be at most {MAX_METADATA_KEY_CHARS} characters")
        if isinstance(item, float) and not math.isfinite(item):
            raise ValidationError(f"{key}: numbers must be finite")
        if isinstance(item, str) and len(item) > MAX_METADATA_VALUE_CHARS:
            raise ValidationError(f"{key}: strings must be at most {MAX_METADATA_VALUE_CHARS} characters")
        if isinstance(item, int) and not isinstance(item, bool) and abs(item) > MAX_METADATA_INT:
            raise ValidationError(f"{key}: integers must be within +/-2**53")
        if not (item is None or isinstance(item, str | int | float | bool)):
            raise ValidationError(f"{key}: values must be strings, numbers, booleans or null")


class CommentSchema(Schema):
    """A comment as a backend submits it. Unknown fields are refused."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "is not a known field"}  # noqa: RUF012  (marshmallow's own class attribute)

    id = StrictString(**_required(validate=ID))
    body = CleanString(**_required(validate=[
        validate.Length(min=1, error="must not be blank"),
        validate.Length(max=MAX_BODY_CHARS, error="must be at most {max} characters"),
    ]))
    thread = CleanString(allow_none=True, validate=validate.Length(max=MAX_THREAD_CHARS))
    url = StrictString(allow_none=True, validate=[validate.Length(max=MAX_URL_CHARS), URL])
    author = fields.Nested(AuthorSchema, allow_none=True)
    created_at = fields.AwareDateTime(allow_none=True, format="iso", error_messages={
        "invalid": "must be an ISO 8601 date-time", "invalid_awareness": "must include a UTC offset"})
    parent_id = StrictString(allow_none=True, validate=ID)
    lang = StrictString(allow_none=True, validate=LANG)
    site = StrictString(allow_none=True, validate=SITE)
    metadata = fields.Dict(keys=fields.String(), allow_none=True, validate=_small_metadata)

    @validates_schema
    def not_own_parent(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("parent_id") and data.get("parent_id") == data.get("id"):
            raise ValidationError("must not be the comment's own id", "parent_id")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Comment:
        data["author"] = data.get("author") or Author()
        data["metadata"] = data.get("metadata") or {}
        return Comment(**data)


_SCHEMA = CommentSchema()


def load_comment(payload: Any) -> Comment:
    """Validate a parsed payload (a dict) and build a :class:`Comment`.

    :param payload: the decoded JSON object.
    :raises ValidationError: with ``messages`` naming each bad field and the rule it breaks.
    """
    if type(payload) is dict:
        fast = _fast.fast_load(payload)
        if fast is not None:
            return fast
    elif not isinstance(payload, dict):
        raise ValidationError({"_schema": ["must be a JSON object"]})
    try:
        size = payload_size(payload)
    except (ValueError, RecursionError):
        raise ValidationError({"_schema": ["must be plain JSON (no NaN or Infinity, not nested too deeply)"]}) from None
    if size > MAX_PAYLOAD_BYTES:
        raise ValidationError({"_schema": [f"payload must be at most {MAX_PAYLOAD_BYTES} bytes (got {size})"]})
    comment: Comment = _SCHEMA.load(payload)
    return comment


def load_comment_json(raw: str | bytes) -> Comment:
    """Check the size, parse JSON and validate: what an endpoint or the CLI does with one line of input.

    :param raw: the serialized payload.
    :raises ValidationError: for an oversized payload, bad JSON, or invalid fields.
    """
    size = len(raw.encode("utf-8", "surrogatepass")) if isinstance(raw, str) else len(raw)
    if size > MAX_PAYLOAD_BYTES:
        raise ValidationError({"_schema": [f"payload must be at most {MAX_PAYLOAD_BYTES} bytes (got {size})"]})
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ValidationError({"_schema": [f"must be valid JSON: {exc}"[:200]]}) from None
    return load_comment(payload)


def dump_comment(comment: Comment) -> dict[str, Any]:
    """The cleaned comment as a JSON-ready dict (what is queued for the worker), without empty fields.

    :param comment: a loaded comment (or one built by hand).
    """
    fast = _fast.fast_dump(comment)
    if fast is not None:
        return fast
    data: dict[str, Any] = _SCHEMA.dump(comment)
    author = {k: v for k, v in (data.get("author") or {}).items() if v is not None}
    data = {k: v for k, v in data.items() if v not in (None, {}, "") and k != "author"}
    if author:
        data["author"] = author
    return data

