"""``python -m training default-model``: rebuild the shipped default model from real public data.

It trains on the seed corpus plus every corpus of ``--data-dir`` (laid out like ``../shared/datasets``, see
:mod:`training.corpora`) whose licence lets it train a shipped model, minus the ``--holdout`` ones; records
in the bundle's metadata each source with its file hashes, licence and row counts; prints the
cross-validation and held-out evaluation; and installs the bundle in ``moderation/models/data/default_model/``
(never over an existing bundle unless ``--replace``). How the examples become a model is
:func:`training.default_recipe.build_default_model`'s business, not this module's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from training.corpora import (
    DEFAULT_DATA_DIR,
    DataDirMissing,
    Presence,
    catalogue,
    format_survey,
    get_corpus,
    load_corpus,
    sha256_file,
    source_records,
    survey,
)
from training.examples import Example

#: Where the shipped default model lives (the bundle's own directory: ``model.npz`` + ``metadata.json``).
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "moderation" / "models" / "data" / "default_model"
#: Exit code when the data directory is absent or the arguments name unknown or absent corpora.
EXIT_USAGE = 2
#: Exit code when an existing bundle would be overwritten without ``--replace``.
EXIT_REFUSED = 1

Say = Callable[[str], None]


class DefaultModelError(Exception):
    """The default model cannot be rebuilt as asked; the message says why.

    :param message: what is wrong.
    :param code: the exit code for the command line.
    """

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Holdout:
    """A corpus, or one file of it, kept out of training and evaluated on.

    :param corpus: the corpus name.
    :param file: one of its data files, or ``None`` for all of them.
    """

    corpus: str
    file: str | None = None

    @property
    def label(self) -> str:
        """``<corpus>`` or ``<corpus>/<file>``, as given on the command line."""
        return self.corpus if self.file is None else f"{self.corpus}/{self.file}"

    def covers(self, corpus: str, file: str) -> bool:
        """Whether this holdout takes ``file`` of ``corpus`` out of training.

        :param corpus: a corpus name.
        :param file: one of its data files.
        """
        return self.corpus == corpus and self.file in (None, file)


def parse_holdout(spec: str) -> Holdout:
    """Read a ``--holdout`` value: a corpus name, or ``<corpus>/<file>`` for one of its data files.

    :param spec: e.g. ``hatexplain``, ``youtube_spam/Youtube05-Shakira.csv``, ``multilingual/zh_cold_dev.csv``.
    :raises ValueError: naming the known corpora when ``spec`` is neither.
    """
    spec = spec.strip().rstrip("/")
    if spec in catalogue():
        return Holdout(spec)
    name, _, file = spec.rpartition("/")
    if name in catalogue() and file in get_corpus(name).files:
        return Holdout(name, file)
    raise ValueError(f"--holdout {spec!r} is not a corpus or a corpus's file; corpora: {', '.join(catalogue())}")


def label_counts(examples: Sequence[Example]) -> dict[str, dict[str, int]]:
    """Per head, how many examples are labelled and how many of them positive.

    :param examples: the examples.
    """
    counts: dict[str, dict[str, int]] = {}
    for example in examples:
        for head, value in example.labels.items():
            entry = counts.setdefault(head, {"examples": 0, "positives": 0})
            entry["examples"] += 1
            entry["positives"] += int(value)
    return dict(sorted(counts.items()))


def _seed_source() -> tuple[list[Example], dict[str, Any]]:
    """The seed corpus and its record."""
    from training.datasets import load_dataset
    from training.train import SEED_CORPUS

    examples = load_dataset(SEED_CORPUS)
    record = {
        "corpus": "seed_corpus",
        "title": "the project's own seed corpus (written by the project)",
        "licence": "the project's licence",
        "may_ship": True,
        "rows": len(examples),
        "labels": label_counts(examples),
        "files": [{"path": f"training/data/{SEED_CORPUS.name}", "role": "data",
                   "sha256": sha256_file(SEED_CORPUS), "bytes": SEED_CORPUS.stat().st_size}],
    }
    return examples, record


def _corpus_record(data_dir: Path, name: str, files: Sequence[str], examples: Sequence[Example]) -> dict[str, Any]:
    """What the metadata says about one corpus used: identity, licence and credit, rows, labels, file hashes."""
    corpus = get_corpus(name)
    return {
        "corpus": name,
        "title": corpus.title,
        "lang": corpus.lang,
        "licence": corpus.licence,
        "licence_url": corpus.licence_url,
        "may_ship": corpus.may_ship,
        "citation": corpus.citation,
        "attribution": corpus.attribution,
        "rows": len(examples),
        "labels": label_counts(examples),
        "files": source_records(data_dir, name, files),
    }


def text_key(text: str) -> str:
    """The key under which two texts count as the same: case-folded, whitespace collapsed.

    :param text: a comment.
    """
    return " ".join(text.casefold().split())


def load_holdouts(data_dir: Path, holdouts: Sequence[Holdout]) -> dict[Holdout, tuple[list[str], list[Example]]]:
    """Read the held-out corpora (or files).

    :param data_dir: the folder laid out like ``../shared/datasets``.
    :param holdouts: what is held out.
    :returns: holdout -> (its data files, its examples).
    """
    loaded: dict[Holdout, tuple[list[str], list[Example]]] = {}
    for holdout in holdouts:
        files = [holdout.file] if holdout.file else list(get_corpus(holdout.corpus).files)
        loaded[holdout] = (files, [e for f in files for e in load_corpus(data_dir, holdout.corpus, f)])
    return loaded


def gather_training_data(
    data_dir: Path, holdouts: Sequence[Holdout], say: Say, *, exclude: frozenset[str] = frozenset(),
    slice_share: float = 0.0, slices: dict[str, list[Example]] | None = None,
) -> tuple[list[Example], list[dict[str, Any]]]:
    """The seed corpus plus every present may-ship corpus, minus the held-out files, with their records.

    :param data_dir: the folder laid out like ``../shared/datasets``.
    :param holdouts: what to keep out of training.
    :param say: receives one line per source.
    :param exclude: :func:`text_key` of texts to leave out wherever they occur (the held-out texts, so that
        copies in other corpora do not leak into training); each record counts them in ``dropped_held_out``.
    :param slice_share: the share of each non-English source held out (:mod:`training.language_slices`).
    :param slices: receives, per language, the examples of the held-out slices (each record counts them in
        ``held_out_slice``).
    :returns: the training examples, and one metadata record per source (seed corpus first).
    """
    from training.language_slices import sliced, split_slice

    examples, seed = _seed_source()
    records = [seed]
    say(f"  seed_corpus: {len(examples):,} examples")
    for presence in survey(data_dir):
        corpus = presence.corpus
        if not corpus.may_ship or not presence.present:
            continue
        files = [f for f in corpus.files if not any(h.covers(corpus.name, f) for h in holdouts)]
        if not files:
            continue
        everything = [example for f in files for example in load_corpus(data_dir, corpus.name, f)]
        loaded = [example for example in everything if text_key(example.text) not in exclude]
        held: list[Example] = []
        if sliced(corpus.lang, slice_share):
            loaded, held = split_slice(loaded, slice_share)
            if slices is not None:
                slices.setdefault(corpus.lang, []).extend(held)
        record = _corpus_record(data_dir, corpus.name, files, loaded)
        record["dropped_held_out"] = len(everything) - len(loaded) - len(held)
        if held:
            record["held_out_slice"] = {"rows": len(held), "labels": label_counts(held)}
        records.append(record)
        examples.extend(loaded)
        dropped = f" ({record['dropped_held_out']:,} dropped: text held out)" if record["dropped_held_out"] else ""
        kept_out = f" ({len(held):,} held out as its slice)" if held else ""
        say(f"  {corpus.name}: {len(loaded):,} examples from {', '.join(files)}{dropped}{kept_out}")
    return examples, records


def data_hash(records: Sequence[Mapping[str, Any]]) -> str:
    """One fingerprint of every source file: sha256 of their ``<sha256>  <path>`` lines, in order.

    :param records: source records as :func:`gather_training_data` returns them.
    """
    lines = [f"{item['sha256']}  {item['path']}" for record in records for item in record["files"]]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def check_out(out: Path, *, replace: bool) -> None:
    """Refuse to write where a bundle already is (unless ``replace``), or over anything that is not a bundle.

    :param out: the bundle directory to write.
    :param replace: whether an existing bundle may be replaced.
    :raises DefaultModelError: saying why (exit 1).
    """
    from training.bundle import METADATA_FILE, MODEL_FILE

    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        return
    is_bundle = out.is_dir() and ((out / METADATA_FILE).is_file() or (out / MODEL_FILE).is_file())
    if not is_bundle:
        raise DefaultModelError(f"{out} exists and is not a model bundle; refusing to touch it", EXIT_REFUSED)
    if not replace:
        raise DefaultModelError(
            f"a bundle already exists in {out}; refusing to overwrite it (pass --replace to replace it)",
            EXIT_REFUSED,
        )


def install_bundle(bundle: Path, out: Path) -> None:
    """Move a freshly written bundle directory to ``out``, replacing what is there (checked beforehand).

    The old bundle is moved aside first and deleted only once the new one is in place.

    :param bundle: the new bundle directory (same file system as ``out``).
    :param out: its final place.
    """
    aside = None
    if out.exists():
        aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, aside / out.name)
    try:
        os.rename(bundle, out)
    except OSError:
        if aside is not None:
            os.rename(aside / out.name, out)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def _evaluate_holdouts(
    bundle: Path, data_dir: Path, held: Mapping[Holdout, tuple[list[str], list[Example]]], say: Say
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Score each held-out corpus (or file) with the new bundle; print and return the reports and records."""
    from training.bundle import load_bundle
    from training.evaluate import evaluate_scorer, format_table

    scorer = load_bundle(bundle)
    metrics: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    for holdout, (files, examples) in held.items():
        report = evaluate_scorer(scorer, examples)
        metrics[f"holdout:{holdout.label}"] = {"files": files, "heads": report}
        records.append(_corpus_record(data_dir, holdout.corpus, files, examples))
        say(f"\nheld out {holdout.label} ({len(examples):,} examples):")
        say(format_table({holdout.label: report}))
    return metrics, records


def _check_languages(
    bundle: Path, metadata: dict[str, Any], slices: Mapping[str, list[Example]],
    held: Mapping[Holdout, tuple[list[str], list[Example]]], share: float, say: Say,
) -> tuple[Path, dict[str, Any]]:
    """Judge every language on its held-out comments (its sources' slices and the held-out files in it) as a
    worker would, and withdraw what they do not bear out (:func:`apply_held_out_verdicts`). Returns the bundle
    and its metadata with ``languages_held_out``.
    """
    from moderation.judging.policy import load_policy
    from moderation.settings import load_settings
    from training.bundle import load_bundle
    from training.language_slices import SALT, evaluate_slices, format_report, short_identification

    pools = {lang: list(examples) for lang, examples in slices.items()}
    for holdout, (_, examples) in held.items():
        lang = get_corpus(holdout.corpus).lang
        if lang != "en":
            pools.setdefault(lang, []).extend(examples)
    try:
        from moderation.judging.language import LanguageIdentifier

        identify: Any = LanguageIdentifier().identify_texts
    except ImportError:  # the identifier is the worker extra's
        identify = None
    policy = load_policy(load_settings().policy_file)
    report = evaluate_slices(load_bundle(bundle), policy, pools, identify)
    short = short_identification(pools, identify) if identify is not None else {}
    metadata["languages_held_out"] = report
    metadata["language_id_short"] = short
    metadata["language_slices"] = {"share": share, "salt": SALT,
                                   "rule": "blake2b-64(salt, NFKC casefolded text) < share * 2^64, per source"}
    bundle, metadata = apply_held_out_verdicts(bundle, metadata)
    say("\nper language, held-out comments moderated as a worker would (default policy):")
    say(format_report(report, metadata["languages"], metadata["screened_languages"], short))
    for lang, why in metadata.get("languages_withdrawn", {}).items():
        say(f"  {lang}: {why}")
    return bundle, metadata


def apply_held_out_verdicts(bundle: Path, metadata: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    """Withdraw the claims and screenings the metadata's ``languages_held_out`` does not bear out
    (:func:`training.language_slices.confirm_claims`): the bundle is written again beside the first, with
    ``languages_withdrawn`` saying why.

    :param bundle: the bundle directory.
    :param metadata: its metadata, with ``languages_held_out``.
    :returns: the bundle (a new one when something was withdrawn) and its metadata.
    """
    from training.bundle import load_state, read_metadata, save_bundle
    from training.language_slices import confirm_claims

    claimed, screened, withdrawn = confirm_claims(metadata.get("languages", []),
                                                  metadata.get("screened_languages", []),
                                                  metadata["languages_held_out"])
    if not withdrawn:
        return bundle, metadata
    state, _ = load_state(bundle)
    state["languages"], state["screened_languages"] = claimed, screened
    kept = {k: v for k, v in metadata.items() if k not in _IDENTITY_FIELDS}
    bundle = save_bundle(state, bundle.parent, {**kept, "languages": claimed, "screened_languages": screened,
                                                "languages_withdrawn": withdrawn})
    return bundle, read_metadata(bundle)


#: What :func:`training.bundle.save_bundle` sets itself (a rewritten bundle gets new ones).
_IDENTITY_FIELDS = ("version", "bundle_format", "created_at", "libraries", "model_file", "model_sha256",
                    "model_bytes", "model_signature")


def _cv_table(cv_metrics: Mapping[str, Mapping[str, Any]]) -> str:
    """Cross-validation metrics, one line per head."""
    lines = [f"{'head':<14}{'auc':>10}{'ap':>10}{'C':>8}"]
    for head, values in cv_metrics.items():
        auc = values.get("cv_roc_auc", values.get("roc_auc"))
        ap = values.get("cv_average_precision", values.get("average_precision"))
        cells = "".join(f"{v:>10.4f}" if isinstance(v, float) else f"{'-':>10}" for v in (auc, ap))
        lines.append(f"{head:<14}{cells}{values.get('C', '-')!s:>8}")
    return "\n".join(lines)


def _check_holdouts_present(presences: Sequence[Presence], holdouts: Sequence[Holdout], data_dir: Path) -> None:
    """Raise :class:`DefaultModelError` (exit 2) when a file a holdout needs is absent."""
    missing = {path for presence in presences for path in presence.missing}
    for holdout in holdouts:
        corpus = get_corpus(holdout.corpus)
        files = [holdout.file] if holdout.file else list(corpus.files)
        if {f"{corpus.folder}/{name}" for name in (*files, *corpus.companions)} & missing:
            raise DefaultModelError(f"held-out {holdout.label} is absent under {data_dir}", EXIT_USAGE)


def rebuild_default_model(
    data_dir: Path,
    out: Path = DEFAULT_OUT,
    *,
    holdouts: Sequence[Holdout] = (),
    replace: bool = False,
    params: Mapping[str, Any] | None = None,
    say: Say = print,
    progress: Callable[[str], None] | None = None,
    slice_share: float = 0.0,
) -> Path:
    """Rebuild the default model and install it in ``out``.

    :param data_dir: the folder laid out like ``../shared/datasets``.
    :param out: the bundle directory to write (default ``moderation/models/data/default_model/``).
    :param holdouts: corpora or files kept out of training and evaluated on.
    :param replace: replace a bundle already in ``out``.
    :param params: training parameter overrides for the recipe.
    :param say: receives the report lines (sources, evaluation).
    :param progress: receives training progress lines (``None``: silence).
    :param slice_share: the share of each non-English source held out and evaluated on per language
        (:mod:`training.language_slices`; 0: none).
    :returns: ``out``.
    :raises DefaultModelError: data directory absent, a held-out corpus absent (exit 2), or a bundle in
        ``out`` without ``replace`` (exit 1).
    """
    from training.bundle import read_metadata, write_metadata
    from training.default_recipe import build_default_model

    try:
        presences = survey(data_dir)
    except DataDirMissing as exc:
        raise DefaultModelError(str(exc), EXIT_USAGE) from None
    check_out(out, replace=replace)
    _check_holdouts_present(presences, holdouts, data_dir)
    say(f"data directory {data_dir}:")
    say(format_survey(presences))
    say("training on:")
    held = load_holdouts(data_dir, holdouts)
    exclude = frozenset(text_key(e.text) for _, loaded in held.values() for e in loaded)
    slices: dict[str, list[Example]] = {}
    examples, records = gather_training_data(data_dir, holdouts, say, exclude=exclude, slice_share=slice_share,
                                             slices=slices)
    absent = [p.corpus.name for p in presences if p.corpus.may_ship and not p.present]
    if absent:
        say(f"absent (not trained on): {', '.join(absent)}")
    say(f"{len(examples):,} training examples in all")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        bundle = build_default_model(
            examples, staging, data_hash=data_hash(records),
            data_files=[record["corpus"] for record in records], params=params, progress=progress,
        )
        metadata = read_metadata(bundle)
        metadata["sources"] = records
        metadata["absent_sources"] = absent
        say("\ncross-validation (out of fold, training data):")
        say(_cv_table(metadata.get("cv_metrics", {})))
        held_metrics, held_records = _evaluate_holdouts(bundle, data_dir, held, say)
        metadata["held_out"] = held_records
        metadata.setdefault("metrics", {}).update(held_metrics)
        if slice_share > 0:
            bundle, metadata = _check_languages(bundle, metadata, slices, held, slice_share, say)
        write_metadata(bundle, metadata)
        check_out(out, replace=replace)  # again: another run may have installed one meanwhile
        install_bundle(bundle, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    say(f"\nwrote {out} (version {metadata['version']})")
    return out


def add_parser(sub: Any) -> None:
    """Register ``default-model`` on the ``python -m training`` sub-command parsers.

    :param sub: the ``add_subparsers()`` object.
    """
    parser = sub.add_parser("default-model", help="rebuild the shipped default model from a datasets folder")
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR),
                        help=f"folder laid out like ../shared/datasets (default {DEFAULT_DATA_DIR})")
    parser.add_argument("--out", dest="bundle_out", default=str(DEFAULT_OUT),
                        help="bundle directory to write (default moderation/models/data/default_model)")
    parser.add_argument("--holdout", action="extend", nargs="+", default=[],
                        help="corpus or corpus/file kept out of training and evaluated on (repeatable)")
    parser.add_argument("--replace", action="store_true", help="replace the bundle already in --out")
    parser.add_argument("--slice-share", type=float, default=0.0,
                        help="share of each non-English source held out and judged per language (e.g. 0.1)")
    parser.add_argument("--params", help='JSON parameter overrides for the recipe, e.g. \'{"C_grid": [4]}\'')
    parser.add_argument("--list", action="store_true",
                        help="only list the corpora: present or absent, may ship or evaluation only, licence")
    parser.set_defaults(func=cmd_default_model)


def cmd_default_model(args: argparse.Namespace) -> int:
    """Run ``default-model`` (see the module's docstring).

    :param args: parsed arguments.
    :returns: 0, or 1 when refusing to overwrite, or 2 when the data directory or a held-out corpus is absent.
    """
    from training.fit import stderr_progress

    try:
        holdouts = [parse_holdout(spec) for spec in args.holdout]
        params = json.loads(args.params) if args.params else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.list:
        try:
            print(format_survey(survey(Path(args.data_dir))))
        except DataDirMissing as exc:
            print(f"default-model: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return 0
    try:
        rebuild_default_model(
            Path(args.data_dir), Path(args.bundle_out), holdouts=holdouts, replace=args.replace,
            params=params, progress=stderr_progress, slice_share=args.slice_share,
        )
    except DefaultModelError as exc:
        print(f"default-model: {exc}", file=sys.stderr)
        return exc.code
    return 0
