"""Numeric comment signals (links, capitals, emoji, obfuscation...) the classifier sees next to the words.

Each signal is transformed to roughly ``0..1`` (ratios, ``log1p`` of counts, flags) so that one regularization
strength suits them all. They are computed from the raw text plus the tokens of :mod:`moderation.normalize`.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence

from moderation.normalize import EMAIL_TOKEN, MENTION_TOKEN, URL_TOKEN

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


_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")


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
    :param tokens: its normalized tokens (:func:`moderation.normalize.tokenize`).
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
