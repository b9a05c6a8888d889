"""The committed seed corpus: it is exactly what its generator writes, in every language, with ``lang``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from training.datasets import load_dataset
from training.seed_composer import CLASS_SHARES, LABELS
from training.seed_corpus import DEFAULT_SIZE, generate, main, write_jsonl
from training.seed_phrases import languages
from training.train import SEED_CORPUS


@pytest.fixture(scope="module")
def committed() -> list[dict[str, object]]:
    """The committed corpus, parsed."""
    return [json.loads(line) for line in SEED_CORPUS.read_text(encoding="utf-8").splitlines()]


def test_committed_corpus_is_byte_for_byte_what_the_generator_writes(tmp_path: Path) -> None:
    """Given the phrase files and the default seed, when the corpus is generated as `python -m
    training.seed_corpus` does, then the file equals the committed one byte for byte (regenerate and commit
    both together)."""
    out = tmp_path / "seed_corpus.jsonl"

    assert main(["--out", str(out)]) == 0

    assert out.read_bytes() == SEED_CORPUS.read_bytes(), "run `python -m training.seed_corpus` and commit"


def test_generation_is_deterministic_and_the_seed_matters(tmp_path: Path) -> None:
    """Given one seed, when the corpus is generated twice, then the rows are equal; with another seed they
    are not."""
    first = generate(seed=5, size=300, languages=["de", "zh"])
    again = generate(seed=5, size=300, languages=["de", "zh"])
    other = generate(seed=6, size=300, languages=["de", "zh"])

    assert first == again
    assert first != other


def test_every_record_carries_lang_and_every_language_is_present(committed: list[dict[str, object]]) -> None:
    """Given the committed corpus, when its records are read, then each has a two-letter ``lang``, English
    comes first with its 12,000 rows, and every language with a phrase file has rows."""
    langs = Counter(str(row["lang"]) for row in committed)

    assert all(isinstance(row.get("lang"), str) and len(str(row["lang"])) == 2 for row in committed)
    assert set(langs) == set(languages())
    assert langs["en"] == DEFAULT_SIZE
    assert all(row["lang"] == "en" for row in committed[:DEFAULT_SIZE])
    assert 4000 <= len(committed) - DEFAULT_SIZE <= 8000


@pytest.mark.parametrize("lang", languages())
def test_each_language_has_every_class_in_the_english_shares(committed: list[dict[str, object]], lang: str) -> None:
    """Given one language's rows, when counted by class, then ham, spam and toxic are all there in the shares
    of CLASS_SHARES, toxic rows carry subtypes, subtypes never appear without toxic, and texts are unique."""
    rows = [row for row in committed if row["lang"] == lang]
    spam = sum(int(row["spam"]) for row in rows)  # type: ignore[call-overload]
    toxic = sum(int(row["toxic"]) for row in rows)  # type: ignore[call-overload]
    ham = len(rows) - spam - toxic

    assert spam == round(len(rows) * CLASS_SHARES["spam"])
    assert toxic == round(len(rows) * CLASS_SHARES["toxic"])
    assert ham > 0
    assert not any(row["spam"] and row["toxic"] for row in rows)
    for label in ("insult", "threat", "identity_hate", "obscene"):
        assert any(row[label] for row in rows), f"{lang}: no {label} row"
    assert all(row["toxic"] for row in rows if any(row[h] for h in LABELS[2:]))
    assert len({str(row["text"]).casefold() for row in rows}) == len(rows)


def test_the_readers_keep_lang_so_training_can_tell_languages_apart(tmp_path: Path) -> None:
    """Given a few corpus rows written as JSON Lines, when read by the dataset loader, then every Example
    has the row's ``lang`` and labels."""
    rows = generate(seed=3, size=30, languages=["ru"])
    path = tmp_path / "few.jsonl"
    write_jsonl(rows, path)

    examples = load_dataset(path)

    assert [e.lang for e in examples] == [row["lang"] for row in rows]
    assert [e.labels["toxic"] for e in examples] == [row["toxic"] for row in rows]
