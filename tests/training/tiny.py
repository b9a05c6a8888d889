"""A tiny, deterministic labelled corpus composed from short word lists, and a cached model trained on it.

Used by the training and scoring tests: a few hundred texts, trained in a couple of seconds.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

from training.examples import Example

TOPICS = ["tram line", "budget vote", "library hours", "school lunch plan", "bike lanes", "park cleanup",
          "city council", "bus schedule", "water prices", "new bridge"]
OPINIONS = ["I think the {t} is a good idea", "Not sure the {t} will work", "Thanks for covering the {t}",
            "Does anyone know when the {t} starts?", "The {t} article was balanced and clear",
            "My neighbours disagree about the {t}", "Good point about the {t}, I had not considered that",
            "The {t} debate needs more facts"]
SPAM = ["Check out my channel for {p}: {u}", "Buy cheap {p} now at {u} !!!", "EARN $500 A DAY from home, visit {u}",
        "Subscribe to my channel and win {p} {u}", "Best {p} deals here {u} limited offer",
        "Click here for free {p} {u}"]
PRODUCTS = ["watches", "pills", "followers", "crypto coins", "gift cards", "sunglasses"]
URLS = ["http://bit.ly/x7Yq", "www.cheap-deals.biz", "https://free-gifts.xyz/win", "http://promo.top/now"]
INSULTS = ["idiot", "moron", "loser", "clown", "imbecile", "fool"]
TOXIC = ["You are an {i}", "Shut up, you {i}", "Only an {i} would write this", "What a {i}, go away",
         "You absolute {i}", "Nobody cares, {i}"]
OBSCENE = ["this is crap and you are a damn {i}", "what the hell is wrong with you, {i}"]


def tiny_examples(seed: int = 7, n: int = 360) -> list[Example]:
    """A shuffled corpus: one third ham, one third spam, one third toxic (some obscene), all heads labelled.

    :param seed: random seed.
    :param n: number of examples.
    """
    rng = random.Random(seed)
    out: list[Example] = []
    for k in range(n):
        kind = k % 3
        if kind == 0:
            text = rng.choice(OPINIONS).format(t=rng.choice(TOPICS))
            labels = {"spam": 0, "toxic": 0, "insult": 0, "obscene": 0}
        elif kind == 1:
            text = rng.choice(SPAM).format(p=rng.choice(PRODUCTS), u=rng.choice(URLS))
            labels = {"spam": 1, "toxic": 0, "insult": 0, "obscene": 0}
        else:
            obscene = rng.random() < 0.3
            text = rng.choice(OBSCENE if obscene else TOXIC).format(i=rng.choice(INSULTS))
            if rng.random() < 0.5:
                text += f" and your {rng.choice(TOPICS)} comment"
            labels = {"spam": 0, "toxic": 1, "insult": 1, "obscene": int(obscene)}
        out.append(Example(text, labels, source="tiny"))
    rng.shuffle(out)
    return out


def write_jsonl(examples: list[Example], path: Path) -> Path:
    """Write examples in the project's JSONL format.

    :param examples: the examples.
    :param path: the output file.
    """
    path.write_text("".join(json.dumps({"text": e.text, **e.labels}) + "\n" for e in examples))
    return path


#: Fast parameters for tests: one C, three folds.
FAST = {"C_grid": [4.0], "cv_folds": 3}


@lru_cache(maxsize=4)
def trained_bundle(root: str, seed: int = 7) -> Path:
    """Train (once per root and seed) a bundle on the tiny corpus.

    :param root: models directory.
    :param seed: corpus seed.
    """
    from training.train import train_bundle

    return train_bundle(tiny_examples(seed), Path(root), data_hash=f"tiny-{seed}", params=FAST, progress=None)
