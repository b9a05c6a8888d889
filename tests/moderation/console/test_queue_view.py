"""What the queue page is built from: highlighted terms, plain-words reasons, uncertainty order."""

from __future__ import annotations

from moderation.console.queue_view import Segment, highlight, reason_title


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
