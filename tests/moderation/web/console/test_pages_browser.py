"""The decisions and model pages in a real browser, and the queue as a moderator sees it (a screenshot)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from redis import Redis

from moderation.review.feedback import export_feedback
from tests.moderation.web.console.conftest import Held
from tests.training.tiny import tiny_examples

pytestmark = pytest.mark.integration  # a real Redis (and, for the browser tests, Chromium)

NEWS = "news-example"
#: Made-up comments under a made-up article (no dataset text): body -> scores and the terms that drove them.
EARLIER = [("c-1037", "u-marta", "Marta K.", "Thanks for the clear map of the new stops."),
           ("c-1038", "u-marta", "Marta K.", "Will the night buses change too?"),
           ("c-1039", "u-marta", "Marta K.", "Good to see the council listening for once."),
           ("c-1040", "u-ana", "Ana", "The council should publish the full budget before the vote.")]
HELD = [
    ("c-1041", "u-marta", "Marta K.", None, None,
     "Great news about the tram extension! For anyone wanting cheap tickets check bit.ly/tram-deal, free passes "
     "for the first 100 readers.", {"spam": (0.71, ("free", "bit_ly", "cheap", "tickets"))}),
    ("c-1042", "u-jo", "J. Ortega", "c-1040", None,
     "Only an idiot would believe the council will publish anything. You people are clowns.",
     {"toxic": (0.78, ("idiot", "clowns")), "insult": (0.64, ("idiot",))}),
    ("c-1043", "u-lena", "Lena", None, "de",
     "Die neue Linie ist super, aber wann fährt sie endlich am Wochenende?", {"spam": (0.52, ("super",))}),
    ("c-1044", "u-deals", "deals4you", None, None,
     "EARN $500 A DAY from home!!! Visit quick-cash.biz now, limited offer", {"spam": (0.86, ("earn", "day",
                                                                                              "limited offer"))}),
]


def populate(held: Held) -> None:
    """A morning's queue: earlier approved comments (author history, a parent), then four held ones."""

    held.submit([{"id": cid, "body": body, "site": NEWS, "thread": "tram-line-extension",
                  "author": {"id": uid, "name": name}} for cid, uid, name, body in EARLIER], {})
    comments = []
    for cid, uid, name, parent, lang, body, _ in HELD:
        comment = {"id": cid, "body": body, "site": NEWS, "thread": "tram-line-extension",
                   "url": "https://news.example.org/tram", "author": {"id": uid, "name": name}}
        if parent:
            comment["parent_id"] = parent
        if lang:
            comment["lang"] = lang
        comments.append(comment)
    held.submit(comments, {body: scores for *_, body, scores in HELD})


def test_the_queue_as_a_moderator_sees_it(log_in: Any, console: str, held: Held, accounts: Any,
                                          tmp_path: Path) -> None:
    # Given a morning's queue
    populate(held)
    page = log_in("alice")
    # When it is shown
    expect(page.locator("[data-comment-id]")).to_have_count(4)
    # Then each comment shows its author's record, the comment it answers, its reasons in words and its scores
    marta = page.locator('[data-comment-id="c-1041"]')
    expect(marta.locator(".history")).to_contain_text("3 approved")
    expect(marta.locator(".reason")).to_contain_text("Looks like spam")
    expect(marta.locator("mark").first).to_have_text("cheap")
    reply = page.locator('[data-comment-id="c-1042"]')
    expect(reply.locator(".parent")).to_contain_text("publish the full budget")
    expect(reply.locator(".score").first).to_contain_text("78%")
    # And a screenshot of it is kept (CONSOLE_SCREENSHOT=docs/console.png keeps it for the README)
    shot = tmp_path / "console.png"
    page.mouse.move(0, 0)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("CONSOLE_SCREENSHOT"):
        shutil.copy(shot, os.environ["CONSOLE_SCREENSHOT"])


def test_an_insult_only_mentioned_reads_as_such_and_is_not_highlighted(log_in: Any, console: str, held: Held,
                                                                       accounts: Any, tmp_path: Path) -> None:
    # Given a comment the shipped model holds for its own insult, beside one it only reports
    from moderation.models.bundle import SHIPPED_MODEL_DIR, load_bundle

    body = "He called me a moron on the tram. Honestly the council are a bunch of clowns."
    held.submit_with([{"id": "c-1050", "body": body, "site": NEWS, "lang": "en",
                       "author": {"id": "u-pat", "name": "Pat"}}], load_bundle(SHIPPED_MODEL_DIR))
    page = log_in("alice")
    # When the queue shows it
    item = page.locator('[data-comment-id="c-1050"]')
    expect(item).to_have_count(1)
    # Then the reported insult is named as only mentioned, and only the words that drove the score are marked
    expect(item.locator(".reason")).to_contain_text(["Possibly abusive", "Insults only mentioned"])
    marked = item.locator("mark").all_inner_texts()
    assert "clowns" in marked and "moron" not in marked
    page.mouse.move(0, 0)
    item.screenshot(path=str(tmp_path / "mention.png"))
    if os.environ.get("CONSOLE_MENTION_SCREENSHOT"):
        shutil.copy(tmp_path / "mention.png", os.environ["CONSOLE_MENTION_SCREENSHOT"])


def test_a_moderator_finds_decisions_and_reports_wrong_ones(log_in: Any, console: str, held: Held,
                                                            accounts: Any, redis: Redis, prefix: str,
                                                            tmp_path: Path) -> None:
    # Given published decisions, some approved automatically
    populate(held)
    page = log_in("alice")
    # When she searches by text, by author and by comment id
    page.goto(f"{console}/decisions?q=night+buses")
    expect(page.locator("li.decision")).to_have_count(1)
    page.goto(f"{console}/decisions?q=u-marta")
    expect(page.locator("li.decision")).to_have_count(4)
    page.fill("input[name=q]", "c-1040")
    page.get_by_role("button", name="Search").click()
    row = page.locator('[data-decision-id="c-1040"]')
    expect(row).to_have_count(1)
    expect(row.locator(".outcome")).to_have_text("approve")
    # And reports one approved comment as spam and another as abusive, and a held one as fine
    row.get_by_role("button", name="Report abusive").click()
    expect(row.locator(".status")).to_contain_text("Reported")
    page.goto(f"{console}/decisions?q=c-1038")
    other = page.locator('[data-decision-id="c-1038"]')
    other.get_by_role("button", name="Report spam").click()
    expect(other.locator(".status")).to_contain_text("Reported")
    other.get_by_role("button", name="Report spam").click()
    expect(other.locator(".status")).to_contain_text("Already reported")
    page.goto(f"{console}/decisions?q=c-1043")
    page.locator('[data-decision-id="c-1043"]').get_by_role("button", name="Report fine").click()
    expect(page.locator('[data-decision-id="c-1043"] .status')).to_contain_text("approved")
    # Then the labels are those make export-feedback writes: toxic (not spam), spam, and fine
    out = tmp_path / "feedback.jsonl"
    export_feedback(redis, prefix, out)
    rows = {r["comment_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows["c-1040"]["toxic"] == 1 and "spam" not in rows["c-1040"] and rows["c-1040"]["verdict"] == "toxic"
    assert rows["c-1038"]["spam"] == 1
    assert rows["c-1043"]["spam"] == 0 and rows["c-1043"]["toxic"] == 0


def test_the_model_page_shows_the_model_its_evaluation_the_mix_and_health(log_in: Any, console: str, held: Held,
                                                                         accounts: Any, redis: Redis, prefix: str,
                                                                         tmp_path: Path) -> None:
    # Given a promoted model (the real training and registry code), an evaluation with plots, and decisions
    from training.evaluate import head_metrics, score_examples
    from training.plots import write_plots
    from training.registry import ModelRegistry
    from training.train import train_bundle

    models = tmp_path / "models"
    path = train_bundle(tiny_examples(), models, data_hash="tiny", params={"C_grid": [1.0], "cv_folds": 2},
                        progress=None)
    registry = ModelRegistry(models, redis=redis, prefix=prefix)
    registry.promote(path.name, force=True)
    scores = score_examples(registry.load(path.name), tiny_examples(seed=8, n=120))
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "evaluation.json").write_text(json.dumps(
        {"model": path.name, "heads": {h: head_metrics(y, p) for h, (y, p) in scores.items()}}))
    write_plots({path.name: scores}, tmp_path / "reports" / "plots")
    populate(held)
    # When the model page is opened
    page = log_in("alice")
    page.get_by_role("link", name="Model").click()
    # Then it names the version and who promoted it, shows the figures, the plots, an hourly chart and health
    expect(page.locator(".big")).to_have_text(path.name)
    expect(page.locator("main")).to_contain_text("Promoted")
    expect(page.locator("table.grid").first).to_contain_text("spam")
    # In words, with the number of comments each figure rests on, and a warning where they are too few
    expect(page.locator("table.grid").first).to_contain_text("120 comments (40 bad, 80 fine)")
    expect(page.locator("table.grid").first).to_contain_text("too few to trust")
    expect(page.locator("table.grid").first).not_to_contain_text("ROC")
    expect(page.locator(".plots img").first).to_be_visible()
    assert page.locator(".plots img").first.evaluate("img => img.naturalWidth") > 100
    expect(page.locator("svg.chart rect.bar-approve")).to_have_count(1)
    expect(page.locator("svg.chart rect.bar-review")).to_have_count(1)
    expect(page.locator(".legend")).to_contain_text("review 4")
    expect(page.locator(".health")).to_contain_text("no worker")
    # And there is nothing to press: promotion stays with make
    expect(page.locator("main button")).to_have_count(0)
