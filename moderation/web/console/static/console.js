// The moderators' console: actions without page reloads, keyboard shortcuts, live updates.
// Every page works without this file (plain forms); it only makes them quicker. Untrusted text is only
// ever set with textContent, never as HTML.
"use strict";

(function () {
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function toast(text, kind) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const item = document.createElement("p");
    item.className = "toast " + (kind || "");
    item.textContent = text;
    box.appendChild(item);
    setTimeout(() => item.remove(), 4000);
  }

  async function post(form, submitter) {
    const body = new FormData(form, submitter);
    const response = await fetch(form.action, {
      method: "POST", body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) throw new Error((data && data.error) || ("the server answered " + response.status));
    return data;
  }

  // -- the queue ----------------------------------------------------------------------------------

  const items = () => Array.from(document.querySelectorAll("article.comment:not([data-settled])"));
  let current = null;

  function setCurrent(article) {
    if (current) current.classList.remove("current");
    current = article || null;
    if (!current) return;
    current.classList.add("current");
    current.focus({ preventScroll: true });
    current.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function move(step) {
    const list = items();
    if (!list.length) return;
    const at = list.indexOf(current);
    const next = at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + step));
    setCurrent(list[next]);
  }

  function advanceFrom(article) {
    if (article !== current) return;
    const list = items();
    const at = list.indexOf(article);
    setCurrent(list[at + 1] || list[at - 1] || null);
  }

  function updateCount(delta) {
    const count = document.getElementById("held-count");
    if (count) count.textContent = String(Math.max(0, Number(count.textContent || "0") + delta));
  }

  function articleOf(id) {
    // Verdict results and live events name a comment by its ref (ids are scoped by site: "<site> <id>")
    return document.querySelector('article.comment[data-ref="' + CSS.escape(id) + '"]');
  }

  function settle(article, text, kind) {
    const status = article.querySelector(".status");
    if (status) status.textContent = text;
    article.classList.add(kind);
    article.dataset.settled = "1";
    article.querySelectorAll("button, input").forEach((el) => { el.disabled = true; });
  }

  function applyResults(results) {
    for (const result of results) {
      const article = articleOf(result.id);
      if (!article) { toast(result.id + ": " + result.message, result.done ? "" : "warn"); continue; }
      delete article.dataset.pending;
      if (result.done) {
        advanceFrom(article);
        settle(article, result.message, "done-" + result.status);
        updateCount(-1);
        setTimeout(() => { article.closest("li").remove(); }, 500);
      } else {
        advanceFrom(article);
        settle(article, result.message, "decided-elsewhere");
        toast(result.id + ": " + result.message, "warn");
      }
    }
  }

  async function act(form, submitter, articles) {
    articles.forEach((a) => { a.dataset.pending = "1"; });
    try {
      const data = await post(form, submitter);
      applyResults(data.results || []);
    } catch (error) {
      articles.forEach((a) => { delete a.dataset.pending; });
      toast("Nothing done: " + error.message, "error");
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.matches("article.comment form.actions")) {
      event.preventDefault();
      act(form, event.submitter, [form.closest("article")]);
    } else if (form.id === "bulk") {
      event.preventDefault();
      const picked = Array.from(document.querySelectorAll('input.pick:checked')).map((box) => box.closest("article"));
      if (!picked.length) { toast("Select comments first (x, or their check boxes).", "warn"); return; }
      act(form, event.submitter, picked);
    } else if (form.matches("form.report")) {
      event.preventDefault();
      const status = form.querySelector(".status");
      post(form, event.submitter).then((data) => {
        status.textContent = data.message;
      }).catch((error) => { status.textContent = "Nothing done: " + error.message; });
    }
  });

  const selectAll = document.getElementById("select-all");
  if (selectAll) {
    selectAll.addEventListener("change", () => {
      items().forEach((a) => { const box = a.querySelector("input.pick"); if (box) box.checked = selectAll.checked; });
    });
  }

  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  document.addEventListener("click", (event) => {
    const article = event.target.closest && event.target.closest("article.comment");
    if (article && !article.classList.contains("current") && items().includes(article)) setCurrent(article);
  });

  // r asks which kind of reject (the training label): s spam, b abusive; Escape or any other key cancels.
  let asking = null;

  function ask(article) {
    asking = article;
    article.classList.add("asking");
    const status = article.querySelector(".status");
    if (status) status.textContent = "Reject as spam (s) or abusive (b)?";
  }

  function stopAsking() {
    if (!asking) return;
    asking.classList.remove("asking");
    const status = asking.querySelector(".status");
    if (status && !asking.dataset.settled) status.textContent = "";
    asking = null;
  }

  function press(article, value) {
    const button = article.querySelector('form.actions button[value="' + value + '"]');
    if (button && !button.disabled) button.click();
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const inField = target.closest && target.closest("input, textarea, select");
    // Enter in a text box never publishes a verdict (the forms' default button is disabled, too).
    if (event.key === "Enter" && inField && target.closest("form.actions, #bulk")) { event.preventDefault(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (inField) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (!document.querySelector("article.comment")) return;
    const key = event.key;
    if (asking) {
      const article = asking;
      stopAsking();
      if (key === "s" || key === "b") press(article, key === "s" ? "reject:spam" : "reject:toxic");
      event.preventDefault();
      return;
    }
    if (key === "j") { move(1); } else if (key === "k") { move(-1); } else if (key === "a" && current) {
      press(current, "approve");
    } else if (key === "r" && current) {
      ask(current);
    } else if ((key === "s" || key === "b") && current) {
      press(current, key === "s" ? "reject:spam" : "reject:toxic");
    } else if (key === "x" && current) {
      const box = current.querySelector("input.pick");
      if (box && !box.disabled) box.checked = !box.checked;
    } else { return; }
    event.preventDefault();
  });

  // -- live updates ---------------------------------------------------------------------------------

  if (document.body.classList.contains("queue-page") && window.EventSource) {
    let newlyHeld = 0;
    const banner = document.getElementById("new-held");
    const source = new EventSource("/events");
    source.addEventListener("decided", (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      const article = articleOf(data.ref || data.comment_id);
      if (article && !article.dataset.settled && Number(data.revision || 1) > Number(article.dataset.revision || 1)) {
        // The author edited it: the text on this card is no longer the comment's; a verdict on it is refused.
        const box = article.querySelector("input.pick");
        if (box) box.checked = false;
        settle(article, "Edited since you opened it: reload to see the current text.", "edited");
        return;
      }
      if (data.decision === "review") {
        if (!article && banner) {
          newlyHeld += 1;
          banner.querySelector("span").textContent = newlyHeld === 1 ? "A new comment was held." : newlyHeld + " new comments were held.";
          banner.querySelector("a").href = window.location.href;
          banner.hidden = false;
        }
        return;
      }
      if (!article || article.dataset.pending || article.dataset.settled) return;
      advanceFrom(article);
      const box = article.querySelector("input.pick");
      if (box) box.checked = false;
      settle(article, (data.note || data.decision) + " (elsewhere)", "decided-elsewhere");
      article.dataset.decided = data.decision;
      updateCount(-1);
    });
  }

  if (document.querySelector("article.comment")) setCurrent(items()[0]);
})();
