/*! Larkspur helpdesk agent console: the agent's own status in the header (online gets new chats automatically,
 * away and offline none; kept on the account, so a reload shows it) and, for supervisors, the team: each agent's
 * status, whether a console is open, and their load (helpdesk/conversation/agent_status.py). */
(function () {
  "use strict";

  const { $, el, errorText } = window.ConsoleCommon;
  const WORDS = { online: "Online", away: "Away", offline: "Offline" };
  const st = { api: null, me: null, timer: null, loads: 0 };
  const supervising = () => !!st.me && (st.me.role === "supervisor" || st.me.role === "admin");

  function init(api) {
    st.api = api;
    $("my-status").addEventListener("change", choose);
  }
  function start(me) {
    st.me = me;
    mine(me.status || "online");
    $("team-section").hidden = !supervising();
    if (supervising()) load();
  }
  function mine(status) {
    $("my-status").value = status;
    $("my-status").dataset.status = status;
  }
  async function choose() {
    const wanted = $("my-status").value;
    const r = await st.api("POST", "/status", { status: wanted });
    if (!r.res || !r.res.ok) {
      mine(st.me.status);
      $("action-error").textContent = errorText(r, "Could not change your status.");
      return;
    }
    st.me.status = r.data.status;
    mine(r.data.status);
  }
  function changed(ev) {
    if (st.me && ev.agent_id === st.me.id && ev.status) {
      st.me.status = ev.status;
      mine(ev.status);
    }
    if (supervising()) {
      clearTimeout(st.timer);
      st.timer = setTimeout(load, 150);
    }
  }
  // the console's socket is connected (first time or again): the list loaded at login, before it was, showed this
  // agent's own console as closed
  function live() {
    if (supervising()) load();
  }
  async function load() {
    const asked = ++st.loads; // an older answer arriving after a newer one (login's, then the socket's) is dropped
    const r = await st.api("GET", "/agents");
    if (asked === st.loads && r.res && r.res.ok) render(r.data.agents);
  }
  function render(agents) {
    const ul = $("team");
    ul.textContent = "";
    for (const a of agents) {
      const li = el("li", "member " + (a.status || "offline"));
      li.dataset.agent = a.username;
      li.appendChild(el("span", "dot"));
      li.appendChild(el("span", "name", a.display_name));
      const open = a.online ? "" : " · console closed";
      li.appendChild(el("span", "muted", (WORDS[a.status] || a.status) + open + " · " + a.active_chats + "/" + a.max_concurrent));
      ul.appendChild(li);
    }
    $("team-count").textContent = String(agents.filter((a) => a.status === "online" && a.online).length);
  }

  window.ConsoleTeam = Object.freeze({ init, start, changed, live });
})();
