"""What every verb of the ``moderation`` command prints: one JSON object per line.

One result stays one line whatever it holds: besides ``\\n`` (escaped by JSON), the characters some line
readers also take as line breaks (U+0085, U+2028, U+2029) are escaped, and text that is no valid UTF-8 (a lone
surrogate from a file read with ``surrogateescape``) is written with backslash escapes instead of failing.
"""

from __future__ import annotations

import json
from typing import IO, Any

# Characters some line readers take as line breaks: escaped so that one result stays one line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def print_json(data: Any, out: IO[str]) -> None:
    """Write ``data`` to ``out`` as one line of JSON (non-ASCII kept as is), and flush.

    :param data: a JSON-ready value.
    :param out: the stream (stdout, or a test's buffer).
    """
    text = json.dumps(data, ensure_ascii=False).translate(_LINE_BREAKS)
    out.write(text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")
    out.flush()
