"""Hypothesis strategies for hostile input: JSON-like values of every kind (odd Unicode, huge strings, NaN,
big numbers, nesting) in place of a comment's fields, or of the comment itself."""

from __future__ import annotations

import string

from hypothesis import strategies as st

FIELDS = ["id", "thread", "url", "author", "body", "created_at", "parent_id", "lang", "site", "metadata"]
AUTHOR_FIELDS = ["id", "name", "email", "url", "ip", "user_agent"]

odd_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
huge_text = st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", "\u200b", "\x00", "😀", "\ud800", " "]),
                      st.sampled_from([1, 127, 128, 129, 20_000, 20_001, 70_000]))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), odd_text, huge_text,
    st.sampled_from(["", " ", "2026-11-28T09:14:00+01:00", "2026-13-45T99:00:00Z", "http://x", "a@b.c",
                     "::1", "256.0.0.1", "en", "pt-BR", "https://news.example.org/a?b=c"]),
)
# Two levels of nesting are enough here: deep nesting has its own tests below.
json_values = st.one_of(scalars, st.lists(scalars, max_size=3),
                        st.dictionaries(st.text(max_size=8), scalars, max_size=3))
author = st.dictionaries(st.sampled_from([*AUTHOR_FIELDS, "karma"]), json_values, max_size=7)
payloads = st.one_of(
    st.fixed_dictionaries({"id": st.text(string.ascii_letters, min_size=1, max_size=10), "body": odd_text},
                          optional={k: (author if k == "author" else json_values)
                                    for k in FIELDS if k not in ("id", "body")}),
    st.dictionaries(st.sampled_from([*FIELDS, "extra"]), st.one_of(json_values, author), max_size=10),
    json_values,
)


def _deep(levels: int, leaf: object) -> object:
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


#: Values nested from shallow to far deeper than a worker may pickle (built without recursion).
nested_values = st.builds(_deep, st.sampled_from([0, 1, 5, 6, 7, 16, 17, 200, 900]), scalars)
#: Task message bodies of every shape a transport can hand a worker: Celery's [args, kwargs, embed] triple and
#: everything that is not (objects, lists of the wrong length, args and kwargs of the wrong type, comments that
#: are not objects), with payloads and deep nesting in every place.
message_bodies = st.one_of(
    st.tuples(st.one_of(st.lists(st.lists(st.one_of(payloads, nested_values), max_size=3), max_size=2),
                        json_values, nested_values),
              st.one_of(st.fixed_dictionaries({}, optional={"submitted_at_ms": json_values, "attempt": json_values,
                                                            "comments": st.lists(payloads, max_size=2)}),
                        json_values, nested_values),
              st.one_of(st.none(), st.just({"callbacks": None, "errbacks": None, "chain": None, "chord": None}),
                        json_values, nested_values)).map(list),
    st.lists(st.one_of(payloads, json_values, nested_values), max_size=4),
    st.dictionaries(st.sampled_from(["comments", "args", "kwargs", "task"]), st.one_of(payloads, nested_values),
                    max_size=3),
    json_values, nested_values,
)
