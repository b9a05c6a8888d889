"""Training's command line on bad data: one clear line on stderr and exit 2, never a traceback; ``--format``
(``FORMAT=`` with make) names a file's format when it cannot be told."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_training(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    return subprocess.run([sys.executable, "-m", "training", "--no-redis", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("yes.csv", "text,spam\nhello there,yes\n", "line 2: label 'spam' must be 0 or 1"),
    ("columns.csv", "foo,bar\n1,2\n", "name it with --format"),
    ("ragged.csv", 'text,spam\n"never closed,1\n', "line 2"),
    ("broken.jsonl", '{"text": "a", "spam": 1}\n{oops\n', "line 2: invalid JSON"),
    ("missing.csv", None, "dataset file not found"),
])
@pytest.mark.parametrize("verb", ["train", "evaluate"])
def test_bad_training_data_is_one_clear_line_and_exit_2(tmp_path: Path, verb: str, name: str,
                                                        content: str | None, expected: str) -> None:
    # Given a dataset file that is wrong in one way (or absent)
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    # When training or evaluation is run on it
    extra = ["--out", str(tmp_path / "models")] if verb == "train" else ["--model", str(tmp_path / "none")]
    result = run_training([verb, "--data", str(path), *extra])
    # Then it stops with exit 2 and one line naming the problem, without a traceback
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("training: error: ") and expected in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_format_names_the_format_the_error_message_points_to(tmp_path: Path) -> None:
    # Given a file whose format cannot be detected
    path = tmp_path / "export.txt"
    path.write_text("foo,bar\n1,2\n")
    # When it is named as a Jigsaw file with --format
    result = run_training(["train", "--data", str(path), "--format", "jigsaw", "--out", str(tmp_path / "m")])
    # Then the Jigsaw reader reads it, and says which of its columns are missing
    assert result.returncode == 2
    assert "not a Jigsaw file: missing column(s) comment_text" in result.stderr
    # And an unknown format is a usage error listing the known ones
    unknown = run_training(["train", "--data", str(path), "--format", "excel"])
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr and "jigsaw" in unknown.stderr


def test_make_passes_format_and_reports_the_health_exit_code(tmp_path: Path) -> None:
    # Given make, FORMAT= and an unreachable Redis
    if not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("make targets need the project's .venv (make install)")
    path = tmp_path / "export.txt"
    path.write_text("foo,bar\n1,2\n")
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:1/0"}
    # When make train is given FORMAT=youtube, and make health runs
    train = subprocess.run(["make", "-s", "train", f"DATA={path}", "FORMAT=youtube", f"ARGS=--out {tmp_path}"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    health = subprocess.run(["make", "-s", "health"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    # Then the reader named by FORMAT read the file, and health's own exit code (4) is reported by make
    assert "not a YouTube Spam Collection file" in train.stderr, train.stderr
    assert "moderation health exited 4" in health.stderr and "Error 4" in health.stderr, health.stderr
