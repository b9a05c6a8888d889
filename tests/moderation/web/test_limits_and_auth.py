"""The web face's pieces that need no server: rate windows, bearer tokens, the new settings."""

from __future__ import annotations

import pytest

from moderation.intake.field_rules import site_name_ok
from moderation.settings import SettingsError, load_settings
from moderation.web.auth import bearer_token
from moderation.web.limits import FixedWindow


def test_a_refused_request_is_told_to_come_back_when_the_window_turns() -> None:
    window = FixedWindow(limit=10, seconds=1)
    assert window.window(100.25) == 100 and window.window(100.99) == 100 and window.window(101.0) == 101
    assert window.retry_after(100.25) == 1 and window.retry_after(100.999) == 1
    assert FixedWindow(limit=10, seconds=60).retry_after(30.0) == 30


def test_only_a_bearer_token_is_taken() -> None:
    assert bearer_token("Bearer mk_abc_def") == "mk_abc_def"
    assert bearer_token("bearer   mk_abc_def ") == "mk_abc_def"
    assert bearer_token("Basic dXNlcjpwYXNz") is None
    assert bearer_token("Bearer ") is None and bearer_token(None) is None and bearer_token("") is None


def test_site_names_follow_the_comment_rule() -> None:
    assert site_name_ok("news-example") and site_name_ok("a.b_c")
    assert not site_name_ok("") and not site_name_ok("news example") and not site_name_ok("x" * 65)


def test_the_api_and_webhook_settings_come_from_the_environment_and_are_checked() -> None:
    env = {"MODERATION_API_RATE_LIMIT": "5", "MODERATION_WEBHOOK_RETRY_SECONDS": "120"}
    settings = load_settings(env=env)
    assert (settings.api_rate_limit, settings.webhook_retry_seconds, settings.api_max_batch) == (5, 120.0, 100)
    with pytest.raises(SettingsError, match="api_max_batch"):
        load_settings(env={"MODERATION_API_MAX_BATCH": "0"})
