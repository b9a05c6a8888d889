"""Settings: defaults, the file, environment overrides, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.settings import PROJECT_ROOT, SettingsError, load_settings, redact_url


def test_defaults_come_from_the_shipped_file() -> None:
    settings = load_settings(env={})
    assert settings.prefix == "moderation" and settings.queue == "moderation"
    assert settings.policy_file == PROJECT_ROOT / "config" / "policy.toml"


def test_environment_overrides_the_file() -> None:
    settings = load_settings(env={"REDIS_URL": "redis://:pw@db:6380/2", "MODERATION_BATCH_SIZE": "50",
                                  "MODERATION_MODELS_DIR": "/srv/models"})
    assert settings.redis_url.endswith("db:6380/2") and settings.batch_size == 50
    assert settings.models_dir == Path("/srv/models")
    assert settings.redacted_redis_url == "redis://:***@db:6380/2"


def test_every_bad_setting_is_named_with_its_rule() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env={"REDIS_URL": "http://nope", "MODERATION_BATCH_SIZE": "0", "MODERATION_PREFIX": "a b"})
    message = str(caught.value)
    assert "redis_url: must be a redis://" in message
    assert "batch_size:" in message and "prefix:" in message


@pytest.mark.parametrize("variable", ["MODERATION_PREFIX", "MODERATION_QUEUE", "MODERATION_BULK_QUEUE"])
def test_a_name_ending_in_a_newline_is_refused(variable: str) -> None:
    # Given a prefix or queue name with a trailing newline (a pattern ending in "$" let it through)
    # When the settings are loaded / Then it is refused, the setting named
    with pytest.raises(SettingsError, match="must be 1-64 letters"):
        load_settings(env={variable: "mod\n"})


def test_unknown_keys_in_the_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('redis_url = "redis://localhost"\nbatchsize = 3\n')
    with pytest.raises(SettingsError, match=r"unknown setting.*batchsize"):
        load_settings(env={}, settings_file=path)


def test_a_named_settings_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(env={"MODERATION_SETTINGS_FILE": str(tmp_path / "missing.toml")})


def test_redact_url_leaves_urls_without_password_alone() -> None:
    assert redact_url("redis://localhost:6379/0") == "redis://localhost:6379/0"
