"""Language identification: short sentences in ten languages, the backend's hint, zxx and und."""

from __future__ import annotations

import pytest

from moderation.judging.language import (
    MAX_CHARS,
    NO_LANGUAGE,
    UNDETERMINED,
    LanguageIdentifier,
    identify,
    identify_batch,
    normalize_hint,
    snippet,
)

# Made up for these tests: one ordinary sentence per language.
SENTENCES = {
    "en": "The council approved the new budget for the city library yesterday.",
    "zh": "市议会昨天批准了图书馆的新预算，大家都很高兴。",
    "de": "Die Zeitung schreibt über die Wahl und die neuen Kandidaten im Stadtrat.",
    "ru": "Вчера городской совет утвердил новый бюджет для библиотеки.",
    "ar": "وافق المجلس البلدي أمس على الميزانية الجديدة للمكتبة العامة.",
    "es": "El ayuntamiento aprobó ayer el nuevo presupuesto para la biblioteca.",
    "it": "Il consiglio comunale ha approvato ieri il nuovo bilancio della biblioteca.",
    "tr": "Belediye meclisi dün kütüphane için yeni bütçeyi onayladı.",
    "fr": "Le conseil municipal a approuvé hier le nouveau budget de la bibliothèque.",
    "pt": "A câmara municipal aprovou ontem o novo orçamento da biblioteca pública.",
}


@pytest.mark.parametrize(("lang", "text"), SENTENCES.items())
def test_a_short_sentence_is_identified_in_each_language(lang: str, text: str) -> None:
    # Given an ordinary sentence, with no hint
    # When its language is identified
    guess = identify(text)
    # Then it is the sentence's language, with a confident probability
    assert guess.lang == lang
    assert 0.5 <= guess.confidence <= 1.0


def test_threats_in_chinese_and_russian_are_identified() -> None:
    assert identify("我会杀了你").lang == "zh"
    assert identify("Я тебя убью").lang == "ru"


@pytest.mark.parametrize("text", ["😀😀😀", "12345 !!!", "https://example.org/a?b=c", "@someone 42", "👍 www.x.com",
                                  "a.com b.com c.com", "news.example/x 2"])
def test_a_text_without_letters_is_zxx(text: str) -> None:
    assert identify(text) == (NO_LANGUAGE, 1.0)


@pytest.mark.parametrize("text", ["lol", "first!"])
def test_a_text_too_short_to_tell_is_und_without_a_hint(text: str) -> None:
    guess = identify(text)
    assert guess.lang == UNDETERMINED
    assert guess.confidence < 0.4


def test_a_hint_wins_when_the_text_is_too_short_to_tell() -> None:
    # Given a very short text the identifier cannot place, from a German site
    # When identified with the hint
    # Then the hint decides
    assert identify("lol", hint="de").lang == "de"
    assert identify("Danke!", hint="de-AT").lang == "de"


@pytest.mark.parametrize(("text", "lang"), [("我会杀了你", "zh"), ("Я тебя убью", "ru"), ("سأقتلك", "ar")])
def test_a_short_threat_in_another_script_is_not_taken_for_the_hinted_language(text: str, lang: str) -> None:
    assert identify(text, hint="en").lang == lang


def test_a_hint_the_text_contradicts_is_not_followed() -> None:
    # Given a long German sentence sent by an English site
    # When identified with the hint "en"
    guess = identify(SENTENCES["de"], hint="en")
    # Then the identifier's answer wins: English gets a negligible probability
    assert guess.lang == "de"


def test_a_plausible_hint_wins_over_a_close_guess() -> None:
    # Given a short English insult the identifier hesitates on (it guesses Spanish, English close behind)
    text = "Shut up, you idiot"
    assert identify(text).lang != "en"
    # When the backend says it is English
    # Then English it is, with the identifier's probability of it
    guess = identify(text, hint="en")
    assert guess.lang == "en"
    assert 0.05 <= guess.confidence < 0.5


@pytest.mark.parametrize(("hint", "expected"), [
    ("en", "en"), ("pt-BR", "pt"), ("zh_Hant", "zh"), ("yue", "zh"), ("arz", "ar"), ("DEU", "de"),
    ("", None), (None, None), ("x", None), ("1234", None),
])
def test_hints_are_read_as_their_primary_language(hint: str | None, expected: str | None) -> None:
    assert normalize_hint(hint) == expected


def test_dialect_labels_are_mapped_to_their_language() -> None:
    # Cantonese and Egyptian Arabic are identified as Chinese and Arabic, not as codes no bundle claims
    assert identify("佢哋今日好開心，食咗好多嘢。").lang == "zh"
    assert identify("انا مش عارف ايه اللي بيحصل ده خالص يا جماعة").lang == "ar"


@pytest.mark.parametrize(("text", "lang"), [("안녕하세요 반갑습니다", "ko"), ("こんにちは、元気ですか", "ja"),
                                            ("Καλημέρα σε όλους", "el")])
def test_scripts_of_one_language_decide_at_once(text: str, lang: str) -> None:
    assert identify(text) == (lang, 1.0)


def test_a_kana_smiley_in_english_does_not_make_it_japanese() -> None:
    assert identify(r"¯\_(ツ)_/¯ whatever you say, the council approved the budget anyway").lang == "en"


def test_only_the_start_of_a_long_comment_is_read_without_links() -> None:
    text = "Read https://example.org/x and\nthen " + "word " * 200
    cut = snippet(text)
    assert len(cut) <= MAX_CHARS
    assert "example" not in cut and "\n" not in cut


def test_a_batch_is_identified_with_its_hints() -> None:
    guesses = identify_batch([SENTENCES["fr"], "lol", "🙂"], ["fr", "it", None])
    assert [g.lang for g in guesses] == ["fr", "it", NO_LANGUAGE]


def test_the_identifier_object_gives_codes_for_the_quality_bench() -> None:
    assert LanguageIdentifier().identify_texts([SENTENCES["it"], "🙂"]) == ["it", NO_LANGUAGE]


@pytest.mark.parametrize("text", ["加微信领取免费红包 138 0013 8000", "正品低价出售", "兼职日结工资高，加VX",
                                  "点击链接 www.example.cn 免费领取"])
def test_chinese_without_kana_is_chinese_even_when_the_identifier_says_japanese(text: str) -> None:
    # Given short Chinese (spam above all) that the identifier alone takes for Japanese
    # When identified
    guess = identify(text)
    # Then it is Chinese: Japanese writes its grammar in kana
    assert guess.lang == "zh"


def test_japanese_with_kana_stays_japanese_and_a_kanji_only_comment_follows_a_japanese_hint() -> None:
    # Given Japanese with kana, and kanji alone (as Japanese may be written) from a Japanese site
    # When identified
    # Then the first is Japanese, and the second is Japanese with the hint and Chinese without
    assert identify("日本語のニュースです").lang == "ja"
    assert identify("東京都", hint="ja").lang == "ja"
    assert identify("東京都").lang == "zh"
