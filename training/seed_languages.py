"""Compose the seed corpus's comments in languages other than English, from their phrase files.

Each language's file (``training/data/seed/<lang>.toml``, see :mod:`training.seed_phrases`) declares its comment
*kinds* — ordinary comments on news articles, heated-but-civil disagreement and hard negatives (``ham``), spam
of several sorts (``spam``), abuse of several sorts (``toxic``, with the subtype labels each kind carries) — the
patterns that make abuse obscene, and how that language's abusers disguise words (look-alike letters,
separators, written-out variants such as abbreviations or homophones). This module fills the templates with
one seeded RNG per language, so adding or changing one language never changes another's rows.

What a language's file holds (``de.toml`` is a readable example):

- ``[meta]``: ``lang``, ``name``, ``size`` (rows); for scripts that differ from Latin ones, ``cased`` (has
  capitals), ``typos`` (letter-swap noise makes sense), ``joiner`` and ``stop`` (how sentences are joined and
  ended), ``word_boundaries`` (false where words run together or take prefixes), ``upper``/``lower`` (casing
  exceptions, Turkish i).
- ``[obfuscation]``: ``styles`` to draw from (:data:`STYLES`), ``leet``, ``homoglyphs``, ``mask`` (letters a
  ``*`` may replace), ``separators``, ``marks``, ``url_dots``, ``target_banks`` (banks whose words may be
  disguised, besides ``abuse_targets``) and ``[obfuscation.variants]`` (word -> written-out disguises).
- ``[banks]``: the slots of the templates, plus those the generator reads: ``obscene_patterns``,
  ``abuse_targets``, ``spam_targets``, ``name`` (and ``handle_names`` where user names are spelled in Latin
  letters), ``spam_words`` (for spam domains), and optionally ``opener``, ``closer``, ``spam_prefix``,
  ``interjection``, ``hashtags``.
- ``[kinds.<name>]``: ``class`` (ham, spam, toxic), ``weight``, ``labels`` and ``templates``.

Class shares are the whole corpus's (:data:`training.seed_composer.CLASS_SHARES`); a language's row count is its
file's ``meta.size``. A slot a language does not define falls back to the English bank of that name only
for the language-neutral banks of :data:`SHARED_BANKS` (emoji, URL parts, brand and coin names).
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

from training.seed_composer import EN, LABELS, Composer, add_emoji, class_quotas
from training.seed_phrases import Kind, PhraseBanks, load

#: English banks every language may use as they are.
SHARED_BANKS: tuple[str, ...] = (
    "spam_tlds", "shorteners", "lookalike_brands", "lookalike_suffixes", "emoji_pos", "emoji_neg", "emoji_spam",
    "emoji_flirt", "emoji_money", "crypto", "brand", "platform", "handle_parts",
)
#: Characters that end a sentence in any of the scripts.
_ENDINGS = ".!?。！？…؟)\"»”'"
#: Disguises a language may list in ``obfuscation.styles``.
STYLES: tuple[str, ...] = ("variant", "leet", "spaced", "symbols", "homoglyph", "mask", "stretch", "marks")


class _Language:
    """One language's phrase banks with its derived regular expressions and casing rules."""

    def __init__(self, spec: PhraseBanks) -> None:
        shared = {name: EN[name] for name in SHARED_BANKS}
        self.spec = dataclasses.replace(spec, banks={**shared, **spec.banks})
        meta = spec.meta
        self.cased: bool = bool(meta.get("cased", True))
        self.typos: bool = bool(meta.get("typos", True))
        self.joiner: str = str(meta.get("joiner", " "))
        self.stop: str = str(meta.get("stop", "."))
        bounds = bool(meta.get("word_boundaries", True))
        left, right = (r"(?<!\w)", r"(?!\w)") if bounds else ("", "")
        self.obscene = re.compile(left + "(?:" + "|".join(spec["obscene_patterns"]) + ")" + right, re.IGNORECASE)
        self.obf: Mapping[str, Any] = spec.obfuscation
        self.variants: Mapping[str, Sequence[str]] = {k.casefold(): v for k, v in self.obf.get("variants", {}).items()}
        target_banks = self.obf.get("target_banks", ["ins_noun", "slur", "dehuman"])
        abuse = [*spec["abuse_targets"], *(w for name in target_banks if name in spec for w in spec[name])]
        self.abuse_targets = self._targets(abuse, left, right)
        self.spam_targets = self._targets(spec["spam_targets"], left, right)
        self.proper = frozenset(p.split()[0] for name in ("name", "city", "team") if name in spec for p in spec[name])
        self.upper_map = str.maketrans(dict(meta.get("upper", {})))
        self.lower_map = str.maketrans(dict(meta.get("lower", {})))

    @staticmethod
    def _targets(words: Sequence[str], left: str, right: str) -> re.Pattern[str]:
        ordered = sorted(set(words), key=lambda w: (-len(w), w))
        return re.compile(left + "(?:" + "|".join(re.escape(w) for w in ordered) + ")" + right, re.IGNORECASE)

    def upper(self, text: str) -> str:
        """``text`` in capitals, by the language's rules (Turkish dotted i)."""
        return text.translate(self.upper_map).upper()

    def lower(self, text: str) -> str:
        """``text`` in small letters, by the language's rules (Turkish dotless I)."""
        return text.translate(self.lower_map).lower()

    def sentence(self, text: str) -> str:
        """``text`` stripped, starting with a capital (where the script has them) and ending in a sentence mark."""
        text = text.strip()
        if text and text[-1] not in _ENDINGS and text[-1].isalnum():
            text += self.stop
        if self.cased and text:
            text = self.upper(text[0]) + text[1:]
        return text

    def join(self, parts: Sequence[str]) -> str:
        """Sentences joined as the script does (with or without a space); after an opener that ends in a comma
        the next part starts in small letters (unless it starts with a name)."""
        out: list[str] = []
        for part in parts:
            if not part:
                continue
            if out and out[-1].endswith(",") and part[:1].isupper() and part.split()[0] not in self.proper:
                part = self.lower(part[:1]) + part[1:]
            out.append(part)
        joined = out[0] if out else ""
        for part in out[1:]:  # a mention needs a space before it even where sentences have none
            joined += (" " if part.startswith("@") and not self.joiner else self.joiner) + part
        return joined


def disguise(word: str, rng: random.Random, lang: _Language) -> str:
    """Disguise one word or phrase in one of the styles the language's abusers use.

    :param word: the word as it appears in the text.
    :param rng: the language's RNG.
    :param lang: the language (its ``[obfuscation]`` table).
    """
    styles = [s for s in lang.obf.get("styles", STYLES) if s in STYLES]
    style = rng.choice(styles)
    variants = lang.variants.get(word.casefold())
    if style == "variant" and variants:
        return rng.choice(variants)
    if style == "variant":
        style = "symbols"
    letters = list(word)
    if style == "leet":
        table = lang.obf.get("leet", {})
        return "".join(rng.choice(table[c.lower()]) if c.lower() in table and rng.random() < 0.7 else c
                       for c in letters)
    if style == "spaced":
        return " ".join(letters)
    if style == "symbols":
        return rng.choice(lang.obf.get("separators", [".", "-", "*", "_"])).join(letters)
    if style == "homoglyph":
        table = lang.obf.get("homoglyphs", {})
        return "".join(table.get(c, c) if rng.random() < 0.6 else c for c in letters)
    if style == "mask":
        vowels = lang.obf.get("mask", "aeiou")
        return "".join(c if i == 0 or c.lower() not in vowels else "*" for i, c in enumerate(letters))
    if style == "marks":
        marks = lang.obf.get("marks", ["\u0640"])
        return "".join(c + (rng.choice(marks) if c.isalpha() and rng.random() < 0.5 else "") for c in letters)
    i = rng.randrange(len(word))  # stretch
    return word[:i] + word[i] * rng.randint(2, 5) + word[i + 1 :]


def disguise_text(text: str, targets: re.Pattern[str], rng: random.Random, lang: _Language, rate: float) -> str:
    """Disguise each occurrence of a target word in ``text`` with probability ``rate``."""
    return targets.sub(lambda m: disguise(m.group(0), rng, lang) if rng.random() < rate else m.group(0), text)


def disguise_urls(text: str, rng: random.Random, lang: _Language) -> str:
    """Write the URLs of ``text`` with the language's "dot" ("Punkt", "точка", "点") so filters miss them."""
    dots = lang.obf.get("url_dots", [" . ", "(.)", "[.]"])

    def repl(match: re.Match[str]) -> str:
        return re.sub(r"^https?://", "", match.group(0)).replace(".", rng.choice(dots))

    return re.sub(r"(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?", repl, text)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :] if rng.random() < 0.5 else word[:i] + word[i + 1 :]


def add_noise(text: str, c: Composer, lang: _Language, loud: float = 0.0) -> str:
    """Surface noise shared by every class: typos, dropped final marks, casing, "!!!", mentions, hashtags."""
    r = c.rng
    if lang.typos and r.random() < 0.15:
        words = text.split(" ")
        j = r.randrange(len(words))
        words[j] = _typo(words[j], r)
        text = " ".join(words)
    if r.random() < 0.25:
        text = text.rstrip(".。")
    if lang.cased:
        x = r.random()
        if x < 0.2:
            text = lang.lower(text)
        elif x < 0.23 + loud:
            text = lang.upper(text)
    if r.random() < 0.07 + loud / 2:
        text = text.rstrip(".。") + r.choice(["!!", "!!!", "?!", "...", "!!!!"])
    if "interjection" in lang.spec and r.random() < 0.08:
        text = f"{text} {c.pick(lang.spec['interjection'])}"
    x = r.random()
    if x < 0.08:
        text = f"@{c.handle()} {text}"
    elif x < 0.1:
        text = f"@{c.handle()} @{c.handle()} {text}"
    if "hashtags" in lang.spec and r.random() < 0.05:
        text = f"{text} {c.pick(lang.spec['hashtags'])}"
    return text


def _kind(c: Composer, kinds: Sequence[Kind]) -> Kind:
    return c.rng.choices(list(kinds), [k.weight for k in kinds])[0]


def _ham_sentence(c: Composer, lang: _Language) -> str:
    return lang.sentence(c.fill(c.pick(_kind(c, lang.spec.kinds_of("ham")).templates)))


def make_ham(c: Composer, lang: _Language) -> str:
    """An acceptable comment: on the article, a question, a reply, a civil disagreement or a hard negative."""
    r, spec = c.rng, lang.spec
    parts = [_ham_sentence(c, lang)]
    if r.random() < 0.35:
        parts.insert(r.randint(0, 1), _ham_sentence(c, lang))
    if "opener" in spec and r.random() < 0.25:
        parts.insert(0, c.fill(c.pick(spec["opener"])))
    if "closer" in spec and r.random() < 0.2:
        parts.append(c.fill(c.pick(spec["closer"])))
    text = add_emoji(lang.join(list(dict.fromkeys(parts))), r, spec["emoji_pos"], 0.1)
    return add_noise(text, c, lang)


def make_spam(c: Composer, lang: _Language) -> str:
    """Spam of one of the language's kinds, sometimes behind a friendly opener, with disguised links or words."""
    r, spec = c.rng, lang.spec
    kinds = spec.kinds_of("spam")
    text = c.fill(c.pick(_kind(c, kinds).templates))
    if "spam_prefix" in spec and r.random() < 0.25:
        text = lang.join([c.fill(c.pick(spec["spam_prefix"])), text])
    if r.random() < 0.12:
        text = lang.join([text, c.fill(c.pick(_kind(c, kinds).templates))])
    if r.random() < 0.18:
        text = disguise_urls(text, r, lang)
    if r.random() < 0.15:
        text = disguise_text(text, lang.spam_targets, r, lang, rate=0.6)
    text = add_emoji(text, r, spec["emoji_spam"], 0.2)
    return add_noise(text, c, lang, loud=0.06)


def make_toxic(c: Composer, lang: _Language) -> tuple[str, dict[str, int]]:
    """Abuse of one of the language's kinds, labelled by its kind and its words; often disguised."""
    r, spec = c.rng, lang.spec
    kind = _kind(c, spec.kinds_of("toxic"))
    core = c.fill(c.pick(kind.templates))
    labels = {"toxic": 1, **{label: 1 for label in kind.labels}}
    if lang.obscene.search(core):
        labels["obscene"] = 1
    if r.random() < 0.08:  # repeated for emphasis
        core = lang.join([core] * r.randint(2, 3))
    core = lang.sentence(core) if r.random() < 0.6 else core
    if r.random() < 0.35:
        core = disguise_text(core, lang.abuse_targets, r, lang, rate=0.7)
    x = r.random()
    if x < 0.25:
        before = _ham_sentence(c, lang)
        core = lang.join([before, core] if r.random() < 0.7 else [core, before])
    elif x < 0.32 and "opener" in spec:
        core = lang.join([c.fill(c.pick(spec["opener"])), core])
    text = add_emoji(core, r, spec["emoji_neg"], 0.12)
    return add_noise(text, c, lang, loud=0.03), labels


def generate_language(lang: str, seed: int, size: int | None = None) -> list[dict[str, object]]:
    """Compose one language's rows: unique texts, the heads of :data:`LABELS` and ``lang``, shuffled.

    :param lang: ISO 639-1 code of a phrase file other than English.
    :param seed: the corpus seed; the language's RNG is seeded with it and the language code.
    :param size: rows to compose (default: the file's ``meta.size``).
    """
    language = _Language(load(lang))
    rng = random.Random(f"{seed}:{lang}")
    c = Composer(rng, language.spec)
    c.dynamic.update(dd=lambda: str(rng.randint(1, 28)), mm=lambda: f"{rng.randint(1, 12):02d}",
                     d2=lambda: str(rng.randint(10, 99)), d1=lambda: str(rng.randint(2, 9)))
    total = int(size if size is not None else language.spec.meta.get("size", 600))
    quotas = class_quotas(total)
    seen: set[str] = set()
    rows: list[dict[str, object]] = []
    for cls, quota in quotas.items():
        made, attempts = 0, 0
        while made < quota and attempts < quota * 50:
            attempts += 1
            labels: Mapping[str, int]
            if cls == "ham":
                text, labels = make_ham(c, language), {}
            elif cls == "spam":
                text, labels = make_spam(c, language), {"spam": 1}
            else:
                text, labels = make_toxic(c, language)
            text = re.sub(r"[ \t]+", " ", text).strip()
            key = text.casefold()
            if len(text) < 2 or key in seen:
                continue
            seen.add(key)
            row: dict[str, object] = {"text": text}
            row.update({name: int(labels.get(name, 0)) for name in LABELS})
            row["lang"] = lang
            rows.append(row)
            made += 1
    rng.shuffle(rows)
    return rows
