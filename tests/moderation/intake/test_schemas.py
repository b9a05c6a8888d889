"""Comment validation: what is accepted, what is refused, and that errors name the field and the rule."""

from __future__ import annotations

import json
from typing import Any

import pytest
from marshmallow import ValidationError

from moderation.intake.schemas import MAX_PAYLOAD_BYTES, dump_comment, load_comment, load_comment_json


def full_payload() -> dict[str, Any]:
    return {
        "id": "c-1", "thread": "article-1", "url": "https://news.example.org/a/1",
        "author": {"id": "u-1", "name": "Ana", "email": "ana@example.org", "url": "https://ana.example.org",
                   "ip": "2001:db8::1", "user_agent": "Mozilla/5.0"},
        "body": "A fair point about the budget.", "created_at": "2026-11-28T09:14:00+01:00",
        "parent_id": "c-0", "lang": "pt-BR", "site": "news-example", "metadata": {"section": "city", "n": 3},
    }


def errors_of(payload: Any) -> Any:
    with pytest.raises(ValidationError) as caught:
        load_comment(payload)
    return caught.value.messages


def test_a_complete_comment_is_accepted_and_round_trips() -> None:
    # Given every field a backend may send / When it is loaded and dumped / Then nothing is lost
    comment = load_comment(full_payload())
    assert comment.author.ip == "2001:db8::1"
    assert comment.created_at is not None and comment.created_at.utcoffset() is not None
    assert load_comment(dump_comment(comment)) == comment


def test_only_id_and_body_are_required() -> None:
    comment = load_comment({"id": "c-2", "body": "ok"})
    assert comment.body == "ok" and comment.author.email is None


def test_body_is_normalized_and_stripped_of_control_characters() -> None:
    # Given a body with a decomposed accent, a NUL, a zero-width space and CRLF
    comment = load_comment({"id": "c", "body": "  cafe\u0301\x00 ok\u200b\r\nnext  "})
    # Then it is NFC, without control or format characters, with \n line breaks and trimmed
    assert comment.body == "caf\u00e9 ok\nnext"


@pytest.mark.parametrize("body", ["", "   ", "\x00\x01\u200b", "\n\t"])
def test_blank_body_after_cleaning_is_refused(body: str) -> None:
    assert errors_of({"id": "c", "body": body}) == {"body": ["must not be blank"]}


def test_missing_required_fields_are_named() -> None:
    assert errors_of({}) == {"id": ["is required"], "body": ["is required"]}


def test_unknown_fields_are_refused_at_every_level() -> None:
    messages = errors_of({"id": "c", "body": "x", "score": 1, "author": {"karma": 3}})
    assert messages == {"score": ["is not a known field"], "author": {"karma": ["is not a known field"]}}


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("id", "x" * 129, "1-128"),
    ("id", "has space", "no spaces"),
    ("id", "c-1\n", "no spaces"),
    ("parent_id", "p-1\n", "no spaces"),
    ("body", "x" * 20_001, "at most 20000"),
    ("url", "ftp://example.org", "http(s) URL"),
    ("created_at", "2026-11-28T09:14:00", "UTC offset"),
    ("created_at", "yesterday", "ISO 8601"),
    ("lang", "english!", "language tag"),
    ("lang", "en\n", "language tag"),
    ("site", "a site", "letters, digits"),
    ("site", "news\n", "letters, digits"),
    ("metadata", {"k": {"nested": 1}}, "strings, numbers"),
    ("metadata", {f"k{i}": i for i in range(21)}, "at most 20 keys"),
])
def test_each_field_rule_is_reported_by_name(field: str, value: Any, rule: str) -> None:
    messages = errors_of({"id": "c", "body": "x", field: value})
    assert list(messages) == [field]
    assert rule in " ".join(map(str, messages[field]))


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("email", "not-an-email", "email address"),
    ("ip", "300.1.1.1", "IPv4 or IPv6"),
    ("url", "javascript:alert(1)", "http(s) URL"),
])
def test_author_fields_are_validated_when_present(field: str, value: str, rule: str) -> None:
    messages = errors_of({"id": "c", "body": "x", "author": {field: value}})
    assert rule in messages["author"][field][0]


def test_a_comment_cannot_reply_to_itself() -> None:
    assert errors_of({"id": "c", "body": "x", "parent_id": "c"}) == {"parent_id": ["must not be the comment's own id"]}


def test_non_object_payloads_are_refused() -> None:
    assert errors_of(["id", "body"]) == {"_schema": ["must be a JSON object"]}


def test_nan_in_metadata_is_refused() -> None:
    assert "_schema" in errors_of({"id": "c", "body": "x", "metadata": {"v": float("nan")}})


def test_oversized_payload_is_refused_before_parsing() -> None:
    # Given a line larger than the limit that is not even valid JSON
    raw = '{"id": "c", "body": "' + "x" * MAX_PAYLOAD_BYTES
    # When it is loaded / Then the size is the complaint, not the JSON
    with pytest.raises(ValidationError) as caught:
        load_comment_json(raw)
    assert "at most 65536 bytes" in caught.value.messages["_schema"][0]


def test_invalid_json_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        load_comment_json("{not json")
    assert "valid JSON" in caught.value.messages["_schema"][0]


def test_dump_leaves_out_empty_fields() -> None:
    assert dump_comment(load_comment({"id": "c", "body": " hi "})) == {"id": "c", "body": "hi"}


def test_payload_json_round_trip_through_load_comment_json() -> None:
    comment = load_comment_json(json.dumps(full_payload()))
    assert comment.metadata == {"section": "city", "n": 3}
