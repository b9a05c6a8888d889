"""Rules that run beside the model, each giving a reason code.

* :mod:`~moderation.rules.words`: ``words.banned`` (reject), ``words.suspect`` (review), through obfuscation.
* :mod:`~moderation.rules.links`: ``links.too_many``, ``links.denied_domain`` (reject), ``links.new_author``.
* :mod:`~moderation.rules.repeats`: ``repeat.author``, ``repeat.crowd``, ``rate.author``, ``rate.ip``.
* :mod:`~moderation.rules.trust`: ``trust.new_author`` (review), ``trust.skip_review`` (approve).

:class:`~moderation.rules.engine.RuleEngine` runs them on a batch with one Redis round trip. Their
settings are per site in ``config/policy.toml`` (:class:`moderation.policy.RuleSettings`).
"""

from moderation.rules.base import Finding, TextView
from moderation.rules.engine import Observation, RuleEngine

__all__ = ["Finding", "Observation", "RuleEngine", "TextView"]
