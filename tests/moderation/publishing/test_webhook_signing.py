"""Webhook signatures and retry pauses, by themselves (no Redis)."""

from __future__ import annotations

import hashlib
import hmac

from moderation.publishing.webhook_queue import backoff
from moderation.publishing.webhooks import decision_body, signature, verify_signature


def test_a_signature_is_the_hmac_of_the_timestamp_and_the_raw_body() -> None:
    # Given a body signed at a known time
    body = b'{"type":"decision","comment_id":"c-1"}'
    header = signature("whsec_test", body, timestamp=1764322440)
    # Then the header is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">, as the README tells receivers
    expected = hmac.new(b"whsec_test", b"1764322440." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1764322440,v1={expected}"
    assert verify_signature("whsec_test", body, header, now=1764322440 + 10)


def test_a_tampered_stale_or_foreign_signature_is_refused() -> None:
    body = b'{"a":1}'
    header = signature("whsec_test", body, timestamp=1000)
    assert not verify_signature("whsec_test", b'{"a":2}', header, now=1000)
    assert not verify_signature("whsec_other", body, header, now=1000)
    assert not verify_signature("whsec_test", body, header, now=1000 + 301)
    assert not verify_signature("whsec_test", body, "v1=abc", now=1000)


def test_the_body_names_one_publication() -> None:
    record = {"comment_id": "c-1", "decision": "approve", "site": "news-a", "revision": 2}
    body = decision_body(record, "1764322440123-0")
    assert body.startswith(b'{"type":"decision","idempotency_key":"news-a:c-1:2:1764322440123-0","site":"news-a"')


def test_pauses_double_up_to_the_bound() -> None:
    pauses = [backoff(n, 60.0) for n in range(1, 12)]
    assert 0.4 <= pauses[0] <= 0.5 and 0.8 <= pauses[1] <= 1.0
    assert all(p <= 60.0 for p in pauses) and pauses[-1] >= 48.0
