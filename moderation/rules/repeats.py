"""Repeat posts and rate limits, counted in Redis: ``repeat.author`` (the same text again from one author),
``repeat.crowd`` (the same text from many authors), ``rate.author`` and ``rate.ip`` (too many comments in a
window).

The counting is one Lua script per comment, queued on the caller's pipeline, so a whole batch costs one
round trip. Texts are compared by a fingerprint of their normalized word tokens (so ``FREE   1Phone!!!`` and
``free iphone.`` are the same), and only texts of at least ``repeat_min_chars`` characters of such tokens
count ("thanks!" is not spam). Rates use fixed windows (``rate_window_seconds``): a burst across a window
boundary can reach twice the limit before it is caught. Counting a comment that was already counted (a
batch retried after a failure) does not raise its repeat count; it can raise its rate count.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from redis import Redis

from moderation import keys
from moderation.policy import RuleSettings
from moderation.rules.base import Finding, finding

# KEYS: author rate key, ip rate key, repeat hash
# ARGV: count author rate?, count ip rate?, count repeat?, rate ttl, repeat ttl, author member, comment id
_OBSERVE_LUA = """
local out = {0, 0, 0, 0}
if ARGV[1] == '1' then
  out[1] = redis.call('INCR', KEYS[1])
  if out[1] == 1 then redis.call('EXPIRE', KEYS[1], ARGV[4]) end
end
if ARGV[2] == '1' then
  out[2] = redis.call('INCR', KEYS[2])
  if out[2] == 1 then redis.call('EXPIRE', KEYS[2], ARGV[4]) end
end
if ARGV[3] == '1' then
  local value = redis.call('HGET', KEYS[3], ARGV[6])
  local count, last = 0, ''
  if value then
    local space = string.find(value, ' ', 1, true)
    count = tonumber(string.sub(value, 1, space - 1))
    last = string.sub(value, space + 1)
  end
  if last ~= ARGV[7] then
    count = count + 1
    redis.call('HSET', KEYS[3], ARGV[6], count .. ' ' .. ARGV[7])
  end
  if redis.call('TTL', KEYS[3]) < 0 then redis.call('EXPIRE', KEYS[3], ARGV[5]) end
  out[3] = count
  out[4] = redis.call('HLEN', KEYS[3])
end
return out
"""


@dataclass(frozen=True)
class Counts:
    """What Redis counted for one comment (0 where the rule is off or cannot apply).

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
    return hashlib.blake2b(" ".join(normalized.split()).encode("utf-8"), digest_size=10).hexdigest()


class RepeatCounter:
    """Queues the repeat and rate counting of comments on a pipeline.

    :param redis: the connection the script is registered on.
    :param prefix: the key prefix.
    """

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.prefix = prefix
        self._script = redis.register_script(_OBSERVE_LUA)

    def queue(self, pipe: Any, *, comment_id: str, site: str | None, rules: RuleSettings, author: str | None,
              ip_hash: str | None, normalized: str, now: float) -> bool:
        """Queue one comment's counting on ``pipe``; returns False (nothing queued) when no rule applies.

        :param author: the author's identity (:func:`moderation.rules.trust.author_identity`), if any.
        :param ip_hash: the keyed hash of the author's IP address, if any.
        :param normalized: the normalized word tokens, joined by spaces.
        :param now: the time, in seconds since the epoch.
        """
        window = rules.rate_window_seconds
        bucket = int(now // window)
        count_author = bool(author and rules.author_rate_limit)
        count_ip = bool(ip_hash and rules.ip_rate_limit)
        count_repeat = (len(normalized) >= rules.repeat_min_chars
                        and bool(rules.repeat_per_author or rules.repeat_authors))
        if not (count_author or count_ip or count_repeat):
            return False
        self._script(
            keys=[keys.rate_key(self.prefix, site, "author", author or "-", bucket),
                  keys.rate_key(self.prefix, site, "ip", ip_hash or "-", bucket),
                  keys.repeat_key(self.prefix, site, fingerprint(normalized))],
            args=[int(count_author), int(count_ip), int(count_repeat), window * 2, rules.repeat_window_seconds,
                  author or f"comment:{comment_id}", comment_id],
            client=pipe,
        )
        return True


def parse_counts(result: Any) -> Counts:
    """The :class:`Counts` of one script result."""
    author_rate, ip_rate, same_author, authors = (int(x) for x in result)
    return Counts(author_rate, ip_rate, same_author, authors)


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
