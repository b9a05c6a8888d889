"""Undecodable messages reach the dead-letter stream through the one connection module, Sentinel URLs included."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.publishing.dead_letters import list_dead_letters
from moderation.settings import load_settings
from moderation.store.connection import redis_from_url
from tests.helpers import real_sentinel, sentinel_answers, wait_until

pytestmark = pytest.mark.integration


def test_an_undecodable_message_is_dead_lettered_through_a_sentinel_url(tmp_path: Path, prefix: str) -> None:
    # Imported here: importing workers.poison installs the worker's kombu transport hooks (as a worker does).
    from workers.poison import dead_letter_message

    # Given a worker's settings naming its Redis by a redis+sentinel:// URL (a real master and Sentinel)
    (tmp_path / "settings.toml").write_text("")
    with real_sentinel(tmp_path) as url:
        settings = load_settings(env={"REDIS_URL": url, "MODERATION_PREFIX": prefix},
                                 settings_file=tmp_path / "settings.toml")
        reader = redis_from_url(url, socket_timeout=2, socket_connect_timeout=2)
        wait_until(lambda: sentinel_answers(reader), 20)

        # When the consumer dead-letters a body it cannot decode
        dead_letter_message(settings, error="undecodable message: bad bytes", body=b"\xff\xfe not json",
                            content_type="application/json", headers={"id": "m-1", "task": "x", "extra": "no"})

        # Then the letter is in the master's dead-letter stream, with the error and only the id and task headers
        letters = list_dead_letters(reader, prefix)
        assert [letter.error for letter in letters] == ["undecodable message: bad bytes"]
        assert letters[0].payload["headers"] == {"id": "m-1", "task": "x"}
        assert letters[0].payload["body"].startswith("base64:")
