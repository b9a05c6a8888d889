"""The links rule: too many links (``links.too_many``), a denied domain (``links.denied_domain``) and any
link from a new author when the site asks (``links.new_author``).

Links are found without regular expressions: the text is split at spaces and brackets, and a piece is a
link if it has a scheme (``https://``), starts with ``www.``, or is a dotted name ending in a known
top-level domain (``example.com/path``). (One trivial expression first skips texts where every dot ends a
word, as in most sentences: a host needs a dot followed by a label.) Domains match a list entry when equal
to it or a subdomain of it (``shop.example.com`` matches ``example.com``, ``badexample.com`` does not).
Links to allowed domains are not counted and never held.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from moderation.judging.normalize import TLDS
from moderation.judging.policy import RuleSettings
from moderation.judging.rules.base import Finding, TextView, finding

#: Top-level domains a bare ``name.tld`` (no scheme, no ``www.``) must end in to count as a link
#: (``data/tlds.toml``: not ones that are English words, such as ``.it`` or ``.to``).
KNOWN_TLDS = frozenset(TLDS["links_rule"])
# A dot followed by something else than a space or another dot: without one, no piece of the text holds a
# host (at least two non-empty labels joined by a dot), so most sentences are skipped at once.
_DOT_INSIDE = re.compile(r"\.[^\s.]")
_SEPARATORS = str.maketrans({c: " " for c in "<>\"'()[]{},;|`"})
_TRAILING = ".:!?*"


def _is_host(host: str, bare: bool) -> bool:
    labels = host.split(".")
    if len(labels) < 2 or any(not label or len(label) > 63 for label in labels):
        return False
    if not all(c.isalnum() or c == "-" for label in labels for c in label):
        return False
    return not bare or labels[-1] in KNOWN_TLDS


def _host(rest: str) -> str:
    """The host of a URL without its scheme: no user, port, path, query or ``www.``."""
    for mark in "/?#":
        rest = rest.split(mark, 1)[0]
    host = rest.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    return host[4:] if host.startswith("www.") else host


def find_domains(text: str) -> list[str]:
    """The domain of every link in ``text``, in order (lowercase, without ``www.``).

    :param text: the comment body (any case).
    """
    return _domains(text.lower())


def _domains(lowered: str) -> list[str]:
    """:func:`find_domains` of a lowercased text."""
    if _DOT_INSIDE.search(lowered) is None:
        return []
    domains = []
    for piece in lowered.translate(_SEPARATORS).split():
        if "." not in piece:  # a host has at least two labels: most words are skipped here
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


def domain_in(domain: str, listed: Iterable[str]) -> str | None:
    """The entry of ``listed`` that ``domain`` is, or is a subdomain of; None if none.

    :param domain: a lowercase domain.
    :param listed: lowercase domains.
    """
    for entry in listed:
        if domain == entry or domain.endswith("." + entry):
            return entry
    return None


def check_links(view: TextView, rules: RuleSettings, new_author: bool) -> list[Finding]:
    """The links rule's findings for one comment.

    :param view: the comment's text.
    :param rules: the site's rule settings (``max_links``, ``allow_domains``, ``deny_domains``,
        ``review_links_from_new_authors``).
    :param new_author: whether the author counts as new (:mod:`moderation.judging.rules.trust`).
    """
    if "." not in view.body:
        return []
    domains = _domains(view.lower)
    if not domains:
        return []
    findings = []
    denied = sorted({entry for d in domains if (entry := domain_in(d, rules.deny_domains))})
    if denied:
        findings.append(finding("reject", "links.denied_domain", f"links to a denied domain: {', '.join(denied)}",
                                tuple(denied)))
    counted = [d for d in domains if domain_in(d, rules.allow_domains) is None]
    if len(counted) > rules.max_links:
        findings.append(finding("review", "links.too_many",
                                f"{len(counted)} links, more than the {rules.max_links} allowed",
                                tuple(dict.fromkeys(counted))[:5]))
    if counted and new_author and rules.review_links_from_new_authors:
        findings.append(finding("review", "links.new_author", "a link from a new author",
                                tuple(dict.fromkeys(counted))[:5]))
    return findings
