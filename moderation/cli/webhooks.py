"""The webhook verbs of the ``moderation`` command::

    moderation webhooks add SITE URL        # register URL for SITE's decisions; the secret alone on the last line
    moderation webhooks list                # JSON lines: id, site, url, created_at (never the secret)
    moderation webhooks remove ID           # stop delivering to it (deliveries waiting for it are dropped)
    moderation webhooks test ID             # POST a signed test event now; exit 1 unless it answers 2xx
    moderation webhooks deliver             # run a deliverer (beside the workers; any number of them)
    moderation webhooks dead-letters [--count N]       # deliveries given up, with the last error
    moderation webhooks requeue ENTRY_ID... | --all    # deliver dead letters again
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import IO, Any

from moderation import keys
from moderation.cli.output import print_json
from moderation.settings import Settings

EXIT_REFUSED = 1
EXIT_USAGE = 2


def cmd_webhooks(args: argparse.Namespace, settings: Settings, out: IO[str]) -> int:
    """Add, list, remove or test webhooks; run a deliverer; list or requeue dead letters."""
    from moderation.intake.client import connect
    from moderation.publishing.webhooks import WebhookError, Webhooks

    redis = connect(settings)
    webhooks = Webhooks(redis, settings.prefix)
    action, names = args.action, args.names
    if action == "list":
        for hook in webhooks.list():
            print_json(hook.to_dict(), out)
        return 0
    if action == "deliver":
        return _deliver(redis, settings)
    if action == "dead-letters":
        entries: Any = redis.xrevrange(keys.webhook_dead_letters_stream(settings.prefix), count=args.count)
        for entry_id, fields in reversed(entries):
            print_json({"entry_id": entry_id, **{k: v for k, v in fields.items() if k != "body"},
                    "body": json.loads(fields.get("body", "null"))}, out)
        return 0
    if action == "requeue":
        return _requeue(redis, settings, names, args.all, out)
    wanted = {"add": 2, "remove": 1, "test": 1}[action]
    if len(names) != wanted:
        print(f"moderation: webhooks {action} needs {'SITE URL' if action == 'add' else 'an ID'}", file=sys.stderr)
        return EXIT_USAGE
    if action == "add":
        try:
            hook = webhooks.add(names[0], names[1])
        except WebhookError as exc:
            print(f"moderation: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print_json({**hook.to_dict(), "status": "added",
                "note": "the signing secret is on the next line; it is not shown again"}, out)
        out.write(hook.secret + "\n")
        out.flush()
        return 0
    if action == "remove":
        removed = webhooks.remove(names[0])
        print_json({"id": names[0], "status": "removed" if removed else "no such webhook"}, out)
        return 0 if removed else EXIT_REFUSED
    return _test(webhooks, names[0], settings, out)


def _test(webhooks: Any, hook_id: str, settings: Settings, out: IO[str]) -> int:
    from moderation.publishing.webhook_delivery import post, signed_headers
    from moderation.publishing.webhooks import ping_body

    hook = webhooks.get(hook_id)
    if hook is None:
        print_json({"id": hook_id, "status": "no such webhook"}, out)
        return EXIT_REFUSED
    body = ping_body(hook)
    status, error = post(hook.url, body, signed_headers(hook, body, json.loads(body)["idempotency_key"], 1),
                         settings.webhook_timeout_seconds)
    print_json({"id": hook.id, "url": hook.url, "http_status": status, "status": "delivered" if not error else "failed",
            **({"error": error} if error else {})}, out)
    return 0 if not error else EXIT_REFUSED


def _deliver(redis: Any, settings: Settings) -> int:
    from moderation.logs import configure_logging
    from moderation.publishing.webhook_delivery import Deliverer

    configure_logging(settings.log_level)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(f"moderation webhooks: delivering (Redis {settings.redacted_redis_url}, prefix {settings.prefix})",
          file=sys.stderr, flush=True)
    Deliverer(redis, settings).run(stop)
    return 0


def _requeue(redis: Any, settings: Settings, entry_ids: list[str], every: bool, out: IO[str]) -> int:
    from moderation.publishing.webhook_delivery import now_ms
    from moderation.publishing.webhook_queue import DeliveryQueue

    if every:
        entries: Any = redis.xrange(keys.webhook_dead_letters_stream(settings.prefix))
        entry_ids = [entry_id for entry_id, _ in entries]
    if not entry_ids:
        print("moderation: webhooks requeue needs ENTRY_IDs (from `webhooks dead-letters`) or --all", file=sys.stderr)
        return EXIT_USAGE
    requeued = DeliveryQueue(redis, settings.prefix, "cli").requeue_dead(entry_ids, now_ms())
    print_json({"requeued": requeued}, out)
    return 0 if requeued == len(entry_ids) else EXIT_REFUSED


def register(verbs: Any) -> None:
    """Add ``webhooks`` to the ``moderation`` command's subparsers."""
    webhooks = verbs.add_parser("webhooks", help="signed webhooks that push decisions: add SITE URL, list, remove ID, "
                                                 "test ID, deliver, dead-letters, requeue")
    webhooks.add_argument("action", choices=["add", "list", "remove", "test", "deliver", "dead-letters", "requeue"])
    webhooks.add_argument("names", nargs="*", help="add: SITE URL; remove, test: ID; requeue: ENTRY_IDs")
    webhooks.add_argument("--count", type=int, default=100, help="with dead-letters: the newest N")
    webhooks.add_argument("--all", action="store_true", help="with requeue: every dead letter")
    webhooks.set_defaults(run=cmd_webhooks)
