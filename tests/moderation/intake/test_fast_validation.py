"""The fast path of validation against the schema alone: generated payloads, valid-looking and broken.

Whatever the payload, ``load_comment`` (fast path first) and the marshmallow schema alone must agree: both
accept with identical comments, or both refuse with identical error messages; and ``dump_comment`` gives
the same dict, in the same key order, either way.
"""

from __future__ import annotations

import copy
import json
import string
import sys
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from harness.corpus import corpus_texts
from harness.corpus import payloads as bench_payloads
from moderation.intake import fast_schema
from moderation.intake.fast_schema import clean, fast_load
from moderation.intake.schemas import (
    MAX_PAYLOAD_BYTES,
    AuthorSchema,
    CommentSchema,
    dump_comment,
    load_comment,
    payload_size,
)
from moderation.intake.text import clean_text
from moderation.records import Author, Comment
from tests.helpers import examples
from tests.moderation.hostile_payloads import huge_text, json_values, odd_text
from tests.moderation.hostile_payloads import payloads as hostile_payloads


@contextmanager
def schema_only() -> Iterator[None]:
    """Validation and dumping as they were before the fast path: marshmallow for everything."""
    with mock.patch.object(fast_schema, "fast_load", return_value=None), \
            mock.patch.object(fast_schema, "fast_dump", return_value=None):
        yield


def outcome(payload: Any) -> tuple[str, Any]:
    try:
        return "accepted", load_comment(payload)
    except ValidationError as exc:
        return "refused", exc.messages


def strictly_equal(a: Any, b: Any) -> bool:
    """Equal, and with the same repr: no ``True == 1``, ``1.0 == 1`` or same-instant-other-offset slack."""
    return bool(a == b) and repr(a) == repr(b)


def assert_agree(payload: Any) -> None:
    # Given a payload, and a copy of it to check that nothing touches it
    before = copy.deepcopy(payload)
    # When it is loaded by the fast path first, and by the schema alone
    verdict, result = outcome(payload)
    with schema_only():
        expected_verdict, expected = outcome(payload)
    # Then both accept the same comment or both refuse with the same messages
    assert verdict == expected_verdict, (payload, result, expected)
    assert strictly_equal(result, expected), (payload, result, expected)
    if type(payload) is dict and fast_load(payload) is not None:
        assert verdict == "accepted"
        assert strictly_equal(fast_load(payload), expected)
    assert repr(payload) == repr(before), "the payload was modified"
    if verdict == "accepted":
        # And the comment dumps to the same dict, key order included
        dumped = dump_comment(result)
        with schema_only():
            expected_dump = dump_comment(result)
        assert strictly_equal(list(dumped.items()), list(expected_dump.items()))


# --- Values a backend plausibly sends (GOOD, mostly valid), and their near misses (BAD, mostly not) ----------


def repeated(pieces: list[str], counts: list[int], around: str = "") -> st.SearchStrategy[str]:
    """Long strings (built, so that Hypothesis does not print them whole): ``piece * count``, ``around`` it."""
    return st.builds(lambda piece, count: f"{around}{piece * count}{around}", st.sampled_from(pieces),
                     st.sampled_from(counts))


def url(schemes: list[str], hosts: list[str], paths: list[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda scheme, host, port, path: f"{scheme}://{host}{port}{path}", st.sampled_from(schemes),
                     st.sampled_from(hosts), st.sampled_from(["", "", ":8080"]), st.sampled_from(paths))


def email(users: list[str], domains: list[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda user, domain: f"{user}@{domain}", st.sampled_from(users), st.sampled_from(domains))


CORPUS = corpus_texts(300)
# Pieces of text that cleaning changes or removes: CRLF, controls, format characters, combining accents,
# lone surrogates, private use, odd spaces.
TRICKY = ["a", " ", "\n", "\r", "\r\n", "\t", "e\u0301", "é", "\u200b", "\u200d", "👨", "\x00", "\x1f", "\x85",
          "\xa0", "\u2028", "\ud83d", "\ue000", "Ｆ", "\u0600", "\ufeff"]
tricky_text = st.lists(st.sampled_from(TRICKY), max_size=30).map("".join)
GOOD: dict[str, st.SearchStrategy[Any]] = {
    "id": st.one_of(st.from_regex(r"[A-Za-z0-9_.:\-]{1,24}", fullmatch=True), repeated(["x"], [128]),
                    st.sampled_from(["c-1\n", "é-1", "c\u200b", "１２３", "c/1?x=#"])),
    "body": st.one_of(st.integers(0, len(CORPUS) - 1).map(CORPUS.__getitem__), odd_text, tricky_text.map("x".__add__),
                      repeated(["x", "é", "\x01x", "e\u0301"], [10_000, 20_000]), repeated(["x"], [20_000], " ")),
    "thread": st.one_of(st.none(), st.text(string.ascii_letters + string.digits + " -_./", max_size=30), odd_text,
                        tricky_text, repeated(["x", "e\u0301"], [150, 256]), repeated(["x"], [256], " ")),
    "url": st.one_of(st.none(), url(["http", "https"],
                                    ["news.example.org", "localhost", "example", "ex-ample.co.uk", "127.0.0.1",
                                     "[2001:db8::1]", "xn--bcher-kva.example", "bücher.de", "EXAMPLE.ORG", "例え.jp",
                                     "user:pw@example.org"],
                                    ["", "/", "/a/12", "?q=1", "#top", "/\u00e9", "/a/b?c=d&e=f#g"])),
    "created_at": st.one_of(st.none(), st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                                                    timezones=st.builds(lambda m: timezone(timedelta(minutes=m)),
                                                                        st.integers(-1439, 1439)))
                            .map(lambda d: d.isoformat()),
                            st.sampled_from(["2026-11-28T09:00:00+00:00", "2026-11-28T09:00:00Z",
                                             "2026-11-28 09:00+01:00", "2026-11-28T09:00:00.123+05:30",
                                             "20261128T090000Z", "2026-11-28T09:00:00.5-03:30"])),
    "parent_id": st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9_.:\-]{1,24}", fullmatch=True)),
    "lang": st.one_of(st.none(), st.from_regex(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}", fullmatch=True),
                      st.just("en\n")),
    "site": st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9_.\-]{1,64}", fullmatch=True), st.just("news\n")),
    "metadata": st.one_of(st.none(), st.dictionaries(
        st.one_of(st.text(max_size=10), repeated(["k", "é"], [64])),
        st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), st.floats(allow_nan=False,
                  allow_infinity=False), st.text(max_size=20), repeated(["x", "\x01"], [1000])),
        max_size=20)),
}
GOOD_AUTHOR: dict[str, st.SearchStrategy[Any]] = {
    "id": st.one_of(st.none(), GOOD["id"], st.just(" u-1 \x00")),
    "name": GOOD["thread"] | repeated(["x"], [200]),
    "email": st.one_of(st.none(), email(["reader", "a.b", "x+tag", "\"q uoted\"", "ü", "o'brien"],
                                        ["example.org", "localhost", "[127.0.0.1]", "bücher.de", "sub.ex-ample.co"])),
    "url": GOOD["url"],
    "ip": st.one_of(st.none(), st.ip_addresses().map(str), st.sampled_from(["fe80::1%eth0", "::ffff:1.2.3.4"])),
    "user_agent": GOOD["thread"] | repeated(["x"], [1024]),
}
# One value at a time in place of a good one: each is refused, or (as "c-1\n" for an id) a quirk of the rules.
NEAR_MISSES: dict[str, list[Any]] = {
    "id": ["", "c 1", "c\t1", "c\x00", "\ud800", "c\udc00x", " c", "c\x7f", "c-1\n\n", "x" * 129, None, 5],
    "body": ["", " ", "\x00", "\u200b", "\n\t", "\ufeff\r\n", " \x85 ", "\ud83d", "\u200d", None, "x" * 20_001,
             "e\u0301" * 20_001, "x" * 70_000, "\x00" * 70_000 + "x", b"bytes"],
    "thread": ["x" * 257, "é" * 257, "\x00" * 70_000 + "t", 1],
    "url": [f"{scheme}://news.example.org/a" for scheme in ["HTTP", "ftp", "javascript", ""]]
    + [f"https://{host}/a" for host in ["-bad.org", "a.b", "ex_ample.org", "a" * 64 + ".org", "x.y.z.", "",
                                        "exa mple.org"]]
    + [f"https://example.org{path}" for path in ["?", "#", "/a b", "/\ud800", "/x\n", ":x", ":", "/" + "x" * 2048]]
    + ["news.example.org", "//example.org", "http://", "mailto:x@y.z", ""],
    "created_at": ["2026-11-28T09:00:00", "2026-11-28", "2026-13-45T99:00:00Z", "yesterday", "",
                   "2026-11-28T09:00:00+00:00\n", "２０２６-11-28", "2026-11-28T09:00:00+24:00", "2026-11-28T09\ud800",
                   1_700_000_000],
    "parent_id": ["", "p 1", "\ud800", "p\x00", "x" * 129, "p\n\n"],
    "lang": ["english!", "e", "en-", "", "en-\n", "ён", "en_US", "en-123456789", "en\ud800", "en\n\n"],
    "site": ["a site", "", "ñews", "x" * 65, "news\n\n", "news\ud800"],
    "metadata": [{f"k{i}": i for i in range(21)}, {"k" * 65: 1}, {"\ud800": 1}, {"k": "\udfff"}, {"k": "x" * 1001},
                 {"k": 2**53 + 1}, {"k": -(2**53) - 1}, {"k": float("inf")}, {"k": float("-inf")},
                 {"k": float("nan")}, {"k": [1]}, {"k": {}}, {1: "x"}, {"k": b"x"}, {"k": 10**400}, [], "k=v",
                 {"k": ("a",)}, {"k": Decimal("1.5")}],
    "author": [[], "ana", 1, {"karma": 1}, {"id": "u", "Name": "Ana"}],
}
AUTHOR_NEAR_MISSES: dict[str, list[Any]] = {
    "id": ["u 1", "x" * 129, 1],
    "name": ["x" * 201, "é" * 201, "e\u0301" * 201, True],
    "email": [f"{user}@example.org" for user in ["a..b", ".a", "a b", "", "x" * 250, "a\ud800"]]
    + [f"reader@{domain}" for domain in ["ex", "a.b", "-x.org", "example.org.", "", "\ud800.org", "ex ample.org",
                                         "example.org\n"]]
    + ["not-an-email", "@", "", "x" * 64 + "@" + "y" * 63 + "." + "z" * 63 + "." + "w" * 63 + ".org"],
    "url": NEAR_MISSES["url"],
    "ip": ["256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1.2.3.4 ", "", "١.٢.٣.٤", "localhost", "fe80::1%\ud800",
           "::1::2", "1.2.3.4\n", 16909060],
    "user_agent": ["x" * 1025, "é" * 1025],
}
BAD = {field: st.sampled_from(values) for field, values in NEAR_MISSES.items()}
BAD_AUTHOR = {field: st.sampled_from(values) for field, values in AUTHOR_NEAR_MISSES.items()}
BAD["body"] = BAD["body"] | huge_text | st.lists(st.sampled_from([" ", "\x00", "\u200b", "\ufeff", "\r\n", "\ud83d"]),
                                                 max_size=5).map("".join)



class Text(str):
    """A str subclass: marshmallow makes a plain str of it, so only the schema may take it."""


# Anything at all in place of a field: wrong types, bytes, datetimes, subclasses of str and dict.
odd_values = st.one_of(json_values, st.binary(max_size=5), st.just(datetime(2026, 11, 28, tzinfo=UTC)),
                       st.builds(Text, st.text(max_size=5)), st.builds(OrderedDict, st.just({"id": "u"})),
                       st.just(float("nan")), st.just(10**400), st.just(("a",)))
authors = st.one_of(st.none(), st.fixed_dictionaries({}, optional=GOOD_AUTHOR))
plausible = st.fixed_dictionaries({"id": GOOD["id"], "body": GOOD["body"]},
                                  optional={**{k: v for k, v in GOOD.items() if k not in ("id", "body")},
                                            "author": authors})


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A plausible payload with one thing broken: a field replaced, dropped, added or renested."""
    payload = dict(draw(plausible))
    how = draw(st.sampled_from(["near-miss", "odd", "drop", "unknown", "author", "self-parent", "size",
                                "container"]))
    if how == "near-miss":
        field = draw(st.sampled_from(sorted(BAD)))
        payload[field] = draw(BAD[field])
    elif how == "odd":
        payload[draw(st.sampled_from([*sorted(GOOD), "author"]))] = draw(odd_values)
    elif how == "drop":
        payload.pop(draw(st.sampled_from(["id", "body"])))
    elif how == "unknown":
        payload[draw(st.sampled_from(["score", "Id", "", 1, "author.id"]))] = draw(json_values)
    elif how == "author":
        author = dict(draw(authors) or {})
        field = draw(st.sampled_from([*sorted(BAD_AUTHOR), "karma"]))
        author[field] = draw(BAD_AUTHOR.get(field, odd_values) | odd_values)
        payload["author"] = draw(st.sampled_from([author, OrderedDict(author)]))
    elif how == "self-parent":
        payload["parent_id"] = payload["id"]
    elif how == "size":
        # Around the 64 KiB limit: a long body plus metadata strings that escape to 6 bytes a character
        payload["body"] = "é" * draw(st.integers(10_000, 20_000))
        payload["metadata"] = {f"k{i}": "\x01" * 1000 for i in range(draw(st.integers(0, 20)))}
    else:
        return draw(st.sampled_from([OrderedDict(payload), [payload], json.dumps(payload, default=str)]))
    return payload


DIFFERENTIAL = settings(max_examples=examples(400), deadline=None, suppress_health_check=list(HealthCheck))


@DIFFERENTIAL
@given(plausible)
def test_plausible_payloads_load_the_same_either_way(payload: dict[str, Any]) -> None:
    assert_agree(payload)


@DIFFERENTIAL
@given(mutated())
def test_broken_payloads_are_refused_the_same_either_way(payload: Any) -> None:
    assert_agree(payload)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=list(HealthCheck))
@given(hostile_payloads)
def test_hostile_payloads_are_handled_the_same_either_way(payload: Any) -> None:
    assert_agree(payload)


@pytest.mark.parametrize("payload", [
    {"id": "c", "body": "x", "author": {}}, {"id": "c", "body": "x", "author": None, "metadata": None},
    {"id": "c", "body": "x", "metadata": {}}, {"id": "c", "body": "x", "thread": " \x00 "},
    {"id": "c", "body": "x", "author": {"name": "\u200b", "id": " u-1 "}},
    {"id": "c\n", "body": "x", "parent_id": "c"}, {"id": "c", "body": "x", "parent_id": "c\n"},
    {"id": "c", "body": "x", "metadata": {"t": True, "one": 1, "f": 1.0, "z": -0.0, "big": 2**53, "n": None}},
    {"id": "c", "body": "x", "metadata": {"big": 2**53 + 1}}, {"id": "c", "body": "x", "metadata": {"b": -(2**53)}},
    {"id": "c", "body": "\ud800\udfff ok"}, {"id": "c", "body": "x", "thread": "\ud83d"},
    {"id": "c", "body": "x", "created_at": "2026-11-28T09:00:00.5+01:00"},
    {"id": "c", "body": "x" * 20_000, "metadata": {f"k{i}": "\x01" * 1000 for i in range(7)}},
    {"id": "c", "body": "x" * 20_000, "metadata": {f"k{i}": "\x01" * 1000 for i in range(8)}},
    {"id": "c", "body": "\x00" * 70_000 + "x"}, {"id": "c", "body": "x", "thread": "\x00" * 70_000 + "t"},
])
def test_edge_payloads_are_handled_the_same_either_way(payload: dict[str, Any]) -> None:
    assert_agree(payload)


def full_payload() -> dict[str, Any]:
    return {"id": "c-1", "body": "A fair point about the budget.", "thread": "article-1",
            "url": "https://news.example.org/a/1",
            "author": {"id": "u-1", "name": "Ana", "email": "ana@example.org", "url": "https://ana.example.org",
                       "ip": "198.51.100.7", "user_agent": "Mozilla/5.0"},
            "created_at": "2026-11-28T09:14:00+01:00", "parent_id": "c-0", "lang": "pt-BR", "site": "news",
            "metadata": {"section": "city", "n": 3, "score": 0.5, "flag": True, "none": None}}


def test_a_complete_payload_takes_the_fast_path() -> None:
    assert fast_load(full_payload()) is not None


def test_the_fast_path_knows_exactly_the_schemas_fields() -> None:
    # Given the fields the schema declares and those the fast path builds
    schema = {"comment": set(CommentSchema().fields), "author": set(AuthorSchema().fields)}
    fast = {"comment": set(fast_schema.COMMENT_FIELDS), "author": set(fast_schema.AUTHOR_FIELDS)}
    # Then they are the same: a field only the schema has would be taken by the fast path and dropped, one only
    # the fast path has would be accepted there and refused by the schema
    for kind in schema:
        assert not schema[kind] - fast[kind], f"{kind} fields the fast path does not build: {schema[kind] - fast[kind]}"
        assert not fast[kind] - schema[kind], f"{kind} fields the schema does not declare: {fast[kind] - schema[kind]}"


def test_every_field_is_built_and_dumped_by_the_fast_path() -> None:
    # Given a payload with every field the schema declares (author included), each set
    payload = full_payload()
    assert set(payload) == set(CommentSchema().fields) and set(payload["author"]) == set(AuthorSchema().fields), \
        "full_payload() must set every field of the schema"
    # When the fast path loads it and dumps the comment
    comment = fast_load(payload)
    assert comment is not None
    dumped = fast_schema.fast_dump(comment)
    # Then it is the schema's comment, and every field comes back
    with schema_only():
        assert strictly_equal(comment, load_comment(payload))
    assert dumped is not None and set(dumped) == set(payload) and set(dumped["author"]) == set(payload["author"])


@pytest.mark.parametrize(("field", "value"), [(f, v) for f, values in NEAR_MISSES.items() for v in values],
                         ids=[f"{f}-{i}" for f, values in NEAR_MISSES.items() for i in range(len(values))])
def test_each_near_miss_is_handled_the_same_either_way(field: str, value: Any) -> None:
    # Given a complete, valid payload with one field's value replaced by a near miss
    assert_agree({**full_payload(), field: value})


@pytest.mark.parametrize(("field", "value"), [(f, v) for f, values in AUTHOR_NEAR_MISSES.items() for v in values],
                         ids=[f"{f}-{i}" for f, values in AUTHOR_NEAR_MISSES.items() for i in range(len(values))])
def test_each_author_near_miss_is_handled_the_same_either_way(field: str, value: Any) -> None:
    payload = full_payload()
    assert_agree({**payload, "author": {**payload["author"], field: value}})


def test_the_bench_payloads_take_the_fast_path() -> None:
    # Given what the bench submits (a news site's comments) / When loaded
    payloads = bench_payloads(corpus_texts(300), "t")
    # Then the fast path builds every one, and the schema alone builds the same
    with schema_only():
        expected = [load_comment(p) for p in payloads]
    assert [fast_load(p) for p in payloads] == expected
    assert [fast_schema.fast_dump(c) for c in expected] == [dump_comment(c) for c in expected]


def test_a_repeated_url_is_checked_once_and_a_refused_one_every_time() -> None:
    # Given a URL the validator accepted once, and one it refused
    assert load_comment({"id": "c", "body": "x", "url": "https://memo.example.org/a"}).url
    # When both come again / Then the good one is taken from memory, the bad one refused again by the schema
    with mock.patch.object(fast_schema._valid_url, "_check", side_effect=AssertionError("checked again")):
        assert load_comment({"id": "c", "body": "x", "url": "https://memo.example.org/a"}).url
    for _ in range(2):
        with pytest.raises(ValidationError) as caught:
            load_comment({"id": "c", "body": "x", "url": "https://memo example.org/a"})
        assert caught.value.messages == {"url": ["must be an http(s) URL"]}


@st.composite
def hand_built(draw: st.DrawFn) -> Comment:
    """Comments built in code (``submit`` takes them): loaded ones, and ones holding odd values."""
    comment = load_comment(draw(plausible.filter(lambda p: outcome(p)[0] == "accepted")))
    odd = draw(st.sampled_from([{}, {"metadata": None}, {"metadata": {1: "x"}}, {"metadata": OrderedDict(a=1)},
                                {"created_at": "2026-11-28"}, {"created_at": datetime(2026, 11, 28)},
                                {"author": None}, {"author": Author(name="")}, {"thread": ""},
                                {"body": Text("x")}, {"lang": 5}, {"metadata": {"": {}}}]))
    return Comment(**{**comment.__dict__, **odd})


@settings(max_examples=examples(100), deadline=None, suppress_health_check=list(HealthCheck))
@given(hand_built())
def test_comments_dump_the_same_either_way(comment: Comment) -> None:
    # Given a comment / When dumped with the fast path and by the schema alone
    def dumped() -> tuple[str, Any]:
        try:
            return "ok", list(dump_comment(comment).items())
        except Exception as exc:  # the schema may fail on a hand-built oddity; then both must fail alike
            return "error", type(exc)

    fast = dumped()
    with schema_only():
        expected = dumped()
    # Then the same keys, in the same order, with the same values
    assert fast[0] == expected[0] and strictly_equal(fast[1], expected[1])


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.text(st.characters(codec=None, exclude_categories=())), GOOD["body"], tricky_text,
                 BAD["body"].filter(lambda body: isinstance(body, str))))
def test_fast_cleaning_is_clean_text(text: str) -> None:
    # Given any text / When cleaned by the fast path's shortcut / Then the result is clean_text's, exactly
    assert clean(text) == clean_text(text)


def test_printable_characters_are_none_that_cleaning_removes() -> None:
    # Given every code point / Then none that str.isprintable() passes is one clean_text removes
    removed = {"Cc", "Cf", "Cs", "Co"}
    assert not [hex(c) for c in range(sys.maxunicode + 1)
                if chr(c).isprintable() and unicodedata.category(chr(c)) in removed]


def padded_body(filler: str, count: int) -> dict[str, Any]:
    return {**full_payload(), "body": "x" + filler * count}


def padded_metadata(filler: str, count: int) -> dict[str, Any]:
    return {**full_payload(), "metadata": {**{f"k{i}": filler * 1000 for i in range(10)}, "last": filler * count}}


def padded_dense(filler: str, count: int) -> dict[str, Any]:
    """Few characters, many pairs: the JSON of each pair is mostly punctuation and a 24-character float."""
    metadata = {chr(ord("a") + i): -1.2345678901234567e-300 for i in range(20)}
    return {"id": "c", "body": "x" + filler * count, "metadata": metadata}


@pytest.mark.parametrize(("pad", "filler"), [(padded_body, "\x01"), (padded_body, "\u200b"), (padded_body, "\ufeff"),
                                             (padded_metadata, "\x01"), (padded_metadata, "\x1f"),
                                             (padded_dense, "\x01"), (padded_dense, "\u200b")])
def test_payloads_at_the_size_limit_are_handled_the_same_either_way(pad: Any, filler: str) -> None:
    # Given the complete payload padded with characters that JSON escapes or cleaning removes, to the largest
    # size within the limit
    low, high = 0, 40_000
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if payload_size(pad(filler, middle)) <= MAX_PAYLOAD_BYTES else (low, middle - 1)
    assert payload_size(pad(filler, low + 1)) > MAX_PAYLOAD_BYTES >= payload_size(pad(filler, low))
    # When it, one character less and one more are loaded / Then the fast path agrees with the schema
    for count in (low - 1, low, low + 1):
        assert_agree(pad(filler, count))


def test_an_oversized_payload_is_measured_not_guessed() -> None:
    # Given a payload whose bound is over the limit but whose JSON is not
    payload = {"id": "c", "body": "é" * 20_000, "metadata": {f"k{i}": "x" * 1000 for i in range(20)}}
    assert len(json.dumps(payload, ensure_ascii=False).encode()) <= MAX_PAYLOAD_BYTES
    # Then the fast path still builds it
    assert fast_load(payload) is not None
