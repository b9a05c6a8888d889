"""Dataset readers: each turns one file of a known format into :class:`~training.examples.Example` objects.

Use :func:`training.datasets.load_dataset` to pick the reader from the file; import a reader from here to
force one.
"""

from training.readers._common import DatasetFormatError
from training.readers.comments import read_cat_large, read_civil_labelled, read_civil_scores, read_toxic_spans
from training.readers.hate import read_ethos, read_gab, read_hatexplain, read_stormfront
from training.readers.multilingual import read_germeval, read_multilingual
from training.readers.ours import read_csv, read_feedback, read_jsonl, read_ours, write_jsonl
from training.readers.public import (
    clean_html_text,
    davidson_labels,
    read_davidson,
    read_jigsaw,
    read_sms,
    read_youtube,
)
from training.readers.spam import read_datacamp

__all__ = [
    "DatasetFormatError",
    "clean_html_text",
    "davidson_labels",
    "read_cat_large",
    "read_civil_labelled",
    "read_civil_scores",
    "read_csv",
    "read_datacamp",
    "read_davidson",
    "read_ethos",
    "read_feedback",
    "read_gab",
    "read_germeval",
    "read_hatexplain",
    "read_jigsaw",
    "read_jsonl",
    "read_multilingual",
    "read_ours",
    "read_sms",
    "read_stormfront",
    "read_toxic_spans",
    "read_youtube",
    "write_jsonl",
]
