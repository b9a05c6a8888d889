"""Publishing decisions: stored by comment id, appended to the decision stream, announced on pub/sub.

All three happen in one Lua script (one call per batch), so they happen together or not at all, and only
for the first decision of a comment: the stored key is written with ``SET NX``, and a comment delivered
twice (a redelivery after a lost worker, a duplicate submission) yields one decision, not two.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis import Redis

from moderation import keys
from moderation.records import Decision

# One call per batch. KEYS: decision stream, pending set, pending payload hash, then one decision key per
# decision. ARGV: ttl seconds, stream maxlen, channel, then per decision: comment id, outcome, record JSON.
# Returns per decision 1 if published, 0 if the comment already had a decision.
_PUBLISH_LUA = """
local published = {}
for i = 4, #KEYS do
  local a = 4 + (i - 4) * 3
  local id, outcome, record = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  if redis.call('SET', KEYS[i], record, 'NX', 'EX', ARGV[1]) then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'comment_id', id, 'decision', outcome, 'record', record)
    redis.call('PUBLISH', ARGV[3], record)
    published[#published + 1] = 1
  else
    published[#published + 1] = 0
  end
  redis.call('ZREM', KEYS[2], id)
  redis.call('HDEL', KEYS[3], id)
end
return published
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
        result: Any = self.queue_publish(decisions)
        return [bool(r) for r in result]

    def queue_publish(self, decisions: Sequence[Decision], pipe: Any = None) -> Any:
        """Run the publishing script for ``decisions`` now, or queue it on ``pipe`` (its reply, one flag per
        decision, then comes with the pipeline's results).
        """
        keys_: list[str] = [keys.decisions_stream(self.prefix), keys.pending_key(self.prefix),
                            keys.pending_payload_key(self.prefix)]
        args: list[Any] = [self.ttl_seconds, self.stream_maxlen, keys.decisions_channel(self.prefix)]
        for decision in decisions:
            keys_.append(keys.decision_key(self.prefix, decision.comment_id))
            args += [decision.comment_id, decision.decision, decision.to_json()]
        return self._script(keys=keys_, args=args, client=pipe)

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
