"""Script-aware normalization: real Cyrillic, Greek and Arabic stay in their script; obfuscated English folds."""

from __future__ import annotations

import pytest

from moderation.judging.features import FeatureParams, Featurizer
from moderation.judging.normalize import mainly_latin, normalize, normalize_counted, tokenize


@pytest.mark.parametrize(("text", "expected"), [
    ("Я знаю, тот сок был вкусный", "я знаю, тот сок был вкусный"),  # words made only of look-alike letters
    ("Он сказал это вчера вечером", "он сказал это вчера вечером"),
    ("Мой кот спит", "мой кот спит"),
    ("Το κείμενο και το άρθρο", "το κειμενο και το αρθρο"),  # Greek: accents dropped, letters kept
    ("قال المجلس إن الميزانية جاهزة", "قال المجلس ان الميزانية جاهزة"),  # Arabic: the hamza mark dropped
])
def test_real_text_in_other_scripts_keeps_its_letters(text: str, expected: str) -> None:
    # Given a sentence in Russian, Greek or Arabic
    # When normalized
    normalized, folds = normalize_counted(text)
    # Then no letter was turned into a Latin look-alike, and no fold was counted (no obfuscation hint)
    assert normalized == expected
    assert folds == 0


def test_a_lone_russian_word_of_look_alike_letters_stays_russian() -> None:
    assert normalize("тот") == "тот"
    assert normalize("сок") == "сок"


def test_cyrillic_short_i_is_kept() -> None:
    assert normalize("мой") == "мой"


@pytest.mark.parametrize(("text", "expected"), [
    ("what a ѕһіт day", "what a shit day"),  # look-alikes in an English sentence
    ("ѕһіт", "shit"),  # alone, but with letters no Russian word has
    ("you іdіоt", "you idiot"),  # mixed with Latin letters in the word
    ("you are such an сок", "you are such an cok"),  # mainly Latin text: folded as before
    ("і d і o t", "idiot"),  # spread out, with look-alikes
])
def test_obfuscated_english_is_still_folded(text: str, expected: str) -> None:
    normalized, folds = normalize_counted(text)
    assert normalized == expected
    assert folds >= 1


def test_a_latin_letter_hidden_in_a_russian_word_is_not_folded_into_latin() -> None:
    # "пpивет" with a Latin p: the Russian word is not turned into Latin look-alikes
    assert normalize("Всем пpивет из Москвы") == "всем пpивет из москвы"


@pytest.mark.parametrize("text", ["我有3个苹果", "他說了88次", "价格是5g网络"])
def test_digits_inside_chinese_are_not_leet(text: str) -> None:
    assert normalize(text) == text.lower()


def test_mainly_latin_counts_letters_not_look_alikes() -> None:
    assert mainly_latin("the сок is good")
    assert not mainly_latin("тот сок был вкусный")
    assert mainly_latin("ѕһіт")
    assert not mainly_latin("тот")


def test_the_model_sees_the_same_tokens_as_the_rules() -> None:
    # The featurizer and the rules both go through prepare/normalize_chunk: Cyrillic tokens stay Cyrillic
    featurizer = Featurizer(FeatureParams())
    text = "Я знаю, тот сок был вкусный"
    batch = featurizer.hash_batch([text, "what a ѕһіт day"])
    assert list(batch.tokens[0]) == tokenize(text)
    assert "тот" in batch.tokens[0]
    assert "shit" in batch.tokens[1]
