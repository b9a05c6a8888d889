"""The seed corpus's phrase files: every language's file loads, and has what its generator needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from moderation.records import ALL_HEADS
from training import seed_phrases
from training.seed_phrases import CLASSES, SEED_DIR, languages, lines, load

#: The ten languages the seed corpus covers besides English.
OTHER_LANGUAGES = ("ar", "de", "es", "fr", "it", "ko", "pt", "ru", "tr", "zh")
_SLOT = re.compile(r"\{(\w+)\}")


def test_there_is_one_file_per_language_english_first() -> None:
    """Given the phrase folder, when languages are listed, then English comes first and the ten others follow."""
    assert languages() == ("en", *OTHER_LANGUAGES)


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_each_language_file_loads_with_kinds_of_every_class(lang: str) -> None:
    """Given a language's file, when loaded, then it names itself, has kinds of ham, spam and toxic with
    templates, labels only known heads, and has the banks the generator reads."""
    spec = load(lang)

    assert spec.lang == lang and spec.name
    for cls in CLASSES:
        kinds = spec.kinds_of(cls)
        assert kinds and all(kind.templates and kind.weight > 0 for kind in kinds), f"{lang}: no {cls} kind"
    assert {label for kind in spec.kinds for label in kind.labels} <= set(ALL_HEADS)
    for bank in ("obscene_patterns", "abuse_targets", "spam_targets", "name", "spam_words"):
        assert spec[bank], f"{lang}: bank {bank} is empty"
    assert int(spec.meta["size"]) > 0


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_each_template_slot_names_a_bank_or_a_generated_value(lang: str) -> None:
    """Given a language's templates and banks, when their {slots} are listed, then each is a bank of the file,
    a shared English bank or a generated value (so no English filler leaks into another language)."""
    from training.seed_languages import SHARED_BANKS

    spec = load(lang)
    generated = {"num", "year", "pct", "dd", "mm", "d1", "d2", "d3", "d4", "d6", "url", "short_url", "video_url",
                 "lookalike_url", "handle", "email", "code"}
    phrases = [t for kind in spec.kinds for t in kind.templates] + [p for bank in spec.banks.values() for p in bank]
    slots = {slot for phrase in phrases for slot in _SLOT.findall(phrase)}

    assert slots - set(spec.banks) - set(SHARED_BANKS) - generated == set()


def test_english_file_has_the_topics_and_capitalised_banks() -> None:
    """Given the English file, when loaded, then topics have subjects, people and facts, and ``{Name}`` gives
    the bank ``name`` with capitals."""
    en = load("en")

    assert all(set(topic) == {"subj", "ppl", "fact"} for topic in en.topics.values())
    assert en["Wsubj"] == tuple(s[0].upper() + s[1:] for s in en["wsubj"])
    assert "Wsubj" in en and "Nope" not in en
    with pytest.raises(KeyError):
        en["nope"]


def test_lines_keep_one_stripped_phrase_a_line() -> None:
    """Given a multi-line bank with indentation and blank lines, when split, then each phrase is one item."""
    assert lines("\n   first one \n\n  second\n") == ("first one", "second")


def test_a_file_whose_meta_lang_differs_from_its_name_is_refused(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a phrase file named xx.toml that says it is yy, when loaded, then a ValueError names the file."""
    (tmp_path / "xx.toml").write_text('[meta]\nlang = "yy"\n', encoding="utf-8")
    monkeypatch.setattr(seed_phrases, "SEED_DIR", tmp_path)

    with pytest.raises(ValueError, match=r"xx\.toml"):
        load.__wrapped__("xx")


def test_the_phrase_files_ship_with_the_package() -> None:
    """Given the package metadata, when its data globs are read, then the phrase files are included."""
    pyproject = (SEED_DIR.parents[2] / "pyproject.toml").read_text(encoding="utf-8")

    assert '"data/seed/*.toml"' in pyproject
