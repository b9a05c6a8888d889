"""What every web application of the project shares: security headers on every response, the body-size bound,
and serving with uvicorn (:func:`serve`). The console (:mod:`moderation.web.console`) and the HTTP API
(:mod:`moderation.web.api`) are each a Starlette application wrapped by :func:`protect`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moderation.settings import Settings
from moderation.web.limits import BodyLimit

#: Headers every response of every web application carries.
BASE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """Adds ``headers`` and ``Cache-Control: no-store`` to every response (paths under ``cacheable`` are left
    cacheable: static files).

    :param app: the application.
    :param headers: the headers to add.
    :param cacheable: path prefixes whose responses may be cached.
    """

    def __init__(self, app: ASGIApp, headers: Sequence[tuple[bytes, bytes]],
                 cacheable: tuple[str, ...] = ()) -> None:
        self.app = app
        self.headers = list(headers)
        self.cacheable = cacheable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cached = bool(self.cacheable) and scope["path"].startswith(self.cacheable)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += self.headers
                if not cached:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def protect(app: ASGIApp, *, headers: Sequence[tuple[bytes, bytes]], max_body_bytes: int,
            cacheable: tuple[str, ...] = ()) -> ASGIApp:
    """Wrap an application in the shared protections: the body-size bound (413 before the body is read) and
    the security headers.

    :param app: the Starlette application.
    :param headers: the security headers (:data:`BASE_HEADERS` plus the application's own).
    :param max_body_bytes: the largest request body accepted.
    :param cacheable: path prefixes whose responses may be cached.
    """
    return SecurityHeaders(BodyLimit(app, max_body_bytes), headers, cacheable)


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's forwarded-header options: X-Forwarded-For is believed only from the proxies named in the
    ``console_trusted_proxies`` setting (uvicorn's own default trusts it from 127.0.0.1, which let any local
    client pick the address the login rate limit counts).

    :param settings: the settings.
    """
    trusted = [p.strip() for p in settings.console_trusted_proxies.split(",") if p.strip()]
    if not trusted:
        return {"proxy_headers": False, "forwarded_allow_ips": ""}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(trusted)}


def serve(app: ASGIApp, *, name: str, host: str, port: int, settings: Settings) -> None:
    """Serve ``app`` with uvicorn until interrupted (no access log: it would carry raw IP addresses).

    :param app: the application.
    :param name: what it is, for the start-up line (``console``, ``api``).
    :param host: the address to listen on.
    :param port: the port.
    :param settings: the settings (log level, Redis shown without its password).
    """
    import uvicorn

    from moderation.logs import configure_logging

    configure_logging(settings.log_level)
    print(f"moderation {name}: http://{host}:{port}/ (Redis {settings.redacted_redis_url}, prefix {settings.prefix})",
          file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower(), timeout_graceful_shutdown=3,
                server_header=False, access_log=False, **proxy_options(settings))
