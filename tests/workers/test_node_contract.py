"""The README's Node.js round trip, run as written with ``node`` and ``ioredis`` against a real worker.

The ``js`` block of the README's raw-Redis section is taken verbatim; a short driver calls its ``submit`` and
``follow``: two comments, their decisions read as a consumer group and acknowledged, then an edit of one,
whose decision comes back as revision 2. ``ioredis`` is installed with npm into a temporary directory once
per session. Skipped, saying so, only when ``node`` is not installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.workers.conftest import RunningWorker

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"

DRIVER = r"""
(async () => {
  const base = process.env.COMMENT_ID, stream = `${prefix}:decisions`;
  await redis.xgroup("CREATE", stream, "node-test", "$", "MKSTREAM");
  const seen = {}, deadline = Date.now() + 90000;
  const apply = async (commentId, decision, record, site) => {
    seen[`${site || ""}/${commentId}#${record.revision}`] = decision;
  };
  // Submit while follow is blocked reading (one process, as a backend runs both): a submit must not wait
  // behind the blocking read, so no read may time out empty before it is done.
  let submitted = false, emptyBeforeSubmit = 0;
  const read = reader.xreadgroup.bind(reader);
  reader.xreadgroup = async (...args) => {
    const reply = await read(...args);
    if (!reply && !submitted) emptyBeforeSubmit++;
    return reply;
  };
  const following = follow(apply, { group: "node-test", consumer: "n1",
                                     stop: () => Object.keys(seen).length >= 2 || Date.now() > deadline });
  await new Promise((resolve) => setTimeout(resolve, 200));  // let follow's first blocking read start
  await submit([{ id: `${base}-1`, body: "Great interview with the new head teacher, very informative.",
                  site: "news", author: { id: "u-1", name: "Ana" } },
                { id: `${base}-2`, body: "EARN $5000 a week from home!!! Visit www.quick-cash-profits.biz now" }]);
  submitted = true;
  await following;
  await submit([{ id: `${base}-1`, site: "news",
                  body: "You are a pathetic idiot and everyone here hates you, shut up" }]);
  await follow(apply, { group: "node-test", consumer: "n1",
                        stop: () => `news/${base}-1#2` in seen || Date.now() > deadline });
  const pending = await reader.xpending(stream, "node-test");
  console.log(JSON.stringify({ seen, pending: pending[0], emptyBeforeSubmit }));
  await redis.quit(); await reader.quit();
})().catch((error) => { console.error(error); process.exit(1); });
"""


def readme_js() -> str:
    """The ``js`` code block of the README's raw-Redis section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### From any language, with raw Redis"):]
    match = re.search(r"```js\n(.*?)```", section, re.DOTALL)
    assert match, "the README has no js block in its raw-Redis section"
    return match.group(1)


@pytest.fixture(scope="session")
def node_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary npm project with ``ioredis`` installed."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the README's Node.js contract cannot be run here")
    npm = shutil.which("npm")
    assert npm, "node is installed but npm is not: cannot install ioredis"
    root = tmp_path_factory.mktemp("node")
    (root / "package.json").write_text(json.dumps({"name": "contract-test", "private": True}))
    result = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "ioredis@5"], cwd=root,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"npm install ioredis failed: {result.stderr[-2000:]}"
    return root


def test_the_readme_node_code_submits_reads_acknowledges_and_edits(node_project: Path, worker: RunningWorker,
                                                                    uid: str) -> None:
    # Given the README's Node.js code, with a driver calling its submit and follow
    script = node_project / "contract.js"
    script.write_text(readme_js() + DRIVER, encoding="utf-8")
    env = {**os.environ, "REDIS_URL": worker.redis_url, "MODERATION_PREFIX": worker.prefix,
           "MODERATION_QUEUE": worker.queue, "COMMENT_ID": f"node-{uid}"}
    # When node runs it against the real worker
    result = subprocess.run(["node", str(script)], cwd=node_project, env=env, capture_output=True, text=True,
                            timeout=240, check=False)
    # Then both comments were decided and acknowledged, the spam held back, and the edit came back as revision 2
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    seen = report["seen"]
    assert seen[f"news/node-{uid}-1#1"] == "approve"
    assert seen[f"/node-{uid}-2#1"] in {"review", "reject"}
    assert seen[f"news/node-{uid}-1#2"] in {"review", "reject"}
    assert report["pending"] == 0
    # And submitting never waited behind follow's blocking read (separate connections)
    assert report["emptyBeforeSubmit"] == 0
