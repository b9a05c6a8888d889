"""Reporting a published decision as abusive: a toxic label (not spam), through feedback.report_labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis import Redis

from moderation.publishing.audit import read_audit
from moderation.review.feedback import merged_feedback, report_labels
from moderation.review.queue import ReviewQueue
from tests.moderation.review.test_queue import history
from tests.moderation.review_fakes import comment, make_handler, write_policy

pytestmark = pytest.mark.integration  # a real Redis (and, for the browser tests, Chromium)


def test_report_labels_name_what_a_report_says_the_comment_is() -> None:
    assert report_labels("spam") == {"spam": 1}
    assert report_labels("toxic") == {"toxic": 1}
    assert report_labels("ham") == {"spam": 0, "toxic": 0}
    with pytest.raises(ValueError):
        report_labels("rude")


def test_an_approved_comment_reported_as_abusive_is_labelled_toxic_and_counted_against_its_author(
        redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given an approved comment
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("r-1", "you are all sheep", author="ann")])
    queue = ReviewQueue(redis, prefix=prefix, ttl_seconds=600, stream_maxlen=1000)
    # When a moderator reports it as abusive, twice
    first = queue.report(["r-1"], "toxic", moderator="alice", reason="insults readers")
    second = queue.report(["r-1"], "toxic", moderator="alice")
    # Then it is labelled toxic (no spam claim) once, audited as report-abuse, and the author's approval moves
    assert [r.status for r in first] == ["reported"] and [r.status for r in second] == ["unchanged"]
    row = next(r for r in merged_feedback(redis, prefix) if r["comment_id"] == "r-1")
    assert row["toxic"] == 1 and "spam" not in row and row["verdict"] == "toxic" and row["source"] == "report"
    entry = read_audit(redis, prefix, comment_id="r-1")[0].fields
    assert (entry["actor"], entry["action"], entry["outcome"]) == ("alice", "report-abuse", "toxic")
    assert history(redis, prefix, "ann") == {"approved": 0, "rejected": 1}


def test_a_held_comment_reported_as_abusive_is_rejected_with_a_toxic_label(redis: Redis, redis_url: str,
                                                                          prefix: str, tmp_path: Path) -> None:
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    handler.handle([comment("r-2", "cheap pills {spam=0.6}", author="bo")])
    queue = ReviewQueue(redis, prefix=prefix, ttl_seconds=600, stream_maxlen=1000)
    result = queue.report(["r-2"], "toxic", moderator="alice")
    assert [r.status for r in result] == ["rejected"] and result[0].labels == {"toxic": 1}
    assert queue.pending() == []
