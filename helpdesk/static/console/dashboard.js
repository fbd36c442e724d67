/*! Larkspur helpdesk support dashboard — vanilla JS plus the vendored Chart.js (window.Chart), served under
 * CSP script-src 'self'. Every name that comes from data (intents, teams, agents, reasons) is put on the page
 * with textContent or drawn on a canvas, never as HTML. */
(function () {
  "use strict";

  const LIVE_MS = 5000;
  const { API, $, el, request, isoDay } = window.ConsoleCommon;
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
  const COLORS = ["#4b44a8", "#18794e", "#b54708", "#b42318", "#a15c07", "#6b6f80", "#2e90fa", "#9e77ed"];

  const state = { charts: {}, liveTimer: null, choicesLoaded: false };
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
  const reasonText = (r) => REASONS[r] || r;
  // ---- HTTP -----------------------------------------------------------------------------------
  async function getJson(path) {
    const r = await request("GET", path);
    return { status: r.res ? r.res.status : 0, data: r.data };
  }
  function deny(text) {
    stopLive();
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

  // ---- filters --------------------------------------------------------------------------------
  function query() {
    const p = new URLSearchParams();
    p.set("from", $("f-from").value);
    p.set("to", $("f-to").value);
    p.set("tz", $("f-tz").value);
    for (const name of ["channel", "intent", "team", "agent"]) {
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
    setOptions($("f-channel"), choices.channels.map((c) => ({ value: c, label: c })));
    setOptions($("f-intent"), choices.intents.map((c) => ({ value: c, label: c })));
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
  function kpi(label, value, sub) {
    const box = el("div", "kpi");
    box.appendChild(el("div", "label", label));
    box.appendChild(el("div", "value", value));
    if (sub) box.appendChild(el("div", "sub", sub));
    return box;
  }
  function renderKpis(data) {
    const s = data.summary;
    const sla = data.queue_sla.by_tier;
    const judged = sla.reduce((n, t) => n + t.claimed + t.unclaimed_over_target, 0);
    const within = sla.reduce((n, t) => n + t.within_target, 0);
    const box = $("kpis");
    box.replaceChildren(
      kpi("Conversations", s.conversations, s.messages_per_conversation == null ? "" : numOr(s.messages_per_conversation, 1) + " messages each"),
      kpi("Contained by the bot", pct(s.containment_rate), s.contained + " of " + s.decided + " finished"),
      kpi("Handed off", pct(s.handoff_rate), s.handed_off + " conversations"),
      kpi("Resolved by agents", pct(s.resolution_rate), s.resolved_by_agent + " of " + s.handed_off + " handed off"),
      kpi("CSAT", s.csat.average == null ? "–" : numOr(s.csat.average, 2) + " / 5", s.csat.count + " ratings"),
      kpi("Bot first response", dur(s.bot_first_response.median), "median · p90 " + dur(s.bot_first_response.p90)),
      kpi("Queue wait", dur(s.queue_wait.median), "median · " + (judged ? pct(within / judged) + " within " + dur(data.queue_sla.target_seconds) : "no waits")),
      kpi("Agent first response", dur(s.agent_first_response.median), "median, from handoff"),
      kpi("Handling time", dur(s.handling_time.mean), "average per agent stint"),
    );
    const r = data.range;
    $("range-text").textContent = r.from + " to " + r.to + " (" + r.tz + ")";
    $("def-idle").textContent = data.definitions.idle_minutes;
    $("def-reopen").textContent = data.definitions.reopen_hours;
  }

  // ---- funnel -------------------------------------------------------------------------------
  function stage(title, count, rows) {
    const box = el("div", "stage");
    box.appendChild(el("h4", null, title));
    box.appendChild(el("div", "count", count));
    const ul = el("ul");
    for (const [label, value, loss] of rows) {
      const li = el("li", loss ? "loss" : null);
      li.appendChild(el("span", null, label));
      li.appendChild(el("b", null, value));
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
      stage("Intake", st.intake.count, [["customer conversations", ""]]),
      arrow([["first bot reply", m.intake_to_triage]]),
      stage("Triage", st.intake.count, [
        ["bot understood", st.triage.bot_understood],
        ["answered from FAQ", st.triage.faq],
        ["handed off", st.triage.handoff],
      ]),
      arrow([["to bot resolved", m.triage_to_bot_resolved], ["queue wait", m.triage_to_agent]]),
      stage("Outcome", o.bot_resolved + o.agent, [
        ["bot resolved", o.bot_resolved],
        ["with an agent", o.agent],
        ["bot, not resolved", o.bot_unresolved, true],
        ["never claimed", o.not_claimed, true],
        ["bot, in progress", o.bot_in_progress],
      ]),
      arrow([["resolve to rating", m.outcome_to_feedback]]),
      stage("Feedback", st.feedback.rated, [["rated", st.feedback.rated], ["rated 1–2", st.feedback.ratings_low, true]]),
      arrow([["to follow-up", m.feedback_to_follow_up]]),
      stage("Follow-up", st.follow_up.count, [["follow-up tasks", st.follow_up.count]]),
    );
  }

  // ---- charts -------------------------------------------------------------------------------
  function chart(id, config) {
    if (!window.Chart) return;
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
      options: { plugins: { legend: { position: "right" } } },
    });
    const dist = data.summary.csat.distribution;
    chart("chart-csat", {
      type: "bar",
      data: { labels: ["1", "2", "3", "4", "5"], datasets: [{ label: "Ratings", data: ["1", "2", "3", "4", "5"].map((k) => dist[k] || 0), backgroundColor: [COLORS[3], COLORS[2], COLORS[5], COLORS[1], COLORS[1]] }] },
      options: noLegend,
    });
    const tiers = data.queue_sla.by_tier;
    $("sla-target").textContent = "(target " + dur(data.queue_sla.target_seconds) + ")";
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
  function renderTable(id, rows) {
    const table = $(id);
    const head = el("tr");
    for (const h of ["", "Conv.", "Contained", "Handoff", "Resolved", "CSAT", "Handling"]) head.appendChild(el("th", null, h));
    const body = [head];
    if (!rows.length) {
      const tr = el("tr");
      const td = el("td", "empty", "No conversations in this range.");
      td.colSpan = 7;
      tr.appendChild(td);
      body.push(tr);
    }
    for (const r of rows) {
      const tr = el("tr");
      for (const v of [r.group, r.conversations, pct(r.containment_rate), pct(r.handoff_rate), pct(r.resolution_rate),
        r.csat_average == null ? "–" : numOr(r.csat_average, 2) + " (" + r.csat_count + ")", dur(r.handling_time_mean)]) {
        tr.appendChild(el("td", null, v));
      }
      body.push(tr);
    }
    table.replaceChildren(...body);
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
    renderTable("t-intent", data.by_intent);
    renderTable("t-agent", data.by_agent);
    renderTable("t-team", data.by_team);
    renderTable("t-channel", data.by_channel);
    renderLive(data.live);
    document.body.dataset.loaded = "1";
  }

  function renderLive(live) {
    $("live-waiting").textContent = live.waiting;
    $("live-by-email").textContent = live.waiting_by_email == null ? "–" : live.waiting_by_email; // issue 21
    const longest = $("live-longest");
    longest.textContent = live.waiting ? dur(live.longest_wait_seconds) : "–";
    longest.classList.toggle("bad", live.longest_wait_seconds > Number($("sla-target").dataset.seconds || Infinity));
    $("live-agents").textContent = live.agents_online;
    $("live-names").textContent = live.agents.map((a) => a.name).join(", ") || "nobody";
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
    $("dash").hidden = false;
    initFilters();
    $("filters").addEventListener("submit", load);
    await load();
    state.liveTimer = setInterval(pollLive, LIVE_MS);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
