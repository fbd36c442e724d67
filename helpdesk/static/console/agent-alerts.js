/*! Larkspur helpdesk agent console: noticing new work — the page title counts what waits for the agent, a short
 * sound plays, and the browser shows a notification (Notification API) for a new chat in the queue, a chat assigned
 * to the agent and a customer's reply. Each kind and each way can be switched off; the choice is kept per agent in
 * this browser (localStorage). Texts go into notifications as plain strings (no HTML). */
(function () {
  "use strict";

  const KEY = "larkspur-console.alerts.";
  const DEFAULTS = { title: true, sound: true, desktop: true, new_chat: true, assigned: true, reply: true };
  const BASE_TITLE = document.title;
  const state = { me: null, prefs: { ...DEFAULTS }, pending: new Map(), audio: null };

  function load(agentId) {
    state.me = agentId;
    state.prefs = { ...DEFAULTS };
    try {
      const saved = JSON.parse(localStorage.getItem(KEY + agentId) || "{}");
      for (const k of Object.keys(DEFAULTS)) if (typeof saved[k] === "boolean") state.prefs[k] = saved[k];
    } catch (e) { /* a damaged entry: the defaults */ }
    for (const box of document.querySelectorAll("#alert-settings input[data-pref]")) {
      box.checked = state.prefs[box.dataset.pref];
    }
    permissionNote();
  }
  function save() {
    if (state.me == null) return;
    try { localStorage.setItem(KEY + state.me, JSON.stringify(state.prefs)); } catch (e) { /* private mode */ }
  }
  function permissionNote() {
    const note = document.getElementById("alert-permission");
    if (!note) return;
    if (!("Notification" in window)) note.textContent = "This browser cannot show notifications.";
    else if (Notification.permission === "denied") note.textContent = "Notifications are blocked for this site in the browser's settings.";
    else if (Notification.permission === "default" && state.prefs.desktop) note.textContent = "Click here to allow notifications.";
    else note.textContent = "";
  }
  function askPermission() {
    if ("Notification" in window && Notification.permission === "default") {
      Notification.requestPermission().then(permissionNote, permissionNote);
    }
  }

  // a short two-tone chime, made here (no sound file to fetch); browsers allow it after the agent's first click
  function unlockAudio() {
    if (state.audio || !(window.AudioContext || window.webkitAudioContext)) return;
    try { state.audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { state.audio = null; }
  }
  function chime() {
    const ctx = state.audio;
    if (!ctx) return;
    if (ctx.state === "suspended") ctx.resume();
    const now = ctx.currentTime;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.14);
      gain.gain.exponentialRampToValueAtTime(0.18, now + i * 0.14 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.14 + 0.22);
      osc.connect(gain).connect(ctx.destination);
      osc.start(now + i * 0.14);
      osc.stop(now + i * 0.14 + 0.25);
    }
  }

  function renderTitle() {
    const n = state.pending.size;
    // the page's own title in the staff member's language (the catalog may arrive after the first count)
    const base = window.ConsoleI18n ? window.ConsoleI18n.t(BASE_TITLE) : BASE_TITLE;
    document.title = state.prefs.title && n > 0 ? "(" + n + ") " + base : base;
  }

  /** Something needs the agent: kind is "new_chat" | "assigned" | "reply"; key is the conversation id. */
  function notice(kind, conversationId, title, body, onOpen) {
    if (!state.prefs[kind]) return;
    state.pending.set(conversationId, kind);
    renderTitle();
    if (state.prefs.sound) chime();
    if (state.prefs.desktop && "Notification" in window && Notification.permission === "granted") {
      try {
        const said = window.ConsoleI18n ? window.ConsoleI18n.t(title) : title; // the staff member's language
        const n = new Notification(said, { body: String(body || "").slice(0, 180), tag: kind + ":" + conversationId });
        n.onclick = () => {
          window.focus();
          if (onOpen) onOpen(conversationId);
          n.close();
        };
      } catch (e) { /* some browsers only notify from a service worker */ }
    }
  }
  /** The agent looked at it: it no longer counts in the title. */
  function seen(conversationId) {
    if (state.pending.delete(conversationId)) renderTitle();
  }
  /** The server's unread count of one of the agent's chats (a reload, the agent's other console, a reply that came
   * before this page knew the chat was theirs): a chat with unread lines counts in the title, without a sound or a
   * notification (nothing new happened); one read elsewhere no longer counts. */
  function unread(conversationId, count) {
    const was = state.pending.get(conversationId);
    if (count > 0 && state.prefs.reply && was === undefined) state.pending.set(conversationId, "reply");
    else if (count === 0 && was === "reply") state.pending.delete(conversationId);
    else return;
    renderTitle();
  }
  /** Only what still needs the agent counts (a queued chat someone else took no longer does). */
  function keepOnly(ids) {
    let changed = false;
    for (const id of [...state.pending.keys()]) {
      if (!ids.has(id)) {
        state.pending.delete(id);
        changed = true;
      }
    }
    if (changed) renderTitle();
  }
  function reset() {
    state.pending.clear();
    renderTitle();
  }

  function init() {
    for (const box of document.querySelectorAll("#alert-settings input[data-pref]")) {
      box.addEventListener("change", () => {
        state.prefs[box.dataset.pref] = box.checked;
        save();
        if (box.dataset.pref === "desktop" && box.checked) askPermission();
        renderTitle();
        permissionNote();
      });
    }
    const note = document.getElementById("alert-permission");
    if (note) note.addEventListener("click", askPermission);
    if (window.ConsoleI18n) window.ConsoleI18n.ready.then(renderTitle);
    document.addEventListener("pointerdown", unlockAudio, { once: true, capture: true });
    document.addEventListener("keydown", unlockAudio, { once: true, capture: true });
  }

  window.ConsoleAlerts = { init, load, notice, seen, unread, keepOnly, reset, askPermission };
})();
