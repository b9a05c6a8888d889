"""Publishing: one decision per comment, in all three places, however often it is published; scripts Redis has
lost (a restart) are loaded again without doing anything twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import ResponseError

from moderation import keys
from moderation.publishing.audit import read_audit
from moderation.publishing.publish import DecisionPublisher, PipelineScript, execute
from moderation.records import Decision
from moderation.review.queue import HeldComment
from tests.moderation.helpers import decision, next_message
from tests.moderation.review_fakes import comment, make_handler, write_policy

# Every test here uses a real Redis server.
pytestmark = pytest.mark.integration


def test_a_decision_lands_in_the_key_the_stream_and_the_channel(redis: Redis, prefix: str) -> None:
    # Given a subscriber on the decisions channel
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(keys.decisions_channel(prefix))
    publisher = DecisionPublisher(redis, prefix=prefix, ttl_seconds=600)
    # When a decision is published
    assert publisher.publish(decision("c-1")) is True
    # Then it is stored with an expiry, appended to the stream and announced
    stored = json.loads(redis.get(keys.decision_key(prefix, None, "c-1")) or "{}")
    assert stored["decision"] == "review" and stored["reasons"][0]["terms"] == ["win"]
    assert 0 < redis.ttl(keys.decision_key(prefix, None, "c-1")) <= 600
    [(_, fields)] = redis.xrange(keys.decisions_stream(prefix))
    assert fields["comment_id"] == "c-1" and fields["decision"] == "review"
    assert json.loads(fields["record"]) == stored
    message = next_message(pubsub)
    assert message is not None and json.loads(message["data"]) == stored
    pubsub.close()


def test_publishing_twice_yields_one_decision(redis: Redis, prefix: str) -> None:
    # Given a comment already decided
    publisher = DecisionPublisher(redis, prefix=prefix)
    publisher.publish(decision("c-2", "approve"))
    # When another decision for it is published (a redelivered message)
    again = publisher.publish_many([decision("c-2", "reject"), decision("c-3")])
    # Then the first one stands and the stream holds one entry per comment
    assert again == [False, True]
    assert json.loads(redis.get(keys.decision_key(prefix, None, "c-2")) or "{}")["decision"] == "approve"
    assert [f["comment_id"] for _, f in redis.xrange(keys.decisions_stream(prefix))] == ["c-2", "c-3"]
    assert publisher.already_decided(["c-2", "c-4"]) == [True, False]


def test_publishing_clears_the_pending_entry(redis: Redis, prefix: str) -> None:
    redis.zadd(keys.pending_key(prefix), {"c-5": 1})
    redis.hset(keys.pending_payload_key(prefix), "c-5", "{}")
    DecisionPublisher(redis, prefix=prefix).publish(decision("c-5"))
    assert redis.zcard(keys.pending_key(prefix)) == 0 and redis.hlen(keys.pending_payload_key(prefix)) == 0


def test_the_stream_is_bounded(redis: Redis, prefix: str) -> None:
    publisher = DecisionPublisher(redis, prefix=prefix, stream_maxlen=100)
    publisher.publish_many([decision(f"c-{i}") for i in range(1000)])
    assert redis.xlen(keys.decisions_stream(prefix)) < 300


def test_a_script_redis_lost_is_loaded_again_and_only_it_re_runs(redis: Redis, prefix: str) -> None:
    # Given a pipeline with a script between two plain commands, and a Redis that then loses its scripts
    # (as a restart or SCRIPT FLUSH does)
    script = PipelineScript(redis, "return redis.call('INCR', KEYS[1])")
    pipe = redis.pipeline(transaction=False)
    pipe.incr(f"{prefix}:before")
    script([f"{prefix}:scripted"], [], client=pipe)
    pipe.incr(f"{prefix}:after")
    redis.script_flush()
    # When it is executed
    replies = execute(pipe)
    # Then every command ran once: the script after being loaded again, the others not repeated
    assert replies == [1, 1, 1]
    assert [redis.get(f"{prefix}:{name}") for name in ("before", "scripted", "after")] == ["1", "1", "1"]
    # And the next pipeline finds it loaded
    pipe = redis.pipeline(transaction=False)
    script([f"{prefix}:scripted"], [], client=pipe)
    assert execute(pipe) == [2]


def test_another_error_is_raised_and_no_lost_script_is_re_run(redis: Redis, prefix: str) -> None:
    # Given a pipeline whose first command fails (a wrong type) and whose script Redis has lost
    script = PipelineScript(redis, "return redis.call('INCR', KEYS[1]) -- wrong type case")
    redis.set(f"{prefix}:text", "x")
    pipe = redis.pipeline(transaction=False)
    pipe.hincrby(f"{prefix}:text", "n", 1)
    script([f"{prefix}:scripted"], [], client=pipe)
    redis.script_flush()
    # When it is executed, Then the error is raised and the script was not run
    with pytest.raises(ResponseError, match="WRONGTYPE"):
        execute(pipe)
    assert redis.get(f"{prefix}:scripted") is None


def test_a_worker_whose_redis_lost_its_scripts_publishes_and_books_each_decision_once(
        redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given a worker that has published a batch, and a Redis that then loses its scripts (as on a restart)
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("s-0", "fine", author="ann")])
    redis.script_flush()
    # When it handles a batch with a held, an approved and a rejected comment
    result = handler.handle([comment("s-1", "{spam=0.6}", author="ann"), comment("s-2", "fine", author="ann"),
                             comment("s-3", "{spam=0.95}", author="bob")])
    # Then each is published once, the held one is held, and the bookkeeping is done once
    assert result.published == 3 and result.outcomes == {"review": 1, "approve": 1, "reject": 1}
    ids = ["s-0", "s-1", "s-2", "s-3"]
    assert [f["comment_id"] for _, f in redis.xrange(keys.decisions_stream(prefix))] == ids
    assert list(redis.hkeys(keys.review_items_key(prefix))) == ["s-1"]
    assert [e.fields["comment_id"] for e in read_audit(redis, prefix, newest_first=False)] == ids
    assert redis.hgetall(keys.author_key(prefix, None, "id:ann")) == {"approved": "2"}
    assert redis.hgetall(keys.author_key(prefix, None, "id:bob")) == {"rejected": "1"}
    counts = redis.hgetall(keys.metrics_key(prefix))
    assert [counts.get(f"decisions:{o}") for o in ("approve", "review", "reject")] == ["2", "1", "1"]
    assert all(redis.exists(keys.comment_text_key(prefix, None, cid)) for cid in ids)


def test_a_held_comment_is_stored_with_the_very_record_that_was_published(
        redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given a worker
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    # When it holds a comment
    handler.handle([comment("h-1", "caf\u00e9 \"quoted\" {spam=0.6}", author="ann", site="news")])
    # Then the held item carries the published decision, and reads back as it was
    published = redis.get(keys.decision_key(prefix, "news", "h-1")) or ""
    raw = redis.hget(keys.review_items_key(prefix), "news h-1") or ""
    assert json.loads(raw)["decision"] == json.loads(published) and f'"decision":{published},' in raw
    held = HeldComment.from_json(raw)
    assert held.decision == Decision.from_json(published) and held.identity == "id:ann"
    assert held.comment["body"] == "caf\u00e9 \"quoted\" {spam=0.6}" and held.comment["site"] == "news"
