"""Settings: one place, read from ``config/settings.toml`` and the environment, validated at start-up.

Precedence, lowest first: built-in defaults, the settings file (``MODERATION_SETTINGS_FILE`` or
``config/settings.toml``), then environment variables. Secrets (the Redis password, the hashing key) are
read only from the environment.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from moderation import keys
from moderation.intake.field_rules import SITE
from moderation.models.bundle import SHIPPED_MODEL_DIR
from moderation.store.sentinel_url import SENTINEL_SCHEMES, parse_sentinel_url
from moderation.store.tls import ssl_options

#: The project root: relative paths in settings are resolved against it.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS_FILE = PROJECT_ROOT / "config" / "settings.toml"

#: Environment variable -> settings field.
ENV_VARS: Mapping[str, str] = {
    "REDIS_URL": "redis_url",
    "MODERATION_PREFIX": "prefix",
    "MODERATION_QUEUE": "queue",
    "MODERATION_BULK_QUEUE": "bulk_queue",
    "MODERATION_DECISION_TTL": "decision_ttl_seconds",
    "MODERATION_STREAM_MAXLEN": "stream_maxlen",
    "MODERATION_BATCH_SIZE": "batch_size",
    "MODERATION_VISIBILITY_TIMEOUT": "visibility_timeout_seconds",
    "MODERATION_MODELS_DIR": "models_dir",
    "MODERATION_DEFAULT_MODEL": "default_model",
    "MODERATION_POLICY_FILE": "policy_file",
    "MODERATION_MODEL_REFRESH": "model_refresh_seconds",
    "MODERATION_LOG_LEVEL": "log_level",
    "MODERATION_SWEEP_AFTER": "sweep_after_seconds",
    "MODERATION_FLUSH_EVERY": "flush_every",
    "MODERATION_CLIENT_RETRY": "client_retry_seconds",
    "MODERATION_FLUSH_INTERVAL_MS": "flush_interval_ms",
    "MODERATION_SWEEP_INTERVAL": "sweep_interval_seconds",
    "MODERATION_HEARTBEAT": "heartbeat_seconds",
    "MODERATION_TASK_EVENTS": "task_events",
    "MODERATION_CONSOLE_SECURE_COOKIES": "console_secure_cookies",
    "MODERATION_CONSOLE_SESSION_HOURS": "console_session_hours",
    "MODERATION_SUBMIT_WAIT_REPLICAS": "submit_wait_replicas",
    "MODERATION_SUBMIT_WAIT_TIMEOUT_MS": "submit_wait_timeout_ms",
    "MODERATION_HEALTH_MAX_UNDECIDED": "health_max_undecided_seconds",
    "MODERATION_REVIEW_RETENTION_DAYS": "review_retention_days",
    "MODERATION_CONSOLE_TRUSTED_PROXIES": "console_trusted_proxies",
    "MODERATION_API_MAX_BODY_BYTES": "api_max_body_bytes",
    "MODERATION_API_MAX_BATCH": "api_max_batch",
    "MODERATION_API_RATE_LIMIT": "api_rate_limit",
    "MODERATION_WEBHOOK_RETRY_SECONDS": "webhook_retry_seconds",
    "MODERATION_WEBHOOK_BACKOFF_MAX": "webhook_backoff_max_seconds",
    "MODERATION_WEBHOOK_TIMEOUT": "webhook_timeout_seconds",
    "MODERATION_WEBHOOK_CONCURRENCY": "webhook_concurrency",
}


class SettingsError(ValueError):
    """Raised when the settings are invalid; the message names each bad setting and why."""


@dataclass(frozen=True)
class Settings:
    """Validated settings. Build one with :func:`load_settings`."""

    redis_url: str
    prefix: str = keys.DEFAULT_PREFIX
    queue: str = keys.DEFAULT_QUEUE
    bulk_queue: str = keys.DEFAULT_BULK_QUEUE
    decision_ttl_seconds: int = 7 * 24 * 3600
    stream_maxlen: int = 100_000
    batch_size: int = 100
    visibility_timeout_seconds: int = 15
    models_dir: Path = PROJECT_ROOT / "models"
    #: The bundle served when no model was promoted: the one shipped with the package, a directory, or None.
    default_model: Path | None = SHIPPED_MODEL_DIR
    policy_file: Path = PROJECT_ROOT / "config" / "policy.toml"
    model_refresh_seconds: float = 2.0
    log_level: str = "INFO"
    sweep_after_seconds: float = 120.0
    flush_every: int = 32
    client_retry_seconds: float = 30.0
    flush_interval_ms: float = 3.0
    sweep_interval_seconds: float = 30.0
    heartbeat_seconds: float = 5.0
    task_events: bool = True
    console_secure_cookies: bool = True
    console_session_hours: float = 12.0
    #: Replicas a submission must reach (Redis WAIT) before its receipt says queued; -1: 1 through Sentinel,
    #: else 0 (see docs/high-availability.md).
    submit_wait_replicas: int = -1
    submit_wait_timeout_ms: int = 1000
    #: ``moderation health`` fails (exit 8) when the oldest undecided comment is older than this.
    health_max_undecided_seconds: float = 60.0
    #: A held comment no moderator decided within this many days leaves the review queue (its decision stays).
    review_retention_days: float = 30.0

    @property
    def wait_replicas(self) -> int:
        """How many replicas a submission waits for: ``submit_wait_replicas``, or with -1 (auto) 1 through
        Sentinel and 0 for one server."""
        if self.submit_wait_replicas >= 0:
            return self.submit_wait_replicas
        return 1 if urlsplit(self.redis_url).scheme in SENTINEL_SCHEMES else 0

    #: Comma-separated addresses of the reverse proxies whose X-Forwarded-For the console believes ("": none).
    console_trusted_proxies: str = ""
    api_max_body_bytes: int = 2 * 1024 * 1024
    api_max_batch: int = 100
    api_rate_limit: int = 100
    webhook_retry_seconds: float = 86400.0
    webhook_backoff_max_seconds: float = 60.0
    webhook_timeout_seconds: float = 5.0
    webhook_concurrency: int = 16

    @property
    def redacted_redis_url(self) -> str:
        """The Redis URL with any password replaced by ``***``, for logs and messages."""
        return redact_url(self.redis_url)


def _redis_url(value: str) -> bool:
    scheme = urlsplit(value).scheme
    if scheme not in {"redis", "rediss", "unix", *SENTINEL_SCHEMES}:
        raise ValidationError("must be a redis://, rediss://, unix:// or redis+sentinel:// URL")
    if scheme in SENTINEL_SCHEMES:
        try:
            parse_sentinel_url(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    if scheme == "rediss":
        try:
            ssl_options(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    return True


# Key prefixes and queue names follow the rule of site names (ending in "\Z": "$" let "mod\n" through).
_NAME = SITE


class _SettingsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    redis_url = fields.String(required=True, validate=lambda value: _redis_url(value))
    prefix = fields.String(validate=_NAME)
    queue = fields.String(validate=_NAME)
    bulk_queue = fields.String(validate=_NAME)
    decision_ttl_seconds = fields.Integer(strict=False, validate=validate.Range(min=60))
    stream_maxlen = fields.Integer(strict=False, validate=validate.Range(min=100))
    batch_size = fields.Integer(strict=False, validate=validate.Range(min=1, max=1000))
    visibility_timeout_seconds = fields.Integer(strict=False, validate=validate.Range(min=5))
    models_dir = fields.String(validate=validate.Length(min=1))
    default_model = fields.String(validate=validate.Length(min=1))
    policy_file = fields.String(validate=validate.Length(min=1))
    model_refresh_seconds = fields.Float(validate=validate.Range(min=0.1, max=3600))
    log_level = fields.String(validate=validate.OneOf(["DEBUG", "INFO", "WARNING", "ERROR"]))
    sweep_after_seconds = fields.Float(validate=validate.Range(min=1))
    flush_every = fields.Integer(strict=False, validate=validate.Range(min=1, max=1000))
    client_retry_seconds = fields.Float(validate=validate.Range(min=0, max=3600))
    flush_interval_ms = fields.Float(validate=validate.Range(min=0.5, max=10_000))
    sweep_interval_seconds = fields.Float(validate=validate.Range(min=0.5))
    heartbeat_seconds = fields.Float(validate=validate.Range(min=0.2, max=300))
    task_events = fields.Boolean()
    console_secure_cookies = fields.Boolean()
    console_session_hours = fields.Float(validate=validate.Range(min=0.1, max=24 * 30))
    submit_wait_replicas = fields.Integer(strict=False, validate=validate.Range(min=-1, max=16))
    submit_wait_timeout_ms = fields.Integer(strict=False, validate=validate.Range(min=10, max=60_000))
    health_max_undecided_seconds = fields.Float(validate=validate.Range(min=1))
    review_retention_days = fields.Float(validate=validate.Range(min=0.01))
    console_trusted_proxies = fields.String(validate=validate.Regexp(
        r"^[0-9A-Fa-f.:/, ]*$", error="must be comma-separated IP addresses or networks"))
    api_max_body_bytes = fields.Integer(strict=False, validate=validate.Range(min=1024, max=64 * 1024 * 1024))
    api_max_batch = fields.Integer(strict=False, validate=validate.Range(min=1, max=1000))
    api_rate_limit = fields.Integer(strict=False, validate=validate.Range(min=1))
    webhook_retry_seconds = fields.Float(validate=validate.Range(min=1))
    webhook_backoff_max_seconds = fields.Float(validate=validate.Range(min=0.1, max=3600))
    webhook_timeout_seconds = fields.Float(validate=validate.Range(min=0.1, max=300))
    webhook_concurrency = fields.Integer(strict=False, validate=validate.Range(min=1, max=1000))

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Settings:
        for name in ("models_dir", "policy_file"):
            if name in data:
                path = Path(data[name])
                data[name] = path if path.is_absolute() else PROJECT_ROOT / path
        if "default_model" in data:
            data["default_model"] = _default_model(data["default_model"])
        return Settings(**data)


def _default_model(value: str) -> Path | None:
    """``shipped`` (the bundle in the package), ``none`` (no fallback) or a bundle directory."""
    if value.lower() == "shipped":
        return SHIPPED_MODEL_DIR
    if value.lower() == "none":
        return None
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def redact_url(url: str) -> str:
    """Return ``url`` with its password (if any) replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def load_settings(env: Mapping[str, str] | None = None, settings_file: Path | None = None) -> Settings:
    """Read, merge and validate the settings.

    :param env: the environment to read overrides from (``os.environ`` by default).
    :param settings_file: the TOML settings file; ``MODERATION_SETTINGS_FILE`` or ``config/settings.toml``
        by default. A missing default file is fine; a missing named file is an error.
    :raises SettingsError: naming every invalid setting and the rule it breaks.
    """
    env = os.environ if env is None else env
    named = settings_file or (Path(env["MODERATION_SETTINGS_FILE"]) if env.get("MODERATION_SETTINGS_FILE") else None)
    path = named or DEFAULT_SETTINGS_FILE
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"settings file {path}: not valid TOML: {exc}") from exc
    elif named is not None:
        raise SettingsError(f"settings file {path} does not exist")
    unknown = sorted(set(raw) - set(_SettingsSchema().fields))
    if unknown:
        raise SettingsError(f"settings file {path}: unknown setting(s): {', '.join(unknown)}")
    for var, name in ENV_VARS.items():
        if env.get(var):
            raw[name] = env[var]
    raw.setdefault("redis_url", "redis://127.0.0.1:6379/0")
    try:
        settings: Settings = _SettingsSchema().load(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in _flat(exc.messages))
        raise SettingsError(f"invalid settings ({path}, environment): {problems}") from exc
    return settings


def _flat(messages: Any) -> list[tuple[str, list[Any]]]:
    if isinstance(messages, dict):
        return [(str(k), v if isinstance(v, list) else [v]) for k, v in messages.items()]
    return [("_schema", list(messages))]
