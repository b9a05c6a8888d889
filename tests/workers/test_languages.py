"""Languages end to end, with a real worker and the real seed-corpus model (English only)."""

from __future__ import annotations

import pytest

from tests.workers.conftest import RunningWorker
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
