"""The private internals the worker patches or reads are still there, as they were when the patches were written.

``workers/batching.py`` overrides celery-batches' ``Batches`` (its flush timer and buffer) and reads the size of
celery's prefork pool and billiard's table of outstanding jobs; ``workers/transport.py`` wraps methods of kombu's
Redis transport; ``workers/poison.py`` overrides Celery's consumer hooks. None of that is public API, so
``pyproject.toml`` bounds those packages to the versions checked. When a bound is raised, this test says which
internal is gone or changed, instead of a worker that silently stops re-arming its timer or holding batches.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import time
from collections.abc import Callable
from queue import Queue
from typing import Any
from unittest import mock

import pytest

#: (distribution, dotted name, the parameters it must take, who relies on it and how).
SIGNATURES: list[tuple[str, str, tuple[str, ...], str]] = [
    ("celery-batches", "celery_batches.Batches.Strategy", ("self", "task", "app", "consumer"),
     "workers/batching.py forgets the previous consumer's flush timer, then calls it"),
    ("celery-batches", "celery_batches.Batches._do_flush", ("self",),
     "workers/batching.py holds a partial batch back while the pool is busy"),
    ("kombu", "kombu.transport.redis.Channel._brpop_read", ("self", "**options"),
     "workers/transport.py turns a popped item that is no message into a dead letter"),
    ("kombu", "kombu.transport.redis.Channel._get", ("self", "queue"),
     "workers/transport.py turns a popped item that is no message into a dead letter"),
    ("kombu", "kombu.transport.redis.QoS.ack", ("self", "delivery_tag"),
     "workers/transport.py tolerates an acknowledgement lost in a reconnect"),
    ("kombu", "kombu.transport.redis.QoS.reject", ("self", "delivery_tag", "requeue"),
     "workers/transport.py tolerates a rejection lost in a reconnect"),
    ("kombu", "kombu.transport.redis.loads", ("s", "_loads", "decode_bytes", "object_hook"),
     "workers/transport.py swaps the transport's JSON parser while a queue item is read"),
    ("celery", "celery.worker.consumer.Consumer.on_decode_error", ("self", "message", "exc"),
     "workers/poison.py dead-letters an undecodable message"),
    ("celery", "celery.worker.consumer.Consumer.on_invalid_task", ("self", "body", "message", "exc"),
     "workers/poison.py dead-letters a refused (pickle) or malformed task message"),
    ("celery", "celery.worker.consumer.Consumer.on_unknown_message", ("self", "body", "message"),
     "workers/poison.py dead-letters a message that is not a task message"),
    ("celery", "celery.worker.consumer.Consumer.on_unknown_task", ("self", "body", "message", "exc"),
     "workers/poison.py dead-letters a message naming an unknown task"),
]
#: (distribution, dotted name of a function or class, text its source must hold, who relies on it and how).
SOURCES: list[tuple[str, str, str, str]] = [
    ("celery-batches", "celery_batches.Batches.Strategy", "self._tref = timer.call_repeatedly(",
     "workers/batching.py re-arms the flush timer by clearing _tref (celery-batches#107)"),
    ("celery-batches", "celery_batches.Batches.Strategy", "self._pool = consumer.pool",
     "workers/batching.py asks the consumer's pool whether every process is busy"),
    ("celery", "celery.concurrency.prefork.TaskPool.on_start", "self._pool = Pool(",
     "workers/batching.py reads billiard's pool from celery's TaskPool._pool"),
    ("billiard", "billiard.pool.Pool.__init__", "self._cache = {}",
     "workers/batching.py counts outstanding batches in billiard's Pool._cache"),
    ("kombu", "kombu.transport.redis.Channel._brpop_read", "loads(",
     "workers/transport.py expects the popped item to go through the module's loads"),
    ("kombu", "kombu.transport.redis.Channel._get", "loads(",
     "workers/transport.py expects the popped item to go through the module's loads"),
]


def resolve(dotted: str) -> Any:
    """The object named ``dotted`` (a module, then attributes), or an AssertionError naming what is missing."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for index, attribute in enumerate(parts[split:], start=split):
            if not hasattr(target, attribute):
                raise AssertionError(f"{'.'.join(parts[:index + 1])} is missing")
            target = getattr(target, attribute)
        return target
    raise AssertionError(f"no module of {dotted} can be imported")


def parameters(function: Callable[..., Any]) -> tuple[str, ...]:
    """The parameter names of ``function``, ``*args``/``**kwargs`` written as such."""
    prefix = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return tuple(prefix.get(p.kind, "") + p.name for p in inspect.signature(function).parameters.values())


def version(distribution: str) -> str:
    return f"{distribution} {importlib.metadata.version(distribution)}"


@pytest.mark.parametrize(("distribution", "dotted", "expected", "why"), SIGNATURES,
                         ids=[row[1] for row in SIGNATURES])
def test_each_patched_internal_exists_with_the_signature_it_was_written_against(
        distribution: str, dotted: str, expected: tuple[str, ...], why: str) -> None:
    # Given the installed version of the package / When the internal is looked up
    try:
        found = parameters(resolve(dotted))
    except AssertionError as exc:
        pytest.fail(f"{version(distribution)}: {exc}; {why}")
    # Then it takes the parameters the patch was written for
    assert found == expected, f"{version(distribution)}: {dotted}{found} changed (was {expected}); {why}"


@pytest.mark.parametrize(("distribution", "dotted", "text", "why"), SOURCES, ids=[f"{r[1]}:{r[2]}" for r in SOURCES])
def test_each_internal_the_patches_rely_on_is_still_used_as_they_expect(
        distribution: str, dotted: str, text: str, why: str) -> None:
    # Given the installed version of the package / When the source of the internal is read
    try:
        source = inspect.getsource(resolve(dotted))
    except AssertionError as exc:
        pytest.fail(f"{version(distribution)}: {exc}; {why}")
    # Then it still does what the patch relies on
    assert text in source, f"{version(distribution)}: {dotted} no longer holds {text!r}; {why}"


def test_the_batch_task_keeps_its_buffer_timer_and_pool_where_the_override_reads_them() -> None:
    # Given the worker's batch task, and a consumer with a pool
    from workers.tasks import score

    consumer = mock.MagicMock()
    for name in ("_buffer", "_tref", "_pool"):
        assert hasattr(score, name), f"{version('celery-batches')}: Batches has no {name} (batching.py reads it)"
    assert isinstance(score._buffer, Queue), f"{version('celery-batches')}: Batches._buffer is no queue.Queue"
    # When the handler is built for the consumer / Then the task holds that consumer's pool
    try:
        score.Strategy(score, score.app, consumer)
        assert score._pool is consumer.pool, f"{version('celery-batches')}: Strategy no longer keeps consumer.pool"
    finally:
        score._pool = None


def test_billiards_table_of_outstanding_jobs_counts_a_job_until_it_is_done() -> None:
    # Given a real billiard pool of one process
    from billiard.pool import Pool

    pool = Pool(processes=1)
    try:
        # When a job is running / Then the table the batching reads holds it, and it empties when the job is done
        result = pool.apply_async(time.sleep, (0.2,))
        assert len(pool._cache) == 1, f"{version('billiard')}: Pool._cache does not hold a running job"
        result.get(timeout=30)
        deadline = time.monotonic() + 30
        while pool._cache and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not pool._cache, f"{version('billiard')}: Pool._cache still holds a finished job"
    finally:
        pool.terminate()
        pool.join()


def test_kombus_qos_keeps_delivered_and_acknowledged_tags_where_the_leases_read_them() -> None:
    # Given kombu's virtual QoS holding two delivered messages
    from kombu.transport.virtual.base import QoS

    from workers.lease import held_tags

    qos = QoS(mock.MagicMock(), prefetch_count=0)
    qos.append(mock.MagicMock(), "tag-a")
    qos.append(mock.MagicMock(), "tag-b")
    # When one is acknowledged
    qos.ack("tag-a")
    # Then workers/lease.py (QoS._delivered minus QoS._dirty) renews the lease of the other only
    assert held_tags(qos) == ["tag-b"], f"{version('kombu')}: QoS._delivered/_dirty changed (lease.py reads them)"
