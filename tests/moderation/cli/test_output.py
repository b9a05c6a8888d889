"""Every verb prints one JSON object per line, whatever its text holds."""

from __future__ import annotations

import io
import json

from moderation.cli.output import print_json


def test_a_result_stays_one_line_and_reads_back_as_written() -> None:
    # Given a result whose text holds every character some line readers take as a line break, and non-ASCII
    data = {"body": "a\nb\rc\x85d\u2028e\u2029f café 👋"}
    out = io.StringIO()
    # When it is printed
    print_json(data, out)
    # Then it is one line (str.splitlines splits at all of them), kept readable, and parses back to the same value
    text = out.getvalue()
    assert text.endswith("\n") and len(text.splitlines()) == 1
    assert "café 👋" in text
    assert json.loads(text) == data


def test_a_lone_surrogate_from_a_file_is_escaped_instead_of_failing() -> None:
    out = io.StringIO()
    print_json({"line": "bad \udcff byte"}, out)
    assert out.getvalue().encode("utf-8") and "\\udcff" in out.getvalue()
