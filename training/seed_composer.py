"""What every language's part of the seed corpus is composed with: its label heads and class shares, the
English phrase banks (whose language-neutral banks the other languages share) and the template filler.

:mod:`training.seed_corpus` composes the English part and the whole corpus, :mod:`training.seed_languages`
the other languages' parts; both build on this module, which imports neither.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence

from moderation.records import ALL_HEADS
from training.seed_phrases import PhraseBanks, load

#: The label heads of every row (0/1), as Jigsaw's plus ``spam``.
LABELS: tuple[str, ...] = ALL_HEADS
#: Share of each top-level class in the corpus.
CLASS_SHARES: dict[str, float] = {"ham": 0.63, "spam": 0.19, "toxic": 0.18}


def class_quotas(total: int) -> dict[str, int]:
    """How many rows of each class (spam, toxic, then ham: the rest) ``total`` rows hold, by :data:`CLASS_SHARES`.

    :param total: the rows of the corpus or of one language.
    """
    quotas = {"spam": round(total * CLASS_SHARES["spam"]), "toxic": round(total * CLASS_SHARES["toxic"])}
    quotas["ham"] = total - quotas["spam"] - quotas["toxic"]
    return quotas

#: The English phrase banks (``training/data/seed/en.toml``).
EN: PhraseBanks = load("en")

_SLOT = re.compile(r"\{(\w+)\}")


class Composer:
    """Expands ``{slot}`` templates from the phrase banks and generated values, with one shared RNG."""

    def __init__(self, rng: random.Random, banks: PhraseBanks = EN) -> None:
        self.rng = rng
        self.banks = banks
        self.dynamic: dict[str, Callable[[], str]] = {
            "num": self._num,
            "year": lambda: str(rng.randint(1995, 2026)),
            "date": self.date,
            "time": lambda: f"{rng.randint(0, 4)}:{rng.randint(0, 59):02d}",
            "price": self._price,
            "pct": lambda: str(rng.randint(2, 48)),
            "bigpct": lambda: str(rng.choice([50, 70, 80, 90, 150, 200, 300, 500])),
            "amount": lambda: rng.choice(["{:,}", "{}"]).format(rng.choice(range(1500, 40000, 250))),
            "small": lambda: str(rng.choice(range(50, 800, 25))),
            "hourly": lambda: str(rng.randint(35, 98)),
            "period": lambda: rng.choice(["a week", "two weeks", "30 days", "a month", "3 weeks", "10 days"]),
            "age": lambda: str(rng.randint(13, 67)),
            "phone": self._phone,
            "d3": lambda: str(rng.randint(100, 999)),
            "d4": lambda: str(rng.randint(1000, 9999)),
            "d6": lambda: str(rng.randint(100000, 999999)),
            "email": self._email,
            "code": self._code,
            "handle": self.handle,
            "url": self._spam_url,
            "short_url": self._short_url,
            "video_url": self._video_url,
            "lookalike_url": self._lookalike_url,
            "blog_url": self._blog_url,
            "gov_url": lambda: self._site_url(self.banks["gov_domains"]),
            "news_url": lambda: self._site_url(self.banks["news_domains"]),
        }

    def pick(self, bank: Sequence[str]) -> str:
        """One random element of ``bank``."""
        return self.rng.choice(bank)

    def fill(self, template: str, local: Mapping[str, Sequence[str]] | None = None, depth: int = 0) -> str:
        """Expand every ``{slot}`` in ``template``; ``local`` banks (a topic's) take precedence."""

        def repl(match: re.Match[str]) -> str:
            name = match.group(1)
            if local and name in local:
                return self.fill(self.pick(local[name]), local, depth + 1)
            if name in self.banks:
                return self.fill(self.pick(self.banks[name]), local, depth + 1)
            if name in self.dynamic:
                return self.dynamic[name]()
            raise KeyError(f"unknown slot {{{name}}} in template {template!r}")

        if depth > 6:
            return template
        return _SLOT.sub(repl, template)

    # ---- generated values ------------------------------------------------------------------------------
    def _num(self) -> str:
        r = self.rng.random()
        if r < 0.6:
            return str(self.rng.randint(2, 60))
        if r < 0.9:
            return str(self.rng.randint(61, 999))
        return f"{self.rng.randint(1, 20)},{self.rng.randint(0, 999):03d}"

    def date(self) -> str:
        """A day in one of the forms comments write it (``3 May``, ``05/11``, ``2024-03-07``...)."""
        day, month = self.rng.randint(1, 28), self.pick(self.banks["month"])
        return self.rng.choice(
            [f"{day} {month}", f"{month} {day}", f"{day:02d}/{self.rng.randint(1, 12):02d}",
             f"{self.rng.randint(2019, 2027)}-{self.rng.randint(1, 12):02d}-{day:02d}", f"the {day}th"]
        )

    def _price(self) -> str:
        value = self.rng.choice([self.rng.randint(2, 99), self.rng.randint(100, 2500)])
        cents = self.rng.choice(["", ".99", ".50", ""])
        return self.rng.choice(["£{}{}", "${}{}", "€{}{}", "{}{} euros", "{}{} dollars"]).format(value, cents)

    def _phone(self) -> str:
        r = self.rng
        return r.choice(
            [f"+1 ({r.randint(800, 889)}) 555-{r.randint(1000, 9999)}",
             f"+44 7700 {r.randint(900000, 900999)}",
             f"1-800-{r.randint(200, 999)}-{r.randint(1000, 9999)}", f"+1{r.randint(2000000000, 9999999999)}",
             f"+234 {r.randint(700, 909)} {r.randint(100, 999)} {r.randint(1000, 9999)}"]
        )

    def handle(self) -> str:
        r = self.rng
        names = self.banks["handle_names"] if "handle_names" in self.banks else self.banks["name"]
        first = r.choice([self.pick(self.banks["handle_parts"]), self.pick(names).lower()])
        second = r.choice([self.pick(self.banks["handle_parts"]), self.pick(names).lower(), ""])
        sep = r.choice(["", "_", "", "."])
        tail = r.choice(["", str(r.randint(1, 99)), str(r.randint(1980, 2012)), ""])
        return f"{first}{sep}{second}{tail}".strip("._") or "user"

    def _email(self) -> str:
        domain = self.rng.choice(["gmail.com", "yahoo.com", "outlook.com", "protonmail.com", "mail.ru"])
        return f"{self.handle()}@{domain}"

    def _code(self) -> str:
        word = self.pick(self.banks["spam_words"]).upper()
        return word + str(self.rng.choice([10, 20, 25, 50, 70, 2025, 99]))

    def _slug(self, words: int) -> str:
        bank = (*self.banks["spam_words"], "news", "report", "city", "plan", "update", "story", "data", "guide")
        return "-".join(self.pick(bank) for _ in range(words))

    def _spam_url(self) -> str:
        r = self.rng
        w1, w2 = self.pick(self.banks["spam_words"]), self.pick(self.banks["spam_words"])
        host = r.choice([f"{w1}{w2}", f"{w1}-{w2}", f"{w1}{w2}{r.randint(1, 999)}", f"get{w1}", f"{w1}4u"])
        tld = self.pick(self.banks["spam_tlds"])
        scheme = r.choice(["http://", "https://", "http://www.", "www.", ""])
        path = r.choice(["", "", f"/{self._slug(2)}", f"/?ref={r.randint(100, 99999)}", "/offer", "/join"])
        if r.random() < 0.2:
            return self._short_url()
        return f"{scheme}{host}{tld}{path}"

    def _short_url(self) -> str:
        chars = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        code = "".join(self.rng.choice(chars) for _ in range(self.rng.randint(5, 8)))
        return f"{self.rng.choice(['', 'https://', 'http://'])}{self.pick(self.banks['shorteners'])}/{code}"

    def _video_url(self) -> str:
        chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
        vid = "".join(self.rng.choice(chars) for _ in range(11))
        return self.rng.choice(
            [f"https://www.youtube.com/watch?v={vid}", f"youtu.be/{vid}", f"https://youtube.com/@{self.handle()}",
             f"http://www.youtube.com/channel/UC{vid}", f"https://www.tiktok.com/@{self.handle()}"]
        )

    def _lookalike_url(self) -> str:
        r = self.rng
        host = self.pick(self.banks["lookalike_brands"]) + r.choice(["", *self.banks["lookalike_suffixes"]])
        tld = r.choice([".co", ".net", ".info", ".xyz", ".com-id.ru", ".support", ".top", ".online"])
        path = r.choice(["", "/login", "/verify", "/secure"])
        return f"{r.choice(['http://', 'https://', ''])}{host}{tld}{path}"

    def _blog_url(self) -> str:
        r = self.rng
        name = self.pick(self.banks["name"]).lower()
        return r.choice(
            [f"https://{name}writes.example.com/{r.randint(2018, 2026)}/{self._slug(3)}",
             f"https://blog.example.net/{name}/notes-on-{self.pick(self.banks['thing']).replace(' ', '-')}",
             f"https://{name}.example.org/posts/{r.randint(10, 400)}"]
        )

    def _site_url(self, domains: Sequence[str]) -> str:
        r = self.rng
        path = "-".join(r.choice(["council", "budget", "report", "study", "vote", "plan", "health", "data",
                                  "transport", "housing", "results", "guidance", "2025", "update"])
                        for _ in range(r.randint(1, 4)))
        return f"{r.choice(['https://', 'https://www.', 'http://', 'http://www.', ''])}{self.pick(domains)}/{path}"


def add_emoji(text: str, rng: random.Random, bank: Sequence[str], p: float) -> str:
    """With probability ``p``, end ``text`` with one to three emoji of ``bank``."""
    if rng.random() < p:
        sep = rng.choice([" ", "", " "])
        text = f"{text}{sep}{''.join(rng.choice(bank) for _ in range(rng.randint(1, 3)))}"
    return text
