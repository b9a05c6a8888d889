"""What the shipped default model does with real-looking comments in several languages, under the default policy.

The sentences are written for these tests. The model is the committed bundle; the policy is config/policy.toml.
"""

from __future__ import annotations

import pytest

from moderation.bundle import SHIPPED_MODEL_DIR, load_bundle
from moderation.pipeline import moderate, validate_payloads
from moderation.policy import load_policy
from moderation.records import Decision
from moderation.settings import load_settings

POLITE = {
    "de": "Die Zeitung schreibt über die Wahl, und ich finde den Artikel sehr gut.",
    "pt": "Obrigado pela matéria, muito bem explicada.",
    "en": "Great article, thanks for putting the figures in a table.",
}
ABUSE = {
    "de": "Du bist ein dummes Arschloch, halt die Fresse.",
    "pt": "Vai tomar no cu, seu idiota.",
    "zh": "我会杀了你",
    "ru": "Я тебя убью",
    "fr": "Ferme ta gueule, connard",
    "en": "You are a complete idiot and everyone here knows it.",
}


@pytest.fixture(scope="module")
def decide() -> object:
    scorer = load_bundle(SHIPPED_MODEL_DIR)
    policy = load_policy(load_settings().policy_file)

    def run(texts: dict[str, str]) -> dict[str, Decision]:
        comments, invalid = validate_payloads([{"id": lang, "body": body} for lang, body in texts.items()])
        assert not invalid
        return {d.comment_id: d for d in moderate(comments, scorer, policy)}

    return run


def test_the_shipped_model_claims_english_and_chinese_and_screens_german_and_portuguese() -> None:
    scorer = load_bundle(SHIPPED_MODEL_DIR)
    assert set(scorer.languages) >= {"en", "zh"}
    assert set(scorer.screened_languages) >= {"de", "pt"}


def test_polite_comments_in_claimed_and_screened_languages_are_approved(decide: object) -> None:
    # Given polite comments in English, German and Portuguese, without a language hint
    # When the shipped model decides them under the default policy
    decisions = decide(POLITE)  # type: ignore[operator]
    # Then each is approved, in the language it is written in
    for lang, decision in decisions.items():
        assert (decision.decision, decision.lang) == ("approve", lang), decision


def test_abuse_and_threats_are_never_approved_silently_in_any_language(decide: object) -> None:
    # Given insults and threats in six languages
    # When the shipped model decides them
    decisions = decide(ABUSE)  # type: ignore[operator]
    # Then none is approved; a screened language's abuse is held (not rejected), with lang.screened first
    for decision in decisions.values():
        assert decision.decision != "approve", decision
    for lang in ("de", "pt"):
        assert decisions[lang].decision == "review" and decisions[lang].reasons[0].code == "lang.screened"
    assert decisions["en"].decision == "reject"
