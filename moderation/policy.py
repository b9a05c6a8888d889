"""The moderation policy: how a comment's scores become approve, review or reject, with reasons.

Loaded from ``config/policy.toml`` (see the comments there) and validated at start-up.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

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

    @property
    def cutoff(self) -> float:
        """The single threshold used when the review band is off."""
        if self.reject_without_review is not None:
            return self.reject_without_review
        return (self.review + self.reject) / 2


@dataclass(frozen=True)
class SitePolicy:
    """The policy in force for one site."""

    review_band: bool = True
    heads: Mapping[str, HeadThresholds] = field(default_factory=dict)

    def decide(self, scores: Mapping[str, float],
               terms: Mapping[str, tuple[str, ...]] | None = None) -> tuple[Outcome, tuple[Reason, ...]]:
        """Map scores to an outcome and the reasons for it.

        :param scores: head -> probability.
        :param terms: head -> the words or signals that pushed that head's score most.
        """
        terms = terms or {}
        rejects: list[Reason] = []
        reviews: list[Reason] = []
        for head, limits in self.heads.items():
            score = scores.get(head)
            if score is None:
                continue
            if self.review_band:
                if score >= limits.reject:
                    rejects.append(_reason(head, "reject", score, limits.reject, terms))
                elif score >= limits.review:
                    reviews.append(_reason(head, "review", score, limits.review, terms))
            elif score >= limits.cutoff:
                rejects.append(_reason(head, "reject", score, limits.cutoff, terms))
        if rejects:
            return "reject", tuple(sorted(rejects, key=lambda r: -(r.score or 0)))
        if reviews:
            return "review", tuple(sorted(reviews, key=lambda r: -(r.score or 0)))
        return "approve", (Reason(code="ok", message="every score is below its review threshold"),)


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

    def for_site(self, site: str | None) -> SitePolicy:
        """The policy for ``site`` (the default one for an unknown or absent site)."""
        return self.sites.get(site, self.default) if site else self.default


class _HeadSchema(Schema):
    class Meta:
        unknown = RAISE

    review = fields.Float(validate=_PROBABILITY)
    reject = fields.Float(validate=_PROBABILITY)
    reject_without_review = fields.Float(validate=_PROBABILITY)


class _SiteSchema(Schema):
    class Meta:
        unknown = RAISE

    review_band = fields.Boolean()
    heads = fields.Dict(keys=fields.String(), values=fields.Nested(_HeadSchema))


class _PolicySchema(_SiteSchema):
    sites = fields.Dict(keys=fields.String(), values=fields.Nested(_SiteSchema))

    @validates_schema
    def complete_defaults(self, data: dict[str, Any], **_: Any) -> None:
        for head, limits in data.get("heads", {}).items():
            if "review" not in limits or "reject" not in limits:
                raise ValidationError("needs both review and reject", f"heads.{head}")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Policy:
        heads = {h: HeadThresholds(**v) for h, v in data.get("heads", {}).items()}
        default = SitePolicy(review_band=data.get("review_band", True), heads=heads)
        sites = {}
        for name, site in data.get("sites", {}).items():
            merged = dict(heads)
            for head, override in site.get("heads", {}).items():
                base = merged.get(head)
                if base is None and not {"review", "reject"} <= set(override):
                    raise ValidationError(f"sites.{name}.heads.{head}: a head not in the defaults needs review "
                                          "and reject")
                merged[head] = replace(base, **override) if base else HeadThresholds(**override)
            sites[name] = SitePolicy(review_band=site.get("review_band", default.review_band), heads=merged)
        policy = Policy(default=default, sites=sites)
        for label, site_policy in [("default", default), *sites.items()]:
            for head, limits in site_policy.heads.items():
                if limits.review > limits.reject:
                    raise ValidationError(f"{label}: heads.{head}: review ({limits.review}) must not be above "
                                          f"reject ({limits.reject})")
        return policy


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file.

    :raises PolicyError: naming the file, the setting and the rule it breaks.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"policy file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"policy file {path}: not valid TOML: {exc}") from None
    try:
        policy: Policy = _PolicySchema().load(raw)
    except ValidationError as exc:
        raise PolicyError(f"policy file {path}: {exc.messages}") from None
    return policy
