"""Moderating a batch: validate again, score, apply the policy, build decisions.

This is the whole of a worker's job apart from transport, so it is plain code the tests, the benchmark and
the Celery task share. It takes the model as anything :class:`ScorerLike` describes (see
:class:`moderation.judging.scoring.Scorer`), so importing it does not import scikit-learn.

Every comment's language is identified first (:mod:`moderation.judging.language`). The model's scores decide for
comments in a language it supports (its ``languages``, ``("en",)`` for a model that does not say) and for
comments with no letters (``zxx``); the others, and those whose language cannot be told (``und``), get the
site's ``[languages]`` outcome with the reason ``lang.unsupported`` (their scores are still reported). The rules
apply to every comment, the words rule with the lists of its language.

Insults a comment quotes, names or reports are scored apart (:meth:`moderation.judging.scoring.Scorer.score_in_context`,
where the site's policy has ``mentions_apart``): such a decision gets the ``context.mention`` reason, and the
suspect words inside the mentions do not hold it (banned words count wherever they are).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from marshmallow import ValidationError

from moderation.intake.schemas import load_comment
from moderation.judging.language import DEFAULT_LANGUAGES, identify_batch
from moderation.judging.mentions import Span, mention_reason
from moderation.judging.policy import Policy
from moderation.judging.rules.engine import Observation, RuleEngine
from moderation.records import Comment, Decision


class HeadScoreLike(Protocol):
    """What a scorer returns per head (see :class:`moderation.judging.scoring.HeadScore`)."""

    probability: float
    contributions: tuple[tuple[str, float], ...]


class ScorerLike(Protocol):
    """What the pipeline reads and calls of a model (see :class:`moderation.judging.scoring.Scorer`)."""

    #: The bundle's version, written into every decision.
    version: str
    #: The languages the bundle claims (empty: English only, :data:`DEFAULT_LANGUAGES`).
    languages: tuple[str, ...]
    #: The languages it screens: approves what it is sure of, holds the rest.
    screened_languages: tuple[str, ...]

    def score_in_context(
        self, texts: Sequence[str], explain: bool = True, top_k: int = 5, langs: Sequence[str] | None = None,
        apart: Sequence[bool] | None = None,
    ) -> tuple[Sequence[Mapping[str, Any]], Sequence[tuple[Span, ...] | None]]:
        """Per text, ``{head: score}`` (a :class:`HeadScoreLike`) with its language's calibration, and the
        mentions scored apart where ``apart`` (None where not looked for)."""
        ...


def scorer_languages(scorer: ScorerLike) -> tuple[str, ...]:
    """The ISO 639-1 codes of the languages ``scorer``'s bundle claims (``("en",)`` if it does not say)."""
    return tuple(scorer.languages) or DEFAULT_LANGUAGES


def scorer_screened_languages(scorer: ScorerLike) -> tuple[str, ...]:
    """The languages ``scorer``'s bundle screens (approves only what it is sure of; none if it does not say)."""
    return tuple(scorer.screened_languages)


@dataclass(frozen=True)
class InvalidInput:
    """A queued payload that failed validation in the worker (it bypassed the client's validation)."""

    payload: Any
    errors: dict[str, Any]


def validate_payloads(payloads: Sequence[Any]) -> tuple[list[Comment], list[InvalidInput]]:
    """Validate queued payloads again; split them into comments and invalid inputs."""
    comments: list[Comment] = []
    invalid: list[InvalidInput] = []
    for payload in payloads:
        try:
            comments.append(load_comment(payload))
        except ValidationError as exc:
            messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
            invalid.append(InvalidInput(payload=payload, errors=messages))
    return comments, invalid


def moderate(comments: Sequence[Comment], scorer: ScorerLike, policy: Policy, *,
             submitted_at_ms: int | Mapping[str, int] | None = None, now: datetime | None = None,
             rules: RuleEngine | None = None, observations: Sequence[Observation] | None = None) -> list[Decision]:
    """Score ``comments`` in one batch and decide each.

    :param comments: validated comments.
    :param scorer: the model.
    :param policy: the policy in force.
    :param submitted_at_ms: when they were submitted (ms since the epoch), for each decision's
        ``latency_ms``: one time for all, or comment ref (:func:`moderation.keys.comment_ref`) -> time when they
        came in different messages.
    :param now: the decision time (now by default).
    :param rules: the rule engine (:mod:`moderation.judging.rules`), whose Redis round trip happens once for the
        batch; without it only the model's scores decide.
    :param observations: what ``rules.observe`` already found for ``comments`` (the worker observes first, to
        skip comments that already have a decision); observed here when not given.
    """
    if not comments:
        return []
    now = now or datetime.now(UTC)
    if rules is not None and observations is None:
        observations = rules.observe(comments, now.timestamp())
    bodies = [c.body for c in comments]
    sites = [policy.for_site(c.site) for c in comments]
    # A comment without a lang of its own gets its site's default language as the hint (if the policy sets one).
    hints = [c.lang or site.languages.default for c, site in zip(comments, sites, strict=True)]
    guesses = identify_batch(bodies, hints)
    # per-language calibration, mentions apart where the site's policy says so
    results, mentions = scorer.score_in_context(bodies, explain=True, top_k=5, langs=[g.lang for g in guesses],
                                                apart=[site.mentions_apart for site in sites])
    supported, screened = scorer_languages(scorer), scorer_screened_languages(scorer)
    decided_at = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    now_ms = now.timestamp() * 1000

    def latency(comment_id: str) -> float | None:
        sent = submitted_at_ms.get(comment_id) if isinstance(submitted_at_ms, Mapping) else submitted_at_ms
        return None if sent is None else max(0.0, round(now_ms - sent, 1))

    version = scorer.version
    decisions = []
    for index, (comment, heads, guess, site) in enumerate(zip(comments, results, guesses, sites, strict=True)):
        scores = {head: round(float(s.probability), 4) for head, s in heads.items()}
        lang = guess.lang
        outcome, reasons = site.judge(scores, _Terms(heads), lang, guess.confidence, supported, screened)
        spans = mentions[index] if mentions else None
        if spans:
            reasons = (*reasons, mention_reason(comment.body, spans))
        model_rejects = outcome == "reject"
        if rules is not None and observations is not None:
            outcome, reasons = rules.apply(observations[index], site, outcome, reasons, scores, lang=lang,
                                           mentions=spans)
        decisions.append(Decision(
            comment_id=comment.id,
            decision=outcome,
            scores=scores,
            reasons=reasons,
            model_version=version,
            decided_at=decided_at,
            latency_ms=latency(comment.ref),
            site=comment.site,
            thread=comment.thread,
            discard=model_rejects and site.discard(scores),
            lang=lang,
            lang_confidence=guess.confidence,
        ))
    return decisions


class _Terms(Mapping[str, tuple[str, ...]]):
    """Head -> its first 5 positive contributions' names, worked out only for the heads the policy asks about
    (those that drive a hold or a reject: most comments ask for none); heads without contributions are
    missing (the policy reads a missing head as no terms).

    :param heads: one comment's head scores.
    """

    __slots__ = ("_heads",)

    def __init__(self, heads: Mapping[str, HeadScoreLike]) -> None:
        self._heads = heads

    def __getitem__(self, head: str) -> tuple[str, ...]:
        contributions = self._heads[head].contributions
        if not contributions:
            raise KeyError(head)
        return tuple(name for name, weight in contributions if weight > 0)[:5]

    def __iter__(self) -> Iterator[str]:
        return (head for head, score in self._heads.items() if score.contributions)

    def __len__(self) -> int:
        return sum(1 for _ in self)

