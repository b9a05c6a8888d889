"""The operators' verbs of the ``moderation`` command: health, metrics and re-scoring.

::

    moderation health [--max-queue N] [--max-bulk-queue N] [--require-current] [--max-undecided S]  # JSON; exit 0/4-8
    moderation metrics --port 9808 [--host 0.0.0.0]    # Prometheus endpoint: GET /metrics (and /health)
    moderation metrics --once                          # print the exposition text once
    moderation rescore FILE | --stored [--apply] [--report reports/rescore.jsonl] [--wait SECONDS]

Exit codes of ``health``: see :mod:`moderation.ops.health`. ``rescore`` exits 1 when some input line was refused,
3 when not every comment came back within ``--wait`` (the report holds those that did).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

from marshmallow import ValidationError

from moderation.cli.output import print_json
from moderation.intake.schemas import dump_comment, load_comment, load_comment_json
from moderation.models.current import ModelStore
from moderation.ops.health import check
from moderation.ops.metrics import CONTENT_TYPE, collect, exposition
from moderation.ops.rescore import follow_run, queue_run, stored_comments, write_report
from moderation.settings import Settings
from moderation.store.connection import redis_for

EXIT_REFUSED = 1
EXIT_INCOMPLETE = 3
DEFAULT_REPORT = Path("reports") / "rescore.jsonl"
#: Short timeouts: a probe or a scrape must answer, not hang on an unreachable Redis.
_PROBE_TIMEOUTS: dict[str, Any] = {"socket_timeout": 3.0, "socket_connect_timeout": 3.0}


def cmd_health(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Print the health report as JSON; its exit code says what is wrong first."""
    redis = redis_for(settings, **_PROBE_TIMEOUTS)
    report = check(redis, store=ModelStore.from_settings(settings, redis), queue=settings.queue,
                   bulk_queue=settings.bulk_queue, max_queue=args.max_queue, max_bulk_queue=args.max_bulk_queue,
                   require_current=args.require_current,
                   max_undecided_seconds=args.max_undecided or settings.health_max_undecided_seconds)
    print_json(report.to_dict(), out)
    return report.exit_code


def metrics_text(settings: Settings, redis: Any | None = None) -> str:
    """One scrape's exposition text."""
    redis = redis or redis_for(settings, **_PROBE_TIMEOUTS)
    return exposition(collect(redis, ModelStore.from_settings(settings, redis), [settings.queue, settings.bulk_queue]))


def make_server(settings: Settings, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server answering ``GET /metrics`` (Prometheus text) and ``GET /health`` (JSON; 200 or 503).

    :param settings: the Redis and names to report on.
    :param host: the address to listen on.
    :param port: the port (0 picks a free one: see ``server.server_address``).
    """
    redis = redis_for(settings, **_PROBE_TIMEOUTS)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._send(200, CONTENT_TYPE, metrics_text(settings, redis))
            elif path == "/health":
                report = check(redis, store=ModelStore.from_settings(settings, redis), queue=settings.queue,
                               bulk_queue=settings.bulk_queue, max_queue=1000,
                               max_undecided_seconds=settings.health_max_undecided_seconds)
                self._send(200 if report.exit_code == 0 else 503, "application/json",
                           json.dumps(report.to_dict()))
            else:
                self._send(404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n")

        def _send(self, code: int, content_type: str, text: str) -> None:
            body = text.encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return ThreadingHTTPServer((host, port), Handler)


def cmd_metrics(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Print the metrics once, or serve them over HTTP until interrupted."""
    if args.once:
        out.write(metrics_text(settings))
        out.flush()
        return 0
    server = make_server(settings, args.host, args.port)
    host, port = server.server_address[:2]
    print(f"moderation: serving metrics on http://{host!s}:{port}/metrics", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def _file_comments(path: str, refused: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    try:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                yield dump_comment(load_comment_json(line))
            except ValidationError as exc:
                refused.append({"line": number, "errors": exc.messages})
    finally:
        if stream is not sys.stdin:
            stream.close()


def cmd_rescore(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Queue a backlog for re-scoring on the bulk queue, wait for the results, write the report."""
    if bool(args.file) == bool(args.stored):
        print("moderation: rescore needs a FILE (JSON Lines, or - for stdin) or --stored, not both",
              file=sys.stderr)
        return 2
    redis = redis_for(settings, health_check_interval=30)
    refused: list[dict[str, Any]] = []
    if args.file:
        comments = list(_file_comments(args.file, refused))
    else:
        comments = []
        for payload in stored_comments(redis, settings.prefix):
            try:
                comments.append(dump_comment(load_comment(payload)))
            except ValidationError as exc:
                refused.append({"id": payload.get("id"), "errors": exc.messages})
    for refusal in refused:
        print_json(refusal, out)
    run = queue_run(redis, comments, bulk_queue=settings.bulk_queue, batch_size=settings.batch_size,
                    apply=args.apply)
    complete = follow_run(redis, run, prefix=settings.prefix, timeout=args.wait) if comments else True
    write_report(run, args.report)
    print_json({**run.summary(), "refused": len(refused), "applied": args.apply, "complete": complete,
            "report": str(args.report), "queue": settings.bulk_queue}, out)
    if not complete:
        print(f"moderation: not every comment was re-scored within {args.wait} s: is a worker consuming "
              f"{settings.bulk_queue}? (make worker ARGS=\"-Q {settings.bulk_queue}\")", file=sys.stderr)
        return EXIT_INCOMPLETE
    return EXIT_REFUSED if refused else 0


def register(verbs: Any) -> None:
    """Add ``health``, ``metrics`` and ``rescore`` to the ``moderation`` command's subparsers."""
    health = verbs.add_parser("health", help="check Redis, workers, model and queue depth (exit code for probes)")
    health.add_argument("--max-queue", type=int, default=1000, metavar="N",
                        help="most messages the interactive queue may hold (default 1000)")
    health.add_argument("--max-bulk-queue", type=int, default=None, metavar="N",
                        help="most messages the bulk queue may hold (default: not checked)")
    health.add_argument("--require-current", action="store_true",
                        help="fail (6) while a live worker serves another model than the promoted one")
    health.add_argument("--max-undecided", type=float, default=None, metavar="S",
                        help="fail (exit 8) when the oldest undecided comment is older than S seconds "
                             "(default: the health_max_undecided_seconds setting, 60)")
    health.set_defaults(run=cmd_health)

    metrics = verbs.add_parser("metrics", help="serve Prometheus metrics over HTTP (or print them once)")
    metrics.add_argument("--port", type=int, default=9808, help="port to listen on (default 9808; 0: any free)")
    metrics.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    metrics.add_argument("--once", action="store_true", help="print the exposition text once and exit")
    metrics.set_defaults(run=cmd_metrics)

    rescore = verbs.add_parser("rescore", help="re-moderate a backlog with the current model, on the bulk queue")
    rescore.add_argument("file", nargs="?", help="JSON Lines of comments (as for submit), or - for stdin")
    rescore.add_argument("--stored", action="store_true", help="the decided comments whose text Redis keeps")
    rescore.add_argument("--apply", action="store_true",
                         help="replace published decisions that change (default: only report them)")
    rescore.add_argument("--report", type=Path, default=DEFAULT_REPORT,
                         help=f"where to write old vs new per comment (default {DEFAULT_REPORT})")
    rescore.add_argument("--wait", type=float, default=3600.0, metavar="SECONDS",
                         help="how long to wait for the results (default 3600)")
    rescore.set_defaults(run=cmd_rescore)
