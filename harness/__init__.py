"""Measuring and demonstrating the production code, never part of it.

``make run`` (:mod:`harness.demo`), ``make bench`` (:mod:`harness.bench`) and ``make chaos``
(:mod:`harness.chaos`) start real Redis servers and worker processes and push comments through them; the
tests reuse the same pieces. The production packages (``moderation``, ``workers``, ``training``) never import
this one (``tests/test_package_boundaries.py``), and it is not part of the installed distribution: it runs
from a checkout. The fault hook (:mod:`harness.faults`) is loaded only into workers started for chaos
scenarios and tests.
"""
