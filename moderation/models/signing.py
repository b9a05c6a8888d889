"""Bundle signatures: an HMAC-SHA256 of ``model.npz``'s sha256 under a secret key.

When ``MODEL_KEY_ENV`` (``MODERATION_MODEL_KEY``) is set, :func:`moderation.models.bundle.save_bundle` stores the
signature in the bundle's metadata (``model_signature``) and :func:`moderation.models.bundle.load_state` refuses a
bundle whose signature is missing or wrong, before anything is deserialized: a bundle dropped into the models
directory (or into Redis) by someone without the key is never loaded. Without the key, bundles are checked
by checksum only, as before.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from typing import Any

#: Environment variable holding the signing key (a secret: never in the settings file).
MODEL_KEY_ENV = "MODERATION_MODEL_KEY"
#: Metadata field holding the signature.
SIGNATURE_FIELD = "model_signature"


class SignatureError(ValueError):
    """A bundle's signature is missing or does not match."""


def model_key(env: Mapping[str, str] | None = None) -> bytes | None:
    """The signing key from the environment, or None when signing is off.

    :param env: the environment (``os.environ`` by default).
    """
    value = (os.environ if env is None else env).get(MODEL_KEY_ENV, "")
    return value.encode("utf-8") if value else None


def sign(model_sha256: str, key: bytes) -> str:
    """The hex HMAC-SHA256 of a model checksum under ``key``.

    :param model_sha256: hex sha256 of ``model.npz``.
    :param key: the secret key.
    """
    return hmac.new(key, model_sha256.encode("ascii"), hashlib.sha256).hexdigest()


def signature_fields(model_sha256: str, key: bytes | None = None) -> dict[str, str]:
    """The metadata to add when saving a bundle: ``{"model_signature": ...}`` when a key is set, else nothing.

    :param model_sha256: hex sha256 of ``model.npz``.
    :param key: the key; :func:`model_key` by default.
    """
    key = key if key is not None else model_key()
    return {SIGNATURE_FIELD: sign(model_sha256, key)} if key else {}


def verify(metadata: Mapping[str, Any], model_sha256: str, key: bytes | None = None, where: str = "bundle") -> None:
    """Check a bundle's signature when a key is set (nothing to check otherwise).

    :param metadata: the bundle's metadata.
    :param model_sha256: the actual sha256 of its ``model.npz`` (already checked against the metadata).
    :param key: the key; :func:`model_key` by default.
    :param where: how to name the bundle in the error.
    :raises SignatureError: if the signature is missing or wrong.
    """
    key = key if key is not None else model_key()
    if not key:
        return
    stored = metadata.get(SIGNATURE_FIELD)
    if not isinstance(stored, str) or not stored:
        raise SignatureError(f"{where}: unsigned, and {MODEL_KEY_ENV} is set; refusing to load it")
    if not hmac.compare_digest(stored, sign(model_sha256, key)):
        raise SignatureError(f"{where}: signature does not match {MODEL_KEY_ENV}; refusing to load it")
