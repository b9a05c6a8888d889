"""A receipt says ``queued`` only once the submission reached the replicas the client waits for."""

from __future__ import annotations

import pytest
from redis import Redis

from moderation import keys
from moderation.intake.client import ModerationClient, NotReplicated
from moderation.settings import load_settings

pytestmark = pytest.mark.integration


def test_a_submission_no_replica_confirmed_raises_and_submitting_again_is_safe(redis: Redis, prefix: str) -> None:
    # Given a client that waits for one replica, on a Redis that has none
    client = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q", wait_replicas=1, wait_timeout_ms=50)
    # When a comment is submitted, Then no receipt says queued: NotReplicated names what was missing
    with pytest.raises(NotReplicated, match="0 of 1 replica"):
        client.submit({"id": "c-1", "body": "hello"})
    # and submitting it again without waiting (a single server) is recognised, not queued twice
    plain = ModerationClient(redis, prefix=prefix, queue=f"{prefix}-q")
    assert plain.submit({"id": "c-1", "body": "hello"}).status == "duplicate"
    assert redis.llen(f"{prefix}-q") == 1 and redis.zscore(keys.pending_key(prefix), "c-1") is not None


def test_the_client_waits_for_one_replica_through_sentinel_and_none_for_one_server() -> None:
    assert load_settings(env={"REDIS_URL": "redis+sentinel://s1:26379/m/0"}).wait_replicas == 1
    assert load_settings(env={"REDIS_URL": "redis://h:6379/0"}).wait_replicas == 0
    explicit = load_settings(env={"REDIS_URL": "redis://h:6379/0", "MODERATION_SUBMIT_WAIT_REPLICAS": "2"})
    assert explicit.wait_replicas == 2
