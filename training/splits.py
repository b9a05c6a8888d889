"""The reference train/test splits of the public datasets, used by the quality benchmark.

Each split function reads from a datasets root: the ``root`` argument if given, else the
``MODERATION_DATASETS`` environment variable, else ``shared/datasets`` next to the checkout
(``/work/shared/datasets`` seen from ``/work/main``). The data is never part of the project; when it is
absent the functions raise :class:`DatasetMissing` so callers can skip with a clear message.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sklearn.model_selection import train_test_split

from training.datasets import load_datasets
from training.examples import Example
from training.readers import read_davidson, read_jigsaw

#: Where the datasets live when neither ``root`` nor ``MODERATION_DATASETS`` says otherwise.
DEFAULT_ROOT: Path = Path(__file__).resolve().parents[2] / "shared" / "datasets"
#: Environment variable that overrides :data:`DEFAULT_ROOT`.
ROOT_ENV = "MODERATION_DATASETS"

YOUTUBE_DIR = "youtube_spam"
YOUTUBE_TRAIN_FILES: tuple[str, ...] = ("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv", "Youtube03-LMFAO.csv")
YOUTUBE_TEST_FILES: tuple[str, ...] = ("Youtube04-Eminem.csv", "Youtube05-Shakira.csv")
DAVIDSON_FILE = Path("davidson_hate_offensive") / "labeled_data.csv"
JIGSAW_FILE = Path("jigsaw_sample") / "jigsaw_sample.csv"

#: A split: ``(train, test)`` lists of Examples.
Split = tuple[list[Example], list[Example]]
#: A split function: datasets root (or ``None`` for the default) -> split.
SplitFunction = Callable[[Path | str | None], Split]


class DatasetMissing(FileNotFoundError):
    """A reference dataset file is not under the datasets root.

    :param paths: the files that were looked for and are missing.
    :param root: the datasets root that was searched.
    """

    def __init__(self, paths: list[Path], root: Path) -> None:
        self.paths = paths
        self.root = root
        listed = ", ".join(str(path) for path in paths)
        super().__init__(
            f"reference dataset missing: {listed} (datasets root {root}; pass root= or set {ROOT_ENV})"
        )


def datasets_root(root: Path | str | None = None) -> Path:
    """Resolve the datasets root: ``root`` if given, else ``$MODERATION_DATASETS``, else :data:`DEFAULT_ROOT`.

    :param root: an explicit root, or ``None``.
    """
    if root is not None:
        return Path(root)
    from_env = os.environ.get(ROOT_ENV, "").strip()
    return Path(from_env) if from_env else DEFAULT_ROOT


def _require(root: Path, relative: list[Path]) -> list[Path]:
    """Return ``root / each`` of ``relative``, raising :class:`DatasetMissing` listing any that are absent."""
    paths = [root / path for path in relative]
    missing = [path for path in paths if not path.is_file()]
    if missing:
        raise DatasetMissing(missing, root)
    return paths


def youtube_split(root: Path | str | None = None) -> Split:
    """YouTube Spam Collection, cross-video: train on Youtube01-03, test on Youtube04-05. Head: ``spam``.

    Examples keep the file order (no shuffling).

    :param root: the datasets root (see :func:`datasets_root`); files are under ``youtube_spam/``.
    :raises DatasetMissing: if any of the five files is absent.
    """
    base = datasets_root(root)
    train_paths = _require(base, [Path(YOUTUBE_DIR) / name for name in YOUTUBE_TRAIN_FILES])
    test_paths = _require(base, [Path(YOUTUBE_DIR) / name for name in YOUTUBE_TEST_FILES])
    return load_datasets(train_paths, format="youtube"), load_datasets(test_paths, format="youtube")


def davidson_class(example: Example) -> int:
    """Recover the Davidson ``class`` (0 hate, 1 offensive, 2 neither) from an Example's labels.

    :param example: an Example read by :func:`~training.readers.read_davidson`.
    """
    if example.labels.get("identity_hate") == 1:
        return 0
    return 1 if example.labels.get("toxic") == 1 else 2


def davidson_split(root: Path | str | None = None) -> Split:
    """Davidson et al.: stratified 90/10 by ``class``, seed 11. Head: ``toxic`` (class 0 or 1).

    Same as ``train_test_split(rows, test_size=0.1, stratify=class, random_state=11)`` over the file's rows.

    :param root: the datasets root (see :func:`datasets_root`); the file is
        ``davidson_hate_offensive/labeled_data.csv``.
    :raises DatasetMissing: if the file is absent.
    """
    (path,) = _require(datasets_root(root), [DAVIDSON_FILE])
    examples = list(read_davidson(path))
    classes = [davidson_class(example) for example in examples]
    train, test = train_test_split(examples, test_size=0.1, stratify=classes, random_state=11)
    return list(train), list(test)


def jigsaw_split(root: Path | str | None = None) -> Split:
    """Jigsaw Toxic Comment sample: shuffled 80/20, seed 3. Head: ``toxic`` (subtypes labelled too).

    Same as ``train_test_split(rows, test_size=0.2, random_state=3, shuffle=True)`` over the file's rows.

    :param root: the datasets root (see :func:`datasets_root`); the file is
        ``jigsaw_sample/jigsaw_sample.csv``.
    :raises DatasetMissing: if the file is absent.
    """
    (path,) = _require(datasets_root(root), [JIGSAW_FILE])
    examples = list(read_jigsaw(path))
    train, test = train_test_split(examples, test_size=0.2, random_state=3, shuffle=True)
    return list(train), list(test)


#: Reference split name -> (split function, the head it benchmarks).
REFERENCE_SPLITS: dict[str, tuple[SplitFunction, str]] = {
    "youtube": (youtube_split, "spam"),
    "davidson": (davidson_split, "toxic"),
    "jigsaw": (jigsaw_split, "toxic"),
}
