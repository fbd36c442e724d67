/*! Larkspur helpdesk agent console: finding conversations again — labels (supervisors keep the list, everyone puts
 * them on conversations, the lists filter by them), search over every conversation (text, e-mail, name, order
 * number, label, dates, language, state; closed and transferred ones too), the CSV of a search (supervisors), and the
 * customer's earlier conversations in the side panel. Everything from the server goes on the page as text. */
(function () {
  "use strict";

  const { API, $, el, errorText } = window.ConsoleCommon;
  const MODE_WORDS = { bot: "with the bot", queued: "waiting", agent: "with an agent", closed: "resolved" };
  const state = { api: null, hooks: null, labels: [], filter: "", open: null, searching: false, lastQuery: "" };

  const supervising = () => state.hooks && state.hooks.supervising();

  // ---- labels -------------------------------------------------------------------------------------
  async function loadLabels() {
    const r = await state.api("GET", "/labels");
    if (!r.res || !r.res.ok) return;
    state.labels = r.data.labels || [];
    fillLabelSelects();
    renderLabelEditor();
  }
  function fillLabelSelects() {
    for (const [id, first] of [["label-filter", "All labels"], ["search-label", "Any label"]]) {
      const select = $(id);
      const keep = select.value;
      select.textContent = "";
      select.appendChild(new Option(first, ""));
      for (const l of state.labels) select.appendChild(new Option(l.name, String(l.id)));
      select.value = state.labels.some((l) => String(l.id) === keep) ? keep : "";
    }
    state.filter = $("label-filter").value;
    renderConversationLabels();
  }
  function chip(label, onRemove) {
    const span = el("span", "label-chip");
    span.style.setProperty("--label", /^#[0-9a-f]{6}$/i.test(label.colour) ? label.colour : "#6b6f80");
    span.appendChild(el("span", null, label.name));
    if (onRemove) {
      const x = el("button", "label-x", "×");
      x.type = "button";
      x.setAttribute("aria-label", "Remove the label " + label.name);
      x.addEventListener("click", (e) => {
        e.stopPropagation();
        onRemove(label);
      });
      span.appendChild(x);
    }
    return span;
  }
  /** The labels of a card in the lists (queue, chats, search results). */
  function chips(labels) {
    const box = el("div", "label-chips");
    for (const l of labels || []) box.appendChild(chip(l));
    return box;
  }
  /** Whether a card passes the lists' label filter. */
  function passes(card) {
    return !state.filter || (card.labels || []).some((l) => String(l.id) === state.filter);
  }

  async function show(conversationId) {
    state.open = conversationId;
    state.current = [];
    renderConversationLabels();
    $("history").textContent = "";
    const [labels, history] = await Promise.all([
      state.api("GET", "/conversations/" + encodeURIComponent(conversationId) + "/labels"),
      state.api("GET", "/conversations/" + encodeURIComponent(conversationId) + "/history"),
    ]);
    if (state.open !== conversationId) return;
    if (labels.res && labels.res.ok) state.current = labels.data.labels;
    renderConversationLabels();
    const found = history.res && history.res.ok ? history.data : null;
    renderHistory(found ? found.conversations : null, found ? found.with_colleagues || [] : []);
  }
  function hide() {
    state.open = null;
  }
  function renderConversationLabels() {
    const box = $("conv-labels");
    if (!box) return;
    box.textContent = "";
    for (const l of state.current || []) box.appendChild(chip(l, removeLabel));
    const select = $("label-add");
    select.textContent = "";
    select.appendChild(new Option("Add a label…", ""));
    const on = new Set((state.current || []).map((l) => l.id));
    for (const l of state.labels) if (!on.has(l.id)) select.appendChild(new Option(l.name, String(l.id)));
    select.hidden = select.options.length <= 1;
    $("labels-manage").hidden = !supervising();
    $("labels-none").hidden = (state.current || []).length > 0 || state.labels.length > 0;
  }
  async function addLabel() {
    const value = $("label-add").value;
    if (!value || !state.open) return;
    const r = await state.api("POST", "/conversations/" + encodeURIComponent(state.open) + "/labels", { label_id: Number(value) });
    $("labels-error").textContent = r.res && r.res.ok ? "" : errorText(r, "Could not add the label.");
    if (r.res && r.res.ok) state.current = r.data.labels;
    renderConversationLabels();
  }
  async function removeLabel(label) {
    if (!state.open) return;
    const r = await state.api("DELETE", "/conversations/" + encodeURIComponent(state.open) + "/labels/" + label.id);
    $("labels-error").textContent = r.res && r.res.ok ? "" : errorText(r, "Could not remove the label.");
    if (r.res && r.res.ok) state.current = r.data.labels;
    renderConversationLabels();
  }
  /** A console event: a conversation's labels changed (anyone's console), or the list did. */
  function changed(ev) {
    if (ev.conversation_id && ev.conversation_id === state.open) {
      state.current = ev.labels || [];
      renderConversationLabels();
    }
    if (!ev.conversation_id) loadLabels();
    if (state.searching) runSearch();
  }

  // supervisors keep the list
  function renderLabelEditor() {
    const ul = $("labels-list");
    ul.textContent = "";
    if (!state.labels.length) ul.appendChild(el("li", "muted", "No labels yet."));
    for (const l of state.labels) {
      const li = el("li");
      li.appendChild(chip(l));
      li.appendChild(el("span", "muted", l.conversations + " conversation" + (l.conversations === 1 ? "" : "s")));
      const edit = el("button", null, "Edit");
      edit.type = "button";
      edit.setAttribute("aria-label", "Edit the label " + l.name);
      edit.addEventListener("click", () => {
        $("label-id").value = String(l.id);
        $("label-name").value = l.name;
        $("label-colour").value = l.colour;
        $("label-name").focus();
      });
      const del = el("button", null, "Delete");
      del.type = "button";
      del.setAttribute("aria-label", "Delete the label " + l.name);
      del.addEventListener("click", async () => {
        // it comes off every conversation that has it, with no undo
        const ask = l.conversations
          ? "Delete the label " + l.name + "? It comes off " + l.conversations + (l.conversations === 1 ? " conversation." : " conversations.")
          : "Delete the label " + l.name + "?";
        if (!confirm(ask)) return;
        const r = await state.api("DELETE", "/labels/" + l.id);
        $("label-form-error").textContent = r.res && (r.res.ok || r.res.status === 404) ? "" : errorText(r, "Could not delete.");
        loadLabels();
      });
      li.appendChild(edit);
      li.appendChild(del);
      ul.appendChild(li);
    }
  }
  async function saveLabel(ev) {
    ev.preventDefault();
    const id = $("label-id").value;
    const body = { name: $("label-name").value, colour: $("label-colour").value };
    const r = id ? await state.api("PUT", "/labels/" + id, body) : await state.api("POST", "/labels", body);
    if (!r.res || !r.res.ok) return ($("label-form-error").textContent = errorText(r, "Could not save the label."));
    $("label-form-error").textContent = "";
    $("label-id").value = "";
    $("label-name").value = "";
    loadLabels();
  }

  // ---- search -------------------------------------------------------------------------------------
  function searchParams() {
    const params = new URLSearchParams();
    const fields = { q: "search-q", label: "search-label", language: "search-language", state: "search-state",
      from: "search-from", to: "search-to" };
    for (const [key, id] of Object.entries(fields)) {
      const value = $(id).value.trim();
      if (value) params.set(key, value);
    }
    return params;
  }
  async function runSearch(ev) {
    if (ev) ev.preventDefault();
    const params = searchParams();
    if (![...params.keys()].length) return clearSearch();
    state.searching = true;
    const query = params.toString();
    state.lastQuery = query;
    $("search-section").hidden = false;
    document.body.classList.add("searching");
    $("search-status").textContent = "Searching…";
    const r = await state.api("GET", "/search?" + query);
    if (state.lastQuery !== query) return;
    const list = $("search-results");
    list.textContent = "";
    if (!r.res || !r.res.ok) return ($("search-status").textContent = errorText(r, "Could not search."));
    const found = r.data.conversations;
    $("search-status").textContent = found.length ? found.length + (r.data.more ? "+" : "") + " found" : "Nothing found.";
    for (const c of found) list.appendChild(resultCard(c));
    const csv = $("search-csv");
    csv.hidden = !supervising() || !found.length;
    csv.href = API + "/search.csv?" + query;
  }
  function clearSearch() {
    state.searching = false;
    state.lastQuery = "";
    $("search-q").value = "";
    $("search-section").hidden = true;
    document.body.classList.remove("searching");
  }
  function when(iso) {
    const d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleString([], { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }
  function resultCard(c) {
    const li = el("li");
    li.tabIndex = 0;
    li.dataset.id = c.conversation_id;
    const head = el("div", "card-head");
    head.appendChild(el("span", "cust-name", c.customer_name || c.customer_email || "Customer"));
    if (c.customer_tier === "vip") head.appendChild(el("span", "badge vip", "VIP"));
    head.appendChild(el("span", "badge mode-" + c.mode, MODE_WORDS[c.mode] || c.mode));
    li.appendChild(head);
    const line = el("div", "line1");
    line.appendChild(el("span", null, when(c.updated_at) + (c.assignee_name ? " · " + c.assignee_name : "")));
    if (c.language) line.appendChild(el("span", null, c.language === "zh" ? "中文" : c.language));
    li.appendChild(line);
    if (c.snippet || c.first_question) li.appendChild(el("div", "preview", c.snippet || c.first_question));
    if (c.labels && c.labels.length) li.appendChild(chips(c.labels));
    const open = () => state.hooks.open(c.conversation_id);
    li.addEventListener("click", open);
    li.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        open();
      }
    });
    return li;
  }

  // ---- the customer's earlier conversations --------------------------------------------------------
  // `colleagues`: the customer's chats going on with a colleague now, which this agent may not open (who and since
  // when): "No earlier conversations" hid that the same customer was with a colleague about the same order
  function renderHistory(list, colleagues) {
    const ul = $("history");
    ul.textContent = "";
    if (list == null) return ul.appendChild(el("li", "muted", "Could not load earlier conversations."));
    for (const c of colleagues) {
      const since = new Date(c.created_at);
      const time = isNaN(since) ? "" : since.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      const key = "Also in a chat with {name} now (since {time}).";
      const vars = { name: c.assignee_name, time };
      ul.appendChild(el("li", "with-colleague", window.ConsoleI18n ? window.ConsoleI18n.t(key, vars)
        : key.replace("{name}", vars.name).replace("{time}", vars.time)));
    }
    if (!list.length && !colleagues.length) {
      return ul.appendChild(el("li", "muted", "No earlier conversations (or the customer is not known)."));
    }
    for (const c of list) {
      const card = resultCard(c);
      card.classList.add("history-item");
      ul.appendChild(card);
    }
  }

  function init(api, hooks) {
    state.api = api;
    state.hooks = hooks;
    $("search-form").addEventListener("submit", runSearch);
    $("search-clear").addEventListener("click", clearSearch);
    for (const id of ["search-label", "search-language", "search-state", "search-from", "search-to"]) {
      $(id).addEventListener("change", () => { if (state.searching || $(id).value) runSearch(); });
    }
    $("label-filter").addEventListener("change", () => {
      state.filter = $("label-filter").value;
      hooks.refilter();
    });
    $("label-add").addEventListener("change", addLabel);
    $("labels-manage").addEventListener("click", () => {
      renderLabelEditor();
      $("labels-dialog").showModal();
    });
    $("label-form").addEventListener("submit", saveLabel);
    $("labels-close").addEventListener("click", () => $("labels-dialog").close());
  }
  function start() {
    loadLabels();
  }

  window.ConsoleFind = { init, start, show, hide, chips, passes, changed, clearSearch };
})();
