"""Labelled examples from verdicts and reports, and their export for training: the round trip from a held
comment through a moderator's verdict into the decision stream and into a training file."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from redis import Redis

from moderation import keys
from moderation.records import Reason
from moderation.review.feedback import export_feedback, labels_for, mask_text
from moderation.review.queue import ReviewQueue
from tests.helpers import ROOT
from tests.moderation.helpers import run_cli
from tests.moderation.review_fakes import comment, make_handler, write_policy
from training.datasets import detect_format, load_dataset


def held_for(*codes: str) -> list[Reason]:
    return [Reason(code=c, message="", head=c.split(".")[0] if c.split(".")[0] in {"spam", "toxic", "threat"}
                   else None) for c in codes]


@pytest.mark.parametrize(("action", "codes", "label", "labels"), [
    ("reject", ["spam.review"], None, {"spam": 1}),
    ("reject", ["toxic.review"], None, {"toxic": 1}),
    ("reject", ["threat.review"], None, {"threat": 1, "toxic": 1}),
    ("reject", ["words.suspect"], None, {"toxic": 1}),
    ("reject", ["links.too_many", "rate.author"], None, {"spam": 1}),
    ("reject", ["trust.new_author"], None, {"spam": 1}),
    ("reject", ["trust.new_author"], "toxic", {"toxic": 1}),
    ("approve", ["spam.review"], None, {"spam": 0, "toxic": 0}),
    ("approve", ["threat.review"], None, {"spam": 0, "toxic": 0, "threat": 0}),
    ("spam", [], None, {"spam": 1}),
    ("ham", [], None, {"spam": 0, "toxic": 0}),
])
def test_actions_map_to_training_labels(action: str, codes: list[str], label: str | None,
                                        labels: dict[str, int]) -> None:
    assert labels_for(action, held_for(*codes), label) == labels


def test_emails_and_ip_addresses_in_the_text_are_masked() -> None:
    assert mask_text("mail jane.doe@example.com from 192.0.2.44") == "mail user@example.com from 0.0.0.0"


@pytest.mark.integration
def test_held_comment_to_verdict_to_decision_stream_to_training_file(redis: Redis, redis_url: str, prefix: str,
                                                                     tmp_path: Path) -> None:
    # Given a worker that held two comments (spam by the model, an insult by the words rule) from authors
    # with email and IP addresses, and approved a third
    policy = write_policy(tmp_path, words='suspect = ["idiot"]\n')
    handler = make_handler(redis, redis_url, prefix, policy)
    handler.handle([
        comment("f-1", "Cheap watches, write to seller@watches.example {spam=0.7}", author="a1", site="news",
                email="jane@example.com", ip="192.0.2.10"),
        comment("f-2", "you 1d10t", email="joe@example.org", ip="192.0.2.11", site="news"),
        comment("f-3", "A fair point about the budget", ip="192.0.2.12"),
    ])
    queue = ReviewQueue(redis, prefix=prefix, ttl_seconds=600, stream_maxlen=1000)
    # When a moderator rejects the spam, approves the other, and a published one is reported as spam
    queue.verdict(["news f-1"], "reject", moderator="alice")
    queue.verdict(["news f-2"], "approve", moderator="alice")  # ids are scoped by site
    queue.report(["f-3"], "spam", moderator="bob")
    # Then the verdicts are in the decision stream as final decisions
    finals = {f["comment_id"]: json.loads(f["record"]) for _, f in redis.xrange(keys.decisions_stream(prefix))
              if json.loads(f["record"])["reasons"][0]["code"].startswith("moderator.")}
    assert {cid: r["decision"] for cid, r in finals.items()} == {"f-1": "reject", "f-2": "approve"}
    # And the exported file is in the dataset format, read as feedback by training, with the labels
    out = tmp_path / "var" / "feedback.jsonl"
    assert export_feedback(redis, prefix, out) == 3
    assert detect_format(out) == "ours"
    examples = {e.text: dict(e.labels) for e in load_dataset(out, format="feedback")}
    assert examples == {
        "Cheap watches, write to user@watches.example {spam=0.7}": {"spam": 1},
        "you 1d10t": {"spam": 0, "toxic": 0},
        "A fair point about the budget": {"spam": 1},
    }
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["comment_id"], r["verdict"], r["source"], r["site"]) for r in rows] == [
        ("f-1", "reject", "moderator", "news"), ("f-2", "approve", "moderator", "news"), ("f-3", "spam", "report", "")]
    assert all(r["decided_at"] for r in rows) and rows[0]["author"] == "id:a1"
    # And no raw email or IP address is in it
    text = out.read_text()
    for raw in ("jane@example.com", "joe@example.org", "seller@", "192.0.2.1"):
        assert raw not in text


@pytest.mark.integration
def test_a_comment_labelled_twice_is_exported_once_with_merged_labels(redis: Redis, redis_url: str, prefix: str,
                                                                      tmp_path: Path) -> None:
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("m-1", "borderline {spam=0.6}")])
    queue = ReviewQueue(redis, prefix=prefix)
    queue.verdict(["m-1"], "approve", moderator="alice")
    queue.report(["m-1"], "spam", moderator="bob")
    export_feedback(redis, prefix, tmp_path / "out.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(rows) == 1 and rows[0]["spam"] == 1 and rows[0]["toxic"] == 0 and rows[0]["verdict"] == "spam"


@pytest.mark.integration
def test_export_feedback_from_the_cli(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("k-1", "{spam=0.6}")])
    ReviewQueue(redis, prefix=prefix).verdict(["k-1"], "reject", moderator="alice")
    out = tmp_path / "feedback.jsonl"
    result = run_cli(["export-feedback", "--out", str(out)], redis_url, prefix)
    assert result.returncode == 0 and json.loads(result.stdout) == {"out": str(out), "exported": 1}
    assert json.loads(out.read_text())["spam"] == 1


def test_export_feedback_can_skip_an_unreachable_redis(tmp_path: Path, prefix: str) -> None:
    out = tmp_path / "feedback.jsonl"
    down = "redis://127.0.0.1:1/0"
    assert run_cli(["export-feedback", "--out", str(out)], down, prefix).returncode == 4
    skipped = run_cli(["export-feedback", "--out", str(out), "--if-reachable"], down, prefix)
    assert skipped.returncode == 0 and not out.exists()


def test_make_train_includes_the_exported_feedback(tmp_path: Path) -> None:
    # Given an exported feedback file (and make told the environment is installed, and to echo commands)
    exported = tmp_path / "feedback.jsonl"
    exported.write_text('{"text": "x", "spam": 1, "comment_id": "c", "verdict": "spam"}\n')
    # (ARGS and DATA emptied: a make running these tests, e.g. `make test ARGS=...`, passes its own on)
    make = ["make", "-s", "-o", ".venv/.installed", "PY=echo", "ARGS=", "DATA="]
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}}
    # When `make train` runs with and without it, and with explicit data
    with_feedback = subprocess.run([*make, "train", f"FEEDBACK={exported}"], cwd=ROOT, env=env, capture_output=True,
                                   text=True, check=True).stdout.split()
    without = subprocess.run([*make, "train", f"FEEDBACK={tmp_path / 'none.jsonl'}"], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True).stdout.split()
    explicit = subprocess.run([*make, "train", "DATA=mine.jsonl", f"FEEDBACK={exported}"], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True).stdout.split()
    # Then training is told where the feedback export is (it adds the file when present), and gets exactly the
    # data when named
    assert with_feedback[-2:] == ["--feedback", str(exported)]
    assert without[-2:] == ["--feedback", str(tmp_path / "none.jsonl")]
    assert explicit[-4:] == ["--data", "mine.jsonl", "--feedback", str(exported)]
