"""Redis beyond one server: ``redis+sentinel://`` URLs in the settings, for redis-py and for Celery."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from moderation.settings import SettingsError, load_settings
from moderation.store.connection import celery_broker, redis_from_url
from moderation.store.sentinel_url import is_sentinel_url, parse_sentinel_url
from tests.helpers import real_sentinel, sentinel_answers, wait_until


def settings_with(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_settings(env={"REDIS_URL": url}, settings_file=_empty(tmp_path))


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text("")
    return path


def test_a_sentinel_url_names_the_sentinels_the_master_the_db_and_both_passwords() -> None:
    config = parse_sentinel_url("redis+sentinel://:s%40cret@s1:26379,s2,10.0.0.3:26380/mymaster/2"
                                "?sentinel_password=watch")
    assert config.hosts == (("s1", 26379), ("s2", 26379), ("10.0.0.3", 26380))
    assert (config.master, config.db) == ("mymaster", 2)
    assert (config.password, config.sentinel_password) == ("s@cret", "watch")
    assert is_sentinel_url("redis+sentinel://s1/m") and not is_sentinel_url("redis://h:6379/0")


@pytest.mark.parametrize("url, problem", [
    ("redis+sentinel://s1:26379", "MASTER_NAME"),
    ("redis+sentinel:///mymaster", "at least one Sentinel"),
    ("redis+sentinel://s1:port/mymaster", "port must be a number"),
    ("redis+sentinel://s1/mymaster/zero", "must be a number"),
    ("redis+sentinel://s1/mymaster?retries=3", "unknown URL parameter"),
])
def test_the_settings_refuse_a_malformed_sentinel_url_and_say_why(url: str, problem: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="redis_url") as caught:
        settings_with(url, tmp_path)
    assert problem in str(caught.value)


def test_the_settings_accept_a_sentinel_url_and_redact_its_password(tmp_path: Path) -> None:
    settings = settings_with("redis+sentinel://:hunter2@s1:26379,s2:26379/mymaster/0", tmp_path)
    assert "hunter2" not in settings.redacted_redis_url


def test_celery_gets_kombus_sentinel_broker_and_the_master_name(tmp_path: Path) -> None:
    settings = settings_with("redis+sentinel://:pw@s1:26379,s2:26380/mymaster/1?sentinel_password=sp", tmp_path)
    url, options = celery_broker(settings)
    assert url == "sentinel://:pw@s1:26379/1;sentinel://:pw@s2:26380/1"
    assert options == {"master_name": "mymaster", "sentinel_kwargs": {"password": "sp"}}
    plain = settings_with("redis://h:6379/0", tmp_path)
    assert celery_broker(plain) == ("redis://h:6379/0", {})

    from workers.app import make_app

    app = make_app(settings)
    assert app.conf.broker_url == url
    assert app.conf.broker_transport_options["master_name"] == "mymaster"
    assert app.conf.broker_transport_options["visibility_timeout"] == settings.visibility_timeout_seconds


@pytest.fixture
def sentinel(tmp_path: Path) -> Iterator[str]:
    """A real Redis master and one real Sentinel watching it."""
    with real_sentinel(tmp_path) as url:
        yield url


@pytest.mark.integration
def test_redis_py_reaches_the_master_through_a_real_sentinel(sentinel: str) -> None:
    client = redis_from_url(sentinel, socket_timeout=2, socket_connect_timeout=2)
    wait_until(lambda: sentinel_answers(client), 20)  # the Sentinel answers once it has started
    client.set("sentinel-check", "ok")
    assert client.get("sentinel-check") == "ok"
    assert client.connection_pool.connection_kwargs["db"] == 3
