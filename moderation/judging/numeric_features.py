"""Numeric comment features (links, capitals, emoji, obfuscation...) the classifier sees next to the words.

The model calls them *signals*: explanations name their columns ``signal:<name>`` (:data:`SIGNAL_NAMES`), and
the ``signal_weight`` parameter scales them (:mod:`moderation.judging.features`). Each signal is transformed to
roughly ``0..1`` (ratios, ``log1p`` of counts, flags) so that one regularization strength suits them all. They
are computed from the raw text plus the tokens of :mod:`moderation.judging.normalize`.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence

import numpy as np

from moderation.judging.normalize import EMAIL_TOKEN, MENTION_TOKEN, URL_TOKEN

#: Signal names, in column order. Explanations name them ``signal:<name>``.
SIGNAL_NAMES: tuple[str, ...] = (
    "links",
    "distinct_domains",
    "lookalike_domain",
    "shortener_link",
    "emails",
    "mentions",
    "emoji",
    "caps_share",
    "repeated_runs",
    "digits_share",
    "length",
    "exclamations",
    "obfuscation",
)

SHORTENERS = frozenset(
    {
        "bit_ly", "goo_gl", "tinyurl_com", "t_co", "ow_ly", "is_gd", "buff_ly", "adf_ly", "bitly_com", "cutt_ly",
        "rb_gy", "shorturl_at", "tiny_cc", "rebrand_ly", "s_id", "t_ly", "lnkd_in",
    }
)  # fmt: skip
_ASCII_ALL = bytes(range(128))
_NOT_UPPER = bytes(c for c in _ASCII_ALL if chr(c) not in string.ascii_uppercase)
_NOT_LETTER = bytes(c for c in _ASCII_ALL if chr(c) not in string.ascii_letters)
_NOT_DIGIT = bytes(c for c in _ASCII_ALL if chr(c) not in string.digits)
_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF))
_EMOJI_RE = re.compile("".join(["["] + [f"{chr(lo)}-{chr(hi)}" for lo, hi in _EMOJI_RANGES] + ["]"]))
# What batch_signals counts of each character, one bit each: capital, letter, digit, "!", emoji.
_CLASS_BITS = 5
_CODE_BITS = (np.arange(1 << _CLASS_BITS)[:, None] >> np.arange(_CLASS_BITS)) & 1  # code -> its bits


def _class_codes(chars: Sequence[str], points: np.ndarray) -> np.ndarray:
    """The class bits of characters (see :data:`_CODE_BITS`), with the ``str`` methods of ``comment_signals``."""
    emoji = np.zeros(len(points), dtype=bool)
    for lo, hi in _EMOJI_RANGES:
        emoji |= (points >= lo) & (points <= hi)
    flags = np.array([[c.isupper(), c.isalpha(), c.isdigit(), c == "!"] for c in chars], dtype=np.int64)
    return (flags.reshape(-1, 4) @ (1 << np.arange(4)) + emoji * 16).astype(np.int64)


_ASCII_CODES = _class_codes([chr(c) for c in range(128)], np.arange(128))

def _lookalike(domain_token: str) -> bool:
    """A domain that imitates another: punycode, digits mixed into a name (``paypa1``), many labels."""
    labels = domain_token.split("_")
    names = labels[:-1]
    if any(label.startswith("xn") for label in names) or len(labels) >= 4:
        return True
    return any(
        any(c.isdigit() for c in label) and any(c.isalpha() for c in label) for label in names
    )


def _char_shares(text: str) -> tuple[float, float]:
    """Share of capitals among letters (0 when fewer than 4 letters) and share of digits among characters."""
    if text.isascii():
        raw = text.encode("ascii")
        upper = len(raw.translate(None, _NOT_UPPER))
        letters = len(raw.translate(None, _NOT_LETTER))
        digits = len(raw.translate(None, _NOT_DIGIT))
    else:
        upper = sum(map(str.isupper, text))
        letters = sum(map(str.isalpha, text))
        digits = sum(map(str.isdigit, text))
    caps = upper / letters if letters >= 4 else 0.0
    return caps, digits / len(text) if text else 0.0


def comment_signals(text: str, tokens: Sequence[str], folds: int, repeats: int) -> list[float]:
    """The signal vector of one comment, in :data:`SIGNAL_NAMES` order.

    :param text: the raw comment text.
    :param tokens: its normalized tokens (:func:`moderation.judging.normalize.tokenize`).
    :param folds: obfuscation folds the normalizer applied.
    :param repeats: runs of 3+ repeated characters the normalizer collapsed.
    """
    links = tokens.count(URL_TOKEN)
    domains: set[str] = set()
    if links:
        domains = {tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t == URL_TOKEN}
    emoji = 0 if text.isascii() else len(_EMOJI_RE.findall(text))
    caps, digits = _char_shares(text)
    log1p = math.log1p
    return [
        log1p(links),
        log1p(len(domains)),
        1.0 if any(_lookalike(d) for d in domains) else 0.0,
        1.0 if domains & SHORTENERS else 0.0,
        log1p(tokens.count(EMAIL_TOKEN)),
        log1p(tokens.count(MENTION_TOKEN)),
        log1p(emoji) / 2.0,
        caps,
        log1p(repeats),
        digits,
        log1p(len(text)) / 6.0,
        log1p(text.count("!")) / 2.0,
        log1p(folds),
    ]


def _char_counts(texts: Sequence[str], lengths: np.ndarray) -> np.ndarray:
    """Per text: capitals, letters, digits, exclamation marks and emoji, as :func:`comment_signals` counts them.

    The batch is read once as code points: ASCII ones through a table, the others classified once per
    distinct character; one histogram of (text, class bits) gives every count.
    """
    points = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = _ASCII_CODES[np.minimum(points, 127)]
    others = points >= 128
    if others.any():
        distinct, inverse = np.unique(points[others], return_inverse=True)
        codes[others] = _class_codes(list(map(chr, distinct.tolist())), distinct)[inverse]
    n = len(texts)
    histogram = np.bincount(np.repeat(np.arange(n) << _CLASS_BITS, lengths) + codes, minlength=n << _CLASS_BITS)
    return histogram.reshape(n, 1 << _CLASS_BITS) @ _CODE_BITS


def batch_signals(texts: Sequence[str], tokens: Sequence[Sequence[str]], folds: Sequence[int],
                  repeats: Sequence[int]) -> np.ndarray:
    """The signal matrix of a batch: row ``i`` equals ``comment_signals(texts[i], tokens[i], ...)`` exactly.

    Characters are counted for the whole batch with numpy; each ``log1p`` is the same :func:`math.log1p`
    of the same integer and each ratio the same division, so the values are bit for bit those of
    :func:`comment_signals`.

    :param texts: the raw comment texts.
    :param tokens: their normalized tokens.
    :param folds: obfuscation folds per text.
    :param repeats: collapsed runs per text.
    """
    n = len(texts)
    out = np.zeros((n, len(SIGNAL_NAMES)), dtype=np.float64)
    if not n:
        return out
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    upper, letters, digits, exclamations, emoji = _char_counts(texts, lengths).T
    links = np.array([t.count(URL_TOKEN) for t in tokens], dtype=np.int64)
    domains = np.zeros(n, dtype=np.int64)
    for i in np.flatnonzero(links).tolist():
        doc = tokens[i]
        found = {doc[k + 1] for k, t in enumerate(doc[:-1]) if t == URL_TOKEN}
        domains[i] = len(found)
        out[i, 2] = 1.0 if any(_lookalike(d) for d in found) else 0.0
        out[i, 3] = 1.0 if found & SHORTENERS else 0.0
    emails = [t.count(EMAIL_TOKEN) for t in tokens]
    mentions = [t.count(MENTION_TOKEN) for t in tokens]
    # log1p of integer counts, in the column order of SIGNAL_NAMES
    counted = np.array([links, domains, emails, mentions, emoji, repeats, lengths, exclamations, folds],
                       dtype=np.int64)
    logs = np.fromiter(map(math.log1p, counted.ravel().tolist()), dtype=np.float64, count=counted.size)
    out[:, [0, 1, 4, 5, 6, 8, 10, 11, 12]] = logs.reshape(counted.shape).T
    out[:, 6] /= 2.0
    out[:, 10] /= 6.0
    out[:, 11] /= 2.0
    out[:, 7] = np.where(letters >= 4, upper / np.maximum(letters, 1), 0.0)
    out[:, 9] = np.where(lengths > 0, digits / np.maximum(lengths, 1), 0.0)
    return out
