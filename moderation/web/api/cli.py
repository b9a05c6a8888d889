"""The HTTP API's verbs of the ``moderation`` command (the web modules are imported only when run)::

    moderation api [--host 127.0.0.1] [--port 8000]     # serve the HTTP API
    moderation api-keys add SITE                        # a new key for SITE: printed once, alone on the last line
    moderation api-keys list                            # JSON lines: id, site, created_at (never the key)
    moderation api-keys revoke ID                       # requests with that key are refused from now on
"""

from __future__ import annotations

import argparse
import sys
from typing import IO, Any

from moderation.cli.output import print_json
from moderation.settings import Settings

EXIT_REFUSED = 1
EXIT_USAGE = 2


def cmd_api(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Serve the HTTP API with uvicorn until interrupted."""
    from moderation.web.api.app import create_app
    from moderation.web.server import serve

    serve(create_app(settings), name="api", host=args.host, port=args.port, settings=settings)
    return 0


def cmd_api_keys(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Add, list or revoke API keys."""
    from moderation.intake.client import connect
    from moderation.web.auth import ApiKeyError, ApiKeys

    api_keys = ApiKeys(connect(settings), settings.prefix)
    if args.action == "list":
        for listed in api_keys.list():
            print_json(listed.to_dict(), out)
        return 0
    if not args.name:
        print(f"moderation: api-keys {args.action} needs {'a SITE' if args.action == 'add' else 'an ID'}",
              file=sys.stderr)
        return EXIT_USAGE
    if args.action == "revoke":
        revoked = api_keys.revoke(args.name)
        print_json({"id": args.name, "status": "revoked" if revoked else "no such key"}, out)
        return 0 if revoked else EXIT_REFUSED
    try:
        record, secret = api_keys.add(args.name)
    except ApiKeyError as exc:
        print(f"moderation: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print_json({**record.to_dict(), "status": "added", "note": "the key is on the next line; it is not shown again"},
               out)
    out.write(secret + "\n")
    out.flush()
    return 0


def register(verbs: Any) -> None:
    """Add ``api`` and ``api-keys`` to the ``moderation`` command's subparsers."""
    api = verbs.add_parser("api", help="serve the HTTP API (POST /v1/comments, GET /v1/decisions/ID, ...)")
    api.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    api.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    api.set_defaults(run=cmd_api)

    api_keys = verbs.add_parser("api-keys", help="the HTTP API's per-site keys: add SITE, list, revoke ID")
    api_keys.add_argument("action", choices=["add", "list", "revoke"])
    api_keys.add_argument("name", nargs="?", help="add: the SITE; revoke: the key's ID (or the key)")
    api_keys.set_defaults(run=cmd_api_keys)
