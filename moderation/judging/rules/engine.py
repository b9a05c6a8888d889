"""The rule engine: everything Redis knows about a batch in one round trip, then each comment's rules.

:meth:`RuleEngine.observe` counts repeats and rates and reads author histories for a whole batch with one
Lua script call (one round trip); :meth:`RuleEngine.apply` combines a comment's rule findings with the model's outcome:
the strictest wins, its reasons first from the model then from the rules, and a trusted author's mild
model review becomes an approve. On a site without a review band a rule's ``review`` becomes ``reject``
(the site asked for no queue), except ``trust.new_author``, which is then off.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from redis import Redis

from moderation import keys
from moderation.intake.revisions import body_digest
from moderation.judging.mentions import Span
from moderation.judging.policy import Policy, SitePolicy
from moderation.judging.rules.base import SEVERITY, Finding, TextView
from moderation.judging.rules.links import check_links
from moderation.judging.rules.repeats import Counts, check_repeats, plan_counting
from moderation.judging.rules.trust import History, author_identity, check_new_author, skip_review
from moderation.judging.rules.words import check_words
from moderation.logs import keyed_hash
from moderation.records import Comment, Outcome, Reason

# For a whole batch: per comment 7 KEYS (decision, author history, author rate, IP rate, repeat hash, revision
# hash, pending digest hash) and 10 ARGV (read history?, the repeats module's counting plan, the body's digest,
# the comment id); ARGV[1] is the number of comments. A comment is skipped (decided 1) when this body was
# already decided (a redelivered message, a duplicate), or when a newer body of it is pending (decided 2: a
# stale revision, superseded by an edit); skipped comments are not counted again. Otherwise it is decided as
# revision N, one more than its published decision's (:mod:`moderation.intake.revisions`). Returns one string, per
# comment 8 comma-separated numbers: decided (0/1/2), approved, rejected, author rate, IP rate, copies from
# this author, distinct authors, revision. (One bulk reply instead of 8 integers per comment: far cheaper.)
_OBSERVE_LUA = """
local out = {}
for i = 0, tonumber(ARGV[1]) - 1 do
  local k, a = i * 7, 1 + i * 10
  local decided, approved, rejected, author_rate, ip_rate, copies, authors = 0, 0, 0, 0, 0, 0, 0
  local digest = ARGV[a + 9]
  local stored = redis.call('EXISTS', KEYS[k + 1]) == 1
  local rev = redis.call('HMGET', KEYS[k + 6], 'revision', 'digest', 'd:' .. digest)
  local pending = redis.call('HGET', KEYS[k + 7], ARGV[a + 10])
  local revision = (tonumber(rev[1]) or (stored and 1 or 0)) + 1
  if pending then
    if pending ~= digest then decided = 2 elseif rev[2] == digest then decided = 1 end
  elseif rev[3] or (stored and not rev[1]) then
    decided = 1
  end
  if decided > 0 then
    revision = 0
  else
    if ARGV[a + 1] == '1' then
      local history = redis.call('HMGET', KEYS[k + 2], 'approved', 'rejected')
      approved, rejected = tonumber(history[1]) or 0, tonumber(history[2]) or 0
    end
    if ARGV[a + 2] == '1' then
      author_rate = redis.call('INCR', KEYS[k + 3])
      if author_rate == 1 then redis.call('EXPIRE', KEYS[k + 3], ARGV[a + 5]) end
    end
    if ARGV[a + 3] == '1' then
      ip_rate = redis.call('INCR', KEYS[k + 4])
      if ip_rate == 1 then redis.call('EXPIRE', KEYS[k + 4], ARGV[a + 5]) end
    end
    if ARGV[a + 4] == '1' then
      local value = redis.call('HGET', KEYS[k + 5], ARGV[a + 7])
      local last = ''
      if value then
        local space = string.find(value, ' ', 1, true)
        copies = tonumber(string.sub(value, 1, space - 1))
        last = string.sub(value, space + 1)
      end
      if last ~= ARGV[a + 8] then
        copies = copies + 1
        redis.call('HSET', KEYS[k + 5], ARGV[a + 7], copies .. ' ' .. ARGV[a + 8])
      end
      if redis.call('TTL', KEYS[k + 5]) < 0 then redis.call('EXPIRE', KEYS[k + 5], ARGV[a + 6]) end
      authors = redis.call('HLEN', KEYS[k + 5])
    end
  end
  out[#out + 1] = decided .. ',' .. approved .. ',' .. rejected .. ',' .. author_rate .. ',' .. ip_rate .. ','
    .. copies .. ',' .. authors .. ',' .. revision
end
return table.concat(out, ',')
"""


#: The counts of a comment not counted (yet): immutable, so shared.
_NOT_COUNTED = Counts()


@dataclass(slots=True)
class Observation:
    """What the rules know about one comment before it is scored.

    :param comment: the comment.
    :param view: its text, prepared once.
    :param identity: its author's identity, if it names one.
    :param history: its author's history (None without identity).
    :param counts: repeat and rate counts.
    :param decided: the comment is not to be decided (not counted again): this body already has a published
        decision, or a newer body of the comment is pending.
    :param revision: the revision its decision will be published as (1 for a new comment, N+1 for an edit of a
        comment whose decision is revision N).
    """

    comment: Comment
    view: TextView
    identity: str | None
    history: History | None
    counts: Counts
    decided: bool = False
    revision: int = 1


class RuleEngine:
    """Applies the rules of :mod:`moderation.judging.rules` to batches.

    :param redis: the connection holding histories and counters.
    :param policy: the policy whose per-site rule settings apply.
    :param prefix: the key prefix.
    """

    def __init__(self, redis: Redis, policy: Policy, prefix: str) -> None:
        self.redis = redis
        self.policy = policy
        self.prefix = prefix
        self._observe = redis.register_script(_OBSERVE_LUA)

    def observe(self, comments: Sequence[Comment], now: float | None = None,
                digests: Mapping[str, str] | None = None) -> list[Observation]:
        """Count repeats and rates and read author histories for ``comments``: one script call, one round trip.

        The same call finds the comments that already have a decision (a redelivered message): they are
        marked ``decided`` and not counted again.

        :param comments: the batch.
        :param now: the time in seconds since the epoch (now by default).
        :param digests: comment ref (:func:`moderation.keys.comment_ref`) -> digest of the body as queued
            (:func:`moderation.intake.revisions.body_digest`);
            by default the digest of each comment's cleaned body.
        """
        now = time.time() if now is None else now
        if not comments:
            return []
        prefix, for_site = self.prefix, self.policy.for_site
        script_keys: list[str] = []
        script_args: list[int | str] = [len(comments)]
        observations = []
        for comment in comments:
            view = TextView(comment.body)
            author = comment.author
            identity = author_identity(author)
            if identity is not None and identity.startswith("ip:"):
                ip_hash: str | None = identity[3:]  # the author is known by the keyed hash of the IP address
            else:
                ip_hash = keyed_hash(author.ip) if author.ip else None
            plan_keys, plan_args = plan_counting(prefix, comment_id=comment.id, site=comment.site,
                                                 rules=for_site(comment.site).rules, author=identity,
                                                 ip_hash=ip_hash, normalized=" ".join(view.tokens), now=now)
            script_keys += (keys.decision_key(prefix, comment.site, comment.id),
                            keys.author_key(prefix, comment.site, identity or "-"))
            script_keys += plan_keys
            script_keys += (keys.revision_key(prefix, comment.site, comment.id), keys.pending_digest_key(prefix))
            script_args.append(0 if identity is None else 1)
            script_args += plan_args
            digest = digests.get(comment.ref) if digests is not None else None
            script_args += (digest or body_digest(comment.body), comment.ref)
            observations.append(Observation(comment, view, identity, None, _NOT_COUNTED))
        reply = self._observe(keys=script_keys, args=script_args)
        values = list(map(int, (reply.decode() if isinstance(reply, bytes) else reply).split(",")))
        for observation, at in zip(observations, range(0, len(values), 8), strict=True):
            decided, approved, rejected, author_rate, ip_rate, copies, authors, revision = values[at:at + 8]
            if decided:
                observation.decided = True
                continue
            observation.revision = revision
            if observation.identity is not None:
                observation.history = History(max(0, approved), max(0, rejected))
            observation.counts = Counts(author_rate, ip_rate, copies, authors)
        return observations

    def apply(self, observation: Observation, site: SitePolicy, outcome: Outcome, reasons: Sequence[Reason],
              scores: Mapping[str, float], lang: str | None = None,
              mentions: Sequence[Span] | None = None) -> tuple[Outcome, tuple[Reason, ...]]:
        """Combine the rules' findings on one comment with the model's outcome.

        :param observation: what :meth:`observe` found for the comment.
        :param site: the comment's site policy.
        :param outcome: the model's outcome (:meth:`moderation.judging.policy.SitePolicy.decide`).
        :param reasons: the model's reasons.
        :param scores: head -> probability.
        :param lang: the comment's language (:mod:`moderation.judging.language`): the words rule uses its lists.
        :param mentions: the comment's mentions as the scorer found them, ``None`` if it did not look (the words
            rule then looks itself, when the comment has suspect words).
        :returns: the final outcome and its reasons.
        """
        findings = self.findings(observation, site, lang, mentions)
        if not findings:
            if outcome == "review":
                skipped = skip_review(observation.history, site.rules, reasons, scores)
                if skipped is not None:
                    return "approve", (skipped,)
            return outcome, tuple(reasons)
        final = max([outcome, *(f.outcome for f in findings)], key=SEVERITY.__getitem__)
        chosen = [r for r in reasons if outcome == final] + [f.reason for f in findings if f.outcome == final]
        return final, tuple(chosen)

    def findings(self, observation: Observation, site: SitePolicy, lang: str | None = None,
                 mentions: Sequence[Span] | None = None) -> list[Finding]:
        """Every rule's findings on one comment (review findings become rejects without a review band).

        :param lang: the comment's language, for the words rule's lists (None: the default lists) and, where
            the site scores mentions apart, the mentions its suspect words may stand in.
        :param mentions: as for :meth:`apply`.
        """
        rules = site.rules
        banned, suspect = rules.words_for(lang)
        history = observation.history
        # only read by the links rule when the site holds new authors' links
        new_author = rules.review_links_from_new_authors and (history.is_new(rules) if history else True)
        findings = [
            *check_words(observation.view, banned, suspect, mentions_lang=lang if site.mentions_apart else None,
                         mentions=mentions),
            *check_links(observation.view, rules, new_author),
            *check_repeats(observation.counts, rules, has_author=observation.identity is not None),
        ]
        if site.review_band:
            findings += check_new_author(history, rules)
        else:
            findings = [f if f.outcome == "reject" else Finding("reject", replace(
                f.reason, message=f"{f.reason.message} (this site has no review queue)")) for f in findings]
        return findings
