"""Cleaning of submitted text before it is validated and stored.

This is the light, meaning-preserving cleaning every comment body gets at submission (Unicode NFC,
control characters removed). The aggressive, model-side folding of obfuscated spellings (l33t, look-alike
letters, spread-out letters) lives in :mod:`moderation.judging.normalize`, which
:mod:`moderation.judging.features` applies.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters kept although their category is "control" or "format": line breaks, tabs, and the joiners
#: that emoji sequences and some scripts need.
_KEPT = {"\n", "\t", "\u200c", "\u200d"}


# Control characters an ASCII text can hold (all but \t and \n): removed by one regex, the common fast path.
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Return ``value`` NFC-normalized with control, format and lone-surrogate characters removed.

    ``\\r\\n`` and ``\\r`` become ``\\n``; leading and trailing white space is stripped.

    :param value: the text as submitted.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.isascii():
        return _ASCII_CONTROL.sub("", value).strip()
    kept = "".join(ch for ch in value if ch in _KEPT or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"})
    return unicodedata.normalize("NFC", kept).strip()
