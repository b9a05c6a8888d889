"""The HTTP API against a real server, a real worker and a real Redis: two sites' keys, refusals with the client's
field errors, edits and duplicates, refused comments, reports, revoked keys, body and rate limits."""

from __future__ import annotations

import io
import json

import pytest
from marshmallow import ValidationError

from harness.web_process import ApiServer, request
from moderation import keys
from moderation.cli.main import main
from moderation.intake.schemas import load_comment
from moderation.intake.wire import task_message_from_json
from tests.moderation.web.api.conftest import Stack

pytestmark = pytest.mark.integration

FINE = "Thanks for the clear reporting on the council budget, very useful."


def test_each_site_submits_and_reads_its_own_comments_only(stack: Stack, uid: str) -> None:
    # Given keys of two sites
    news, blog = stack.key("news-a"), stack.key("blog-b")
    # When each submits a comment (the site is left out: the key decides it)
    status, receipt, _ = request(stack.url, "POST", "/v1/comments", {"id": f"a-{uid}", "body": FINE}, key=news)
    assert (status, receipt) == (202, {"id": f"a-{uid}", "status": "queued", "revision": 1, "site": "news-a"})
    assert request(stack.url, "POST", "/v1/comments", {"id": f"b-{uid}", "body": FINE}, key=blog)[0] == 202
    # Then each reads its own decision, decided by the worker, with its site
    status, decision, _ = request(stack.url, "GET", f"/v1/decisions/a-{uid}?wait=30", key=news)
    assert status == 200 and decision["comment_id"] == f"a-{uid}" and decision["site"] == "news-a"
    assert decision["decision"] in ("approve", "review", "reject") and decision["revision"] == 1
    # And neither can read or submit as the other: the same id on another site is another comment
    status, answer, _ = request(stack.url, "GET", f"/v1/decisions/a-{uid}", key=blog)
    assert (status, answer["status"]) == (404, "unknown")
    status, answer, _ = request(stack.url, "POST", "/v1/comments", {"id": f"a-{uid}", "body": "mine now"}, key=blog)
    assert (status, answer) == (202, {"id": f"a-{uid}", "status": "queued", "revision": 1, "site": "blog-b"})
    status, decision, _ = request(stack.url, "GET", f"/v1/decisions/a-{uid}?wait=30", key=news)
    assert status == 200 and decision["site"] == "news-a" and decision["revision"] == 1
    status, answer, _ = request(stack.url, "POST", "/v1/comments",
                                {"id": f"c-{uid}", "body": FINE, "site": "news-a"}, key=blog)
    assert status == 422 and "site" in answer["errors"]
    assert request(stack.url, "POST", f"/v1/comments/b-{uid}/reports", {"kind": "spam"}, key=news)[0] == 404


def test_refusals_carry_the_clients_field_errors(stack: Stack, uid: str) -> None:
    key = stack.key("news-a")
    bad = {"id": f"r-{uid}", "body": "   ", "author": {"email": "not-an-email"}, "colour": "red"}
    with pytest.raises(ValidationError) as refused:
        load_comment({**bad, "site": "news-a"})
    # When one invalid comment is submitted: 422 with the same errors as the Python client's
    status, answer, _ = request(stack.url, "POST", "/v1/comments", bad, key=key)
    assert (status, answer) == (422, {"status": "refused", "errors": refused.value.messages})
    # When a batch mixes them: 202, a result per comment in order, the valid ones queued
    status, answer, _ = request(stack.url, "POST", "/v1/comments",
                                [{"id": f"ok-{uid}", "body": FINE}, bad, "not an object"], key=key)
    assert status == 202
    assert answer["results"][0] == {"id": f"ok-{uid}", "status": "queued", "revision": 1, "site": "news-a"}
    assert answer["results"][1] == {"index": 1, "status": "refused", "errors": refused.value.messages}
    assert answer["results"][2]["errors"] == {"_schema": ["must be a JSON object"]}
    # And a batch over the limit, a body that is not JSON, and one over the size bound are refused whole
    too_many = [{"id": f"m-{uid}-{i}", "body": FINE} for i in range(101)]
    assert request(stack.url, "POST", "/v1/comments", too_many, key=key)[0] == 422
    assert request(stack.url, "POST", "/v1/comments", raw=b"{not json", key=key)[0] == 400
    status, answer, _ = request(stack.url, "POST", "/v1/comments", raw=b"x" * (2 * 1024 * 1024 + 1), key=key)
    assert status == 413 and "larger than" in answer["error"]
    assert not stack.redis.hexists(keys.pending_payload_key(stack.prefix), keys.comment_ref("news-a", f"m-{uid}-0"))


def test_an_edit_is_queued_as_the_next_revision_and_a_repeat_is_a_duplicate(stack: Stack, uid: str) -> None:
    key = stack.key("news-a")
    comment = {"id": f"e-{uid}", "body": FINE}
    assert request(stack.url, "POST", "/v1/comments", comment, key=key)[1]["revision"] == 1
    assert request(stack.url, "GET", f"/v1/decisions/e-{uid}?wait=30", key=key)[0] == 200
    # When the same body comes again, then another one
    status, again, _ = request(stack.url, "POST", "/v1/comments", comment, key=key)
    assert status == 202 and again["status"] == "duplicate" and again["decision"]["comment_id"] == f"e-{uid}"
    status, edit, _ = request(stack.url, "POST", "/v1/comments", {**comment, "body": FINE + " Edited."}, key=key)
    assert (status, edit["status"], edit["revision"]) == (202, "queued", 2)
    # Then the edit's decision replaces the first, as revision 2 (the sweep's pending payload carries the site)
    payload = stack.redis.hget(keys.pending_payload_key(stack.prefix), keys.comment_ref("news-a", f"e-{uid}"))
    assert payload is None or json.loads(payload)["site"] == "news-a"
    from tests.helpers import wait_until
    wait_until(lambda: request(stack.url, "GET", f"/v1/decisions/e-{uid}", key=key)[1].get("revision") == 2, 60)


def test_pending_refused_and_unknown_have_their_own_status_codes(stack: Stack, uid: str) -> None:
    key = stack.key("news-a")
    assert request(stack.url, "GET", f"/v1/decisions/never-{uid}", key=key)[:2] == (
        404, {"id": f"never-{uid}", "status": "unknown", "error": "no such comment of this site (or expired)"})
    assert request(stack.url, "GET", f"/v1/decisions/x-{uid}?wait=99", key=key)[0] == 400
    # Given a comment accepted but not decided yet (in the pending set, no message for the worker)
    stack.redis.zadd(keys.pending_key(stack.prefix), {keys.comment_ref("news-a", f"p-{uid}"): 1})
    stack.redis.hset(keys.pending_payload_key(stack.prefix), keys.comment_ref("news-a", f"p-{uid}"),
                     json.dumps({"id": f"p-{uid}", "body": FINE, "site": "news-a"}))
    status, answer, _ = request(stack.url, "GET", f"/v1/decisions/p-{uid}?wait=0.5", key=key)
    assert (status, answer["status"]) == (202, "pending")
    # Given a message a worker refuses (pushed raw, as a producer with a bug would)
    invalid = json.dumps({"id": f"bad-{uid}", "body": "", "site": "news-a"})
    stack.redis.lpush(f"{stack.prefix}-q", task_message_from_json([invalid], [f"bad-{uid}"], submitted_at_ms=1,
                                                                  queue=f"{stack.prefix}-q"))
    # Then it reads as refused, with the worker's errors
    from tests.helpers import wait_until
    wait_until(lambda: request(stack.url, "GET", f"/v1/decisions/bad-{uid}", key=key)[0] == 422, 60)
    answer = request(stack.url, "GET", f"/v1/decisions/bad-{uid}", key=key)[1]
    assert answer["status"] == "refused" and "body" in json.dumps(answer["errors"])


def test_reports_land_where_moderators_reports_do(stack: Stack, uid: str) -> None:
    key = stack.key("news-a")
    request(stack.url, "POST", "/v1/comments", {"id": f"s-{uid}", "body": FINE}, key=key)
    decision = request(stack.url, "GET", f"/v1/decisions/s-{uid}?wait=30", key=key)[1]
    # When a reader reports it as spam through the backend
    status, answer, _ = request(stack.url, "POST", f"/v1/comments/s-{uid}/reports",
                                {"kind": "spam", "source": "reader", "reason": "link farm"}, key=key)
    # Then it is recorded as the report-spam of moderation/review/queue.py: label, training example, audit entry
    if decision["decision"] == "review":
        assert (status, answer["status"]) == (202, "held")
        return
    assert (status, answer) == (202, {"id": f"s-{uid}", "status": "reported"})
    assert stack.redis.get(keys.label_key(stack.prefix, "news-a", f"s-{uid}")) == "spam"
    audit = [fields for _, fields in stack.redis.xrange(keys.audit_stream(stack.prefix))
             if fields.get("comment_id") == f"s-{uid}" and fields.get("action") == "report-spam"]
    assert audit and audit[0]["actor"] == "api:news-a:reader" and audit[0]["why"] == "link farm"
    # And the same report again changes nothing; a bad kind is refused
    assert request(stack.url, "POST", f"/v1/comments/s-{uid}/reports", {"kind": "spam"}, key=key)[1]["status"] \
        == "unchanged"
    status, answer, _ = request(stack.url, "POST", f"/v1/comments/s-{uid}/reports", {"kind": "rude"}, key=key)
    assert status == 422 and "kind" in answer["errors"]


def test_keys_are_checked_on_every_request_and_revoked_at_once(stack: Stack, uid: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", stack.env["REDIS_URL"])
    monkeypatch.setenv("MODERATION_PREFIX", stack.prefix)
    # Given a key made with the command, printed once, alone on its last line
    out = io.StringIO()
    assert main(["api-keys", "add", "news-a"], out=out) == 0
    lines = out.getvalue().splitlines()
    record, key = json.loads(lines[0]), lines[-1]
    assert key.startswith("mk_") and key not in lines[0] and key not in stack.redis.hkeys(
        keys.api_keys_key(stack.prefix))
    comment = {"id": f"k-{uid}", "body": FINE}
    assert request(stack.url, "POST", "/v1/comments", comment, key=key)[0] == 202
    # When requests come without a key, with a wrong one, then after it is revoked
    status, _, headers = request(stack.url, "POST", "/v1/comments", comment)
    assert status == 401 and headers["www-authenticate"].startswith("Bearer")
    assert request(stack.url, "GET", f"/v1/decisions/k-{uid}", key=key + "x")[0] == 401
    out = io.StringIO()
    assert main(["api-keys", "revoke", record["id"]], out=out) == 0
    # Then each is refused at once; health and the OpenAPI document need no key
    assert request(stack.url, "GET", f"/v1/decisions/k-{uid}", key=key)[0] == 401
    assert request(stack.url, "GET", "/v1/health")[:2] == (200, {"status": "ok", "redis": True})
    assert request(stack.url, "GET", "/v1/openapi.json")[1]["openapi"].startswith("3.")


def test_a_key_over_its_rate_is_told_when_to_come_back(stack: Stack, tmp_path: pytest.TempPathFactory) -> None:
    # Given a server allowing 3 requests per second per key
    with ApiServer({**stack.env, "MODERATION_API_RATE_LIMIT": "3"}) as server:
        server.wait_ready()
        key, other = stack.key("news-a"), stack.key("news-a")
        # When one key makes more requests than that within a second (the window may turn once meanwhile)
        statuses = [request(server.url, "GET", "/v1/decisions/none", key=key) for _ in range(8)]
        # Then the surplus is refused with 429 and Retry-After, and another key is not affected
        refused = [s for s in statuses if s[0] == 429]
        assert refused and refused[0][2]["retry-after"] == "1" and "requests per second" in refused[0][1]["error"]
        assert request(server.url, "GET", "/v1/decisions/none", key=other)[0] == 404


def test_without_redis_the_api_says_so_with_503(tmp_path: pytest.TempPathFactory) -> None:
    from harness.web_process import free_port
    from tests.helpers import wait_until

    # Given an API server whose Redis does not answer
    env = {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0", "MODERATION_CLIENT_RETRY": "0"}
    with ApiServer(env) as server:
        wait_until(lambda: _status(server.url, "GET", "/v1/health") == 503, 60, interval=0.1)
        # Then a request that needs Redis is answered 503 with a JSON error, not a bare 500
        status, answer, headers = request(server.url, "POST", "/v1/comments", {"id": "x", "body": FINE},
                                          key="mk_0_x")
        assert status == 503 and "Redis" in answer["error"] and headers["retry-after"] == "1"


def _status(url: str, method: str, path: str) -> int | None:
    try:
        return request(url, method, path, timeout=5)[0]
    except OSError:
        return None


def test_a_streamed_body_is_cut_off_at_the_bound(stack: Stack) -> None:
    import http.client

    # Given a body sent in chunks, with no Content-Length, larger than the bound
    host, port = stack.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    chunks = (b"[" + b" " * 65536 for _ in range(40))
    conn.request("POST", "/v1/comments", body=chunks, encode_chunked=True,
                 headers={"Authorization": f"Bearer {stack.key('news-a')}", "Content-Type": "application/json"})
    # Then it is refused with 413 once past the bound, before anything parses it
    response = conn.getresponse()
    assert response.status == 413 and b"larger than" in response.read()
    conn.close()
    # And one within the bound is read whole and accepted
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    body = json.dumps({"id": "chunked-1", "body": FINE}).encode()
    conn.request("POST", "/v1/comments", body=(body[i:i + 7] for i in range(0, len(body), 7)), encode_chunked=True,
                 headers={"Authorization": f"Bearer {stack.key('chunks')}", "Content-Type": "application/json"})
    response = conn.getresponse()
    assert response.status == 202 and json.loads(response.read())["status"] == "queued"
    conn.close()
