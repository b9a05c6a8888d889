"""Languages end to end, with a real worker: the real seed-corpus model (English only), and the shipped model in
each language it claims."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from moderation.models.bundle import SHIPPED_MODEL_DIR, read_metadata
from tests.workers.conftest import RunningWorker, start_worker
from tests.workers.test_end_to_end import client_for, wait_for_decisions

pytestmark = pytest.mark.integration


def test_threats_in_languages_the_model_does_not_support_are_never_approved_silently(
        worker: RunningWorker, uid: str) -> None:
    # Given an English-only model, and threats in Chinese and Russian from an English site
    client = client_for(worker)
    comments = {f"{uid}-zh": "我会杀了你", f"{uid}-ru": "Я тебя убью", f"{uid}-en": "Thanks for the clear explanation "
                                                                              "of the budget, very helpful."}
    for comment_id, body in comments.items():
        client.submit({"id": comment_id, "body": body, "lang": "en"})
    # When the worker decides them
    decisions = wait_for_decisions(client, list(comments))
    # Then the threats are held as unsupported languages, with the language in the record; English is scored
    for lang in ("zh", "ru"):
        decision = decisions[f"{uid}-{lang}"]
        assert decision.decision == "review", decision
        assert decision.reasons[0].code == "lang.unsupported"
        assert decision.lang == lang and decision.lang_confidence and decision.lang_confidence > 0.5
    english = decisions[f"{uid}-en"]
    assert english.decision == "approve" and english.lang == "en"


# Made up for these tests: per language, a polite comment, an insult and a threat.
LANGUAGES = {
    "en": ("Thanks for the clear explanation of the budget, very helpful.",
           "You are a pathetic idiot, shut your stupid mouth.",
           "I know where you live and I am going to kill you."),
    "zh": ("感谢报道，这篇文章写得很清楚，学到了很多。",
           "你就是个傻逼，闭嘴吧，废物。",
           "我知道你住哪儿，迟早弄死你。"),
    "tr": ("Haber için teşekkürler, çok açıklayıcı bir yazı olmuş.",
           "Sen tam bir gerizekalısın, kapa çeneni aptal herif.",
           "Nerede oturduğunu biliyorum, seni öldüreceğim."),
    "ko": ("좋은 기사 감사합니다. 정말 유익했어요.",
           "이 병신아 입 닥쳐라 진짜 멍청한 놈이네",
           "너 어디 사는지 안다, 찾아가서 죽여버린다."),
}
#: The languages the shipped model must claim (the others of LANGUAGES it must at least screen).
MUST_CLAIM = ("en", "zh")


@pytest.fixture(scope="module")
def shipped_worker(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningWorker]:
    """A real worker serving the shipped model (a copy of moderation/models/data/default_model)."""
    models = tmp_path_factory.mktemp("shipped-models")
    shutil.copytree(SHIPPED_MODEL_DIR, models / read_metadata(SHIPPED_MODEL_DIR)["version"])
    running = start_worker(redis_url, models, tmp_path_factory.mktemp("shipped-logs"), name="shipped")
    yield running
    running.process.stop()


def test_the_shipped_model_claims_or_screens_each_language_with_held_out_figures() -> None:
    # Given the shipped model's metadata
    metadata = read_metadata(SHIPPED_MODEL_DIR)
    # Then it claims the languages it must, and screens the others; every claim and screening is borne out by
    # held-out comments (abuse approved silently at most 15%)
    assert set(MUST_CLAIM) <= set(metadata["languages"])
    for lang in set(LANGUAGES) - {"en"}:
        figures = metadata["languages_held_out"][lang]
        assert lang in metadata["languages"] or lang in metadata["screened_languages"], lang
        assert figures["claim_bar"] if lang in metadata["languages"] else figures["screen_bar"], (lang, figures)


def test_polite_abusive_and_threatening_comments_in_claimed_and_screened_languages(
        shipped_worker: RunningWorker, uid: str) -> None:
    # Given a worker serving the shipped model, and per language a polite comment, an insult and a threat
    claimed = set(read_metadata(SHIPPED_MODEL_DIR)["languages"])
    client = client_for(shipped_worker)
    ids = {}
    for lang, texts in LANGUAGES.items():
        for kind, body in zip(("polite", "abusive", "threat"), texts, strict=True):
            ids[(lang, kind)] = f"{uid}-{lang}-{kind}"
            client.submit({"id": ids[(lang, kind)], "body": body})
    # When the worker decides them (no language hint)
    decisions = wait_for_decisions(client, list(ids.values()))
    # Then each is in its language: the polite one approved, the insult and the threat never approved; in a
    # claimed language the model decides alone, in a screened one what it would not approve is held as screened
    for (lang, kind), comment_id in ids.items():
        decision = decisions[comment_id]
        codes = [r.code for r in decision.reasons]
        assert decision.lang == lang, decision
        assert "lang.unsupported" not in codes, decision
        if kind == "polite":
            assert decision.decision == "approve", decision
            continue
        assert decision.decision in ("review", "reject"), decision
        if lang in claimed:
            assert not [code for code in codes if code.startswith("lang.")], decision
        else:
            assert decision.decision == "review" and codes[0] == "lang.screened", decision


# Made up for this test: spam with links and phone numbers in languages the model does not claim.
SPAM_ELSEWHERE = {
    "ru": "Заработок от 5000 рублей в день без вложений! Пиши в телеграм @bigmoney_ru или звони +7 912 345 67 89 "
          "http://bit.ly/zarabotok",
    "es": "Gana dinero desde casa!!! Haz clic aquí http://bit.ly/gana-dinero y llama al +34 612 345 678 ahora",
    "ko": "재택 알바 일당 20만 원! 카톡 money77 문의 http://bit.ly/alba-kr 010-1234-5678",
}


def test_spam_is_rejected_as_spam_in_languages_the_model_does_not_claim(
        shipped_worker: RunningWorker, uid: str) -> None:
    # Given a worker serving the shipped model, and link-and-phone spam in Russian (held), Spanish (held) and
    # Korean (screened)
    client = client_for(shipped_worker)
    for lang, body in SPAM_ELSEWHERE.items():
        client.submit({"id": f"{uid}-spam-{lang}", "body": body})
    # When the worker decides them
    decisions = wait_for_decisions(client, [f"{uid}-spam-{lang}" for lang in SPAM_ELSEWHERE])
    # Then each is rejected as spam, not held for its language
    for lang in SPAM_ELSEWHERE:
        decision = decisions[f"{uid}-spam-{lang}"]
        assert decision.lang == lang and decision.decision == "reject", decision
        assert decision.reasons[0].code == "spam.reject", decision
