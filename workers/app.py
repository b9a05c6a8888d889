"""The Celery application: Redis broker, JSON only, late acknowledgement, requeue on a lost worker.

Run a worker with ``make worker`` or ``celery -A workers.app worker``. Settings come from
:mod:`moderation.settings` (``REDIS_URL`` and friends) and are validated when this module is imported, so
a bad setting stops the worker at start-up with a clear message.
"""

from __future__ import annotations

import os

from celery import Celery

from moderation.logs import hash_key
from moderation.settings import Settings, load_settings
from moderation.store.connection import celery_broker
from moderation.store.tls import ssl_options
from workers.lease import transport_options as lease_options


def make_app(settings: Settings) -> Celery:
    """Build the Celery app for ``settings``.

    Results are not stored: the decision is published to Redis by the task itself. A ``redis+sentinel://``
    URL becomes kombu's ``sentinel://`` broker with the ``master_name`` transport option
    (:func:`moderation.store.connection.celery_broker`). Task events (for Flower, ``celery events``) are sent when
    the ``task_events`` setting is on (the default).
    """
    broker, transport_options = celery_broker(settings)
    app = Celery("moderation", broker=broker, include=["workers.tasks", "workers.rescore_task"])
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],  # never pickle from the broker
        result_accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,  # acknowledge only after the decision is published
        task_reject_on_worker_lost=True,  # a killed child's message goes back on the queue
        task_default_queue=settings.queue,
        task_default_exchange=settings.queue,
        task_default_routing_key=settings.queue,
        worker_prefetch_multiplier=max(4, settings.flush_every),  # a batch can only gather what was fetched
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        broker_connection_retry_on_startup=True,
        # leases: a message's visibility timeout runs only once its worker stops renewing it (workers/lease.py)
        broker_transport_options={**lease_options(settings.visibility_timeout_seconds), **transport_options},
        broker_use_ssl=ssl_options(settings.redis_url),  # rediss://: verify certificates unless the URL says not
        worker_consumer="workers.poison:DeadLetteringConsumer",  # undecodable messages go to dead letters
        worker_send_task_events=settings.task_events,
        task_send_sent_event=False,
    )
    app.conf.moderation_settings = settings
    from workers.lease import LeaseStep
    from workers.model_gate import ModelGate
    from workers.sweep_timer import SweepStep

    app.steps["consumer"].add(SweepStep)  # re-scheduled after each reconnection
    app.steps["consumer"].add(ModelGate)  # no consuming before a model can be served
    app.steps["consumer"].add(LeaseStep)  # renews the leases of the messages this worker holds
    import workers.heartbeat  # noqa: F401  (connects the heartbeat's signal handlers)
    return app


settings = load_settings()
if not os.environ.get("MODERATION_HASH_KEY"):
    hash_key()  # at start-up: generated (its path logged) on first start, or refused in a production profile
app = make_app(settings)
