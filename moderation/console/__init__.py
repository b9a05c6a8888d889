"""The moderators' console: a web page for the review queue, published decisions and the model's state.

It reads and writes only through the Redis contract the workers use (:mod:`moderation.review`,
:mod:`moderation.publishing`, :mod:`moderation.audit`, :mod:`moderation.health`, :mod:`moderation.metrics`), so
any number of console processes run beside any number of workers. It never imports Celery.

* :mod:`moderation.console.accounts` -- moderators' accounts (argon2 hashes in Redis).
* :mod:`moderation.console.sessions` -- login sessions, CSRF tokens and the login rate limit.
* :mod:`moderation.console.queue_view` -- the held comments as the queue page shows them.
* :mod:`moderation.console.decisions` -- searching published decisions.
* :mod:`moderation.console.model_view` -- the model, its evaluation and the recent decision mix.
* :mod:`moderation.console.app` -- the Starlette application; :mod:`moderation.console.cli` its commands.
"""
