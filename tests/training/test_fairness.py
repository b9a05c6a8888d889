"""The fairness and context set: generated from its templates, complete for every group, and its report."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from training.fairness import (
    CATEGORIES,
    NO_GROUP,
    FairnessSetError,
    fairness_report,
    format_fairness,
    load_fairness_set,
    main,
)


@pytest.fixture(scope="module")
def items() -> list:
    return load_fairness_set()


def test_every_group_has_every_category_with_the_same_templates(items: list) -> None:
    # Given the shipped set
    per_group: dict[str, Counter[str]] = {}
    templates: dict[str, set[str]] = {}
    for item in items:
        per_group.setdefault(item.group, Counter())[item.category] += 1
        templates.setdefault(item.group, set()).add(item.template)
    # Then every group, the group-free one included, has neutral, about-abuse and abuse items
    assert len(per_group) >= 30 and NO_GROUP in per_group
    for group, counts in per_group.items():
        assert set(counts) == set(CATEGORIES), group
    # And every identity group is filled into exactly the same templates (like is compared with like)
    named = [t for g, t in templates.items() if g != NO_GROUP]
    assert all(t == named[0] for t in named) and len(named[0]) >= 20
    # And labels follow the category
    assert all(item.toxic == CATEGORIES[item.category] for item in items)


def test_the_set_is_a_few_hundred_varied_labelled_sentences(items: list) -> None:
    texts = [item.text for item in items]
    assert 500 <= len(items) <= 3000
    assert len(set(texts)) == len(texts)  # no duplicate sentence
    axes = {item.axis for item in items}
    assert {"religion", "ethnicity", "nationality", "gender", "sexual_orientation", "disability", "age"} <= axes
    # And the examples the issue names are in it
    assert "Being disabled has nothing to do with this vote." in texts
    assert "Calling the mayor an idiot is not an argument." in texts
    assert "I hate Muslims, they ruin everything." in texts
    assert any("killed it" in t for t in texts)
    # And filling leaves no slot and picks the article ("an atheist parent", "a Muslim parent")
    assert not any("{" in t for t in texts)
    assert any(t.startswith("As an atheist parent") for t in texts)
    assert any(t.startswith("As a Muslim parent") for t in texts)


def test_a_malformed_templates_file_is_refused_with_the_entry_named(tmp_path: Path) -> None:
    lists = 'neutral = ["{people} are here."]\nabout_abuse = ["x {adj}"]\nabuse = ["I hate {peple}."]\n'
    free = '[free]\nneutral = ["a"]\nabout_abuse = ["b"]\nabuse = ["c"]\n'
    group = '[[groups]]\nid = "g"\naxis = "x"\nadj = "G"\npeople = "Gs"\nbeing = "G"\n'
    path = tmp_path / "t.toml"
    path.write_text(f"[templates]\n{lists}{free}{group}")
    with pytest.raises(FairnessSetError, match=r"templates.abuse\[1\].*unknown slot"):
        load_fairness_set(path)
    path.write_text(f"[templates]\n{lists.replace('peple', 'people')}{free}{group.replace('being', 'b')}")
    with pytest.raises(FairnessSetError, match="missing being"):
        load_fairness_set(path)


def test_report_counts_approvals_by_the_review_threshold_and_per_group_bias(items: list) -> None:
    # Given scores that approve everything acceptable except one neutral sentence about one group
    y = np.array([item.toxic for item in items], dtype=float)
    scores = 0.1 + 0.8 * y
    victim = next(i for i, item in enumerate(items) if item.group == "deaf" and item.category == "neutral")
    scores[victim] = 0.95
    # When reported at the review threshold 0.45
    report = fairness_report(items, scores, 0.45, policy_flagged=scores >= 0.45)
    # Then one acceptable item of the group is not approved, and abuse is all held
    acceptable = sum(1 for item in items if not item.toxic)
    assert report["toxic_head"]["acceptable_approved"] == pytest.approx(1 - 1 / acceptable)
    assert report["toxic_head"]["abuse_held"] == 1.0 and report["toxic_head"]["targets"]["met"]
    deaf = report["bias"]["groups"]["deaf"]
    non_toxic_deaf = sum(1 for item in items if item.group == "deaf" and not item.toxic)
    assert deaf["fpr"] == pytest.approx(1 / non_toxic_deaf) and deaf["axis"] == "disability"
    assert deaf["bpsn_auc"] < 1.0 and deaf["bnsp_auc"] == 1.0
    assert report["bias"]["groups"]["muslim"]["fpr"] == 0.0
    # And the text names the worst group first and the targets
    text = format_fairness(report)
    assert text.splitlines()[1].startswith("deaf") and "target 95%" in text and "policy" in text


def test_the_items_can_be_written_as_json_lines(tmp_path: Path) -> None:
    out = tmp_path / "items.jsonl"
    assert main(["--out", str(out)]) == 0
    assert len(out.read_text().splitlines()) == len(load_fairness_set())


def test_the_word_lists_are_reported_beside_the_model(items: list) -> None:
    # Given a model that approves every acceptable item, and a word rule holding four of them
    scores = np.array([0.9 if item.toxic else 0.1 for item in items])
    words = np.zeros(len(items), bool)
    words[[i for i, item in enumerate(items) if not item.toxic][:4]] = True
    report = fairness_report(items, scores, 0.45, policy_flagged=scores >= 0.45, words_flagged=words)
    # Then the policy alone approves all of them, and with the word lists four fewer
    acceptable = sum(1 for item in items if not item.toxic)
    assert report["policy"]["acceptable_approved"] == 1.0
    assert report["policy_and_words"]["acceptable_approved"] == pytest.approx(1 - 4 / acceptable)
    assert "policy and the word lists" in format_fairness(report)
