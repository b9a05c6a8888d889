"""The moderators' console: a web page for the review queue, published decisions and the model's state.

It reads and writes only through the Redis contract the workers use (:mod:`moderation.review.queue`,
:mod:`moderation.publishing.publish`, :mod:`moderation.publishing.audit`, :mod:`moderation.ops.health`,
:mod:`moderation.ops.metrics`), so any number of console processes run beside any number of workers. It never
imports Celery.

* :mod:`moderation.web.console.accounts` -- moderators' accounts (argon2 hashes in Redis).
* :mod:`moderation.web.console.sessions` -- login sessions, CSRF tokens and the login rate limit.
* :mod:`moderation.web.console.queue_view` -- the held comments as the queue page shows them.
* :mod:`moderation.web.console.decisions` -- searching published decisions.
* :mod:`moderation.web.console.model_view` -- the model, its evaluation and the recent decision mix.
* :mod:`moderation.web.console.app` -- the Starlette application; :mod:`moderation.web.console.cli` its commands.
"""
