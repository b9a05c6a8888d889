"""Insults mentioned rather than used: quoted, named, reported or under discussion (English).

"Calling the mayor an idiot is not an argument." says *idiot* without calling anyone one. A bag-of-words model
cannot tell, so :func:`find_mentions` finds the frames that mention words, from the lists in
``moderation/judging/data/mention_frames.toml``:

* **quotes** after a reporting or naming word, or opening a sentence: ``"Shut up, loser" is not a reply``;
* **naming**: ``calling <someone> [a|an] <words>``, ``someone called me a <word>``, ``being called <words>``;
* **claims** under discussion: ``jokes about <someone> being <words>``, ``the idea that <someone> are <words>``;
* **words named as words**: ``the word <w>``, ``names like <w>``.

Frames aimed at the reader (``calling you an idiot``) or spoken by the writer (``I'd call him an idiot``,
``I'm just saying they are animals``) are not mentions. :func:`without_mentions` gives the text with the
mentioned words left out, which the scorer scores as well (:mod:`moderation.judging.scoring`): a mention never
excuses anything outside itself.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from moderation.records import Reason

#: The frames' word lists.
FRAMES_FILE = Path(__file__).resolve().parent / "data" / "mention_frames.toml"
#: Languages with frames.
LANGUAGES: tuple[str, ...] = ("en",)

_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*")
_QUOTE_RE = re.compile(r"\"([^\"\n]{1,160})\"|“([^”\n]{1,160})”|(?<!\w)['‘]([^'‘’\n]{1,160})['’](?!\w)")
_SENTENCE_GAP = re.compile(r"[.!?;:\n]")
_PHRASE_BREAK = re.compile(r"[.,;:!?\"“”()\[\]\n—–]")
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\n—–]")  # what ends a frame before its words (quotes do not)
#: Mentioned phrases are short: the longest run of words a naming or claim frame takes out (an adjective and
#: a noun: "a corrupt rat", "bad drivers").
MAX_PHRASE_WORDS = 2
#: A quote that holds this share of a comment's words is the comment itself, not a mention inside it.
MAX_QUOTE_SHARE = 0.8
#: Longer quotes are statements (often repeated, not condemned), not the few words of an insult.
MAX_QUOTE_WORDS = 8


class Span(NamedTuple):
    """Characters ``start:end`` of a text that are mentioned, not used."""

    start: int
    end: int


@dataclass(frozen=True)
class MentionFrames:
    """One language's frame words (see the data file's comments).

    :param quote_leads: words after which a quote is a mention.
    :param speech_verbs: the quote leads that attribute a quote they follow.
    :param quote_predicates: words after a quote that opens a sentence that make it one.
    :param naming_verbs: verbs that name someone something.
    :param imperatives: their base forms, orders at the start of a clause.
    :param sneer_prefixes: words that make a naming verb after them a sneer ("so-called").
    :param passive_auxiliaries: words that make a naming verb passive.
    :param claim_nouns: nouns that introduce a claim under discussion.
    :param claim_gerunds: gerunds that do, as a clause's subject or after one of ``gerund_leads``.
    :param gerund_leads: words after which a claim gerund discusses a claim.
    :param claim_links: ``about`` / ``that`` after a claim word.
    :param claim_copulas: the verb between the one the claim is about and what is claimed.
    :param word_nouns: nouns that name a word.
    :param word_determiners: what comes before a word noun that names the word after it.
    :param word_links: what may come between a word noun and the word it names.
    :param articles: articles before mentioned words.
    :param determiners: determiners of the one named.
    :param pronouns: pronouns (and plain plurals) that are the one named by themselves.
    :param second_person: words addressing the reader.
    :param first_person: words that make a frame the writer's own.
    :param phrase_stops: words where a mentioned phrase ends.
    """

    quote_leads: frozenset[str]
    speech_verbs: frozenset[str]
    quote_predicates: frozenset[str]
    naming_verbs: frozenset[str]
    imperatives: frozenset[str]
    sneer_prefixes: frozenset[str]
    passive_auxiliaries: frozenset[str]
    claim_nouns: frozenset[str]
    claim_gerunds: frozenset[str]
    gerund_leads: frozenset[str]
    claim_links: frozenset[str]
    claim_copulas: frozenset[str]
    word_nouns: frozenset[str]
    word_determiners: frozenset[str]
    word_links: frozenset[str]
    articles: frozenset[str]
    determiners: frozenset[str]
    pronouns: frozenset[str]
    second_person: frozenset[str]
    first_person: frozenset[str]
    phrase_stops: frozenset[str]
    _triggers: frozenset[str] = field(init=False, repr=False, compare=False)

    @classmethod
    def from_table(cls, table: Mapping[str, Any], where: str) -> MentionFrames:
        """Build from one language's table of the data file.

        :param table: the ``[LANG]`` table.
        :param where: its name, for errors.
        :raises ValueError: naming the missing or malformed key.
        """
        values: dict[str, frozenset[str]] = {}
        for name in (f.name for f in fields(cls) if f.init):
            words = table.get(name)
            if not isinstance(words, list) or not all(isinstance(w, str) and w == w.lower() for w in words):
                raise ValueError(f"{where}: {name} must be a list of lowercase words")
            values[name] = frozenset(words)
        return cls(**values)

    @property
    def triggers(self) -> frozenset[str]:
        """Words at least one of which a text needs for a frame other than a quote."""
        return self._triggers

    def __post_init__(self) -> None:
        object.__setattr__(self, "_triggers",
                           self.naming_verbs | self.claim_nouns | self.claim_gerunds | self.word_nouns)


@lru_cache(maxsize=4)
def load_frames(path: Path = FRAMES_FILE) -> dict[str, MentionFrames]:
    """Language -> its frames, from the data file.

    :param path: the TOML file.
    """
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return {lang: MentionFrames.from_table(table, f"{path.name} [{lang}]") for lang, table in data.items()}


class _Tokens:
    """A text's word tokens (lowercase, ’ as '), their offsets, and whether punctuation separates neighbours."""

    __slots__ = ("ends", "starts", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        matches = list(_TOKEN_RE.finditer(text))
        self.words = [_word(m.group()) for m in matches]
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]

    def broken(self, i: int, pattern: re.Pattern[str] = _PHRASE_BREAK) -> bool:
        """Whether punctuation stands between token ``i - 1`` and token ``i`` (quotes count unless ``pattern``
        is :data:`_CLAUSE_BREAK`)."""
        return bool(pattern.search(self.text, self.ends[i - 1], self.starts[i]))

    def phrase(self, start: int, stops: frozenset[str]) -> int:
        """End (exclusive) of the mentioned phrase that starts at token ``start``."""
        end = start
        while end < len(self.words) and end - start < MAX_PHRASE_WORDS and self.words[end] not in stops \
                and (end == start or not self.broken(end)):
            end += 1
        return end

    def span(self, start: int, end: int) -> Span | None:
        return Span(self.starts[start], self.ends[end - 1]) if end > start else None


def _quotes(text: str, frames: MentionFrames) -> list[Span]:
    """The quotes of ``text`` that mention (read from the words around each quote: no full tokenization)."""
    spans = []
    n_words = len(_TOKEN_RE.findall(text))
    for match in _QUOTE_RE.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        start, end = match.span(group)
        inside = len(_TOKEN_RE.findall(text, start, end))
        if not inside or inside > MAX_QUOTE_WORDS or inside >= MAX_QUOTE_SHARE * n_words:
            continue
        before = _clause_before(text, match.start())
        if any(w in frames.second_person for w in before[-3:]):  # you "experts"
            continue
        if before and before[-1] in frames.quote_leads:
            # ... unless the writer says it: "I'll go and say "..."", "I said "...""
            if not any(w in frames.first_person for w in before[:-1]):
                spans.append(Span(start, end))
        elif _opens_sentence(text, match.start()) and _discussed(text, match.end(), frames):
            spans.append(Span(start, end))
    return spans


def _word(token: str) -> str:
    return token.lower().replace("’", "'")


def _clause_before(text: str, at: int) -> list[str]:
    """The words of the clause before position ``at`` (a colon or comma right before it is skipped: 'He said:
    "..."'), lowercase, at most the last 8."""
    head = text[max(0, at - 80):at].rstrip(" \t:,")
    cut = max(head.rfind(c) for c in ".!?;:,\n")
    return [_word(w) for w in _TOKEN_RE.findall(head[cut + 1:])[-8:]]


def _opens_sentence(text: str, at: int) -> bool:
    """Whether position ``at`` starts the text or a sentence (only spaces after the last sentence break)."""
    stripped = text[:at].rstrip(" \t")
    return not stripped or bool(_SENTENCE_GAP.fullmatch(stripped[-1]))


def _discussed(text: str, at: int, frames: MentionFrames) -> bool:
    """Whether what follows a quote ending at ``at`` says something about it (see the data file)."""
    after = [_word(w) for w in _TOKEN_RE.findall(text, at, at + 60)[:3]]
    if after and after[0] in frames.quote_predicates and not _SENTENCE_GAP.search(text, at, at + 2):
        return True
    return any(w in frames.speech_verbs for w in after)


#: How far back (in words of the same clause) a first-person speaker makes a frame the writer's own.
WRITER_WINDOW = 4


def _own_words(tokens: _Tokens, i: int, frames: MentionFrames) -> bool:
    """Whether a first- or second-person word stands in the few words before token ``i`` of its clause: the
    writer's own words ("I'd call him ..."), or the reader's ("you called me ...")."""
    for k in range(i - 1, max(-1, i - 1 - WRITER_WINDOW), -1):
        if tokens.words[k] in frames.first_person or tokens.words[k] in frames.second_person:
            return True
        if k == 0 or tokens.broken(k):
            return False
    return False


def _opens_clause(tokens: _Tokens, i: int) -> bool:
    """Whether token ``i`` is the first of its clause (of the text, after punctuation, or after an @handle)."""
    return i == 0 or tokens.broken(i) or tokens.text[tokens.starts[i - 1] - 1:tokens.starts[i - 1]] == "@"


def _naming(tokens: _Tokens, i: int, frames: MentionFrames) -> Span | None:
    words, n = tokens.words, len(tokens.words)
    if i + 1 >= n or tokens.broken(i + 1) or (i > 0 and words[i - 1] in frames.sneer_prefixes):
        return None
    if i > 0 and words[i - 1] in frames.passive_auxiliaries:  # "I got called a snowflake": said to the writer
        start = i + 1
    elif _own_words(tokens, i, frames) or (words[i] in frames.imperatives and _opens_clause(tokens, i)):
        return None
    else:
        first = words[i + 1]
        if first in frames.second_person:
            return None
        article = next((k for k in range(i + 2, min(i + 6, n))
                        if words[k] in frames.articles and not tokens.broken(k)), None)
        if article is not None and not any(w in frames.second_person for w in words[i + 1:article]):
            start = article + 1
        elif first in frames.pronouns:
            start = i + 2
        else:
            start = i + 3 if first in frames.determiners else i + 2
            if start <= n and any(tokens.broken(k) for k in range(i + 2, min(start, n))):
                return None
    if start < n and words[start] in frames.articles:
        start += 1
    if start >= n or tokens.broken(start, _CLAUSE_BREAK):  # "called me a 'moron'" still names
        return None
    return tokens.span(start, tokens.phrase(start, frames.phrase_stops))


def _claim(tokens: _Tokens, i: int, frames: MentionFrames) -> Span | None:
    words, n = tokens.words, len(tokens.words)
    if _own_words(tokens, i, frames):
        return None
    if words[i] in frames.claim_gerunds and not (_opens_clause(tokens, i) or words[i - 1] in frames.gerund_leads):
        return None
    j = i + 1
    if j < n and words[j] in frames.claim_links:
        j += 1
    copula = next((k for k in range(j + 1, min(j + 4, n)) if words[k] in frames.claim_copulas), None)
    if copula is None or any(tokens.broken(k) for k in range(i + 1, copula + 2) if k < n):
        return None
    if any(w in frames.second_person for w in words[j:copula]):
        return None
    start = copula + 1
    if start < n and words[start] in frames.articles:
        start += 1
    if start >= n:
        return None
    return tokens.span(start, tokens.phrase(start, frames.phrase_stops))


def _word_noun(tokens: _Tokens, i: int, frames: MentionFrames) -> Span | None:
    words, n = tokens.words, len(tokens.words)
    start = i + 1
    while start < n and words[start] in frames.word_links and not tokens.broken(start):
        start += 1
    if start >= n or tokens.broken(start) or (start == i + 1 and (i == 0 or words[i - 1] not in
                                                                   frames.word_determiners)):
        return None
    if words[start] in frames.phrase_stops or words[start] in frames.articles:
        return None
    return tokens.span(start, start + 1)


def find_mentions(text: str, lang: str = "en", words: Iterable[str] | None = None) -> tuple[Span, ...]:
    """The spans of ``text`` that mention words rather than use them, in order, not overlapping.

    :param text: a comment.
    :param lang: its language; only :data:`LANGUAGES` have frames (others get none).
    :param words: its lowercase words, when the caller has them already (the scorer's normalized tokens): a
        frame other than a quote needs one of the frame words among them. Default: the text split on spaces.
    """
    frames = load_frames().get(lang)
    if frames is None:
        return ()
    spans = _quotes(text, frames) if _has_quote(text) else []
    triggers = frames.triggers
    if triggers.isdisjoint(text.lower().split() if words is None else words):  # most: no other frame can start
        return _merged(spans)
    tokens = _Tokens(text)
    for i, word in enumerate(tokens.words):
        if word not in triggers:
            continue
        found = [_naming(tokens, i, frames) if word in frames.naming_verbs else None,
                 _claim(tokens, i, frames) if word in frames.claim_nouns or word in frames.claim_gerunds else None,
                 _word_noun(tokens, i, frames) if word in frames.word_nouns else None]
        spans += [span for span in found if span is not None]
    return _merged(spans)


_SINGLE_QUOTE_OPEN = re.compile(r"(?<!\w)['‘]\w")


def _has_quote(text: str) -> bool:
    return '"' in text or "“" in text or (("'" in text or "‘" in text) and bool(_SINGLE_QUOTE_OPEN.search(text)))


def _merged(spans: Sequence[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return tuple(merged)


def without_mentions(text: str, spans: Sequence[Span]) -> str:
    """``text`` with each span left out (a space in its place).

    :param text: a comment.
    :param spans: from :func:`find_mentions`.
    """
    parts, at = [], 0
    for span in spans:
        parts.append(text[at:span.start])
        at = span.end
    parts.append(text[at:])
    return " ".join(parts)


#: The reason code of a decision whose comment had mentions scored apart.
REASON_CODE = "context.mention"
#: A reason names at most this many mentions, each cut to this many characters.
REASON_TERMS, REASON_TERM_CHARS = 5, 40


def mention_reason(text: str, spans: Sequence[Span]) -> Reason:
    """The ``context.mention`` reason of a comment whose mentions were scored apart, naming them.

    :param text: the comment.
    :param spans: its mentions (:func:`find_mentions`), at least one.
    """
    terms = tuple(text[s.start:s.end][:REASON_TERM_CHARS] for s in spans[:REASON_TERMS])
    return Reason(code=REASON_CODE, message=(
        "words it quotes, names or reports rather than aims at anyone were scored apart: "
        + ", ".join(repr(t) for t in terms)), terms=terms)
