"""Publishing decisions: stored by comment id, appended to the decision stream, announced on pub/sub.

All three happen in one Lua script, so they happen together or not at all, and only for the first decision
of a comment: the stored key is written with ``SET NX``, and a comment delivered twice (a redelivery after a
lost worker, a duplicate submission) yields one decision, not two.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis import Redis

from moderation import keys
from moderation.records import Decision

# KEYS: decision key, decision stream, pending set, pending payload hash
# ARGV: record JSON, ttl seconds, stream maxlen, channel, comment id, outcome
_PUBLISH_LUA = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  local entry = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*',
                           'comment_id', ARGV[5], 'decision', ARGV[6], 'record', ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[5])
  redis.call('HDEL', KEYS[4], ARGV[5])
  redis.call('PUBLISH', ARGV[4], ARGV[1])
  return entry
end
redis.call('ZREM', KEYS[3], ARGV[5])
redis.call('HDEL', KEYS[4], ARGV[5])
return false
"""


class DecisionPublisher:
    """Publishes decisions to Redis exactly once per comment.

    :param redis: the connection (decode_responses may be on or off).
    :param prefix: the key prefix (:mod:`moderation.keys`).
    :param ttl_seconds: how long the stored decision can be looked up.
    :param stream_maxlen: approximate bound on the decision stream.
    """

    def __init__(self, redis: Redis, *, prefix: str = keys.DEFAULT_PREFIX, ttl_seconds: int = 7 * 24 * 3600,
                 stream_maxlen: int = 100_000) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds
        self.stream_maxlen = stream_maxlen
        self._script = redis.register_script(_PUBLISH_LUA)

    def publish_many(self, decisions: Sequence[Decision]) -> list[bool]:
        """Publish each decision unless its comment already has one, in one round trip.

        :returns: for each decision, True if it was published, False if the comment already had one.
        """
        if not decisions:
            return []
        pipe = self.redis.pipeline(transaction=False)
        stream = keys.decisions_stream(self.prefix)
        channel = keys.decisions_channel(self.prefix)
        pending = keys.pending_key(self.prefix)
        payloads = keys.pending_payload_key(self.prefix)
        for decision in decisions:
            self._script(
                keys=[keys.decision_key(self.prefix, decision.comment_id), stream, pending, payloads],
                args=[decision.to_json(), self.ttl_seconds, self.stream_maxlen, channel, decision.comment_id,
                      decision.decision],
                client=pipe,
            )
        return [bool(result) for result in pipe.execute()]

    def publish(self, decision: Decision) -> bool:
        """Publish one decision; False if the comment already had one."""
        return self.publish_many([decision])[0]

    def already_decided(self, comment_ids: Sequence[str]) -> list[bool]:
        """Whether each comment already has a stored decision (one round trip)."""
        if not comment_ids:
            return []
        pipe = self.redis.pipeline(transaction=False)
        for comment_id in comment_ids:
            pipe.exists(keys.decision_key(self.prefix, comment_id))
        results: list[Any] = pipe.execute()
        return [bool(r) for r in results]
