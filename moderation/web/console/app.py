"""The console's web application (Starlette): pages, actions, live events, and their protections.

* Every path but ``/login`` and ``/static/`` needs a session (:class:`_RequireSession`): a page answers with a
  redirect to the login page, anything else with 401.
* Every POST needs the session's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``) and, when the
  browser sends one, a same-origin ``Origin``; the login form has its own double-submit token.
* Every response carries a strict Content-Security-Policy (scripts and styles from ``/static/`` only, nothing
  inline, no frames, forms to this origin only), ``nosniff`` and a same-origin referrer policy (with
  ``no-referrer`` browsers send ``Origin: null`` with forms) (:func:`moderation.web.server.protect`); templates escape
  every value (comment bodies, names and URLs are untrusted).
* Redis is reached with the blocking client the workers' modules use, in Starlette's thread pool.
"""

from __future__ import annotations

import contextlib
import hmac
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from redis import Redis
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from moderation import keys
from moderation.models.current import ModelStore
from moderation.publishing.audit import read_audit
from moderation.records import Decision
from moderation.review.queue import STALE, STALE_MESSAGE, ReviewQueue
from moderation.settings import PROJECT_ROOT, Settings
from moderation.web.console.accounts import Accounts
from moderation.web.console.decisions import search_decisions
from moderation.web.console.live import LiveFeed
from moderation.web.console.model_view import PLOT_NAME, decision_mix, health, model_state
from moderation.web.console.queue_view import ORDERS, load_queue
from moderation.web.console.sessions import Session, Sessions
from moderation.web.server import BASE_HEADERS, protect

HERE = Path(__file__).resolve().parent
PUBLIC_PREFIXES = ("/login", "/static/")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), *BASE_HEADERS]
#: The largest request body the console reads (its forms are small).
MAX_BODY_BYTES = 1024 * 1024
LOGIN_COOKIE = "mod-login"
MAX_REASON_CHARS = 500
MAX_IDS = 500
_STATUS_WORDS = {"approved": "Approved", "rejected": "Rejected", "reported": "Reported"}
#: What a reject may teach the model ("": the reasons it was held for decide, as on the command line).
REJECT_LABELS = ("", "spam", "toxic")


def seen_revisions(values: list[Any]) -> dict[str, int]:
    """The verdict form's ``seen`` fields (``<revision> <ref>``, one per card) as ref -> revision seen.

    :param values: the fields' values; malformed ones are ignored.
    """
    seen: dict[str, int] = {}
    for value in values:
        revision, _, ref = str(value).partition(" ")
        if revision.isdigit() and ref:
            seen[ref] = int(revision)
    return seen


@dataclass(frozen=True)
class ConsoleConfig:
    """What the application needs besides Redis.

    :param settings: the validated settings (prefix, queues, TTLs, cookie policy).
    :param reports_dir: where ``make evaluate`` writes ``evaluation.json`` and ``plots/``.
    """

    settings: Settings
    reports_dir: Path = PROJECT_ROOT / "reports"

    @property
    def secure_cookies(self) -> bool:
        """Whether cookies are marked Secure."""
        return self.settings.console_secure_cookies

    @property
    def session_cookie(self) -> str:
        """The session cookie's name (``__Host-`` when Secure: no domain, path /, HTTPS only)."""
        return "__Host-mod-session" if self.secure_cookies else "mod-session"


class _RequireSession:
    """Refuses every request without a live session except the login page and static files."""

    def __init__(self, app: ASGIApp, sessions: Callable[[], Sessions], cookie: str) -> None:
        self.app = app
        self.sessions = sessions
        self.cookie = cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        session = await run_in_threadpool(self.sessions().load, request.cookies.get(self.cookie))
        if session is None:
            wants_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
            response: Response = (RedirectResponse("/login", status_code=303) if wants_page
                                  else JSONResponse({"error": "login required"}, status_code=401))
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["session"] = session
        await self.app(scope, receive, send)


def _ago(iso: str) -> str:
    """``iso`` (ISO 8601 UTC) as "3 min ago"."""
    try:
        then = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return str(iso or "")
    seconds = max(0, int((datetime.now(UTC) - then).total_seconds()))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["ago"] = _ago
    env.filters["pct"] = lambda value: f"{100 * float(value):.0f}%"
    env.filters["num"] = lambda value: ("—" if value is None else f"{value:.3f}" if isinstance(value, float)
                                        else str(value))
    return env


def create_app(config: ConsoleConfig, redis: Redis | None = None) -> ASGIApp:
    """The console application.

    :param config: settings, reports folder.
    :param redis: the connection (default: :func:`moderation.intake.client.connect` for the settings).
    """
    from moderation.intake.client import connect

    settings = config.settings
    conn = redis or connect(settings)
    prefix = settings.prefix
    queue = ReviewQueue(conn, prefix=prefix, ttl_seconds=settings.decision_ttl_seconds,
                        stream_maxlen=settings.stream_maxlen)
    accounts = Accounts(conn, prefix)
    sessions = Sessions(conn, prefix, ttl_seconds=int(settings.console_session_hours * 3600))
    feed = LiveFeed(conn, prefix)
    store = ModelStore.from_settings(settings, conn)
    env = _templates()

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        session: Session | None = getattr(request.state, "session", None)
        html = env.get_template(name).render(session=session, path=request.url.path, **context)
        return HTMLResponse(html, status_code=status_code)

    def cookie_options() -> dict[str, Any]:
        return {"httponly": True, "samesite": "strict", "secure": config.secure_cookies, "path": "/"}

    async def checked_form(request: Request) -> tuple[Session, FormData]:
        """The session and the form of a POST whose CSRF token and origin check out (else 403)."""
        session: Session = request.state.session
        origin = request.headers.get("origin")
        if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
            raise HTTPException(403, "cross-origin request refused")
        form = await request.form()
        token = request.headers.get("x-csrf-token") or form.get("csrf")
        if not session.csrf_ok(token if isinstance(token, str) else None):
            raise HTTPException(403, "missing or wrong CSRF token: reload the page")
        return session, form

    def wants_json(request: Request) -> bool:
        return "application/json" in request.headers.get("accept", "")

    # -- login -------------------------------------------------------------------------------------

    async def login_page(request: Request, error: str = "", status_code: int = 200) -> Response:
        token = secrets.token_urlsafe(32)
        response = page(request, "login.html", status_code=status_code, csrf=token, error=error)
        response.set_cookie(LOGIN_COOKIE, token, max_age=3600, **cookie_options())
        return response

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return await login_page(request)
        form = await request.form()
        token, cookie = str(form.get("csrf") or ""), request.cookies.get(LOGIN_COOKIE) or ""
        if not token or not hmac.compare_digest(token.encode(), cookie.encode()):
            return await login_page(request, "This form had expired or was not sent from this page: try again.", 403)
        name, password = str(form.get("name") or "").strip(), str(form.get("password") or "")
        client = request.client.host if request.client else "-"
        if not await run_in_threadpool(sessions.login_attempt, name, client):  # counted before the check
            return await login_page(request, "Too many failed attempts. Wait a quarter of an hour.", 429)
        moderator = await run_in_threadpool(accounts.verify, name, password)
        if moderator is None:
            return await login_page(request, "Wrong name or password.", 401)
        await run_in_threadpool(sessions.login_succeeded, name)
        cookie_token, _ = await run_in_threadpool(sessions.start, moderator)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(config.session_cookie, cookie_token, max_age=int(settings.console_session_hours * 3600),
                            **cookie_options())
        response.delete_cookie(LOGIN_COOKIE, path="/")
        return response

    async def logout(request: Request) -> Response:
        await checked_form(request)
        await run_in_threadpool(sessions.end, request.cookies.get(config.session_cookie))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(config.session_cookie, path="/", secure=config.secure_cookies, httponly=True,
                               samesite="strict")
        return response

    # -- the queue ---------------------------------------------------------------------------------

    async def queue_page(request: Request) -> Response:
        q = request.query_params
        order = q.get("order") if q.get("order") in ORDERS else "newest"
        filters: dict[str, str | None] = {"site": q.get("site") or None, "code": q.get("reason") or None,
                                          "head": q.get("head") or None, "lang": q.get("lang") or None}
        view = await run_in_threadpool(lambda: load_queue(
            queue, site=filters["site"], code=filters["code"], head=filters["head"], lang=filters["lang"],
            order=order or "newest"))
        return page(request, "queue.html", view=view, order=order, filters=filters, orders=ORDERS)

    async def act(request: Request) -> Response:
        session, form = await checked_form(request)
        verdict, _, label = str(form.get("verdict") or "").partition(":")
        if verdict not in ("approve", "reject") or label not in REJECT_LABELS or (label and verdict != "reject"):
            raise HTTPException(400, "verdict must be approve, reject:spam or reject:toxic")
        ids = [str(i) for i in form.getlist("ids") if str(i)][:MAX_IDS]
        reason = str(form.get("reason") or "")[:MAX_REASON_CHARS]
        seen = seen_revisions(form.getlist("seen")[:MAX_IDS * 2])
        results = await run_in_threadpool(lambda: queue.verdict(
            ids, verdict, moderator=session.name, reason=reason, label=label or None,  # type: ignore[arg-type]
            seen=seen))
        undone = [r.comment_id for r in results if r.status not in _STATUS_WORDS and r.status != STALE]
        notes = await run_in_threadpool(_decided_notes, conn, prefix, undone)
        payload = [{"id": r.comment_id, "status": r.status, "done": r.status in _STATUS_WORDS,
                    "message": _verdict_message(r.status, notes.get(r.comment_id))} for r in results]
        if wants_json(request):
            return JSONResponse({"results": payload})
        return RedirectResponse("/", status_code=303)

    async def events(request: Request) -> Response:
        token = request.cookies.get(config.session_cookie)

        async def alive() -> bool:
            return await run_in_threadpool(sessions.load, token) is not None

        return StreamingResponse(feed.events(alive), media_type="text/event-stream",
                                 headers={"x-accel-buffering": "no"})

    # -- decisions ---------------------------------------------------------------------------------

    async def decisions_page(request: Request) -> Response:
        query = request.query_params.get("q", "")[:200]
        rows = await run_in_threadpool(search_decisions, conn, prefix, query)
        return page(request, "decisions.html", rows=rows, query=query)

    async def report(request: Request) -> Response:
        session, form = await checked_form(request)
        label = form.get("label")
        if label not in ("spam", "toxic", "ham"):
            raise HTTPException(400, "label must be spam, toxic or ham")
        cid = str(form.get("comment_id") or "")
        reason = str(form.get("reason") or "")[:MAX_REASON_CHARS]
        results = await run_in_threadpool(
            lambda: queue.report([cid], label, moderator=session.name, reason=reason))  # type: ignore[arg-type]
        result = results[0]
        words = {"reported": "Reported: recorded for the next training.", "unchanged": "Already reported so.",
                 "no-text": "Its text is no longer kept: nothing recorded.", "approved": "It was held: approved.",
                 "rejected": "It was held: rejected."}
        payload = {"id": keys.split_ref(cid)[1], "status": result.status, "labels": result.labels,
                   "message": words.get(result.status, result.status)}
        if wants_json(request):
            return JSONResponse(payload)
        return RedirectResponse(f"/decisions?q={keys.split_ref(cid)[1]}", status_code=303)

    # -- the model and the audit -------------------------------------------------------------------

    async def model_page(request: Request) -> Response:
        def gather() -> dict[str, Any]:
            return {"state": model_state(conn, store, config.reports_dir), "mix": decision_mix(conn, prefix),
                    "health": health(conn, store=store, queue=settings.queue, bulk_queue=settings.bulk_queue)}

        return page(request, "model.html", **await run_in_threadpool(gather))

    async def plot(request: Request) -> Response:
        name = request.path_params["name"]
        path = config.reports_dir / "plots" / name
        if not PLOT_NAME.match(name) or not path.is_file():
            raise HTTPException(404, "no such plot")
        return FileResponse(path, media_type="image/png")

    async def audit_page(request: Request) -> Response:
        if not request.state.session.is_admin:
            raise HTTPException(403, "the audit log is for admins")
        entries = await run_in_threadpool(lambda: read_audit(conn, prefix, count=200))
        return page(request, "audit.html", entries=entries)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        detail = str(getattr(exc, "detail", "error"))
        if wants_json(request) or "text/html" not in request.headers.get("accept", "text/html"):
            return JSONResponse({"error": detail}, status_code=status)
        return page(request, "error.html", status_code=status, status=status, detail=detail)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        feed.start()
        try:
            yield
        finally:
            feed.stop()

    app = Starlette(
        routes=[
            Route("/login", login, methods=["GET", "POST"]),
            Route("/logout", logout, methods=["POST"]),
            Route("/", queue_page),
            Route("/act", act, methods=["POST"]),
            Route("/events", events),
            Route("/decisions", decisions_page),
            Route("/report", report, methods=["POST"]),
            Route("/model", model_page),
            Route("/model/plots/{name}", plot),
            Route("/audit", audit_page),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
    return protect(_RequireSession(app, lambda: sessions, config.session_cookie), headers=SECURITY_HEADERS,
                   max_body_bytes=MAX_BODY_BYTES, cacheable=("/static/",))


def _verdict_message(status: str, note: str | None) -> str:
    """What a moderator is told about one verdict: done, or why nothing changed."""
    if status in _STATUS_WORDS:
        return f"{_STATUS_WORDS[status]}."
    if status == STALE:
        return f"Not done: {STALE_MESSAGE}."
    if note:
        return f"Already decided ({note}): nothing changed."
    return "Not held for review (unknown, or no longer kept): nothing changed."


def _decided_notes(redis: Redis, prefix: str, ids: list[str]) -> dict[str, str]:
    """For comments a verdict could not act on: the note of the decision that stands (who decided it)."""
    if not ids:
        return {}
    notes = {}
    for cid, raw in zip(ids, redis.mget([keys.decision_key(prefix, *keys.split_ref(cid)) for cid in ids]), strict=True):
        if raw:
            decision = Decision.from_json(raw)
            notes[cid] = decision.reasons[0].message if decision.reasons else decision.decision
    return notes
