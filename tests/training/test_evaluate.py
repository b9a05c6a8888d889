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


def _train_cli(models: Path, data: Path, holdout: str) -> Path:
    from tests.training.tiny import FAST

    before = set(models.iterdir()) if models.is_dir() else set()
    assert main(["--no-redis", "--models", str(models), "train", "--from-scratch", "--data", str(data),
                 "--holdout", holdout, "--params", json.dumps(FAST)]) == 0
    (path,) = set(models.iterdir()) - before
    return path


def test_evaluate_without_data_uses_the_held_out_split_and_reports_fairness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a bundle trained with a fifth of its data held out, and a stale plot from an older run
    models = tmp_path / "models"
    data = write_jsonl(tiny_examples(seed=41, n=360), tmp_path / "train.jsonl")
    bundle = _train_cli(models, data, "0.2")
    held = read_metadata(bundle)["holdout"]["examples"]
    plots = tmp_path / "plots"
    plots.mkdir()
    (plots / "identity_hate_roc.png").write_bytes(b"old")
    (plots / "keep-me.png").write_bytes(b"not ours")
    capsys.readouterr()
    # When it is evaluated without data
    code = main(["--no-redis", "--models", str(models), "evaluate", "--model", str(bundle),
                 "--json", str(tmp_path / "out.json"), "--plots", str(plots)])
    # Then the held-out split is used and named, with its size
    out, err = capsys.readouterr()
    assert code == 0
    assert f"held-out split of the training data ({held:,} examples, not trained on)" in out
    report = json.loads((tmp_path / "out.json").read_text())
    assert report["data"]["held_out"] is True and report["heads"]["spam"]["n"] == held
    assert "evaluation texts" not in " ".join(report["warnings"])  # held-out texts were not trained on
    # And the fairness set is reported per group with the approval shares at the policy's review threshold
    fairness = report["fairness"]
    assert fairness["review_threshold"] == 0.45
    assert {"muslim", "disabled", "none"} <= set(fairness["bias"]["groups"])
    assert set(fairness["bias"]["groups"]["gay"]) >= {"fpr", "subgroup_auc", "bpsn_auc", "bnsp_auc"}
    assert 0.0 <= fairness["toxic_head"]["acceptable_approved"] <= 1.0 and "policy" in fairness
    assert "bpsn" in out and "neutral + talk about abuse approved" in out
    # And the old plot is gone, ours are new, and a file we did not write is left alone
    assert not (plots / "identity_hate_roc.png").exists() and (plots / "spam_roc.png").exists()
    assert (plots / "keep-me.png").exists() and "removed 1" in err


def test_evaluate_without_data_refuses_a_bundle_without_a_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a bundle trained on all of its data
    models = tmp_path / "models"
    bundle = _train_cli(models, write_jsonl(tiny_examples(seed=42, n=240), tmp_path / "t.jsonl"), "0")
    capsys.readouterr()
    # When evaluated without data / Then it is refused, naming DATA=, and nothing is written
    code = main(["--no-redis", "--models", str(models), "evaluate", "--model", str(bundle),
                 "--json", str(tmp_path / "out.json")])
    err = capsys.readouterr().err
    assert code == 2 and "keeps no held-out split" in err and "DATA=" in err
    assert not (tmp_path / "out.json").exists()


def test_evaluating_or_promoting_on_training_data_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Given a current model and a candidate, both trained on files it will be judged on
    models = tmp_path / "models"
    first = write_jsonl(tiny_examples(seed=43, n=240), tmp_path / "first.jsonl")
    second = write_jsonl(tiny_examples(seed=44, n=240), tmp_path / "second.jsonl")
    current = _train_cli(models, first, "0.1")
    assert main(["--no-redis", "--models", str(models), "promote", str(current), "--force"]) == 0
    candidate = _train_cli(models, second, "0.1")
    capsys.readouterr()
    # When the candidate is evaluated on its own training file
    assert main(["--no-redis", "--models", str(models), "evaluate", "--model", str(candidate),
                 "--data", str(second)]) == 0
    err = capsys.readouterr().err
    # Then the overlap is named, with the model it flatters
    assert f"of the evaluation texts are in {candidate.name}'s training data" in err
    # And promotion on that file names the file, warns, and prints the verdict per head
    main(["--no-redis", "--models", str(models), "promote", candidate.name, "--data", str(second)])
    out = capsys.readouterr().out
    assert f"judged on {second} (240 examples)" in out
    assert "training data" in out and "spam" in out and "improved:" in out


def test_promotion_without_data_judges_on_the_candidates_held_out_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a current model and a candidate trained on the same file (so both held out the same texts)
    models = tmp_path / "models"
    data = write_jsonl(tiny_examples(seed=45, n=420), tmp_path / "site.jsonl")  # 20+ of each class held out
    current = _train_cli(models, data, "0.2")
    assert main(["--no-redis", "--models", str(models), "promote", str(current), "--force"]) == 0
    candidate = _train_cli(models, data, "0.2")
    assert read_metadata(candidate)["holdout"]["examples"] == read_metadata(current)["holdout"]["examples"]
    capsys.readouterr()
    # When promoted without data
    code = main(["--no-redis", "--models", str(models), "promote", candidate.name])
    out = capsys.readouterr().out
    # Then the held-out split is named, neither model saw those texts (no warning), and each head is judged
    assert "judged on the candidate's held-out split of the training data" in out
    assert "warning" not in out
    assert "  spam " in out and "95% CI" in out and "improved:" in out
    assert code == 0 and f"promoted {candidate.name}" in out


def test_the_held_out_share_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    from training.cli import build_parser

    assert build_parser().parse_args(["train", "--holdout", "0.25"]).holdout == 0.25
    for bad in ("1.5", "-0.1", "ten"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["train", "--holdout", bad])
    assert "between 0 and 0.9" in capsys.readouterr().err
