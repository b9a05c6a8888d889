"""The human review loop: held comments wait per site; moderators' verdicts and reports.

A worker holds a comment decided ``review`` (:meth:`ReviewQueue.queue_hold`, before it publishes the
decision): the cleaned comment, its scores and reasons go to a hash, its id to the site's queue (a sorted
set by time). A moderator then:

* **approves or rejects** it (:meth:`ReviewQueue.verdict`). One Lua script replaces the stored decision with
  the final one (first reason ``moderator.approve`` / ``moderator.reject``, then the reasons it was held
  for), appends it to the decision stream, announces it, takes the comment out of the queue, updates the
  author's trust, records the labelled example and the audit entry: all or nothing, and only while the
  comment is held, so a second verdict on it publishes nothing.
* **reports** a published decision as wrong (:meth:`ReviewQueue.report`, Akismet's submit-spam /
  submit-ham): the decision stays, the label is recorded, the author's counts are corrected and the action
  audited. Reporting the same comment the same way twice records it once. Reporting a comment that is
  still held is a verdict (spam: reject, ham: approve).

Labels follow :mod:`moderation.review.feedback`; audit entries :mod:`moderation.publishing.audit`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from redis import Redis

from moderation import keys
from moderation.intake.client import now_ms
from moderation.intake.schemas import dump_comment
from moderation.judging.rules.trust import HISTORY_TTL_SECONDS, author_identity
from moderation.ops.breakdowns import record_verdicts
from moderation.publishing.audit import FIELDS, MAX_WHY_CHARS, audit_fields, flat, utc_now
from moderation.publishing.publish import PipelineScript
from moderation.records import Comment, Decision, Reason, compact_json
from moderation.review.feedback import FEEDBACK_MAXLEN, example_row, labels_for, report_labels, stored_comment

Verdict = Literal["approve", "reject"]
#: :class:`ActionResult` status of a verdict for a revision that is no longer the comment's current one.
STALE = "stale"
#: What a moderator is told of a stale verdict.
STALE_MESSAGE = "edited since you opened it: open it again to see the current text"
_DONE = {"approve": "approved", "reject": "rejected"}
#: A report's audit action -> the label it records (``toxic``: reported as abusive).
_REPORT_ACTIONS = {"spam": "report-spam", "ham": "report-ham", "toxic": "report-abuse"}
_REPORT_TAGS = {action: label for label, action in _REPORT_ACTIONS.items()}

# KEYS: decision, decision stream, site queue, held items, author history, feedback stream, audit stream, label,
#       revision hash
# ARGV: record, ttl, stream maxlen, channel, comment ref, outcome, has author, example, feedback maxlen,
#       history ttl, comment id, site ('' none), revision, revision the moderator saw ('' any), audit field/value
#       pairs... Returns false when not held, -1 when the comment's revision is no longer the one seen.
_VERDICT_LUA = """
if redis.call('HEXISTS', KEYS[4], ARGV[5]) == 0 then return false end
if ARGV[14] ~= '' and (tonumber(redis.call('HGET', KEYS[9], 'revision')) or 1) ~= tonumber(ARGV[14]) then
  return -1
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
local entry
if ARGV[12] == '' then
  entry = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'comment_id', ARGV[11], 'decision', ARGV[6],
                     'record', ARGV[1], 'revision', ARGV[13])
else
  entry = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'comment_id', ARGV[11], 'decision', ARGV[6],
                     'record', ARGV[1], 'revision', ARGV[13], 'site', ARGV[12])
end
redis.call('PUBLISH', ARGV[4], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[5])
redis.call('ZREM', KEYS[3], ARGV[11])
if ARGV[7] == '1' then
  redis.call('HINCRBY', KEYS[5], ARGV[6] == 'approve' and 'approved' or 'rejected', 1)
  redis.call('EXPIRE', KEYS[5], ARGV[10])
end
redis.call('SET', KEYS[8], ARGV[6], 'EX', ARGV[2])
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[9], '*', 'example', ARGV[8])
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 15))
return entry
"""

# After a worker published a batch. KEYS: audit stream, then per comment: author history, kept comment.
# ARGV: audit maxlen, history ttl, keep seconds (0: texts are not kept), then per comment 7: has author, outcome,
#       kept comment, comment id, site, why, decided at. The audit entry's fields are in
#       moderation.publishing.audit.FIELDS order, the worker's actor and action written here rather than sent
#       with every comment.
_RECORD_AUDIT = {"actor": "'worker'", "action": "'decide'", "comment_id": "ARGV[a + 3]", "site": "ARGV[a + 4]",
                 "outcome": "ARGV[a + 1]", "why": "ARGV[a + 5]", "at": "ARGV[a + 6]"}
_RECORD_LUA = """
for i = 0, (#KEYS - 1) / 2 - 1 do
  local k, a = 2 + i * 2, 4 + i * 7
  local outcome = ARGV[a + 1]
  if ARGV[a] == '1' and (outcome == 'approve' or outcome == 'reject') then
    redis.call('HINCRBY', KEYS[k], outcome == 'approve' and 'approved' or 'rejected', 1)
    redis.call('EXPIRE', KEYS[k], ARGV[2])
  end
  if ARGV[3] ~= '0' then redis.call('SET', KEYS[k + 1], ARGV[a + 2], 'EX', ARGV[3]) end
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', AUDIT_FIELDS)
end
return 1
""".replace("AUDIT_FIELDS", ", ".join(f"'{name}', {_RECORD_AUDIT[name]}" for name in FIELDS))

# KEYS: label, author history, feedback stream, audit stream
# ARGV: label (spam/toxic/ham), outcome published, has author, example, feedback maxlen, audit maxlen, label ttl,
#       history ttl, audit field/value pairs...
_REPORT_LUA = """
local previous = redis.call('GET', KEYS[1])
if previous == ARGV[1] then return false end
local before = previous or ARGV[2]
local ok = before == 'approve' or before == 'ham'
local bad = before == 'reject' or before == 'spam' or before == 'toxic'
local approved, rejected = 0, 0
if ARGV[1] ~= 'ham' then
  if ok then approved, rejected = -1, 1 elseif not bad then rejected = 1 end
else
  if bad then approved, rejected = 1, -1 elseif not ok then approved = 1 end
end
if ARGV[3] == '1' and (approved ~= 0 or rejected ~= 0) then
  for name, delta in pairs({approved = approved, rejected = rejected}) do
    if delta ~= 0 and redis.call('HINCRBY', KEYS[2], name, delta) < 0 then redis.call('HSET', KEYS[2], name, 0) end
  end
  redis.call('EXPIRE', KEYS[2], ARGV[8])
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[7])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'example', ARGV[4])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[6], '*', unpack(ARGV, 9))
return 1
"""


@dataclass(frozen=True)
class HeldComment:
    """A comment waiting for a moderator.

    :param comment: the cleaned comment as submitted (a JSON-ready dict).
    :param decision: the worker's ``review`` decision (scores, reasons, model version).
    :param held_at: when it was held (ISO 8601 UTC).
    :param identity: its author's identity (an id or keyed hash), if any.
    """

    comment: dict[str, Any]
    decision: Decision
    held_at: str
    identity: str | None = None

    @property
    def comment_id(self) -> str:
        """The comment's id."""
        return self.decision.comment_id

    @property
    def ref(self) -> str:
        """The comment's name across sites (:func:`moderation.keys.comment_ref`): what verdicts take."""
        return self.decision.ref

    @property
    def revision(self) -> int:
        """The revision held (a verdict bound to another one is refused as stale)."""
        return self.decision.revision

    def to_dict(self) -> dict[str, Any]:
        """What ``moderation review list`` prints: the comment, its scores and reasons."""
        decision = self.decision.to_dict()
        return {"id": self.comment_id, "site": self.decision.site, "ref": self.ref, "revision": self.revision,
                "held_at": self.held_at,
                "comment": self.comment, "scores": decision["scores"], "reasons": decision["reasons"],
                "model_version": self.decision.model_version}

    def to_json(self, record: str | None = None) -> str:
        """As stored in Redis.

        :param record: the decision's JSON (:meth:`Decision.to_json`) when the caller already has it: it is
            spliced in as it is rather than encoded again.
        """
        return (f'{{"comment":{compact_json(self.comment)},"decision":{record or self.decision.to_json()},'
                f'"held_at":{compact_json(self.held_at)},"identity":{compact_json(self.identity)}}}')

    @classmethod
    def from_json(cls, raw: str | bytes) -> HeldComment:
        """Rebuild from what is stored in Redis."""
        data = json.loads(raw)
        return cls(comment=data["comment"], decision=Decision.from_dict(data["decision"]),
                   held_at=data.get("held_at", ""), identity=data.get("identity"))


@dataclass(frozen=True)
class ActionResult:
    """What a verdict or report did to one comment.

    :param comment_id: the comment's ref (:func:`moderation.keys.comment_ref`), as the action was given it.
    :param status: ``approved``, ``rejected``, ``reported``, ``unchanged`` (already so), ``not-held`` (no
        such held comment), ``stale`` (edited since the moderator opened it: the verdict was for another
        revision; see :data:`STALE_MESSAGE`), or ``no-text`` (a report on a comment whose text is no longer kept).
    :param decision: the final decision published, for a verdict.
    """

    comment_id: str
    status: str
    decision: Decision | None = None
    labels: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready dict (what the CLI prints)."""
        site, comment_id = keys.split_ref(self.comment_id)
        data: dict[str, Any] = {"id": comment_id, "status": self.status}
        if site:
            data["site"] = site
        if self.status == STALE:
            data["error"] = STALE_MESSAGE
        if self.labels:
            data["labels"] = self.labels
        if self.decision is not None:
            data["decision"] = self.decision.decision
        return data


class ReviewQueue:
    """The review queues of every site, and the moderators' actions on them.

    :param redis: the connection (``decode_responses=True``).
    :param prefix: the key prefix.
    :param ttl_seconds: how long a final decision can be looked up (as the worker's).
    :param stream_maxlen: the bound on the decision and audit streams.
    """

    def __init__(self, redis: Redis, *, prefix: str = keys.DEFAULT_PREFIX, ttl_seconds: int = 7 * 24 * 3600,
                 stream_maxlen: int = 100_000) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds
        self.stream_maxlen = stream_maxlen
        self._verdict = redis.register_script(_VERDICT_LUA)
        self._report = redis.register_script(_REPORT_LUA)
        self._record = PipelineScript(redis, _RECORD_LUA)

    # -- the worker's side ---------------------------------------------------------------------------

    def queue_hold(self, pipe: Any, comment: Comment, decision: Decision, record: str | None = None) -> None:
        """Queue holding a comment decided ``review`` on ``pipe`` (idempotent: holding again re-stores it).

        :param pipe: the pipeline (the decision's publication is queued after it).
        :param comment: the comment.
        :param decision: its ``review`` decision.
        :param record: the decision's JSON, when the caller already has it.
        """
        self.queue_holds(pipe, [(comment, decision)], None if record is None else [record])

    def queue_holds(self, pipe: Any, pairs: Sequence[tuple[Comment, Decision]],
                    records: Sequence[str] | None = None) -> None:
        """Queue holding a batch's comments decided ``review`` on ``pipe``: one command per key, not per comment.

        :param pipe: the pipeline (the decisions' publication is queued after it).
        :param pairs: the comments and their ``review`` decisions (each comment once).
        :param records: each decision's JSON (:meth:`Decision.to_json`), when the caller already has it.
        """
        if not pairs:
            return
        held_at, score = utc_now(), now_ms()
        items: dict[str, str] = {}
        queues: dict[str | None, dict[str, int]] = {}
        for index, (comment, decision) in enumerate(pairs):
            held = HeldComment(dump_comment(comment), decision, held_at, author_identity(comment.author))
            items[comment.ref] = held.to_json(None if records is None else records[index])
            queues.setdefault(comment.site, {})[comment.id] = score
        pipe.hset(keys.review_items_key(self.prefix), mapping=items)
        for site, members in queues.items():
            pipe.zadd(keys.review_queue_key(self.prefix, site), members, nx=True)
        pipe.sadd(keys.review_sites_key(self.prefix), *(site or keys.NO_SITE for site in queues))

    def queue_releases(self, pipe: Any, comments: Sequence[Comment]) -> None:
        """Queue removing comments from the review queue on ``pipe`` (an edit whose new body is not held).

        :param pipe: the pipeline.
        :param comments: the comments (their id and site).
        """
        if not comments:
            return
        pipe.hdel(keys.review_items_key(self.prefix), *(c.ref for c in comments))
        sites: dict[str | None, list[str]] = {}
        for comment in comments:
            sites.setdefault(comment.site, []).append(comment.id)
        for site, ids in sites.items():
            pipe.zrem(keys.review_queue_key(self.prefix, site), *ids)

    def record_published(self, pairs: Sequence[tuple[Comment, Decision]], keep_comments_seconds: int,
                         pipe: Any = None) -> None:
        """After a worker published decisions: count approvals and rejections in the authors' histories,
        keep the texts for later reports, and audit each decision: one script call for the batch.

        :param pairs: the published comments and their decisions.
        :param keep_comments_seconds: how long to keep the texts (0: not kept).
        :param pipe: a pipeline to queue the script on (run it with :func:`moderation.publishing.publish.execute`).
        """
        if not pairs:
            return
        keep = max(0, keep_comments_seconds)
        prefix = self.prefix
        script_keys = [keys.audit_stream(prefix)]
        args: list[int | str] = [self.stream_maxlen, HISTORY_TTL_SECONDS, keep]
        for comment, decision in pairs:
            identity = author_identity(comment.author)
            script_keys += (keys.author_key(prefix, comment.site, identity or "-"),
                            keys.comment_text_key(prefix, comment.site, comment.id))
            args += ("1" if identity else "0", decision.decision, stored_comment(comment, identity) if keep else "",
                     comment.id, comment.site or "", ",".join([r.code for r in decision.reasons])[:MAX_WHY_CHARS],
                     decision.decided_at or utc_now())
        self._record(script_keys, args, client=pipe)

    # -- the moderators' side ------------------------------------------------------------------------

    def sites(self) -> list[str | None]:
        """The sites that have had held comments (None: comments with no site)."""
        members: Any = self.redis.smembers(keys.review_sites_key(self.prefix))
        return [None if s == keys.NO_SITE else str(s) for s in sorted(members)]

    def pending(self, site: str | None = None, *, all_sites: bool = True, limit: int = 0) -> list[HeldComment]:
        """Held comments, oldest first.

        :param site: only this site's (with ``all_sites=False``, None means the comments with no site).
        :param all_sites: when ``site`` is None, every site's queue.
        :param limit: at most this many (0: all).
        """
        sites = [site] if site is not None or not all_sites else self.sites()
        pipe = self.redis.pipeline(transaction=False)
        for name in sites:
            pipe.zrange(keys.review_queue_key(self.prefix, name), 0, (limit - 1) if limit else -1, withscores=True)
        ranked = sorted(((score, keys.comment_ref(name, cid)) for name, ids in zip(sites, pipe.execute(), strict=True)
                         for cid, score in ids))
        ids = [cid for _, cid in ranked][:limit or None]
        held = self.get(ids)
        return [held[cid] for cid in ids if held.get(cid) is not None]  # type: ignore[misc]

    def get(self, comment_ids: Sequence[str]) -> dict[str, HeldComment | None]:
        """The held comments with these refs (:func:`moderation.keys.comment_ref`: the id of a comment without a
        site), None for one that is not held, in one round trip."""
        if not comment_ids:
            return {}
        raw = self.redis.hmget(keys.review_items_key(self.prefix), list(comment_ids))
        return {cid: (HeldComment.from_json(value) if value else None) for cid, value in zip(comment_ids, raw,
                                                                                            strict=True)}

    def select(self, *, site: str | None = None, author_id: str | None = None, email: str | None = None,
               ip: str | None = None) -> list[str]:
        """The refs of held comments matching every given filter (for bulk actions), oldest first.

        :param site: only this site's.
        :param author_id: written by this author id.
        :param email: written from this email address (compared case-insensitively).
        :param ip: written from this IP address.
        """
        chosen = []
        for held in self.pending(site):
            author = held.comment.get("author") or {}
            if author_id is not None and author.get("id") != author_id:
                continue
            if email is not None and (author.get("email") or "").lower() != email.strip().lower():
                continue
            if ip is not None and author.get("ip") != ip.strip():
                continue
            chosen.append(held.ref)
        return chosen

    def verdict(self, comment_ids: Sequence[str], verdict: Verdict, *, moderator: str, reason: str = "",
                label: str | None = None, seen: Mapping[str, int] | None = None) -> list[ActionResult]:
        """Approve or reject held comments: publish each final decision, once (see the module docstring).

        A verdict is bound to the revision the moderator saw (``seen``): if the comment was edited since, the
        verdict is refused (status :data:`STALE`), so an approval never lands on text nobody looked at.

        :param comment_ids: the comments' refs (:func:`moderation.keys.comment_ref`: the id of a comment with no
            site, ``site id`` otherwise).
        :param verdict: ``approve`` or ``reject``.
        :param moderator: who decided (recorded in the decision's reason and the audit stream).
        :param reason: why, in the moderator's words.
        :param label: with ``reject``, the head to label the example with (``spam``, ``toxic``, ...).
        :param seen: ref -> the revision the moderator saw (a comment left out: any revision).
        """
        return self._verdict_many(comment_ids, verdict, moderator=moderator, reason=reason, label=label,
                                  action=verdict, source="moderator", seen=seen or {})

    def _verdict_many(self, comment_ids: Sequence[str], verdict: Verdict, *, moderator: str, reason: str,
                      label: str | None, action: str, source: str,
                      seen: Mapping[str, int] | None = None) -> list[ActionResult]:
        ids = list(dict.fromkeys(comment_ids))
        seen = seen or {}
        held = self.get(ids)
        labels_now = self.redis.mget([keys.label_key(self.prefix, *keys.split_ref(cid)) for cid in ids]) if ids else []
        at = utc_now()
        pipe = self.redis.pipeline(transaction=False)
        planned: list[tuple[str, Decision, dict[str, int]]] = []
        results: dict[str, ActionResult] = {}
        for cid, previous in zip(ids, labels_now, strict=True):
            item = held[cid]
            if item is None:
                results[cid] = ActionResult(cid, "unchanged" if previous == verdict else "not-held")
                continue
            if cid in seen and int(seen[cid]) != item.revision:
                results[cid] = ActionResult(cid, STALE)
                continue
            final = self._final(item, verdict, moderator, reason, at)
            tag = _REPORT_TAGS.get(action, verdict)
            labels = report_labels(tag) if action in _REPORT_TAGS else labels_for(tag, item.decision.reasons, label)
            example = example_row(text=item.comment.get("body", ""), labels=labels, comment_id=item.comment_id,
                                  verdict=tag, site=item.decision.site, decided_at=at, source=source,
                                  author=item.identity)
            audit = audit_fields(actor=moderator, action=action, comment_id=item.comment_id,
                                 site=item.decision.site,
                                 outcome=verdict, why=reason, at=at)
            site, plain = item.decision.site, item.comment_id
            self._verdict(
                keys=[keys.decision_key(self.prefix, site, plain), keys.decisions_stream(self.prefix),
                      keys.review_queue_key(self.prefix, site), keys.review_items_key(self.prefix),
                      keys.author_key(self.prefix, site, item.identity or "-"), keys.feedback_stream(self.prefix),
                      keys.audit_stream(self.prefix), keys.label_key(self.prefix, site, plain),
                      keys.revision_key(self.prefix, site, plain)],
                args=[final.to_json(), self.ttl_seconds, self.stream_maxlen, keys.decisions_channel(self.prefix),
                      cid, verdict, int(bool(item.identity)), json.dumps(example, ensure_ascii=False),
                      FEEDBACK_MAXLEN, HISTORY_TTL_SECONDS, plain, site or "", final.revision,
                      seen.get(cid, ""), *flat(audit)],
                client=pipe,
            )
            planned.append((cid, final, labels))
        done = []
        for (cid, final, labels), entry in zip(planned, pipe.execute() if planned else [], strict=True):
            if entry == -1:
                results[cid] = ActionResult(cid, STALE)
                continue
            results[cid] = (ActionResult(cid, _DONE[verdict], final, labels) if entry
                            else ActionResult(cid, "unchanged"))
            if entry:
                done.append((verdict, held[cid].decision.reasons))  # type: ignore[union-attr]
        if done:
            counts = self.redis.pipeline(transaction=False)
            record_verdicts(counts, self.prefix, done)
            counts.execute()
        return [results[cid] for cid in ids]

    @staticmethod
    def _final(item: HeldComment, verdict: Verdict, moderator: str, reason: str, at: str) -> Decision:
        message = f"{_DONE[verdict]} by moderator {moderator}" + (f": {reason}" if reason else "")
        return Decision(
            comment_id=item.comment_id, decision=verdict, scores=item.decision.scores,
            reasons=(Reason(code=f"moderator.{verdict}", message=message), *item.decision.reasons),
            model_version=item.decision.model_version, decided_at=at, site=item.decision.site,
            thread=item.decision.thread, lang=item.decision.lang, lang_confidence=item.decision.lang_confidence,
            revision=item.decision.revision,
        )

    def report(self, comment_ids: Sequence[str], label: Literal["spam", "ham", "toxic"], *, moderator: str,
               reason: str = "", text: str | None = None) -> list[ActionResult]:
        """Report published decisions as wrong (``spam``: it should not have been shown; ``toxic``: neither, it is
        abusive; ``ham``: it should).

        :param comment_ids: the comments' refs (:func:`moderation.keys.comment_ref`).
        :param label: ``spam``, ``toxic`` or ``ham`` (:func:`moderation.review.feedback.report_labels`).
        :param moderator: who reported.
        :param reason: why.
        :param text: the comment's text, when it is no longer kept in Redis (one comment only).
        """
        ids = list(dict.fromkeys(comment_ids))
        action = _REPORT_ACTIONS[label]
        labels = report_labels(label)
        held = self.get(ids)
        results: dict[str, ActionResult] = {}
        held_ids = [cid for cid in ids if held[cid] is not None]
        if held_ids:
            for result in self._verdict_many(held_ids, "approve" if label == "ham" else "reject",
                                             moderator=moderator, reason=reason, label=None, action=action,
                                             source="report"):
                results[result.comment_id] = result
        others = [cid for cid in ids if held[cid] is None]
        pipe = self.redis.pipeline(transaction=False)
        for cid in others:
            pipe.get(keys.decision_key(self.prefix, *keys.split_ref(cid)))
            pipe.get(keys.comment_text_key(self.prefix, *keys.split_ref(cid)))
        fetched = pipe.execute() if others else []
        at = utc_now()
        planned = []
        for index, cid in enumerate(others):
            decision_raw, kept_raw = fetched[2 * index], fetched[2 * index + 1]
            kept = json.loads(kept_raw) if kept_raw else {}
            body = kept.get("body") or (text if len(ids) == 1 else None)
            if not body:
                results[cid] = ActionResult(cid, "no-text")
                continue
            decision = Decision.from_json(decision_raw) if decision_raw else None
            site = keys.split_ref(cid)[0]
            identity = kept.get("author")
            plain = keys.split_ref(cid)[1]
            example = example_row(text=body, labels=labels, comment_id=plain, verdict=label, site=site, decided_at=at,
                                  source="report", author=identity)
            audit = audit_fields(actor=moderator, action=action, comment_id=plain, site=site, outcome=label, why=reason,
                                 at=at)
            self._report(
                keys=[keys.label_key(self.prefix, site, keys.split_ref(cid)[1]),
                      keys.author_key(self.prefix, site, identity or "-"),
                      keys.feedback_stream(self.prefix), keys.audit_stream(self.prefix)],
                args=[label, decision.decision if decision else "", int(bool(identity)),
                      json.dumps(example, ensure_ascii=False), FEEDBACK_MAXLEN, self.stream_maxlen,
                      self.ttl_seconds, HISTORY_TTL_SECONDS, *flat(audit)],
                client=pipe,
            )
            planned.append(cid)
        for cid, done in zip(planned, pipe.execute() if planned else [], strict=True):
            results[cid] = ActionResult(cid, "reported" if done else "unchanged", labels=labels if done else {})
        return [results[cid] for cid in ids]
