"""The rules a submitted comment's fields obey: limits, patterns and validators, in one place.

Both ways of validating a comment apply these: :class:`moderation.intake.schemas.CommentSchema` (marshmallow, which
names every error) and the fast path for plainly valid payloads, :mod:`moderation.intake.fast_schema`. Each
validator here is marshmallow's kind: it returns for a valid value and raises
:class:`marshmallow.ValidationError` with the message a backend sees otherwise. A rule changed here changes
both paths alike.

Which fields there are is each path's own business (the schema declares them, the fast path builds them);
``tests/moderation/intake/test_fast_validation.py`` fails when the two field lists differ.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any, cast

from marshmallow import ValidationError, validate

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
#: A comment's, parent's or author's id.
ID = validate.Regexp(r"^[^\s\x00-\x1f\x7f]{1,128}\Z", error="must be 1-128 characters with no spaces")
#: The site a comment belongs to.
SITE = validate.Regexp(r"^[A-Za-z0-9_.\-]{1,64}\Z", error="must be 1-64 letters, digits, '.', '_' or '-'")
#: A language tag.
LANG = validate.Regexp(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z", error="must be a language tag such as 'en' or 'pt-BR'")
#: The comment's page, or the author's site.
URL = validate.URL(schemes={"http", "https"}, require_tld=False, error="must be an http(s) URL")
#: The author's email address.
EMAIL = validate.Email(error="must be an email address")


def ip_address(value: str) -> None:
    """Validate the author's IP address (IPv4 or IPv6, as :func:`ipaddress.ip_address` reads them).

    :param value: the address as submitted.
    :raises ValidationError: when it is not one.
    """
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValidationError("must be an IPv4 or IPv6 address") from None


def has_surrogate(value: str) -> bool:
    """Whether ``value`` holds a lone surrogate (which cannot be stored or sent as UTF-8).

    :param value: any text.
    """
    return any("\ud800" <= ch <= "\udfff" for ch in value)


def payload_size(payload: dict[str, Any]) -> int:
    """The size in bytes of ``payload`` serialized as JSON (UTF-8), as :data:`MAX_PAYLOAD_BYTES` counts it.

    :param payload: the decoded JSON object.
    :raises ValueError: for NaN or Infinity, or a circular reference.
    :raises RecursionError: for an object nested too deeply.
    """
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False, default=str)
    return len(text.encode("utf-8", "surrogatepass"))


def site_name_ok(site: str | None) -> bool:
    """Whether ``site`` is a valid site name (as a comment's ``site`` field)."""
    match = cast("re.Pattern[str]", SITE.regex).match
    return bool(site) and match(site or "") is not None
