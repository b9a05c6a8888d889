"""The HTTP API's application (Starlette): ``/v1`` paths, per-site keys, limits.

* ``POST /v1/comments`` -- one comment object or an array of at most ``api_max_batch``: validated by the
  client's schemas and queued exactly as :meth:`ModerationClient.submit_many` queues them. 202 with a receipt
  per comment; 422 with the field errors when none was accepted.
* ``GET /v1/decisions/{id}`` (``?wait=S``, at most :data:`MAX_WAIT_SECONDS`) -- 200 the decision record,
  202 pending, 422 refused (with the errors), 404 unknown.
* ``POST /v1/comments/{id}/reports`` -- a report (spam, ham, abusive) recorded as
  :meth:`moderation.review.queue.ReviewQueue.report` records a moderator's.
* ``GET /v1/health`` and ``GET /v1/openapi.json`` need no key; everything else needs
  ``Authorization: Bearer KEY`` (401 without a live key, 429 with ``Retry-After`` past ``api_rate_limit``
  requests per second). Bodies over ``api_max_body_bytes`` are refused (413) before they are read.

Redis is reached with the blocking client the rest of the project uses, in Starlette's thread pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

from redis import Redis
from redis.exceptions import RedisError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from moderation import keys
from moderation.intake.client import ModerationClient, Receipt, Refusal
from moderation.review.queue import ReviewQueue
from moderation.settings import Settings
from moderation.web.api.lookup import DECIDED, PENDING, REFUSED, Standing, standing
from moderation.web.api.waiting import DecisionWaiter
from moderation.web.auth import ApiKey, ApiKeys, bearer_token
from moderation.web.limits import FixedWindow
from moderation.web.server import BASE_HEADERS, protect

log = logging.getLogger(__name__)
OPENAPI_FILE = Path(__file__).resolve().parent / "data" / "openapi.json"
#: The longest ``?wait=`` a decision request may ask for.
MAX_WAIT_SECONDS = 30.0
#: Report kinds -> the label :meth:`ReviewQueue.report` records (``abusive``: the ``toxic`` label).
REPORT_KINDS: dict[str, Literal["spam", "ham", "toxic"]] = {"spam": "spam", "ham": "ham", "abusive": "toxic"}
MAX_REASON_CHARS = 500
API_HEADERS = (*BASE_HEADERS, (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"))
_STATUS_CODES = {DECIDED: 200, PENDING: 202, REFUSED: 422}


def _json(data: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(data, status_code=status_code, headers=headers)


def _refused(errors: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**extra, "status": "refused", "errors": errors}


def create_app(settings: Settings, redis: Redis | None = None) -> ASGIApp:
    """The API application.

    :param settings: the validated settings (prefix, queues, limits).
    :param redis: the connection (default: :func:`moderation.intake.client.connect` for the settings).
    """
    from moderation.intake.client import connect

    conn = redis or connect(settings)
    prefix = settings.prefix
    client = ModerationClient(conn, prefix=prefix, queue=settings.queue, batch_size=settings.batch_size,
                              bulk_queue=settings.bulk_queue)
    review = ReviewQueue(conn, prefix=prefix, ttl_seconds=settings.decision_ttl_seconds,
                         stream_maxlen=settings.stream_maxlen)
    api_keys = ApiKeys(conn, prefix)
    rate = FixedWindow(settings.api_rate_limit, 1)
    waiter = DecisionWaiter(conn, prefix)
    openapi = OPENAPI_FILE.read_bytes()

    def unauthorized() -> HTTPException:
        return HTTPException(401, "a valid API key is needed: Authorization: Bearer KEY",
                             headers={"WWW-Authenticate": 'Bearer realm="moderation"'})

    def presented(request: Request) -> str:
        """The presented key; 401 at once (before the body is read) when there is none."""
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            raise unauthorized()
        return token

    def checked(token: str) -> ApiKey:
        """The key's record, the request counted (blocking: call it in the thread pool, with the request's
        other Redis work, one hop per request); 401 unless it is live, 429 past its rate."""
        now = time.time()
        key, count = api_keys.verify_and_count(token, rate.window(now), rate.seconds)
        if key is None:
            raise unauthorized()
        if count > rate.limit:
            raise HTTPException(429, f"more than {rate.limit} requests per second with this key",
                                headers={"Retry-After": str(rate.retry_after(now))})
        return key

    def parsed(body: bytes) -> Any:
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            raise HTTPException(400, "the body must be JSON") from None

    # -- comments ----------------------------------------------------------------------------------

    def submit(site: str, items: list[Any]) -> list[dict[str, Any]]:
        """Queue the comments of one request for ``site``: one result per item, in order."""
        results: list[dict[str, Any] | None] = [None] * len(items)
        accepted: list[tuple[int, dict[str, Any]]] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                results[index] = _refused({"_schema": ["must be a JSON object"]}, index=index)
            elif item.get("site") not in (None, site):
                results[index] = _refused({"site": [f"must be this key's site ({site}) or left out"]}, index=index)
            else:
                accepted.append((index, {**item, "site": site}))
        outcomes = client.submit_many([p for _, p in accepted]) if accepted else []
        for (index, _), outcome in zip(accepted, outcomes, strict=True):
            if isinstance(outcome, Refusal):
                results[index] = _refused(outcome.errors, index=index)
            else:
                assert isinstance(outcome, Receipt)
                results[index] = outcome.to_dict()
        return [r for r in results if r is not None]

    def comments(token: str, body: bytes) -> Response:
        key = checked(token)
        data = parsed(body)
        single = not isinstance(data, list)
        items = [data] if single else data
        if not single and not 1 <= len(items) <= settings.api_max_batch:
            return _json(_refused({"_schema": [f"must hold 1 to {settings.api_max_batch} comments"]}), 422)
        results = submit(key.site, items)
        accepted = any(r["status"] != "refused" for r in results)
        if single:
            result = {k: v for k, v in results[0].items() if k != "index"}
            return _json(result, 202 if accepted else 422)
        return _json({"results": results}, 202 if accepted else 422)

    async def post_comments(request: Request) -> Response:
        token = presented(request)
        response: Response = await run_in_threadpool(comments, token, await request.body())
        return response

    # -- decisions ---------------------------------------------------------------------------------

    async def get_decision(request: Request) -> Response:
        token = presented(request)
        comment_id = request.path_params["id"]
        try:
            wait = float(request.query_params.get("wait") or 0)
        except ValueError:
            wait = -1.0
        if not 0 <= wait <= MAX_WAIT_SECONDS:
            raise HTTPException(400, f"wait must be a number of seconds from 0 to {MAX_WAIT_SECONDS:g}")
        deadline = time.monotonic() + wait
        def first_look() -> tuple[ApiKey, Standing]:
            key = checked(token)
            return key, standing(conn, prefix, key.site, comment_id)

        if not wait:
            key, found = await run_in_threadpool(first_look)
        else:
            with waiter.watch(comment_id) as announced:
                key, found = await run_in_threadpool(first_look)
                while found.status == PENDING and (remaining := deadline - time.monotonic()) > 0:
                    # Woken by the announcement; read again at least every second in case one was missed.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(announced.wait(), timeout=min(remaining, 1.0))
                    announced.clear()
                    found = await run_in_threadpool(standing, conn, prefix, key.site, comment_id)
        if found.status == DECIDED:
            assert found.decision is not None
            return _json(found.decision.to_dict())
        if found.status == REFUSED:
            return _json(_refused(found.errors or {}, id=comment_id), 422)
        message = "no decision yet" if found.status == PENDING else "no such comment of this site (or expired)"
        return _json({"id": comment_id, "status": found.status, "error": message},
                     _STATUS_CODES.get(found.status, 404))

    # -- reports -----------------------------------------------------------------------------------

    async def post_report(request: Request) -> Response:
        token = presented(request)
        comment_id = request.path_params["id"]
        body = await request.body()

        def report() -> dict[str, Any]:
            key = checked(token)
            data = parsed(body)
            kind = data.get("kind") if isinstance(data, dict) else None
            if not isinstance(kind, str) or kind not in REPORT_KINDS:
                return _refused({"kind": ["must be spam, ham or abusive"]}, id=comment_id)
            source = data.get("source", "backend")
            if not isinstance(source, str) or source not in ("backend", "reader"):
                return _refused({"source": ["must be backend or reader"]}, id=comment_id)
            reason = str(data.get("reason") or "")[:MAX_REASON_CHARS]
            found = standing(conn, prefix, key.site, comment_id)
            if found.status != DECIDED:
                return {"id": comment_id, "status": found.status}
            ref = keys.comment_ref(key.site, comment_id)
            held = review.get([ref])[ref]
            if held is not None:  # already in front of a moderator: a report never decides it
                return {"id": comment_id, "status": "held"}
            result = review.report([ref], REPORT_KINDS[kind], moderator=f"api:{key.site}:{source}",
                                   reason=reason)[0]
            return {"id": comment_id, "status": result.status}

        outcome = await run_in_threadpool(report)
        codes = {"reported": 202, "unchanged": 202, "held": 202, "pending": 409, "unknown": 404, "refused": 422}
        return _json(outcome, codes.get(outcome["status"], 409))

    # -- open ----------------------------------------------------------------------------------------

    async def health(request: Request) -> Response:
        try:
            await run_in_threadpool(conn.ping)
        except RedisError:
            return _json({"status": "unavailable", "redis": False}, 503)
        return _json({"status": "ok", "redis": True})

    async def openapi_document(request: Request) -> Response:
        return Response(openapi, media_type="application/json")

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        return _json({"error": str(getattr(exc, "detail", "error"))}, status, getattr(exc, "headers", None))

    async def redis_error(request: Request, exc: Exception) -> Response:
        log.warning("api: Redis unavailable: %s", exc)
        return _json({"error": "the moderation service's Redis is unavailable: try again"}, 503,
                     {"Retry-After": "1"})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        waiter.start()
        try:
            yield
        finally:
            waiter.stop()

    app = Starlette(
        routes=[
            Route("/v1/comments", post_comments, methods=["POST"]),
            Route("/v1/decisions/{id:path}", get_decision, methods=["GET"]),
            Route("/v1/comments/{id:path}/reports", post_report, methods=["POST"]),
            Route("/v1/health", health, methods=["GET"]),
            Route("/v1/openapi.json", openapi_document, methods=["GET"]),
        ],
        exception_handlers={HTTPException: http_error, RedisError: redis_error},
        lifespan=lifespan,
    )
    return protect(app, headers=API_HEADERS, max_body_bytes=settings.api_max_body_bytes)
