/*! Larkspur helpdesk console pages (agent console, dashboard, unanswered questions, corrections): the helpers
 * they share (one list renderer and one page start for the staff pages).
 * Served under CSP script-src 'self'; loaded before each page's own script. Data goes on the page with
 * textContent only (el), never as HTML. */
(function () {
  "use strict";

  const API = "/api/agent";
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  };

  /** A call to the agent API: {res, data}; res is null when the helpdesk cannot be reached. Changes carry
   * the session's CSRF token. */
  async function request(method, path, body, csrf) {
    const opts = { method, credentials: "same-origin", cache: "no-store", headers: {} };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    if (method !== "GET") opts.headers["X-CSRF-Token"] = csrf || "";
    // refusals in the staff member's language where the helpdesk has them (helpdesk/errors_zh.py)
    opts.headers["Accept-Language"] = (window.ConsoleI18n && window.ConsoleI18n.lang) || "en";
    let res;
    try {
      res = await fetch(API + path, opts);
    } catch (e) {
      return { res: null, data: { error: "The helpdesk cannot be reached. Check your connection." } };
    }
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return { res, data };
  }
  const errorText = (r, fallback) => (r.data && typeof r.data.error === "string" ? r.data.error : fallback);
  /** A date as YYYY-MM-DD in the browser's own time zone (date inputs and report ranges). */
  const isoDay = (d) =>
    d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");

  /** A button that runs onClick; label: its accessible name when the text alone is ambiguous in a list. */
  function button(text, cls, onClick, label) {
    const b = el("button", cls, text);
    b.type = "button";
    if (label) b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  }

  /** A message's text as the customer's widget showed it: the bot's and agents' words through the widget's own
   * Markdown renderer (widget.js loaded with data-markdown-only: elements and text nodes, safe links only), what
   * customers and the system wrote exactly as written. One home for the console's transcripts (the chat, the
   * supervisor's watch, follow-ups: the follow-ups showed the bot's answers as raw "- **Standard delivery:**"). */
  function messageText(sender, text, tag) {
    const box = el(tag || "div", "text");
    box.dataset.userContent = ""; // what people (and the bot, in the customer's language) wrote: never translated
    const markdown = window.LarkspurChatMarkdown;
    if ((sender === "bot" || sender === "agent") && markdown) {
      box.classList.add("md");
      markdown.render(box, text || "");
    } else box.textContent = text || "";
    return box;
  }

  /** The staff pages' list of cards (the unanswered report's groups, the corrections to review): the list
   * emptied, one <li> per row made by render(row, li), or one muted line when there is none. */
  function renderList(list, rows, render, emptyText, itemClass) {
    list.textContent = "";
    if (!rows.length) {
      if (emptyText) list.appendChild(el("li", (itemClass ? itemClass + " " : "") + "muted", emptyText));
      return;
    }
    for (const row of rows) {
      const li = el("li", itemClass || null);
      render(row, li);
      list.appendChild(li);
    }
  }

  /** The start every staff page shares: who is logged in (#me, #logout), #login-needed without a session,
   * #forbidden for a role the page is not for (allowed(role) false: denyText), #console-link hidden for
   * editors, the named links hidden for the roles given. Resolves to {me, csrf}, or null when the page stays
   * closed. */
  async function startStaffPage(opts) {
    const me = await request("GET", "/me");
    if (!me.res || me.res.status === 401) {
      $("login-needed").hidden = false;
      return null;
    }
    if (!me.res.ok) {
      $("forbidden").hidden = false;
      $("forbidden").textContent = errorText(me, "You may not see this page.");
      return null;
    }
    const agent = me.data.agent;
    const csrf = me.data.csrf_token;
    $("me").textContent = agent.display_name + " · " + agent.role;
    $("logout").hidden = false;
    $("logout").addEventListener("click", async () => {
      await request("POST", "/logout", {}, csrf);
      location.href = "/agent";
    });
    if ($("console-link")) $("console-link").hidden = agent.role === "editor";
    for (const [id, roles] of Object.entries(opts.hiddenFor || {})) if ($(id)) $(id).hidden = roles.includes(agent.role);
    if (opts.allowed && !opts.allowed(agent.role)) {
      $("forbidden").hidden = false;
      $("forbidden").textContent = opts.denyText;
      return null;
    }
    return { me: agent, csrf };
  }

  window.ConsoleCommon = Object.freeze({
    API, $, el, request, errorText, isoDay, button, renderList, startStaffPage, messageText,
  });
})();
