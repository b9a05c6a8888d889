"""A tiny data directory laid out like ``../shared/datasets``, every text made up here (none is copied).

Each corpus of the catalogue gets its files in its own format, with a few rows that alternate between a
harmless and an abusive (or spammy) made-up comment, and its licence files with placeholder text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from tests.training.readers._files import write_csv, write_jsonl, write_text
from training.corpora import Corpus, catalogue

CALM = ["the made-up tram line opens in spring", "thanks for the made-up budget summary",
        "the invented library hours suit me", "a fictional park cleanup is on sunday"]
RUDE = ["you invented clown, go away", "only a made-up moron writes this",
        "shut up you fictional idiot", "what an imaginary fool you are"]
SPAM = ["win a made-up prize at http://promo.example/win", "subscribe to my invented channel now",
        "cheap fictional watches here www.deals.example", "earn made-up money from home today"]


def _text(kind: list[str], k: int, tag: str) -> str:
    return f"{kind[k % len(kind)]} ({tag} {k})"


def _youtube(path: Path, rows: int) -> None:
    write_csv(path, ["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"],
              [[f"id{k}", "someone", "2015-01-01", _text(SPAM if k % 2 else CALM, k, path.stem), k % 2]
               for k in range(rows)])


def _davidson(path: Path, rows: int) -> None:
    write_csv(path, ["", "count", "hate_speech", "offensive_language", "neither", "class", "tweet"],
              [[k, 3, 0, 0, 3, (1 if k % 2 else 2), _text(RUDE if k % 2 else CALM, k, "tweet")]
               for k in range(rows)])


def _jigsaw(path: Path, rows: int) -> None:
    write_csv(path, ["id", "comment_text", "toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"],
              [[f"j{k}", _text(RUDE if k % 2 else CALM, k, "talk"), k % 2, 0, 0, 0, k % 2, 0] for k in range(rows)])


def _toxic_spans(path: Path, rows: int) -> None:
    write_csv(path, ["comment_id", "comment_text"], [[k, _text(RUDE, k, "span")] for k in range(rows)])
    ticks = [[n, k, n, "XX", "False", "True" if k == 0 else "False"] for k in range(rows) for n in range(3)]
    write_csv(path.with_name("annotations.csv"),
              ["annotation", "comment_id", "worker", "country", "all toxic", "not toxic"], ticks)


def _civil_labelled(path: Path, rows: int) -> None:
    write_csv(path, ["text", "label"], [[_text(RUDE if k % 2 else CALM, k, "news"), k % 2] for k in range(rows)])


def _civil_scores(path: Path, rows: int) -> None:
    header = ["text", "toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack",
              "sexual_explicit", "_primary_case_type"]
    write_csv(path, header, [[_text(RUDE if k % 2 else CALM, k, "bucket"), 0.8 * (k % 2), 0, 0, 0, 0.7 * (k % 2),
                              0, 0, "insult" if k % 2 else "clean"] for k in range(rows)])


def _cat_large(path: Path, rows: int) -> None:
    if path.name == "gc.csv":
        write_csv(path, ["id", "text", "parent", "label", "api"],
                  [[k, _text(RUDE if k % 2 else CALM, k, "gc"), "a parent", k % 2, 0.5] for k in range(rows)])
    else:
        write_csv(path, ["id", "text", "label", "api", "parent"],
                  [[k, _text(RUDE if k % 2 else CALM, k, "gn"), k % 2, 0.5, "a parent"] for k in range(rows)])


def _hatexplain(path: Path, rows: int) -> None:
    labels = ["normal", "offensive", "hatespeech"]
    write_csv(path, ["post_tokens", "toxic_tokens", "post_label"],
              [[repr(_text(RUDE if k % 3 else CALM, k, "hx").split()), "[]", labels[k % 3]] for k in range(rows)])


def _stormfront(path: Path, rows: int) -> None:
    labels = ["noHate", "hate", "noHate", "relation"]
    for k in range(rows):
        write_text(path.parent / "all_files" / f"9_{k}.txt", [_text(RUDE if k % 2 else CALM, k, "forum")])
    write_csv(path, ["file_id", "user_id", "subforum_id", "num_contexts", "label"],
              [[f"9_{k}", 1, 2, 0, labels[k % 4]] for k in range(rows)])


def _ethos(path: Path, rows: int) -> None:
    write_csv(path, ["comment", "isHate"], [[_text(RUDE if k % 2 else CALM, k, "ethos"), 0.9 * (k % 2)]
                                            for k in range(rows)], delimiter=";")


def _gab(path: Path, rows: int) -> None:
    write_jsonl(path, [{"text_id": k, "Text": _text(RUDE if k % 2 else CALM, k, "gab"), "hd": k % 2, "cv": 0,
                        "vo": 0} for k in range(rows)])


def _datacamp(path: Path, rows: int) -> None:
    write_csv(path, ["comment", "label", "articleName"],
              [[_text(SPAM if k % 2 else CALM, k, "dc"), "" if k == 0 else k % 2, "a-tutorial"] for k in range(rows)])


def _multilingual(path: Path, rows: int) -> None:
    lang = path.name[:2]
    write_csv(path, ["text", "toxic", "lang"],
              [[_text(RUDE if k % 2 else CALM, k, lang), k % 2, lang] for k in range(rows)])


def _germeval(path: Path, rows: int) -> None:
    write_text(path, [f"{_text(RUDE if k % 2 else CALM, k, 'de')} |LBR| mehr\t{'OFFENSE' if k % 2 else 'OTHER'}\t"
                      f"{'INSULT' if k % 2 else 'OTHER'}" for k in range(rows)])


WRITERS: dict[str, Callable[[Path, int], None]] = {
    "youtube": _youtube, "davidson": _davidson, "jigsaw": _jigsaw, "toxic_spans": _toxic_spans,
    "civil_labelled": _civil_labelled, "civil_scores": _civil_scores, "cat_large": _cat_large,
    "hatexplain": _hatexplain, "stormfront": _stormfront, "ethos": _ethos, "gab": _gab, "datacamp": _datacamp,
    "multilingual": _multilingual, "germeval": _germeval,
}


def write_corpus(root: Path, corpus: Corpus, rows: int = 8) -> None:
    """Write one corpus's files (and licence files) under ``root``.

    :param root: the data directory.
    :param corpus: the corpus.
    :param rows: rows per data file.
    """
    for name in corpus.files:
        WRITERS[corpus.format](root / corpus.folder / name, rows)
    for name in corpus.licence_files:
        write_text(root / corpus.folder / name, [f"placeholder licence text for {corpus.name}"])


def write_data_dir(root: Path, *, skip: Iterable[str] = (), rows: int = 8) -> Path:
    """Write every catalogued corpus except ``skip`` under ``root``, plus a README as the shared one has.

    :param root: the data directory (created).
    :param skip: corpus names to leave absent.
    :param rows: rows per data file.
    :returns: ``root``.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "README.md").write_text(json.dumps({"note": "made-up test data"}))
    left_out = set(skip)
    for corpus in catalogue().values():
        if corpus.name not in left_out:
            write_corpus(root, corpus, rows)
    return root
