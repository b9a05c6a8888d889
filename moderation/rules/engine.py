"""The rule engine: everything Redis knows about a batch in one round trip, then each comment's rules.

:meth:`RuleEngine.observe` counts repeats and rates and reads author histories for a whole batch with one
pipelined round trip; :meth:`RuleEngine.apply` combines a comment's rule findings with the model's outcome:
the strictest wins, its reasons first from the model then from the rules, and a trusted author's mild
model review becomes an approve. On a site without a review band a rule's ``review`` becomes ``reject``
(the site asked for no queue), except ``trust.new_author``, which is then off.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from redis import Redis

from moderation.logs import keyed_hash
from moderation.policy import Policy, SitePolicy
from moderation.records import Comment, Outcome, Reason
from moderation.rules.base import SEVERITY, Finding, TextView
from moderation.rules.links import check_links
from moderation.rules.repeats import Counts, RepeatCounter, check_repeats, parse_counts
from moderation.rules.trust import History, author_identity, check_new_author, parse_history, queue_lookup, skip_review
from moderation.rules.words import check_words


@dataclass
class Observation:
    """What the rules know about one comment before it is scored.

    :param comment: the comment.
    :param view: its text, prepared once.
    :param identity: its author's identity, if it names one.
    :param history: its author's history (None without identity).
    :param counts: repeat and rate counts.
    """

    comment: Comment
    view: TextView
    identity: str | None
    history: History | None
    counts: Counts


class RuleEngine:
    """Applies the rules of :mod:`moderation.rules` to batches.

    :param redis: the connection holding histories and counters.
    :param policy: the policy whose per-site rule settings apply.
    :param prefix: the key prefix.
    """

    def __init__(self, redis: Redis, policy: Policy, prefix: str) -> None:
        self.redis = redis
        self.policy = policy
        self.prefix = prefix
        self.counter = RepeatCounter(redis, prefix)

    def observe(self, comments: Sequence[Comment], now: float | None = None) -> list[Observation]:
        """Count repeats and rates and read author histories for ``comments``, in one round trip.

        :param comments: the batch.
        :param now: the time in seconds since the epoch (now by default).
        """
        now = time.time() if now is None else now
        pipe = self.redis.pipeline(transaction=False)
        plan: list[tuple[Observation, bool, bool]] = []
        for comment in comments:
            rules = self.policy.for_site(comment.site).rules
            view = TextView(comment.body)
            identity = author_identity(comment.author)
            if identity:
                queue_lookup(pipe, self.prefix, comment.site, identity)
            counted = self.counter.queue(pipe, comment_id=comment.id, site=comment.site, rules=rules,
                                         author=identity,
                                         ip_hash=keyed_hash(comment.author.ip) if comment.author.ip else None,
                                         normalized=" ".join(view.tokens), now=now)
            plan.append((Observation(comment, view, identity, None, Counts()), bool(identity), counted))
        results = iter(pipe.execute() if len(pipe) else [])
        observations = []
        for observation, looked_up, counted in plan:
            if looked_up:
                observation.history = parse_history(next(results))
            if counted:
                observation.counts = parse_counts(next(results))
            observations.append(observation)
        return observations

    def apply(self, observation: Observation, site: SitePolicy, outcome: Outcome, reasons: Sequence[Reason],
              scores: Mapping[str, float]) -> tuple[Outcome, tuple[Reason, ...]]:
        """Combine the rules' findings on one comment with the model's outcome.

        :param observation: what :meth:`observe` found for the comment.
        :param site: the comment's site policy.
        :param outcome: the model's outcome (:meth:`moderation.policy.SitePolicy.decide`).
        :param reasons: the model's reasons.
        :param scores: head -> probability.
        :returns: the final outcome and its reasons.
        """
        findings = self.findings(observation, site)
        if not findings:
            if outcome == "review":
                skipped = skip_review(observation.history, site.rules, reasons, scores)
                if skipped is not None:
                    return "approve", (skipped,)
            return outcome, tuple(reasons)
        final = max([outcome, *(f.outcome for f in findings)], key=SEVERITY.__getitem__)
        chosen = [r for r in reasons if outcome == final] + [f.reason for f in findings if f.outcome == final]
        return final, tuple(chosen)

    def findings(self, observation: Observation, site: SitePolicy) -> list[Finding]:
        """Every rule's findings on one comment (review findings become rejects without a review band)."""
        rules = site.rules
        history = observation.history
        new_author = history.is_new(rules) if history else True
        findings = [
            *check_words(observation.view, rules.banned_words, rules.suspect_words),
            *check_links(observation.view, rules, new_author),
            *check_repeats(observation.counts, rules, has_author=observation.identity is not None),
        ]
        if site.review_band:
            findings += check_new_author(history, rules)
        else:
            findings = [f if f.outcome == "reject" else Finding("reject", replace(
                f.reason, message=f"{f.reason.message} (this site has no review queue)")) for f in findings]
        return findings
