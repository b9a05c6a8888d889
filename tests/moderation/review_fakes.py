"""Test helpers for the rules and the review loop: a fake scorer, a policy file, a handler on real Redis."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redis import Redis

from moderation.judging.policy import Policy, load_policy
from moderation.settings import Settings
from workers.handler import BatchHandler

_MARK = re.compile(r"\{(\w+)=([0-9.]+)\}")

#: Thresholds every test policy starts from (no words file unless a test writes one).
BASE_POLICY = """
[heads.spam]
review = 0.5
reject = 0.9
discard = 0.98

[heads.toxic]
review = 0.45
reject = 0.85

"""

#: Rule settings every test policy starts from: every counting rule off unless a test turns it on.
BASE_RULES: dict[str, Any] = {"max_links": 3, "trusted_after": 0, "author_rate_limit": 0, "ip_rate_limit": 0,
                              "repeat_per_author": 0, "repeat_authors": 0}


@dataclass(frozen=True)
class FakeHeadScore:
    probability: float
    contributions: tuple[tuple[str, float], ...] = ()


class FakeScorer:
    """Scores by markers in the text: ``{spam=0.6}`` gives spam 0.6 (the rest score 0.01), explained by ``win``.

    A :class:`moderation.judging.pipeline.ScorerLike`: subclasses change what :meth:`score_batch` gives, and
    the languages they claim or screen.
    """

    version = "fake-1"
    languages: tuple[str, ...] = ("en",)
    screened_languages: tuple[str, ...] = ()

    def score_in_context(self, texts: Sequence[str], explain: bool = True, top_k: int = 5,
                         langs: Sequence[str] | None = None, apart: Sequence[bool] | None = None
                         ) -> tuple[list[dict[str, Any]], list[None]]:
        """:meth:`score_batch`'s scores, no mentions looked for."""
        return self.score_batch(texts, explain, top_k, langs), [None] * len(texts)

    def score_batch(self, texts: Sequence[str], explain: bool = True, top_k: int = 5,
                    langs: Sequence[str] | None = None) -> list[dict[str, Any]]:
        results = []
        for text in texts:
            marks = {head: float(value) for head, value in _MARK.findall(text)}
            results.append({head: FakeHeadScore(marks.get(head, 0.01), (("win", 0.8), ("free", 0.3)))
                            for head in ("spam", "toxic")})
        return results


def write_policy(tmp_path: Path, extra: str = "", words: str | None = None, **rules: Any) -> Policy:
    """A policy from :data:`BASE_POLICY` with :data:`BASE_RULES` updated by ``rules``, plus ``extra`` TOML (site
    sections), and a words file when ``words`` is given."""
    settings = {**BASE_RULES, **rules}
    text = BASE_POLICY + "\n[rules]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items())
    if words is not None:
        (tmp_path / "words.toml").write_text(words)
        text = 'words_file = "words.toml"\n' + text
    path = tmp_path / "policy.toml"
    path.write_text(text + extra)
    return load_policy(path)


def make_handler(redis: Redis, redis_url: str, prefix: str, policy: Policy) -> BatchHandler:
    """A worker's batch handler on the real Redis, with the fake scorer."""
    settings = Settings(redis_url=redis_url, prefix=prefix, decision_ttl_seconds=600, stream_maxlen=1000)
    return BatchHandler(redis, lambda: FakeScorer(), policy, settings)


def comment(cid: str, body: str, *, author: str | None = None, site: str | None = None,
            email: str | None = None, ip: str | None = None, lang: str | None = "en") -> dict[str, Any]:
    """A submitted comment payload (from an English-language site unless ``lang`` says otherwise)."""
    payload: dict[str, Any] = {"id": cid, "body": body}
    if lang:
        payload["lang"] = lang
    who = {k: v for k, v in {"id": author, "email": email, "ip": ip}.items() if v}
    if who:
        payload["author"] = who
    if site:
        payload["site"] = site
    return payload
