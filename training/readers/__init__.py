"""Dataset readers: each turns one file of a known format into :class:`~training.examples.Example` objects.

Use :func:`training.datasets.load_dataset` to pick the reader from the file; import a reader from here to
force one.
"""

from training.readers._common import DatasetFormatError
from training.readers.ours import read_csv, read_feedback, read_jsonl, read_ours, write_jsonl
from training.readers.public import (
    clean_html_text,
    davidson_labels,
    read_davidson,
    read_jigsaw,
    read_sms,
    read_youtube,
)

__all__ = [
    "DatasetFormatError",
    "clean_html_text",
    "davidson_labels",
    "read_csv",
    "read_davidson",
    "read_feedback",
    "read_jigsaw",
    "read_jsonl",
    "read_ours",
    "read_sms",
    "read_youtube",
    "write_jsonl",
]
