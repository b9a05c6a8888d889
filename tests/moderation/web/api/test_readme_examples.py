"""The README's HTTP examples, run as written: the curl commands with bash and curl, the Node.js code with node
(its built-in ``fetch``), against the real API server and worker; the webhook signature checks in Node and
Python against signatures the deliverer makes. PHP is run only where ``php`` is installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from typing import Any

import pytest

from harness.web_process import request
from moderation.publishing.webhooks import signature
from tests.helpers import repo_root, wait_until
from tests.moderation.web.api.conftest import Stack

pytestmark = pytest.mark.integration


def section(title: str) -> str:
    """The README's text from the heading ``title`` to the next heading of its level."""
    text = (repo_root() / "README.md").read_text(encoding="utf-8")
    start = text.index(f"### {title}")
    end = text.find("\n### ", start + 4)
    return text[start:end]


def blocks(title: str, language: str) -> list[str]:
    """The code blocks of one language in a README section."""
    return re.findall(rf"```{language}\n(.*?)```", section(title), re.DOTALL)


def json_values(text: str) -> list[Any]:
    """The JSON values printed one after another (curl -s adds no newline)."""
    decoder, values, at = json.JSONDecoder(), [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        value, at = decoder.raw_decode(text, at)
        values.append(value)
    return values


def environment(stack: Stack) -> dict[str, str]:
    return {**os.environ, "MODERATION_API": stack.url, "MODERATION_API_KEY": stack.key("news-example")}


def test_the_curl_commands_submit_and_read(stack: Stack) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    # Given the README's curl block (the one that submits), run as written with the API's address and a key
    script = next(b for b in blocks("Over HTTP, from any language", "sh") if "curl" in b)
    env = environment(stack)
    result = subprocess.run(["bash", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    # Then the comment was queued and its decision (or, on a slow machine, "pending") came back
    receipt, answer = json_values(result.stdout)
    assert receipt == {"id": "c-1001", "status": "queued", "revision": 1, "site": "news-example"}
    assert answer.get("comment_id") == "c-1001" or answer["status"] == "pending"
    wait_until(lambda: request(stack.url, "GET", "/v1/decisions/c-1001", key=env["MODERATION_API_KEY"])[0] == 200,
               60)


NODE_DRIVER = """
(async () => {
  const id = process.env.COMMENT_ID;
  const queued = await submit({ id, body: "Thanks, the map of the new cycle lanes is really helpful." });
  const batch = await submit([{ id: `${id}-b`, body: "Agreed, well explained." }, { id: `${id}-c`, body: " " }]);
  const decided = await decision(id, 20);
  const reported = await report(id, "spam");
  console.log(JSON.stringify({ queued, batch, decided, reported }));
})().catch((error) => { console.error(error); process.exit(1); });
"""


def test_the_node_code_submits_reads_and_reports(stack: Stack, uid: str, tmp_path: Any) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    # Given the README's Node.js block, with a driver calling submit, decision and report
    script = tmp_path / "api.js"
    script.write_text(blocks("Over HTTP, from any language", "js")[0] + NODE_DRIVER, encoding="utf-8")
    result = subprocess.run(["node", str(script)], env={**environment(stack), "COMMENT_ID": f"node-{uid}"},
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    # Then each call answered as the README says
    assert out["queued"] == {"status": 202, "data": {"id": f"node-{uid}", "status": "queued", "revision": 1,
                                                     "site": "news-example"}}
    assert out["batch"]["status"] == 202 and out["batch"]["data"]["results"][1]["status"] == "refused"
    assert out["decided"]["status"] == 200 and out["decided"]["data"]["comment_id"] == f"node-{uid}"
    assert out["reported"]["status"] == 202 and out["reported"]["data"]["status"] in ("reported", "held")


BODY = b'{"type":"decision","comment_id":"c-1"}'


def test_the_node_signature_check_accepts_ours_and_refuses_a_tampered_body() -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    code = blocks("Decisions pushed to you: signed webhooks", "js")[0] + f"""
const header = {json.dumps(signature("whsec_x", BODY))}, body = Buffer.from({json.dumps(BODY.decode())});
console.log(JSON.stringify([verifyModeration("whsec_x", body, header), verifyModeration("whsec_y", body, header),
  verifyModeration("whsec_x", Buffer.from("{{}}"), header)]));
"""
    result = subprocess.run(["node", "-e", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, False, False]


def test_the_python_signature_check_accepts_ours_and_refuses_a_tampered_body() -> None:
    namespace: dict[str, Any] = {}
    exec(blocks("Decisions pushed to you: signed webhooks", "python")[0], namespace)
    verify = namespace["verify_moderation"]
    header = signature("whsec_x", BODY)
    assert verify("whsec_x", BODY, header) and not verify("whsec_y", BODY, header)
    assert not verify("whsec_x", BODY + b" ", header)
    assert not verify("whsec_x", BODY, signature("whsec_x", BODY, timestamp=1))


def test_the_php_signature_check_where_php_is_installed() -> None:
    if shutil.which("php") is None:
        pytest.skip("php is not installed: the README's PHP code is not run here")
    code = blocks("Decisions pushed to you: signed webhooks", "php")[0] + (
        f"\nvar_export(moderation_verify('whsec_x', '{BODY.decode()}', '{signature('whsec_x', BODY)}'));")
    result = subprocess.run(["php", "-r", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.strip() == "true", result.stderr
