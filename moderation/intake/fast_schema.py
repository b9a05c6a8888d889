"""The fast path of comment validation: plain checks for a plainly valid payload, the schema for the rest.

:func:`moderation.intake.schemas.load_comment` tries :func:`fast_load` first. It builds the very
:class:`~moderation.records.Comment` that :class:`~moderation.intake.schemas.CommentSchema` builds, applying the
schema's own rules (the regexes, validators and limits of :mod:`moderation.intake.field_rules`, and the same
cleaning) directly instead of through marshmallow's fields: about eight times faster on the bench's
payloads. It is "fast accept, slow reject": at the first thing it is not sure of (a check that fails, an
unknown key, any type other than the plain JSON one, a lone surrogate) it gives up and returns None, and the
schema decides. So every refusal, and every error message, comes from marshmallow.

:func:`fast_dump` does the same for :func:`moderation.intake.schemas.dump_comment`.
``tests/moderation/intake/test_fast_validation.py`` checks on generated payloads that both paths agree, and that
both know the same fields.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from marshmallow import ValidationError

from moderation.intake import field_rules as rules
from moderation.intake.text import clean_text
from moderation.records import Author, Comment

#: The comment's fields this path builds, and the author's: a payload with any other key goes to the schema.
#: Listed here, not read from the schema, so that a field added to the schema alone is not taken here and
#: then dropped: ``test_fast_validation`` fails until the field is built (and dumped) below too.
COMMENT_FIELDS = frozenset({"id", "body", "thread", "url", "author", "created_at", "parent_id", "lang", "site",
                            "metadata"})
AUTHOR_FIELDS = frozenset({"id", "name", "email", "url", "ip", "user_agent"})
_SURROGATE = re.compile("[\ud800-\udfff]")
# Dotted-quad IPv4 without leading zeros: a strict subset of what ipaddress.ip_address accepts.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"(?:{_OCTET}\.){{3}}{_OCTET}")
# The rules' regexes, matched as marshmallow's Regexp matches them (re.match; they end in "\Z").
_Check = Callable[[str], Any]
_ID = cast(_Check, rules.ID.regex.match)
_LANG = cast(_Check, rules.LANG.regex.match)
_SITE = cast(_Check, rules.SITE.regex.match)
# A JSON string takes at most this many bytes per character (a control character becomes "\u001f").
_JSON_BYTES_PER_CHAR = 6
# At most this many bytes per key-value pair besides the characters of its strings: a known key (up to ten
# ASCII characters), quotes, ": ", ", ", and a scalar (a float's repr has at most 24 characters).
_JSON_BYTES_PER_PAIR = 40


class _Unsure(Exception):
    """Raised by a check that cannot vouch for a value: the schema decides instead."""


_UNSURE = _Unsure()


class _Accepted:
    """A validator with a memory of the values it accepted lately (an article's URL, a regular's email).

    Only acceptances are remembered, so a value the validator would refuse is never taken for valid; the
    memory is bounded, and only short values are kept.

    :param check: a validator of :mod:`moderation.intake.field_rules`: returns for a valid value, raises
        ValidationError otherwise.
    :param size: how many values to remember.
    """

    def __init__(self, check: _Check, size: int = 1024) -> None:
        self._check = check
        self._size = size
        self._seen: set[str] = set()

    def __call__(self, value: str) -> bool:
        """Whether the validator accepts ``value`` (a str with no lone surrogate)."""
        if value in self._seen:
            return True
        try:
            self._check(value)
        except ValidationError:
            return False
        if len(value) <= 256:
            if len(self._seen) >= self._size:
                self._seen.clear()
            self._seen.add(value)
        return True


_valid_url = _Accepted(rules.URL)
_valid_email = _Accepted(rules.EMAIL)
_valid_ip = _Accepted(rules.ip_address)


def clean(value: str) -> str:
    """:func:`moderation.intake.text.clean_text`, skipping its per-character pass when nothing needs removing.

    A text that is printable apart from line breaks and tabs holds no control, format, surrogate or
    private-use character (``str.isprintable`` is False for all of those, and for "\\r"), so cleaning it
    only normalizes and strips; anything else is cleaned by ``clean_text`` itself (which is quick for ASCII).

    :param value: the text as submitted.
    """
    if value.isprintable() or (not value.isascii() and ("\n" in value or "\t" in value)
                               and value.replace("\n", "").replace("\t", "").isprintable()):
        return unicodedata.normalize("NFC", value).strip()
    return clean_text(value)


def _strict(value: Any, valid: _Check, max_chars: int | None = None) -> str | None:
    """An optional StrictString field: a str without surrogates, of at most ``max_chars``, that ``valid`` accepts."""
    if value is None:
        return None
    if (type(value) is not str or (max_chars is not None and len(value) > max_chars)
            or not (value.isascii() or _SURROGATE.search(value) is None) or not valid(value)):
        raise _UNSURE
    return value


def _cleaned(value: Any, max_chars: int, valid: _Check | None = None) -> str | None:
    """An optional CleanString field: cleaned, None if that leaves it empty, else checked."""
    if value is None:
        return None
    if type(value) is not str:
        raise _UNSURE
    text = clean(value)
    if not text:
        return None
    if len(text) > max_chars or (valid is not None and not valid(text)):
        raise _UNSURE
    return text


def _ip(value: str) -> bool:
    return _IPV4.fullmatch(value) is not None or _valid_ip(value)


def _author(value: Any) -> Author:
    if value is None:
        return Author()
    if type(value) is not dict or not AUTHOR_FIELDS.issuperset(value):
        raise _UNSURE
    get = value.get
    return Author(
        id=_cleaned(get("id"), rules.MAX_ID_CHARS, _ID),
        name=_cleaned(get("name"), rules.MAX_NAME_CHARS),
        email=_strict(get("email"), _valid_email, rules.MAX_EMAIL_CHARS),
        url=_strict(get("url"), _valid_url, rules.MAX_URL_CHARS),
        ip=_strict(get("ip"), _ip),
        user_agent=_cleaned(get("user_agent"), rules.MAX_USER_AGENT_CHARS),
    )


def _created_at(value: Any) -> datetime | None:
    if value is None:
        return None
    if type(value) is not str:
        raise _UNSURE
    try:
        parsed = datetime.fromisoformat(value)  # what fields.AwareDateTime(format="iso") parses with
    except Exception:
        raise _UNSURE from None
    if parsed.tzinfo is None or parsed.tzinfo.utcoffset(parsed) is None:
        raise _UNSURE
    return parsed


def _metadata(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if type(value) is not dict or len(value) > rules.MAX_METADATA_KEYS:
        raise _UNSURE
    for key, item in value.items():
        if (type(key) is not str or len(key) > rules.MAX_METADATA_KEY_CHARS
                or not (key.isascii() or _SURROGATE.search(key) is None)):
            raise _UNSURE
        kind = type(item)
        if item is None or kind is bool:
            continue
        if kind is str:
            ok = len(item) <= rules.MAX_METADATA_VALUE_CHARS and (item.isascii() or _SURROGATE.search(item) is None)
        elif kind is int:
            ok = abs(item) <= rules.MAX_METADATA_INT
        elif kind is float:
            ok = math.isfinite(item)
        else:
            ok = False
        if not ok:
            raise _UNSURE
    return dict(value)


def _small_enough(payload: dict[str, Any]) -> bool:
    """Whether the payload's JSON is within :data:`~moderation.intake.field_rules.MAX_PAYLOAD_BYTES`.

    Called once every value has been checked (so strings, None, numbers, booleans and flat dicts of them):
    a bound from the lengths of its strings settles it unless the strings are long, then it is measured.
    """
    chars = 0
    pairs = len(payload)
    for value in payload.values():
        if type(value) is str:
            chars += len(value)
        elif type(value) is dict:
            pairs += len(value)
            for key, item in value.items():
                chars += len(key) + (len(item) if type(item) is str else 0)
    if _JSON_BYTES_PER_CHAR * chars + _JSON_BYTES_PER_PAIR * pairs + 16 <= rules.MAX_PAYLOAD_BYTES:
        return True
    try:
        return rules.payload_size(payload) <= rules.MAX_PAYLOAD_BYTES
    except (ValueError, RecursionError):
        return False


def fast_load(payload: dict[str, Any]) -> Comment | None:
    """The comment :class:`~moderation.intake.schemas.CommentSchema` would build from ``payload``, or None if unsure.

    None does not mean invalid: it means the schema must decide (and name the errors, if any).

    :param payload: the decoded JSON object (a plain dict).
    """
    if not COMMENT_FIELDS.issuperset(payload):
        return None
    get = payload.get
    ident = get("id")
    body = get("body")
    try:
        if (type(ident) is not str or not (ident.isascii() or _SURROGATE.search(ident) is None)
                or not _ID(ident) or type(body) is not str):
            raise _UNSURE
        body = clean(body)
        if not 0 < len(body) <= rules.MAX_BODY_CHARS:
            raise _UNSURE
        parent_id = _strict(get("parent_id"), _ID)
        if parent_id == ident:
            raise _UNSURE
        comment = Comment(
            id=ident,
            body=body,
            thread=_cleaned(get("thread"), rules.MAX_THREAD_CHARS),
            url=_strict(get("url"), _valid_url, rules.MAX_URL_CHARS),
            author=_author(get("author")),
            created_at=_created_at(get("created_at")),
            parent_id=parent_id,
            lang=_strict(get("lang"), _LANG),
            site=_strict(get("site"), _SITE),
            metadata=_metadata(get("metadata")),
        )
    except _Unsure:
        return None
    return comment if _small_enough(payload) else None


_DUMPED_BEFORE = ("id", "body", "thread", "url")
_DUMPED_AFTER = ("parent_id", "lang", "site")
_AUTHOR_DUMPED = ("id", "name", "email", "url", "ip", "user_agent")


def fast_dump(comment: Any) -> dict[str, Any] | None:
    """What :func:`moderation.intake.schemas.dump_comment` returns for ``comment``, or None if unsure.

    Sure of a :class:`Comment` whose fields hold what loading puts there (str, datetime, a dict with str
    keys); the schema dumps anything else.

    :param comment: the comment to dump.
    """
    if type(comment) is not Comment or type(comment.author) is not Author:
        return None
    data: dict[str, Any] = {}
    # In the schema's field order, as marshmallow dumps them; dump_comment then moves the author last.
    if not _dump_strings(comment, _DUMPED_BEFORE, data):
        return None
    created_at = comment.created_at
    if created_at is not None:
        if type(created_at) is not datetime:
            return None
        data["created_at"] = datetime.isoformat(created_at)  # as fields.DateTime(format="iso") dumps it
    if not _dump_strings(comment, _DUMPED_AFTER, data):
        return None
    metadata = comment.metadata
    if metadata is not None:
        if type(metadata) is not dict or not all(type(key) is str for key in metadata):
            return None
        if metadata:
            data["metadata"] = dict(metadata)
    author: dict[str, Any] = {}
    if not _dump_strings(comment.author, _AUTHOR_DUMPED, author, keep_empty=True):
        return None
    if author:
        data["author"] = author
    return data


def _dump_strings(record: Any, names: tuple[str, ...], data: dict[str, Any], keep_empty: bool = False) -> bool:
    """Copy the string fields ``names`` of ``record`` into ``data``, leaving out None (and "" unless
    ``keep_empty``); False if one holds something else than a str or None."""
    for name in names:
        value = getattr(record, name)
        if value is None:
            continue
        if type(value) is not str:
            return False
        if value or keep_empty:
            data[name] = value
    return True
