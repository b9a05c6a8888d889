"""The labelled example every dataset reader yields and every trainer consumes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    """One labelled text.

    :param text: the comment body.
    :param labels: head name -> 0 or 1. A head that is absent is *unknown* for this example, not negative.
    :param source: where the example came from (a file name or dataset name), for reports.
    :param lang: the ISO 639-1 code of the text's language when the source states it (``"en"``, ``"de"``...);
        ``""`` when it is not stated.
    """

    text: str
    labels: Mapping[str, int] = field(default_factory=dict)
    source: str = ""
    lang: str = ""
