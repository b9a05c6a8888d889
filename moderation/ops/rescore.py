"""Re-scoring a backlog with the current model: the client side of ``moderation rescore``.

Comments (from a JSON Lines export, or the texts Redis keeps of decided comments) are queued on the **bulk
queue** as ``moderation.rescore`` messages, so only bulk workers take them and live traffic on the
interactive queue never waits behind them. A worker scores each with the current model and policy and appends
the old and new outcome to the stream ``keys.rescore_stream(prefix)`` (tagged with the run's id); with
``apply`` a changed decision replaces the published one (stored key, decision stream, pub/sub), otherwise
nothing published changes. This module queues a run, follows its results and writes the report; the worker
side is :mod:`workers.rescore_task`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis import Redis

from moderation import keys
from moderation.intake.wire import task_message

#: Result statuses a worker reports per comment.
STATUSES = ("changed", "same", "new", "kept-rule", "invalid")


@dataclass
class RescoreRun:
    """One queued run and what came back of it.

    :param run: the run's id (tags its results in the stream).
    :param submitted: how many comments were queued.
    :param results: one dict per comment (the stream entry's fields).
    """

    run: str
    submitted: int
    since: str
    results: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Counts by status, for the CLI's summary line."""
        counts = Counter(r.get("status", "?") for r in self.results)
        return {"run": self.run, "submitted": self.submitted, "rescored": len(self.results),
                **{s.replace("-", "_"): counts.get(s, 0) for s in STATUSES}}


def stored_comments(redis: Redis, prefix: str) -> Iterator[dict[str, Any]]:
    """Decided comments whose text Redis still keeps (``keys.comment_text_key``), as comment payloads."""
    marker = keys.comment_text_key(prefix, None, "")
    for key in redis.scan_iter(match=keys.comment_text_key(prefix, None, "*"), count=1000):
        name = key.decode() if isinstance(key, bytes) else str(key)
        raw = redis.get(name)
        if not raw:
            continue
        kept = json.loads(raw)
        site, comment_id = keys.split_ref(name[len(marker):])
        payload = {"id": comment_id, "body": kept.get("body") or ""}
        payload.update({k: kept[k] for k in ("site", "thread") if kept.get(k)})
        if site:
            payload["site"] = site
        yield payload


def queue_run(redis: Redis, comments: Sequence[dict[str, Any]], *, bulk_queue: str, batch_size: int,
              apply: bool) -> RescoreRun:
    """Queue ``comments`` for re-scoring on the bulk queue, ``batch_size`` to a message.

    :param redis: the connection.
    :param comments: validated, dumped comment payloads.
    :param bulk_queue: the queue bulk workers consume.
    :param batch_size: comments per message.
    :param apply: let workers replace published decisions that change.
    """
    run = RescoreRun(run=uuid.uuid4().hex[:12], submitted=len(comments), since=f"{time.time_ns() // 1_000_000 - 1}-0")
    submitted = time.time_ns() // 1_000_000
    for start in range(0, len(comments), batch_size):
        chunk = list(comments[start:start + batch_size])
        redis.lpush(bulk_queue, task_message(chunk, submitted_at_ms=submitted, queue=bulk_queue,
                                             task=keys.RESCORE_TASK, options={"run": run.run, "apply": apply}))
    return run


def follow_run(redis: Redis, run: RescoreRun, *, prefix: str, timeout: float) -> bool:
    """Collect the run's results from the rescore stream until all came back or ``timeout`` seconds passed.

    :returns: True if every queued comment has a result.
    """
    stream = keys.rescore_stream(prefix)
    last = run.since
    deadline = time.monotonic() + timeout
    while len(run.results) < run.submitted:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        response: Any = redis.xread({stream: last}, count=1000, block=int(min(remaining, 1.0) * 1000) or 1)
        for _name, entries in response or []:
            for entry_id, fields in entries:
                last = entry_id
                decoded = {_text(k): _text(v) for k, v in fields.items()}
                if decoded.get("run") == run.run:
                    run.results.append(decoded)
    return True


def write_report(run: RescoreRun, path: Path) -> None:
    """Write one JSON line per re-scored comment: id, status, old and new outcome and model, new scores."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for result in run.results:
            record = json.loads(result.get("record") or "{}")
            out.write(json.dumps({
                "run": run.run, "id": result.get("comment_id"), "status": result.get("status"),
                "old": result.get("old") or None, "new": result.get("new") or None,
                "old_model": result.get("old_model") or None, "new_model": result.get("new_model") or None,
                "applied": result.get("applied") == "1", "scores": record.get("scores"),
                **({"error": result["error"]} if result.get("error") else {}),
            }, ensure_ascii=False) + "\n")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
