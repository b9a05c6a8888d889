"""TLS: ``rediss://`` URLs pass settings validation and reach Celery with certificate checks on by default."""

from __future__ import annotations

import ssl

import pytest

from moderation.settings import SettingsError, load_settings
from moderation.store.tls import ssl_options


def test_a_rediss_url_is_valid_settings() -> None:
    settings = load_settings(env={"REDIS_URL": "rediss://:pw@redis.example.org:6380/0?ssl_cert_reqs=required"})
    assert settings.redis_url.startswith("rediss://")


def test_plain_redis_needs_no_tls_options() -> None:
    assert ssl_options("redis://127.0.0.1:6379/0") is None


def test_certificates_are_verified_unless_the_url_says_otherwise() -> None:
    assert ssl_options("rediss://h:6380/0") == {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    assert ssl_options("rediss://h:6380/0?ssl_cert_reqs=none") == {"ssl_cert_reqs": ssl.CERT_NONE}
    assert ssl_options("rediss://h/0?ssl_cert_reqs=CERT_OPTIONAL&ssl_ca_certs=/etc/ca.pem") == {
        "ssl_cert_reqs": ssl.CERT_OPTIONAL, "ssl_ca_certs": "/etc/ca.pem"}


def test_an_unknown_cert_requirement_is_refused_by_settings_validation() -> None:
    with pytest.raises(ValueError, match="ssl_cert_reqs"):
        ssl_options("rediss://h/0?ssl_cert_reqs=maybe")
    with pytest.raises(SettingsError, match="ssl_cert_reqs"):
        load_settings(env={"REDIS_URL": "rediss://h/0?ssl_cert_reqs=maybe"})


def test_celery_gets_the_tls_options_of_a_rediss_url() -> None:
    from workers.app import make_app

    settings = load_settings(env={"REDIS_URL": "rediss://:pw@redis.example.org:6380/0?ssl_cert_reqs=required"})
    app = make_app(settings)
    assert app.conf.broker_use_ssl == {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    connection = app.connection_for_write()
    assert connection.transport_cls == "rediss" and connection.ssl == {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    assert app.conf.accept_content == ["json"]  # and pickle is never accepted from the broker
