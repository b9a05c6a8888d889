"""Marshmallow schemas for what a comment backend submits.

The fields follow what comment backends send (Akismet's list is the guide). Every error names the field
and the rule, in marshmallow's error dict: ``{"body": ["must not be blank"], "author": {"email": [...]}}``.
Loading builds plain :class:`~moderation.records.Comment` objects. A plainly valid payload is built by the
fast path in :mod:`moderation.fast_schema`, which applies these same rules without marshmallow's machinery;
anything else goes through the schema, so every refusal and its messages come from here.
"""

from __future__ import annotations

import ipaddress
import json
import math
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from moderation.records import Author, Comment
from moderation.text import clean_text

#: A serialized payload larger than this is refused before it is parsed.
MAX_PAYLOAD_BYTES = 64 * 1024
MAX_BODY_CHARS = 20_000
MAX_ID_CHARS = 128
MAX_METADATA_KEYS = 20
MAX_METADATA_VALUE_CHARS = 1_000
MAX_METADATA_KEY_CHARS = 64
MAX_METADATA_INT = 2**53
MAX_THREAD_CHARS = 256
MAX_URL_CHARS = 2048
MAX_NAME_CHARS = 200
MAX_EMAIL_CHARS = 254
MAX_USER_AGENT_CHARS = 1024

# "\Z", not "$": "$" also matches before a final newline, so "c-1\n" would pass as an id.
_ID = validate.Regexp(r"^[^\s\x00-\x1f\x7f]{1,128}\Z", error="must be 1-128 characters with no spaces")
_SITE = validate.Regexp(r"^[A-Za-z0-9_.\-]{1,64}\Z", error="must be 1-64 letters, digits, '.', '_' or '-'")
_LANG = validate.Regexp(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z", error="must be a language tag such as 'en' or 'pt-BR'")
_URL = validate.URL(schemes={"http", "https"}, require_tld=False, error="must be an http(s) URL")
_EMAIL = validate.Email(error="must be an email address")


def _ip_address(value: str) -> None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValidationError("must be an IPv4 or IPv6 address") from None


def _has_surrogate(value: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in value)


class StrictString(fields.String):
    """A string that must be valid Unicode (no lone surrogates, which cannot be stored or sent)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if _has_surrogate(text):
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

    id = CleanString(allow_none=True, validate=_ID)
    name = CleanString(allow_none=True, validate=validate.Length(max=MAX_NAME_CHARS,
                                                                 error="must be at most {max} characters"))
    email = StrictString(allow_none=True, validate=[validate.Length(max=MAX_EMAIL_CHARS), _EMAIL])
    url = StrictString(allow_none=True, validate=[validate.Length(max=MAX_URL_CHARS), _URL])
    ip = StrictString(allow_none=True, validate=_ip_address)
    user_agent = CleanString(allow_none=True, validate=validate.Length(max=MAX_USER_AGENT_CHARS))

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Author:
        return Author(**data)


def _small_metadata(value: dict[str, Any]) -> None:
    if len(value) > MAX_METADATA_KEYS:
        raise ValidationError(f"must have at most {MAX_METADATA_KEYS} keys")
    for key, item in value.items():
        if _has_surrogate(key) or (isinstance(item, str) and _has_surrogate(item)):
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

    id = StrictString(**_required(validate=_ID))
    body = CleanString(**_required(validate=[
        validate.Length(min=1, error="must not be blank"),
        validate.Length(max=MAX_BODY_CHARS, error="must be at most {max} characters"),
    ]))
    thread = CleanString(allow_none=True, validate=validate.Length(max=MAX_THREAD_CHARS))
    url = StrictString(allow_none=True, validate=[validate.Length(max=MAX_URL_CHARS), _URL])
    author = fields.Nested(AuthorSchema, allow_none=True)
    created_at = fields.AwareDateTime(allow_none=True, format="iso", error_messages={
        "invalid": "must be an ISO 8601 date-time", "invalid_awareness": "must include a UTC offset"})
    parent_id = StrictString(allow_none=True, validate=_ID)
    lang = StrictString(allow_none=True, validate=_LANG)
    site = StrictString(allow_none=True, validate=_SITE)
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


def payload_size(payload: dict[str, Any]) -> int:
    """The size in bytes of ``payload`` serialized as JSON (UTF-8), as :data:`MAX_PAYLOAD_BYTES` counts it.

    :param payload: the decoded JSON object.
    :raises ValueError: for NaN or Infinity, or a circular reference.
    :raises RecursionError: for an object nested too deeply.
    """
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False, default=str)
    return len(text.encode("utf-8", "surrogatepass"))


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


# Imported last because the fast path reads this module's rules; as a module (not a name) so that importing
# moderation.fast_schema first works too.
from moderation import fast_schema as _fast  # noqa: E402
