"""The moderation policy: how a comment's scores become approve, review or reject, with reasons.

Loaded from ``config/policy.toml`` (see the comments there) and validated at start-up: the per-head
thresholds (with an optional ``discard`` level for blatant spam), the settings of the rules
(:mod:`moderation.judging.rules`: links, repeats, rate limits, author trust), the word lists they match
(``words_file``, by default ``config/words.toml``, with per-language sections), what happens to comments in
languages the model does not support (``[languages]``) and how long decided comments are kept for reports.
"""

from __future__ import annotations

import math
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from moderation.records import Outcome, Reason

_PROBABILITY = validate.Range(min=0.0, max=1.0, error="must be between 0 and 1")


class PolicyError(ValueError):
    """Raised for an invalid policy file; the message names the setting and the rule."""


@dataclass(frozen=True)
class HeadThresholds:
    """Thresholds of one head: review at ``review`` and above, reject at ``reject`` and above."""

    review: float
    reject: float
    reject_without_review: float | None = None
    #: At or above this a rejected comment is also flagged ``discard`` (blatant: may be dropped silently).
    discard: float | None = None

    @property
    def cutoff(self) -> float:
        """The single threshold used when the review band is off."""
        if self.reject_without_review is not None:
            return self.reject_without_review
        return (self.review + self.reject) / 2


RuleAction = Literal["review", "reject"]


@dataclass(frozen=True)
class RuleSettings:
    """Settings of the rules (:mod:`moderation.judging.rules`) for one site; ``config/policy.toml`` explains each.

    A limit of 0 switches its rule off, except ``max_links`` (0: no link allowed).
    """

    max_links: int = 3
    allow_domains: tuple[str, ...] = ()
    deny_domains: tuple[str, ...] = ()
    review_links_from_new_authors: bool = False
    new_author_review_count: int = 0
    trusted_after: int = 5
    trusted_max_reject_share: float = 0.1
    trusted_skip_review_below: float = 0.7
    repeat_window_seconds: int = 3600
    repeat_per_author: int = 2
    repeat_authors: int = 3
    repeat_min_chars: int = 20
    repeat_action: RuleAction = "review"
    author_rate_limit: int = 10
    ip_rate_limit: int = 30
    rate_window_seconds: int = 60
    rate_action: RuleAction = "review"
    #: The words rule's lists for English and for languages without lists of their own (``words_file``'s
    #: top-level lists, its ``[any]`` lists and the site's extra words).
    banned_words: tuple[str, ...] = ()
    suspect_words: tuple[str, ...] = ()
    #: Per language with lists of its own: (language, banned, suspect), each with the ``[any]`` lists and the
    #: site's extra words added.
    language_words: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()
    _words_by_lang: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(
        init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_lang = {lang: (banned, suspect) for lang, banned, suspect in self.language_words}
        if by_lang:  # undetermined: any language's words may be meant
            by_lang[UNDETERMINED_LANG] = (_union(self.banned_words, *(b for b, _ in by_lang.values())),
                                          _union(self.suspect_words, *(s for _, s in by_lang.values())))
        object.__setattr__(self, "_words_by_lang", by_lang)

    def words_for(self, lang: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The banned and suspect lists for a comment in ``lang``: that language's own lists when it has some,
        every list when the language is undetermined (``und``), else the default (English) ones.

        :param lang: the comment's language (:mod:`moderation.judging.language`), None when not identified.
        """
        words = self._words_by_lang.get(lang) if lang else None
        return words if words is not None else (self.banned_words, self.suspect_words)


#: The language code of a comment whose language could not be told (see :mod:`moderation.judging.language`).
UNDETERMINED_LANG = "und"
#: Comments with no letters: scored as every supported language.
NO_LANGUAGE = "zxx"

LanguageAction = Literal["approve", "review"]
#: For a language the model screens: ``screen`` lets the model approve what it is sure of and holds the rest;
#: ``approve`` / ``review`` treat it as unsupported.
ScreenedAction = Literal["screen", "approve", "review"]


def _union(*lists: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(word for words in lists for word in words))


@dataclass(frozen=True)
class LanguageSettings:
    """What happens to a comment the model cannot judge for its language (``[languages]`` in the policy).

    :param unsupported: outcome for a comment in a language the model does not support.
    :param undetermined: outcome for a comment whose language could not be told (``und``); None: as
        ``unsupported``.
    :param screened: for a language the model screens (real labels, below the bar to be claimed): ``screen``
        (the model approves what it is sure of, the rest is held with ``lang.screened``), or ``approve`` /
        ``review`` as for an unsupported language.
    :param default: the site's language, taken as the hint of a comment that has no ``lang`` of its own (None:
        no hint). Like any hint it wins only when plausible: a short "lol" on an English site is English, a
        German comment there is still German.
    """

    unsupported: LanguageAction = "review"
    undetermined: LanguageAction | None = None
    screened: ScreenedAction = "screen"
    default: str | None = None

    def outcome(self, lang: str) -> LanguageAction:
        """The outcome for a comment in ``lang`` (one the model does not support, or ``und``)."""
        if lang == UNDETERMINED_LANG and self.undetermined is not None:
            return self.undetermined
        return self.unsupported


@dataclass(frozen=True)
class SitePolicy:
    """The policy in force for one site."""

    review_band: bool = True
    heads: Mapping[str, HeadThresholds] = field(default_factory=dict)
    rules: RuleSettings = field(default_factory=RuleSettings)
    languages: LanguageSettings = field(default_factory=LanguageSettings)
    #: Score insults that a comment quotes, names or reports apart from it (:mod:`moderation.judging.mentions`), and
    #: leave them out of the suspect words; off: every word counts as written.
    mentions_apart: bool = True
    # What decide() and discard() read, taken from heads once (a site policy does not change): per head, its
    # reject level, its review level (NaN without a review band: no score reaches it) and the lower of the
    # two; the heads with a discard level.
    _levels: tuple[tuple[str, float, float, float], ...] = field(init=False, repr=False, compare=False)
    _discard_levels: tuple[tuple[str, float], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.review_band:
            levels = [(head, limits.reject, limits.review) for head, limits in self.heads.items()]
        else:
            levels = [(head, limits.cutoff, math.nan) for head, limits in self.heads.items()]
        object.__setattr__(self, "_levels", tuple((head, reject, review, min(reject, review))
                                                  for head, reject, review in levels))
        object.__setattr__(self, "_discard_levels", tuple((head, limits.discard) for head, limits in
                                                          self.heads.items() if limits.discard is not None))

    def discard(self, scores: Mapping[str, float]) -> bool:
        """Whether any head with a ``discard`` level scored at or above it (blatant spam).

        :param scores: head -> probability.
        """
        return any(scores.get(head, 0.0) >= level for head, level in self._discard_levels)

    def decide(self, scores: Mapping[str, float],
               terms: Mapping[str, tuple[str, ...]] | None = None) -> tuple[Outcome, tuple[Reason, ...]]:
        """Map scores to an outcome and the reasons for it.

        :param scores: head -> probability.
        :param terms: head -> the words or signals that pushed that head's score most.
        """
        terms = terms or {}
        rejects: list[Reason] = []
        reviews: list[Reason] = []
        for head, reject, review, lowest in self._levels:
            score = scores.get(head)
            if score is None or score < lowest:
                continue
            if score >= reject:
                rejects.append(_reason(head, "reject", score, reject, terms))
            elif score >= review:
                reviews.append(_reason(head, "review", score, review, terms))
        if rejects:
            return "reject", tuple(sorted(rejects, key=_strongest_first)) if len(rejects) > 1 else (rejects[0],)
        if reviews:
            return "review", tuple(sorted(reviews, key=_strongest_first)) if len(reviews) > 1 else (reviews[0],)
        return "approve", _APPROVED


    def decide_language(self, lang: str, confidence: float | None, supported: tuple[str, ...],
                        outcome: LanguageAction | None = None) -> tuple[Outcome, tuple[Reason, ...]]:
        """The outcome for a comment in a language the model does not support (or ``und``), with the
        ``lang.unsupported`` reason naming the language and the identifier's confidence.

        :param lang: the comment's language.
        :param confidence: the identifier's probability of it.
        :param supported: the languages the model supports.
        :param outcome: the outcome to give (default: the ``[languages]`` setting for ``lang``).
        """
        outcome = outcome or self.languages.outcome(lang)
        sure = "" if confidence is None else f" (confidence {confidence:.2f})"
        what = f"the language could not be determined{sure}" if lang == UNDETERMINED_LANG else \
            f"language {lang}{sure} is not one the model supports ({', '.join(supported)})"
        action = "held for review" if outcome == "review" else "approved without the model, as the policy says"
        return outcome, (Reason(code="lang.unsupported", message=f"{what}: {action}", terms=(lang,)),)


    def judge(self, scores: Mapping[str, float], terms: Mapping[str, tuple[str, ...]] | None, lang: str,
              confidence: float | None, supported: tuple[str, ...],
              screened: tuple[str, ...] = ()) -> tuple[Outcome, tuple[Reason, ...]]:
        """The model's outcome for a comment in ``lang``: :meth:`decide` for a supported language (and for
        comments with no letters), screening for a screened one, :meth:`decide_language` for the others.

        Screening: the model's approve stands; anything it would hold or reject is held for review, with the
        ``lang.screened`` reason before the model's (its score in that language is not trusted to reject).

        Spam is told by signals that need no language (links, phone numbers, repetition, known spam): in any
        language, a spam score at its reject level is rejected as spam and one at its review level is held as
        spam (:data:`SPAM_HEAD`), not for its language.

        :param scores: head -> probability.
        :param terms: head -> the words or signals that pushed that head's score most.
        :param lang: the comment's language.
        :param confidence: the identifier's probability of it.
        :param supported: the languages the model supports.
        :param screened: the languages the model screens.
        """
        if lang in supported or lang == NO_LANGUAGE:
            return self.decide(scores, terms)
        spam = self._spam_in_any_language(scores, terms, lang)
        if spam is not None:
            return spam
        if lang not in screened:
            return self.decide_language(lang, confidence, supported)
        if self.languages.screened != "screen":
            return self.decide_language(lang, confidence, supported, outcome=self.languages.screened)
        outcome, reasons = self.decide(scores, terms)
        if outcome == "approve":
            return outcome, reasons
        return "review", (Reason(code="lang.screened", message=(
            f"language {lang} is screened, not fully supported: the model approves only what it is sure of, "
            "the rest is held for review"), terms=(lang,)), *reasons)


    def _spam_in_any_language(self, scores: Mapping[str, float], terms: Mapping[str, tuple[str, ...]] | None,
                              lang: str) -> tuple[Outcome, tuple[Reason, ...]] | None:
        """The spam outcome of a comment in a language the model does not claim, when its spam score reaches
        the spam head's review (or reject) level; None otherwise.

        :param scores: head -> probability.
        :param terms: head -> the words or signals that pushed that head's score most.
        :param lang: the comment's language (named in the reason of a held comment).
        """
        for head, reject, review, lowest in self._levels:
            if head != SPAM_HEAD:
                continue
            score = scores.get(head)
            if score is None or score < lowest:
                return None
            if score >= reject:
                return "reject", (_reason(head, "reject", score, reject, terms or {}),)
            return "review", (_reason(head, "review", score, review, terms or {}), Reason(
                code="lang.spam", message=f"held as spam in language {lang}: spam signals need no language",
                terms=(lang,)))
        return None


#: The head whose signals (links, phone numbers, repetition, known spam) work in every language.
SPAM_HEAD = "spam"

#: The reason of every approve by the model (a reason is immutable: one is shared).
_APPROVED = (Reason(code="ok", message="every score is below its review threshold"),)


def _strongest_first(reason: Reason) -> float:
    return -(reason.score or 0)


def _reason(head: str, level: str, score: float, threshold: float,
            terms: Mapping[str, tuple[str, ...]]) -> Reason:
    return Reason(
        code=f"{head}.{level}",
        message=f"{head} score {score:.2f} is at or above the {level} threshold {threshold:.2f}",
        head=head,
        score=round(score, 4),
        terms=tuple(terms.get(head, ())),
    )


@dataclass(frozen=True)
class Policy:
    """The whole policy: defaults plus per-site overrides."""

    default: SitePolicy
    sites: Mapping[str, SitePolicy] = field(default_factory=dict)
    #: How long a decided comment's text is kept so a later report-spam/report-ham can label it (0: never).
    keep_comments_seconds: int = 3 * 24 * 3600

    def for_site(self, site: str | None) -> SitePolicy:
        """The policy for ``site`` (the default one for an unknown or absent site)."""
        return self.sites.get(site, self.default) if site else self.default


class _HeadSchema(Schema):
    class Meta:
        unknown = RAISE

    review = fields.Float(validate=_PROBABILITY)
    reject = fields.Float(validate=_PROBABILITY)
    reject_without_review = fields.Float(validate=_PROBABILITY)
    discard = fields.Float(validate=_PROBABILITY)


_COUNT = validate.Range(min=0, max=1_000_000, error="must be a whole number from 0 to 1000000")
_SECONDS = validate.Range(min=1, max=30 * 24 * 3600, error="must be from 1 second to 30 days")
_ACTION = validate.OneOf(["review", "reject"], error="must be 'review' or 'reject'")
_DOMAIN = validate.Regexp(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$",
                          error="must be a lowercase domain name such as example.com")


def _strict_int(**kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, **kwargs)


class _RulesSchema(Schema):
    class Meta:
        unknown = RAISE

    max_links = _strict_int(validate=_COUNT)
    allow_domains = fields.List(fields.String(validate=_DOMAIN))
    deny_domains = fields.List(fields.String(validate=_DOMAIN))
    review_links_from_new_authors = fields.Boolean()
    new_author_review_count = _strict_int(validate=_COUNT)
    trusted_after = _strict_int(validate=_COUNT)
    trusted_max_reject_share = fields.Float(validate=_PROBABILITY)
    trusted_skip_review_below = fields.Float(validate=_PROBABILITY)
    repeat_window_seconds = _strict_int(validate=_SECONDS)
    repeat_per_author = _strict_int(validate=_COUNT)
    repeat_authors = _strict_int(validate=_COUNT)
    repeat_min_chars = _strict_int(validate=_COUNT)
    repeat_action = fields.String(validate=_ACTION)
    author_rate_limit = _strict_int(validate=_COUNT)
    ip_rate_limit = _strict_int(validate=_COUNT)
    rate_window_seconds = _strict_int(validate=_SECONDS)
    rate_action = fields.String(validate=_ACTION)
    extra_banned_words = fields.List(fields.String())
    extra_suspect_words = fields.List(fields.String())


_LANGUAGE_ACTION = validate.OneOf(["approve", "review"], error="must be 'approve' or 'review'")


class _LanguagesSchema(Schema):
    class Meta:
        unknown = RAISE

    unsupported = fields.String(validate=_LANGUAGE_ACTION)
    undetermined = fields.String(validate=_LANGUAGE_ACTION)
    screened = fields.String(validate=validate.OneOf(["screen", "approve", "review"],
                                                     error="must be 'screen', 'approve' or 'review'"))
    default = fields.String(validate=validate.Regexp(r"^[a-z]{2,3}$", error="must be a lowercase ISO 639-1 code "
                                                                              "such as 'en' or 'de'"))


class _SiteSchema(Schema):
    class Meta:
        unknown = RAISE

    review_band = fields.Boolean()
    mentions_apart = fields.Boolean()
    heads = fields.Dict(keys=fields.String(), values=fields.Nested(_HeadSchema))
    rules = fields.Nested(_RulesSchema)
    languages = fields.Nested(_LanguagesSchema)


class _PolicySchema(_SiteSchema):
    sites = fields.Dict(keys=fields.String(), values=fields.Nested(_SiteSchema))
    words_file = fields.String(validate=validate.Length(min=1))
    keep_comments_seconds = _strict_int(validate=validate.Range(min=0, max=90 * 24 * 3600))

    @validates_schema
    def complete_defaults(self, data: dict[str, Any], **_: Any) -> None:
        for head, limits in data.get("heads", {}).items():
            if "review" not in limits or "reject" not in limits:
                raise ValidationError("needs both review and reject", f"heads.{head}")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Policy:
        words: WordLists = getattr(self, "words", WordLists())
        heads = {h: HeadThresholds(**v) for h, v in data.get("heads", {}).items()}
        any_banned, any_suspect = words.any_banned, words.any_suspect
        per_language = tuple((lang, _union(banned, any_banned), _union(suspect, any_suspect))
                             for lang, banned, suspect in words.languages)
        base_rules = _rules(RuleSettings(banned_words=_union(words.banned, any_banned),
                                         suspect_words=_union(words.suspect, any_suspect),
                                         language_words=per_language),
                            data.get("rules", {}), "rules")
        languages = LanguageSettings(**data.get("languages", {}))
        default = SitePolicy(review_band=data.get("review_band", True), heads=heads, rules=base_rules,
                             languages=languages, mentions_apart=data.get("mentions_apart", True))
        sites = {}
        for name, site in data.get("sites", {}).items():
            merged = dict(heads)
            for head, override in site.get("heads", {}).items():
                base = merged.get(head)
                if base is None and not {"review", "reject"} <= set(override):
                    raise ValidationError(f"sites.{name}.heads.{head}: a head not in the defaults needs review "
                                          "and reject")
                merged[head] = replace(base, **override) if base else HeadThresholds(**override)
            sites[name] = SitePolicy(review_band=site.get("review_band", default.review_band), heads=merged,
                                     rules=_rules(base_rules, site.get("rules", {}), f"sites.{name}.rules"),
                                     languages=replace(languages, **site.get("languages", {})),
                                     mentions_apart=site.get("mentions_apart", default.mentions_apart))
        policy = Policy(default=default, sites=sites,
                        keep_comments_seconds=data.get("keep_comments_seconds", 3 * 24 * 3600))
        for label, site_policy in [("default", default), *sites.items()]:
            for head, limits in site_policy.heads.items():
                if limits.review > limits.reject:
                    raise ValidationError(f"{label}: heads.{head}: review ({limits.review}) must not be above "
                                          f"reject ({limits.reject})")
                if limits.discard is not None and limits.discard < limits.reject:
                    raise ValidationError(f"{label}: heads.{head}: discard ({limits.discard}) must not be below "
                                          f"reject ({limits.reject})")
        return policy


def _rules(base: RuleSettings, overrides: Mapping[str, Any], where: str) -> RuleSettings:
    """``base`` with ``overrides`` applied; extra word lists are added to the base ones, checked."""
    values = dict(overrides)
    extra_banned = tuple(validated_words(values.pop("extra_banned_words", ()), f"{where}.extra_banned_words"))
    extra_suspect = tuple(validated_words(values.pop("extra_suspect_words", ()), f"{where}.extra_suspect_words"))
    for name in ("allow_domains", "deny_domains"):
        if name in values:
            values[name] = tuple(values[name])
    return replace(base, **values, banned_words=base.banned_words + extra_banned,
                   suspect_words=base.suspect_words + extra_suspect,
                   language_words=tuple((lang, banned + extra_banned, suspect + extra_suspect)
                                        for lang, banned, suspect in base.language_words))


@dataclass(frozen=True)
class WordLists:
    """The banned (reject) and suspect (review) words and phrases of ``words_file``.

    :param banned: the top-level list: English, and languages without lists of their own.
    :param suspect: likewise.
    :param any_banned: the ``[any]`` section's: every comment, whatever its language.
    :param any_suspect: likewise.
    :param languages: per ``[LANG]`` section: (language, banned, suspect), for comments in that language.
    """

    banned: tuple[str, ...] = ()
    suspect: tuple[str, ...] = ()
    any_banned: tuple[str, ...] = ()
    any_suspect: tuple[str, ...] = ()
    languages: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()


_WORD_PUNCTUATION = frozenset("' -")
_LANG_SECTION = validate.Regexp(r"^[a-z]{2,3}\Z")


def _word_char(char: str) -> bool:
    """A letter (any script, lowercase or caseless), a digit, a space, ' or -."""
    if char in _WORD_PUNCTUATION or "0" <= char <= "9":
        return True
    return char.isalpha() and char == char.lower()


def validated_words(entries: Any, where: str) -> list[str]:
    """Validate a word list: plain lowercase words or phrases, an optional final ``*`` for "starts with".

    No other pattern syntax exists, so no list can make matching slow (:mod:`moderation.judging.rules.words`).

    :param entries: the list as read from TOML.
    :param where: the setting's name, for the error.
    :raises ValidationError: naming the setting and the bad entry.
    """
    if not isinstance(entries, list | tuple):
        raise ValidationError(f"{where}: must be a list of words")
    words = []
    for entry in entries:
        if not isinstance(entry, str):
            raise ValidationError(f"{where}: {entry!r} is not a string")
        word = " ".join(unicodedata.normalize("NFC", entry).split())
        stem = word[:-1] if word.endswith("*") else word
        if not 2 <= len(stem) <= 64 or not all(map(_word_char, stem)) or not stem[0].isalnum():
            raise ValidationError(f"{where}: {entry!r} must be 2-64 lowercase letters (of any script), digits, "
                                  "spaces, ' or -, optionally ending in * (no other pattern syntax)")
        words.append(word)
    return words


def load_words(path: Path) -> WordLists:
    """Read and validate a word-list file (``banned`` and ``suspect`` arrays).

    :raises PolicyError: naming the file and the bad entry.
    """
    raw = _read_toml(path, "words file")
    sections = {name: value for name, value in raw.items() if isinstance(value, dict)}
    unknown = sorted(name for name in set(raw) - {"banned", "suspect"} - set(sections))
    unknown += sorted(name for name in sections if name != "any" and not _is_lang_section(name))
    if unknown:
        raise PolicyError(f"words file {path}: unknown setting(s) {', '.join(unknown)} (expected banned, suspect, "
                          "[any] and [LANG] sections named by lowercase ISO 639-1 codes such as [de])")
    try:
        lists = {}
        for name, section in [("", raw), *sections.items()]:
            extra = sorted(set(section) - {"banned", "suspect"}) if name else []
            if extra:
                raise ValidationError(f"[{name}]: unknown setting(s) {', '.join(extra)} (expected banned, suspect)")
            where = f"{name}." if name else ""
            lists[name] = (tuple(validated_words(section.get("banned", []), f"{where}banned")),
                           tuple(validated_words(section.get("suspect", []), f"{where}suspect")))
    except ValidationError as exc:
        raise PolicyError(f"words file {path}: {exc.messages}") from None
    default, any_lists = lists.pop(""), lists.pop("any", ((), ()))
    return WordLists(banned=default[0], suspect=default[1], any_banned=any_lists[0], any_suspect=any_lists[1],
                     languages=tuple((lang, banned, suspect) for lang, (banned, suspect) in sorted(lists.items())))


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    """The TOML file ``path`` as a dict; a :class:`PolicyError` naming ``what`` and the file if it is missing or
    not TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{what} {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{what} {path}: not valid TOML: {exc}") from None


def _is_lang_section(name: str) -> bool:
    try:
        _LANG_SECTION(name)
    except ValidationError:
        return False
    return True


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file.

    :raises PolicyError: naming the file, the setting and the rule it breaks.
    """
    raw = _read_toml(path, "policy file")
    words = WordLists()
    if isinstance(raw.get("words_file"), str):
        words_path = Path(raw["words_file"])
        words = load_words(words_path if words_path.is_absolute() else path.parent / words_path)
    try:
        schema = _PolicySchema()
        schema.words = words  # type: ignore[attr-defined]  # read by build(); marshmallow 4 has no context
        policy: Policy = schema.load(raw)
    except ValidationError as exc:
        raise PolicyError(f"policy file {path}: {exc.messages}") from None
    return policy
