/*! Larkspur helpdesk support dashboard — vanilla JS plus the vendored Chart.js (window.Chart), served under
 * CSP script-src 'self'. Every name that comes from data (intents, teams, agents, reasons) is put on the page
 * with textContent or drawn on a canvas, never as HTML. */
(function () {
  "use strict";

  const LIVE_MS = 5000;
  const { API, $, el, request, isoDay, messageText } = window.ConsoleCommon;
  const ZONES = ["UTC", "Europe/Amsterdam", "Europe/London", "Europe/Berlin", "America/New_York",
    "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney"];
  const REASONS = {
    requested: "Customer asked",
    complaint: "Complaint",
    low_confidence: "Bot unsure",
    failed_turns: "Failed twice",
    verification_failed: "Identity not verified",
    backend_error: "Order system down",
    left_message: "Message left out of hours",
  };
  // intents in words (domain.yml's names; anything else: its name with spaces)
  const INTENTS = {
    "(none)": "No text (button or notice)",
    nlu_fallback: "Not understood by the bot",
    greet: "Greeting",
    goodbye: "Goodbye",
    thank: "Thanks",
    affirm: "Yes",
    deny: "No",
    bot_challenge: "Asked if it is a bot",
    inform: "Gave details (order number, e-mail)",
    request_human: "Asked for a person",
    order_status: "Where is my order",
    cancel_order: "Cancel an order",
    change_order: "Change an order",
    change_shipping_address: "Change the delivery address",
    request_refund: "Return or refund",
    refund_status: "Refund status",
    payment_issue: "Payment problem",
    complaint: "Complaint",
    chitchat: "Small talk",
    vague_opener: "Vague opener",
    faq: "Handbook question",
    out_of_scope: "Outside what the bot handles",
  };
  const OUTCOMES = {
    bot_resolved: ["bot resolved", false],
    bot_awaiting: ["bot answered, waiting 24 h", false],
    bot_unresolved: ["bot, not resolved", true],
    bot_in_progress: ["bot, in progress", false],
    agent_resolved: ["agent resolved", false],
    agent_not_resolved: ["agent, not resolved (handed back)", true],
    with_agent: ["with an agent now", false],
    waiting: ["waiting in the queue now", true],
    left_unclaimed: ["left before anyone claimed it", true],
  };
  const FOLLOW_UP_REASONS = { low_rating: "low rating", handed_back: "handed back", abandoned: "nobody claimed it" };
  const CHANNELS = { web: "Website chat", whatsapp: "WhatsApp", email: "E-mail" };
  const COLORS = ["#4b44a8", "#18794e", "#b54708", "#b42318", "#a15c07", "#6b6f80", "#2e90fa", "#9e77ed"];

  const state = { charts: {}, liveTimer: null, choicesLoaded: false, csrf: "", watch: null, watchTimer: null, ws: null, pingTimer: null, denied: false };
  window.dashboardCharts = state.charts; // for tests and the curious: the live Chart instances

  // ---- formatting ---------------------------------------------------------------------------
  const pct = (x) => (x == null ? "–" : (Math.round(x * 1000) / 10).toFixed(1) + "%");
  function dur(seconds) {
    if (seconds == null) return "–";
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + " s";
    const m = Math.floor(s / 60);
    if (m < 60) return (m + " min " + (s % 60 ? (s % 60) + " s" : "")).trim();
    const h = Math.floor(m / 60);
    if (h < 48) return h + " h " + (m % 60) + " min";
    return Math.floor(h / 24) + " d " + (h % 24) + " h";
  }
  const numOr = (x, digits) => (x == null ? "–" : Number(x).toFixed(digits));
  const words = (name) => String(name).replace(/_/g, " ");
  const reasonText = (r) => REASONS[r] || words(r);
  const intentText = (i) => INTENTS[i] || words(i);
  const outcomeText = (o) => (OUTCOMES[o] ? OUTCOMES[o][0] : words(o));
  const channelText = (c) => CHANNELS[c] || c;
  // ---- HTTP -----------------------------------------------------------------------------------
  async function getJson(path) {
    const r = await request("GET", path);
    return { status: r.res ? r.res.status : 0, data: r.data };
  }
  function deny(text) {
    stopLive();
    stopAlerts();
    $("dash").hidden = true;
    $("denied").hidden = false;
    $("denied-text").textContent = text;
  }
  function refused(r) {
    if (r.status === 401) deny("Log in at the agent console first.");
    else if (r.status === 403) deny("The dashboard is for supervisors and admins.");
    else return false;
    return true;
  }

  const LANGUAGE_NAMES = { en: "English", zh: "中文 (Chinese)" }; // the customers' languages (by script)

  // ---- filters --------------------------------------------------------------------------------
  function query() {
    const p = new URLSearchParams();
    p.set("from", $("f-from").value);
    p.set("to", $("f-to").value);
    p.set("tz", $("f-tz").value);
    for (const name of ["channel", "language", "intent", "team", "agent"]) {
      const v = $("f-" + name).value;
      if (v) p.set(name, v);
    }
    return p.toString();
  }
  function setOptions(select, items) {
    const keep = select.value;
    while (select.options.length > 1) select.remove(1);
    for (const item of items) {
      const o = el("option", null, item.label);
      o.value = item.value;
      select.appendChild(o);
    }
    if ([...select.options].some((o) => o.value === keep)) select.value = keep;
  }
  function fillChoices(choices) {
    setOptions($("f-channel"), choices.channels.map((c) => ({ value: c, label: channelText(c) })));
    setOptions($("f-language"), (choices.languages || []).map((c) => ({ value: c, label: LANGUAGE_NAMES[c] || c })));
    setOptions($("f-intent"), choices.intents.map((c) => ({ value: c, label: intentText(c) })));
    setOptions($("f-team"), choices.teams.map((c) => ({ value: c, label: c })));
    setOptions($("f-agent"), choices.agents.map((a) => ({ value: String(a.id), label: a.name })));
  }
  function initFilters() {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    const zones = ZONES.includes(browserZone) ? ZONES : [browserZone].concat(ZONES);
    for (const z of zones) {
      const o = el("option", null, z);
      o.value = z;
      $("f-tz").appendChild(o);
    }
    const params = new URLSearchParams(location.search);
    const today = new Date();
    const weekAgo = new Date(today.getTime() - 6 * 86400000);
    $("f-from").value = params.get("from") || isoDay(weekAgo);
    $("f-to").value = params.get("to") || isoDay(today);
    const tz = params.get("tz") || browserZone;
    if (![...$("f-tz").options].some((o) => o.value === tz)) {
      const o = el("option", null, tz);
      o.value = tz;
      $("f-tz").appendChild(o);
    }
    $("f-tz").value = tz;
  }

  // ---- key figures ---------------------------------------------------------------------------
  /** A key figure: a button that lists the conversations behind it (`figure`, metrics.py figure_keys). */
  function kpi(label, value, sub, figure, definition) {
    const box = el("button", "kpi");
    box.type = "button";
    box.dataset.figure = figure;
    box.title = "Show these conversations";
    box.appendChild(el("div", "label", label));
    box.appendChild(el("div", "value", value));
    if (sub) box.appendChild(el("div", "sub", sub));
    if (definition) box.appendChild(el("div", "def", definition));
    box.addEventListener("click", () => drill(figure, label));
    return box;
  }
  function renderKpis(data) {
    const s = data.summary;
    const sla = data.queue_sla.by_tier;
    const judged = sla.reduce((n, t) => n + t.claimed + t.unclaimed_over_target, 0);
    const within = sla.reduce((n, t) => n + t.within_target, 0);
    const targetsText = sla.length > 1 ? "target" : dur(data.queue_sla.target_seconds);
    const hours = data.definitions.reopen_hours;
    const box = $("kpis");
    // joined by " · " as the other figures' parts, which i18n.js translates part by part (joined by ", " a Chinese
    // dashboard read "尚未计入：6 in progress, 4 awaiting 24 h": walkthrough of 2026-12-07)
    const notYet = [s.in_progress ? s.in_progress + " in progress" : "", s.awaiting ? s.awaiting + " awaiting " + hours + " h" : ""]
      .filter(Boolean).join(" · ");
    box.replaceChildren(
      kpi("Conversations", s.conversations, s.finished + " finished · " + s.in_progress + " in progress", "all"),
      kpi("Contained by the bot", pct(s.containment_rate), s.contained + " of " + s.decided + " finished" + (notYet ? " (not counted yet: " + notYet + ")" : ""), "contained",
        "Counted only with a positive signal: the customer said it helped (thumbs-up or thanks), or the chat ended after an answer and the customer neither came back nor asked for a person within " + hours + " h. Silence alone never counts."),
      kpi("Handed off", pct(s.handoff_rate), s.handed_off + " conversations", "handed_off"),
      kpi("Resolved by agents", pct(s.resolution_rate), s.resolved_by_agent + " of " + s.handed_off + " handed off", "resolved_by_agent"),
      kpi("CSAT", s.csat.average == null ? "–" : numOr(s.csat.average, 2) + " / 5", s.csat.count + " ratings", "rated"),
      kpi("Bot first response", dur(s.bot_first_response.median), "median · p90 " + dur(s.bot_first_response.p90), "all"),
      kpi("Queue wait", dur(s.queue_wait.median), "median, " + (s.waiting_now ? "incl. " + s.waiting_now + " still waiting" : "none waiting") + " · " + (judged ? pct(within / judged) + " within " + targetsText : s.waiting_now ? "none past the target yet" : "no waits"), "handed_off"),
      kpi("Agent first response", dur(s.agent_first_response.median), "median, from handoff", "agent_replied"),
      kpi("Handling time", dur(s.handling_time.mean), "average per agent stint", "claimed"),
    );
    const r = data.range;
    $("range-text").textContent = r.from + " to " + r.to + " (" + r.tz + ")";
    $("def-idle").textContent = data.definitions.idle_minutes;
    for (const span of document.querySelectorAll(".def-reopen")) span.textContent = hours;
  }

  // ---- funnel -------------------------------------------------------------------------------
  /** A funnel stage: its box is the sum of its rows; the box and each row list their conversations. */
  function stage(title, figure, rows) {
    const box = el("div", "stage");
    box.dataset.stage = title;
    box.appendChild(el("h4", null, title));
    const total = rows.reduce((n, r) => n + r[1], 0);
    const count = el("button", "count", total);
    count.type = "button";
    count.title = "Show these conversations";
    count.addEventListener("click", () => drill(figure, title));
    box.appendChild(count);
    const ul = el("ul");
    for (const [label, value, key, loss] of rows) {
      const li = el("li", loss ? "loss" : null);
      const b = el("button", "row", null);
      b.type = "button";
      b.dataset.figure = key;
      b.appendChild(el("span", null, label));
      b.appendChild(el("b", null, value));
      b.addEventListener("click", () => drill(key, title + ": " + label));
      li.appendChild(b);
      ul.appendChild(li);
    }
    box.appendChild(ul);
    return box;
  }
  function arrow(lines) {
    const a = el("div", "arrow");
    for (const [label, seconds] of lines) {
      a.appendChild(el("span", null, label));
      a.appendChild(el("span", "time", dur(seconds)));
    }
    a.appendChild(el("div", "line"));
    return a;
  }
  function renderFunnel(f) {
    const st = f.stages;
    const m = f.median_seconds;
    const o = st.outcome;
    $("funnel").replaceChildren(
      stage("Intake", "all", [["finished", st.intake.finished, "finished"], ["in progress", st.intake.in_progress, "in_progress"]]),
      arrow([["first bot reply", m.intake_to_triage]]),
      stage("Triage", "all", [
        ["bot understood", st.triage.bot_understood, "bot_understood"],
        ["answered from FAQ", st.triage.faq, "faq"],
        ["handed off", st.triage.handoff, "handoff"],
      ]),
      arrow([["to bot resolved", m.triage_to_bot_resolved], ["queue wait", m.triage_to_agent]]),
      stage("Outcome", "all", Object.keys(OUTCOMES).map((k) => [OUTCOMES[k][0], o[k] || 0, k, OUTCOMES[k][1]])),
      arrow([["resolve to rating", m.outcome_to_feedback]]),
      stage("Feedback", "rated", [
        ["rated 4–5", st.feedback.rated_high, "rated_high"],
        ["rated 3", st.feedback.rated_3, "rated_3"],
        ["rated 1–2", st.feedback.rated_low, "rated_low", true],
      ]),
      arrow([["to follow-up", m.feedback_to_follow_up]]),
      stage("Follow-up", "follow_up", Object.entries(st.follow_up.by_reason).map(([r, n]) => [FOLLOW_UP_REASONS[r] || words(r), n, "follow_up:" + r])),
    );
  }

  // ---- charts -------------------------------------------------------------------------------
  function chart(id, config) {
    if (!window.Chart) return;
    // a chart is drawn, not text on the page: its words in the staff member's language here (static/console/i18n.js)
    const tr = (s) => (window.ConsoleI18n && typeof s === "string" ? window.ConsoleI18n.t(s) : s);
    config.data.labels = (config.data.labels || []).map(tr);
    for (const set of config.data.datasets || []) set.label = tr(set.label);
    const old = state.charts[id];
    if (old) {
      old.data = config.data;
      old.update();
      return;
    }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    state.charts[id] = new window.Chart($(id), config);
  }
  const noLegend = { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } };
  function renderCharts(data) {
    const hours = data.volume.by_hour;
    chart("chart-hours", {
      type: "bar",
      data: { labels: hours.map((h) => String(h.hour).padStart(2, "0")), datasets: [{ label: "Conversations", data: hours.map((h) => h.conversations), backgroundColor: COLORS[0] }] },
      options: noLegend,
    });
    const days = data.volume.by_day;
    chart("chart-days", {
      type: "line",
      data: { labels: days.map((d) => d.day), datasets: [{ label: "Conversations", data: days.map((d) => d.conversations), borderColor: COLORS[0], backgroundColor: COLORS[0], tension: 0.2 }] },
      options: noLegend,
    });
    const reasons = data.handoff_reasons;
    chart("chart-reasons", {
      type: "doughnut",
      data: {
        labels: reasons.length ? reasons.map((r) => reasonText(r.reason)) : ["no handoffs"],
        datasets: [{ data: reasons.length ? reasons.map((r) => r.count) : [0], backgroundColor: COLORS }],
      },
      options: {
        plugins: { legend: { position: "right" } },
        onClick: (_, items) => {
          if (items.length && reasons[items[0].index]) drill("reason:" + reasons[items[0].index].reason, "Handed off: " + reasonText(reasons[items[0].index].reason));
        },
      },
    });
    const dist = data.summary.csat.distribution;
    chart("chart-csat", {
      type: "bar",
      data: { labels: ["1", "2", "3", "4", "5"], datasets: [{ label: "Ratings", data: ["1", "2", "3", "4", "5"].map((k) => dist[k] || 0), backgroundColor: [COLORS[3], COLORS[2], COLORS[5], COLORS[1], COLORS[1]] }] },
      options: noLegend,
    });
    const tiers = data.queue_sla.by_tier;
    $("sla-target").textContent = tiers.length ? "(targets: " + tiers.map((t) => (t.tier === "vip" ? "VIP" : t.tier) + " " + dur(t.target_seconds)).join(", ") + ")" : "(target " + dur(data.queue_sla.target_seconds) + ")";
    $("sla-target").dataset.seconds = String(data.queue_sla.target_seconds);
    chart("chart-sla", {
      type: "bar",
      data: {
        labels: tiers.length ? tiers.map((t) => t.tier) : ["no handoffs"],
        datasets: [{ label: "Within target (%)", data: tiers.map((t) => (t.within_target_share == null ? 0 : Math.round(t.within_target_share * 1000) / 10)), backgroundColor: COLORS[1] }],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, max: 100 } } },
    });
  }

  // ---- tables -------------------------------------------------------------------------------
  function renderTable(id, rows, section, label) {
    const table = $(id);
    const head = el("tr");
    for (const h of ["", "Conv.", "In progress", "Contained", "Handoff", "Resolved", "CSAT", "Handling"]) head.appendChild(el("th", null, h));
    const body = [head];
    if (!rows.length) {
      const tr = el("tr");
      const td = el("td", "empty", "No conversations in this range.");
      td.colSpan = 8;
      tr.appendChild(td);
      body.push(tr);
    }
    for (const r of rows) {
      const tr = el("tr", "clickable");
      tr.tabIndex = 0;
      tr.dataset.figure = section + ":" + r.group;
      const open = () => drill(section + ":" + r.group, label(r.group));
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", (ev) => { if (ev.key === "Enter") open(); });
      for (const v of [label(r.group), r.conversations, r.in_progress, pct(r.containment_rate), pct(r.handoff_rate), pct(r.resolution_rate),
        r.csat_average == null ? "–" : numOr(r.csat_average, 2) + " (" + r.csat_count + ")", dur(r.handling_time_mean)]) {
        tr.appendChild(el("td", null, v));
      }
      body.push(tr);
    }
    table.replaceChildren(...body);
  }

  // ---- click-through: the conversations behind a figure, and watching one -------------------------
  async function drill(figure, title) {
    const panel = $("drill");
    panel.hidden = false;
    $("drill-title").textContent = title;
    $("drill-count").textContent = "loading…";
    const list = $("drill-list");
    list.replaceChildren();
    const r = await getJson("/metrics/conversations?" + query() + "&figure=" + encodeURIComponent(figure));
    if (refused(r)) return;
    if (r.status !== 200) {
      $("drill-count").textContent = (r.data && r.data.error) || "Could not load the conversations.";
      return;
    }
    const shown = r.data.conversations.length;
    $("drill-count").textContent = r.data.count + " conversation" + (r.data.count === 1 ? "" : "s") + (shown < r.data.count ? " (newest " + shown + " shown)" : "");
    panel.dataset.figure = figure;
    panel.dataset.count = String(r.data.count);
    for (const c of r.data.conversations) {
      const li = el("li", "drill-row");
      li.dataset.conversation = c.conversation_id;
      // "View", not "Open": the catalog's "Open" is a follow-up's status (待处理), which a Chinese supervisor read on
      // every conversation listed
      const watch = el("button", "watch", "View");
      watch.type = "button";
      watch.addEventListener("click", () => openWatch(c.conversation_id));
      li.appendChild(watch);
      li.appendChild(el("span", "when", new Date(c.start).toLocaleString()));
      li.appendChild(el("span", "what", intentText(c.intent)));
      li.appendChild(el("span", "outcome", outcomeText(c.outcome) + (c.reason ? " · " + reasonText(c.reason) : "")));
      li.appendChild(el("span", "who muted", [c.tier === "vip" ? "VIP" : "", c.agents.join(", "), c.queue_wait == null ? "" : "waited " + dur(c.queue_wait)].filter(Boolean).join(" · ")));
      list.appendChild(li);
    }
    panel.scrollIntoView({ block: "nearest" });
  }

  function stopWatch() {
    if (state.watchTimer) clearInterval(state.watchTimer);
    state.watchTimer = null;
    state.watch = null;
  }
  async function refreshWatch() {
    const id = state.watch;
    if (!id) return;
    const r = await getJson("/conversations/" + encodeURIComponent(id));
    if (state.watch !== id) return;
    if (refused(r)) return;
    if (r.status !== 200) {
      $("watch-status").textContent = (r.data && r.data.error) || "Could not load the conversation.";
      return;
    }
    const c = r.data.conversation;
    $("watch-title").textContent = "Conversation " + c.id;
    $("watch-status").textContent = [c.mode === "agent" ? "with " + (c.assignee_name || "an agent") : c.mode, c.customer_tier === "vip" ? "VIP" : "", c.handoff_reason ? reasonText(c.handoff_reason) : ""]
      .filter(Boolean).join(" · ");
    const log = $("watch-log");
    const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
    log.replaceChildren(...r.data.messages.map((m) => {
      const li = el("li", "msg " + m.sender);
      li.appendChild(el("span", "who", m.sender === "agent" ? (m.author || "agent") : m.sender));
      li.appendChild(messageText(m.sender, m.text, "span"));
      return li;
    }));
    if (atEnd) log.scrollTop = log.scrollHeight;
    $("watch-notes").replaceChildren(...r.data.notes.map((n) => el("li", null, (n.author || "someone") + ": " + n.text)));
    $("whisper-form").hidden = !(c.mode === "agent" || c.mode === "queued");
  }
  async function openWatch(id) {
    stopWatch();
    state.watch = id;
    $("watch").hidden = false;
    $("watch-log").replaceChildren();
    $("whisper-error").textContent = "";
    await refreshWatch();
    state.watchTimer = setInterval(refreshWatch, 3000);
    $("watch").scrollIntoView({ block: "nearest" });
  }
  async function whisper(ev) {
    ev.preventDefault();
    const text = $("whisper").value.trim();
    if (!text || !state.watch) return;
    const r = await request("POST", "/conversations/" + encodeURIComponent(state.watch) + "/notes", { text }, state.csrf);
    if (!r.res || r.res.status !== 201) {
      $("whisper-error").textContent = (r.data && r.data.error) || "The note was not sent.";
      return;
    }
    $("whisper").value = "";
    $("whisper-error").textContent = "";
    await refreshWatch();
  }

  // ---- SLA: live alerts over the consoles' socket, and the breaches counted ---------------------
  const KINDS = { queue_wait: "queue wait", first_response: "first response" };
  function alertText(ev) {
    const what = (ev.tier === "vip" ? "VIP chat" : "Chat") + (ev.team ? " (" + ev.team + ")" : "");
    const kind = KINDS[ev.kind] || words(ev.kind);
    return ev.level === "breach"
      ? what + ": " + kind + " target missed — " + dur(ev.elapsed_seconds) + " against " + dur(ev.target_seconds)
      : what + ": " + kind + " at " + dur(ev.elapsed_seconds) + " of " + dur(ev.target_seconds) + " — about to miss the target";
  }
  function showAlert(ev) {
    const key = ev.conversation_id + "|" + ev.kind + "|" + ev.level;
    const list = $("alert-list");
    if (list.querySelector('li[data-key="' + CSS.escape(key) + '"]')) return;
    const li = el("li", "alert " + (ev.level === "breach" ? "breach" : "warning"));
    li.dataset.key = key;
    li.dataset.level = ev.level;
    li.dataset.conversation = ev.conversation_id;
    li.appendChild(el("span", "when muted small", new Date().toLocaleTimeString()));
    li.appendChild(el("span", "what", alertText(ev)));
    const open = el("button", "watch small", "View"); // not "Open" (待处理): see the drill list
    open.type = "button";
    open.addEventListener("click", () => openWatch(ev.conversation_id));
    const dismiss = el("button", "link small", "Dismiss");
    dismiss.type = "button";
    dismiss.addEventListener("click", () => { li.remove(); countAlerts(); });
    li.append(open, dismiss);
    list.prepend(li);
    while (list.children.length > 50) list.lastChild.remove();
    countAlerts();
  }
  function countAlerts() {
    const n = $("alert-list").children.length;
    $("alerts").hidden = n === 0;
    const breaches = $("alert-list").querySelectorAll("li.breach").length;
    $("alert-count").textContent = n + (n === 1 ? " alert" : " alerts") + (breaches ? " · " + breaches + " missed" : "");
    document.title = (breaches ? "(" + breaches + ") " : "") + "Support dashboard · Larkspur Home";
  }
  const SESSION_ENDED = 4401; // helpdesk/web/sockets.py: the session ended (logout, account disabled, expiry)
  /** The alerts' socket, reconnected 3 s after a drop while the session lives; one ping timer for every socket. */
  function connectAlerts() {
    if (state.denied) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    let ws;
    try {
      ws = new WebSocket(scheme + location.host + API + "/ws?after=0");
    } catch (e) {
      return;
    }
    state.ws = ws;
    ws.addEventListener("message", (m) => {
      let ev;
      try { ev = JSON.parse(m.data); } catch (e) { return; }
      if (ev && ev.type === "sla") showAlert(ev);
      if (ev && ev.type === "ready") document.body.dataset.alerts = "live";
    });
    ws.addEventListener("close", async (e) => {
      if (state.ws !== ws) return;
      state.ws = null;
      document.body.dataset.alerts = "down";
      if (e.code === SESSION_ENDED) return deny("Log in at the agent console first.");
      // a refused handshake (no session: 401) closes with 1006 like a network drop: ask before trying again
      if (refused(await getJson("/me"))) return;
      if (!state.denied) setTimeout(connectAlerts, 3000);
    });
    if (!state.pingTimer) {
      state.pingTimer = setInterval(() => {
        if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send('{"type":"ping"}');
      }, 25000);
    }
  }
  function stopAlerts() {
    state.denied = true;
    clearInterval(state.pingTimer);
    state.pingTimer = null;
    const ws = state.ws;
    state.ws = null;
    if (ws) ws.close();
  }
  async function loadBreaches() {
    const r = await getJson("/metrics/sla?" + query());
    if (r.status !== 200) return;
    const d = r.data;
    $("sla-total").textContent = d.total + (d.total === 1 ? " missed target" : " missed targets") + " in this range";
    const rows = [];
    for (const [title, list, label] of [["Tier", d.by_tier, (g) => (g === "vip" ? "VIP" : g)], ["Team", d.by_team, (g) => g], ["Agent", d.by_agent, (g) => g], ["Target", d.by_kind, (g) => KINDS[g] || g]]) {
      for (const item of list) {
        const tr = el("tr");
        tr.append(el("td", null, title), el("td", null, label(item.group)), el("td", null, item.breaches));
        rows.push(tr);
      }
    }
    const head = el("tr");
    for (const h of ["By", "", "Missed"]) head.appendChild(el("th", null, h));
    if (!rows.length) {
      const tr = el("tr");
      const td = el("td", "empty", "No missed targets in this range.");
      td.colSpan = 3;
      tr.appendChild(td);
      rows.push(tr);
    }
    $("t-sla").replaceChildren(head, ...rows);
    const t = d.targets.tiers;
    $("sla-targets").textContent = "Targets: " + Object.keys(t).map((tier) => (tier === "vip" ? "VIP" : tier) + " " +
      Object.entries(t[tier]).map(([k, v]) => (KINDS[k] || k) + " " + dur(v)).join(", ")).join(" · ") +
      "; warned at " + Math.round(d.targets.warn_at * 100) + "% of a target.";
  }

  // ---- loading --------------------------------------------------------------------------------
  async function load(ev) {
    if (ev) ev.preventDefault();
    $("filter-error").textContent = "";
    const q = query();
    $("csv").href = API + "/metrics.csv?" + q;
    history.replaceState(null, "", "?" + q);
    const r = await getJson("/metrics?" + q);
    if (refused(r)) return;
    if (r.status !== 200) {
      $("filter-error").textContent = (r.data && r.data.error) || "Could not load the figures.";
      return;
    }
    const data = r.data;
    fillChoices(data.choices);
    renderKpis(data);
    renderFunnel(data.funnel);
    renderCharts(data);
    renderTable("t-intent", data.by_intent, "by_intent", intentText);
    renderTable("t-agent", data.by_agent, "by_agent", (g) => g);
    renderTable("t-team", data.by_team, "by_team", (g) => g);
    renderTable("t-channel", data.by_channel, "by_channel", channelText);
    if (data.by_language) renderTable("t-language", data.by_language, "by_language", (g) => LANGUAGE_NAMES[g] || g);
    renderLive(data.live);
    renderWaitChoices(data.wait_choices);
    await loadBreaches();
    document.body.dataset.loaded = "1";
  }

  // what waiting customers chose in the period (issue 21, helpdesk/mail/waiting.py): two figures under the KPIs
  function renderWaitChoices(choices) {
    if (!choices) return;
    let box = $("wait-choices");
    if (!box) {
      box = el("div", "kpis");
      box.id = "wait-choices";
      box.style.cssText = "margin-top:10px;";
      box.setAttribute("aria-label", "While waiting for a person");
      $("kpis").after(box);
    }
    box.textContent = "";
    for (const [key, label, sub] of [
      ["email", "Chose an answer by e-mail", "waiting customers who left their e-mail address for the answer"],
      ["cancel", "Stopped waiting", "customers who cancelled their wait in the queue"],
    ]) {
      const fig = el("div", "kpi wait-choice");
      fig.dataset.choice = key;
      fig.appendChild(el("div", "label", label));
      fig.appendChild(el("div", "value", String(choices[key] || 0)));
      fig.appendChild(el("div", "sub", sub));
      box.appendChild(fig);
    }
  }

  function renderLive(live) {
    $("live-waiting").textContent = live.waiting;
    $("live-by-email").textContent = live.waiting_by_email == null ? "–" : live.waiting_by_email; // issue 21
    const longest = $("live-longest");
    longest.textContent = live.waiting ? dur(live.longest_wait_seconds) : "–";
    longest.classList.toggle("bad", live.longest_wait_seconds > Number($("sla-target").dataset.seconds || Infinity));
    $("live-agents").textContent = live.agents_online;
    const names = (list) => (list || []).map((a) => a.name).join(", ");
    const away = names(live.agents_away), closed = names(live.agents_console_closed);
    // the same figure as the console's team count: Online with a console open; the others at hand listed apart
    $("live-names").textContent = (names(live.agents) || "nobody") + (away ? " · away: " + away : "")
      + (closed ? " · console closed: " + closed : "");
    $("live-at").textContent = "updated " + new Date(live.at).toLocaleTimeString();
  }
  async function pollLive() {
    const r = await getJson("/metrics/live");
    if (refused(r)) return;
    if (r.status === 200) renderLive(r.data);
  }
  function stopLive() {
    if (state.liveTimer) clearInterval(state.liveTimer);
    state.liveTimer = null;
  }

  async function init() {
    const me = await getJson("/me");
    if (refused(me)) return;
    if (me.status !== 200) return deny((me.data && me.data.error) || "The helpdesk cannot be reached.");
    const agent = me.data.agent;
    if (agent.role !== "supervisor" && agent.role !== "admin") return deny("The dashboard is for supervisors and admins.");
    $("me").textContent = agent.display_name + " · " + agent.role;
    state.csrf = me.data.csrf_token;
    $("admin-link").hidden = agent.role !== "admin";
    $("drill-close").addEventListener("click", () => { $("drill").hidden = true; });
    $("watch-close").addEventListener("click", () => { stopWatch(); $("watch").hidden = true; });
    $("whisper-form").addEventListener("submit", whisper);
    $("dash").hidden = false;
    initFilters();
    $("filters").addEventListener("submit", load);
    connectAlerts();
    await load();
    state.liveTimer = setInterval(pollLive, LIVE_MS);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
