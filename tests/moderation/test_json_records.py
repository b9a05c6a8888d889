"""The JSON a worker writes (published decisions, held items, kept texts) parses to exactly what the standard
library's encoder wrote before, whether orjson or the standard library encodes it, and is always valid JSON."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation import records
from moderation.records import OUTCOMES, Author, Comment, Decision, Reason, compact_json
from moderation.review.feedback import stored_comment
from moderation.review.queue import HeldComment
from tests.helpers import examples

# Every code point but lone surrogates (which no validated comment holds): quotes, backslashes, control
# characters, U+2028, astral characters.
text = st.text(st.characters(codec="utf-8"), max_size=40)
tricky = st.sampled_from(["", "\"", "\\", "\x00\x1f\x7f", "\n\r\t\b\f", "\u2028\u2029", "caf\u00e9", "\U0001f600",
                          "</script>", "\\u0041", "\ufeff"])
strings = st.one_of(text, tricky)
floats = st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                   st.sampled_from([0.1, 1e-5, 1.0, 0.0, -0.0, 1e16, 1e-7, 5e-324, 0.30000000000000004, 1e308]))
reasons = st.builds(Reason, code=strings, message=strings, head=st.none() | strings, score=st.none() | floats,
                    terms=st.lists(strings, max_size=5).map(tuple))
decisions = st.builds(
    Decision, comment_id=strings, decision=st.sampled_from(OUTCOMES),
    scores=st.dictionaries(strings, floats, max_size=8), reasons=st.lists(reasons, max_size=4).map(tuple),
    model_version=strings, decided_at=strings, latency_ms=st.none() | floats, site=st.none() | strings,
    thread=st.none() | strings, discard=st.booleans())
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | floats | strings,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(strings, inner, max_size=4), max_leaves=20)


def old_encoding(value: Any) -> str:
    """What the worker wrote before: the standard library's compact encoding, non-ASCII kept."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def strict_loads(raw: str) -> Any:
    """Parse ``raw`` as standard JSON: NaN and Infinity are refused."""
    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(raw, parse_constant=refuse)


def same(new: str, old: str) -> bool:
    """Whether two encodings parse to identical objects (repr tells 1 from 1.0 and 0.0 from -0.0)."""
    return repr(strict_loads(new)) == repr(strict_loads(old))


@pytest.fixture(params=["orjson", "stdlib"])
def encoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with orjson (as a worker has it) and without (as a client-only install has it)."""
    if request.param == "orjson":
        pytest.importorskip("orjson")
    else:
        monkeypatch.setattr(records, "_orjson", None)
    return str(request.param)


@settings(max_examples=examples(300), deadline=None)
@given(decision=decisions)
def test_a_decision_encodes_to_what_the_standard_library_wrote(decision: Decision) -> None:
    for orjson in (records._orjson, None):
        # Given a decision with any text and numbers, When it is encoded with or without orjson
        saved, records._orjson = records._orjson, orjson
        try:
            new = decision.to_json()
        finally:
            records._orjson = saved
        # Then it is valid JSON that parses to what the standard library's encoding parses to
        old = old_encoding(decision.to_dict())
        assert same(new, old)
        assert Decision.from_json(new) == Decision.from_json(old)


@settings(max_examples=examples(300), deadline=None)
@given(value=json_values)
def test_any_json_ready_value_encodes_to_what_the_standard_library_wrote(value: Any) -> None:
    # Given any JSON-ready value, When it is encoded, Then it parses to the same objects
    assert same(compact_json(value), old_encoding(value))


def test_orjson_is_what_a_worker_uses() -> None:
    pytest.importorskip("orjson")
    assert records._orjson is not None
    assert compact_json({"a": 1e-5, "b": "\u00e9"}) == '{"a":0.00001,"b":"\u00e9"}'


def test_without_orjson_the_bytes_are_the_standard_librarys(encoder: str) -> None:
    value = {"s": "caf\u00e9 \"\\\n\x01", "f": [0.1, 1e-5, 1.0], "n": None, "t": True}
    if encoder == "stdlib":
        assert compact_json(value) == old_encoding(value)
    assert same(compact_json(value), old_encoding(value))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_a_non_finite_number_in_a_decision_is_written_as_before(value: float, encoder: str) -> None:
    # Given a decision with a non-finite score, latency or reason score
    for decision in (
        Decision("c-1", "review", {"spam": value}, (), "m", "t"),
        Decision("c-1", "review", {"spam": 0.5}, (), "m", "t", latency_ms=value),
        Decision("c-1", "review", {}, (Reason("spam.review", "m", "spam", value),), "m", "t"),
    ):
        # When it is encoded, Then it is exactly what the standard library writes (NaN, Infinity)
        assert decision.to_json() == old_encoding(decision.to_dict())


@pytest.mark.parametrize("value", ["\ud800 lone surrogate", 2**64, {1: "int key"}])
def test_what_orjson_refuses_is_left_to_the_standard_library(value: Any, encoder: str) -> None:
    # Given a value orjson refuses, When it is encoded, Then the standard library's encoding is used
    assert compact_json(value) == old_encoding(value)


@settings(max_examples=examples(100), deadline=None)
@given(decision=decisions, body=strings, site=st.none() | strings, identity=st.none() | strings,
       held_at=strings, name=st.none() | strings)
def test_a_held_item_and_a_kept_text_parse_as_before(decision: Decision, body: str, site: str | None,
                                                    identity: str | None, held_at: str, name: str | None) -> None:
    # Given a held comment and a kept text
    comment = {"id": "c-1", "body": body, "site": site, "author": {"name": name}}
    held = HeldComment(comment, decision, held_at, identity)
    kept = Comment(id="c-1", body=body, site=site, thread=name, author=Author(id=name))
    # When they are encoded (the held item with the published record spliced in, or encoded anew)
    for raw in (held.to_json(), held.to_json(decision.to_json())):
        # Then they parse to what the standard library's encoding of the same dicts parses to
        assert same(raw, old_encoding({"comment": comment, "decision": decision.to_dict(), "held_at": held_at,
                                       "identity": identity}))
        back = HeldComment.from_json(raw)
        assert (back.comment, back.held_at, back.identity) == (comment, held_at, identity)
        assert back.decision.to_dict() == Decision.from_dict(decision.to_dict()).to_dict()
    assert same(stored_comment(kept, identity), old_encoding({"body": body, "site": site, "thread": name,
                                                              "author": identity}))


def test_the_float_spellings_the_brief_names() -> None:
    # Given the floats whose spelling differs between encoders, When they are encoded in a decision
    decision = Decision("c-1", "approve", {"a": 0.1, "b": 1e-5, "c": 1.0, "d": 0.0}, (), "m", "t", latency_ms=1e-7)
    data = strict_loads(decision.to_json())
    # Then they read back as the very same floats
    assert data["scores"] == {"a": 0.1, "b": 1e-5, "c": 1.0, "d": 0.0} and data["latency_ms"] == 1e-7
    assert all(isinstance(v, float) for v in data["scores"].values()) and not math.isnan(data["latency_ms"])
