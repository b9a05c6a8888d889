"""Composing seed comments in languages other than English from their phrase files."""

from __future__ import annotations

import random
import re

import pytest

from training.seed_corpus import generate, generate_english
from training.seed_languages import _Language, disguise, disguise_text, disguise_urls, generate_language
from training.seed_phrases import load

_SCRIPT = {
    "ru": re.compile(r"[а-яё]", re.IGNORECASE),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "ar": re.compile(r"[\u0600-\u06ff]"),
}


def test_other_languages_never_change_the_english_rows() -> None:
    """Given the corpus with and without the other languages, when compared, then the English rows are the
    same: each language has its own RNG."""
    with_all = generate(seed=9, size=200)
    english = generate_english(seed=9, size=200)

    assert with_all[:200] == english


def test_one_language_does_not_depend_on_which_others_are_generated() -> None:
    """Given German generated alone and alongside French, when compared, then its rows are identical."""
    alone = [r for r in generate(seed=4, size=10, languages=["de"]) if r["lang"] == "de"]
    together = [r for r in generate(seed=4, size=10, languages=["fr", "de"]) if r["lang"] == "de"]

    assert alone == together


@pytest.mark.parametrize("lang", ["ru", "zh", "ar"])
def test_texts_are_written_in_the_language_s_own_script(lang: str) -> None:
    """Given Russian, Chinese or Arabic rows, when their texts are checked, then nearly all ordinary and
    abusive ones contain that script (spam may be only a link)."""
    rows = generate_language(lang, seed=1, size=200)
    texts = [str(r["text"]) for r in rows if not r["spam"]]

    assert sum(bool(_SCRIPT[lang].search(t)) for t in texts) >= 0.97 * len(texts)


def test_chinese_sentences_are_joined_without_spaces_and_end_with_a_full_stop() -> None:
    """Given the Chinese rules, when two sentences are joined, then no space is put between them."""
    zh = _Language(load("zh"))

    assert zh.join([zh.sentence("我觉得不错"), zh.sentence("谢谢")]) == "我觉得不错。谢谢。"


def test_turkish_casing_keeps_dotted_and_dotless_i() -> None:
    """Given Turkish text, when upper- and lower-cased by its rules, then i/İ and ı/I stay distinct."""
    tr = _Language(load("tr"))

    assert tr.upper("şikayet ılık") == "ŞİKAYET ILIK"
    assert tr.lower("İZMİR IRMAK") == "izmir ırmak"


def test_an_opener_with_a_comma_lowercases_the_next_sentence_but_not_a_name() -> None:
    """Given a French opener ending in a comma, when joined, then a common word is lower-cased, a city not."""
    fr = _Language(load("fr"))

    assert fr.join(["Franchement,", "Le bus est en retard."]) == "Franchement, le bus est en retard."
    assert fr.join(["Franchement,", "Lyon est plus rapide."]) == "Franchement, Lyon est plus rapide."


@pytest.mark.parametrize(("lang", "word"), [("de", "Arschloch"), ("fr", "connard"), ("tr", "orospu çocuğu"),
                                            ("ru", "сука"), ("zh", "傻逼"), ("ar", "كلب"), ("ko", "씨발")])
def test_abuse_words_are_disguised_in_the_ways_of_their_language(lang: str, word: str) -> None:
    """Given an abusive word, when disguised many times, then nearly every draw differs from the word (a
    random style may leave it whole) and several different forms appear."""
    language = _Language(load(lang))
    rng = random.Random(0)
    forms = [disguise(word, rng, language) for _ in range(60)]

    assert len(set(forms)) >= 6
    assert sum(form != word for form in forms) >= 0.85 * len(forms)


def test_russian_look_alikes_swap_cyrillic_for_latin_letters() -> None:
    """Given a Russian word and the homoglyph style only, when disguised, then Latin look-alikes replace some
    Cyrillic letters (the obfuscation the normalizer must undo only inside Cyrillic words)."""
    spec = load("ru")
    language = _Language(spec)
    language.obf = {**spec.obfuscation, "styles": ["homoglyph"]}
    rng = random.Random(2)
    forms = [disguise("сука", rng, language) for _ in range(20)]

    assert any(re.search(r"[a-z]", f) for f in forms)


def test_disguise_text_only_touches_target_words() -> None:
    """Given German text with one abusive word, when disguised at rate 1 with ten seeds, then the rest of the
    text is always kept and the word is (nearly always) changed."""
    language = _Language(load("de"))
    text = "Der Bericht ist gut, du Arschloch."

    outs = [disguise_text(text, language.abuse_targets, random.Random(seed), language, rate=1.0)
            for seed in range(10)]

    assert all(out.startswith("Der Bericht ist gut, du ") for out in outs)
    assert sum("Arschloch" not in out for out in outs) >= 8


def test_links_are_written_with_the_language_s_word_for_dot() -> None:
    """Given a spam link and the Russian dots, when disguised, then no plain dot is left in the domain."""
    language = _Language(load("ru"))

    out = disguise_urls("Пиши: https://getcrypto.xyz/offer", random.Random(1), language)

    assert "getcrypto.xyz" not in out and out.startswith("Пиши: getcrypto")


def test_obscene_label_follows_the_language_s_patterns() -> None:
    """Given generated abuse, when rows are labelled obscene, then their text matched the language's
    obscene patterns before disguise (checked here on rows left undisguised)."""
    for lang in ("de", "ru", "zh"):
        language = _Language(load(lang))
        rows = generate_language(lang, seed=2, size=300)
        plain_obscene = [r for r in rows if r["toxic"] and language.obscene.search(str(r["text"]))]
        assert plain_obscene and all(r["obscene"] for r in plain_obscene if not r["spam"]), lang
