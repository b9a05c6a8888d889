"""The policy's new settings: discard on blatant spam, and rule settings validated at start-up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from redis import Redis

from moderation.judging.policy import PolicyError, load_policy
from moderation.records import Decision
from moderation.settings import PROJECT_ROOT
from tests.moderation.helpers import stored_record
from tests.moderation.review_fakes import comment, make_handler, write_policy


@pytest.mark.integration
def test_blatant_spam_is_flagged_discard(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given spam rejected at 0.9 and discarded at 0.98
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path))
    # When a blatant, a plain rejected and a held comment are moderated
    handler.handle([comment("s-1", "{spam=0.99}"), comment("s-2", "{spam=0.92}"), comment("s-3", "{spam=0.6}")])
    # Then only the blatant one carries discard, and old readers of the record still parse it
    records = {cid: json.loads(stored_record(redis, prefix, cid) or "{}") for cid in ("s-1", "s-2", "s-3")}
    assert [records[c]["discard"] for c in ("s-1", "s-2", "s-3")] == [True, False, False]
    assert Decision.from_dict(records["s-1"]).discard is True
    assert Decision.from_dict({k: v for k, v in records["s-2"].items() if k != "discard"}).discard is False


@pytest.mark.integration
def test_a_rule_reject_is_never_discarded(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path, words='banned = ["slurword"]\n'))
    handler.handle([comment("b-1", "slurword")])
    record = json.loads(redis.get(f"{prefix}:decision:b-1") or "{}")
    assert record["decision"] == "reject" and record["discard"] is False


@pytest.mark.parametrize(("text", "complaint"), [
    ("[heads.spam]\nreview = 0.5\nreject = 0.9\ndiscard = 0.8\n", "discard (0.8) must not be below reject"),
    ("[rules]\nrepeat_action = 'delete'\n", "repeat_action"),
    ("[rules]\nauthor_rate_limit = 2.5\n", "author_rate_limit"),
    ("[rules]\nrate_window_seconds = 0\n", "rate_window_seconds"),
    ("[rules]\ntrusted_max_reject_share = 2\n", "trusted_max_reject_share"),
    ("[sites.x.rules]\nextra_suspect_words = ['(a|aa)*']\n", "extra_suspect_words"),
    ("keep_comments_seconds = -1\n", "keep_comments_seconds"),
    ("words_file = 'missing.toml'\n", "missing.toml does not exist"),
])
def test_bad_settings_stop_the_start_with_the_setting_named(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=complaint.replace("(", r"\(").replace(")", r"\)")):
        load_policy(path)


def test_site_rules_override_single_settings() -> None:
    policy = load_policy(PROJECT_ROOT / "config" / "policy.toml")
    kids, default = policy.for_site("kids-news").rules, policy.default.rules
    assert kids.max_links == 0 and default.max_links == 3
    assert kids.author_rate_limit == default.author_rate_limit
    assert set(default.banned_words) < set(kids.banned_words)
    assert policy.keep_comments_seconds > 0
