/*! Larkspur helpdesk agent console: "the bot got this wrong" on a customer turn (issue 17, item 4).
 * agent.js calls ConsoleCorrections.turnTools(message) for each customer turn it shows and
 * ConsoleCorrections.opened(conversationId) when a conversation is (re)drawn; everything else is here.
 * The agent picks the right intent (in words), a handbook entry (searched by title, English and Chinese) or
 * "new question"; a supervisor, admin or editor reviews it at /agent/corrections.
 * Data goes on the page with textContent only (ConsoleCommon.el), never as HTML. */
(function () {
  "use strict";

  const { $, el, errorText } = window.ConsoleCommon;
  const MAX_NOTE = 500;
  const SHOWN_ENTRIES = 60;
  const STATUS_TEXT = { pending: "waiting for review", accepted: "accepted", rejected: "rejected" };

  const state = {
    api: null,
    me: null,
    conversation: null,
    byMessage: new Map(), // message id → its correction
    messages: new Map(), // message id → the message (what the bot read)
    choices: null,
    editing: null, // the message being corrected
  };

  const fmtPct = (x) => Math.round(Number(x || 0) * 100) + "%";

  /** The console's words in the staff member's language (static/console/i18n.js, keyed by the English text). */
  function t(text, vars) {
    const i18n = window.ConsoleI18n;
    if (i18n && typeof i18n.t === "function") return i18n.t(text, vars);
    return text.replace(/\{(\w+)\}/g, (m, k) => (vars && vars[k] != null ? String(vars[k]) : m));
  }

  // ---- per turn ------------------------------------------------------------------------------
  /** The "bot got this wrong" control under a customer turn the bot read (typed, with the bot's guesses). */
  function turnTools(m) {
    const bar = el("div", "corr-bar");
    bar.dataset.messageId = String(m.id);
    if (!m || m.payload || !m.nlu || !m.nlu.intent || !state.me || state.me.role === "editor") {
      bar.hidden = true;
      return bar;
    }
    state.messages.set(m.id, m);
    draw(bar, m);
    return bar;
  }
  function draw(bar, m) {
    bar.textContent = "";
    bar.hidden = false;
    const c = state.byMessage.get(m.id);
    if (c) {
      const tag = el("span", "corr-tag " + c.status);
      tag.textContent = t("Corrected: {label}", { label: c.label_text }) + " · " +
        t(STATUS_TEXT[c.status] || c.status) + (c.agent ? " · " + c.agent : "");
      bar.appendChild(tag);
      if (c.status === "pending") {
        const edit = el("button", "corr-link", t("Change"));
        edit.type = "button";
        edit.addEventListener("click", () => openDialog(m));
        bar.appendChild(edit);
      }
      return;
    }
    const button = el("button", "corr-link", t("Bot got this wrong"));
    button.type = "button";
    button.title = t("Tell the bot what this message was really about");
    button.addEventListener("click", () => openDialog(m));
    bar.appendChild(button);
  }
  function redrawAll() {
    for (const bar of document.querySelectorAll("#transcript .corr-bar")) {
      const m = state.messages.get(Number(bar.dataset.messageId));
      if (m) draw(bar, m);
    }
  }

  /** A conversation was (re)drawn: fetch its corrections and show them on the turns. */
  async function opened(conversationId) {
    if (!state.me || state.me.role === "editor") return;
    if (state.conversation !== conversationId) state.byMessage.clear();
    state.conversation = conversationId;
    const r = await state.api("GET", "/corrections?conversation_id=" + encodeURIComponent(conversationId));
    if (state.conversation !== conversationId || !r.res || !r.res.ok) return;
    state.byMessage.clear();
    for (const c of r.data.corrections || []) state.byMessage.set(c.message_id, c);
    redrawAll();
  }

  // ---- the dialog ----------------------------------------------------------------------------
  function buildDialog() {
    const dialog = el("dialog");
    dialog.id = "correction-dialog";
    dialog.setAttribute("aria-labelledby", "correction-title");
    const form = el("form");
    form.id = "correction-form";
    form.method = "dialog";
    const h = el("h2", null, t("What was this message about?"));
    h.id = "correction-title";
    form.appendChild(h);
    const quote = el("blockquote", "corr-quote");
    quote.id = "correction-text";
    quote.dataset.userContent = ""; // the customer's words: never translated
    form.appendChild(quote);
    const guess = el("p", "muted");
    guess.id = "correction-guess";
    form.appendChild(guess);

    const kinds = el("fieldset", "corr-kinds");
    kinds.appendChild(el("legend", null, t("The right answer would have been")));
    for (const [value, label] of [
      ["intent", t("A request the bot handles")],
      ["faq", t("A handbook answer")],
      ["new_question", t("A new question (the handbook has no answer)")],
    ]) {
      const lab = el("label", "corr-kind");
      const input = el("input");
      input.type = "radio";
      input.name = "correction-kind";
      input.value = value;
      input.id = "correction-kind-" + value;
      input.addEventListener("change", showKind);
      lab.appendChild(input);
      lab.appendChild(document.createTextNode(" " + label));
      kinds.appendChild(lab);
    }
    form.appendChild(kinds);

    const intentBox = el("div", "corr-pane");
    intentBox.id = "correction-intent-pane";
    const il = el("label", null, t("Request"));
    il.htmlFor = "correction-intent";
    intentBox.appendChild(il);
    const select = el("select");
    select.id = "correction-intent";
    intentBox.appendChild(select);
    form.appendChild(intentBox);

    const faqBox = el("div", "corr-pane");
    faqBox.id = "correction-faq-pane";
    const fl = el("label", null, t("Search the handbook (English or Chinese title)"));
    fl.htmlFor = "correction-search";
    faqBox.appendChild(fl);
    const search = el("input");
    search.id = "correction-search";
    search.type = "search";
    search.maxLength = 100;
    search.autocomplete = "off";
    search.addEventListener("input", renderEntries);
    faqBox.appendChild(search);
    const list = el("div", "corr-entries");
    list.id = "correction-entries";
    list.setAttribute("role", "radiogroup");
    list.setAttribute("aria-label", t("Handbook entries"));
    faqBox.appendChild(list);
    form.appendChild(faqBox);

    const nl = el("label", null, t("Note for the reviewer (optional)"));
    nl.htmlFor = "correction-note";
    form.appendChild(nl);
    const note = el("textarea");
    note.id = "correction-note";
    note.rows = 2;
    note.maxLength = MAX_NOTE;
    form.appendChild(note);
    const error = el("p", "error");
    error.id = "correction-error";
    error.setAttribute("role", "alert");
    form.appendChild(error);
    const row = el("div", "row");
    const save = el("button", "primary", t("Save correction"));
    save.type = "submit";
    save.id = "correction-save";
    const cancel = el("button", null, t("Cancel"));
    cancel.type = "button";
    cancel.addEventListener("click", () => dialog.close());
    row.appendChild(save);
    row.appendChild(cancel);
    form.appendChild(row);
    form.addEventListener("submit", submit);
    dialog.appendChild(form);
    document.body.appendChild(dialog);
    return dialog;
  }
  function dialog() {
    return $("correction-dialog") || buildDialog();
  }
  function kind() {
    const checked = document.querySelector('input[name="correction-kind"]:checked');
    return checked ? checked.value : "";
  }
  function showKind() {
    $("correction-intent-pane").hidden = kind() !== "intent";
    $("correction-faq-pane").hidden = kind() !== "faq";
    if (kind() === "faq") $("correction-search").focus();
  }
  async function loadChoices() {
    if (state.choices) return state.choices;
    const r = await state.api("GET", "/corrections/choices");
    if (!r.res || !r.res.ok) throw new Error(errorText(r, "Could not load the intents and handbook entries."));
    state.choices = r.data;
    const select = $("correction-intent");
    select.textContent = "";
    const none = el("option", null, t("Pick one…"));
    none.value = "";
    select.appendChild(none);
    for (const i of state.choices.intents) {
      const o = el("option", null, i.en + " — " + i.zh);
      o.value = i.name;
      o.title = i.name;
      select.appendChild(o);
    }
    return state.choices;
  }
  function renderEntries() {
    const list = $("correction-entries");
    list.textContent = "";
    if (!state.choices) return;
    const words = $("correction-search").value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const chosen = list.dataset.chosen || "";
    const hits = state.choices.handbook.filter((e) => {
      const hay = (e.title + " " + (e.title_zh || "") + " " + e.id).toLowerCase();
      return words.every((w) => hay.includes(w));
    });
    for (const e of hits.slice(0, SHOWN_ENTRIES)) {
      const lab = el("label", "corr-entry");
      const input = el("input");
      input.type = "radio";
      input.name = "correction-entry";
      input.value = e.id;
      input.checked = e.id === chosen;
      input.addEventListener("change", () => (list.dataset.chosen = e.id));
      lab.appendChild(input);
      const text = el("span");
      text.appendChild(el("span", "corr-entry-title", e.title));
      if (e.title_zh) text.appendChild(el("span", "corr-entry-zh", e.title_zh));
      lab.appendChild(text);
      list.appendChild(lab);
    }
    if (!hits.length) list.appendChild(el("p", "muted", t("No entry matches. Is it a new question?")));
    else if (hits.length > SHOWN_ENTRIES) list.appendChild(el("p", "muted", (hits.length - SHOWN_ENTRIES) + " more: type more of the title."));
  }
  async function openDialog(m) {
    const d = dialog();
    state.editing = m;
    $("correction-error").textContent = "";
    $("correction-text").textContent = m.text;
    const cands = m.faq_candidates && Array.isArray(m.faq_candidates.candidates) ? m.faq_candidates.candidates : [];
    $("correction-guess").textContent =
      t("The bot read") + ": " + m.nlu.intent + " " + fmtPct(m.nlu.confidence) +
      (cands.length ? " · FAQ " + cands[0].id : "");
    const existing = state.byMessage.get(m.id);
    for (const input of document.querySelectorAll('input[name="correction-kind"]')) {
      input.checked = existing ? input.value === existing.kind : false;
    }
    $("correction-note").value = existing && existing.note ? existing.note : "";
    $("correction-search").value = "";
    $("correction-entries").dataset.chosen = existing && existing.kind === "faq" ? existing.label : "";
    d.showModal();
    try {
      await loadChoices();
    } catch (e) {
      $("correction-error").textContent = e.message;
      return;
    }
    $("correction-intent").value = existing && existing.kind === "intent" ? existing.label : "";
    renderEntries();
    showKind();
  }
  async function submit(ev) {
    ev.preventDefault();
    const m = state.editing;
    if (!m) return;
    const k = kind();
    let label = null;
    if (!k) return ($("correction-error").textContent = t("Say what the right answer would have been."));
    if (k === "intent") label = $("correction-intent").value;
    if (k === "faq") label = $("correction-entries").dataset.chosen || "";
    if (k !== "new_question" && !label) {
      $("correction-error").textContent = k === "intent"
        ? t("Pick the request.")
        : t("Pick the handbook entry.");
      return;
    }
    const body = { message_id: m.id, kind: k, label };
    const note = $("correction-note").value.trim();
    if (note) body.note = note;
    $("correction-save").disabled = true;
    const r = await state.api("POST", "/corrections", body);
    $("correction-save").disabled = false;
    if (!r.res || !r.res.ok) {
      $("correction-error").textContent = errorText(r, "Could not save the correction.");
      return;
    }
    state.byMessage.set(m.id, r.data);
    dialog().close();
    redrawAll();
  }

  // ---- wiring --------------------------------------------------------------------------------
  function init(api) {
    state.api = api;
  }
  /** The logged-in account (agent.js's start): supervisors and admins get a link to the review list. */
  function start(me) {
    state.me = me;
    const link = $("corrections-link") || el("a", "toplink", t("Corrections"));
    link.id = "corrections-link";
    link.href = "/agent/corrections";
    link.hidden = !(me.role === "supervisor" || me.role === "admin");
    const after = $("dashboard-link");
    if (!link.parentNode && after && after.parentNode) after.parentNode.insertBefore(link, after.nextSibling);
  }

  window.ConsoleCorrections = Object.freeze({ init, start, opened, turnTools });
})();
