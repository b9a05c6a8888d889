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
    from moderation.connection import redis_from_url
    from moderation.embedded_redis import reachable
    from moderation.settings import load_settings
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
    names = ", ".join(p.name for p in paths)
    if args.from_scratch:
        print(f"training from scratch on {len(examples):,} examples from {names}", file=sys.stderr)
        path = train_bundle(
            examples, _models_dir(args), data_hash=data_hash, params=params, data_files=[p.name for p in paths]
        )
    else:
        base = _registry(args).current()
        if base is None:
            print("no current model to build on: train one with ARGS=--from-scratch", file=sys.stderr)
            return 2
        print(f"adding {len(examples):,} examples from {names} to {base.version}", file=sys.stderr)
        path = update_bundle(
            base.path, examples, _models_dir(args), data_hash=data_hash, params=params,
            data_files=[p.name for p in paths],
        )
    print(path)
    if args.promote:
        info = _registry(args).promote(path, force=args.force)
        print(f"promoted {info.version}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Evaluate a model (and the current one beside it when different) on labelled data."""
    from training.bundle import load_bundle, read_metadata, write_metadata
    from training.evaluate import format_table, head_metrics, score_examples

    registry = _registry(args)
    paths = _data(args.data)
    if not args.data:
        print("no --data given: evaluating on the seed corpus (the default model's training data)", file=sys.stderr)
    examples, data_hash = _load(paths, args.format)
    target = registry.resolve(args.model)
    models = {target.version: target}
    current = registry.current() if args.model != "current" else None
    if current is not None and current.version != target.version:
        models[current.version] = current
    scores: dict[str, dict[str, tuple]] = {}
    reports: dict[str, dict[str, Any]] = {}
    for version, info in models.items():
        scores[version] = score_examples(load_bundle(info.path), examples)
        reports[version] = {h: head_metrics(y, p, args.threshold) for h, (y, p) in scores[version].items()}
        metadata = read_metadata(info.path)
        metadata.setdefault("metrics", {})[data_hash] = {"files": [p.name for p in paths], "heads": reports[version]}
        if info.path.resolve().parent == registry.models_dir.resolve():  # never rewrite the shipped bundle
            write_metadata(info.path, metadata)
    print(format_table(reports))
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        document: dict[str, Any] = {"model": target.version, "data_hash": data_hash, "heads": reports[target.version]}
        if len(reports) > 1:
            document["current"] = {"model": current.version, "heads": reports[current.version]}  # type: ignore[union-attr]
        out.write_text(json.dumps(document, indent=2))
        print(f"wrote {out}", file=sys.stderr)
    if args.plots:
        from training.plots import write_plots

        written = write_plots(scores, Path(args.plots))
        print(f"wrote {len(written)} plots to {args.plots}", file=sys.stderr)
    return 0


def cmd_promote(args: argparse.Namespace) -> int:
    """Promote a bundle (refused when worse than the current one, unless ``--force``)."""
    from training.registry import PromotionRefused
    from training.train import load_training_data

    registry = _registry(args)
    eval_data = load_training_data([Path(p) for p in args.data])[0] if args.data else None
    try:
        info = registry.promote(args.model, force=args.force, eval_data=eval_data)
    except PromotionRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    print(f"promoted {info.version}")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Go back to the previously promoted bundle."""
    info = _registry(args).rollback()
    print(f"rolled back to {info.version}")
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
    if pointer is None:
        print("no current model")
    elif pointer.source == "default":
        print(f"current: the shipped default bundle {pointer.version} ({registry.default_model}); none promoted")
    return 0


def cmd_bench_quality(args: argparse.Namespace) -> int:
    """Our pipeline vs the textbook baseline on the reference splits."""
    from training.bench_quality import run_bench

    return run_bench(Path(args.json) if args.json else None, registry=_registry(args), only=args.split)


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
    train.add_argument("--promote", action="store_true", help="promote the new bundle")
    train.add_argument("--force", action="store_true", help="with --promote: skip the quality gate")
    train.set_defaults(func=cmd_train)

    evaluate = sub.add_parser("evaluate", help="evaluate a bundle on labelled data")
    evaluate.add_argument("--model", default="current", help="bundle directory, version, or 'current'")
    evaluate.add_argument("--data", nargs="+", help="evaluation files (default: the seed corpus)")
    _format_option(evaluate)
    evaluate.add_argument("--json", help="write the report as JSON here")
    evaluate.add_argument("--plots", help="write ROC, PR and histogram PNGs here")
    evaluate.add_argument("--threshold", type=float, default=0.5, help="decision threshold (default 0.5)")
    evaluate.set_defaults(func=cmd_evaluate)

    promote = sub.add_parser("promote", help="make a bundle current")
    promote.add_argument("model", help="version, bundle directory, or latest (the newest bundle)")
    promote.add_argument("--data", nargs="+", help="evaluation files for the quality gate")
    promote.add_argument("--force", action="store_true", help="skip the quality gate")
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
    from moderation.bundle import BundleError
    from moderation.current_model import ModelStoreError

    try:
        return int(args.func(args))
    except DataError as exc:
        print(f"training: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except (BundleError, ModelStoreError, FileNotFoundError) as exc:
        print(f"training: error: {_one_line(str(exc))}", file=sys.stderr)
        return 1


def _one_line(text: str) -> str:
    return " ".join(text.split())
