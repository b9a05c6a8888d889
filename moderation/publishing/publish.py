"""Publishing decisions: stored by comment id, appended to the decision stream, announced on pub/sub.

All three happen in one Lua script (one call per batch), so they happen together or not at all, and once per
revision of a comment: a decision is published only over an older revision (none, for a new comment), so a
comment delivered twice (a redelivery after a lost worker, a duplicate submission) yields one decision, not
two, and an edit (:mod:`moderation.intake.revisions`) replaces the decision of the body before it.

Scripts queued on a pipeline go as bare ``EVALSHA`` (:class:`PipelineScript`): redis-py's own registered
scripts make every ``Pipeline.execute`` ask ``SCRIPT EXISTS`` first, one more round trip per pipeline.
:func:`execute` runs such a pipeline and recovers from ``NOSCRIPT`` (Redis restarted or its scripts flushed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis import Redis
from redis.exceptions import NoScriptError, ResponseError

from moderation import keys
from moderation.records import Decision

#: Every :class:`PipelineScript`'s text by SHA1, so :func:`execute` can load the one a NOSCRIPT names.
_SCRIPTS: dict[str, str] = {}


class PipelineScript:
    """A Lua script that is queued on pipelines as a bare ``EVALSHA``, with no ``SCRIPT EXISTS`` before it.

    It is loaded into Redis the first time it is queued (once per process); a pipeline holding it is run with
    :func:`execute`, which loads it again and re-runs it should Redis have lost it since. Called without a
    pipeline it is redis-py's registered script (which reloads it itself on ``NOSCRIPT``).

    :param redis: the connection it is loaded through.
    :param text: the Lua source.
    """

    def __init__(self, redis: Redis, text: str) -> None:
        self.redis = redis
        self.script = redis.register_script(text)
        self._loaded = False
        _SCRIPTS[self.script.sha] = text

    def __call__(self, keys: Sequence[Any], args: Sequence[Any], client: Any = None) -> Any:
        """Run the script now (``client`` None) or queue it on the pipeline ``client``.

        :param keys: the script's KEYS.
        :param args: its ARGV.
        :param client: a pipeline to queue it on (then run that pipeline with :func:`execute`).
        """
        if client is None:
            return self.script(keys=keys, args=args)
        if not self._loaded:
            self.load()
        return client.evalsha(self.script.sha, len(keys), *keys, *args)

    def load(self) -> None:
        """Load the script into Redis (again)."""
        self.script.sha = self.redis.script_load(self.script.script)
        self._loaded = True


def execute(pipe: Any) -> list[Any]:
    """Execute a pipeline that may hold :class:`PipelineScript` calls, as ``pipe.execute()`` would.

    A script call answered ``NOSCRIPT`` (Redis restarted, or its scripts were flushed, since the script was
    loaded) did nothing; it alone is run again, after loading its script, in one more round trip. The rest of
    the pipeline is not repeated, so nothing in it is ever done twice, and what ran before the script (a held
    comment before its publication) still ran before it. Any other error is raised, as ``execute`` raises it,
    and then no script is re-run.

    :param pipe: a non-transactional pipeline.
    :returns: the replies, one per queued command.
    """
    stack = list(pipe.command_stack)
    replies: list[Any] = pipe.execute(raise_on_error=False)
    missing = []
    for index, reply in enumerate(replies):
        if isinstance(reply, NoScriptError) and str(stack[index][0][1]) in _SCRIPTS:
            missing.append(index)
        elif isinstance(reply, ResponseError):
            raise reply  # nothing is re-run after another error (or a script not known here): the caller retries
    if missing:
        shas = list(dict.fromkeys(str(stack[i][0][1]) for i in missing))
        for sha in shas:
            pipe.script_load(_SCRIPTS[sha])
        for i in missing:
            args, options = stack[i]
            pipe.execute_command(*args, **options)
        for i, reply in zip(missing, pipe.execute()[len(shas):], strict=True):
            replies[i] = reply
    return replies

# One call per batch. KEYS: decision stream, pending set, pending payload hash, pending digest hash, then per
# decision its decision key and revision hash. ARGV: ttl seconds, stream maxlen, channel, then per decision:
# comment ref (moderation.keys.comment_ref: what the pending set and hashes hold), outcome, record JSON, revision,
# body digest ('' when unknown), comment id, site ('' when none; the stream entry has a site field only then).
# A decision is published when its revision is newer than the comment's published one (none: 0; a decision
# without a revision hash: 1), so each revision once: a first decision when there is none, an edit's over the
# older one. Returns per decision 1 if published, 0 if not. A comment leaves the pending set and hashes unless a
# newer body of it is pending (an edit queued meanwhile), in chunks of 1000 ids per call (Lua's unpack has a bound).
_PUBLISH_LUA = """
local published, ids = {}, {}
for i = 0, (#KEYS - 4) / 2 - 1 do
  local decision_key, revision_key = KEYS[5 + i * 2], KEYS[6 + i * 2]
  local a = 4 + i * 7
  local id, outcome, record, revision, digest = ARGV[a], ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3]), ARGV[a + 4]
  local comment_id, site = ARGV[a + 5], ARGV[a + 6]
  local current = tonumber(redis.call('HGET', revision_key, 'revision'))
  if not current and redis.call('EXISTS', decision_key) == 1 then current = 1 end
  if (current or 0) < revision then
    redis.call('SET', decision_key, record, 'EX', ARGV[1])
    if site == '' then
      redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'comment_id', comment_id, 'decision', outcome,
                 'record', record, 'revision', revision)
    else
      redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'comment_id', comment_id, 'decision', outcome,
                 'record', record, 'revision', revision, 'site', site)
    end
    redis.call('PUBLISH', ARGV[3], record)
    if digest ~= '' then
      redis.call('HSET', revision_key, 'revision', revision, 'digest', digest, 'd:' .. digest, revision)
    else
      redis.call('HSET', revision_key, 'revision', revision)
    end
    redis.call('EXPIRE', revision_key, ARGV[1])
    published[#published + 1] = 1
  else
    published[#published + 1] = 0
  end
  local pending = redis.call('HGET', KEYS[4], id)
  if not pending or digest == '' or pending == digest then ids[#ids + 1] = id end
end
for first = 1, #ids, 1000 do
  local last = math.min(first + 999, #ids)
  redis.call('ZREM', KEYS[2], unpack(ids, first, last))
  redis.call('HDEL', KEYS[3], unpack(ids, first, last))
  redis.call('HDEL', KEYS[4], unpack(ids, first, last))
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
        self._script = PipelineScript(redis, _PUBLISH_LUA)
        self._head_keys = (keys.decisions_stream(prefix), keys.pending_key(prefix), keys.pending_payload_key(prefix),
                           keys.pending_digest_key(prefix))
        self._head_args = (ttl_seconds, stream_maxlen, keys.decisions_channel(prefix))

    def publish_many(self, decisions: Sequence[Decision], digests: Sequence[str] | None = None) -> list[bool]:
        """Publish each decision unless its comment already has one of this revision or a newer one, in one
        round trip.

        :param digests: each decided body's digest (see :meth:`queue_publish`).
        :returns: for each decision, True if it was published, False if the comment already had one.
        """
        if not decisions:
            return []
        result: Any = self.queue_publish(decisions, digests=digests)
        return [bool(r) for r in result]

    def queue_publish(self, decisions: Sequence[Decision], pipe: Any = None,
                      records: Sequence[str] | None = None, digests: Sequence[str] | None = None) -> Any:
        """Run the publishing script for ``decisions`` now, or queue it on ``pipe`` (its reply, one flag per
        decision, then comes with the pipeline's results; run the pipeline with :func:`execute`).

        :param decisions: the decisions.
        :param pipe: a pipeline to queue the script on.
        :param records: each decision's JSON (:meth:`Decision.to_json`), when the caller already has it.
        :param digests: each decided body's digest (:func:`moderation.intake.revisions.body_digest`), which tells a
            later duplicate from an edit; without them, a later submission of the comment counts as an edit.
        """
        if records is None:
            records = [decision.to_json() for decision in decisions]
        prefix = self.prefix
        keys_: list[str] = [*self._head_keys]
        args: list[Any] = [*self._head_args]
        for index, (decision, record) in enumerate(zip(decisions, records, strict=True)):
            keys_ += (keys.decision_key(prefix, decision.site, decision.comment_id),
                      keys.revision_key(prefix, decision.site, decision.comment_id))
            args += (decision.ref, decision.decision, record, decision.revision,
                     digests[index] if digests is not None else "", decision.comment_id, decision.site or "")
        return self._script(keys_, args, client=pipe)

    def publish(self, decision: Decision) -> bool:
        """Publish one decision; False if the comment already had one."""
        return self.publish_many([decision])[0]

    def already_decided(self, refs: Sequence[str]) -> list[bool]:
        """Whether each comment (by :func:`moderation.keys.comment_ref`) already has a stored decision (one round
        trip)."""
        if not refs:
            return []
        pipe = self.redis.pipeline(transaction=False)
        for ref in refs:
            pipe.exists(keys.decision_key(self.prefix, *keys.split_ref(ref)))
        results: list[Any] = pipe.execute()
        return [bool(r) for r in results]
