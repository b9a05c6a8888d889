"""Generate the project's own labelled seed corpus of comments.

The corpus is composed deterministically (``random.Random(seed)``) from the phrase files under
``training/data/seed/`` (one per language, read by :mod:`training.seed_phrases`), all of which were written for
this project. This module composes the English part, 12,000 comments, and the whole corpus: after it,
:mod:`training.seed_languages` adds 800 comments in each of Arabic, German, Spanish, French, Italian, Brazilian
Portuguese, Russian, Turkish and Chinese. Both fill their templates with :mod:`training.seed_composer`'s
:class:`~training.seed_composer.Composer`. Every record carries ``lang`` (ISO 639-1).

Each language mixes ordinary comments, spam and abuse in the shares of :data:`CLASS_SHARES` (63%, 19% and 18%),
with hard negatives on both sides: heated-but-civil comments and crime reporting labelled non-toxic, and
comments that mention money, "free" or a link in context labelled non-spam. A share of spam and abuse is
obfuscated (l33t, spacing, look-alike letters of other scripts, masked letters; in the other languages also
their own abbreviations, homophones and marks), and every class gets the same surface noise (casing, typos,
emojis, @mentions, hashtags) so that noise alone predicts nothing.

Usage::

    python -m training.seed_corpus [--out training/data/seed_corpus.jsonl] [--seed N] [--size N] [--languages de,fr]

``tests/training/test_seed_corpus.py`` checks that the committed corpus is byte for byte what this writes:
after changing a phrase file or the generator, run it and commit the corpus with the change.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from training import seed_languages, seed_phrases
from training.seed_composer import EN, LABELS, Composer, add_emoji, class_quotas

DEFAULT_SEED = 20261128
DEFAULT_SIZE = 12_000
_PROFANITY = re.compile(r"\b(" + "|".join(EN["obscene_patterns"]) + r")\b", re.IGNORECASE)
_THREAT_HINT = re.compile("|".join(EN["threat_hints"]), re.IGNORECASE)
_HOMOGLYPHS: dict[str, str] = dict(EN.obfuscation["homoglyphs"])
_LEET: dict[str, str] = dict(EN.obfuscation["leet"])
#: Words that obfuscation may target in abusive and spam text.
_ABUSE_WORDS = frozenset(
    w
    for phrase in EN["ins_noun"] + EN["ins_adj"] + EN["obs_noun"] + EN["slur"] + EN["dehuman"]
    for w in phrase.split()
    if len(w) > 3
) | frozenset(EN["abuse_targets"])
_SPAM_WORDS = frozenset(EN["spam_targets"])


# --------------------------------------------------------------------------------------------------------
# Surface transformations.
# --------------------------------------------------------------------------------------------------------


def obfuscate_word(word: str, rng: random.Random) -> str:
    """Disguise one word the way spammers and abusers do (l33t, spacing, homoglyphs, masking, stretching)."""
    if len(word) < 3:
        return word
    style = rng.randrange(8)
    if style == 0:  # l33t
        return "".join(rng.choice(_LEET[c]) if c in _LEET and rng.random() < 0.7 else c for c in word)
    if style == 1:  # spaced letters
        return " ".join(word)
    if style == 2:  # symbol separated
        return rng.choice([".", "-", "_", "*", "."]).join(word)
    if style == 3:  # look-alike Unicode letters
        return "".join(_HOMOGLYPHS.get(c, c) if rng.random() < 0.6 else c for c in word)
    if style == 4:  # masked vowels
        masked = [c if i == 0 or c.lower() not in "aeiou" else "*" for i, c in enumerate(word)]
        return "".join(masked)
    if style == 5:  # stretched letters
        i = rng.randrange(1, len(word))
        return word[:i] + word[i] * rng.randint(2, 5) + word[i + 1 :]
    if style == 6:  # mixed case
        return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)
    return word[0] + rng.choice(["!", "1", "|", "@"]) + word[2:] if len(word) > 3 else word.upper()


def obfuscate_text(text: str, vocab: Iterable[str], rng: random.Random, rate: float = 0.8) -> str:
    """Obfuscate some of the words of ``text`` that belong to ``vocab`` (compared in lower case)."""
    vocab_set = set(vocab)
    out = []
    for token in re.split(r"(\W+)", text):
        if token.lower() in vocab_set and rng.random() < rate:
            out.append(obfuscate_word(token, rng))
        else:
            out.append(token)
    return "".join(out)


def obfuscate_urls(text: str, rng: random.Random) -> str:
    """Write the URLs of ``text`` the way filters miss them: "www dot site dot com", "bit . ly/x"."""

    def repl(match: re.Match[str]) -> str:
        url = re.sub(r"^https?://", "", match.group(0))
        dot = rng.choice([" dot ", " . ", "(.)", "[dot]", " DOT ", ",", " .", "•"])
        return url.replace(".", dot)

    return re.sub(r"(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?", repl, text)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourtnsl") + word[i + 1 :]


def add_noise(text: str, rng: random.Random, loud: float = 0.0) -> str:
    """Apply the same kinds of surface noise to every class; ``loud`` raises caps/emoji rates for spam."""
    if rng.random() < 0.18:
        words = text.split(" ")
        for _ in range(rng.randint(1, 3)):
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
        text = " ".join(words)
    if rng.random() < 0.25:
        text = text.rstrip(".!?")
    r = rng.random()
    if r < 0.25:
        text = text.lower()
    elif r < 0.29 + loud:
        text = text.upper()
    elif r < 0.33 + loud:
        text = text[0].upper() + text[1:]
    if rng.random() < 0.07 + loud / 2:
        text = text.rstrip(".") + rng.choice(["!!", "!!!", "!!!!", "?!", "..."])
    if rng.random() < 0.06:
        text = text.replace("'", rng.choice(["&#39;", "", "’"]))
    if rng.random() < 0.03:
        text = text.replace(". ", ".<br />", 1)
    if rng.random() < 0.03:
        text = text.replace(" and ", " &amp; ")
    if rng.random() < 0.08:
        text = f"{text} {rng.choice(EN['interjections'])}"
    return text


def _social(text: str, c: Composer) -> str:
    """Twitter-style framing shared by all classes: @mentions, RT prefixes and hashtags."""
    r = c.rng.random()
    if r < 0.10:
        text = f"@{c.handle()} {text}"
    elif r < 0.14:
        text = f"RT @{c.handle()}: {text}"
    elif r < 0.16:
        text = f"@{c.handle()} @{c.handle()} {text}"
    if c.rng.random() < 0.06:
        text = f"{text} {c.pick(EN['hashtags'])}"
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text[0].upper() + text[1:] if text else text


# --------------------------------------------------------------------------------------------------------
# Row makers. Each returns (text, labels) with labels holding only the heads that are 1.
# --------------------------------------------------------------------------------------------------------


def _topic(c: Composer, name: str | None = None) -> Mapping[str, Sequence[str]]:
    return EN.topics[name or c.pick(sorted(EN.topics))]


def _ham_sentences(c: Composer, topic: Mapping[str, Sequence[str]], n: int) -> list[str]:
    sents: list[str] = []
    for _ in range(n * 3):
        bank = c.rng.choices(
            [EN["ham_opinions"], topic["fact"], EN["ham_questions"], EN["heated_ok"], EN["spam_hard_neg"],
             EN["you_civil"]],
            [5, 5, 1, 1, 1, 1],
        )[0]
        sent = _sentence(c.fill(c.pick(bank), topic))
        if sent not in sents:
            sents.append(sent)
        if len(sents) == n:
            break
    return sents


def _signature(c: Composer) -> str:
    r = c.rng
    stamp = f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}, {c.date()} {r.randint(2005, 2016)} (UTC)"
    return r.choice([stamp, f"{c.pick(EN['name'])} {stamp}", f"-- {c.pick(EN['name'])}", f"~ {c.handle()}",
                     f"{c.handle()} (talk) {stamp}"])


def _talk_sentences(c: Composer, n: int) -> list[str]:
    """``n`` distinct civil sentences of a talk-page discussion (editing, sources, warnings, questions)."""
    wiki = EN.topics["wiki"]
    sents: list[str] = []
    for _ in range(n * 3):
        bank = c.rng.choices([EN["talk_civil"], wiki["fact"], EN["you_civil"], EN["admin_notices"], EN["ham_questions"],
                              EN["ham_opinions"]], [10, 3, 2, 1, 1, 1])[0]
        sent = _sentence(c.fill(c.pick(bank), wiki))
        if sent not in sents:
            sents.append(sent)
        if len(sents) == n:
            break
    return sents


def _join_talk(c: Composer, sents: list[str]) -> str:
    """Lay out a talk-page post: optional opener and closer, paragraphs, signature, stray quoting."""
    r = c.rng
    sents = list(sents)
    if r.random() < 0.4:
        sents.insert(0, c.fill(c.pick(EN["talk_openers"])))
    if r.random() < 0.3:
        sents.append(c.pick(EN["talk_closers"]))
    sep = r.choices([" ", "\n", "\n\n", " "], [5, 1, 2, 2])[0]
    text = ""
    for i, sent in enumerate(sents):
        text += sent if i == 0 else (r.choice([" ", sep]) + sent)
    if r.random() < 0.25 and ". " in text:  # trailing off, or a header line, as discussions do
        text = text.replace(". ", r.choice(["... ", ".... ", "?? ", "!!! "]), 1)
    if r.random() < 0.1:
        text = f"=== {c.fill(c.pick(EN['wsubj'])).capitalize()} ===\n{text}"
    if r.random() < 0.35:
        text += r.choice([" ", "\n----\n", " --- "]) + _signature(c)
    if r.random() < 0.1:
        text = f'"\n{text}\n"'
    return text


def make_talk(c: Composer) -> str:
    """An acceptable discussion post, often long: talk-page arguments, warnings and sourcing questions."""
    r = c.rng
    n = r.choices([1, 2, 3, 4, 6, 9, 13, 18], [4, 8, 10, 12, 14, 12, 7, 3])[0]
    sents = _talk_sentences(c, n)
    if r.random() < 0.15:  # a notice or an argument quoted back inside the reply
        sents.insert(r.randint(0, len(sents)), '"' + c.fill(c.pick(EN["admin_notices"] + EN["talk_civil"])) + '"')
    return _join_talk(c, sents)


def make_civic(c: Composer) -> str:
    """Heated but civil criticism of public figures, often long ("should resign", "I will vote them out")."""
    r = c.rng
    topic = _topic(c, r.choice(["transit", "local", "politics", "economy", "health", "education", None]))
    sents = [_sentence(c.fill(c.pick(EN["heated_civic"]), topic))]
    if r.random() < 0.5:
        sents.append(_sentence(c.fill(c.pick(EN["heated_civic"] + EN["heated_ok"]), topic)))
    r.shuffle(sents)
    for _ in range(r.choices([0, 1, 2, 3], [3, 4, 3, 1])[0]):
        sents.insert(r.randint(0, len(sents)), _sentence(c.fill(c.pick([*topic["fact"], *EN["ham_opinions"]]), topic)))
    return " ".join(dict.fromkeys(sents))


def make_rant(c: Composer) -> tuple[str, dict[str, int]]:
    """Abuse buried in a discussion post, shouted, or a wish of harm; labels follow what was inserted."""
    r = c.rng
    labels = {"toxic": 1}
    kind = r.choices(["insult", "profane", "sexual", "harm", "caps"], [10, 6, 2, 4, 3])[0]
    bank = {"insult": EN["insult_sentences"], "profane": EN["profane_sentences"], "sexual": EN["sexual_insults"],
            "harm": EN["harm_wishes"], "caps": EN["caps_rants"]}[kind]
    abuse = [c.pick(bank) for _ in range(r.choices([1, 2, 3], [6, 3, 1])[0])]
    if kind == "harm":
        labels["threat"] = 1
    elif kind != "caps" or re.search(r"YOU|YOUR", " ".join(abuse)):
        labels["insult"] = 1
    if kind == "harm" and r.random() < 0.4:
        abuse.append(c.pick(EN["insult_sentences"] + EN["profane_sentences"]))
        labels["insult"] = 1
    if any(_PROFANITY.search(a) for a in abuse):
        labels["obscene"] = 1
        if kind in ("harm", "sexual") or len(abuse) > 2:
            labels["severe_toxic"] = 1
    context = _talk_sentences(c, r.choices([0, 1, 2, 3, 5, 8], [6, 5, 3, 2, 1, 0.5])[0])
    sents = list(context)
    for a in abuse:
        sents.insert(r.randint(0, len(sents)), a)
    if r.random() < 0.2:
        sents = [obfuscate_text(s, _ABUSE_WORDS, r, rate=0.5) for s in sents]
    text = _join_talk(c, list(dict.fromkeys(sents)))
    if r.random() < 0.08:
        text = text.upper()
    return text, labels


def make_ham(c: Composer) -> str:
    """An acceptable comment: topical discussion, one-liner, question, reply or a hard negative."""
    r = c.rng
    kind = r.choices(
        ["topical", "long", "short", "question", "reply", "heated", "spamlike", "wiki", "society", "life",
         "video", "groups", "you", "talk", "civic", "idiom", "spamlike2", "caps", "counter"],
        [20, 8, 10, 6, 7, 12, 8, 7, 4, 8, 6, 4, 8, 32, 12, 8, 6, 1, 10],
    )[0]
    topic = _topic(c, {"wiki": "wiki", "society": "society"}.get(kind))
    if kind == "talk":
        return add_noise(make_talk(c), r)
    if kind == "civic":
        text = make_civic(c)
    elif kind in ("idiom", "spamlike2", "caps"):
        bank = {"idiom": EN["violent_idioms"] + EN["mild_ok"], "spamlike2": EN["spamlike_ham"],
                "caps": EN["caps_ok"]}[kind]
        text = c.fill(c.pick(bank), topic)
        if r.random() < 0.4:
            sents = _ham_sentences(c, topic, r.randint(1, 3))
            sents.insert(r.randint(0, len(sents)), text)
            text = " ".join(sents)
    elif kind == "you":
        sents = [_sentence(c.fill(c.pick(EN["you_civil"]), topic))]
        if r.random() < 0.5:
            sents.insert(r.randint(0, 1), " ".join(_ham_sentences(c, topic, r.randint(1, 2))))
        text = " ".join(sents)
    elif kind in ("life", "video", "groups", "counter"):
        bank = {"life": EN["life_posts"], "video": EN["video_comments"], "groups": EN["neutral_group"],
                "counter": EN["counter_speech"]}[kind]
        text = c.fill(c.pick(bank))
        if r.random() < 0.3:
            text = f"{text} {c.fill(c.pick(r.choice([EN['ham_short'], bank])), topic)}"
    elif kind == "short":
        text = c.fill(c.pick(EN["ham_short"]), topic)
        if r.random() < 0.3:
            text = _sentence(c.fill(c.pick(topic["fact"]), topic)) + " " + text
    elif kind == "question":
        text = c.fill(c.pick(EN["ham_questions"]), topic)
        if r.random() < 0.4:
            text = " ".join(_ham_sentences(c, topic, 1)) + " " + text
    elif kind == "reply":
        text = c.fill(c.pick(EN["ham_replies"]), topic)
        if r.random() < 0.5:
            text += " " + " ".join(_ham_sentences(c, topic, r.randint(1, 2)))
    elif kind == "heated":
        parts = [_sentence(c.fill(c.pick(EN["heated_ok"]), topic))]
        if r.random() < 0.6:
            parts.insert(r.randint(0, 1), _sentence(c.fill(c.pick(topic["fact"]), topic)))
        text = " ".join(parts)
    elif kind == "spamlike":
        text = _sentence(c.fill(c.pick(EN["spam_hard_neg"]), topic))
        if r.random() < 0.5:
            text = " ".join([*_ham_sentences(c, topic, r.randint(1, 2)), text])
    else:
        n = r.randint(4, 8) if kind == "long" else r.randint(1, 3)
        sents = _ham_sentences(c, topic, n)
        if r.random() < 0.35:
            sents.insert(0, c.pick(EN["ham_openers"]))
        if r.random() < 0.3:
            sents.append(c.pick(EN["ham_closers"]))
        text = " ".join(sents)
        if kind == "wiki" and r.random() < 0.3:
            stamp = f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}, {c.date()} {r.randint(2005, 2016)}"
            text += f" {stamp} (UTC)"
    text = add_emoji(text, r, EN["emoji_pos"], 0.12)
    return add_noise(_social(text, c), r)


def make_spam(c: Composer) -> str:
    """A spam comment of one of many kinds, sometimes behind a friendly opener, sometimes obfuscated."""
    r = c.rng
    banks = [EN[name] for name in ("spam_channel", "spam_f4f", "spam_giveaway", "spam_invest", "spam_wfh",
                                   "spam_pharma", "spam_dating", "spam_seo", "spam_support", "spam_phish",
                                   "spam_promo", "spam_loud", "self_promo")]
    weights = [20, 6, 9, 12, 9, 6, 6, 9, 5, 6, 7, 3, 10]
    if r.random() < 0.05:
        text = c.fill(r.choice(["{url}", "{short_url}", "{video_url}", "{lookalike_url}", "{url} {url}"]))
    else:
        text = c.fill(c.pick(r.choices(banks, weights)[0]))
        if r.random() < 0.25:
            text = c.fill(c.pick(EN["spam_prefixes"])) + " " + text
        if r.random() < 0.15:
            text += " " + c.fill(c.pick(r.choices(banks, weights)[0]))
        if r.random() < 0.08:
            text = " ".join(_ham_sentences(c, _topic(c), 1)) + " " + text
    if r.random() < 0.18:
        text = obfuscate_urls(text, r)
    if r.random() < 0.15:
        text = obfuscate_text(text, _SPAM_WORDS, r, rate=0.6)
    text = add_emoji(text, r, EN["emoji_spam"], 0.2)
    return add_noise(_social(text, c), r, loud=0.06)


def make_toxic(c: Composer) -> tuple[str, dict[str, int]]:
    """An abusive comment, with labels derived from how it was composed."""
    r = c.rng
    kind = r.choices(
        ["insult", "polite", "wiki", "obscene", "casual", "threat", "severe", "hate", "rant"],
        [24, 5, 7, 16, 14, 10, 8, 22, 20],
    )[0]
    if kind == "rant":
        text, labels = make_rant(c)
        return add_noise(text, r, loud=0.03), labels
    labels = {"toxic": 1}
    bank = {"insult": EN["insult_templates"], "polite": EN["polite_insults"], "wiki": EN["wiki_harass"],
            "obscene": EN["obscene_templates"], "casual": EN["casual_profane"] + EN["casual_shit"],
            "threat": EN["threat_templates"] + EN["more_threats"], "severe": EN["severe_templates"],
            "hate": EN["hate_templates"] + EN["exclusion_hate"]}[kind]
    template = c.pick(bank)
    if kind == "casual" and r.random() < 0.45:
        template = "{casual_who} {casual_pred}"
    core = c.fill(template)
    if kind in ("insult", "polite", "wiki"):
        labels["insult"] = 1
    elif kind == "obscene":
        if "{obs_noun}" in template or "{target}" in template or "you" in template:
            labels["insult"] = 1
    elif kind == "casual":
        if re.search(r"bitch|hoe|\bho\b|pussy|thot|nigga|fool|clown", core):
            labels["insult"] = 1
    elif kind == "threat":
        labels["threat"] = 1
        if r.random() < 0.35:  # threats often come with an insult attached
            core += ", " + c.fill(r.choice(["you {ins_adj} {ins_noun}", "{ins_noun}", "you {obs_noun}"]))
            labels["insult"] = 1
    elif kind == "severe":
        labels.update(severe_toxic=1, insult=1)
        if _THREAT_HINT.search(core):
            labels["threat"] = 1
    else:
        labels["identity_hate"] = 1
        labels["insult"] = 1
        if "{violent_pp}" in template:
            labels["threat"] = 1
    if _PROFANITY.search(core):
        labels["obscene"] = 1
    if r.random() < 0.12 and kind in ("insult", "obscene", "severe"):  # repeated for emphasis
        core = " ".join([core] * r.randint(2, 4))
    core = _sentence(core) if r.random() < 0.6 else core
    if r.random() < 0.3:
        core = obfuscate_text(core, _ABUSE_WORDS, r, rate=0.7)
    # Context: abuse buried in an otherwise ordinary comment, or a reply to another commenter.
    ctx = r.random()
    topic = _topic(c)
    if ctx < 0.25:
        before = " ".join(_ham_sentences(c, topic, r.randint(1, 3)))
        text = f"{before} {core}" if r.random() < 0.7 else f"{core} {before}"
    elif ctx < 0.35:
        text = f"{c.fill(c.pick(EN['ham_replies']), topic).split(' ')[0]} {core}"
    elif ctx < 0.42:
        text = f"{c.pick(EN['ham_openers'])} {core}"
    else:
        text = core
    text = add_emoji(text, r, EN["emoji_neg"], 0.12)
    return add_noise(_social(text, c), r, loud=0.03), labels


# --------------------------------------------------------------------------------------------------------
# Public API.
# --------------------------------------------------------------------------------------------------------


def _row(text: str, labels: Mapping[str, int]) -> dict[str, object]:
    row: dict[str, object] = {"text": text}
    row.update({name: int(labels.get(name, 0)) for name in LABELS})
    row["lang"] = "en"
    return row


def generate(
    seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE, languages: Sequence[str] | None = None
) -> list[dict[str, object]]:
    """Compose the whole corpus: ``size`` English rows, then each other language's rows, from ``seed``.

    :param seed: the corpus seed (each language derives its own RNG from it).
    :param size: English rows.
    :param languages: the languages besides English (default: every phrase file's).
    """
    others = [lang for lang in (languages if languages is not None else seed_phrases.languages()) if lang != "en"]
    rows = generate_english(seed, size)
    for lang in others:
        rows += seed_languages.generate_language(lang, seed)
    return rows


def generate_english(seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> list[dict[str, object]]:
    """Compose ``size`` labelled English comments with unique texts, deterministically from ``seed``.

    Rows are dicts with ``text``, the 0/1 heads of :data:`LABELS` and ``lang`` ("en"); toxicity subtypes are
    only ever 1 when ``toxic`` is 1. Classes are shuffled together. If the phrase banks cannot supply ``size``
    unique texts the corpus is shorter rather than padded with duplicates.

    :param seed: the RNG seed.
    :param size: rows to compose.
    """
    rng = random.Random(seed)
    c = Composer(rng)
    quotas = class_quotas(size)
    seen: set[str] = set()
    rows: list[dict[str, object]] = []
    for cls, quota in quotas.items():
        made, attempts = 0, 0
        while made < quota and attempts < quota * 30:
            attempts += 1
            if cls == "ham":
                text, labels = make_ham(c), {}
            elif cls == "spam":
                text, labels = make_spam(c), {"spam": 1}
            else:
                text, labels = make_toxic(c)
            text = re.sub(r"[ \t]+", " ", text).strip()
            key = text.casefold()
            if len(text) < 2 or key in seen:
                continue
            seen.add(key)
            rows.append(_row(text, labels))
            made += 1
    rng.shuffle(rows)
    return rows


def write_jsonl(rows: Iterable[Mapping[str, object]], path: str | Path) -> None:
    """Write ``rows`` as JSON Lines (UTF-8, non-ASCII kept readable), creating parent folders."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point: generate the corpus and write it to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", default="training/data/seed_corpus.jsonl", help="output .jsonl path")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="English rows (default %(default)s)")
    parser.add_argument("--languages", default=None,
                        help="comma-separated languages besides English (default: every phrase file's)")
    args = parser.parse_args(argv)
    languages = args.languages.split(",") if args.languages is not None else None
    rows = generate(seed=args.seed, size=args.size, languages=languages)
    write_jsonl(rows, args.out)
    counts = {name: sum(int(row[name]) for row in rows) for name in LABELS}  # type: ignore[call-overload]
    per_lang: dict[str, int] = {}
    for row in rows:
        per_lang[str(row["lang"])] = per_lang.get(str(row["lang"]), 0) + 1
    print(f"wrote {len(rows)} rows to {args.out}: {counts}; by language {per_lang}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
