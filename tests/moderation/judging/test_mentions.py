"""Insults mentioned rather than used: which words of a comment are quoted, named, reported or under discussion.

The sentences are written for these tests (none is in the fairness set or the seed corpus).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.judging.mentions import (
    REASON_CODE,
    find_mentions,
    load_frames,
    mention_reason,
    without_mentions,
)
from moderation.models.bundle import SHIPPED_MODEL_DIR, load_bundle


def mentioned(text: str, lang: str = "en") -> list[str]:
    return [text[s.start:s.end] for s in find_mentions(text, lang)]


@pytest.mark.parametrize(("text", "words"), [
    # quotes after a reporting word, or opening a sentence
    ('My neighbour shouted "get lost, freak" at the postman.', ["get lost, freak"]),
    ("'Useless clown' is what he wrote under every post.", ["Useless clown"]),
    ("The sign read “foreigners out” for a whole week.", ["foreigners out"]),
    ('The councillor wrote: "parasites, all of them", and then deleted it.', ["parasites, all of them"]),
    ('"Get lost, freak," a driver shouted at the cyclist.', ["Get lost, freak,"]),
    # naming: verb, someone, [a|an], the words
    ("Labelling every striker a parasite is cheap.", ["parasite"]),
    ("Branding the nurses liars was the low point of the debate.", ["liars"]),
    ("A man in the queue called my son a little rat.", ["little rat"]),
    # passive naming, also said of the writer
    ("Being called a weirdo for liking chess made school hard.", ["weirdo"]),
    ("I got called a snowflake for asking a question.", ["snowflake"]),
    # claims under discussion
    ("The stereotype that farmers are stupid is older than tractors.", ["stupid"]),
    ("Cheap jokes about nurses being lazy are not welcome here.", ["lazy"]),
    ("Stop saying that cyclists are maniacs, most of them ride carefully.", ["maniacs"]),
    # words named as words
    ("Please stop using the word moron in the comments.", ["moron"]),
])
def test_mentions_are_found_in_quotes_naming_claims_and_words_named_as_words(text: str, words: list[str]) -> None:
    # Given a comment that quotes, names, reports or discusses an insult
    # When its mentions are looked for
    # Then the mentioned words, and only they, are found
    assert mentioned(text) == words


@pytest.mark.parametrize("text", [
    # aimed at the reader
    "Calling you a clown would insult clowns.",
    'You "experts" never learn anything.',
    "Nobody likes you, you \"genius\".",
    # the writer's own words, now or as an order
    "I'd call the referee a blind fool, honestly.",
    "I'm not going to say that the mayor is a liar, but he is.",
    "Call him a traitor, because that is what he is.",
    # a finite verb makes a claim, it does not discuss one
    "He said the neighbours are animals and he's right.",
    # "so-called" sneers, it does not name
    "The so-called experts are clowns.",
    # an order after an @handle
    "@marta_k Call me a liar again and see what happens.",
    # the writer's own words in a quote
    'I will go to the meeting and say "you are all crooks" to their faces.',
    # a quoted line that is not discussed: dialogue, a quoted post
    '"get out of here, loser"\n"no, you get out"',
    'Posted by a reader: "these people are vermin" 12 minutes ago',
    # long quotes are statements, not the few words of an insult
    'She wrote "every single one of them should be thrown out of this town tomorrow" on the forum.',
    # a quote that is the whole comment
    '"You are a disgrace"',
    # nothing mentioned at all
    "You are an idiot and everyone knows it.",
    "Great article, thanks for the figures.",
])
def test_insults_aimed_at_someone_or_spoken_by_the_writer_are_not_mentions(text: str) -> None:
    # Given abuse that uses the words (or a comment without any frame)
    # When its mentions are looked for
    # Then none is found
    assert mentioned(text) == []


def test_only_languages_with_frames_have_mentions() -> None:
    # Given an English frame in a comment said to be German
    # When its mentions are looked for
    # Then none is found: the frames are English
    assert mentioned("Calling the mayor an idiot is not an argument.", lang="de") == []
    assert mentioned("Calling the mayor an idiot is not an argument.", lang="en") == ["idiot"]


def test_the_text_without_mentions_keeps_everything_else_and_the_reason_names_them() -> None:
    # Given a comment that reports an insult, quoted
    text = 'He called me a "moron" and then a liar.'
    spans = find_mentions(text)
    # When the mentions are left out, and the reason is made
    rest = without_mentions(text, spans)
    reason = mention_reason(text, spans)
    # Then the rest of the comment is intact, and the reason names the mentioned words
    assert mentioned(text) == ["moron"]
    assert rest.split() == ["He", "called", "me", "a", '"', '"', "and", "then", "a", "liar."]
    assert reason.code == REASON_CODE and reason.terms == ("moron",) and "'moron'" in reason.message


def test_a_malformed_frames_file_is_refused_with_the_key_named(tmp_path: Path) -> None:
    # Given a frames file whose naming verbs are not a list of lowercase words
    path = tmp_path / "frames.toml"
    path.write_text('[en]\nnaming_verbs = ["Call"]\n')
    # When it is loaded / Then the error names the file, the language and the key
    with pytest.raises(ValueError, match=r"frames.toml \[en\]: quote_leads must be a list of lowercase words"):
        load_frames(path)


# ---- Scoring mentions apart (the shipped model) ----

def test_each_head_keeps_the_lower_of_its_scores_with_and_without_the_mentions() -> None:
    # Given the shipped model, a comment that names an insult, and one that uses it
    scorer = load_bundle(SHIPPED_MODEL_DIR)
    texts = ["Calling the mayor an idiot is not an argument.", "You are an idiot."]
    langs = ["en", "en"]
    # When they are scored with mentions apart, as written, and without the mentioned words
    results, spans = scorer.score_in_context(texts, langs=langs)
    scorer.mentions_apart = False
    try:
        as_written = scorer.score_batch(texts, langs=langs)
        (without,) = scorer.score_batch([without_mentions(texts[0], spans[0])], langs=["en"])
    finally:
        scorer.mentions_apart = True
    # Then the named insult's comment keeps, per head, the lower score, with the explanation of that score
    assert [len(found) for found in spans] == [1, 0]
    for head, score in results[0].items():
        assert score == min(as_written[0][head], without[head], key=lambda s: s.probability)
    assert as_written[0]["toxic"].probability > 0.85 > 0.45 > results[0]["toxic"].probability
    assert "idiot" not in dict(results[0]["toxic"].contributions)
    # And the insult used is scored as written
    assert results[1] == as_written[1]


def test_probabilities_agree_with_the_scores_of_a_batch() -> None:
    # Given the shipped model and comments with and without mentions
    scorer = load_bundle(SHIPPED_MODEL_DIR)
    texts = ["Calling the mayor an idiot is not an argument.", "You are an idiot.", "Nice article, thanks.",
             'He wrote "useless clown" under my post.']
    # When both ways of scoring are asked
    probs = scorer.predict_proba(texts, langs=["en"] * len(texts))
    results, _ = scorer.score_in_context(texts, explain=False, langs=["en"] * len(texts))
    # Then they give the same probabilities
    for row, result in zip(probs.tolist(), results, strict=True):
        assert row == pytest.approx([result[head].probability for head in scorer.heads])
