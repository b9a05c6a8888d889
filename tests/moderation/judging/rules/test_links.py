"""The links rule: a maximum count, allowed and denied domains, and links from new authors."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from redis import Redis

from moderation.judging.policy import PolicyError
from moderation.judging.rules.links import _SEPARATORS, _TRAILING, _host, _is_host, domain_in, find_domains
from tests.moderation.helpers import stored_record
from tests.moderation.review_fakes import comment, make_handler, write_policy


def decision_of(redis: Redis, prefix: str, cid: str) -> dict:
    raw = stored_record(redis, prefix, cid)
    assert raw, f"no decision for {cid}"
    return json.loads(raw)


def codes(record: dict) -> list[str]:
    return [r["code"] for r in record["reasons"]]


@pytest.mark.parametrize(("text", "domains"), [
    ("see https://www.Example.com/a?b=1, bit.ly/x and (www.foo.org).", ["example.com", "bit.ly", "foo.org"]),
    ("http://user:pw@evil.ru:8080/path", ["evil.ru"]),
    ("shop.example.co.uk!", ["shop.example.co.uk"]),
    ("e.g. file.txt, Mr.Smith, 1.5 million, a@b.com, did it.It was", []),
])
def test_links_are_found_with_their_domains(text: str, domains: list[str]) -> None:
    assert find_domains(text) == domains


def _reference_find_domains(text: str) -> list[str]:
    """The original scan: every piece of every text (no shortcut for texts whose dots all end a word)."""
    domains = []
    for piece in text.lower().translate(_SEPARATORS).split():
        if "." not in piece:
            continue
        piece = piece.rstrip(_TRAILING)
        if "://" in piece or piece.startswith("www."):
            host = _host(piece.split("://", 1)[-1])
            if _is_host(host, bare=False):
                domains.append(host)
        elif "." in piece and "@" not in piece:
            host = _host(piece)
            if _is_host(host, bare=True):
                domains.append(host)
    return domains


def test_links_are_found_exactly_as_by_the_full_scan() -> None:
    # Given texts made of link parts, sentence ends, brackets, odd spaces and non-ASCII letters
    rng = random.Random(5)
    parts = ["www.", "://", "http", ".com", ".io", ".", "..", "...", ". ", ".\n", "e.g.", "a", "Bc", "x-y", "1", "@",
             ":", "/", "?", "#", ",", "(", ")", "!", "*", " ", "\t", "\u2003", "\x1c", "é", "İ", "ü", ".é", ".İ",
             "shop", "example", "_", "-", "'", "|"]
    texts = ["".join(rng.choices(parts, k=rng.randrange(1, 14))) for _ in range(20_000)]
    # When their links are found / Then they are exactly those of the full scan
    for text in texts:
        assert find_domains(text) == _reference_find_domains(text), text
    # And the texts did have links, and sentences whose every dot ends a word
    assert sum(bool(find_domains(t)) for t in texts) > 300
    assert sum("." in t and not find_domains(t) for t in texts) > 1000


def test_subdomains_match_their_domain_and_look_alikes_do_not() -> None:
    assert domain_in("shop.example.com", ["example.com"]) == "example.com"
    assert domain_in("badexample.com", ["example.com"]) is None
    assert domain_in("example.com.evil.ru", ["example.com"]) is None


@pytest.mark.integration
def test_too_many_links_are_held_but_allowed_domains_do_not_count(redis: Redis, redis_url: str, prefix: str,
                                                                  tmp_path: Path) -> None:
    # Given a site allowing 2 links, and links to its own domain not counted
    policy = write_policy(tmp_path, '\n[sites.news.rules]\nmax_links = 2\nallow_domains = ["news.example"]\n')
    handler = make_handler(redis, redis_url, prefix, policy)
    # When comments with 3 outside links, and with 2 outside plus 2 own links, are moderated
    handler.handle([
        comment("l-1", "a.com b.com c.com", site="news"),
        comment("l-2", "a.com b.com https://news.example/x https://www.news.example/y", site="news"),
    ])
    # Then only the first is held, with the links named
    first = decision_of(redis, prefix, "l-1")
    assert first["decision"] == "review" and codes(first) == ["links.too_many"]
    assert first["reasons"][0]["terms"] == ["a.com", "b.com", "c.com"]
    assert decision_of(redis, prefix, "l-2")["decision"] == "approve"


@pytest.mark.integration
def test_a_denied_domain_rejects_even_as_a_subdomain(redis: Redis, redis_url: str, prefix: str,
                                                     tmp_path: Path) -> None:
    policy = write_policy(tmp_path, '\n[sites.news.rules]\ndeny_domains = ["casino.example"]\n')
    handler = make_handler(redis, redis_url, prefix, policy)
    handler.handle([comment("d-1", "win at HTTPS://Vip.Casino.Example/bonus", site="news"),
                    comment("d-2", "win at https://casino.example.org", site="news")])
    denied = decision_of(redis, prefix, "d-1")
    assert denied["decision"] == "reject" and codes(denied) == ["links.denied_domain"]
    assert denied["reasons"][0]["terms"] == ["casino.example"]
    assert decision_of(redis, prefix, "d-2")["decision"] == "approve"


@pytest.mark.integration
def test_links_from_new_authors_are_held_when_the_site_asks(redis: Redis, redis_url: str, prefix: str,
                                                            tmp_path: Path) -> None:
    # Given a site holding links from new authors, and an author with an approved comment
    policy = write_policy(tmp_path, "\n[sites.news.rules]\nreview_links_from_new_authors = true\n")
    handler = make_handler(redis, redis_url, prefix, policy)
    handler.handle([comment("n-0", "Hello all", author="old", site="news")])
    # When the new author and the known one post a link, and the new one posts without a link
    handler.handle([comment("n-1", "see example.com", author="new", site="news"),
                    comment("n-2", "see example.com", author="old", site="news"),
                    comment("n-3", "no link here", author="new2", site="news"),
                    comment("n-4", "see example.com", author="new", site="other")])
    # Then only the new author's link is held, and only on that site
    assert codes(decision_of(redis, prefix, "n-1")) == ["links.new_author"]
    assert decision_of(redis, prefix, "n-2")["decision"] == "approve"
    assert decision_of(redis, prefix, "n-3")["decision"] == "approve"
    assert decision_of(redis, prefix, "n-4")["decision"] == "approve"


def test_bad_link_settings_are_refused_with_the_setting_named(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="deny_domains"):
        write_policy(tmp_path, '\n[sites.news.rules]\ndeny_domains = ["http://x.com/*"]\n')
    with pytest.raises(PolicyError, match="max_links"):
        write_policy(tmp_path, '\n[sites.news.rules]\nmax_links = -1\n')
    with pytest.raises(PolicyError, match="Unknown field"):
        write_policy(tmp_path, '\n[sites.news.rules]\nmax_link = 1\n')
