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
import sys
from datetime import UTC, datetime
from functools import lru_cache
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
    :param key: the secret; ``MODERATION_HASH_KEY`` from the environment by default.
    """
    secret = key if key is not None else os.environ.get("MODERATION_HASH_KEY", "moderation-default-key")
    mac = _keyed_mac(secret).copy()
    mac.update(value.strip().lower().encode("utf-8"))
    return mac.hexdigest()[:16]


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
