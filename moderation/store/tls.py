"""TLS options for ``rediss://`` URLs, read from the URL's query string.

redis-py reads ``ssl_cert_reqs``, ``ssl_ca_certs``, ``ssl_certfile`` and ``ssl_keyfile`` from a URL's query
itself; Celery's broker connection does not, and without options kombu falls back to not verifying the
server's certificate. :func:`ssl_options` turns the same query parameters into Celery's ``broker_use_ssl``,
verifying certificates unless the URL says otherwise (``?ssl_cert_reqs=none``).
"""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: ``ssl_cert_reqs`` values accepted in a URL, as redis-py spells them.
CERT_REQS = {"required": ssl.CERT_REQUIRED, "optional": ssl.CERT_OPTIONAL, "none": ssl.CERT_NONE}
_FILES = ("ssl_ca_certs", "ssl_certfile", "ssl_keyfile")


def ssl_options(url: str) -> dict[str, Any] | None:
    """Celery's ``broker_use_ssl`` for a Redis URL: None for ``redis://``, a dict for ``rediss://``.

    :param url: the Redis URL; its query may hold ``ssl_cert_reqs`` (``required``, ``optional`` or
        ``none``; ``required`` by default) and the file paths ``ssl_ca_certs``, ``ssl_certfile``,
        ``ssl_keyfile``.
    :raises ValueError: for an unknown ``ssl_cert_reqs`` value.
    """
    parts = urlsplit(url)
    if parts.scheme != "rediss":
        return None
    query = {name: values[-1] for name, values in parse_qs(parts.query).items() if values}
    reqs = query.get("ssl_cert_reqs", "required").strip().lower().removeprefix("cert_")
    if reqs not in CERT_REQS:
        raise ValueError(f"ssl_cert_reqs must be one of {', '.join(CERT_REQS)} (got {reqs!r})")
    options: dict[str, Any] = {"ssl_cert_reqs": CERT_REQS[reqs]}
    options.update({name: query[name] for name in _FILES if query.get(name)})
    return options
