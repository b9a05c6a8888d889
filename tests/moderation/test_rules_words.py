"""The words rule: banned words reject, suspect words hold, through obfuscation, with no pattern to hang on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from redis import Redis

from moderation.policy import PolicyError, load_policy
from moderation.rules.base import TextView
from moderation.rules.words import WordMatcher
from moderation.settings import PROJECT_ROOT
from tests.moderation.review_fakes import comment, make_handler, write_policy

WORDS = """
banned = ["slurword", "hatefulword*"]
suspect = ["idiot*", "moron", "shit", "fuck*", "shut up", "piece of shit"]
"""


@pytest.fixture
def matcher() -> WordMatcher:
    return WordMatcher(["slurword", "hatefulword*"], ["idiot*", "moron", "shit", "fuck*", "shut up", "piece of shit"])


@pytest.mark.parametrize(("text", "found"), [
    ("You are an idiot", "idiot"),
    ("you are an IDIOTS", "idiot"),            # a prefix entry matches longer forms
    ("you 1d10t", "idiot"),                    # l33t
    ("i d i o t", "idiot"),                    # spread letters
    ("f.u.c.k off", "fuck"),                   # letters spread with a symbol
    ("fu.ck this", "fuck"),                    # a symbol inserted
    ("id-iot", "idiot"),
    ("id iot", "idiot"),                       # a space inserted
    ("іdіоt", "idiot"),                        # Cyrillic look-alike letters
    ("iiiiidiooooot", "idiot"),                # stretched letters
    ("ｉｄｉｏｔ", "idiot"),                   # full-width letters
    ("id\u200biot", "idiot"),                  # an invisible character
    ("f**k that", "fuck"),                     # masked letters
    ("sh*t happens", "shit"),
    ("m0r0n!!!", "moron"),
    ("SHUT-UP already", "shut up"),            # a phrase, hyphenated
    ("what a piece of $h1t", "piece of shit"),
])
def test_suspect_words_are_found_however_written(matcher: WordMatcher, text: str, found: str) -> None:
    assert found in matcher.match(TextView(text)).suspect


@pytest.mark.parametrize("text", ["$lurw0rd", "s l u r w o r d", "HATEFULWORDS", "hateful.words"])
def test_banned_words_are_found_however_written(matcher: WordMatcher, text: str) -> None:
    assert matcher.match(TextView(text)).banned


@pytest.mark.parametrize("text", [
    "A thoughtful comment about the council budget.",
    "Shitake mushrooms are tasty",             # only a prefix entry matches longer words: shit is exact
    "the idiom is old",
    "Assess the class, then shut the door",
    "He is hit by a ball",
    "Scunthorpe United won",
])
def test_ordinary_text_matches_nothing(matcher: WordMatcher, text: str) -> None:
    match = matcher.match(TextView(text))
    assert match.banned == () and match.suspect == ()


def test_an_entry_in_both_lists_counts_as_banned() -> None:
    match = WordMatcher(["moron"], ["moron"]).match(TextView("moron"))
    assert match.banned == ("moron",) and match.suspect == ()


def test_matching_hostile_input_stays_fast(matcher: WordMatcher) -> None:
    # Given inputs built to make backtracking patterns blow up, at the largest body size accepted
    bodies = ["a" * 20_000, "i d " * 5_000, "*" * 20_000, "id-" * 6_000 + "!", ("x." * 9_999) + "com"]
    # When each is matched / Then each takes well under a second
    for body in bodies:
        started = time.perf_counter()
        matcher.match(TextView(body))
        assert time.perf_counter() - started < 1.0, body[:20]


@pytest.mark.parametrize("entry", ["(a+)+$", "idi.t", "[a-z]+", "a", "x" * 70, "*", "ab*c"])
def test_word_lists_with_pattern_syntax_are_refused_at_load(tmp_path: Path, entry: str) -> None:
    (tmp_path / "words.toml").write_text(f"banned = [{entry!r}]\n".replace("'", '"'))
    (tmp_path / "policy.toml").write_text('words_file = "words.toml"\n')
    with pytest.raises(PolicyError, match="banned"):
        load_policy(tmp_path / "policy.toml")


def test_the_shipped_word_lists_load_and_match() -> None:
    rules = load_policy(PROJECT_ROOT / "config" / "policy.toml").default.rules
    assert rules.banned_words and rules.suspect_words
    match = WordMatcher(rules.banned_words, rules.suspect_words).match(TextView("you st00pid 1d10t"))
    assert "idiot" in match.suspect


def test_the_worker_rejects_banned_and_holds_suspect_words(redis: Redis, redis_url: str, prefix: str,
                                                           tmp_path: Path) -> None:
    # Given a worker whose policy has word lists, and comments the model finds harmless
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path, words=WORDS))
    # When it moderates a banned word, a suspect word (obfuscated) and a clean comment
    handler.handle([comment("w-1", "you $lurw0rd"), comment("w-2", "what an 1.d.1.o.t"),
                    comment("w-3", "Nice article")])
    # Then the decisions carry the words rule's codes and the words found
    stored = {cid: redis.get(f"{prefix}:decision:{cid}") or "" for cid in ("w-1", "w-2", "w-3")}
    assert '"decision":"reject"' in stored["w-1"] and '"code":"words.banned"' in stored["w-1"]
    assert '"terms":["slurword"]' in stored["w-1"]
    assert '"decision":"review"' in stored["w-2"] and '"terms":["idiot"]' in stored["w-2"]
    assert '"decision":"approve"' in stored["w-3"]


def test_a_site_adds_its_own_words(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given a site that also bans "stupid"
    policy = write_policy(tmp_path, '\n[sites.kids.rules]\nextra_banned_words = ["stupid"]\n', words=WORDS)
    handler = make_handler(redis, redis_url, prefix, policy)
    # When "stupid" is posted there and elsewhere
    handler.handle([comment("k-1", "so stup1d", site="kids"), comment("k-2", "so stupid", site="adults")])
    # Then only the kids' site rejects it
    assert '"decision":"reject"' in (redis.get(f"{prefix}:decision:k-1") or "")
    assert '"decision":"approve"' in (redis.get(f"{prefix}:decision:k-2") or "")
