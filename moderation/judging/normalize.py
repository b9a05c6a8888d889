"""Model-side text normalizer that undoes common obfuscation.

The normalizer is what the classifier sees, never what a moderator sees. It lowercases, applies NFKC, drops
accents and invisible characters, folds look-alike letters (Cyrillic/Greek homoglyphs) into Latin, folds
l33t digits and symbols inside words (``1d10t`` → ``idiot``, ``$hit`` → ``shit``), joins letters spread out
with separators (``i d i o t``, ``f.u.c.k``), collapses runs of three or more repeated letters to two, and
replaces URLs with the token ``urltok`` followed by the domain as one token (``youtube_com``).

Script-aware: look-alike letters are folded to Latin only when the text is mainly Latin script (``ѕһіт`` or
``іdіоt`` in an English sentence), decided once per text in :func:`prepare` — a Russian, Bulgarian or Greek
sentence keeps its words (``тот``, ``сок``) in their own script. Accents
are dropped from Latin, Greek, Arabic and Hebrew letters only (Cyrillic ``й`` stays ``й``), and l33t folding
only touches words written in ASCII, so digits inside Chinese or Cyrillic words are left alone.

Pure Python with precompiled regular expressions; small bounded caches (:func:`prepare`,
:func:`normalize_chunk`) because the rules and the model normalize the same comments and words repeat.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

#: Token that replaces every URL (its domain follows as a separate token).
URL_TOKEN = "urltok"
#: Token that replaces every e-mail address (its domain follows).
EMAIL_TOKEN = "emailtok"
#: Token that replaces every ``@mention``.
MENTION_TOKEN = "mentiontok"
#: Token that replaces long digit runs (phone numbers, codes).
NUMBER_TOKEN = "longnum"

# Cyrillic and Greek letters that look like Latin ones (lowercase only: we fold after lowercasing).
_HOMOGLYPHS = {
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "һ": "h", "н": "h", "і": "i", "ї": "i",
    "ј": "j", "к": "k", "ӏ": "l", "м": "m", "п": "n", "о": "o", "р": "p", "ԛ": "q", "г": "r", "ѕ": "s",
    "т": "t", "ц": "u", "ѵ": "v", "ш": "w", "ԝ": "w", "х": "x", "у": "y", "з": "3",
    "α": "a", "β": "b", "ϲ": "c", "δ": "d", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ʀ": "r", "ɡ": "g", "ı": "i", "ɪ": "i",
}  # fmt: skip
_HOMOGLYPH_TABLE = str.maketrans(_HOMOGLYPHS)
_CONFUSABLE = frozenset(_HOMOGLYPHS)
_CONFUSABLE_RE = re.compile(f"[{''.join(sorted(_CONFUSABLE))}]")
# Confusables that are no letter of Russian's or Greek's everyday alphabets: a text made only of look-alike
# letters that uses one of them is obfuscated Latin ("ѕһіт"), not Russian ("тот").
_FOREIGN_CONFUSABLES = frozenset("ԁһіїјӏԛѕѵԝʀɡıɪϲ")
_LATIN_LETTER_RE = re.compile("[a-z\u00df-\u00ff\u0100-\u024f]")
_OTHER_LETTER_RE = re.compile(rf"[^\W\d_a-z\u00c0-\u024f{''.join(sorted(_CONFUSABLE))}]")

_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"}
_LEET_TABLE = str.maketrans(_LEET)

#: Top-level domains (``data/tlds.toml``): ``url_tokens`` make a bare ``name.tld`` a domain token here;
#: ``links_rule`` make it a link for :mod:`moderation.judging.rules.links`.
TLDS: dict[str, tuple[str, ...]] = {name: tuple(values) for name, values in tomllib.loads(
    (Path(__file__).resolve().parent / "data" / "tlds.toml").read_text(encoding="utf-8")).items()}
_URL_TLDS = "|".join(TLDS["url_tokens"])

#: Scripts written without spaces between words: Thai, the CJK block (radicals, kana, bopomofo, ideographs with
#: extension A) and CJK compatibility ideographs. The model's features make each of their characters a token
#: (:mod:`moderation.judging.features`); the words rule looks for an entry in them anywhere in the text
#: (:mod:`moderation.judging.rules.words`). Korean is written with spaces (particles attach to words), so
#: Hangul is tokenized and matched word by word: 시발 does not match 시발점 ("starting point"), and the shipped
#: model learnt Korean from whole words. A regular-expression character class body.
UNSPACED_CHARS = "\u0e00-\u0e7f\u2e80-\u9fff\uf900-\ufaff"
UNSPACED_RE = re.compile(f"[{UNSPACED_CHARS}]")

_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u034f\u180e]")
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_URL_TLDS})\b(?:/[^\s<>\"']*)?"
)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)\b")
_MENTION_RE = re.compile(r"(?<![\w@$])@\w+")
_APOSTROPHE_RE = re.compile(r"(?<=[a-z])['’](?=[a-z])")
# Letters spread out with one consistent separator: "i d i o t", "f.u.c.k", "s-h-i-t", "f*u*c*k".
_SPREAD_RE = re.compile(r"(?<![\w.*-])([a-z0-9@$])([ .*_~+/-])(?:[a-z0-9@$]\2){1,}[a-z0-9@$](?![\w*])")
# A word made of letters mixed with l33t characters, letter and l33t character adjacent.
_LEET_WORD_RE = re.compile(
    r"(?<![\w@$!|])[a-z0-9@$!|]*(?:[a-z][0-9@$!|]|[0-9@$][a-z])[a-z0-9@$!|]*(?![\w@$|])"
)
_TRAILING_DIGITS_RE = re.compile(r"^[a-z]+[0-9]+$")
_NUMBER_UNIT_RE = re.compile(r"^[0-9]+(?:st|nd|rd|th|am|pm|s|k|m|x|h|g|gb|mb|kb|px|kg|km|cm|mm|min|hrs?|yrs?)$")
_REPEAT_RE = re.compile(r"([^\W\d_])\1{2,}")
_PUNCT_REPEAT_RE = re.compile(r"([^\w\s])\1{2,}")
_LONG_NUMBER_RE = re.compile(r"\d{5,}")
_NOT_ALNUM_RE = re.compile(r"[\W_]+")
_MIXED_WORD_RE = re.compile(r"\w*[^\x00-\x7f]\w*")
_TLD_RE = re.compile(rf"\.(?:{_URL_TLDS})\b")
_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff"
_TOKEN_RE = re.compile(rf"\w+(?:\*+\w+)*|[{_EMOJI}]")


def _domain_token(domain: str) -> str:
    """Turn a domain into one token: ``www.YouTube.com`` → ``youtube_com``."""
    domain = domain.lower().split("@")[-1].split(":")[0].strip(".")
    if domain.startswith("www."):
        domain = domain[4:]
    return re.sub(r"[^a-z0-9]+", "_", domain).strip("_") or "nodomain"


def url_domain(url: str) -> str:
    """The host part of a URL as written (lowercased, without ``www.``)."""
    host = re.sub(r"^[a-z]+://", "", url.lower())
    host = re.split(r"[/?#]", host, maxsplit=1)[0].split(":")[0].rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _replace_url(match: re.Match[str]) -> str:
    return f" {URL_TOKEN} {_domain_token(url_domain(match.group(0)))} "


def _replace_email(match: re.Match[str]) -> str:
    return f" {EMAIL_TOKEN} {_domain_token(match.group(1))} "


def _join_spread(match: re.Match[str]) -> str:
    return match.group(0).replace(match.group(2), "")


def _changed_words(before: str, after: str) -> int:
    """How many whitespace-separated words differ between two versions of a text."""
    if before == after:
        return 0
    return sum(1 for a, b in zip(before.split(), after.split(), strict=False) if a != b)


def _fold_leet(match: re.Match[str]) -> str:
    word = match.group(0)
    core = word.rstrip("!|")  # "wow!!" ends with exclamation marks, not with l33t letters
    tail = word[len(core) :]
    if _TRAILING_DIGITS_RE.match(core) or _NUMBER_UNIT_RE.match(core):  # user123, mp3, 2nd, 10am
        return word
    folded = core.translate(_LEET_TABLE)
    return (folded if sum(c.isalpha() for c in folded) >= 2 else core) + tail


def _fold_homoglyphs(match: re.Match[str]) -> str:
    word = match.group(0)
    letters = [c for c in word if c.isalpha()]
    has_latin = any("a" <= c <= "z" for c in letters)
    if has_latin or (letters and all(c in _CONFUSABLE for c in letters)):
        return word.translate(_HOMOGLYPH_TABLE)
    return word


def mainly_latin(text: str) -> bool:
    """Whether look-alike letters in ``text`` (lowercased) should be read as Latin: it has more Latin letters
    than letters of other scripts (look-alikes not counted), or it is made only of look-alikes and some of
    them are no Russian or Greek letter.

    :param text: lowercased text.
    """
    latin = len(_LATIN_LETTER_RE.findall(text))
    other = len(_OTHER_LETTER_RE.findall(text))
    if latin or other:
        return latin > other
    return not _FOREIGN_CONFUSABLES.isdisjoint(text)


def _fold_text_homoglyphs(text: str) -> tuple[str, int]:
    """Fold look-alike letters in ``text`` (lowercased) when it is mainly Latin (:func:`mainly_latin`): in words
    that mix them with Latin letters or are made only of them. Text in another script keeps its letters, even
    in a word with a stray Latin letter. Returns the text and the number of words changed."""
    if not _CONFUSABLE_RE.search(text) or not mainly_latin(text):
        return text, 0
    folded = _MIXED_WORD_RE.sub(_fold_homoglyphs, text)
    return folded, _changed_words(text, folded)


def _strips_accents(base: str) -> bool:
    """Whether accents on ``base`` are dropped: Latin, Greek, Arabic and Hebrew letters (where they are
    optional marks), not Cyrillic (``й``) or Indic scripts (vowel signs)."""
    return base < "\u0250" or "\u0370" <= base <= "\u03ff" or "\u0590" <= base <= "\u06ff"


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = []
    strip = True
    for c in decomposed:
        if unicodedata.combining(c):
            if strip:
                continue
        else:
            strip = _strips_accents(c)
        kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept))


class NormChunk(NamedTuple):
    """One whitespace-separated chunk of a comment after normalization.

    :param text: the normalized chunk (may hold several tokens and punctuation).
    :param folds: how many obfuscation folds (l33t, spread letters, homoglyphs) it needed.
    :param tokens: the word tokens the classifier sees.
    :param repeats: runs of three or more repeated characters collapsed.
    :param squashed: the normalized chunk with everything but letters and digits removed (``fu.ck`` →
        ``fuck``), computed once here because the words rule looks every chunk up in this form too.
    """

    text: str
    folds: int
    tokens: tuple[str, ...]
    repeats: int
    squashed: str


#: Texts up to this many characters keep their prepared chunks in a small LRU cache: the rules
#: (:class:`moderation.judging.rules.base.TextView`) and the model
#: (:meth:`moderation.judging.features.Featurizer.hash_batch`) both prepare every comment of a batch, the
#: second time is a lookup. It holds a whole batch (at most 1000 comments): typically under 2 MB, at most about
#: 20 MB (1024 texts of 1000 characters in two-letter words).
PREPARE_CACHE_CHARS = 1000
PREPARE_CACHE_SIZE = 1024


def prepare(text: str) -> tuple[tuple[str, ...], int]:
    """Whole-text steps: lowercase, NFKC, URLs, e-mails, mentions, letters spread out with spaces.

    :param text: raw comment text.
    :returns: the whitespace-separated chunks and the number of folds applied so far.
    """
    if len(text) <= PREPARE_CACHE_CHARS:
        return _prepare_cached(text)
    return _prepare(text)


def _prepare(text: str) -> tuple[tuple[str, ...], int]:
    folds = 0
    text = text.lower()
    if not text.isascii():
        before = text
        text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text)).lower()
        folds += _changed_words(before, text)  # fullwidth, math letters, zero-width characters
    if "@" in text:
        text = _EMAIL_RE.sub(_replace_email, text)
        text = _MENTION_RE.sub(f" {MENTION_TOKEN} ", text)
    if "://" in text or "www." in text or ("." in text and _TLD_RE.search(text)):
        text = _URL_RE.sub(_replace_url, text)
    if not text.isascii():
        text, n = _fold_text_homoglyphs(text)
        folds += n
    chunks = text.split()
    if list(map(len, chunks)).count(1) >= 3:  # maybe "i d i o t"
        text, n = _SPREAD_RE.subn(_join_spread, text)
        if n:
            folds += n
            chunks = text.split()
    return tuple(chunks), folds


_prepare_cached = lru_cache(maxsize=PREPARE_CACHE_SIZE)(_prepare)


@lru_cache(maxsize=65536)
def normalize_chunk(chunk: str) -> NormChunk:
    """Normalize one prepared chunk (bounded cache: words repeat a lot across comments).

    :param chunk: a whitespace-free piece of prepared text (see :func:`prepare`).
    :returns: the normalized chunk, its fold count and its tokens.
    """
    folds = repeats = 0
    text = chunk
    if not text.isascii():  # look-alike letters were folded in prepare(), which knows the whole text's script
        text = _strip_accents(text)
    if "'" in text or "’" in text:
        text = _APOSTROPHE_RE.sub("", text)
    if not text.isalpha():
        text, n = _SPREAD_RE.subn(_join_spread, text)
        folds += n
        before = text
        text = _LEET_WORD_RE.sub(_fold_leet, text)
        folds += _changed_words(before, text)
        text, n = _PUNCT_REPEAT_RE.subn(r"\1\1", text)
        repeats += n
        text = _LONG_NUMBER_RE.sub(f" {NUMBER_TOKEN} ", text).strip()
    text, n = _REPEAT_RE.subn(r"\1\1", text)
    squashed = text if text.isalnum() else _NOT_ALNUM_RE.sub("", text)
    return NormChunk(text, folds, tuple(_TOKEN_RE.findall(text)), repeats + n, squashed)


def normalize_counted(text: str) -> tuple[str, int]:
    """Normalize ``text`` and count the obfuscation folds applied.

    :param text: raw comment text.
    :returns: the normalized text and the number of words that needed l33t, spread-letter, homoglyph or
        Unicode-compatibility folding (a hint that someone tried to evade a filter).
    """
    chunks, folds = prepare(text)
    parts = list(map(normalize_chunk, chunks))
    return " ".join(p.text for p in parts), folds + sum(p.folds for p in parts)


def normalize(text: str) -> str:
    """Normalize ``text`` for the classifier (see the module docstring).

    :param text: raw comment text.
    :returns: the normalized text.
    """
    return normalize_counted(text)[0]


def tokenize(text: str) -> list[str]:
    """The word tokens of the normalized text (words, ``urltok``, domain tokens, emoji, ``f**k``).

    :param text: raw comment text.
    """
    chunks, _ = prepare(text)
    return [t for c in map(normalize_chunk, chunks) for t in c.tokens]
