/*! Larkspur helpdesk admin screens (/agent/admin): users, teams, business hours, canned replies and the audit
 * trail. Vanilla JS under CSP script-src 'self'; every name and text from data goes on the page with textContent
 * (el), never as HTML. Changes carry the session's CSRF token. */
(function () {
  "use strict";

  const { $, el, request, errorText } = window.ConsoleCommon;
  const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  const ROLES = ["agent", "supervisor", "admin", "editor"];
  const state = { csrf: "", me: null, data: null };

  function deny(text) {
    $("admin").hidden = true;
    $("denied").hidden = false;
    $("denied-text").textContent = text;
  }
  function flash(text, bad) {
    $("flash").textContent = text;
    $("flash").classList.toggle("bad", !!bad);
  }
  /** A change: {ok, data}; a refusal is shown in the flash line. */
  async function change(method, path, body, done) {
    const r = await request(method, "/admin" + path, body, state.csrf);
    const status = r.res ? r.res.status : 0;
    if (status === 401) { deny("Log in at the agent console first."); return { ok: false }; }
    if (status >= 400 || status === 0) {
      flash(errorText(r, "That did not work (" + status + ")."), true);
      return { ok: false, data: r.data };
    }
    if (done) flash(done);
    await load();
    return { ok: true, data: r.data };
  }

  // ---- users ---------------------------------------------------------------------------------
  function select(options, value) {
    const s = el("select");
    for (const o of options) {
      const opt = el("option", null, o);
      opt.value = o;
      s.appendChild(opt);
    }
    s.value = value;
    return s;
  }
  function renderUsers(list) {
    const head = el("tr");
    for (const h of ["User", "Name", "Role", "Team", "Chats at once", "Status", ""]) head.appendChild(el("th", null, h));
    const rows = [head];
    for (const u of list) {
      const tr = el("tr", u.active ? null : "disabled");
      tr.dataset.username = u.username;
      tr.appendChild(el("td", null, u.username));
      const name = el("input");
      name.value = u.display_name;
      name.setAttribute("aria-label", "Display name of " + u.username);
      const role = select(ROLES, u.role);
      role.setAttribute("aria-label", "Role of " + u.username);
      const team = el("input");
      team.value = u.team || "";
      team.setAttribute("list", "team-names");
      team.setAttribute("aria-label", "Team of " + u.username);
      const cap = el("input");
      cap.type = "number";
      cap.min = "1";
      cap.max = "50";
      cap.value = String(u.max_concurrent);
      cap.setAttribute("aria-label", "Chats at once for " + u.username);
      for (const input of [name, role, team, cap]) {
        const td = el("td");
        td.appendChild(input);
        tr.appendChild(td);
      }
      tr.appendChild(el("td", null, (u.active ? "active" : "disabled") + (u.active ? " · " + u.status : "")));
      const actions = el("td");
      const save = el("button", "small save", "Save");
      save.type = "button";
      save.addEventListener("click", () => change("PATCH", "/users/" + u.id,
        { display_name: name.value, role: role.value, team: team.value, max_concurrent: Number(cap.value) }, "Saved " + u.username + "."));
      const toggle = el("button", "small toggle", u.active ? "Disable" : "Enable");
      toggle.type = "button";
      toggle.addEventListener("click", () => change("PATCH", "/users/" + u.id, { active: !u.active }, (u.active ? "Disabled " : "Enabled ") + u.username + "."));
      const reset = el("button", "small reset", "Reset password");
      reset.type = "button";
      reset.addEventListener("click", async () => {
        if (!window.confirm("Give " + u.username + " a new password? Their sessions end.")) return;
        const r = await change("POST", "/users/" + u.id + "/password", undefined, "New password for " + u.username + ".");
        if (r.ok) showPassword(u.username, r.data.password);
      });
      actions.append(save, " ", toggle, " ", reset);
      tr.appendChild(actions);
      rows.push(tr);
    }
    $("t-users").replaceChildren(...rows);
  }
  function showPassword(username, password) {
    const box = $("password-box");
    box.hidden = false;
    box.replaceChildren(el("span", null, "Password for " + username + " (shown once, pass it on safely): "), el("code", null, password));
  }
  async function addUser(ev) {
    ev.preventDefault();
    const body = {
      username: $("u-username").value.trim(),
      display_name: $("u-name").value.trim() || undefined,
      role: $("u-role").value,
      team: $("u-team").value.trim(),
      max_concurrent: Number($("u-cap").value),
    };
    const r = await change("POST", "/users", body, "Added " + body.username + ".");
    if (r.ok) {
      showPassword(r.data.user.username, r.data.password);
      $("user-form").reset();
    }
  }

  // ---- teams ---------------------------------------------------------------------------------
  function renderTeams(list) {
    $("team-list").replaceChildren(...list.map((t) => {
      const li = el("li");
      li.dataset.team = t.name;
      li.appendChild(el("strong", null, t.name));
      li.appendChild(el("span", "muted", t.members + (t.members === 1 ? " member" : " members")));
      const rename = el("button", "small", "Rename");
      rename.type = "button";
      rename.addEventListener("click", () => {
        const name = window.prompt("New name for " + t.name, t.name);
        if (name && name !== t.name) change("PATCH", "/teams/" + encodeURIComponent(t.name), { name }, "Renamed " + t.name + ".");
      });
      const del = el("button", "small", "Delete");
      del.type = "button";
      del.addEventListener("click", () => {
        if (window.confirm("Delete the team " + t.name + "?")) change("DELETE", "/teams/" + encodeURIComponent(t.name), undefined, "Deleted " + t.name + ".");
      });
      li.append(rename, del);
      return li;
    }));
    $("team-names").replaceChildren(...list.map((t) => { const o = el("option"); o.value = t.name; return o; }));
  }
  async function addTeam(ev) {
    ev.preventDefault();
    const name = $("team-name").value.trim();
    const r = await change("POST", "/teams", { name }, "Added the team " + name + ".");
    if (r.ok) $("team-form").reset();
  }

  // ---- business hours ------------------------------------------------------------------------
  function renderHours(h) {
    const s = h.schedule;
    $("h-zone").value = s.time_zone;
    $("h-days").replaceChildren(...DAYS.map((day) => {
      const tr = el("tr");
      tr.appendChild(el("td", null, day));
      const td = el("td");
      const input = el("input");
      input.id = "h-" + day;
      input.setAttribute("aria-label", "Hours on " + day);
      const v = s.weekly[day];
      input.value = Array.isArray(v) ? v.join(", ") : "";
      input.placeholder = "closed";
      td.appendChild(input);
      tr.appendChild(td);
      return tr;
    }));
    $("h-holidays").value = s.holidays.join("\n");
    const st = h.status;
    // always open = no schedule at all (BUSINESS_HOURS=off): there is no "where it was set" to name
    $("hours-status").textContent = h.always_open ? "Always open (no schedule)."
      : (st.open ? "Open now. " : "Closed now" + (st.back ? ": back " + st.back + ". " : ". "))
        + "Set in " + h.source + (h.updated_at ? ", last changed " + new Date(h.updated_at).toLocaleString() : "") + ".";
    $("hours-status").dataset.open = String(st.open);
  }
  async function saveHours(ev) {
    ev.preventDefault();
    const weekly = {};
    for (const day of DAYS) {
      const v = $("h-" + day).value.trim();
      weekly[day] = v ? v.split(",").map((x) => x.trim()).filter(Boolean) : "closed";
    }
    const holidays = $("h-holidays").value.split(/\s+/).map((x) => x.trim()).filter(Boolean);
    const r = await request("PUT", "/admin/hours", { time_zone: $("h-zone").value.trim(), weekly, holidays }, state.csrf);
    if (!r.res || r.res.status !== 200) {
      flash(errorText(r, "The hours were not saved."), true);
      return;
    }
    flash("Business hours saved: handoffs follow them now.");
    await load();
  }

  // ---- canned replies ------------------------------------------------------------------------
  function editCanned(c) {
    $("c-id").value = c ? String(c.id) : "";
    $("c-title").value = c ? c.title : "";
    $("c-shortcut").value = c && c.shortcut ? c.shortcut : "";
    $("c-text").value = c ? c.text : "";
    $("canned-form-title").textContent = c ? "Edit “" + c.title + "”" : "Add a canned reply";
    if (c) $("c-title").focus();
  }
  function renderCanned(list, placeholders) {
    $("placeholders").replaceChildren(...placeholders.map((p) => el("code", null, "{{" + p + "}}")).flatMap((c) => [c, " "]));
    $("canned-items").replaceChildren(...list.map((c) => {
      const li = el("li");
      li.dataset.shortcut = c.shortcut || "";
      if (c.shortcut) li.appendChild(el("code", null, "/" + c.shortcut));
      li.appendChild(el("strong", null, c.title));
      const edit = el("button", "small", "Edit");
      edit.type = "button";
      edit.addEventListener("click", () => editCanned(c));
      const del = el("button", "small", "Delete");
      del.type = "button";
      del.addEventListener("click", () => {
        if (window.confirm("Delete the canned reply “" + c.title + "” for everyone?")) change("DELETE", "/canned/" + c.id, undefined, "Deleted “" + c.title + "”.");
      });
      li.append(edit, del, el("div", "text", c.text));
      return li;
    }));
  }
  async function saveCanned(ev) {
    ev.preventDefault();
    const id = $("c-id").value;
    const body = { title: $("c-title").value, text: $("c-text").value, shortcut: $("c-shortcut").value.trim() };
    const r = await change(id ? "PUT" : "POST", id ? "/canned/" + id : "/canned", body, "Saved “" + body.title + "”.");
    if (r.ok) editCanned(null);
  }

  // ---- audit trail ---------------------------------------------------------------------------
  function detailText(d) {
    return Object.entries(d).map(([k, v]) => k + ": " + (Array.isArray(v) && v.length === 2 && typeof v[0] !== "object" ? v[0] + " → " + v[1] : JSON.stringify(v))).join("; ");
  }
  function renderAudit(list) {
    const head = el("tr");
    for (const h of ["When", "Who", "What", "On", "Details"]) head.appendChild(el("th", null, h));
    $("t-audit").replaceChildren(head, ...list.map((a) => {
      const tr = el("tr");
      for (const v of [new Date(a.at).toLocaleString(), a.actor || "–", a.action, a.target, detailText(a.detail)]) tr.appendChild(el("td", null, v));
      return tr;
    }));
  }

  async function load() {
    const r = await request("GET", "/admin");
    const status = r.res ? r.res.status : 0;
    if (status === 401) return deny("Log in at the agent console first.");
    if (status === 403) return deny("The admin screens are for admins.");
    if (status !== 200) return flash(errorText(r, "Could not load the admin data."), true);
    state.data = r.data;
    renderUsers(r.data.users);
    renderTeams(r.data.teams);
    renderHours(r.data.hours);
    renderCanned(r.data.canned, r.data.placeholders);
    renderAudit(r.data.audit);
    document.body.dataset.loaded = "1";
  }

  async function init() {
    const me = await request("GET", "/me");
    const status = me.res ? me.res.status : 0;
    if (status === 401) return deny("Log in at the agent console first.");
    if (status !== 200) return deny(errorText(me, "The helpdesk cannot be reached."));
    state.me = me.data.agent;
    state.csrf = me.data.csrf_token;
    if (state.me.role !== "admin") return deny("The admin screens are for admins.");
    $("me").textContent = state.me.display_name + " · " + state.me.role;
    $("admin").hidden = false;
    $("user-form").addEventListener("submit", addUser);
    $("team-form").addEventListener("submit", addTeam);
    $("hours-form").addEventListener("submit", saveHours);
    $("canned-form").addEventListener("submit", saveCanned);
    $("c-cancel").addEventListener("click", () => editCanned(null));
    $("c-starter").addEventListener("click", async () => {
      const r = await request("POST", "/admin/canned/starter", undefined, state.csrf);
      if (r.res && r.res.status === 200) flash("Added " + r.data.added + " starter replies.");
      else flash(errorText(r, "The starter set was not added."), true);
      await load();
    });
    await load();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
