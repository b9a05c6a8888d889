"""Policy per language: which comments the model decides, what happens to the others, words per language."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from moderation import keys
from moderation.judging.pipeline import moderate, validate_payloads
from moderation.judging.policy import PolicyError, load_policy, load_words
from moderation.judging.rules.base import TextView
from moderation.judging.rules.words import WordMatcher
from moderation.records import Decision
from moderation.settings import PROJECT_ROOT
from tests.moderation.review_fakes import FakeHeadScore, FakeScorer, comment, make_handler, write_policy

THREAT_ZH = "我会杀了你"
THREAT_RU = "Я тебя убью, понял?"
POLITE_DE = "Die Zeitung schreibt über die Wahl, und ich finde den Artikel sehr gut."

WORDS = """
banned = ["slurword"]
suspect = ["idiot*"]

[any]
banned = ["everywhereword"]

[de]
suspect = ["arschloch*"]

[ru]
banned = ["сука"]
suspect = ["тупой"]

[zh]
banned = ["操你妈"]
"""

SITES = """
[languages]
unsupported = "review"

[sites.relaxed.languages]
unsupported = "approve"
"""


class GermanScorer(FakeScorer):
    """The fake scorer of a bundle that claims English and German, and takes the comments' languages."""

    languages = ("en", "de")

    def __init__(self) -> None:
        self.langs: list[str] = []

    def score_batch(self, texts: Sequence[str], explain: bool = True, top_k: int = 5,
                    langs: Sequence[str] | None = None) -> list[dict[str, Any]]:
        self.langs = list(langs or ())
        return super().score_batch(texts, explain, top_k)


class ThreatBlindScorer(FakeScorer):
    """A model that finds nothing wrong with anything (as an English model reads a Chinese threat)."""

    def score_batch(self, texts: Sequence[str], explain: bool = True, top_k: int = 5,
                    langs: Sequence[str] | None = None) -> list[dict[str, Any]]:
        return [{"spam": FakeHeadScore(0.01), "toxic": FakeHeadScore(0.02)} for _ in texts]


def decide(payloads: list[dict[str, Any]], scorer: Any, policy: Any) -> dict[str, Decision]:
    comments, invalid = validate_payloads(payloads)
    assert not invalid
    return {d.comment_id: d for d in moderate(comments, scorer, policy)}


@pytest.mark.parametrize("body", [THREAT_ZH, THREAT_RU])
def test_a_threat_in_an_unsupported_language_is_held_not_approved(tmp_path: Path, body: str) -> None:
    # Given an English-only model that sees nothing wrong, and the default policy
    policy = write_policy(tmp_path, SITES)
    # When a threat in Chinese or Russian comes from an English site
    decision = decide([comment("c1", body)], ThreatBlindScorer(), policy)["c1"]
    # Then it is held for review as an unsupported language, its language and confidence recorded
    assert decision.decision == "review"
    assert [r.code for r in decision.reasons] == ["lang.unsupported"]
    assert decision.lang in {"zh", "ru"}
    assert decision.lang_confidence is not None and decision.lang_confidence > 0.5
    assert decision.lang in decision.reasons[0].message
    assert f"{decision.lang_confidence:.2f}" in decision.reasons[0].message
    assert decision.scores == {"spam": 0.01, "toxic": 0.02}  # still reported


def test_a_site_can_approve_unsupported_languages(tmp_path: Path) -> None:
    policy = write_policy(tmp_path, SITES)
    decision = decide([comment("c1", THREAT_RU, site="relaxed")], ThreatBlindScorer(), policy)["c1"]
    assert decision.decision == "approve"
    assert decision.reasons[0].code == "lang.unsupported"
    assert "approved" in decision.reasons[0].message


def test_an_undetermined_language_gets_its_own_outcome(tmp_path: Path) -> None:
    policy = write_policy(tmp_path, '[languages]\nunsupported = "review"\nundetermined = "approve"\n')
    decisions = decide([comment("c1", "lol", lang=None), comment("c2", THREAT_RU)], ThreatBlindScorer(), policy)
    assert (decisions["c1"].lang, decisions["c1"].decision) == ("und", "approve")
    assert "could not be determined" in decisions["c1"].reasons[0].message
    assert decisions["c2"].decision == "review"


def test_polite_german_is_approved_when_the_model_supports_german(tmp_path: Path) -> None:
    # Given a model that claims English and German and takes the comments' languages
    policy = write_policy(tmp_path, SITES)
    scorer = GermanScorer()
    # When a polite German comment and an English one are moderated
    decisions = decide([comment("de", POLITE_DE), comment("en", "Great reporting, thanks for the details!")],
                       scorer, policy)
    # Then both are scored by the model and approved, and the model was told their languages
    assert decisions["de"].decision == "approve" and decisions["de"].reasons[0].code == "ok"
    assert decisions["de"].lang == "de"
    assert scorer.langs == ["de", "en"]


class ScreeningScorer(FakeScorer):
    """A model that claims English and screens German: toxic 0.05 for polite text, 0.60 for the rest."""

    languages = ("en",)
    screened_languages = ("de",)

    def score_batch(self, texts: Sequence[str], explain: bool = True, top_k: int = 5,
                    langs: Sequence[str] | None = None) -> list[dict[str, Any]]:
        return [{"spam": FakeHeadScore(0.01), "toxic": FakeHeadScore(0.05 if "Zeitung" in t else 0.95)}
                for t in texts]


RUDE_DE = "Du bist so ein erbärmlicher Versager, halt einfach die Klappe hier"


def test_a_screened_language_is_approved_when_the_model_is_sure_and_held_otherwise(tmp_path: Path) -> None:
    # Given a model that screens German (real labels, below the bar to be claimed) and the default policy
    policy = write_policy(tmp_path, SITES)
    # When a polite German comment and a rude one the model would reject are moderated
    decisions = decide([comment("polite", POLITE_DE), comment("rude", RUDE_DE)], ScreeningScorer(), policy)
    # Then the polite one is approved by the model, and the rude one is held (not rejected: German scores are
    # not trusted to reject), with the screening reason first and the model's reason after it
    assert decisions["polite"].decision == "approve" and decisions["polite"].reasons[0].code == "ok"
    rude = decisions["rude"]
    assert rude.decision == "review" and rude.lang == "de"
    assert [r.code for r in rude.reasons] == ["lang.screened", "toxic.reject"]
    assert "screened" in rude.reasons[0].message


@pytest.mark.parametrize(("setting", "outcome"), [("review", "review"), ("approve", "approve")])
def test_a_site_can_treat_a_screened_language_as_unsupported(tmp_path: Path, setting: str, outcome: str) -> None:
    # Given a site whose policy says screened languages are to be held (or approved) like unsupported ones
    policy = write_policy(tmp_path, SITES + f'\n[sites.strict.languages]\nscreened = "{setting}"\n')
    # When a polite German comment comes from that site, and another from the default site
    decisions = decide([comment("s", POLITE_DE, site="strict"), comment("d", POLITE_DE)], ScreeningScorer(), policy)
    # Then that site's outcome is its setting with the unsupported reason, and the default site screens
    assert decisions["s"].decision == outcome and decisions["s"].reasons[0].code == "lang.unsupported"
    assert decisions["d"].decision == "approve"


def test_an_unknown_screened_setting_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="screened"):
        write_policy(tmp_path, '[languages]\nscreened = "maybe"\n')


def test_a_sites_default_language_is_the_hint_of_comments_without_one(tmp_path: Path) -> None:
    # Given a policy whose English site sets its language, and a site that does not
    policy = write_policy(tmp_path, '[sites.news-en.languages]\ndefault = "en"\n')
    # When short comments without a lang come from both, and a German one from the English site
    decisions = decide([comment("en-site", "lol", lang=None, site="news-en"),
                        comment("other", "lol", lang=None, site="elsewhere"),
                        comment("de", POLITE_DE, lang=None, site="news-en")], FakeScorer(), policy)
    # Then the English site's "lol" is English and scored, the other site's cannot be told, and the German
    # comment is still German (a default is a hint, not a verdict)
    assert (decisions["en-site"].lang, decisions["en-site"].decision) == ("en", "approve")
    assert (decisions["other"].lang, decisions["other"].decision) == ("und", "review")
    assert decisions["de"].lang == "de"


def test_a_default_language_that_is_not_a_code_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="default"):
        write_policy(tmp_path, '[languages]\ndefault = "English"\n')


class SpamScorer(FakeScorer):
    """A model that finds everything to be spam."""

    def score_batch(self, texts: Sequence[str], explain: bool = True, top_k: int = 5,
                    langs: Sequence[str] | None = None) -> list[dict[str, Any]]:
        return [{"spam": FakeHeadScore(0.95), "toxic": FakeHeadScore(0.02)} for _ in texts]


def test_a_comment_without_letters_is_scored_as_usual(tmp_path: Path) -> None:
    # Given a comment of emoji and a number only, and no hint
    policy = write_policy(tmp_path)
    # When moderated
    decision = decide([comment("c1", "👍👍👍 100% 1234", lang=None)], SpamScorer(), policy)["c1"]
    # Then it is language-neutral and the model's score decides
    assert (decision.lang, decision.lang_confidence) == ("zxx", 1.0)
    assert decision.decision == "reject" and decision.reasons[0].code == "spam.reject"


def test_records_carry_the_language_and_old_records_still_read(tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    decision = decide([comment("c1", "Great reporting, thanks for the details!")], FakeScorer(), policy)["c1"]
    data = decision.to_dict()
    assert data["lang"] == "en" and 0.5 < data["lang_confidence"] <= 1
    assert Decision.from_dict(data) == decision
    old = {k: v for k, v in data.items() if k not in {"lang", "lang_confidence"}}
    assert Decision.from_dict(old).lang is None


@pytest.mark.integration
def test_words_apply_per_language(tmp_path: Path, redis: Redis, redis_url: str) -> None:
    # Given word lists with German, Russian, Chinese and language-independent sections
    policy = write_policy(tmp_path, SITES + '[sites.relaxed.rules]\nextra_banned_words = ["siteword"]\n',
                          words=WORDS)
    handler = make_handler(redis, redis_url, f"langwords-{tmp_path.name}", policy)
    payloads = [
        comment("ru", "Ну ты и сука, честное слово, сколько можно уже", author="a1"),
        comment("ru2", "Какой же ты тупой человек, просто невероятно", author="a2"),
        comment("zh", "你这个人真的是操你妈的混蛋", author="a3"),
        comment("de", "Du bist ein Arschloch, und das weiß die ganze Stadt", author="a4"),
        comment("de-en-list", "Du bist ein Idiot, und das weiß die ganze Stadt wirklich", author="a5"),
        comment("de-any", "Das ist ein everywhereword in einem deutschen Satz hier", author="a6"),
        comment("en", "You are a slurword and everyone in this city knows it", author="a7"),
        comment("site", "Das ist ein siteword in einem deutschen Satz hier", author="a8", site="relaxed"),
    ]
    # When they are moderated (the fake model supports English only)
    handler.handle(payloads)
    got = {p["id"]: Decision.from_dict(json.loads(redis.get(keys.decision_key(handler.settings.prefix, p.get("site"),
                                                                              p["id"]))))
           for p in payloads}
    codes = {cid: [r.code for r in d.reasons] for cid, d in got.items()}
    # Then each comment met its own language's lists, the [any] list and the site's extra words
    assert got["ru"].decision == "reject" and "words.banned" in codes["ru"]
    assert "words.suspect" in codes["ru2"]
    assert got["zh"].decision == "reject" and got["zh"].reasons[-1].terms == ("操你妈",)
    assert "words.suspect" in codes["de"]
    assert "words.suspect" not in codes["de-en-list"]  # the English list is not German's
    assert got["de-any"].decision == "reject"
    assert got["en"].decision == "reject"
    assert got["site"].decision == "reject"


def test_cyrillic_entries_match_in_their_own_script_and_accents_are_optional() -> None:
    matcher = WordMatcher(["сука", "maricón*"], ["тупой"])
    assert matcher.match(TextView("Ну ты и сука")).banned == ("сука",)
    assert matcher.match(TextView("you are a сука")).banned == ("сука",)  # folded in Latin text, raw word kept
    assert matcher.match(TextView("eres un maricon")).banned == ("maricón",)
    assert matcher.match(TextView("MARICONES")).banned == ("maricón",)
    assert matcher.match(TextView("ты тупой")).suspect == ("тупой",)
    assert not matcher.match(TextView("ты тупо сидишь")).suspect


@pytest.mark.parametrize(("text", "complaint"), [
    ('banned = ["Сука"]\n', "lowercase letters"),
    ('banned = ["a.*b"]\n', "no other pattern syntax"),
    ('[de]\nbanned = ["x"]\n', "de.banned"),
    ('[de]\nforbidden = ["wort"]\n', "unknown setting"),
    ('[German]\nbanned = ["wort"]\n', "ISO 639-1"),
    ('colour = "red"\n', "unknown setting"),
])
def test_invalid_word_lists_are_refused_with_the_list_named(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "words.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=complaint):
        load_words(path)


@pytest.mark.parametrize(("text", "complaint"), [
    ('[languages]\nunsupported = "reject"\n', "must be 'approve' or 'review'"),
    ('[languages]\nother = "review"\n', "Unknown field"),
    ('[sites.x.languages]\nundetermined = "maybe"\n', "must be 'approve' or 'review'"),
])
def test_invalid_language_settings_are_refused(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=complaint):
        load_policy(path)


def test_the_shipped_word_lists_are_valid_and_per_language() -> None:
    policy = load_policy(PROJECT_ROOT / "config" / "policy.toml")
    rules = policy.default.rules
    for lang in ("de", "fr", "es", "it", "pt", "tr", "ru", "ar", "zh", "ko"):
        banned, suspect = rules.words_for(lang)
        assert banned and suspect, lang
        assert banned != rules.banned_words
    assert policy.default.languages.unsupported == "review"


SPAM_TR = "Bedava bahis bonusu kazanmak için hemen tıklayın ve numarayı arayın {spam=0.97}"
HELD_SPAM_RU = "Заработок без вложений, пишите мне в личные сообщения прямо сейчас {spam=0.6}"
PLAIN_RU = "Заработок в нашем городе растёт медленно, пишет газета в этой статье"


def test_spam_is_decided_as_spam_in_a_language_the_model_does_not_claim(tmp_path: Path) -> None:
    # Given a model that claims English only and the default policy (unsupported languages held)
    policy = write_policy(tmp_path, SITES)
    # When Turkish spam scored at the reject level, Russian spam at the review level and a plain Russian comment
    # are moderated
    decisions = decide([comment("tr", SPAM_TR), comment("ru", HELD_SPAM_RU), comment("plain", PLAIN_RU)],
                       FakeScorer(), policy)
    # Then the blatant spam is rejected as spam and the likely spam is held as spam (not for its language),
    # while the plain comment is held for its language as before
    assert decisions["tr"].decision == "reject"
    assert [r.code for r in decisions["tr"].reasons] == ["spam.reject"]
    assert decisions["ru"].decision == "review"
    assert [r.code for r in decisions["ru"].reasons] == ["spam.review", "lang.spam"]
    assert [r.code for r in decisions["plain"].reasons] == ["lang.unsupported"]


def test_spam_in_a_screened_language_is_rejected_as_spam(tmp_path: Path) -> None:
    # Given a model that screens German and finds a German comment to be blatant spam
    policy = write_policy(tmp_path, SITES)

    class GermanSpam(ScreeningScorer):
        def score_batch(self, texts: Sequence[str], explain: bool = True, top_k: int = 5,
                        langs: Sequence[str] | None = None) -> list[dict[str, Any]]:
            return [{"spam": FakeHeadScore(0.99), "toxic": FakeHeadScore(0.05)} for _ in texts]

    # When it is moderated
    decision = decide([comment("de", POLITE_DE)], GermanSpam(), policy)["de"]
    # Then it is rejected as spam (spam signals need no language), not held as screened
    assert decision.decision == "reject" and decision.reasons[0].code == "spam.reject"


@pytest.mark.parametrize(("text", "found"), [
    ("이 병신아 댓글 좀 그만 달아라", "병신"),  # a particle attached
    ("씨발 진짜 어이없네", "씨발"),
    ("ㅅㅂ 또 지연이네", "ㅅㅂ"),
    ("서울역이 경부선의 시발역이고 여기가 시발점이다", None),  # "starting station", "starting point"
    ("불이 꺼져 있어서 아무도 없는 줄 알았어요", None),  # a light that is out
    ("홍어 삼합은 전라도 음식이에요", None),  # a dish
    ("오늘 날씨 미친 듯이 좋네요", None),  # an everyday intensifier
])
def test_the_korean_word_list_finds_swearing_and_leaves_everyday_words(text: str, found: str | None) -> None:
    # Given the shipped Korean lists
    banned, suspect = load_policy(PROJECT_ROOT / "config" / "policy.toml").default.rules.words_for("ko")
    # When a Korean comment is matched
    match = WordMatcher(list(banned), list(suspect)).match(TextView(text))
    # Then swearing is found (with the particle it carries) and everyday words that contain it are not
    assert (match.banned + match.suspect)[:1] == ((found,) if found else ())
