"""Structured logs carry no raw email or IP address."""

from __future__ import annotations

import io
import json
import logging

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


def test_redact_keeps_ordinary_text() -> None:
    assert redact("version 1.2.3 decided in 4 ms") == "version 1.2.3 decided in 4 ms"
