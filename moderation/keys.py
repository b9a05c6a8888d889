"""Every Redis key, stream, channel and queue name the project uses, in one place.

All names start with a prefix (``moderation`` by default, ``MODERATION_PREFIX`` to change it) so that one
Redis server can hold several deployments side by side. Functions take the prefix explicitly; nothing here
reads settings.
"""

DEFAULT_PREFIX = "moderation"

#: Celery queue (a Redis list, as kombu lays it out) that submitted comments are pushed to.
DEFAULT_QUEUE = "moderation"
#: Name of the Celery task that scores a comment; the wire contract names it.
SCORE_TASK = "moderation.score"


def decision_key(prefix: str, comment_id: str) -> str:
    """Key of the stored decision (a JSON string) for one comment."""
    return f"{prefix}:decision:{comment_id}"


def decisions_stream(prefix: str) -> str:
    """Stream every decision is appended to (bounded by ``MAXLEN ~``)."""
    return f"{prefix}:decisions"


def decisions_channel(prefix: str) -> str:
    """Pub/sub channel every decision is announced on."""
    return f"{prefix}:decisions"


def pending_key(prefix: str) -> str:
    """Sorted set of accepted comment ids not yet decided, scored by submission time (ms)."""
    return f"{prefix}:pending"


def model_current_key(prefix: str) -> str:
    """Hash naming the model bundle every worker should serve (version, path, checksum)."""
    return f"{prefix}:model:current"


def model_channel(prefix: str) -> str:
    """Pub/sub channel on which a promotion or rollback is announced to running workers."""
    return f"{prefix}:model:changed"


def pending_payload_key(prefix: str) -> str:
    """Hash of accepted, undecided comment id -> queued payload, so an undecided comment can be requeued."""
    return f"{prefix}:pending:payload"


def dead_letter_stream(prefix: str) -> str:
    """Stream of inputs a worker could not moderate (invalid payloads, repeated failures), with the error."""
    return f"{prefix}:dead-letters"


def worker_key(prefix: str, hostname: str) -> str:
    """Heartbeat hash of one running worker (node name, model version, pid), with a short expiry."""
    return f"{prefix}:worker:{hostname}"
