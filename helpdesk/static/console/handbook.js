/*! Larkspur helpdesk: the handbook editor (/agent/handbook) — vanilla JS, CSP script-src 'self'.
 * Lists and searches the handbook, opens an entry, checks every edit as `kb validate` does (problems by line,
 * shown at their field), previews the answers with the chat widget's own Markdown renderer and styles
 * (widget.js loaded with data-markdown-only), publishes with the revision it was opened at (409: both versions
 * side by side), creates and deletes. Entry text goes on the page with textContent, never as HTML. */
(function () {
  "use strict";

  const { $, el, request, errorText } = window.ConsoleCommon;
  const FIELDS = ["id", "tags", "title", "questions", "answer", "zh_title", "zh_questions", "zh_answer"];
  const state = {
    csrf: "", me: null, mayEdit: false, current: null, // current: {id, revision (null: new), isNew}
    checkTimer: null, checkSeq: 0, listTimer: null, conflict: null, lastText: "", revision: null, gateRetry: null,
    gateAsk: null, // the gated change an editor may hand to a supervisor: {entry_id, entry, base_revision, message}
    titles: new Map(), // entry id -> its title as this screen reads it (from the lists loaded): requests name entries by it
    saved: "", // the form as opened or last published (formKey): anything else is an edit not published yet
  };
  const api = (method, path, body) => request(method, path, body, state.csrf);
  const lines = (v) => v.split("\n").map((s) => s.trim()).filter(Boolean);

  // ---- the form <-> the API's entry ---------------------------------------------------------------
  function formEntry() {
    return {
      title: $("f-title").value,
      questions: lines($("f-questions").value),
      tags: $("f-tags").value.split(",").map((s) => s.trim()).filter(Boolean),
      answer: $("f-answer").value,
      zh_title: $("f-zh_title").value,
      zh_questions: lines($("f-zh_questions").value),
      zh_answer: $("f-zh_answer").value,
    };
  }
  const formKey = () => JSON.stringify([$("f-id").value.trim(), formEntry()]);
  /** The editor changed the open entry (or wrote a new one) and has not published it. */
  const unsaved = () => state.mayEdit && state.current !== null && formKey() !== state.saved;
  /** Before the form is replaced or the page left: an edit not published yet is only dropped if the editor says so. */
  function mayLeave() {
    if (!unsaved()) return true;
    const id = state.current.isNew ? $("f-id").value.trim() : state.current.id;
    return confirm(id ? "Leave '" + id + "' without publishing? Your changes will be lost." : "Leave the new entry without publishing? Your changes will be lost.");
  }
  function fill(id, entry) {
    $("f-id").value = id;
    $("f-title").value = entry.title || "";
    $("f-questions").value = (entry.questions || []).join("\n");
    $("f-tags").value = (entry.tags || []).join(", ");
    $("f-answer").value = entry.answer || "";
    $("f-zh_title").value = entry.zh_title || "";
    $("f-zh_questions").value = (entry.zh_questions || []).join("\n");
    $("f-zh_answer").value = entry.zh_answer || "";
  }
  const entryText = (id, e) =>
    [
      "id: " + id,
      "title: " + (e.title || ""),
      "questions:\n" + (e.questions || []).map((q) => "  - " + q).join("\n"),
      "tags: " + (e.tags || []).join(", "),
      "zh.title: " + (e.zh_title || ""),
      "zh.questions:\n" + (e.zh_questions || []).map((q) => "  - " + q).join("\n"),
      "--- answer ---\n" + (e.answer || ""),
      "--- 中文答案 ---\n" + (e.zh_answer || ""),
    ].join("\n");

  // ---- the list -----------------------------------------------------------------------------------
  async function loadList() {
    const q = $("search").value.trim();
    $("list-status").textContent = "Loading…";
    const r = await api("GET", "/handbook" + (q ? "?q=" + encodeURIComponent(q) : ""));
    if (!r.res || !r.res.ok) {
      $("list-status").textContent = errorText(r, "Could not load the handbook.");
      return;
    }
    const rows = r.data.entries;
    $("list-status").textContent = rows.length + (rows.length === 1 ? " entry" : " entries") + (q ? " match" : "");
    const list = $("entries");
    list.textContent = "";
    for (const row of rows) {
      const li = el("li");
      const b = el("button", "hb-entry");
      b.type = "button";
      b.dataset.id = row.id;
      state.titles.set(row.id, shownTitle(row));
      b.appendChild(el("span", "t", row.title || row.id));
      if (row.zh_title) b.appendChild(el("span", "zh", row.zh_title));
      const meta = el("span", "meta", row.id + (row.tags.length ? " · " + row.tags.join(", ") : ""));
      b.appendChild(meta);
      if (row.problems) b.appendChild(el("span", "bad", row.problems + (row.problems === 1 ? " problem" : " problems")));
      else if (!row.chinese) b.appendChild(el("span", "warn", "no Chinese version"));
      if (state.current && state.current.id === row.id) b.setAttribute("aria-current", "true");
      b.addEventListener("click", () => {
        if (unsaved() && !state.current.isNew && state.current.id === row.id) { // back to it (a phone's list): as left
          $("edit-pane").hidden = false;
          $("workbench").classList.add("editing");
          return;
        }
        if (mayLeave()) openEntry(row.id);
      });
      li.appendChild(b);
      list.appendChild(li);
    }
  }

  // ---- one entry ----------------------------------------------------------------------------------
  function showEditor(title) {
    $("impact-sentence").textContent = "";
    $("impact-lists").textContent = "";
    $("edit-pane").hidden = false;
    $("workbench").classList.add("editing");
    $("edit-h").textContent = title;
    $("save-status").textContent = "";
    $("save-status").className = "";
  }
  /** A change request's entry by its title (the one asked for, else the published one), its id when neither is known:
   * “How long does delivery take?” rather than delivery-time. */
  function requestName(q) {
    const title = (q.entry && shownTitle(q.entry)) || state.titles.get(q.entry_id);
    return title ? "“" + title + "”" : q.entry_id;
  }
  /** The entry's title as the editor's screen reads: its Chinese title on a Chinese screen (when it has one). */
  function shownTitle(entry) {
    const zh = window.ConsoleI18n && window.ConsoleI18n.lang === "zh";
    return (zh && entry.zh_title) || entry.title;
  }
  async function openEntry(id) {
    const r = await api("GET", "/handbook/" + encodeURIComponent(id));
    if (!r.res || !r.res.ok) {
      $("list-status").textContent = errorText(r, "Could not open the entry.");
      return;
    }
    state.current = { id, revision: r.data.revision, isNew: false };
    fill(id, r.data.entry);
    state.saved = formKey();
    $("f-id").readOnly = true;
    $("edit-path").textContent = r.data.path;
    showEditor(shownTitle(r.data.entry) || id);
    $("delete").hidden = !state.mayEdit;
    history.replaceState(null, "", "#" + encodeURIComponent(id));
    showCheck(r.data);
    loadHistory(id);
    for (const b of document.querySelectorAll(".hb-entry")) b.toggleAttribute("aria-current", b.dataset.id === id);
  }
  function newEntry(draft) {
    state.current = { id: "", revision: null, isNew: true };
    fill("", {});
    state.saved = formKey(); // a draft handed over from the unanswered questions is not published yet either
    if (draft) fill(draft.id || "", draft.entry || {});
    $("f-id").readOnly = false;
    $("edit-path").textContent = "new";
    showEditor("New entry");
    $("delete").hidden = true;
    $("history").hidden = true;
    history.replaceState(null, "", "#new");
    scheduleCheck(0);
    $(draft && draft.id ? "f-answer" : "f-id").focus();
  }

  // ---- checks and preview -------------------------------------------------------------------------
  function scheduleCheck(delay) {
    clearTimeout(state.checkTimer);
    state.checkTimer = setTimeout(runCheck, delay == null ? 350 : delay);
  }
  async function runCheck() {
    const id = $("f-id").value.trim();
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) {
      showCheck({
        problems: [{ line: 2, field: "id", message: "the id is lower-case letters, digits and single dashes (like 'gift-wrapping')" }],
        warnings: [], text: "", rendered: { en: $("f-answer").value, zh: $("f-zh_answer").value },
      });
      return;
    }
    const seq = ++state.checkSeq;
    $("check-status").textContent = "Checking…";
    const r = await api("POST", "/handbook/" + encodeURIComponent(id) + "/check", { entry: formEntry() });
    if (seq !== state.checkSeq) return; // a later edit's check is on its way
    if (!r.res || !r.res.ok) {
      $("check-status").textContent = errorText(r, "Could not check the entry.");
      return;
    }
    showCheck(r.data);
  }
  function showCheck(data) {
    for (const f of document.querySelectorAll(".hb-field")) f.classList.remove("has-problem");
    for (const m of document.querySelectorAll(".hb-field .hb-inline")) m.remove();
    const problems = $("problems");
    problems.textContent = "";
    for (const p of data.problems) {
      const field = String(p.field || "id").split(".")[0];
      const li = el("li");
      const go = el("button", "hb-line", "line " + p.line);
      go.type = "button";
      go.addEventListener("click", () => { const input = $("f-" + field); if (input) input.focus(); });
      li.appendChild(go);
      li.appendChild(document.createTextNode(" " + p.message));
      problems.appendChild(li);
      const box = document.querySelector('.hb-field[data-field="' + field + '"]');
      if (box) {
        box.classList.add("has-problem");
        box.appendChild(el("p", "hb-inline", "Line " + p.line + ": " + p.message));
      }
    }
    const warnings = $("warnings");
    warnings.textContent = "";
    for (const w of data.warnings) warnings.appendChild(el("li", null, "line " + w.line + ": " + w.message));
    $("check-status").textContent = data.problems.length
      ? data.problems.length + (data.problems.length === 1 ? " problem: " : " problems: ") + "fix before publishing."
      : "No problems." + (data.warnings.length ? " (" + data.warnings.length + " warning)" : "");
    $("check-status").className = data.problems.length ? "error" : "ok";
    const fileLines = $("file-lines");
    fileLines.textContent = "";
    const bad = new Set(data.problems.map((p) => p.line));
    (data.text || "").replace(/\n$/, "").split("\n").forEach((line, i) => {
      const li = el("li", bad.has(i + 1) ? "bad" : null, line || " ");
      fileLines.appendChild(li);
    });
    state.lastText = data.text || "";
    renderPreview($("preview-en"), data.rendered.en, "en");
    renderPreview($("preview-zh"), data.rendered.zh, "zh");
    $("publish").disabled = !state.mayEdit || data.problems.length > 0;
  }
  /** The answer as a bot message in the chat widget: its renderer and its styles, inside a shadow root; labelled as
   * a chat in `lang` (the answer's language) labels the bot. */
  function renderPreview(host, markdown, lang) {
    const chat = window.LarkspurChatMarkdown;
    if (!host.shadowRoot) {
      const root = host.attachShadow({ mode: "open" });
      if (chat) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(chat.css + "\n.log{min-height:0;border-radius:12px}");
        root.adoptedStyleSheets = [sheet];
      }
    }
    const root = host.shadowRoot;
    root.textContent = "";
    const wrap = document.createElement("div");
    wrap.className = "root";
    const log = document.createElement("div");
    log.className = "log";
    const msg = document.createElement("div");
    msg.className = "msg bot";
    const lbl = document.createElement("div");
    lbl.className = "lbl";
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = chat ? chat.assistantIn(lang) : "Assistant";
    lbl.appendChild(who);
    const bubble = document.createElement("div");
    bubble.className = "text md";
    // (the console's own note, in the staff member's language: the shadow root is out of the page translator's reach)
    if (!markdown) bubble.textContent = window.ConsoleI18n ? window.ConsoleI18n.t("(no answer yet)") : "(no answer yet)";
    else if (chat) chat.render(bubble, markdown);
    else bubble.textContent = markdown;
    msg.appendChild(lbl);
    msg.appendChild(bubble);
    log.appendChild(msg);
    wrap.appendChild(log);
    root.appendChild(wrap);
  }

  // ---- impact: which real questions the change would answer (computed by the action server) -----------
  async function previewImpact() {
    const id = $("f-id").value.trim();
    $("impact-sentence").textContent = "Computing…";
    $("impact-lists").textContent = "";
    const r = await api("POST", "/handbook/" + encodeURIComponent(id) + "/preview", { entry: formEntry() });
    if (!r.res || !r.res.ok) {
      $("impact-sentence").textContent = errorText(r, "Could not compute the preview.");
      return;
    }
    showSummary(r.data.summary, r.data.sentence);
    if (r.data.held_out && r.data.held_out.sets.length) $("impact-lists").appendChild(heldOutTable(r.data.held_out));
    const lists = [
      ["newly_answered", "Would now answer (unanswered today)"],
      ["taken", "Would take from another entry"],
      ["stopped", "Would stop answering"],
    ];
    for (const [key, title] of lists) {
      const items = r.data[key] || [];
      if (!items.length) continue;
      const box = el("div");
      box.dataset.list = key;
      box.appendChild(el("h4", null, title + " (" + items.length + ")"));
      const ul = el("ul");
      for (const o of items) {
        const who = key === "taken" ? " — now " + o.before : key === "stopped" ? (o.after ? " — then " + o.after : " — then unanswered") : "";
        ul.appendChild(el("li", null, o.question + who));
      }
      box.appendChild(ul);
      $("impact-lists").appendChild(box);
    }
  }

  /** The preview's lines (helpdesk/knowledge/impact_summary.py), each phrase its own text so the console shows it in
   * the staff member's language; the ids and figures in it stay as they are. */
  function showSummary(lines, sentence) {
    const box = $("impact-sentence");
    box.textContent = "";
    if (!Array.isArray(lines)) {
      box.textContent = sentence || "";
      return;
    }
    // the punctuation between the phrases in the console's language: Chinese sentences end in "。" (not ".")
    const zh = window.ConsoleI18n && window.ConsoleI18n.lang === "zh";
    const [first, between, end] = zh ? ["", "；", "。"] : [" ", "; ", "."];
    for (const line of lines) {
      const row = el("span", "hb-summary-line");
      row.appendChild(el("span", null, line.lead));
      (line.items || []).forEach((item, i) => {
        row.append(i ? between : first);
        row.appendChild(el("span", null, item));
      });
      if ((line.items || []).length) row.append(end);
      box.appendChild(row);
    }
  }

  // ---- held-out figures (kb eval's sets) before and after: the preview's table and the publish gate ------
  const FIGURES = [["p_at_1", "P@1", true], ["answered_rate", "Answered", true], ["oos_answered_rate", "Out-of-scope answered", false]];
  const LANGUAGE_NAMES = { en: "English", zh: "Chinese" };
  const figure = (key, x) => (key === "p_at_1" ? Number(x).toFixed(3) : (Number(x) * 100).toFixed(1) + "%");
  function heldOutTable(held) {
    const table = el("table", "hb-held-out");
    table.appendChild(el("caption", null, "Held-out sets (kb eval), before → after; tolerance " + (held.tolerance * 100).toFixed(1) + " points"));
    const head = el("tr");
    for (const t of ["Set", ...FIGURES.map((f) => f[1])]) head.appendChild(el("th", null, t));
    table.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    const worse = new Set((held.worse || []).map((w) => w.set + "/" + w.figure));
    for (const row of held.sets) {
      const tr = el("tr");
      tr.dataset.set = row.set;
      const name = el("th");
      name.appendChild(el("span", "set", row.set)).dataset.userContent = ""; // the set's name, as kb eval names it
      // each set's questions are decided as customers in its language are answered (Chinese: the Chinese side)
      if (row.language) tr.dataset.language = row.language;
      if (LANGUAGE_NAMES[row.language]) name.appendChild(el("span", "lang", "· " + LANGUAGE_NAMES[row.language]));
      name.appendChild(el("span", "n", " (" + row.queries + " + " + row.oos + " out of scope)"));
      tr.appendChild(name);
      for (const [key] of FIGURES) {
        const bad = worse.has(row.set + "/" + key);
        const td = el("td", bad ? "worse" : null, figure(key, row.before[key]) + " → " + figure(key, row.after[key]) + (bad ? " ▼" : ""));
        td.dataset.figure = key;
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    table.appendChild(body);
    const box = el("div", "hb-held-out-box");
    box.appendChild(table);
    // the held-out questions the change answers differently, so the editor sees why a figure moved
    const changed = held.sets.flatMap((row) => (row.changed || []).map((c) => Object.assign({ set: row.set }, c)));
    if (changed.length) {
      const more = el("details", "hb-held-out-changed");
      const total = held.sets.reduce((n, row) => n + (row.changed_count || 0), 0);
      more.appendChild(el("summary", null, total + " held-out question" + (total === 1 ? "" : "s") + " answered differently"));
      const ul = el("ul");
      for (const c of changed) {
        // in parts, so the console's words ("not answered", "should be …") follow the staff member's language while
        // the question and the entry ids stay as written
        const li = el("li");
        const part = (text, skip) => {
          const span = el("span", null, text);
          if (skip) span.dataset.userContent = "";
          return span;
        };
        li.append(part("[" + c.set + "]", true), " ", part(c.query, true), " — ");
        li.append(part(c.before || "not answered", !!c.before), " → ", part(c.after || "not answered", !!c.after), " (");
        li.append(part(c.expected ? "should be " + c.expected : "out of scope", false), ")");
        if (!c.expected && c.after && state.mayEdit) li.appendChild(retireButton(c));
        ul.appendChild(li);
      }
      more.appendChild(ul);
      box.appendChild(more);
    }
    return box;
  }
  /** 428 from a publish, delete or restore: the figures, and for supervisors and admins a way to confirm. */
  function showGate(data, retry, ask) {
    state.gateRetry = retry;
    state.gateAsk = ask || null;
    $("gate-ask").hidden = !!data.may_confirm || !ask;
    $("gate-text").textContent = data.error;
    const box = $("gate-figures");
    box.textContent = "";
    if (data.held_out) box.appendChild(heldOutTable(data.held_out));
    $("gate-confirm").hidden = !data.may_confirm;
    $("gate-who").textContent = data.may_confirm
      ? "As a supervisor or admin you can publish it anyway; the revision records that you confirmed it."
      : ask
        ? "Ask a supervisor: they see this change with its figures and publish or reject it; you see their decision here."
        : "Ask a supervisor or admin to open this entry and publish it, or change it so the figures hold.";
    $("gate-dialog").showModal();
  }

  // ---- history: every publish, viewable and restorable ----------------------------------------------
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");
  async function loadHistory(id) {
    const r = await api("GET", "/handbook/" + encodeURIComponent(id) + "/revisions");
    const list = $("revisions");
    list.textContent = "";
    if (!r.res || !r.res.ok) {
      $("history").hidden = true;
      return;
    }
    $("history").hidden = false;
    $("history-store").textContent = r.data.store === "git" ? "(git commits)" : "(kept in the helpdesk's database)";
    if (!r.data.revisions.length) list.appendChild(el("li", "muted", "No revisions yet."));
    for (const rev of r.data.revisions) {
      const li = el("li");
      li.dataset.revision = rev.id;
      li.appendChild(el("span", "when", when(rev.at)));
      li.appendChild(el("b", null, rev.author));
      li.appendChild(el("span", "msg", rev.message + (rev.deleted ? " (deleted)" : "")));
      const view = el("button", null, "View");
      view.type = "button";
      view.setAttribute("aria-label", "View the revision: " + rev.message);
      view.addEventListener("click", () => showRevision(id, rev));
      li.appendChild(view);
      list.appendChild(li);
    }
  }
  async function showRevision(id, rev) {
    const r = await api("GET", "/handbook/" + encodeURIComponent(id) + "/revisions/" + encodeURIComponent(rev.id));
    if (!r.res || !r.res.ok) {
      $("save-status").textContent = errorText(r, "Could not open the revision.");
      return;
    }
    state.revision = { id, rev: r.data };
    $("revision-h").textContent = "Revision of " + id;
    $("revision-meta").textContent = when(r.data.at) + " · " + r.data.author + " · " + r.data.message;
    const diff = $("revision-diff");
    diff.textContent = "";
    for (const line of (r.data.diff || "(no changes)").split("\n")) {
      const cls = line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del" : null;
      diff.appendChild(cls ? el("span", cls, line) : document.createTextNode(line + "\n"));
    }
    $("revision-restore").hidden = !state.mayEdit || r.data.deleted;
    $("revision-status").textContent = "";
    $("revision-dialog").showModal();
  }
  async function restoreRevision(confirmed) {
    const { id, rev } = state.revision;
    const r = await api("POST", "/handbook/" + encodeURIComponent(id) + "/revisions/" + encodeURIComponent(rev.id) + "/restore", {
      base_revision: state.current && state.current.id === id ? state.current.revision : null,
      confirm: confirmed === true,
    });
    if (r.res && r.res.ok) {
      $("revision-dialog").close();
      await openEntry(id);
      $("save-status").textContent = "Restored and published.";
      $("save-status").className = "ok";
      return;
    }
    if (r.res && r.res.status === 428) showGate(r.data, () => restoreRevision(true));
    $("revision-status").textContent = errorText(r, "Could not restore.");
    $("revision-status").className = "error";
  }

  // ---- publish and delete -------------------------------------------------------------------------
  async function publish(baseOverride, confirmed) {
    const id = $("f-id").value.trim();
    const base = baseOverride !== undefined ? baseOverride : state.current.revision;
    $("publish").disabled = true;
    $("save-status").textContent = "Publishing… (checking the held-out figures)";
    $("save-status").className = "";
    const entry = formEntry();
    const r = await api("PUT", "/handbook/" + encodeURIComponent(id), {
      entry, base_revision: base, message: $("f-message").value.trim(), confirm: confirmed === true,
    });
    $("publish").disabled = false;
    if (r.res && (r.res.status === 200 || r.res.status === 201)) {
      state.current = { id, revision: r.data.revision, isNew: false };
      state.saved = formKey();
      $("f-id").readOnly = true;
      $("edit-path").textContent = r.data.path;
      $("f-message").value = "";
      $("delete").hidden = false;
      $("save-status").textContent = "Published. The bot answers with it within seconds.";
      $("save-status").className = "ok";
      history.replaceState(null, "", "#" + encodeURIComponent(id));
      loadList();
      loadHistory(id);
      return;
    }
    $("save-status").className = "error";
    if (r.res && r.res.status === 409) {
      showConflict(id, r.data, entry);
      $("save-status").textContent = "Not published: someone else changed this entry.";
      return;
    }
    if (r.res && r.res.status === 428) {
      const ask = { entry_id: id, entry, base_revision: base, message: $("f-message").value.trim() };
      showGate(r.data, () => publish(base, true), ask);
      $("save-status").textContent = "Not published: it makes the held-out figures worse.";
      return;
    }
    if (r.res && r.res.status === 422) {
      showCheck({ problems: r.data.problems, warnings: r.data.warnings || [], text: r.data.text, rendered: { en: entry.answer, zh: entry.zh_answer } });
    }
    $("save-status").textContent = errorText(r, "Could not publish.");
  }
  /** An out-of-scope held-out question an entry covers now: retire it from its set (who and when are kept). */
  function retireButton(c) {
    const b = el("button", "hb-retire", "Covered now: retire it");
    b.type = "button";
    b.setAttribute("aria-label", "Retire the out-of-scope question: " + c.query);
    b.addEventListener("click", async () => {
      b.disabled = true;
      const r = await api("POST", "/held-out/retired", { set: c.set, query: c.query, entry_id: c.after });
      b.replaceWith(el("span", r.res && r.res.ok ? "ok" : "error", r.res && r.res.ok ? " Retired." : " " + errorText(r, "Could not retire it.")));
    });
    return b;
  }

  // ---- changes handed to a supervisor: the editor's own with their outcome; all waiting for supervisors ----
  async function askSupervisor() {
    const ask = state.gateAsk;
    if (!ask) return;
    $("gate-ask").disabled = true;
    const r = await api("POST", "/handbook-requests", ask);
    $("gate-ask").disabled = false;
    $("gate-dialog").close();
    if (r.res && r.res.status === 201) {
      $("save-status").className = "ok";
      $("save-status").textContent = "Sent to a supervisor: their decision appears under “Changes waiting for a supervisor”.";
      loadRequests();
      return;
    }
    $("save-status").className = "error";
    $("save-status").textContent = errorText(r, "Could not send it to a supervisor.");
  }
  /** A sentence of the console's words around data (names, entry ids, notes, times): the words in the staff
   * member's language and in its order ("{name} 于 {when} 提交"), each datum an element of its own that the
   * translator leaves as it is (a string: what someone wrote; a node: shown as given). */
  function sentence(tag, cls, key, parts) {
    const box = el(tag, cls);
    const words = window.ConsoleI18n ? window.ConsoleI18n.t(key) : key;
    for (const piece of words.split(/(\{\w+\})/)) {
      const name = /^\{(\w+)\}$/.exec(piece);
      if (!name) {
        if (piece) box.appendChild(document.createTextNode(piece));
        continue;
      }
      const part = parts[name[1]];
      if (part instanceof Node) {
        box.appendChild(part);
      } else {
        const span = el("span", null, part);
        span.dataset.userContent = "";
        box.appendChild(span);
      }
    }
    return box;
  }
  /** A date or figure in a sentence: shown as it is (the date already in the staff member's locale). */
  const datum = (cls, text) => {
    const span = el("span", cls, text);
    span.dataset.i18nSkip = "";
    return span;
  };
  const DONE_BY = { published: "Published by {name} {when}", rejected: "Rejected by {name} {when}" };
  const STATES = { waiting: "Waiting for a supervisor", published: "Published", rejected: "Rejected" };
  async function loadRequests() {
    if (window.ConsoleI18n) await window.ConsoleI18n.ready; // the sentences are built in the staff member's language
    const r = await api("GET", "/handbook-requests");
    if (!r.res || !r.res.ok) return;
    const rows = r.data.requests;
    $("requests-pane").hidden = !rows.length;
    $("requests-link").hidden = !r.data.waiting;
    $("requests-count").textContent = r.data.waiting ? String(r.data.waiting) : "";
    const list = $("requests");
    list.textContent = "";
    for (const q of rows) {
      const li = el("li", "hb-request " + q.state);
      li.dataset.request = String(q.id);
      li.dataset.state = q.state;
      const head = el("div");
      const what = q.action === "delete" ? "Delete {id}" : "Publish {id}";
      head.appendChild(sentence("b", null, what, { id: requestName(q) }));
      const asked = sentence("span", "muted", "asked by {name} {when}", { name: q.asked_by, when: datum("when", when(q.asked_at)) });
      asked.prepend(" · ");
      head.appendChild(asked);
      li.appendChild(head);
      if (q.message) {
        const message = el("div", "msg", q.message);
        message.dataset.userContent = "";
        li.appendChild(message);
      }
      const worse = (q.held_out && q.held_out.worse) || [];
      if (worse.length) {
        const line = el("div", "worse");
        worse.forEach((w, i) => {
          if (i) line.appendChild(document.createTextNode("; "));
          line.appendChild(sentence("span", null, "{figure} on {set} {a} → {b}", {
            figure: el("span", null, w.figure.replace(/_/g, " ")), // the figure's name: the console's word
            set: w.set,
            a: datum(null, figure(w.figure, w.before)),
            b: datum(null, figure(w.figure, w.after)),
          }));
        });
        li.appendChild(line);
      }
      const outcome = q.decided_by && DONE_BY[q.state]
        ? sentence("div", "outcome", DONE_BY[q.state], { name: q.decided_by, when: datum("when", when(q.decided_at)) })
        : el("div", "outcome", STATES[q.state] || q.state);
      li.appendChild(outcome);
      if (q.note) li.appendChild(sentence("div", "note", "Reason: {note}", { note: q.note })); // the supervisor's words
      if (q.state === "waiting" && r.data.may_decide) {
        const row = el("div", "row");
        const yes = el("button", "primary", "Confirm and publish");
        yes.type = "button";
        yes.addEventListener("click", () => decide(q, "confirm"));
        const no = el("button", null, "Reject");
        no.type = "button";
        no.addEventListener("click", () => decide(q, "reject"));
        row.appendChild(yes);
        row.appendChild(no);
        li.appendChild(row);
      }
      list.appendChild(li);
    }
  }
  async function decide(q, how) {
    let body = {};
    if (how === "reject") {
      const note = prompt("Why is it rejected? (the editor sees this)", "");
      if (note === null) return;
      body = { note };
    }
    $("requests-status").textContent = how === "confirm" ? "Publishing…" : "Rejecting…";
    const r = await api("POST", "/handbook-requests/" + q.id + "/" + how, body);
    const status = $("requests-status");
    status.textContent = "";
    if (r.res && r.res.ok && how === "confirm") status.appendChild(sentence("span", null, "Published {id}.", { id: requestName(q) }));
    else status.textContent = r.res && r.res.ok ? "Rejected." : errorText(r, "Could not decide on it.");
    await loadRequests();
    if (r.res && r.res.ok) loadList();
  }

  function showConflict(id, data, yours) {
    state.conflict = { id, current: data.current, yours };
    $("conflict-text").textContent = data.error;
    $("conflict-theirs").textContent = data.current ? entryText(id, data.current.entry) : "(deleted)";
    $("conflict-yours").textContent = entryText(id, yours);
    $("conflict-dialog").showModal();
  }
  async function remove(confirmed) {
    const id = state.current.id;
    if (confirmed !== true && !confirm("Delete the handbook entry '" + id + "'? The bot stops answering with it.")) return;
    const r = await api("DELETE", "/handbook/" + encodeURIComponent(id) + "?base_revision=" + encodeURIComponent(state.current.revision) + (confirmed === true ? "&confirm=1" : ""));
    if (r.res && r.res.ok) {
      $("edit-pane").hidden = true;
      $("workbench").classList.remove("editing");
      state.current = null;
      history.replaceState(null, "", "#");
      loadList();
      $("list-status").textContent = "Deleted '" + id + "'.";
      return;
    }
    if (r.res && r.res.status === 409) showConflict(id, r.data, formEntry());
    if (r.res && r.res.status === 428) {
      showGate(r.data, () => remove(true), { entry_id: id, entry: null, base_revision: state.current.revision, message: "" });
    }
    $("save-status").className = "error";
    $("save-status").textContent = errorText(r, "Could not delete.");
  }

  // ---- start --------------------------------------------------------------------------------------
  async function init() {
    const me = await api("GET", "/me");
    if (!me.res || me.res.status === 401) {
      $("login-needed").hidden = false;
      return;
    }
    if (!me.res.ok) {
      $("forbidden").hidden = false;
      $("forbidden").textContent = errorText(me, "You may not see the handbook.");
      return;
    }
    state.me = me.data.agent;
    state.csrf = me.data.csrf_token;
    state.mayEdit = ["editor", "supervisor", "admin"].includes(state.me.role);
    $("me").textContent = state.me.display_name + " · " + state.me.role;
    $("logout").hidden = false;
    $("console-link").hidden = state.me.role === "editor";
    $("unanswered-link").hidden = state.me.role === "agent";
    $("corrections-link").hidden = state.me.role === "agent"; // reviewed by editors, supervisors and admins
    $("new-entry").hidden = !state.mayEdit;
    $("read-only").hidden = state.mayEdit;
    $("actions").hidden = !state.mayEdit;
    for (const name of FIELDS) {
      const input = $("f-" + name);
      input.readOnly = !state.mayEdit;
      input.addEventListener("input", () => scheduleCheck());
    }
    $("workbench").hidden = false;
    $("search").addEventListener("input", () => {
      clearTimeout(state.listTimer);
      state.listTimer = setTimeout(loadList, 250);
    });
    $("new-entry").addEventListener("click", () => { if (mayLeave()) newEntry(null); });
    $("back").addEventListener("click", () => {
      $("edit-pane").hidden = true;
      $("workbench").classList.remove("editing");
    });
    $("publish").addEventListener("click", () => publish());
    $("delete").addEventListener("click", () => remove());
    $("gate-close").addEventListener("click", () => $("gate-dialog").close());
    $("gate-ask").addEventListener("click", askSupervisor);
    $("requests-link").addEventListener("click", () => {
      $("edit-pane").hidden = true;
      $("workbench").classList.remove("editing");
      $("requests-pane").scrollIntoView();
    });
    $("gate-confirm").addEventListener("click", () => {
      $("gate-dialog").close();
      if (state.gateRetry) state.gateRetry();
    });
    $("logout").addEventListener("click", async () => {
      if (!mayLeave()) return;
      state.saved = formKey(); // asked already: the page's own "leave?" must not ask again
      await api("POST", "/logout", {});
      location.href = "/agent";
    });
    $("conflict-close").addEventListener("click", () => $("conflict-dialog").close());
    $("revision-close").addEventListener("click", () => $("revision-dialog").close());
    $("revision-restore").addEventListener("click", () => restoreRevision());
    $("impact-run").addEventListener("click", previewImpact);
    $("conflict-mine").addEventListener("click", () => {
      const c = state.conflict;
      $("conflict-dialog").close();
      if (c.current) publish(c.current.revision);
      else publish(null);
    });
    $("conflict-theirs-btn").addEventListener("click", () => {
      const c = state.conflict;
      $("conflict-dialog").close();
      if (c.current) openEntry(c.id);
    });
    window.addEventListener("hashchange", () => { // a link to another entry (#id) on this page
      const id = decodeURIComponent(location.hash.slice(1));
      if (id === "new" && state.mayEdit) { if (mayLeave()) newEntry(null); }
      else if (id && (!state.current || state.current.id !== id) && mayLeave()) openEntry(id);
    });
    // a reload, a closed tab or a link away (the console, the unanswered questions) with an edit not published
    window.addEventListener("beforeunload", (ev) => {
      if (!unsaved()) return;
      ev.preventDefault();
      ev.returnValue = "";
    });
    if (state.mayEdit) {
      loadRequests();
      setInterval(loadRequests, 10000); // a supervisor's decision, or a new request, shows without a reload
    }
    const hash = decodeURIComponent(location.hash.slice(1));
    const draft = takeDraft();
    await loadList();
    // the page is usable while the list loads: an entry opened or started meanwhile is not replaced
    if (state.current) return;
    if (draft) newEntry(draft);
    else if (hash === "new" && state.mayEdit) newEntry(null);
    else if (hash) openEntry(hash);
  }
  /** A draft handed over by the unanswered-questions report (sessionStorage, this tab only). */
  function takeDraft() {
    try {
      const raw = sessionStorage.getItem("larkspur.handbook.draft");
      if (!raw) return null;
      sessionStorage.removeItem("larkspur.handbook.draft");
      return state.mayEdit ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
