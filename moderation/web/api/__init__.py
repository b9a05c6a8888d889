"""The HTTP API: any backend submits comments and reads decisions over HTTP with a per-site key.

* :mod:`moderation.web.api.app` -- the Starlette application (``/v1/...``), its OpenAPI document in
  ``data/openapi.json``.
* :mod:`moderation.web.api.lookup` -- where a comment stands for one site (decided, pending, refused, unknown).
* :mod:`moderation.web.api.waiting` -- long polls for decisions, woken by the decision channel.
* :mod:`moderation.web.api.cli` -- ``moderation api`` and ``moderation api-keys``.

It submits exactly as the Python client does (:class:`moderation.intake.client.ModerationClient`) and never
imports Celery or scikit-learn.
"""
