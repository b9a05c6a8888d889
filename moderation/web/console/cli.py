"""The console's verbs of the ``moderation`` command (the web modules are imported only when run)::

    moderation console [--host 127.0.0.1] [--port 8080] [--reports reports]   # serve the console
    moderation moderators add NAME [--role moderator|admin] --password-stdin   # create, or reset a password
    moderation moderators remove NAME                                          # delete, ending its sessions
    moderation moderators list                                                 # JSON lines: name, role
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, Any

from moderation.cli.output import print_json
from moderation.settings import PROJECT_ROOT, Settings

EXIT_REFUSED = 1
EXIT_USAGE = 2


def cmd_console(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Serve the console with uvicorn until interrupted."""
    from moderation.web.console.app import ConsoleConfig, create_app
    from moderation.web.server import serve

    reports = args.reports if args.reports.is_absolute() else PROJECT_ROOT / args.reports
    serve(create_app(ConsoleConfig(settings, reports_dir=reports)), name="console", host=args.host, port=args.port,
          settings=settings)
    return 0


def cmd_moderators(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Add, remove or list console accounts."""
    from moderation.intake.client import connect
    from moderation.web.console.accounts import AccountError, Accounts

    accounts = Accounts(connect(settings), settings.prefix)
    if args.action == "list":
        for moderator in accounts.list():
            print_json(moderator.to_dict(), out)
        return 0
    if not args.name:
        print(f"moderation: moderators {args.action} needs a NAME", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "remove":
        removed = accounts.remove(args.name)
        print_json({"name": args.name, "status": "removed" if removed else "no such moderator"}, out)
        return 0 if removed else EXIT_REFUSED
    if not args.password_stdin:
        print("moderation: moderators add reads the password from standard input: give --password-stdin",
              file=sys.stderr)
        return EXIT_USAGE
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        moderator = accounts.add(args.name, password, args.role)
    except AccountError as exc:
        print(f"moderation: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print_json({**moderator.to_dict(), "status": "saved"}, out)
    return 0


def register(verbs: Any) -> None:
    """Add ``console`` and ``moderators`` to the ``moderation`` command's subparsers."""
    console = verbs.add_parser("console", help="serve the moderators' console (a web page)")
    console.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    console.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    console.add_argument("--reports", type=Path, default=Path("reports"),
                         help="where make evaluate writes evaluation.json and plots/ (default: reports)")
    console.set_defaults(run=cmd_console)

    moderators = verbs.add_parser("moderators", help="the console's accounts: add, remove, list")
    moderators.add_argument("action", choices=["add", "remove", "list"])
    moderators.add_argument("name", nargs="?", help="the account name (add, remove)")
    moderators.add_argument("--role", choices=["moderator", "admin"], default="moderator", help="with add")
    moderators.add_argument("--password-stdin", action="store_true",
                            help="with add: read the password from the first line of standard input")
    moderators.set_defaults(run=cmd_moderators)
