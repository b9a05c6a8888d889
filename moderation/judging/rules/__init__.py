"""Rules that run beside the model, each giving a reason code.

* :mod:`~moderation.judging.rules.words`: ``words.banned`` (reject), ``words.suspect`` (review), through obfuscation.
* :mod:`~moderation.judging.rules.links`: ``links.too_many``, ``links.denied_domain`` (reject), ``links.new_author``.
* :mod:`~moderation.judging.rules.repeats`: ``repeat.author``, ``repeat.crowd``, ``rate.author``, ``rate.ip``.
* :mod:`~moderation.judging.rules.trust`: ``trust.new_author`` (review), ``trust.skip_review`` (approve).

:class:`~moderation.judging.rules.engine.RuleEngine` runs them on a batch with one Redis round trip. Their
settings are per site in ``config/policy.toml`` (:class:`moderation.judging.policy.RuleSettings`).
"""

from moderation.judging.rules.base import Finding, TextView
from moderation.judging.rules.engine import Observation, RuleEngine

__all__ = ["Finding", "Observation", "RuleEngine", "TextView"]
