"""Evaluation: metrics, the readable table, JSON report and plots."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.training.tiny import tiny_examples, trained_bundle, write_jsonl
from training.bundle import read_metadata
from training.cli import main
from training.evaluate import compare_reports, format_table, head_metrics


def test_head_metrics_at_a_threshold() -> None:
    # Given labels and scores / When measured at 0.5
    y = np.array([0, 0, 1, 1, 1])
    p = np.array([0.1, 0.6, 0.4, 0.8, 0.9])
    metrics = head_metrics(y, p, 0.5)
    # Then the confusion matrix is [[tn, fp], [fn, tp]] and the ratios follow from it
    assert metrics["confusion"] == [[1, 1], [1, 2]]
    assert metrics["precision"] == pytest.approx(2 / 3) and metrics["recall"] == pytest.approx(2 / 3)
    assert metrics["n"] == 5 and 0.5 < metrics["roc_auc"] <= 1.0
    # And a single-class head has no ranking metrics rather than an error
    assert head_metrics(np.array([1, 1]), np.array([0.2, 0.9]))["roc_auc"] is None


def test_compare_reports_names_regressions_beyond_the_tolerance() -> None:
    new = {"spam": {"average_precision": 0.90, "roc_auc": 0.95}, "toxic": {"average_precision": 0.80}}
    old = {"spam": {"average_precision": 0.95, "roc_auc": 0.951}, "toxic": {"average_precision": 0.70}}
    worse, comparison = compare_reports(new, old, tolerance=0.002)
    assert worse == ["spam average_precision 0.9000 < 0.9500"]
    assert comparison["toxic"]["average_precision"] == (0.80, 0.70)
    assert "spam" in format_table({"a": new, "b": old})


@pytest.mark.slow
def test_evaluate_cli_writes_json_plots_and_compares_with_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a current model and another bundle
    models = tmp_path / "models"
    current = trained_bundle(str(models))
    other = trained_bundle(str(models), seed=8)
    assert main(["--no-redis", "--models", str(models), "promote", str(current), "--force"]) == 0
    data = write_jsonl(tiny_examples(seed=33, n=120), tmp_path / "eval.jsonl")
    # When the other one is evaluated
    code = main(["--no-redis", "--models", str(models), "evaluate", "--model", str(other), "--data", str(data),
                 "--json", str(tmp_path / "out.json"), "--plots", str(tmp_path / "plots"), "--threshold", "0.6"])
    # Then the JSON has the documented shape, for the evaluated model, with the current one beside it
    assert code == 0
    report = json.loads((tmp_path / "out.json").read_text())
    assert report["model"] == other.name
    spam = report["heads"]["spam"]
    assert set(spam) >= {"roc_auc", "average_precision", "precision", "recall", "f1", "n", "confusion"}
    assert spam["n"] == 120 and spam["threshold"] == 0.6
    assert report["current"]["model"] == current.name
    # And the table shows both, plots exist, and the metrics are recorded in the bundle
    out = capsys.readouterr().out
    assert current.name in out and other.name in out
    assert (tmp_path / "plots" / "spam_roc.png").stat().st_size > 1000
    assert (tmp_path / "plots" / "toxic_pr.png").exists() and (tmp_path / "plots" / "toxic_hist.png").exists()
    assert read_metadata(other)["metrics"][report["data_hash"]]["heads"]["spam"]["n"] == 120
    # So promotion can now compare them without passing data again
    assert main(["--no-redis", "--models", str(models), "promote", other.name]) == 0
