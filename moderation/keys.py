"""Every Redis key, stream, channel and queue name the project uses, in one place.

All names start with a prefix (``moderation`` by default, ``MODERATION_PREFIX`` to change it) so that one
Redis server can hold several deployments side by side. Functions take the prefix explicitly; nothing here
reads settings.
"""

DEFAULT_PREFIX = "moderation"

#: Celery queue (a Redis list, as kombu lays it out) that submitted comments are pushed to.
DEFAULT_QUEUE = "moderation"
#: Celery queue for bulk work (re-scoring backlogs), consumed by its own workers so live traffic never waits.
DEFAULT_BULK_QUEUE = "moderation-bulk"
#: Name of the Celery task that scores a comment; the wire contract names it.
SCORE_TASK = "moderation.score"
#: Name of the Celery task that re-scores already decided comments with the current model (``rescore``).
RESCORE_TASK = "moderation.rescore"


def comment_ref(site: str | None, comment_id: str) -> str:
    """How one comment is named where every site's comments meet (the pending set and hashes, the held items,
    the per-comment keys below): its id when it has no site (as before sites were scoped), else its site, a
    space and its id (``news 1001``). Ids cannot hold a space, so no two comments share a ref: site-a's and
    site-b's comment ``1001`` are two comments.

    :param site: the comment's site (None or "": none).
    :param comment_id: the comment's id within its site.
    """
    return f"{site} {comment_id}" if site else comment_id


def split_ref(ref: str) -> tuple[str | None, str]:
    """The site (None: none) and id of a :func:`comment_ref`."""
    site, sep, comment_id = ref.partition(" ")
    return (site, comment_id) if sep else (None, ref)


def decision_key(prefix: str, site: str | None, comment_id: str) -> str:
    """Key of the stored decision (a JSON string) for one comment of one site (None: no site)."""
    return f"{prefix}:decision:{comment_ref(site, comment_id)}"


def decisions_stream(prefix: str) -> str:
    """Stream every decision is appended to (bounded by ``MAXLEN ~``)."""
    return f"{prefix}:decisions"


def decisions_channel(prefix: str) -> str:
    """Pub/sub channel every decision is announced on."""
    return f"{prefix}:decisions"


def pending_key(prefix: str) -> str:
    """Sorted set of accepted comment ids not yet decided, scored by their first submission time (ms)."""
    return f"{prefix}:pending"


def pending_requeued_key(prefix: str) -> str:
    """Sorted set of pending comment ids the sweep queued again, scored by when it last did (ms)."""
    return f"{prefix}:pending:requeued"


def model_current_key(prefix: str) -> str:
    """Hash naming the model bundle every worker should serve (version, path, checksum)."""
    return f"{prefix}:model:current"


def model_bundle_key(prefix: str, version: str) -> str:
    """A promoted bundle's zipped bytes (base64), so workers on machines without the file can fetch it."""
    return f"{prefix}:model:bundle:{version}"


def model_history_key(prefix: str) -> str:
    """List of promoted versions, oldest first (what ``rollback`` goes back along)."""
    return f"{prefix}:model:history"


def model_default_lock_key(prefix: str) -> str:
    """Lock held while the default model is trained, so concurrent starters train it once."""
    return f"{prefix}:model:default-lock"


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


def sweep_lock_key(prefix: str) -> str:
    """Short-lived lock that lets one worker at a time run the sweep of undecided comments."""
    return f"{prefix}:sweep:lock"


def author_key(prefix: str, site: str | None, author: str) -> str:
    """Hash of one author's history on a site (``approved``, ``rejected`` counts) that trust is built from.

    :param author: the author's identity (:func:`moderation.judging.rules.trust.author_identity`): an id, or a keyed
        hash of the email or IP address, never the raw value.
    """
    return f"{prefix}:author:{_site(site)}:{author}"


def rate_key(prefix: str, site: str | None, kind: str, who: str, bucket: int) -> str:
    """Counter of comments from one author or IP (``kind``: ``author`` or ``ip``) in one fixed time window."""
    return f"{prefix}:rate:{_site(site)}:{kind}:{who}:{bucket}"


def repeat_key(prefix: str, site: str | None, fingerprint: str) -> str:
    """Hash of author -> count of comments with the same normalized text in the repeat window."""
    return f"{prefix}:repeat:{_site(site)}:{fingerprint}"


def review_queue_key(prefix: str, site: str | None) -> str:
    """Sorted set of comment ids held for review on one site, scored by when they were held (ms)."""
    return f"{prefix}:review:queue:{_site(site)}"


def review_sites_key(prefix: str) -> str:
    """Set of the sites that have had a review queue (so ``review list`` can visit them all)."""
    return f"{prefix}:review:sites"


def review_items_key(prefix: str) -> str:
    """Hash of comment id -> held item (the cleaned comment, its scores and reasons) awaiting a verdict."""
    return f"{prefix}:review:items"


def comment_text_key(prefix: str, site: str | None, comment_id: str) -> str:
    """A decided comment's text and site, kept a while so ``report-spam``/``report-ham`` can label it."""
    return f"{prefix}:comment:{comment_ref(site, comment_id)}"


def label_key(prefix: str, site: str | None, comment_id: str) -> str:
    """The last label given to a comment (``approve``, ``reject``, ``spam``, ``ham``): makes verdicts and
    reports idempotent."""
    return f"{prefix}:label:{comment_ref(site, comment_id)}"


def feedback_stream(prefix: str) -> str:
    """Stream of labelled examples from moderators' verdicts and reports, read by ``export-feedback``."""
    return f"{prefix}:feedback"


def audit_stream(prefix: str) -> str:
    """Stream of every decision and moderator action: who, what, when, why (bounded by ``MAXLEN ~``)."""
    return f"{prefix}:audit"


def metrics_key(prefix: str) -> str:
    """Hash of the workers' counters (decisions by outcome, latency histogram buckets), read by ``metrics``."""
    return f"{prefix}:metrics"


def rescore_stream(prefix: str) -> str:
    """Stream of re-scoring results (old and new decision per comment and run), read by ``rescore``."""
    return f"{prefix}:rescore"


def console_moderator_key(prefix: str, name: str) -> str:
    """Hash of one console account: ``role``, ``password`` (an argon2 hash, never the password) and ``created_at``."""
    return f"{prefix}:console:moderator:{name}"


def console_moderators_key(prefix: str) -> str:
    """Set of the console's account names."""
    return f"{prefix}:console:moderators"


def console_session_key(prefix: str, token_hash: str) -> str:
    """Hash of one console session (``name``, ``role``, ``csrf``), keyed by the SHA-256 of its cookie; expires."""
    return f"{prefix}:console:session:{token_hash}"


def console_sessions_key(prefix: str, name: str) -> str:
    """Set of one account's session keys, so removing the account ends its sessions."""
    return f"{prefix}:console:sessions:{name}"


def console_login_failures_key(prefix: str, who: str) -> str:
    """Counter of failed console logins for one account name or client (a keyed hash), in a fixed window."""
    return f"{prefix}:console:login-failures:{who}"


#: Stands for "no site" in per-site key names (``~`` cannot occur in a site name).
NO_SITE = "~"


def _site(site: str | None) -> str:
    return site or NO_SITE


def revision_key(prefix: str, site: str | None, comment_id: str) -> str:
    """Hash of one comment's published revision: ``revision`` (its number), ``digest`` (of the decided body) and
    ``d:<digest>`` -> revision for every body decided so far (a late copy of an old body is not an edit)."""
    return f"{prefix}:revision:{comment_ref(site, comment_id)}"


def pending_digest_key(prefix: str) -> str:
    """Hash of accepted, undecided comment id -> digest of the body queued last (an edit supersedes the body
    queued before it)."""
    return f"{prefix}:pending:digest"


def redis_event_lock_key(prefix: str) -> str:
    """Short-lived lock that lets one worker requeue what a Redis event (restart, failover) left undecided."""
    return f"{prefix}:redis-event:lock"


def worker_loop_key(prefix: str, node: str) -> str:
    """A worker's consuming loop's beat (seconds since the epoch), written by that loop itself with a short
    expiry: a worker whose main process stalls (SIGSTOP, a hung loop) stops counting as alive."""
    return f"{prefix}:worker-loop:{node}"


def pending_attempts_key(prefix: str) -> str:
    """Hash of pending comment id -> JSON list of the times (ms) the sweep queued it again; after
    ``moderation.publishing.sweep.MAX_REQUEUES`` of them the comment is dead-lettered with that history."""
    return f"{prefix}:pending:attempts"


def refused_key(prefix: str, site: str | None, comment_id: str) -> str:
    """Why a worker refused one comment (dead-lettered it): the error, kept as long as a decision, so that
    ``moderation decision`` answers ``refused`` rather than ``unknown``; a later decision supersedes it."""
    return f"{prefix}:refused:{comment_ref(site, comment_id)}"


def api_keys_key(prefix: str) -> str:
    """Hash of the HTTP API's keys: SHA-256 of a key -> JSON (``id``, ``site``, ``created_at``); never the key."""
    return f"{prefix}:api:keys"


def api_rate_key(prefix: str, key_id: str, window: int) -> str:
    """Counter of one API key's requests in one fixed window (expires with it)."""
    return f"{prefix}:api:rate:{key_id}:{window}"


def webhooks_key(prefix: str) -> str:
    """Hash of webhook id -> JSON (``id``, ``site``, ``url``, ``secret``, ``created_at``)."""
    return f"{prefix}:webhooks"


#: Consumer group of the decision stream that webhook delivery reads as.
WEBHOOK_GROUP = "webhooks"


def webhook_jobs_key(prefix: str) -> str:
    """Hash of delivery id -> JSON of one webhook delivery still to make (its body, URL, attempts)."""
    return f"{prefix}:webhooks:jobs"


def webhook_due_key(prefix: str) -> str:
    """Sorted set of delivery ids by when they may next be attempted (ms); a taken one is pushed to the end of
    its lease, so a deliverer that dies leaves it to the others."""
    return f"{prefix}:webhooks:due"


def webhook_taken_key(prefix: str) -> str:
    """Hash of the delivery ids being attempted now -> the end of their lease (ms)."""
    return f"{prefix}:webhooks:taken"


def webhook_dead_letters_stream(prefix: str) -> str:
    """Stream of webhook deliveries given up after their retry time, with the last error."""
    return f"{prefix}:webhooks:dead-letters"
