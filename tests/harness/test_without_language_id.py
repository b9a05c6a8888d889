"""The bench's measuring hook: a worker that takes each comment's language from its hint."""

from __future__ import annotations

from harness.without_language_id import hinted_languages, install
from moderation.judging import pipeline
from moderation.judging.language import LanguageGuess, identify_batch


def test_each_comment_gets_its_hinted_language_and_english_without_one() -> None:
    # Given comments with and without hints, one of them German sent as English
    texts = ["Die Zeitung schreibt über die Wahl.", "Great article", "Obrigado"]
    # When the hook's identifier answers
    guesses = hinted_languages(texts, ["en", None, "pt-BR"])
    # Then the hint wins, at confidence 1.0, and no hint means English
    assert guesses == [LanguageGuess("en", 1.0), LanguageGuess("en", 1.0), LanguageGuess("pt", 1.0)]
    assert hinted_languages(["hallo"]) == [LanguageGuess("en", 1.0)]


def test_installing_replaces_the_pipelines_identifier() -> None:
    # Given the pipeline with its real identifier
    assert pipeline.identify_batch is identify_batch
    try:
        # When the hook is installed (as Celery's worker_init would in a bench worker)
        install()
        # Then the pipeline asks the hook
        assert pipeline.identify_batch is hinted_languages
    finally:
        pipeline.identify_batch = identify_batch
