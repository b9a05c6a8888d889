"""Structured logging: one JSON object per line, with no raw email or IP address.

Log calls pass fields through ``extra={"fields": {...}}``; comment bodies, emails and IPs are never among
them (use :func:`keyed_hash` where an author must be correlated).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import sys
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
#: What looks like an IPv4 or IPv6 address in free text (logs redact them; the feedback export masks them).
IPV4_RE = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6_RE = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b")


def redact(text: str) -> str:
    """Replace anything that looks like an email or IP address in ``text`` with a placeholder."""
    text = _EMAIL.sub("<email>", text)
    text = IPV6_RE.sub("<ip>", text)
    return IPV4_RE.sub("<ip>", text)


def keyed_hash(value: str, key: str | None = None) -> str:
    """A keyed hash (HMAC-SHA256, 16 hex digits) of an email or IP, for correlation without the raw value.

    :param value: the raw value.
    :param key: the secret; by default ``MODERATION_HASH_KEY`` from the environment, else this install's
        generated key (:func:`hash_key`).
    """
    secret = key if key is not None else (os.environ.get("MODERATION_HASH_KEY") or hash_key())
    mac = _keyed_mac(secret).copy()
    mac.update(value.strip().lower().encode("utf-8"))
    return mac.hexdigest()[:16]


#: Where an install keeps its generated hash key (``MODERATION_HASH_KEY_FILE`` to put it elsewhere).
DEFAULT_HASH_KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "hash-key"


class HashKeyError(RuntimeError):
    """No hash key in a production profile: the message says what to set."""


def hash_key_file() -> Path:
    """The file this install's generated hash key is kept in."""
    named = os.environ.get("MODERATION_HASH_KEY_FILE")
    return Path(named) if named else DEFAULT_HASH_KEY_FILE


@lru_cache(maxsize=4)
def _file_key(path: Path, production: bool) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    if production:
        raise HashKeyError(f"MODERATION_PROFILE=production needs a hash key: set MODERATION_HASH_KEY (from your "
                           f"secret store), or put one in {path} (owner-only); hashed e-mails and IP addresses "
                           f"are reversible without a secret key")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process of this install generated it first
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secrets.token_urlsafe(32) + "\n")
    logging.getLogger("moderation.logs").warning(
        "generated this install's hash key (keep it: hashed authors and rate counters depend on it; every "
        "machine of one deployment needs the same one)", extra={"fields": {"path": str(path)}})
    return path.read_text(encoding="utf-8").strip()


def hash_key() -> str:
    """This install's hash key: the one in :func:`hash_key_file`, generated there (owner-only, its path logged) on
    first use. There is no shared default key: a public one made hashed e-mails and IPs reversible in
    milliseconds. With ``MODERATION_PROFILE=production`` nothing is generated: without ``MODERATION_HASH_KEY``
    or the file, :class:`HashKeyError` says what to set.
    """
    return _file_key(hash_key_file(), os.environ.get("MODERATION_PROFILE", "").lower() == "production")


@lru_cache(maxsize=8)
def _keyed_mac(secret: str) -> hmac.HMAC:
    """An HMAC-SHA256 object keyed with ``secret`` and fed nothing yet: :func:`keyed_hash` copies it rather
    than keying a new one for every value (the same digest, about half the work)."""
    return hmac.new(secret.encode(), digestmod=hashlib.sha256)


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line: time, level, logger, message and the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": redact(record.getMessage()),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            data.update({k: redact(v) if isinstance(v, str) else v for k, v in fields.items()})
        if record.exc_info:
            data["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", stream: Any = None) -> None:
    """Send the ``moderation``, ``workers`` and ``training`` loggers to ``stream`` (stderr) as JSON lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("moderation", "workers", "training"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
