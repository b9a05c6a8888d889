"""Hostile input: generated payloads thrown at the schema, the client and the CLI.

The only acceptable outcomes are a clean validation error or an accepted comment — no crash, no hang — and
whatever the client accepts, the worker accepts too.
"""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError
from redis import Redis

from moderation.cli import main as cli
from moderation.intake.client import ModerationClient, Receipt, Refusal
from moderation.intake.schemas import MAX_PAYLOAD_BYTES, dump_comment, load_comment, load_comment_json
from moderation.intake.wire import comments_of
from moderation.judging.pipeline import validate_payloads
from tests.helpers import examples
from tests.moderation.hostile_payloads import payloads

# How hard to push: CI runs the defaults (tens of thousands of payloads in all); raise for a soak.
SCALE = float(os.environ.get("HOSTILE_SCALE", "1"))
def deeply_nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"k": value}
    return value


def check_outcome(payload: Any) -> None:
    try:
        comment = load_comment(payload)
    except ValidationError as exc:
        assert exc.messages, "a refusal must say why"
        return
    # An accepted comment survives the trip through the queue: the worker's validation accepts it too.
    dumped = dump_comment(comment)
    assert json.loads(json.dumps(dumped, ensure_ascii=False).encode("utf-8")) == dumped
    comments, invalid = validate_payloads([dumped])
    assert not invalid and comments == [comment]
    assert comment.body.strip() and len(comment.body) <= 20_000


@settings(max_examples=examples(int(6000 * SCALE)), deadline=None, suppress_health_check=list(HealthCheck))
@given(payloads)
def test_schema_gives_a_comment_or_a_clean_error(payload: Any) -> None:
    check_outcome(payload)


@settings(max_examples=examples(int(3000 * SCALE)), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(payloads.map(lambda p: json.dumps(p, allow_nan=True)), st.text(max_size=200),
                 st.binary(max_size=200)))
def test_raw_lines_give_a_comment_or_a_clean_error(raw: str | bytes) -> None:
    try:
        load_comment_json(raw)
    except ValidationError as exc:
        assert exc.messages


@pytest.mark.parametrize("payload", [
    deeply_nested(5000), [[[]]] * 3, {"id": "c", "body": "x", "metadata": deeply_nested(2000)},
    {"id": "c", "body": "x" * (MAX_PAYLOAD_BYTES + 1)}, {"id": "c", "body": "\ud800\udfff ok"},
    {"id": "c", "body": "x", "metadata": {"n": 10**400}}, {"id": "c", "body": "x", "metadata": {"f": math.inf}},
    {"id": "\ud800", "body": "x"}, {"id": "c", "body": "x", "author": {"name": "\ud83d"}},
])
def test_known_nasty_payloads(payload: Any) -> None:
    check_outcome(payload)


@pytest.mark.parametrize("raw", ["[" * 100_000, '{"id": "c", "body": "x", "n": 1e999}', "\x00", '"str"',
                                 '{"id": "c", "body": "' + "\\ud800" * 10 + '"}'])
def test_known_nasty_lines(raw: str) -> None:
    try:
        comment = load_comment_json(raw)
    except ValidationError as exc:
        assert exc.messages
    else:
        check_outcome(dump_comment(comment))


@pytest.mark.integration
@settings(max_examples=examples(int(1500 * SCALE)), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(payloads, min_size=1, max_size=8))
def test_client_queues_what_it_accepts_and_refuses_the_rest(redis_url: str, batch: list[Any]) -> None:
    # Given a real Redis and a client / When a batch of generated payloads is submitted
    redis = Redis.from_url(redis_url, decode_responses=True)
    client = ModerationClient(redis, prefix="hostile", queue="hostile-q", batch_size=3)
    redis.delete(client.queue)
    results = client.submit_many(batch)
    # Then each input has a receipt or a refusal, and exactly the accepted ones are queued, intact (an id
    # repeated with the same body is a duplicate: accepted, not queued again)
    assert len(results) == len(batch)
    accepted = [r.id for r in results if isinstance(r, Receipt) and not r.duplicate]
    assert all(isinstance(r, Receipt | Refusal) for r in results)
    queued = [c for m in reversed(redis.lrange(client.queue, 0, -1)) for c in comments_of(m)]
    assert [c["id"] for c in queued] == accepted
    assert not validate_payloads(queued)[1]
    redis.delete(client.queue, "hostile:pending", "hostile:pending:payload", "hostile:pending:digest")
    redis.close()


@pytest.mark.integration
@settings(max_examples=examples(int(150 * SCALE)), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(payloads.map(lambda p: json.dumps(p, allow_nan=True)), st.text(max_size=80)),
                min_size=1, max_size=60))
def test_cli_submit_prints_one_result_per_line(redis_url: str, tmp_path_factory: pytest.TempPathFactory,
                                               lines: list[str]) -> None:
    # Given a file of generated lines (blank ones are skipped)
    path: Path = tmp_path_factory.mktemp("cli") / "in.jsonl"
    body = [line.replace("\n", " ").replace("\r", " ").replace("\x0b", " ").replace("\x0c", " ")
            .replace("\x1c", " ").replace("\x1d", " ").replace("\x1e", " ").replace("\x85", " ")
            .replace("\u2028", " ").replace("\u2029", " ") for line in lines]
    path.write_text("\n".join(body) + "\n", encoding="utf-8", errors="surrogateescape")
    expected = sum(1 for line in body if line.strip())
    # When `moderation submit FILE` runs
    out = io.StringIO()
    os.environ.update({"REDIS_URL": redis_url, "MODERATION_PREFIX": "hostile-cli", "MODERATION_QUEUE": "hostile-cli-q"})
    try:
        code = cli.main(["submit", str(path)], out=out)
    finally:
        for name in ("MODERATION_PREFIX", "MODERATION_QUEUE"):
            os.environ.pop(name, None)
    # Then it exits 0 or 1 with exactly one JSON result per non-blank line
    results = [json.loads(line) for line in out.getvalue().split("\n") if line]
    assert code in (0, 1) and len(results) == expected
    assert code == (1 if any("errors" in r for r in results) else 0)
    Redis.from_url(redis_url).delete("hostile-cli-q", "hostile-cli:pending", "hostile-cli:pending:payload",
                                     "hostile-cli:pending:digest")
