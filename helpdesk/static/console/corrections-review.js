/*! Larkspur helpdesk: agents' corrections of the bot, reviewed by supervisors, admins and editors (accept / reject).
 * Vanilla JS under CSP script-src 'self'; customer text (masked by the server) goes on the page with textContent. */
(function () {
  "use strict";

  const { $, el, request, errorText, button, renderList, startStaffPage } = window.ConsoleCommon;
  const state = { csrf: "", me: null, status: "pending" };
  const api = (method, path, body) => request(method, path, body, state.csrf);
  const KIND = { intent: "Request", faq: "Handbook answer", new_question: "New question" };
  // what the bot did, in words, where the intent name alone says little
  const BOT = { nlu_fallback: "not sure: asked “Did you mean…”", faq: "a handbook answer", out_of_scope: "not about the shop" };
  const pct = (x) => (x == null ? "" : " " + Math.round(Number(x) * 100) + "%");
  const when = (iso) => {
    const d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  };

  async function load() {
    $("status").textContent = "Loading…";
    const r = await api("GET", "/corrections?status=" + encodeURIComponent(state.status));
    if (!r.res || !r.res.ok) {
      $("status").textContent = errorText(r, "Could not load the corrections.");
      return;
    }
    $("status").textContent = "";
    for (const [k, n] of Object.entries(r.data.counts || {})) {
      const c = $("count-" + k);
      if (c) c.textContent = String(n);
    }
    render(r.data.corrections || []);
  }

  function fact(dl, key, value) {
    dl.appendChild(el("dt", null, key));
    dl.appendChild(el("dd", null, value == null || value === "" ? "—" : value));
  }

  function render(rows) {
    const empty = state.status === "pending" ? "Nothing waits for review." : "None.";
    renderList($("corrections"), rows, renderOne, empty, "cr-item cr-card");
  }

  function renderOne(c, li) {
    li.dataset.id = String(c.id);
    const body = el("div");
    const words = el("div", "cr-text", c.text);
    words.dataset.userContent = ""; // the customer's words (masked): never translated
    body.appendChild(words);
    const dl = el("dl", "cr-facts");
    const bot = c.bot || {};
    const read = BOT[bot.intent] ? BOT[bot.intent] + " (" + bot.intent + ")" : bot.intent || "?";
    const match = bot.faq_title || bot.faq_id; // the entry by its title (an id says little to an editor)
    fact(dl, "Bot read", read + pct(bot.confidence) + (match ? " · best handbook match " + match : ""));
    fact(dl, "Agent says", KIND[c.kind] + ": " + c.label_text + (c.label && c.kind !== "new_question" ? " (" + c.label + ")" : ""));
    if (c.note) fact(dl, "Note", c.note);
    if (c.note) dl.lastChild.dataset.userContent = "";
    fact(dl, "By", (c.agent || "?") + " · " + when(c.created_at) + (c.language ? " · " + c.language : ""));
    if (c.status !== "pending") fact(dl, c.status === "accepted" ? "Accepted by" : "Rejected by", (c.reviewer || "?") + " · " + when(c.reviewed_at));
    body.appendChild(dl);
    li.appendChild(body);
    const actions = el("div", "cr-actions");
    if (c.status !== "accepted") actions.appendChild(button("Accept", "primary", () => review(c.id, "accept")));
    if (c.status !== "rejected") actions.appendChild(button("Reject", null, () => review(c.id, "reject")));
    li.appendChild(actions);
  }

  async function review(id, decision) {
    const r = await api("POST", "/corrections/" + id + "/review", { decision });
    if (!r.res || !r.res.ok) {
      $("status").textContent = errorText(r, "Could not save the review.");
      return;
    }
    $("status").textContent = decision === "accept" ? "Accepted." : "Rejected.";
    load();
  }

  async function init() {
    for (const b of document.querySelectorAll(".cr-tabs button")) {
      b.addEventListener("click", () => {
        state.status = b.dataset.status;
        for (const o of document.querySelectorAll(".cr-tabs button")) o.setAttribute("aria-pressed", String(o === b));
        load();
      });
    }
    const started = await startStaffPage({
      hiddenFor: { "unanswered-link": ["agent"] },
      allowed: (role) => role !== "agent",
      denyText: "Corrections are reviewed by supervisors, admins and editors.",
    });
    if (!started) return;
    state.me = started.me;
    state.csrf = started.csrf;
    $("review").hidden = false;
    load();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
