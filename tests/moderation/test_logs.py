"""Structured logs carry no raw email or IP address."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging

import pytest

from moderation.logs import configure_logging, keyed_hash, redact


def test_log_lines_are_json_with_fields_and_no_email_or_ip() -> None:
    # Given JSON logging to a buffer
    buffer = io.StringIO()
    configure_logging("INFO", stream=buffer)
    # When a message and a field mention an email and IPs
    logging.getLogger("moderation.test").info("from ana@example.org at 203.0.113.9",
                                              extra={"fields": {"who": "ana@example.org", "n": 3,
                                                                "ip6": "2001:db8:0:0:0:0:0:1"}})
    # Then the line is JSON and neither appears raw
    line = json.loads(buffer.getvalue())
    assert line["event"] == "from <email> at <ip>" and line["who"] == "<email>" and line["ip6"] == "<ip>"
    assert line["n"] == 3 and line["level"] == "info"


def test_keyed_hash_is_stable_keyed_and_case_insensitive() -> None:
    assert keyed_hash("Ana@Example.org", key="k") == keyed_hash("ana@example.org", key="k")
    assert keyed_hash("ana@example.org", key="k") != keyed_hash("ana@example.org", key="other")
    assert "@" not in keyed_hash("ana@example.org", key="k")


def test_keyed_hash_is_the_first_16_hex_digits_of_hmac_sha256(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given keys of every length (empty, short, longer than SHA-256's block) and the key from the environment
    monkeypatch.setenv("MODERATION_HASH_KEY", "from-the-environment")
    for key in ("", "k", "x" * 65, None, "k"):
        secret = (key if key is not None else "from-the-environment").encode()
        for value in ("203.0.113.9", " Ana@Example.ORG ", "2001:DB8::1", "ünï", ""):
            # When a value is hashed / Then it is HMAC-SHA256 of the trimmed, lowercased value (stored hashes hold)
            expected = hmac.new(secret, value.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:16]
            assert keyed_hash(value, key=key) == expected
    # And a known value keeps its known hash
    assert keyed_hash("203.0.113.9", key="k") == "317fe07e1ac9940e"
    # And a changed environment key is used at once
    monkeypatch.setenv("MODERATION_HASH_KEY", "rotated")
    assert keyed_hash("203.0.113.9") == keyed_hash("203.0.113.9", key="rotated")


def test_redact_keeps_ordinary_text() -> None:
    assert redact("version 1.2.3 decided in 4 ms") == "version 1.2.3 decided in 4 ms"
