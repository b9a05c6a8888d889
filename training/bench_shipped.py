"""How the shipped model judges real comments it never saw: zero-shot English sets, spam, and every language.

Part of ``make bench-quality``. For each corpus of the data directory the model was *not* trained on (its
metadata lists the sources it was), it prints:

* toxicity ROC-AUC of ours beside alt-profanity-check (when installed: ``make bench`` installs it) on the
  English sets, and spam ROC-AUC on the spam sets;
* per language, what a moderator would see with the default policy: the share of clean comments approved and of
  abusive ones approved silently (neither held nor rejected: a comment in a language the model does not claim
  is held, ``lang.unsupported``, and one in a language it screens is approved only when the model is sure),
  with the language as the identifier finds it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from moderation.judging.pipeline import scorer_languages, scorer_screened_languages
from training.examples import Example

Say = Callable[[str], None]
#: Corpora whose toxicity the benchmark reports zero-shot (English) and per language, and the spam ones.
SPAM_CORPORA = ("youtube_spam", "datacamp_comment_spam")


def trained_sources(metadata: Mapping[str, Any]) -> set[str]:
    """The ``folder/file`` paths a bundle was trained on, from its metadata's ``sources``.

    :param metadata: the bundle's metadata.
    """
    found: set[str] = set()
    for record in metadata.get("sources", []):
        for entry in record.get("files", []):
            if entry.get("role", "data") == "data":
                found.add(str(entry.get("path", "")))
    return found


def peer_scores(texts: Sequence[str]) -> np.ndarray | None:
    """alt-profanity-check's probabilities, or ``None`` when it is not installed.

    :param texts: the comments.
    """
    try:
        from profanity_check import predict_prob
    except ImportError:
        return None
    return np.asarray(predict_prob(list(texts)), dtype=np.float64)


def _auc(y: np.ndarray, p: np.ndarray) -> float | None:
    return float(roc_auc_score(y, p)) if 0 < int(y.sum()) < len(y) else None


def outcomes(scorer: Any, policy: Any, examples: Sequence[Example],
             identify: Callable[[Sequence[str]], Sequence[str]] | None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The toxic probability and whether each comment would be approved, as a worker would decide it.

    :param scorer: the model.
    :param policy: the policy (its default site).
    :param examples: the comments.
    :param identify: the language identifier (texts -> ISO codes), or ``None`` to take each example's language.
    :returns: toxic probabilities, approved flags, languages.
    """
    texts = [e.text for e in examples]
    langs = list(identify(texts)) if identify else [e.lang or "en" for e in examples]
    supported, screened = scorer_languages(scorer), scorer_screened_languages(scorer)
    toxic = list(scorer.heads).index("toxic")
    probs = np.zeros(len(texts))
    approved = np.zeros(len(texts), dtype=bool)
    site = policy.for_site(None)
    for start in range(0, len(texts), 512):
        chunk = slice(start, start + 512)
        p = scorer.predict_proba(texts[chunk], langs=langs[chunk])
        probs[chunk] = p[:, toxic]
        for k, row in enumerate(p.tolist(), start=start):
            scores = dict(zip(scorer.heads, row, strict=True))
            outcome, _ = site.judge(scores, None, langs[k], None, supported, screened)
            approved[k] = outcome == "approve"
    return probs, approved, langs


def run(scorer: Any, metadata: Mapping[str, Any], policy: Any, data_dir: Path, say: Say,
        identify: Callable[[Sequence[str]], Sequence[str]] | None = None) -> dict[str, Any]:
    """Benchmark the shipped model on every corpus of ``data_dir`` it was not trained on.

    :param scorer: the model.
    :param metadata: its metadata (for the sources it was trained on).
    :param policy: the policy in force.
    :param data_dir: the folder laid out like ``../shared/datasets``.
    :param say: receives the report lines.
    :param identify: the language identifier, or ``None`` (each example's stated language).
    :returns: the figures per corpus.
    """
    from training.corpora import catalogue, load_corpus, survey

    trained = trained_sources(metadata)
    results: dict[str, Any] = {}
    present = {p.corpus.name for p in survey(data_dir) if p.present}
    say(f"\nthe shipped model {metadata.get('version')} on real comments it was not trained on "
        f"(languages claimed: {', '.join(scorer_languages(scorer))}; "
        f"screened: {', '.join(scorer_screened_languages(scorer)) or 'none'})")
    say(f"{'corpus / file':<48}{'lang':>5}{'n':>7}{'ROC-AUC':>9}{'peer':>8}{'clean ok':>10}{'abuse silent':>14}")
    for name, corpus in catalogue().items():
        if name not in present:
            continue
        for file in corpus.files:
            source = f"{corpus.folder}/{file}"
            if source in trained:
                continue
            examples = load_corpus(data_dir, name, file)
            head = "spam" if name in SPAM_CORPORA else "toxic"
            examples = [e for e in examples if head in e.labels]
            if not examples:
                continue
            y = np.array([int(e.labels[head]) for e in examples])
            texts = [e.text for e in examples]
            row: dict[str, Any] = {"lang": corpus.lang, "n": len(examples), "head": head}
            if head == "spam":
                j = list(scorer.heads).index("spam")
                row["roc_auc"] = _auc(y, scorer.predict_proba(texts)[:, j])
            else:
                probs, approved, langs = outcomes(scorer, policy, examples, identify)
                row["roc_auc"] = _auc(y, probs)
                row["clean_approved"] = float(approved[y == 0].mean()) if (y == 0).any() else None
                row["abuse_approved_silently"] = float(approved[y == 1].mean()) if (y == 1).any() else None
                row["identified_as_stated"] = float(np.mean([a == corpus.lang for a in langs]))
            if corpus.lang == "en":
                peer = peer_scores(texts)
                row["peer_roc_auc"] = _auc(y, peer) if peer is not None else None
            results[source] = row
            say(f"{source[:47]:<48}{corpus.lang:>5}{len(examples):>7}{_fmt(row.get('roc_auc')):>9}"
                f"{_fmt(row.get('peer_roc_auc')):>8}{_fmt(row.get('clean_approved')):>10}"
                f"{_fmt(row.get('abuse_approved_silently')):>14}" + (f"  ({head})" if head == "spam" else ""))
            sys.stdout.flush()
    return results


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"
