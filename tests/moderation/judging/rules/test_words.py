"""The words rule: banned words reject, suspect words hold, through obfuscation, with no pattern to hang on."""

from __future__ import annotations

import random
import re
import time
from itertools import pairwise
from pathlib import Path

import pytest
from redis import Redis

from moderation.judging.mentions import find_mentions
from moderation.judging.policy import PolicyError, load_policy
from moderation.judging.rules.base import TextView
from moderation.judging.rules.words import WordMatcher, check_words
from moderation.settings import PROJECT_ROOT
from tests.moderation.helpers import stored_record
from tests.moderation.review_fakes import comment, make_handler, write_policy
from tests.moderation.varied_texts import obfuscate, varied_texts

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


def test_suspect_words_a_comment_only_mentions_do_not_count_but_banned_words_do() -> None:
    # Given comments that report an insult, use it, and report a banned word
    banned, suspect = ("slurword", "hatefulword*"), ("idiot*", "moron", "shit")
    reported = TextView("Someone called me an idiot and I reported it.")
    used = TextView("Calling you an idiot is fair.")
    slur = TextView("He called me a slurword on the bus.")
    # When the words rule looks at them with the mentions of English comments set apart, and without
    codes = {name: [f.reason.code for f in check_words(view, banned, suspect, mentions_lang="en")]
             for name, view in (("reported", reported), ("used", used), ("slur", slur))}
    as_written = [f.reason.code for f in check_words(reported, banned, suspect)]
    # Then a mentioned suspect word does not hold the comment, a used one does, a banned one always rejects
    assert codes == {"reported": [], "used": ["words.suspect"], "slur": ["words.banned"]}
    assert as_written == ["words.suspect"]


def test_the_words_rule_takes_the_mentions_the_scorer_already_found() -> None:
    # Given a reported insult whose mentions the scorer found, and the same comment where the scorer looked and
    # found none
    banned, suspect = ("slurword",), ("idiot*",)
    reported = TextView("Someone called me an idiot and I reported it.")
    found = find_mentions(reported.body)
    # When the words rule is given those mentions
    given = [f.reason.code for f in check_words(reported, banned, suspect, "en", mentions=found)]
    none_found = [f.reason.code for f in check_words(reported, banned, suspect, "en", mentions=())]
    # Then it uses them instead of looking again
    assert given == [] and none_found == ["words.suspect"]


@pytest.mark.integration
def test_the_worker_rejects_banned_and_holds_suspect_words(redis: Redis, redis_url: str, prefix: str,
                                                           tmp_path: Path) -> None:
    # Given a worker whose policy has word lists, and comments the model finds harmless
    handler = make_handler(redis, redis_url, prefix, write_policy(tmp_path, words=WORDS))
    # When it moderates a banned word, a suspect word (obfuscated) and a clean comment
    handler.handle([comment("w-1", "you $lurw0rd"), comment("w-2", "what an 1.d.1.o.t"),
                    comment("w-3", "Nice article")])
    # Then the decisions carry the words rule's codes and the words found
    stored = {cid: stored_record(redis, prefix, cid) or "" for cid in ("w-1", "w-2", "w-3")}
    assert '"decision":"reject"' in stored["w-1"] and '"code":"words.banned"' in stored["w-1"]
    assert '"terms":["slurword"]' in stored["w-1"]
    assert '"decision":"review"' in stored["w-2"] and '"terms":["idiot"]' in stored["w-2"]
    assert '"decision":"approve"' in stored["w-3"]


@pytest.mark.integration
def test_a_site_adds_its_own_words(redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given a site that also bans "stupid"
    policy = write_policy(tmp_path, '\n[sites.kids.rules]\nextra_banned_words = ["stupid"]\n', words=WORDS)
    handler = make_handler(redis, redis_url, prefix, policy)
    # When "stupid" is posted there and elsewhere
    handler.handle([comment("k-1", "so stup1d", site="kids"), comment("k-2", "so stupid", site="adults")])
    # Then only the kids' site rejects it
    assert '"decision":"reject"' in (redis.get(f"{prefix}:decision:kids k-1") or "")
    assert '"decision":"approve"' in (redis.get(f"{prefix}:decision:adults k-2") or "")


@pytest.mark.integration
def test_the_worker_lets_reported_insults_through_unless_the_site_counts_every_word(
        redis: Redis, redis_url: str, prefix: str, tmp_path: Path) -> None:
    # Given a worker with word lists, whose "strict" site counts every word as written
    policy = write_policy(tmp_path, "\n[sites.strict]\nmentions_apart = false\n", words=WORDS)
    handler = make_handler(redis, redis_url, prefix, policy)
    # When a reported insult is posted on the default site and on the strict one, beside an insult aimed at
    # the reader
    handler.handle([comment("m-1", "Someone called me an idiot and I reported it."),
                    comment("m-2", "A stranger called me an idiot, and I reported him.", site="strict"),
                    comment("m-3", "Calling you an idiot is fair.")])
    # Then only the default site approves the reported insult; the insult at the reader is held everywhere
    stored = {cid: stored_record(redis, prefix, cid) or "" for cid in ("m-1", "m-2", "m-3")}
    assert '"decision":"approve"' in stored["m-1"]
    assert '"decision":"review"' in stored["m-2"] and '"code":"words.suspect"' in stored["m-2"]
    assert '"decision":"review"' in stored["m-3"] and '"terms":["idiot"]' in stored["m-3"]


# ---- Regression: the set-based matcher against the original word-by-word loops ----

def _reference_find(matcher: WordMatcher, word: str) -> tuple[int, str] | None:
    hit = matcher.exact.get(word)
    if hit is None:
        for length in matcher.prefix_lengths:
            if length > len(word):
                break
            hit = matcher.prefixes.get(word[:length])
            if hit is not None:
                break
    if hit is None and re.search(r"(.)\1+", word):
        squeezed = re.sub(r"(.)\1+", r"\1", word)
        hit = matcher.squeezed_exact.get(squeezed)
        for length in matcher.squeezed_prefix_lengths:
            if hit is not None or length > len(squeezed):
                break
            hit = matcher.squeezed_prefixes.get(squeezed[:length])
    return hit


def _reference_match(matcher: WordMatcher, view: TextView) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The original matching loops, over the matcher's compiled lists: (banned, suspect)."""
    found: dict[str, int] = {}
    tokens = view.tokens
    candidates = set(tokens)
    candidates.update(re.findall(r"[^\W_]+", view.lower))
    for chunk in view.chunks:
        if not chunk.text.isalnum():
            squashed = re.sub(r"[\W_]+", "", chunk.text)
            if squashed:
                candidates.add(squashed)
    for word in candidates:
        if "*" in word:
            if word[0].isalnum() and sum(c.isalnum() for c in word) >= 2:
                for entry, level, label in matcher.by_length.get(len(word), ()):
                    if all(t == "*" or t == w for t, w in zip(word, entry, strict=True)):
                        found[label] = max(level, found.get(label, 0))
        else:
            hit = _reference_find(matcher, word)
            if hit is not None:
                found[hit[1]] = max(hit[0], found.get(hit[1], 0))
    for left, right in pairwise(tokens):
        if min(len(left), len(right)) <= 2:
            joined = left + right
            hit = matcher.exact.get(joined) or matcher.prefixes.get(joined)
            if hit is not None and len(joined) >= 4:
                found[hit[1]] = max(hit[0], found.get(hit[1], 0))
    for index, token in enumerate(tokens):
        for words, level, label in matcher.phrases.get(token, ()):
            if tuple(tokens[index:index + len(words)]) == words:
                found[label] = max(level, found.get(label, 0))
    return (tuple(sorted(w for w, lv in found.items() if lv == 2)),
            tuple(sorted(w for w, lv in found.items() if lv == 1)))


def _word_texts(entries: tuple[str, ...]) -> list[str]:
    """Varied comments, plus every list entry obfuscated and split in the ways the matcher sees through."""
    rng = random.Random(23)
    words = [e.rstrip("*") for e in entries]
    texts = varied_texts(300, seed=17, listed=words)
    for word in words:
        texts += [obfuscate(word, rng) for _ in range(6)]
        texts += [f"you {word[:k]} {word[k:]} there" for k in range(1, len(word))]  # a space inserted anywhere
        texts += [f"{word}s and {word}{word[-1] * 4}", f"{word[:-1]}", f"x{word}x"]
    return texts


@pytest.mark.parametrize("lists", ["shipped", "test"])
def test_matching_finds_exactly_what_the_original_loops_find(lists: str) -> None:
    # Given word lists and hundreds of comments: plain, obfuscated, unicode, emoji, empty-ish and very long
    if lists == "shipped":
        rules = load_policy(PROJECT_ROOT / "config" / "policy.toml").default.rules
        banned, suspect = rules.banned_words, rules.suspect_words
    else:
        banned = ("slurword", "hatefulword*")
        suspect = ("idiot*", "moron", "shit", "fuck*", "shut up", "piece of shit", "ab", "kill yourself")
    matcher = WordMatcher(banned, suspect)
    texts = _word_texts(banned + suspect)
    matched = 0
    for _ in range(2):  # the second pass runs on a warm memo
        for text in texts:
            # When each is matched
            view = TextView(text)
            match = matcher.match(view)
            expected = _reference_match(matcher, TextView(text))
            # Then the same entries are found, and the rule's findings name them in the same order
            assert (match.banned, match.suspect) == expected, text[:80]
            findings = [(f.outcome, f.reason.code, f.reason.message, f.reason.terms)
                        for f in check_words(view, banned, suspect)]
            assert findings == [(outcome, code, f"contains {kind} words: {', '.join(words)}", words)
                                for outcome, code, kind, words in (("reject", "words.banned", "banned", expected[0]),
                                                                   ("review", "words.suspect", "suspect", expected[1]))
                                if words]
            matched += bool(expected[0] or expected[1])
    # And the comments really exercised the matcher (many matches, many clean comments)
    assert 0.2 * len(texts) < matched / 2 < 0.9 * len(texts)
