/*! Larkspur helpdesk: the unanswered-questions report for handbook editors — vanilla JS, CSP script-src 'self'.
 * Customer text is untrusted: everything is put on the page with textContent (never innerHTML). */
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const { $, el, request, errorText, isoDay, button, renderList, startStaffPage } = window.ConsoleCommon;
  const svg = (tag, attrs) => {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs || {})) e.setAttribute(k, String(attrs[k]));
    return e;
  };
  const pct = (x) => (x == null ? "–" : Math.round(Number(x) * 100) + "%");
  const state = { csrf: "", me: null, loads: 0 };

  const api = (method, path, body) => request(method, path, body, state.csrf);

  // ---- the report ------------------------------------------------------------------------
  async function load(ev) {
    if (ev) ev.preventDefault();
    const q = new URLSearchParams({ from: $("from").value, to: $("to").value, tz: $("tz").value.trim() || "UTC" });
    if ($("language") && $("language").value) q.set("language", $("language").value);
    $("status").textContent = "Loading…";
    const mine = ++state.loads;
    const r = await api("GET", "/unanswered?" + q.toString());
    // an earlier, slower request (the page's first load, grouping 30 days) never replaces the period asked since
    if (mine !== state.loads) return;
    if (!r.res || !r.res.ok) {
      $("status").textContent = errorText(r, "Could not load the report.");
      return;
    }
    $("status").textContent = "";
    render(r.data);
  }

  function render(report) {
    $("fig-questions").textContent = String(report.faq_questions);
    $("fig-questions-label").textContent = report.faq_questions === 1 ? "question on the FAQ path" : "questions on the FAQ path";
    $("fig-answered").textContent =
      report.faq_questions ? pct(report.answered / report.faq_questions) + " (" + report.answered + ")" : "–";
    $("fig-unanswered").textContent = String(report.unanswered);
    $("fig-groups").textContent = String(report.clusters.length);
    $("fig-groups-label").textContent = report.clusters.length === 1 ? "group" : "groups";
    renderCoverage(report.coverage);
    renderClusters(report);
    renderSetAside(report.set_aside || []);
    renderVotes(report.article_votes || []);
  }

  // the help centre's "Was this helpful?" per article (helpdesk/reports/article_votes.py)
  function renderVotes(votes) {
    const body = $("votes-table").querySelector("tbody");
    body.textContent = "";
    $("votes-table").hidden = !votes.length;
    $("votes-note").textContent = votes.length
      ? "Readers' votes on the articles at /help, beside the 👎 on the bot's answers above."
      : "No votes on help-centre articles in this period.";
    for (const v of votes) {
      const tr = el("tr");
      const cell = el("td");
      const link = el("a", null, v.title || v.faq_id);
      link.href = "/help/" + encodeURIComponent(v.faq_id);
      link.target = "_blank";
      link.rel = "noopener";
      cell.appendChild(link);
      tr.appendChild(cell);
      tr.appendChild(el("td", "num", v.helpful));
      tr.appendChild(el("td", "num", v.not_helpful));
      body.appendChild(tr);
    }
  }

  function renderCoverage(days) {
    const box = $("coverage");
    box.textContent = "";
    const width = 720;
    const height = 180;
    const pad = 24;
    const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, preserveAspectRatio: "none" });
    chart.appendChild(svg("line", { x1: pad, y1: height - pad, x2: width, y2: height - pad, class: "axis" }));
    for (const level of [0, 0.5, 1]) {
      const y = height - pad - level * (height - 2 * pad);
      const label = svg("text", { x: 0, y: y + 3 });
      label.textContent = Math.round(level * 100) + "%";
      chart.appendChild(label);
    }
    const step = (width - pad) / Math.max(days.length, 1);
    days.forEach((d, i) => {
      const share = d.share == null ? 0 : d.share;
      const h = d.share == null ? 2 : Math.max(2, share * (height - 2 * pad));
      const bar = svg("rect", {
        x: pad + i * step + step * 0.15,
        y: height - pad - h,
        width: Math.max(1, step * 0.7),
        height: h,
        class: d.share == null ? "empty" : "bar",
      });
      const title = svg("title");
      title.textContent = d.date + ": " + (d.share == null ? "no questions" : pct(d.share) + " of " + d.questions);
      bar.appendChild(title);
      chart.appendChild(bar);
    });
    box.appendChild(chart);
    const body = $("coverage-table").querySelector("tbody");
    body.textContent = "";
    for (const d of days) {
      if (!d.questions) continue;
      const tr = el("tr");
      tr.appendChild(el("td", null, d.date));
      tr.appendChild(el("td", "num", d.questions));
      tr.appendChild(el("td", "num", d.answered));
      tr.appendChild(el("td", "num", pct(d.share)));
      body.appendChild(tr);
    }
  }

  const REASONS = {
    low_confidence: "a person was offered",
    failed_turns: "handed off after failed turns",
    suggestions_rejected: "suggestions turned down",
    not_helpful: "👎 on the answer",
    corrected: "an agent corrected the bot",
    suggested: "only weak suggestions",
  };
  function renderClusters(report) {
    // the empty state is a sentence beside the numbered list, never its item "1." (that read as one group)
    $("clusters-note").textContent = !report.clustered
      ? "The FAQ engine is not available right now, so the questions could not be grouped. Try again in a minute."
      : report.clusters.length ? "" : "No unanswered questions in this period.";
    renderList($("clusters"), report.clusters, renderCluster, "");
  }

  function renderCluster(c, li) {
    const head = el("div", "head");
    head.appendChild(el("span", "volume", c.count + (c.count === 1 ? " question" : " questions")));
    const title = el("span", "group-title", c.title || c.examples[0]);
    title.dataset.userContent = ""; // from the customers' words (masked)
    head.appendChild(title);
    const actions = el("span", "actions");
    actions.appendChild(button("Draft entry", null, () => makeDraft(c, false), "Draft a handbook entry for: " + c.examples[0]));
    if (c.agent_reply) {
      actions.appendChild(
        button("Draft from the agent's reply", null, () => makeDraft(c, true), "Draft a handbook entry from the agent's reply for: " + c.examples[0])
      );
    }
    const all = (c.all_examples || []).map((q) => q.text);
    actions.appendChild(button("Dismiss", null, () => setAside(all, "dismissed"), "Dismiss (not for the handbook): " + c.examples[0]));
    actions.appendChild(button("Won't fix", null, () => setAside(all, "wont_fix"), "Won't fix: " + c.examples[0]));
    head.appendChild(actions);
    li.appendChild(head);
    const facts = [];
    // each reason a part of its own (" · "), so the console's catalog says each in the staff member's language
    // ("{reason} {n}×"): joined by ", " they were one text it did not know ("原因：a person was offered 1×")
    const reasons = Object.entries(c.reasons || {}).map(([k, n]) => (REASONS[k] || k) + " " + n + "×");
    if (reasons.length) facts.push("Why: " + reasons.join(" · "));
    if (c.tags && c.tags.length) facts.push("Tags from the group: " + c.tags.join(", "));
    if (facts.length) li.appendChild(el("div", "muted facts", facts.join(" · ")));
    const examples = el("ul", "examples");
    for (const text of c.examples) examples.appendChild(el("li", null, text));
    li.appendChild(examples);
    const every = c.all_examples || [];
    if (every.length > c.examples.length || every.some((q) => q.spellings && q.spellings.length)) {
      // every question of the group, not only the first few, with the typo spellings that joined each
      const more = el("details", "all-examples");
      more.appendChild(
        el("summary", null, every.length === 1 ? "The question's other spellings" : "All " + every.length + " questions of this group")
      );
      const full = el("ul", "examples");
      for (const q of every) {
        const spelled = q.spellings && q.spellings.length ? " — also spelled: " + q.spellings.join(" / ") : "";
        full.appendChild(el("li", null, q.text + (q.count > 1 ? " (" + q.count + "×)" : "") + spelled));
      }
      more.appendChild(full);
      li.appendChild(more);
    }
    if (c.not_helpful && c.not_helpful.length) {
      // the bot's answers the customers marked "did not help" (👎 in the widget)
      const rejected = el("div", "rejected");
      rejected.appendChild(el("span", null, "Customers said these answers did not help:"));
      const list = el("ul");
      for (const a of c.not_helpful) {
        const item = el("li");
        // the entry by its title, as the customer was shown it (an id says little to an editor)
        const named = a.title ? el("b", null, a.title) : el("b", null, a.faq_id ? "handbook entry " + a.faq_id : "bot reply");
        if (a.title) named.dataset.userContent = ""; // the handbook's words: not the console's to translate
        item.appendChild(named);
        item.appendChild(document.createTextNode(" — “" + a.text + "” (" + a.count + "×)"));
        list.appendChild(item);
      }
      rejected.appendChild(list);
      li.appendChild(rejected);
    }
    if (c.corrected && c.corrected.length) {
      // agents marked the bot's reading of these questions wrong (/agent/corrections)
      const fixed = el("div", "rejected corrected");
      fixed.appendChild(el("span", null, "Agents said the bot got these wrong; right was:"));
      const list = el("ul");
      for (const x of c.corrected) list.appendChild(el("li", null, x.said + " (" + x.count + "×)"));
      fixed.appendChild(list);
      li.appendChild(fixed);
    }
    const closest = el("div", "closest");
    if (c.closest) {
      closest.appendChild(document.createTextNode("Closest entry: "));
      // the entry by its title in the staff member's language (a Chinese console read "最接近的条目： Where do you
      // ship from?"); an entry without a Chinese version by its English one
      const chinese = window.ConsoleI18n && window.ConsoleI18n.lang === "zh";
      const link = el("a", null, (chinese && c.closest.zh_title) || c.closest.title);
      link.href = "/agent/handbook#" + encodeURIComponent(c.closest.id);
      closest.appendChild(link);
      closest.appendChild(document.createTextNode(" (" + c.closest.id + ", score " + Number(c.closest.score).toFixed(2) + ")"));
    } else closest.textContent = "No close handbook entry.";
    li.appendChild(closest);
  }

  // ---- questions set aside (dismissed / won't fix): not grouped, each can be put back ------------------
  const KINDS = { dismissed: "Dismissed", wont_fix: "Won't fix" };
  function renderSetAside(rows) {
    $("set-aside-count").textContent = String(rows.length);
    renderList($("set-aside"), rows, (q, li) => {
      const text = el("span", "text", q.text + (q.count > 1 ? " (" + q.count + "×)" : ""));
      text.dataset.userContent = "";
      li.appendChild(text);
      li.appendChild(el("span", "muted", " · " + (KINDS[q.kind] || q.kind) + " by " + (q.by || "?") + " "));
      li.appendChild(button("Put back", null, () => putBack([q.text]), "Put back into the groups: " + q.text));
    }, "Nothing set aside.");
  }
  async function setAside(questions, kind) {
    const r = await api("POST", "/unanswered/set-aside", { questions, kind });
    if (r.res && r.res.ok) await load();
    $("status").textContent = r.res && r.res.ok ? (kind === "dismissed" ? "Dismissed." : "Marked won't fix.") : errorText(r, "Could not set it aside.");
  }
  async function putBack(questions) {
    const r = await api("POST", "/unanswered/put-back", { questions });
    if (r.res && r.res.ok) await load();
    $("status").textContent = r.res && r.res.ok ? "Put back." : errorText(r, "Could not put it back.");
  }

  // ---- drafts: opened straight in the handbook editor (/agent/handbook) ------------------------------
  async function makeDraft(cluster, fromReply) {
    const r = await api("POST", "/unanswered/draft", {
      examples: cluster.examples,
      title: cluster.title || null,
      tags: cluster.tags || [],
    });
    if (!r.res || !r.res.ok) {
      $("status").textContent = errorText(r, "Could not draft an entry.");
      return;
    }
    const entry = Object.assign({}, r.data.entry);
    if (fromReply && cluster.agent_reply) entry.answer = cluster.agent_reply;
    // this tab only: the editor takes it once (helpdesk/static/console/handbook.js takeDraft)
    sessionStorage.setItem("larkspur.handbook.draft", JSON.stringify({ id: r.data.id, entry }));
    location.href = "/agent/handbook#new";
  }

  // ---- start ---------------------------------------------------------------------------------
  async function init() {
    $("filter").addEventListener("submit", load);
    const started = await startStaffPage({
      allowed: (role) => role !== "agent",
      denyText: "The unanswered-questions report is for editors, supervisors and admins.",
    });
    if (!started) return;
    state.me = started.me;
    state.csrf = started.csrf;
    const today = new Date();
    $("to").value = isoDay(today);
    $("from").value = isoDay(new Date(today.getTime() - 29 * 86400000));
    try {
      $("tz").value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch (e) {
      $("tz").value = "UTC";
    }
    $("report").hidden = false;
    load();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
