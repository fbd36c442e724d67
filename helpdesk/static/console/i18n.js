/*! Larkspur helpdesk console pages: every screen in the staff member's own language (en | zh).
 *
 * The language is the staff member's setting (GET /api/agent/me → agent.language, changed with the switch this
 * script puts in each page's header: PUT /api/agent/me/language). Before login it is the last one this browser
 * used, else the browser's own.
 *
 * Strings are keyed by their English text: a screen needs no change to be translated, only its strings in
 * /agent/i18n/zh.json ("Log in": "登录"). Text nodes and the placeholder, title and aria-label attributes
 * whose whole text is a key are translated as they appear (a MutationObserver, so every lane's new screens
 * follow). A string with a variable part: `ConsoleI18n.t("{n} waiting", { n: 3 })` in the page's script, with
 * "{n} waiting" in the catalog. A key with placeholders also matches a whole text built by a script the same way
 * ("waiting {wait}" translates "waiting 8 s"), and a text of parts joined by " · " is translated part by part.
 * What customers, agents and the bot wrote is never touched: message texts, notes, comments, previews, inputs'
 * values and anything inside [data-user-content] or [data-i18n-skip].
 * Load it first on every console page: <script src="/agent/i18n.js" defer></script>. */
(function () {
  "use strict";

  const STORE = "larkspur-console.language";
  const LANGS = { en: "English", zh: "中文" };
  // what people wrote: messages, notes, comments, previews, drafted text (the console's own words around them are
  // translated)
  const SKIP =
    "[data-user-content], [data-i18n-skip], .transcript .text, .fu-transcript, .notes, .preview, .ua-clusters, " +
    "textarea, script, style, code, pre";
  const SKIP_ATTRS = "[data-user-content], [data-i18n-skip]"; // a textarea's placeholder is the console's own
  const ATTRS = ["placeholder", "title", "aria-label"];

  const stored = (() => { try { return localStorage.getItem(STORE); } catch (e) { return null; } })();
  const fromBrowser = (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
  let lang = stored === "zh" || stored === "en" ? stored : fromBrowser;
  let catalog = {};
  let patterns = []; // [RegExp, template] for the keys with {placeholders}
  let csrf = null;

  /** `key` (an English string) in the console's language, with {name} placeholders filled from `vars`. */
  function t(key, vars) {
    const s = lang === "en" ? key : catalog[key] != null ? catalog[key] : key;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] != null ? String(vars[k]) : m)) : s;
  }

  const skipped = (node) => {
    const e = node.nodeType === 1 ? node : node.parentElement;
    return !e || !!e.closest(SKIP);
  };

  const has = (key) => Object.prototype.hasOwnProperty.call(catalog, key);
  const escape = (s) => s.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
  function compile() {
    patterns = Object.keys(catalog)
      .filter((k) => /\{\w+\}/.test(k))
      .map((k) => {
        const names = [];
        const source = escape(k).replace(/\\?\{(\w+)\\?\}/g, (m, name) => { names.push(name); return "(.+?)"; });
        return [new RegExp("^" + source + "$"), catalog[k], names];
      });
  }
  /** A whole text in the console's language, or null when the catalog does not know it. */
  function known(text) {
    if (has(text)) return catalog[text];
    if (text.includes(" · ")) {
      const parts = text.split(" · ");
      const done = parts.map((p) => (p.trim() ? known(p.trim()) : null));
      return done.some((d) => d != null) ? parts.map((p, i) => (done[i] != null ? done[i] : p)).join(" · ") : null;
    }
    for (const [re, template, names] of patterns) {
      const m = re.exec(text);
      if (m) return template.replace(/\{(\w+)\}/g, (x, name) => { const i = names.indexOf(name); return i >= 0 ? m[i + 1] : x; });
    }
    return null;
  }
  function translateText(node) {
    const raw = node.nodeValue;
    const key = raw.trim();
    if (!key || !/[A-Za-z]/.test(key) || skipped(node)) return;
    const found = known(key);
    if (found != null && found !== key) node.nodeValue = raw.replace(key, found);
  }

  function translateAttrs(e) {
    if (e.closest(SKIP_ATTRS)) return;
    for (const a of ATTRS) {
      const v = e.getAttribute(a);
      const found = v && /[A-Za-z]/.test(v) ? known(v.trim()) : null;
      if (found != null && found !== v.trim()) e.setAttribute(a, found);
    }
  }

  function translate(root) {
    if (lang === "en" || !root) return;
    if (root.nodeType === 3) return translateText(root);
    if (root.nodeType !== 1 && root.nodeType !== 9) return;
    if (root.nodeType === 1) translateAttrs(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 3) translateText(n);
      else translateAttrs(n);
    }
  }

  function watch() {
    if (lang === "en") return;
    new MutationObserver((changes) => {
      for (const c of changes) {
        if (c.type === "childList") c.addedNodes.forEach(translate);
        else if (c.type === "characterData") translateText(c.target);
        else if (c.type === "attributes") translateAttrs(c.target);
      }
    }).observe(document.documentElement, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
    });
  }

  /** The language switch, in the page's header (the first <header>), once the staff member is known. */
  function addSwitch() {
    if (document.getElementById("console-language")) return;
    const header = document.querySelector("header");
    if (!header) return;
    const select = document.createElement("select");
    select.id = "console-language";
    select.className = "console-language";
    select.setAttribute("aria-label", t("Console language"));
    select.setAttribute("data-i18n-skip", "");
    // styled here (CSSOM, allowed by the console's CSP): one look on every console page's dark header
    Object.assign(select.style, {
      marginLeft: "8px", background: "transparent", color: "inherit", font: "inherit", fontSize: "13px",
      border: "1px solid rgba(255,255,255,.5)", borderRadius: "6px", padding: "3px 6px",
    });
    for (const [code, name] of Object.entries(LANGS)) {
      const option = new Option(name, code, false, code === lang);
      option.style.color = "#1f2430";
      select.appendChild(option);
    }
    select.addEventListener("change", async () => {
      const chosen = select.value;
      const res = await fetch("/api/agent/me/language", {
        method: "PUT", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf || "" },
        body: JSON.stringify({ language: chosen }),
      }).catch(() => null);
      if (!res || !res.ok) { select.value = lang; return; }
      try { localStorage.setItem(STORE, chosen); } catch (e) {}
      location.reload();
    });
    header.appendChild(select);
  }

  async function loadCatalog() {
    if (lang === "en") return;
    try {
      const res = await fetch("/agent/i18n/" + lang + ".json", { credentials: "same-origin" });
      catalog = res.ok ? await res.json() : {};
    } catch (e) {
      catalog = {};
    }
    compile();
  }

  async function start() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    await loadCatalog();
    translate(document.body || document.documentElement);
    watch();
    // the staff member's own setting wins over this browser's memory (after the login form, if there is one)
    let me = await whoAmI();
    if (!me) {
      await headerShown();
      me = await whoAmI();
    }
    if (!me) return;
    csrf = me.csrf_token;
    const theirs = me.agent.language === "zh" ? "zh" : "en";
    try { localStorage.setItem(STORE, theirs); } catch (e) {}
    if (theirs !== lang) {
      if (theirs === "en") { location.reload(); return; } // Chinese back to English: the page's own words again
      lang = theirs; // English to Chinese: translate what is on the page now and whatever comes next
      document.documentElement.lang = "zh-CN";
      await loadCatalog();
      translate(document.body);
      watch();
    }
    addSwitch();
  }

  async function whoAmI() {
    try {
      const res = await fetch("/api/agent/me", { credentials: "same-origin", cache: "no-store" });
      const me = res.ok ? await res.json() : null;
      return me && me.agent ? me : null;
    } catch (e) {
      return null;
    }
  }

  /** Resolves once a page header is on screen (the console shows it after logging in). */
  function headerShown() {
    const visible = () => [...document.querySelectorAll("header")].some((h) => h.offsetParent !== null);
    return new Promise((resolve) => {
      if (visible()) return resolve();
      const obs = new MutationObserver(() => { if (visible()) { obs.disconnect(); resolve(); } });
      obs.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["hidden", "class", "style"] });
    });
  }

  const ready = new Promise((resolve) => {
    const go = () => start().finally(resolve);
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go, { once: true });
    else go();
  });

  window.ConsoleI18n = Object.freeze({ t, ready, get lang() { return lang; }, translate });
})();
