"""The ``moderation`` command, run as a real process against a real Redis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from redis import Redis

from moderation.intake.wire import comments_of
from moderation.publishing.publish import DecisionPublisher
from tests.moderation.helpers import decision, run_cli


@pytest.mark.integration
def test_submit_prints_one_line_per_input_and_exits_1_on_refusals(redis_url: str, redis: Redis, prefix: str) -> None:
    # Given JSON Lines with a valid comment, a blank body, broken JSON and another valid comment
    lines = "\n".join([
        json.dumps({"id": "c-1", "body": "Good news for commuters."}),
        json.dumps({"id": "c-2", "body": "  "}),
        "{oops",
        json.dumps({"id": "c-3", "body": "When does construction start?"}),
    ]) + "\n"
    # When they are piped to `moderation submit -`
    result = run_cli(["submit", "-"], redis_url, prefix, stdin=lines)
    # Then each line gets its result in order, refusals name line, field and rule, and valid ones are queued
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0] == {"id": "c-1", "status": "queued", "revision": 1}
    assert out[1] == {"line": 2, "errors": {"body": ["must not be blank"]}}
    assert out[2]["line"] == 3 and "valid JSON" in out[2]["errors"]["_schema"][0]
    assert out[3] == {"id": "c-3", "status": "queued", "revision": 1}
    assert result.returncode == 1
    queued = [c["id"] for m in redis.lrange(f"{prefix}-q", 0, -1) for c in comments_of(m)]
    assert sorted(queued) == ["c-1", "c-3"]


@pytest.mark.integration
def test_submit_reads_a_file_and_exits_0_when_all_are_valid(redis_url: str, redis: Redis, prefix: str,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "comments.jsonl"
    path.write_text("".join(json.dumps({"id": f"c-{i}", "body": "fine"}) + "\n" for i in range(3)))
    result = run_cli(["submit", str(path)], redis_url, prefix)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 3


@pytest.mark.integration
def test_decision_prints_json_or_exits_3(redis_url: str, redis: Redis, prefix: str) -> None:
    DecisionPublisher(redis, prefix=prefix).publish(decision("c-7", "reject"))
    found = run_cli(["decision", "c-7"], redis_url, prefix)
    assert found.returncode == 0 and json.loads(found.stdout)["decision"] == "reject"



@pytest.mark.integration
def test_decision_tells_a_pending_comment_from_an_unknown_id(redis_url: str, redis: Redis, prefix: str) -> None:
    # Given one comment accepted and waiting for a worker
    submitted = run_cli(["submit", "-"], redis_url, prefix, stdin=json.dumps({"id": "c-wait", "body": "Fine."}))
    assert submitted.returncode == 0
    # When asking for its decision, and for an id never submitted
    waiting = run_cli(["decision", "c-wait", "--wait", "0.3"], redis_url, prefix)
    never = run_cli(["decision", "never-sent", "--wait", "0.3"], redis_url, prefix)
    at_once = run_cli(["decision", "never-sent"], redis_url, prefix)
    # Then the accepted one is pending (exit 3), the other unknown (exit 8), with or without waiting
    assert waiting.returncode == 3 and json.loads(waiting.stdout)["status"] == "pending"
    assert never.returncode == 8 and json.loads(never.stdout)["status"] == "unknown"
    assert at_once.returncode == 8 and json.loads(at_once.stdout)["status"] == "unknown"


@pytest.mark.integration
def test_watch_prints_decisions_as_they_are_published(redis_url: str, redis: Redis, prefix: str) -> None:
    # Given decisions already in the stream / When watching from the start for two
    DecisionPublisher(redis, prefix=prefix).publish_many([decision("c-1"), decision("c-2"), decision("c-3")])
    result = run_cli(["watch", "--start", "0", "--count", "2"], redis_url, prefix)
    # Then two lines, in stream order
    assert result.returncode == 0
    assert [json.loads(line)["comment_id"] for line in result.stdout.splitlines()] == ["c-1", "c-2"]


@pytest.mark.integration
def test_watch_with_a_group_acknowledges(redis_url: str, redis: Redis, prefix: str) -> None:
    DecisionPublisher(redis, prefix=prefix).publish_many([decision("c-1"), decision("c-2")])
    first = run_cli(["watch", "--group", "ops", "--start", "0", "--count", "2"], redis_url, prefix)
    assert first.returncode == 0 and len(first.stdout.splitlines()) == 2
    assert redis.xpending(f"{prefix}:decisions", "ops")["pending"] == 0


@pytest.mark.integration
def test_bad_settings_exit_2_with_the_setting_named(redis_url: str, prefix: str) -> None:
    result = run_cli(["decision", "x"], "http://wrong", prefix)
    assert result.returncode == 2 and "redis_url" in result.stderr


def test_unreachable_redis_exits_4() -> None:
    result = run_cli(["decision", "x"], "redis://127.0.0.1:1/0", "p")
    assert result.returncode == 4 and "unreachable" in result.stderr


@pytest.mark.integration
def test_submit_says_duplicate_for_the_same_body_and_queues_an_edit(redis_url: str, redis: Redis, prefix: str) -> None:
    # Given a comment, the same again, and an edit of it, as JSON Lines
    lines = "".join(json.dumps({"id": "c-9", "body": body}) + "\n" for body in ("First.", "First.", "Edited."))
    # When they are submitted
    result = run_cli(["submit", "-"], redis_url, prefix, stdin=lines)
    # Then the repeat is a duplicate (not queued), the edit is queued
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0
    assert [o["status"] for o in out] == ["queued", "duplicate", "queued"]
    queued = [c["body"] for m in redis.lrange(f"{prefix}-q", 0, -1) for c in comments_of(m)]
    assert sorted(queued) == ["Edited.", "First."]
