/*! Larkspur helpdesk follow-up triage (/agent/followups): what each customer wanted, identical reasons grouped,
 * several tasks assigned or closed at once, and a task's transcript with the agents' internal notes in place.
 * Supervisors and admins see every task (agents: theirs). Vanilla JS under CSP script-src 'self'; text from data
 * goes on the page with textContent only. */
(function () {
  "use strict";

  const { $, el, request, errorText, messageText } = window.ConsoleCommon;
  const REASONS = {
    low_rating: "Rated the help 1 or 2",
    handed_back: "Handed back to the bot without a resolution",
    abandoned: "Nobody claimed it within 30 minutes",
  };
  const state = { csrf: "", me: null, tasks: [], chosen: new Set() };
  const reasonText = (r) => REASONS[r] || String(r).replace(/_/g, " ");

  function deny(text) {
    $("triage").hidden = true;
    $("denied").hidden = false;
    $("denied-text").textContent = text;
  }
  function flash(text, bad) {
    $("flash").textContent = text;
    $("flash").classList.toggle("bad", !!bad);
  }
  function countChosen() {
    $("chosen").textContent = state.chosen.size + " chosen";
    $("all").checked = state.tasks.length > 0 && state.tasks.every((t) => state.chosen.has(t.id));
  }
  /** The reason, then its detail ("Bruno Keller handed it back") in a node of its own: each is a whole text the
   * console's language catalog knows (one string joined by " — " was left in English on a Chinese console). */
  const SENDER_WORDS = { customer: "Customer", bot: "Bot", system: "System" }; // the console's words: translated
  function withDetail(span, detail) {
    if (!detail) return span;
    span.append(" — ", el("span", "detail", detail));
    return span;
  }
  function renderGroups(groups) {
    $("groups-empty").hidden = groups.length > 0;
    $("groups").replaceChildren(...groups.map((g) => {
      const li = el("li");
      li.dataset.group = g.group;
      li.appendChild(el("span", "n", "×" + g.count));
      li.appendChild(withDetail(el("span", "what", reasonText(g.reason)), g.detail));
      const pick = el("button", "small", "Choose these " + g.count);
      pick.type = "button";
      pick.addEventListener("click", () => {
        for (const id of g.ids) state.chosen.add(id);
        renderTasks();
      });
      li.appendChild(pick);
      return li;
    }));
  }
  function renderTasks() {
    $("tasks-empty").hidden = state.tasks.length > 0;
    $("bulk").hidden = state.tasks.length === 0; // nothing to choose: no bulk buttons
    $("tasks").replaceChildren(...state.tasks.map((t) => {
      const li = el("li", t.status);
      li.dataset.id = String(t.id);
      const box = el("input");
      box.type = "checkbox";
      box.checked = state.chosen.has(t.id);
      box.setAttribute("aria-label", "Choose task " + t.id);
      box.addEventListener("change", () => {
        if (box.checked) state.chosen.add(t.id);
        else state.chosen.delete(t.id);
        countChosen();
      });
      li.appendChild(box);
      li.appendChild(withDetail(el("span", "head", reasonText(t.reason)), t.detail));
      // "View", not "Open": the catalog's "Open" is the status (待处理), which a Chinese supervisor read on every task
      const open = el("button", "small", "View");
      open.type = "button";
      open.addEventListener("click", () => openTask(t.id));
      li.appendChild(open);
      if (t.customer_name) li.appendChild(customer(t.customer_name));
      li.appendChild(el("div", "preview", t.preview ? "“" + t.preview + "”" : "(no customer text)"));
      li.appendChild(el("div", "meta", [new Date(t.created_at).toLocaleString(), t.assignee_name ? "assigned to " + t.assignee_name : "unassigned",
        t.status, t.comments ? t.comments + (t.comments === 1 ? " comment" : " comments") : ""].filter(Boolean).join(" · ")));
      return li;
    }));
    countChosen();
  }
  async function load() {
    const status = $("status").value;
    const r = await request("GET", "/followups" + (status ? "?status=" + status : ""));
    const code = r.res ? r.res.status : 0;
    if (code === 401) return deny("Log in at the agent console first.");
    if (code !== 200) return flash(errorText(r, "Could not load the follow-ups."), true);
    state.tasks = r.data.follow_ups;
    const shown = new Set(state.tasks.map((t) => t.id));
    for (const id of [...state.chosen]) if (!shown.has(id)) state.chosen.delete(id);
    const tasks = state.tasks.length, groups = r.data.groups.length;
    $("summary").textContent = tasks + (tasks === 1 ? " task in " : " tasks in ") + groups + (groups === 1 ? " group" : " groups");
    renderGroups(r.data.groups);
    renderTasks();
    document.body.dataset.loaded = "1";
  }
  async function bulk(action) {
    if (!state.chosen.size) return flash("Choose some tasks first.", true);
    const body = { ids: [...state.chosen], action };
    if (action === "assign") body.agent_id = $("assignee").value ? Number($("assignee").value) : null;
    const r = await request("POST", "/followups/bulk", body, state.csrf);
    if (!r.res || r.res.status !== 200) return flash(errorText(r, "That did not work."), true);
    flash(r.data.changed + (r.data.changed === 1 ? " task " : " tasks ") + (action === "assign" ? "assigned" : action === "close" ? "closed" : "reopened") + ".");
    state.chosen.clear();
    await load();
  }
  // who to get back to, as the bot verified them (a name: never translated)
  function customer(name) {
    const span = el("span", "customer", name);
    span.dataset.userContent = "";
    return span;
  }
  async function openTask(id) {
    const r = await request("GET", "/followups/" + id);
    if (!r.res || r.res.status !== 200) return flash(errorText(r, "Could not open the task."), true);
    const t = r.data;
    $("task").hidden = false;
    $("task-title").textContent = reasonText(t.reason) + " · conversation " + t.conversation_id;
    if (t.customer_name) $("task-title").append(" · ", customer(t.customer_name));
    // a low rating's detail is the rating itself ("rated 2/5: …"): said once
    const rated = t.rating && t.reason !== "low_rating"
      ? "rated " + (t.rating.agent_name ? t.rating.agent_name + " " : "") + t.rating.score + "/5" + (t.rating.comment ? ": " + t.rating.comment : "")
      : "";
    $("task-meta").textContent = [t.detail, rated,
      t.assignee_name ? "assigned to " + t.assignee_name : "unassigned"].filter(Boolean).join(" · ");
    $("task-log").replaceChildren(...t.transcript.map((m) => {
      const li = el("li", m.sender);
      li.appendChild(el("span", "who", m.sender === "note" ? "Internal note · " + (m.author || "") : m.sender === "agent" ? (m.author || "agent") : SENDER_WORDS[m.sender] || m.sender));
      li.appendChild(messageText(m.sender, m.text, "div"));
      return li;
    }));
    $("task").scrollIntoView({ block: "nearest" });
  }
  async function init() {
    const me = await request("GET", "/me");
    const code = me.res ? me.res.status : 0;
    if (code === 401) return deny("Log in at the agent console first.");
    if (code !== 200) return deny(errorText(me, "The helpdesk cannot be reached."));
    state.me = me.data.agent;
    state.csrf = me.data.csrf_token;
    if (state.me.role === "editor") return deny("Follow-ups are for agents, supervisors and admins.");
    $("me").textContent = state.me.display_name + " · " + state.me.role;
    $("triage").hidden = false;
    const supervising = state.me.role === "supervisor" || state.me.role === "admin";
    $("do-assign").hidden = $("assignee").parentNode.hidden = !supervising;
    if (supervising) {
      const agents = await request("GET", "/agents");
      if (agents.res && agents.res.ok) {
        for (const a of agents.data.agents) {
          const o = el("option", null, a.display_name || a.name || a.username);
          o.value = String(a.id);
          $("assignee").appendChild(o);
        }
      }
    }
    $("status").addEventListener("change", () => { state.chosen.clear(); load(); });
    $("all").addEventListener("change", () => {
      for (const t of state.tasks) $("all").checked ? state.chosen.add(t.id) : state.chosen.delete(t.id);
      renderTasks();
    });
    $("do-assign").addEventListener("click", () => bulk("assign"));
    $("do-close").addEventListener("click", () => bulk("close"));
    $("do-reopen").addEventListener("click", () => bulk("reopen"));
    $("task-close").addEventListener("click", () => { $("task").hidden = true; });
    await load();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
