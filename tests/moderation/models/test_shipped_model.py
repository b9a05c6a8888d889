"""What the shipped default model does with real-looking comments in several languages, under the default policy.

The sentences are written for these tests. The model is the committed bundle; the policy is config/policy.toml.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from moderation.judging.pipeline import moderate, validate_payloads
from moderation.judging.policy import Policy, load_policy
from moderation.models.bundle import SHIPPED_MODEL_DIR, load_bundle
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


#: Talk about abuse: reports, quotes and discussion of insults, not aimed at anyone. The first is the issue's own
#: example; the others are not in the fairness set.
TALK_ABOUT_ABUSE = {
    "issue": "Calling the mayor an idiot is not an argument.",
    "report": "A man on the tram called my sister a stupid cow, and nobody said a word.",
    "myth": "The myth that nurses are lazy should have died decades ago.",
    "quote": '"Go back to your country" was sprayed on the mosque wall again, and the whole street is angry.',
}
#: The same insults aimed at someone.
INSULTS = {
    "reader": "Calling you an idiot is too kind.",
    "mayor": "The mayor is an idiot and a liar.",
    "nurses": "Nurses are lazy and useless, every one of them.",
}


@pytest.fixture(scope="module")
def decide() -> object:
    scorer = load_bundle(SHIPPED_MODEL_DIR)
    policy = load_policy(load_settings().policy_file)

    def run(texts: dict[str, str], policy: Policy = policy) -> dict[str, Decision]:
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


def test_talk_about_abuse_is_approved_with_the_mentions_named(decide: object) -> None:
    # Given comments that report, quote or discuss an insult without aiming it at anyone
    # When the shipped model decides them under the default policy
    decisions = decide(TALK_ABOUT_ABUSE)  # type: ignore[operator]
    # Then each is approved, and says which words were scored apart
    for decision in decisions.values():
        assert decision.decision == "approve", decision
        assert [r.code for r in decision.reasons] == ["ok", "context.mention"], decision
    assert decisions["issue"].reasons[1].terms == ("idiot",)


def test_the_same_insults_aimed_at_someone_are_never_approved(decide: object) -> None:
    # Given the same insults aimed at the reader, a named person and a group
    # When the shipped model decides them
    decisions = decide(INSULTS)  # type: ignore[operator]
    # Then none is approved, and no mention was scored apart
    for decision in decisions.values():
        assert decision.decision != "approve", decision
        assert "context.mention" not in [r.code for r in decision.reasons], decision


def test_a_site_that_counts_every_word_holds_talk_about_abuse(decide: object) -> None:
    # Given the default policy with mentions apart switched off
    policy = load_policy(load_settings().policy_file)
    as_written = Policy(default=replace(policy.default, mentions_apart=False))
    # When the example is decided
    decision = decide({"issue": TALK_ABOUT_ABUSE["issue"]}, as_written)["issue"]  # type: ignore[operator]
    # Then the model's score of the insult stands: it is not approved, and no mention is named
    assert decision.decision != "approve" and "context.mention" not in [r.code for r in decision.reasons]


def test_the_shipped_model_meets_the_fairness_targets_under_the_default_policy() -> None:
    # Given the shipped model and the fairness and context set
    from training.fairness import TARGET_APPROVED, TARGET_HELD, model_fairness

    # When the worker's policy decides every item (every model head, mentions apart)
    report = model_fairness(load_bundle(SHIPPED_MODEL_DIR))
    assert report is not None
    shares = report["policy"]
    # Then neutral sentences and talk about abuse are approved, and abuse at groups held, as the targets say
    assert shares["acceptable_approved"] >= TARGET_APPROVED
    assert shares["abuse_held"] >= TARGET_HELD
    assert shares["approved_by_category"]["about_abuse"] >= TARGET_APPROVED
