"""Realistic comments to push through the pipeline: the seed corpus's texts, as a news site submits them.

Used by ``make bench``, ``make chaos`` and the tests that need many varied comments.
"""

from __future__ import annotations

import json
from typing import Any

from moderation.settings import PROJECT_ROOT

SEED = PROJECT_ROOT / "training" / "data" / "seed_corpus.jsonl"


def corpus_texts(limit: int) -> list[str]:
    """Realistic comment bodies: the project's seed corpus, repeated as needed."""
    texts = [json.loads(line)["text"] for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [texts[i % len(texts)] for i in range(limit)]


def payloads(texts: list[str], tag: str) -> list[dict[str, Any]]:
    """Comments as a news site would submit them: many authors and IPs, a few threads and sites."""
    return [{
        "id": f"{tag}-{i}", "body": text, "thread": f"article-{i % 200}",
        "url": f"https://news.example.org/a/{i % 200}", "site": ("news", "sport", "local")[i % 3],
        "author": {"id": f"u{i}", "name": f"Reader {i}", "email": f"reader{i}@example.org",
                   "ip": f"198.51.{(i // 250) % 250}.{i % 250}", "user_agent": "Mozilla/5.0"},
        "created_at": "2026-11-28T09:00:00+00:00", "lang": "en",
    } for i, text in enumerate(texts)]
