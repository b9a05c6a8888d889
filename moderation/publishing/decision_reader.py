"""Following the decision stream with a consumer group: at-least-once, acknowledged.

Each backend process reads as one consumer of a group; Redis hands every decision to one consumer of the
group, and keeps it pending until acknowledged. Entries a crashed consumer left unacknowledged are claimed
by the others after ``claim_idle_ms``.

Across a Redis restart or a Sentinel failover the reader keeps its place: give it a connection from
:func:`moderation.intake.client.connect` (it retries for ``client_retry_seconds``, asking the Sentinels for
the new primary on each attempt), and the group, its pending entries and its last delivered id are on the new
primary (replicated). Should the group be missing there (created just before the failover and not yet
replicated, or a primary restarted without persistence), the reader creates it again at the last entry it
read, so it neither skips decisions nor starts over.

Example::

    reader = DecisionReader(redis, group="comments-backend", consumer="web-1")
    for entry in reader.follow():
        apply(entry.decision)        # your code: show, hide, or hold the comment
        reader.ack(entry)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from redis import Redis
from redis.exceptions import ResponseError

from moderation import keys
from moderation.records import Decision


@dataclass(frozen=True)
class StreamEntry:
    """One decision read from the stream, with the entry id to acknowledge."""

    entry_id: str
    decision: Decision


class DecisionReader:
    """Reads decisions as one consumer of a consumer group.

    :param redis: a connection, with ``decode_responses`` on or off (a plain ``Redis.from_url(url)`` answers
        bytes; both are read alike).
    :param group: the consumer group (one per application that consumes decisions).
    :param consumer: this process's name within the group.
    :param prefix: the key prefix the workers use.
    :param start: where a new group starts: ``"$"`` (only new decisions) or ``"0"`` (the whole stream).
    :param claim_idle_ms: entries left pending by another consumer this long are taken over.
    """

    def __init__(self, redis: Redis, *, group: str, consumer: str, prefix: str = keys.DEFAULT_PREFIX,
                 start: str = "$", claim_idle_ms: int = 60_000) -> None:
        self.redis = redis
        self.group = group
        self.consumer = consumer
        self.stream = keys.decisions_stream(prefix)
        self.claim_idle_ms = claim_idle_ms
        self.start = start
        #: The id of the last entry this reader was handed (where a lost group is created again).
        self.last_id: str | None = None
        self._create_group(start)

    def _create_group(self, start: str) -> None:
        try:
            self.redis.xgroup_create(self.stream, self.group, id=start, mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def read(self, count: int = 100, block_ms: int | None = 1000) -> list[StreamEntry]:
        """Read up to ``count`` entries: first this consumer's own unacknowledged ones, then entries idle in
        crashed consumers, then new ones (waiting up to ``block_ms``).
        """
        try:
            entries = self._read(count, block_ms)
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            self._create_group(self.last_id or self.start)  # the group was lost with a failover: resume it
            entries = self._read(count, block_ms)
        if entries:
            self.last_id = max([e.entry_id for e in entries] + ([self.last_id] if self.last_id else []),
                               key=_entry_order)
        return entries

    def _read(self, count: int, block_ms: int | None) -> list[StreamEntry]:
        entries = self._read_id("0", count, None)
        if not entries:
            entries = self._claim(count)
        if not entries:
            entries = self._read_id(">", count, block_ms)
        return entries

    def follow(self, count: int = 100, block_ms: int = 1000) -> Iterator[StreamEntry]:
        """Yield entries forever (acknowledge each with :meth:`ack` once handled)."""
        while True:
            yield from self.read(count=count, block_ms=block_ms)

    def ack(self, *entries: StreamEntry | str) -> int:
        """Acknowledge handled entries so they are not delivered again."""
        ids = [e.entry_id if isinstance(e, StreamEntry) else e for e in entries]
        return int(self.redis.xack(self.stream, self.group, *ids)) if ids else 0

    def _read_id(self, entry_id: str, count: int, block_ms: int | None) -> list[StreamEntry]:
        response: Any = self.redis.xreadgroup(self.group, self.consumer, {self.stream: entry_id}, count=count,
                                         block=block_ms)
        if not response:
            return []
        _stream, items = response[0]
        return [self._entry(i, f) for i, f in items if f]

    def _claim(self, count: int) -> list[StreamEntry]:
        result: Any = self.redis.xautoclaim(self.stream, self.group, self.consumer, self.claim_idle_ms,
                                       start_id="0-0", count=count)
        items = result[1] if result else []
        return [self._entry(i, f) for i, f in items if f]

    @staticmethod
    def _entry(entry_id: str | bytes, fields: dict[Any, Any]) -> StreamEntry:
        record = fields.get("record", fields.get(b"record"))
        if record is None:
            raise ValueError(f"decision stream entry {_text(entry_id)} has no 'record' field")
        return StreamEntry(entry_id=_text(entry_id), decision=Decision.from_json(record))


def _entry_order(entry_id: str) -> tuple[int, int]:
    millis, _, seq = entry_id.partition("-")
    return int(millis), int(seq or 0)


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
