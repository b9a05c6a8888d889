"""What the queue page is built from: highlighted terms, plain-words reasons, uncertainty order."""

from __future__ import annotations

from moderation.records import Reason
from moderation.web.console.queue_view import Segment, highlight, highlighted_terms, reason_title


def test_terms_are_highlighted_as_whole_words_whatever_their_case() -> None:
    segments = highlight("FREE gifts at bit.ly/x, freedom is not free", ["free", "bit_ly", "signal:links", "urltok"])
    assert [s.text for s in segments if s.hit] == ["FREE", "bit.ly", "free"]
    assert "".join(s.text for s in segments) == "FREE gifts at bit.ly/x, freedom is not free"


def test_markup_in_a_term_or_text_is_kept_as_text_for_the_template_to_escape() -> None:
    segments = highlight("<script>alert(1)</script>", ["alert"])
    assert segments == [Segment("<script>"), Segment("alert", True), Segment("(1)</script>")]


def test_text_without_terms_is_one_segment() -> None:
    assert highlight("plain words", []) == [Segment("plain words")]


def test_reason_codes_read_as_plain_words() -> None:
    assert reason_title("spam.review") == "Looks like spam"
    assert reason_title("threat.reject") == "Possibly a threat"
    assert reason_title("links.new_author") == "Links"
    assert reason_title("something.new") == "something.new"


def test_insults_only_mentioned_and_languages_are_named_but_not_highlighted() -> None:
    # Given a held comment's reasons: a model head, a language, and insults scored apart
    reasons = [Reason("toxic.review", "toxic score 0.50", head="toxic", score=0.5, terms=("clown",)),
               Reason("lang.screened", "language de is screened", terms=("de",)),
               Reason("context.mention", "words it quotes ... were scored apart: 'idiot'", terms=("idiot",))]
    # When the queue page reads them
    titles = [reason_title(r.code) for r in reasons]
    # Then each reads as plain words, and only the term that drove a score is highlighted
    assert titles == ["Possibly abusive", "Language", "Insults only mentioned"]
    assert highlighted_terms(reasons) == ["clown"]
