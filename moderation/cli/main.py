"""The ``moderation`` command (also ``python -m moderation``): submit comments, read decisions.

Every verb takes the Redis location from ``REDIS_URL`` and the settings file. Exit codes: 0 fine,
1 some input refused, 2 usage or settings error, 3 no decision in time (the comment is pending), 4 Redis
unreachable, 8 unknown comment id (never submitted, or its decision expired).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any

from marshmallow import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from moderation import keys
from moderation.cli.ops import register as register_ops_verbs
from moderation.cli.output import print_json
from moderation.cli.review import register as register_review_verbs
from moderation.cli.webhooks import register as register_webhook_verbs
from moderation.intake.client import DECIDED, PENDING, REFUSED, UNKNOWN, ModerationClient, Receipt
from moderation.intake.schemas import load_comment_json
from moderation.publishing.dead_letters import list_dead_letters, requeue_dead_letter
from moderation.publishing.decision_reader import DecisionReader
from moderation.publishing.sweep import requeue_undecided
from moderation.records import Comment, Decision
from moderation.settings import Settings, SettingsError, load_settings
from moderation.web.api.cli import register as register_api_verbs
from moderation.web.console.cli import register as register_console_verbs

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_NO_DECISION = 3
EXIT_UNREACHABLE = 4
#: ``decision`` of an id that is neither decided nor pending (5-8 are ``health``'s).
EXIT_UNKNOWN = 8


def _lines(source: str) -> Iterator[tuple[int, str]]:
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115
    try:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield number, line
    finally:
        if stream is not sys.stdin:
            stream.close()


def cmd_submit(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Validate and queue JSON Lines; one result line per input line, in order."""
    client = ModerationClient.from_settings(settings)
    refused = 0
    batch: list[tuple[int, Comment]] = []

    def flush() -> None:
        results = client.submit_many([c for _, c in batch])
        for result in results:
            assert isinstance(result, Receipt)
            print_json(result.to_dict(), out)
        batch.clear()

    for number, line in _lines(args.file):
        try:
            comment = load_comment_json(line)
        except ValidationError as exc:
            if batch:
                flush()
            refused += 1
            print_json({"line": number, "errors": exc.messages}, out)
            continue
        batch.append((number, comment))
        if len(batch) >= settings.batch_size:
            flush()
    if batch:
        flush()
    return EXIT_REFUSED if refused else 0


def cmd_decision(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Print one comment's decision; when there is none by the deadline, say whether the comment is pending
    (accepted, waiting: exit 3) or unknown (never submitted, or its decision expired: exit 8)."""
    client = ModerationClient.from_settings(settings)
    site = args.site or None
    decision = client.decision(args.id, wait=args.wait, site=site)
    if decision is None:
        status = client.status(args.id, site=site)
        if status == DECIDED:  # published just after the wait ended
            decision = client.decision(args.id, site=site)
        elif status == REFUSED:
            print_json({"id": args.id, "status": REFUSED, "error": client.refusal(args.id, site=site)}, out)
            return EXIT_REFUSED
        elif status == PENDING:
            print_json({"id": args.id, "status": PENDING,
                    "error": f"no decision yet{f' within {args.wait} s' if args.wait else ''}"}, out)
            return EXIT_NO_DECISION
        else:
            print_json({"id": args.id, "status": UNKNOWN,
                    "error": "no such comment: never submitted, or its decision has expired"}, out)
            return EXIT_UNKNOWN
    assert decision is not None
    print_json(decision.to_dict(), out)
    return 0


def cmd_watch(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Print decisions as they are published, one JSON line each."""
    client = ModerationClient.from_settings(settings)
    printed = 0
    if args.group:
        reader = DecisionReader(client.redis, group=args.group, consumer=args.consumer, prefix=settings.prefix,
                                start=args.start)
        for entry in reader.follow(count=100, block_ms=1000):
            print_json(entry.decision.to_dict(), out)
            reader.ack(entry)
            printed += 1
            if args.count and printed >= args.count:
                return 0
    stream = keys.decisions_stream(settings.prefix)
    last = args.start
    while True:
        response: Any = client.redis.xread({stream: last}, count=100, block=1000)
        for _name, items in response or []:
            for entry_id, fields in items:
                last = entry_id
                print_json(Decision.from_json(fields["record"]).to_dict(), out)
                printed += 1
                if args.count and printed >= args.count:
                    return 0


def cmd_sweep(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Queue again the comments accepted but not decided within the deadline."""
    client = ModerationClient.from_settings(settings)
    result = requeue_undecided(client.redis, prefix=settings.prefix, queue=settings.queue,
                               older_than_seconds=args.older_than, batch_size=settings.batch_size,
                               stream_maxlen=settings.stream_maxlen, refused_ttl_seconds=settings.decision_ttl_seconds)
    print_json({"requeued": result.requeued, "cleaned": result.cleaned, "missing": result.missing,
                "dead_lettered": result.dead_lettered}, out)
    return 0


def cmd_dead_letters(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """List dead letters, or requeue one."""
    client = ModerationClient.from_settings(settings)
    if args.action == "list":
        for letter in list_dead_letters(client.redis, settings.prefix, count=args.count):
            print_json(letter.to_dict(), out)
        return 0
    if not args.entry_id:
        print("moderation: dead-letters requeue needs an ENTRY_ID (from `dead-letters list`)", file=sys.stderr)
        return EXIT_USAGE
    try:
        receipt = requeue_dead_letter(client, args.entry_id)
    except KeyError:
        print_json({"entry_id": args.entry_id, "error": "no such dead letter"}, out)
        return EXIT_REFUSED
    except ValidationError as exc:
        print_json({"entry_id": args.entry_id, "errors": exc.messages}, out)
        return EXIT_REFUSED
    print_json({"entry_id": args.entry_id, **receipt.to_dict()}, out)
    return 0


def settings_default_sweep() -> float:
    """The configured sweep deadline, or 60 s when the settings cannot be read (reported later)."""
    try:
        return float(load_settings().sweep_after_seconds)
    except SettingsError:
        return 60.0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``moderation`` command."""
    parser = argparse.ArgumentParser(prog="moderation", description=__doc__.splitlines()[0])
    verbs = parser.add_subparsers(dest="verb", required=True)

    submit = verbs.add_parser("submit", help="validate and queue comments from JSON Lines")
    submit.add_argument("file", nargs="?", default="-", help="a JSON Lines file, or - for standard input")
    submit.set_defaults(run=cmd_submit)

    decision = verbs.add_parser("decision", help="print a comment's decision as JSON")
    decision.add_argument("id", help="the comment's id")
    decision.add_argument("--site", help="the comment's site (ids are scoped by site; omit for a comment without one)")
    decision.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                          help="wait this long for the decision (exit 3 if none by then)")
    decision.set_defaults(run=cmd_decision)

    watch = verbs.add_parser("watch", help="print decisions as they are published")
    watch.add_argument("--count", type=int, default=0, help="stop after N decisions (0: never)")
    watch.add_argument("--start", default="$", help="stream id to start after: $ (new only, default) or 0 (all)")
    watch.add_argument("--group", help="read as this consumer group (acknowledged, at-least-once)")
    watch.add_argument("--consumer", default="cli", help="consumer name within --group")
    watch.set_defaults(run=cmd_watch)
    register_review_verbs(verbs)
    register_ops_verbs(verbs)
    register_console_verbs(verbs)
    register_api_verbs(verbs)
    register_webhook_verbs(verbs)

    sweep = verbs.add_parser("sweep", help="queue again comments accepted but not decided in time")
    sweep.add_argument("--older-than", type=float, default=settings_default_sweep(), metavar="SECONDS",
                       help="the deadline for a decision (default: sweep_after_seconds)")
    sweep.set_defaults(run=cmd_sweep)

    letters = verbs.add_parser("dead-letters", help="list inputs a worker could not moderate, or requeue one")
    letters.add_argument("action", choices=["list", "requeue"])
    letters.add_argument("entry_id", nargs="?", help="with requeue: the entry to submit again")
    letters.add_argument("--count", type=int, default=100, help="with list: at most this many")
    letters.set_defaults(run=cmd_dead_letters)
    return parser


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None) -> int:
    """Run the command; returns the exit code."""
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    try:
        settings = load_settings()
        if not os.environ.get("MODERATION_CLIENT_RETRY"):
            # A person (or a probe) at the command line wants "unreachable" in seconds, not after 30 s.
            settings = dataclasses.replace(settings, client_retry_seconds=min(settings.client_retry_seconds, 1.0))
    except SettingsError as exc:
        print(f"moderation: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args, settings, out)
        return code
    except (RedisConnectionError, RedisTimeoutError) as exc:
        print(f"moderation: Redis at {settings.redacted_redis_url} is unreachable: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except FileNotFoundError as exc:
        print(f"moderation: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
