"""Repeat posts and rate limits, counted in Redis: ``repeat.author`` (the same text again from one author),
``repeat.crowd`` (the same text from many authors), ``rate.author`` and ``rate.ip`` (too many comments in a
window).

The counting is done for a whole batch by one Lua script call (:mod:`moderation.judging.rules.engine`), so a
batch costs one round trip. Texts are compared by a fingerprint of their normalized word tokens (so
``FREE   1Phone!!!`` and ``free iphone.`` are the same), and only texts of at least ``repeat_min_chars``
characters of such tokens count ("thanks!" is not spam). Rates use fixed windows
(``rate_window_seconds``): a burst across a window boundary can reach twice the limit before it is caught.
Counting a comment that was already counted (a batch retried after a failure) does not raise its repeat
count; it can raise its rate count.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from moderation import keys
from moderation.judging.policy import RuleSettings
from moderation.judging.rules.base import Finding, finding


class Counts(NamedTuple):
    """What Redis counted for one comment (0 where the rule is off or cannot apply); a named tuple, cheaper to
    build than a frozen dataclass (one per comment).

    :param author_rate: comments from this author in the current rate window, this one included.
    :param ip_rate: comments from this IP address in the current rate window, this one included.
    :param same_author: copies of this text from this author in the repeat window, this one included.
    :param authors: distinct authors of this text in the repeat window.
    """

    author_rate: int = 0
    ip_rate: int = 0
    same_author: int = 0
    authors: int = 0


def fingerprint(normalized: str) -> str:
    """A short fingerprint of a normalized text (whitespace runs count as one space)."""
    return _fingerprint(" ".join(normalized.split()))


def _fingerprint(joined: str) -> str:
    """:func:`fingerprint` of a text whose words are already joined by single spaces."""
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=10).hexdigest()


class CountingPlan(NamedTuple):
    """What the observe script (:mod:`moderation.judging.rules.engine`) counts for one comment.

    :param keys: the author's rate counter, the IP address's rate counter, the text's repeat hash.
    :param args: count author rate (0/1), count IP rate (0/1), count repeats (0/1), rate counter expiry,
        repeat window, the author (or the comment, for an anonymous one), the comment id.
    """

    keys: tuple[str, str, str]
    args: tuple[int | str, ...]


def plan_counting(prefix: str, *, comment_id: str, site: str | None, rules: RuleSettings, author: str | None,
                  ip_hash: str | None, normalized: str, now: float) -> CountingPlan:
    """Plan one comment's repeat and rate counting.

    :param prefix: the key prefix.
    :param comment_id: the comment.
    :param site: its site.
    :param rules: the site's rule settings.
    :param author: the author's identity (:func:`moderation.judging.rules.trust.author_identity`), if any.
    :param ip_hash: the keyed hash of the author's IP address, if any.
    :param normalized: the normalized word tokens (never empty, no whitespace in them), joined by single
        spaces: hashed as it is, it has the :func:`fingerprint` of the text.
    :param now: the time, in seconds since the epoch.
    """
    window = rules.rate_window_seconds
    bucket = int(now // window)
    count_author = bool(author and rules.author_rate_limit)
    count_ip = bool(ip_hash and rules.ip_rate_limit)
    count_repeat = len(normalized) >= rules.repeat_min_chars and bool(rules.repeat_per_author or rules.repeat_authors)
    return CountingPlan(
        (keys.rate_key(prefix, site, "author", author or "-", bucket),
         keys.rate_key(prefix, site, "ip", ip_hash or "-", bucket),
         keys.repeat_key(prefix, site, _fingerprint(normalized) if count_repeat else "-")),
        (int(count_author), int(count_ip), int(count_repeat), window * 2, rules.repeat_window_seconds,
         author or f"comment:{comment_id}", comment_id),
    )


def check_repeats(counts: Counts, rules: RuleSettings, has_author: bool) -> list[Finding]:
    """The repeat and rate findings for one comment.

    :param counts: what Redis counted.
    :param rules: the site's rule settings.
    :param has_author: whether the comment names its author (else same-author repeats cannot be told).
    """
    findings = []
    if has_author and rules.repeat_per_author and counts.same_author >= rules.repeat_per_author:
        findings.append(finding(rules.repeat_action, "repeat.author",
                                f"the same text for the {_nth(counts.same_author)} time from this author within "
                                f"{rules.repeat_window_seconds} s", (f"copies={counts.same_author}",)))
    if rules.repeat_authors and counts.authors >= rules.repeat_authors:
        findings.append(finding(rules.repeat_action, "repeat.crowd",
                                f"the same text from {counts.authors} authors within {rules.repeat_window_seconds} s",
                                (f"authors={counts.authors}",)))
    if rules.author_rate_limit and counts.author_rate > rules.author_rate_limit:
        findings.append(finding(rules.rate_action, "rate.author",
                                f"{counts.author_rate} comments from this author within {rules.rate_window_seconds} s "
                                f"(limit {rules.author_rate_limit})", (f"comments={counts.author_rate}",)))
    if rules.ip_rate_limit and counts.ip_rate > rules.ip_rate_limit:
        findings.append(finding(rules.rate_action, "rate.ip",
                                f"{counts.ip_rate} comments from this IP address within {rules.rate_window_seconds} s "
                                f"(limit {rules.ip_rate_limit})", (f"comments={counts.ip_rate}",)))
    return findings


def _nth(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
