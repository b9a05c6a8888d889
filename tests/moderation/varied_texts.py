"""Comments of every kind for tests that compare an implementation with a reference on many texts: plain,
abusive, obfuscated in the ways people get words past a filter, unicode, emoji, links, empty-ish, very long."""

from __future__ import annotations

import random
from collections.abc import Sequence

_PLAIN = ["the", "council", "budget", "is", "late", "again", "I", "think", "you", "are", "a", "good", "point",
          "bus", "line", "thanks", "for", "the", "article", "free", "money", "click", "here", "now"]
_LISTED = ["idiot", "moron", "fuck", "shit", "bitch", "asshole", "stupid", "retard", "slurword", "hatefulwords",
           "piece of shit", "shut up", "kill yourself", "bullshit", "motherfucker", "kike"]
_ODD = ["café", "naïve", "Привет мир", "日本語のテキスト", "straße", "x²", "٣٤", "ǅemal", "Ⅻ", "a\u00a8b", "\u1fed",
        "🔥", "😀😀", "☀", "⬛", "👍🏽", "❤️", "http://www.YouTube.com/watch?v=1", "bit.ly/abc", "paypa1-login.com",
        "me@example.org", "@someone", "call 0123456789", "ab123456cd", "mp3", "10am", "user123", "2nd",
        "WOW!!!", "???", "...", "a_b", "it's", "don’t", "sooooo", "stuuupid", "!!!!!!", "#tag", "$100", "50%"]
_EMPTYISH = ["", " ", "\n\t ", "!!!", "...", "\u200b", "🔥", "a", "*", "**", "_", "-", "x y z"]


def obfuscate(word: str, rng: random.Random) -> str:
    """One of the spellings people use to get a word past a filter."""
    style = rng.randrange(12)
    if style == 0:
        return word.translate(str.maketrans({"i": "1", "o": "0", "e": "3", "a": "@", "s": "$"}))
    if style == 1:
        return rng.choice([" ", ".", "-", "*", "_"]).join(word)
    if style == 2 and len(word) > 2:
        return word[0] + "*" * (len(word) - 2) + word[-1]
    if style == 3:
        return word.translate(str.maketrans({"a": "а", "e": "е", "o": "о", "c": "с", "i": "і"}))
    if style == 4:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)
    if style == 5:
        return "\u200b".join(word)
    if style == 6 and word:
        k = rng.randrange(len(word))
        return word[:k] + word[k] * 5 + word[k + 1 :]
    if style == 7 and len(word) > 3:
        k = rng.choice([1, 2, len(word) - 2, len(word) - 1])
        return word[:k] + rng.choice([" ", "-", ".", "'"]) + word[k:]
    if style == 8:
        return word.upper()
    if style == 9:
        return "".join(chr(0x1D41A + ord(c) - ord("a")) if "a" <= c <= "z" else c for c in word)  # math bold
    if style == 10:
        return f"{word}{rng.choice(['!!!', '?', ',', '.', '...', '!?'])}"
    return word


def varied_texts(n: int = 400, seed: int = 11, listed: Sequence[str] = _LISTED) -> list[str]:
    """Comments of every kind: plain, abusive, obfuscated, unicode, emoji, links, empty-ish and very long.

    :param n: how many.
    :param seed: random seed.
    :param listed: words to mix in, often obfuscated.
    """
    rng = random.Random(seed)
    texts = list(_EMPTYISH)
    texts += ["word " * 4000, "i d i o t " * 500, "a" * 20000, "".join(rng.choice("ab .!1🔥é") for _ in range(20000))]
    while len(texts) < n:
        pieces = []
        for _ in range(rng.randint(1, 25)):
            kind = rng.random()
            if kind < 0.45:
                pieces.append(rng.choice(_PLAIN))
            elif kind < 0.8:
                pieces.append(obfuscate(rng.choice(listed), rng))
            else:
                pieces.append(rng.choice(_ODD))
        texts.append("".join(piece + rng.choice([" ", " ", " ", "  ", "\n", ", ", "! "]) for piece in pieces))
    return texts
