"""The metrics an on-call engineer alerts on, beyond the decision counts of :mod:`moderation.ops.metrics`.

Kept in the same Redis hash (``keys.metrics_key``), one field per series, and exposed by the same scrape:

    moderation_decisions_by_site_total{site,decision}      counter    decisions by site and outcome
    moderation_decisions_by_language_total{lang,decision}  counter    decisions by identified language and outcome
    moderation_decision_reasons_total{reason}              counter    reason codes on published decisions
    moderation_score{head}                                 histogram  the model's score per head (bucket, sum, count)
    moderation_moderator_verdicts_total{head,verdict}      counter    moderators' verdicts on held comments, per head
                                                                      that held them (``overturned``: approved)
    moderation_redis_client_total{event}                   counter    Redis errors, retries, reconnects, calls given
                                                                      up (every worker process and tool flushes its own)
    moderation_requeued_total{by}                          counter    comments queued again: by the sweep, after a
                                                                      Redis event (``event``)
    moderation_redis_events_total                          counter    Redis events (restart, failover) the workers met
    moderation_redeliveries_total                          counter    messages delivered again (a lease ran out)

The gauges of one scrape (oldest undecided comment, review backlog, stalled workers) are read by
:func:`moderation.ops.metrics.collect`.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from redis import Redis

from moderation import keys
from moderation.records import OUTCOMES, Decision
from moderation.store.retry import COUNTERS

#: Upper bounds of the score histogram's buckets (a last ``+Inf`` bucket is implied).
SCORE_BUCKETS: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
#: Reason levels that mean a head held or rejected the comment (``<head>.<level>``).
HOLDING_LEVELS = frozenset({"review", "reject", "discard"})
#: The client counters exported (see :data:`moderation.store.retry.COUNTERS`).
CLIENT_EVENTS = ("errors", "retries", "reconnects", "gave_up")
#: Who queues a comment again.
REQUEUERS = ("sweep", "event")

Sample = tuple[str, Mapping[str, Any], float]


def record_breakdowns(pipe: Any, prefix: str, decisions: Iterable[Decision]) -> None:
    """Queue on ``pipe`` the per-site, per-language, per-reason and score-histogram counts of a batch."""
    fields: Counter[str] = Counter()
    sums: dict[str, float] = {}
    for decision in decisions:
        fields[f"by:site:{decision.site or ''}:{decision.decision}"] += 1
        fields[f"by:lang:{decision.lang or 'und'}:{decision.decision}"] += 1
        for reason in decision.reasons:
            fields[f"reason:{reason.code}"] += 1
        for head, score in decision.scores.items():
            fields[f"score:{head}:{bisect.bisect_left(SCORE_BUCKETS, score)}"] += 1
            fields[f"score:{head}:count"] += 1
            sums[f"score:{head}:sum"] = sums.get(f"score:{head}:sum", 0.0) + score
    key = keys.metrics_key(prefix)
    for name, value in fields.items():
        pipe.hincrby(key, name, value)
    for name, total in sums.items():
        pipe.hincrbyfloat(key, name, total)


def holding_heads(reasons: Iterable[Any]) -> list[str]:
    """The heads whose reasons held or rejected a comment (``spam.review`` -> ``spam``)."""
    heads = []
    for reason in reasons:
        head, _, level = str(reason.code).partition(".")
        if level in HOLDING_LEVELS and head not in heads:
            heads.append(head)
    return heads


def record_verdicts(pipe: Any, prefix: str, verdicts: Iterable[tuple[str, Iterable[Any]]]) -> None:
    """Queue on ``pipe`` moderators' verdicts per head that held the comment: an approval overturns the model.

    :param verdicts: (``approve`` or ``reject``, the held decision's reasons) per comment.
    """
    key = keys.metrics_key(prefix)
    for verdict, reasons in verdicts:
        outcome = "overturned" if verdict == "approve" else "upheld"
        for head in holding_heads(reasons):
            pipe.hincrby(key, f"verdict:{head}:{outcome}", 1)


_flushed: Counter[str] = Counter()


def flush_client_counters(redis: Redis, prefix: str) -> None:
    """Add this process's Redis client counts since the last flush to the shared hash (one round trip)."""
    delta = {name: COUNTERS[name] - _flushed[name] for name in CLIENT_EVENTS if COUNTERS[name] > _flushed[name]}
    if not delta:
        return
    pipe = redis.pipeline(transaction=False)
    for name, value in delta.items():
        pipe.hincrby(keys.metrics_key(prefix), f"client:{name}", value)
    pipe.execute()
    _flushed.update(delta)


def _labelled(counters: Mapping[str, float], start: str) -> list[tuple[list[str], float]]:
    return [(name[len(start):].split(":"), value) for name, value in counters.items() if name.startswith(start)]


def series(counters: Mapping[str, float]) -> list[tuple[str, str, str, list[Sample]]]:
    """The metrics above as (name, type, help, samples) from the hash's fields."""
    sites: list[Sample] = [("", {"site": parts[0], "decision": parts[1]}, v)
                           for parts, v in _labelled(counters, "by:site:") if len(parts) == 2 and parts[1] in OUTCOMES]
    langs: list[Sample] = [("", {"lang": parts[0], "decision": parts[1]}, v)
                           for parts, v in _labelled(counters, "by:lang:") if len(parts) == 2]
    reasons: list[Sample] = [("", {"reason": ":".join(parts)}, v) for parts, v in _labelled(counters, "reason:")]
    verdicts: list[Sample] = [("", {"head": parts[0], "verdict": parts[1]}, v)
                              for parts, v in _labelled(counters, "verdict:") if len(parts) == 2]
    scores: list[Sample] = []
    for head in sorted({parts[0] for parts, _ in _labelled(counters, "score:")}):
        cumulative = 0.0
        for index, bound in enumerate((*SCORE_BUCKETS, float("inf"))):
            cumulative += counters.get(f"score:{head}:{index}", 0)
            scores.append(("_bucket", {"head": head, "le": "+Inf" if bound == float("inf") else str(bound)},
                           cumulative))
        scores += [("_sum", {"head": head}, counters.get(f"score:{head}:sum", 0)),
                   ("_count", {"head": head}, counters.get(f"score:{head}:count", 0))]
    return [
        ("moderation_decisions_by_site_total", "counter", "Decisions by site and outcome.", sites),
        ("moderation_decisions_by_language_total", "counter", "Decisions by identified language and outcome.", langs),
        ("moderation_decision_reasons_total", "counter", "Reason codes on published decisions.", reasons),
        ("moderation_score", "histogram", "The model's score per head.", scores),
        ("moderation_moderator_verdicts_total", "counter",
         "Moderators' verdicts on held comments per head that held them (overturned: approved).", verdicts),
        ("moderation_redis_client_total", "counter", "Redis client errors, retries, reconnects and calls given up.",
         [("", {"event": e}, counters.get(f"client:{e}", 0)) for e in CLIENT_EVENTS]),
        ("moderation_requeued_total", "counter", "Comments queued again, by the sweep or after a Redis event.",
         [("", {"by": b}, counters.get(f"requeued:{b}", 0)) for b in REQUEUERS]),
        ("moderation_redis_events_total", "counter", "Redis events (restart, failover) the workers met.",
         [("", {}, counters.get("events:redis", 0))]),
        ("moderation_redeliveries_total", "counter", "Messages delivered again after a lease ran out.",
         [("", {}, counters.get("redeliveries", 0))]),
    ]
