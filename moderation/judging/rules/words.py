"""The words rule: banned words reject a comment (``words.banned``), suspect words hold it (``words.suspect``).

Lists are plain lowercase words or phrases; a final ``*`` means "starts with". They are compiled once into
sets and dicts, and a comment is matched in time linear in its length: no regular expression is ever built
from a list, so no entry can make the worker hang.

A comment's words are looked up in several forms, each a set lookup:

* the normalized tokens (:mod:`moderation.judging.normalize`: l33t, look-alike letters, letters spread with a
  separator, stretched letters, Unicode compatibility forms, invisible characters);
* the raw lowercase words (forms the normalizer would change);
* each whitespace-separated chunk with its inner symbols removed (``fu.ck``, ``id-iot``);
* tokens with every run of a letter squeezed to one (``fuuuck``), compared with squeezed entries;
* masked tokens (``f**k``, ``sh*t``): a ``*`` stands for one letter, first letter kept;
* two neighbours joined when one is at most two letters (``sh it``, ``id iot``), whole entries only.

Phrases (``piece of shit``) match consecutive normalized tokens.

Entries may be in any script (``config/words.toml`` has per-language sections, see
:meth:`moderation.judging.policy.RuleSettings.words_for`). A word in Cyrillic or Arabic is matched in its own script:
the raw words are looked up as written, and the normalizer folds look-alike letters only in mainly Latin text.
An entry with accents also matches its accent-less form (``maricón``, ``maricon``). Entries in scripts written
without spaces (Chinese, Japanese, Thai) match anywhere in the text, spaces and symbols between their
characters ignored; Korean (Hangul) entries match words, as Latin ones do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from operator import attrgetter

from moderation.judging.mentions import Span, find_mentions, without_mentions
from moderation.judging.normalize import UNSPACED_RE, normalize_chunk
from moderation.judging.rules.base import Finding, TextView, finding
from moderation.records import Outcome

_RAW_WORD = re.compile(r"[^\W_]+")
_NOT_ALNUM = re.compile(r"[\W_]+")
# What _RAW_WORD splits ASCII text into, as a byte table (much faster than the regular expression).
_ASCII_WORD_SPLIT = bytes(c if chr(c).isalnum() else 32 for c in range(256))
_SQUEEZE = re.compile(r"(.)\1+")
_SQUASHED = attrgetter("squashed")
_REJECT = 2
_REVIEW = 1
#: How many distinct words a matcher remembers the lookup of (words repeat a lot across comments).
MEMO_SIZE = 200_000


def _squeeze(word: str) -> str:
    return _SQUEEZE.sub(r"\1", word)


def _raw_words(lower: str) -> list[str]:
    """The runs of letters and digits of a lowercased text."""
    if lower.isascii():
        return lower.encode("ascii").translate(_ASCII_WORD_SPLIT).decode("ascii").split()
    return _RAW_WORD.findall(lower)


@dataclass(frozen=True)
class WordMatch:
    """The entries a comment matched, as written in the lists (without the ``*``)."""

    banned: tuple[str, ...]
    suspect: tuple[str, ...]


_NO_MATCH = WordMatch(banned=(), suspect=())


class WordMatcher:
    """Matches comments against banned and suspect lists (see the module docstring).

    :param banned: entries that reject.
    :param suspect: entries that hold for review (an entry in both lists is banned).
    """

    def __init__(self, banned: Iterable[str], suspect: Iterable[str]) -> None:
        self.exact: dict[str, tuple[int, str]] = {}
        self.prefixes: dict[str, tuple[int, str]] = {}
        self.squeezed_exact: dict[str, tuple[int, str]] = {}
        self.squeezed_prefixes: dict[str, tuple[int, str]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
        self.by_length: dict[int, list[tuple[str, int, str]]] = {}
        self.unspaced: dict[str, tuple[int, str]] = {}
        for level, entries in ((_REVIEW, suspect), (_REJECT, banned)):  # banned last: it wins a tie
            for entry in entries:
                self._add(entry.strip().lower(), level)
        self.prefix_lengths = sorted({len(p) for p in self.prefixes})
        self.squeezed_prefix_lengths = sorted({len(p) for p in self.squeezed_prefixes})
        # Memo of lookups: words that match nothing (most of them) in a set, so that a comment's known
        # clean words are skipped with one set difference; the few hits in a dict.
        self._clean: set[str] = set()
        self._hits: dict[str, tuple[int, str]] = {}
        # Two neighbours joined (one at most two letters) can only hit a whole entry of at least 4 letters:
        # left part -> the right parts that complete an entry, to skip the pairs of most comments at once.
        self.join_parts: dict[str, set[str]] = {}
        for word in {*self.exact, *self.prefixes}:
            for cut in range(1, len(word)) if len(word) >= 4 else ():
                if min(cut, len(word) - cut) <= 2:
                    self.join_parts.setdefault(word[:cut], set()).add(word[cut:])

    def _add(self, entry: str, level: int) -> None:
        label = entry.rstrip("*").strip()
        if UNSPACED_RE.search(label):
            key = _NOT_ALNUM.sub("", label)
            if level >= self.unspaced.get(key, (0, ""))[0]:
                self.unspaced[key] = (level, label)
            return
        if not label.isascii():  # also its normalized form: accents dropped ("maricón" -> "maricon")
            folded = " ".join(normalize_chunk(word).squashed for word in label.split())
            if folded and folded != label:
                self._add_label(folded + ("*" if entry.endswith("*") else ""), level, label)
        self._add_label(entry, level, label)

    def _add_label(self, entry: str, level: int, label: str) -> None:
        words = entry.rstrip("*").strip().split()
        if len(words) > 1:
            self.phrases.setdefault(words[0], []).append((tuple(words), level, label))
            return
        word = _NOT_ALNUM.sub("", words[0])
        if entry.endswith("*"):
            self.prefixes[word] = (level, label)
            self.squeezed_prefixes[_squeeze(word)] = (level, label)
        else:
            self.exact[word] = (level, label)
            self.squeezed_exact[_squeeze(word)] = (level, label)
        self.by_length.setdefault(len(word), []).append((word, level, label))

    def _lookup(self, word: str, found: dict[str, int]) -> None:
        hit = self._hits.get(word)
        if hit is None:
            hit = self._find(word)
            if hit is None:
                if len(self._clean) >= MEMO_SIZE:
                    self._clean.clear()
                self._clean.add(word)
                return
            if len(self._hits) >= MEMO_SIZE:
                self._hits.clear()
            self._hits[word] = hit
        found[hit[1]] = max(hit[0], found.get(hit[1], 0))

    def _find(self, word: str) -> tuple[int, str] | None:
        """The entry ``word`` matches (exactly, by prefix, or squeezed), if any."""
        hit = self.exact.get(word)
        if hit is None:
            for length in self.prefix_lengths:
                if length > len(word):
                    break
                hit = self.prefixes.get(word[:length])
                if hit is not None:
                    break
        if hit is None and _SQUEEZE.search(word):
            squeezed = _squeeze(word)
            hit = self.squeezed_exact.get(squeezed)
            for length in self.squeezed_prefix_lengths:
                if hit is not None or length > len(squeezed):
                    break
                hit = self.squeezed_prefixes.get(squeezed[:length])
        return hit

    def _masked(self, token: str, found: dict[str, int]) -> None:
        """``f**k``: same length, first letter real, every ``*`` one letter, the rest equal."""
        if not token[0].isalnum() or sum(c.isalnum() for c in token) < 2:
            return
        for word, level, label in self.by_length.get(len(token), ()):
            if all(t == "*" or t == w for t, w in zip(token, word, strict=True)):
                found[label] = max(level, found.get(label, 0))

    def match(self, view: TextView) -> WordMatch:
        """The list entries ``view``'s comment contains, however obfuscated.

        :param view: the comment's text, prepared once (:class:`moderation.judging.rules.base.TextView`).
        """
        found: dict[str, int] = {}
        tokens = view.tokens
        candidates = set(tokens)
        candidates.update(_raw_words(view.lower))
        candidates.update(map(_SQUASHED, view.chunks))
        candidates.discard("")
        for word in candidates.difference(self._clean):
            if "*" in word:
                self._masked(word, found)
            else:
                self._lookup(word, found)
        lefts = self.join_parts.keys() & tokens
        if lefts and not set().union(*map(self.join_parts.__getitem__, lefts)).isdisjoint(tokens):
            for left, right in pairwise(tokens):
                if min(len(left), len(right)) <= 2:
                    joined = left + right
                    hit = self.exact.get(joined) or self.prefixes.get(joined)
                    if hit is not None and len(joined) >= 4:
                        found[hit[1]] = max(hit[0], found.get(hit[1], 0))
        if self.phrases and not self.phrases.keys().isdisjoint(tokens):
            for index, token in enumerate(tokens):
                for words, level, label in self.phrases.get(token, ()):
                    if tuple(tokens[index:index + len(words)]) == words:
                        found[label] = max(level, found.get(label, 0))
        if self.unspaced and not view.lower.isascii():
            squashed = _NOT_ALNUM.sub("", view.lower)
            for key, (level, label) in self.unspaced.items():
                if key in squashed:
                    found[label] = max(level, found.get(label, 0))
        if not found:
            return _NO_MATCH
        return WordMatch(banned=tuple(sorted(w for w, lv in found.items() if lv == _REJECT)),
                         suspect=tuple(sorted(w for w, lv in found.items() if lv == _REVIEW)))


@lru_cache(maxsize=64)
def matcher_for(banned: tuple[str, ...], suspect: tuple[str, ...]) -> WordMatcher:
    """The compiled matcher of a pair of lists (built once per distinct site lists)."""
    return WordMatcher(banned, suspect)


def check_words(view: TextView, banned: tuple[str, ...], suspect: tuple[str, ...],
                mentions_lang: str | None = None, mentions: Sequence[Span] | None = None) -> list[Finding]:
    """The words rule's findings for one comment.

    :param view: the comment's text.
    :param banned: the site's banned entries (reject).
    :param suspect: the site's suspect entries (review).
    :param mentions_lang: the comment's language, when suspect words that it only quotes, names or reports
        (:mod:`moderation.judging.mentions`: "calling the mayor an idiot is not an argument") are not to count; banned
        words count wherever they are. None: every word counts.
    :param mentions: the comment's mentions when already found (the scorer's); ``None``: looked for here.
    """
    if not banned and not suspect:
        return []
    matcher = matcher_for(banned, suspect)
    matched = matcher.match(view)
    if matched.suspect and mentions_lang is not None:
        spans = find_mentions(view.body, mentions_lang) if mentions is None else mentions
        if spans:
            matched = replace(matched, suspect=matcher.match(TextView(without_mentions(view.body, spans))).suspect)
    findings = []
    if matched.banned:
        findings.append(finding(_outcome(_REJECT), "words.banned",
                                f"contains banned words: {', '.join(matched.banned)}", matched.banned))
    if matched.suspect:
        findings.append(finding(_outcome(_REVIEW), "words.suspect",
                                f"contains suspect words: {', '.join(matched.suspect)}", matched.suspect))
    return findings


def _outcome(level: int) -> Outcome:
    return "reject" if level == _REJECT else "review"
