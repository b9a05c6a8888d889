"""``python -m training``: train, evaluate, promote, rollback, models, bench-quality, default-model.

Models live in ``--models`` (default ``$MODERATION_MODELS_DIR`` or ``models/``); the current pointer is in
Redis when ``REDIS_URL`` is set (``--no-redis`` to use the local ``CURRENT`` file only).

Exit codes: 0 fine, 1 a model or registry error, 2 bad usage or bad data (a missing or malformed dataset file,
a label that is not 0/1, columns of no known format: one line on stderr naming the file, line and problem).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _models_dir(args: argparse.Namespace) -> Path:
    if args.models:
        return Path(args.models)
    from moderation.settings import load_settings

    return load_settings().models_dir


def _registry(args: argparse.Namespace) -> Any:
    """The registry the workers use: the settings' Redis (file and environment) when it answers.

    With ``--no-redis``, or when no Redis answers at the default address, only ``models/CURRENT`` is used (and
    said on stderr: workers reading Redis would not see a promotion made that way).
    """
    from moderation.ops.embedded_redis import reachable
    from moderation.settings import load_settings
    from moderation.store.connection import redis_from_url
    from training.registry import ModelRegistry

    settings = load_settings()
    prefix = args.prefix or settings.prefix
    redis = None
    if not args.no_redis:
        explicit = bool(os.environ.get("REDIS_URL"))
        if settings.redis_url.startswith("redis+sentinel") or reachable(settings.redis_url):
            redis = redis_from_url(settings.redis_url, decode_responses=False)
        elif explicit:
            raise SystemExit(f"training: Redis at {settings.redacted_redis_url} is unreachable (or use --no-redis)")
        else:
            print(f"no Redis at {settings.redacted_redis_url}: using {_models_dir(args)}/CURRENT only", file=sys.stderr)
    return ModelRegistry(_models_dir(args), redis=redis, prefix=prefix, default_model=settings.default_model)


#: Share of the training data ``train`` keeps aside (see :mod:`training.holdout`).
DEFAULT_HOLDOUT = 0.1

#: Where ``make export-feedback`` writes moderators' labelled examples; ``train`` adds it by default.
FEEDBACK_EXPORT = Path(__file__).resolve().parent.parent / "var" / "feedback.jsonl"


def _data(paths: Sequence[str] | None, *, with_feedback: bool = False) -> list[Path]:
    """The given files, or the seed corpus (plus the feedback export when asked and present)."""
    from training.train import SEED_CORPUS

    if paths:
        return [Path(p) for p in paths]
    present = FEEDBACK_EXPORT.is_file() and FEEDBACK_EXPORT.stat().st_size > 0
    return [SEED_CORPUS, FEEDBACK_EXPORT] if with_feedback and present else [SEED_CORPUS]


class DataError(Exception):
    """A dataset file that cannot be read: missing, malformed, or of no known format (exit 2)."""


def _load(paths: Sequence[Path], format: str) -> tuple[list[Any], str]:
    """:func:`training.train.load_training_data`, its data errors raised as :class:`DataError`."""
    import csv

    from training.train import load_training_data

    try:
        return load_training_data(paths, format=format)
    except (ValueError, FileNotFoundError, UnicodeDecodeError, csv.Error, IsADirectoryError) as exc:
        raise DataError(str(exc)) from exc


def cmd_train(args: argparse.Namespace) -> int:
    """Train a bundle: by default the current model updated with ``--data`` (and ``var/feedback.jsonl`` when
    present); with ``--from-scratch``, a new model from the given files only (default: the seed corpus)."""
    from training.holdout import split_for_training
    from training.train import train_bundle, update_bundle

    try:
        params = json.loads(args.params) if args.params else None
    except json.JSONDecodeError as exc:
        raise DataError(f"--params is not valid JSON: {exc}") from exc
    if args.from_scratch:
        paths = _data(args.data, with_feedback=True)
    else:
        paths = [Path(p) for p in args.data or []]
        feedback = Path(args.feedback)
        if feedback.is_file() and feedback.stat().st_size > 0 and feedback not in paths:
            paths.append(feedback)
        if not paths:
            print("nothing new to train on: give DATA=file (or export moderators' verdicts first: make "
                  "export-feedback), or ARGS=--from-scratch to train on the seed corpus alone", file=sys.stderr)
            return 2
    examples, data_hash = _load(paths, args.format)
    examples, holdout = split_for_training(examples, paths, data_hash, args.holdout)
    names = ", ".join(p.name for p in paths)
    held = holdout["holdout"]["examples"] if holdout["holdout"] else 0
    print(f"holding out {held:,} examples for evaluation (never trained on)", file=sys.stderr)
    if args.from_scratch:
        print(f"training from scratch on {len(examples):,} examples from {names}", file=sys.stderr)
        path = train_bundle(
            examples, _models_dir(args), data_hash=data_hash, params=params, data_files=[p.name for p in paths],
            metadata=holdout,
        )
    else:
        base = _registry(args).current()
        if base is None:
            print("no current model to build on: train one with ARGS=--from-scratch", file=sys.stderr)
            return 2
        print(f"adding {len(examples):,} examples from {names} to {base.version}", file=sys.stderr)
        path = update_bundle(
            base.path, examples, _models_dir(args), data_hash=data_hash, params=params,
            data_files=[p.name for p in paths], metadata=holdout,
        )
    print(path)
    if args.promote:
        info = _registry(args).promote(path, force=args.force, report=print)
        print(f"promoted {info.version}")
    return 0


def _evaluation_data(args: argparse.Namespace, target: Any,
                     loaded: tuple[list[Any], str] | None = None) -> tuple[list[Any], str, list[str], str] | None:
    """The examples to evaluate on: ``--data``, else the target bundle's held-out split (``None``: refused)."""
    from training.holdout import HoldoutUnavailable, held_out_examples

    if args.data:
        examples, data_hash = loaded or _load([Path(p) for p in args.data], args.format)
        return examples, data_hash, list(args.data), f"{', '.join(args.data)} ({len(examples):,} examples)"
    try:
        held = held_out_examples(target.metadata)
    except HoldoutUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    return held.examples, held.data_hash, [f"held-out split of {', '.join(held.files)}"], held.describe()


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Evaluate a model (and the current one beside it when different) on labelled data and the fairness set.

    Without ``--data`` the model's held-out split is used; a model without one is refused (exit 2).
    """
    from training.bundle import load_bundle, read_metadata, write_metadata
    from training.evaluate import format_table, head_metrics, score_examples
    from training.fairness import format_fairness, load_fairness_set, model_fairness
    from training.gate import overlap_warnings

    registry = _registry(args)
    loaded = _load([Path(p) for p in args.data], args.format) if args.data else None  # bad data first
    target = registry.resolve(args.model)
    found = _evaluation_data(args, target, loaded)
    if found is None:
        return 2
    examples, data_hash, files, source = found
    print(f"evaluating {target.version} on {source}")
    models = {target.version: target}
    current = registry.current() if args.model != "current" else None
    if current is not None and current.version != target.version:
        models[current.version] = current
    texts = [e.text for e in examples]
    warnings = overlap_warnings(texts, list(models.values()), "the evaluation texts")
    warnings += overlap_warnings([i.text for i in load_fairness_set()], list(models.values()), "the fairness set")
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    scores: dict[str, dict[str, tuple]] = {}
    reports: dict[str, dict[str, Any]] = {}
    fairness: dict[str, Any] = {}
    for version, info in models.items():
        scorer = load_bundle(info.path)
        scores[version] = score_examples(scorer, examples)
        reports[version] = {h: head_metrics(y, p, args.threshold) for h, (y, p) in scores[version].items()}
        fairness[version] = model_fairness(scorer)
        metadata = read_metadata(info.path)
        metadata.setdefault("metrics", {})[data_hash] = {"files": files, "heads": reports[version]}
        if info.path.resolve().parent == registry.models_dir.resolve():  # never rewrite the shipped bundle
            write_metadata(info.path, metadata)
    print(format_table(reports))
    if fairness[target.version] is not None:
        print(f"\nfairness and context set ({fairness[target.version]['items']:,} self-written items), "
              f"{target.version}:")
        print(format_fairness(fairness[target.version]))
    if current is not None and current.version in fairness and current.version != target.version:
        beside = fairness[current.version]
        if beside is not None:
            shares, bias = beside["toxic_head"], beside["bias"]
            print(f"current {current.version}: acceptable approved {shares['acceptable_approved']:.1%}, "
                  f"abuse held {shares['abuse_held']:.1%}, final bias score {bias['final_score'] or 0:.3f}")
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        document: dict[str, Any] = {
            "model": target.version, "data": {"source": source, "files": files, "examples": len(examples),
                                              "held_out": not args.data},
            "data_hash": data_hash, "warnings": warnings, "heads": reports[target.version],
            "fairness": fairness[target.version],
        }
        if len(reports) > 1:
            document["current"] = {"model": current.version, "heads": reports[current.version],  # type: ignore[union-attr]
                                   "fairness": fairness[current.version]}  # type: ignore[union-attr]
        out.write_text(json.dumps(document, indent=2))
        print(f"wrote {out}", file=sys.stderr)
    if args.plots:
        from training.plots import clear_plots, write_plots

        removed = clear_plots(Path(args.plots))
        written = write_plots(scores, Path(args.plots))
        print(f"wrote {len(written)} plots to {args.plots} (removed {removed} of a previous run)", file=sys.stderr)
    return 0


def cmd_promote(args: argparse.Namespace) -> int:
    """Promote a bundle (refused when worse than the current one, unless ``--force``).

    ``latest`` (what ``make promote`` passes without ``MODEL=``) only shows which bundle that is, unless
    ``--yes``: the newest bundle is not always the one meant.
    """
    from training.gate import describe_model
    from training.registry import PromotionRefused

    registry = _registry(args)
    if args.model == "latest" and not args.yes:
        newest = registry.resolve("latest")
        print(f"would promote the newest bundle: {describe_model('candidate', newest)}", file=sys.stderr)
        print(f"name it (make promote MODEL={newest.version}) or confirm (ARGS=--yes)", file=sys.stderr)
        return 2
    eval_data = _load([Path(p) for p in args.data], args.format)[0] if args.data else None
    try:
        info = registry.promote(args.model, force=args.force, eval_data=eval_data, eval_files=args.data or (),
                                report=print)
    except PromotionRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    print(f"promoted {info.version}")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Go back to the previously promoted bundle."""
    registry = _registry(args)
    info = registry.rollback()
    shipped = registry.default_model is not None and info.path.resolve() == registry.default_model.resolve()
    print(f"rolled back to {info.version}" + (" (the shipped default model)" if shipped else ""))
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    """List bundles and mark the current one."""
    registry = _registry(args)
    pointer = registry.current_pointer()
    for info in registry.list():
        mark = "*" if pointer and pointer.version == info.version else " "
        per_head = info.metadata.get("examples_per_head", {})
        heads = ", ".join(f"{h}({per_head.get(h, {}).get('examples', '?')})" for h in info.heads)
        print(f"{mark} {info.version}  {info.created_at}  {heads}")
        languages = ", ".join(info.metadata.get("languages") or ["en"])
        screened = ", ".join(info.metadata.get("screened_languages") or []) or "none"
        print(f"    languages: {languages}; screened: {screened}")
    if pointer is None:
        print("no current model")
    elif pointer.source == "default":
        print(f"current: the shipped default bundle {pointer.version} ({registry.default_model}); none promoted")
    return 0


def cmd_bench_quality(args: argparse.Namespace) -> int:
    """Our pipeline vs the textbook baseline on the reference splits."""
    from training.bench_quality import run_bench

    return run_bench(Path(args.json) if args.json else None, registry=_registry(args), only=args.split)


def _fraction(value: str) -> float:
    """A share in [0, 0.9], for ``--holdout``."""
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 0.9:
        raise argparse.ArgumentTypeError(f"{value!r}: a share between 0 and 0.9, e.g. 0.1")
    return share

def _format_option(parser: argparse.ArgumentParser) -> None:
    from training.datasets import FORMATS

    parser.add_argument("--format", default="auto", choices=["auto", *FORMATS],
                        help="the format of every --data file (default: detected per file from its extension, "
                             "header or first line)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests)."""
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__.splitlines()[0])
    parser.add_argument("--models", help="models directory (default $MODERATION_MODELS_DIR or models/)")
    parser.add_argument("--prefix", help="Redis key prefix (default $MODERATION_PREFIX or moderation)")
    parser.add_argument("--no-redis", action="store_true", help="ignore REDIS_URL; use models/CURRENT only")
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train a new bundle (the current model plus new data, by default)")
    train.add_argument(
        "--data", nargs="+", help="training files, added to what the current model knows (var/feedback.jsonl is "
        "added when present); with --from-scratch, the only training data (default: the seed corpus)"
    )
    train.add_argument("--feedback", default=str(FEEDBACK_EXPORT),
                       help="moderators' exported verdicts, added when the file exists (default var/feedback.jsonl)")
    train.add_argument("--from-scratch", action="store_true",
                       help="train from the given files only instead of building on the current model")
    _format_option(train)
    train.add_argument("--out", dest="models_out", help="models directory to write to (same as --models)")
    train.add_argument("--params", help='JSON parameter overrides, e.g. \'{"C_grid": [4]}\'')
    train.add_argument(
        "--holdout", type=_fraction, default=DEFAULT_HOLDOUT,
        help=f"share of the examples kept aside for evaluation, never trained on (default {DEFAULT_HOLDOUT}; 0: none)",
    )
    train.add_argument("--promote", action="store_true", help="promote the new bundle")
    train.add_argument("--force", action="store_true", help="with --promote: skip the quality gate")
    train.set_defaults(func=cmd_train)

    evaluate = sub.add_parser("evaluate", help="evaluate a bundle on labelled data")
    evaluate.add_argument("--model", default="current", help="bundle directory, version, or 'current'")
    evaluate.add_argument(
        "--data", nargs="+", help="evaluation files (default: the model's held-out split; refused if it has none)"
    )
    _format_option(evaluate)
    evaluate.add_argument("--json", help="write the report as JSON here")
    evaluate.add_argument("--plots", help="write ROC, PR and histogram PNGs here")
    evaluate.add_argument("--threshold", type=float, default=0.5, help="decision threshold (default 0.5)")
    evaluate.set_defaults(func=cmd_evaluate)

    promote = sub.add_parser("promote", help="make a bundle current")
    promote.add_argument("model", help="version, bundle directory, or latest (the newest bundle)")
    promote.add_argument(
        "--data", nargs="+",
        help="evaluation files for the quality gate (default: the candidate's held-out split, else recorded metrics)",
    )
    promote.add_argument("--force", action="store_true", help="skip the quality gate")
    promote.add_argument("--yes", action="store_true", help="with latest: promote the newest bundle without asking")
    _format_option(promote)
    promote.set_defaults(func=cmd_promote)

    sub.add_parser("rollback", help="go back to the previous model").set_defaults(func=cmd_rollback)
    sub.add_parser("models", help="list bundles").set_defaults(func=cmd_models)

    bench = sub.add_parser("bench-quality", help="compare with the textbook baseline on the reference splits")
    bench.add_argument("--json", help="write the results as JSON here")
    bench.add_argument("--split", action="append", help="only this split (repeatable)")
    bench.set_defaults(func=cmd_bench_quality)

    from training.default_model import add_parser as add_default_model_parser

    add_default_model_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    :param argv: arguments (default: ``sys.argv[1:]``).
    :returns: the exit code.
    """
    args = build_parser().parse_args(argv)
    if getattr(args, "models_out", None):
        args.models = args.models_out
    from moderation.models.bundle import BundleError
    from moderation.models.current import ModelStoreError
    from training.fit import TrainError

    try:
        return int(args.func(args))
    except (DataError, TrainError) as exc:
        print(f"training: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except (BundleError, ModelStoreError, FileNotFoundError) as exc:
        print(f"training: error: {_one_line(str(exc))}", file=sys.stderr)
        return 1


def _one_line(text: str) -> str:
    return " ".join(text.split())
