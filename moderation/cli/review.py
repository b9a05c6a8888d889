"""The moderators' verbs of the ``moderation`` command: the review queue, reports, audit, feedback export.

::

    moderation review list [--site S] [--limit N]             # JSON lines: comment, scores, reasons
    moderation review approve ID [ID ...] [--reason TEXT]
    moderation review reject ID [ID ...] [--label spam|toxic|...] [--reason TEXT]
    moderation review reject --author ID | --email E | --ip IP [--site S]   # bulk: every match held
    moderation report-spam ID [ID ...] [--text TEXT]          # a published decision was wrong: spam
    moderation report-ham ID [ID ...] [--text TEXT]           # ... or not spam
    moderation audit [--comment ID] [--count N]               # who did what, when and why
    moderation export-feedback [--out var/feedback.jsonl]     # the labels, in the dataset format

Each action prints one JSON line per comment. ``--moderator NAME`` (default ``$USER``) names who acts.
Exit codes as for the other verbs: 1 when some comment could not be acted on (not held, no text kept).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import IO, Any

from moderation import keys
from moderation.cli.output import print_json
from moderation.intake.client import connect
from moderation.publishing.audit import read_audit
from moderation.records import ALL_HEADS
from moderation.review.feedback import export_feedback
from moderation.review.queue import STALE, ReviewQueue
from moderation.settings import Settings

EXIT_REFUSED = 1
EXIT_USAGE = 2
DEFAULT_FEEDBACK_FILE = Path("var") / "feedback.jsonl"


def _queue(settings: Settings) -> ReviewQueue:
    return ReviewQueue(connect(settings), prefix=settings.prefix, ttl_seconds=settings.decision_ttl_seconds,
                       stream_maxlen=settings.stream_maxlen)


def default_moderator() -> str:
    """``$USER`` (or the login name), else ``moderator``."""
    try:
        return os.environ.get("USER") or getpass.getuser() or "moderator"
    except (OSError, KeyError):
        return "moderator"


def cmd_review_list(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Print held comments, oldest first, one JSON line each."""
    for held in _queue(settings).pending(args.site, limit=args.limit):
        print_json(held.to_dict(), out)
    return 0


def cmd_review_verdict(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Approve or reject held comments, by id or by author (bulk)."""
    queue = _queue(settings)
    ids = [keys.comment_ref(args.site, i) for i in args.ids]
    seen = dict.fromkeys(ids, args.revision) if args.revision is not None else None
    if args.author or args.email or args.ip:
        ids += queue.select(site=args.site, author_id=args.author, email=args.email, ip=args.ip)
    elif not ids:
        print("moderation: name comment ids, or --author, --email or --ip for a bulk action", file=sys.stderr)
        return EXIT_USAGE
    results = queue.verdict(ids, args.verdict, moderator=args.moderator, reason=args.reason,
                            label=getattr(args, "label", None), seen=seen)
    for result in results:
        print_json(result.to_dict(), out)
    return EXIT_REFUSED if any(r.status in {"not-held", STALE} for r in results) else 0


def cmd_report(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Report published decisions as spam or ham."""
    if args.text is not None and len(args.ids) != 1:
        print("moderation: --text applies to one comment id", file=sys.stderr)
        return EXIT_USAGE
    refs = [keys.comment_ref(args.site, i) for i in args.ids]
    results = _queue(settings).report(refs, args.label, moderator=args.moderator, reason=args.reason,
                                      text=args.text)
    for result in results:
        print_json(result.to_dict(), out)
    return EXIT_REFUSED if any(r.status in {"no-text", "not-held"} for r in results) else 0


def cmd_authors_forget(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Erase what Redis keeps of one author (all sites, or one)."""
    from moderation.review.authors import forget_author

    erased = forget_author(connect(settings), settings.prefix, args.author, site=args.site)
    print_json({"author": "erased", "site": args.site, "erased": erased}, out)
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Print audit entries, newest first."""
    for entry in read_audit(connect(settings), settings.prefix, count=args.count, comment_id=args.comment):
        print_json(entry.to_dict(), out)
    return 0


def cmd_export_feedback(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Write the recorded labels as a training file."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    redis = connect(settings)
    try:
        count = export_feedback(redis, settings.prefix, args.out)
    except RedisConnectionError:
        if not args.if_reachable:
            raise
        print_json({"out": str(args.out), "exported": None, "note": "Redis unreachable; nothing exported"}, out)
        return 0
    print_json({"out": str(args.out), "exported": count}, out)
    return 0


def _actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--moderator", default=default_moderator(), help="who acts (default: $USER)")
    parser.add_argument("--reason", default="", help="why, recorded in the decision and the audit stream")


def register(verbs: Any) -> None:
    """Add the moderators' verbs to the ``moderation`` command's subparsers."""
    review = verbs.add_parser("review", help="list held comments; approve or reject them")
    actions = review.add_subparsers(dest="review_action", required=True)
    listing = actions.add_parser("list", help="print held comments (JSON lines: comment, scores, reasons)")
    listing.add_argument("--site", help="only this site's queue")
    listing.add_argument("--limit", type=int, default=0, help="at most N (0: all)")
    listing.set_defaults(run=cmd_review_list)
    for verdict in ("approve", "reject"):
        action = actions.add_parser(verdict, help=f"{verdict} held comments: publish the final decision")
        action.add_argument("ids", nargs="*", metavar="ID", help="comment ids")
        action.add_argument("--author", help=f"bulk: {verdict} every held comment of this author id")
        action.add_argument("--email", help=f"bulk: {verdict} every held comment from this email address")
        action.add_argument("--ip", help=f"bulk: {verdict} every held comment from this IP address")
        action.add_argument("--site", help="the named comments' site (ids are scoped by site); bulk: only on it")
        action.add_argument("--revision", type=int, metavar="N",
                            help="the revision you saw: refused ('edited since you opened it') if it is no longer "
                                 "the comment's current one")
        if verdict == "reject":
            action.add_argument("--label", choices=ALL_HEADS,
                                help="what it is, for training (default: from the reasons it was held for)")
        _actor(action)
        action.set_defaults(run=cmd_review_verdict, verdict=verdict)

    for label, verb in (("spam", "spam"), ("ham", "ham"), ("toxic", "abuse")):
        report = verbs.add_parser(f"report-{verb}", help=f"a published decision was wrong: the comment is {verb}")
        report.add_argument("ids", nargs="+", metavar="ID", help="comment ids")
        report.add_argument("--site", help="the comments' site (ids are scoped by site)")
        report.add_argument("--text", help="the comment's text, if it is no longer kept (one id only)")
        _actor(report)
        report.set_defaults(run=cmd_report, label=label)

    authors = verbs.add_parser("authors", help="erase an author's data on request")
    author_actions = authors.add_subparsers(dest="action", required=True)
    forget = author_actions.add_parser("forget", help="erase everything Redis keeps of one author")
    forget.add_argument("author", help="the author's id, e-mail address or IP address")
    forget.add_argument("--site", help="only on this site (default: every site)")
    forget.set_defaults(run=cmd_authors_forget)

    audit = verbs.add_parser("audit", help="print the audit stream, newest first")
    audit.add_argument("--comment", help="only entries about this comment id")
    audit.add_argument("--count", type=int, default=100, help="at most N entries")
    audit.set_defaults(run=cmd_audit)

    export = verbs.add_parser("export-feedback", help="write moderators' labels as a training file (JSON lines)")
    export.add_argument("--out", type=Path, default=DEFAULT_FEEDBACK_FILE, help="default: var/feedback.jsonl")
    export.add_argument("--if-reachable", action="store_true", help="exit 0 without exporting if Redis is down")
    export.set_defaults(run=cmd_export_feedback)

