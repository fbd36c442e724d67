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
 * A placeholder named like a count ({n}, {count}, {total}, {shown}, {a}, {b}, {g}, {hours}, {pct}, {score}, {line})
 * matches figures only, one named like a duration ({t}, {u}, {wait}, {first}, {elapsed}, {target}) a duration as
 * the console writes it, {tier}/{status}/{day} one word; the others match any text, and a part they match is
 * itself translated when the catalog knows it ("The conversation was {outcome}." with "put back in the queue"). The most specific key wins (the
 * one with the most fixed text). A text starting "· " (a part appended to a line) is translated after the dot.
 * The page's <title>, the alt texts and the messages of confirm() and prompt() are translated the same way; a key
 * "placeholder:closed" (attribute name, colon, text) is that attribute's word where the plain key's would not fit.
 * What customers, agents and the bot wrote is never touched: message texts, notes, comments, previews, inputs'
 * values and anything inside [data-user-content] or [data-i18n-skip].
 * `ConsoleI18n.missed()` lists the texts with Latin letters this page showed that the catalog did not know (the
 * coverage test in tests/browser/test_console_zh_coverage.py reads it; tests/web/test_console_i18n.py checks the
 * pages' and scripts' own strings without a browser).
 * Load it first on every console page: <script src="/agent/i18n.js" defer></script>. */
(function () {
  "use strict";

  const STORE = "larkspur-console.language";
  const LANGS = { en: "English", zh: "中文" };
  // what people wrote: messages, notes, comments, previews, drafted text (the console's own words around them are
  // translated)
  const SKIP =
    "[data-user-content], [data-i18n-skip], .transcript .text, .fu-transcript, .notes, .preview, " +
    ".ua-clusters .examples, .ua-clusters .closest a, textarea, script, style, code, pre, " +
    "#canned-items .text, #canned-items strong, #team-list strong, " +
    ".hb-entry .t, .hb-entry .zh, .hb-entry .meta, .hb-preview, .hb-file, .hb-diff, .hb-revisions .msg, .hb-revisions b";
  const SKIP_ATTRS = "[data-user-content], [data-i18n-skip]"; // a textarea's placeholder is the console's own
  const ATTRS = ["placeholder", "title", "aria-label", "alt"];
  // what a placeholder may match, by its name: a figure (digits with , . + %), a duration as the console writes it
  // ("5 min", "1 h 5 min", "–"), one word; any other name matches any text
  const FIGURES = new Set(["n", "count", "total", "shown", "a", "b", "g", "hours", "pct", "score", "line"]);
  const DURATIONS = new Set(["t", "u", "wait", "first", "elapsed", "target"]);
  const WORDS = new Set(["tier", "status", "day"]);
  const shapeOf = (name) =>
    FIGURES.has(name) ? "([\\d.,+%]+)"
      : DURATIONS.has(name) ? "(–|\\d+ (?:s|min|h|d)(?: \\d+ (?:s|min|h))?)"
        : WORDS.has(name) ? "([\\w-]+)" : "(.+?)";

  const stored = (() => { try { return localStorage.getItem(STORE); } catch (e) { return null; } })();
  const fromBrowser = (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
  let lang = stored === "zh" || stored === "en" ? stored : fromBrowser;
  let catalog = {};
  let patterns = []; // [RegExp, template] for the keys with {placeholders}
  let csrf = null;

  /** `key` (an English string) in the console's language, with {name} placeholders filled from `vars`. */
  function t(key, vars) {
    const s = lang === "en" ? key : catalog[key] != null ? catalog[key] : (!vars && known(key, 0)) || key;
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
        const source = escape(k).replace(/\\?\{(\w+)\\?\}/g, (m, name) => {
          names.push(name);
          return shapeOf(name);
        });
        return [new RegExp("^" + source + "$"), catalog[k], names, k.replace(/\{\w+\}/g, "").length];
      })
      .sort((x, y) => y[3] - x[3]); // the most fixed text first: "Added {n} starter replies." before "Added {user}."
  }
  const missing = new Set();
  const produced = new Set(); // this script's own translations (seen again when it changes a node: not new text)
  const latin = (s) => /[A-Za-z]/.test(s);
  /** A whole text in the console's language, or null when the catalog does not know it. */
  function known(text, depth) {
    if (has(text)) return catalog[text];
    if (text.startsWith("· ")) {
      const rest = known(text.slice(2).trim(), depth);
      return rest == null ? null : "· " + rest;
    }
    let partial = null;
    if (text.includes(" · ")) {
      // parts joined by " · ": each part on its own; a key with " · " inside still wins when a part is unknown
      const parts = text.split(" · ");
      const done = parts.map((p) => (p.trim() ? known(p.trim(), depth) : null));
      const joined = parts.map((p, i) => (done[i] != null ? done[i] : p)).join(" · ");
      if (parts.every((p, i) => done[i] != null || !latin(p))) return joined;
      if (done.some((d) => d != null)) partial = joined;
    }
    if ((depth || 0) > 2) return partial;
    for (const [re, template, names] of patterns) {
      const m = re.exec(text);
      if (!m) continue;
      return template.replace(/\{(\w+)\}/g, (x, name) => {
        const i = names.indexOf(name);
        if (i < 0) return x;
        const part = m[i + 1];
        const inner = latin(part) ? known(part.trim(), (depth || 0) + 1) : null;
        return inner != null ? inner : part;
      });
    }
    return partial;
  }
  /** `known`, remembering what it did not know (ConsoleI18n.missed()). */
  const memo = new Map(); // the same texts come back with every refresh of a list (a pattern miss costs ~0.1 ms)
  function lookup(text) {
    if (produced.has(text)) return null;
    if (!memo.has(text)) memo.set(text, known(text, 0));
    const found = memo.get(text);
    if (found == null) missing.add(text);
    else produced.add(found);
    return found;
  }
  function translateText(node) {
    const raw = node.nodeValue;
    const key = raw.trim().replace(/\s+/g, " "); // a page's text may run over lines
    if (!key || !latin(key) || skipped(node)) return;
    const found = lookup(key);
    if (found == null || found === key) return;
    const lead = raw.match(/^\s*/)[0];
    const trail = raw.match(/\s*$/)[0];
    node.nodeValue = lead + found + trail;
  }

  function translateAttrs(e) {
    if (e.closest(SKIP_ATTRS)) return;
    for (const a of ATTRS) {
      const v = e.getAttribute(a);
      const key = v ? v.trim().replace(/\s+/g, " ") : "";
      if (!key || !latin(key)) continue;
      // "placeholder:closed": the word in that attribute when it differs from the same word elsewhere
      const found = has(a + ":" + key) ? catalog[a + ":" + key] : lookup(key);
      if (found != null && found !== key) { produced.add(found); e.setAttribute(a, found); }
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
    memo.clear();
  }

  async function start() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    await loadCatalog();
    translate(document.documentElement);
    watch();
    // the staff member's own setting wins over this browser's memory (after the login form, if there is one)
    let me = await whoAmI();
    if (!me) {
      await headerShown();
      me = await whoAmI();
    }
    if (!me) return;
    csrf = me.csrf_token;
    if (await adopt(me.agent.language)) addSwitch();
  }

  let adopting = null; // the switch to Chinese under way (the login's and start()'s own call share it)
  /** The staff member's own language, as soon as it is known (the console's login answer carries it, before the page
   * renders what they see: times written before the switch kept "07:52 AM" on a first login in Chinese). False when
   * the page reloads for it. */
  function adopt(language) {
    const theirs = language === "zh" ? "zh" : "en";
    try { localStorage.setItem(STORE, theirs); } catch (e) {}
    if (theirs === lang) return adopting || Promise.resolve(true);
    if (theirs === "en") { location.reload(); return Promise.resolve(false); } // Chinese back to English: the page's own words
    lang = theirs; // English to Chinese: dates from now on, then what is on the page now and whatever comes next
    document.documentElement.lang = "zh-CN";
    adopting = loadCatalog().then(() => {
      translate(document.documentElement);
      watch();
      return true;
    });
    return adopting;
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

  /** Dates and times the console writes with the browser's default locale (toLocaleString([]…)) in the staff
   * member's language instead: "12月3日 07:52", not "Dec 3, 07:52 AM" on a Chinese screen. */
  function dates() {
    for (const name of ["toLocaleString", "toLocaleDateString", "toLocaleTimeString"]) {
      const original = Date.prototype[name];
      Date.prototype[name] = function (locales, options) {
        const unset = locales == null || (Array.isArray(locales) && !locales.length);
        return original.call(this, unset && lang === "zh" ? "zh-CN" : locales, options);
      };
    }
  }
  dates();

  /** confirm() and prompt() ask in the console's language (their message is a whole text like any other). */
  function dialogs() {
    const ask = (original) => function (message, ...rest) {
      const text = message == null ? message : String(message);
      const found = lang !== "en" && text && /[A-Za-z]/.test(text) ? lookup(text.trim()) : null;
      return original.call(window, found != null ? found : message, ...rest);
    };
    window.confirm = ask(window.confirm);
    window.prompt = ask(window.prompt);
    window.alert = ask(window.alert);
  }
  dialogs();

  const ready = new Promise((resolve) => {
    const go = () => start().finally(resolve);
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go, { once: true });
    else go();
  });

  window.ConsoleI18n = Object.freeze({
    t, ready, translate, adopt, get lang() { return lang; },
    /** the texts with Latin letters shown on this page that the catalog did not know (none while English) */
    missed: () => (lang === "en" ? [] : [...missing]),
  });
})();
