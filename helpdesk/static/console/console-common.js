/*! Larkspur helpdesk console pages (agent console, dashboard, unanswered questions): the helpers they share.
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

  window.ConsoleCommon = Object.freeze({ API, $, el, request, errorText, isoDay });
})();
