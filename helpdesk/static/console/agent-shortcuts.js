/*! Larkspur helpdesk agent console: canned replies by "/" in the reply box. Typing "/" and a few letters lists the
 * replies whose shortcut or title match; Enter or Tab (or a click) puts the chosen reply in, its placeholders
 * ({{customer.first_name}}, {{order.number}} …) filled from the conversation by the helpdesk
 * (GET /api/agent/canned/<id>/fill); Escape closes the list. agent.js calls ConsoleShortcuts.init(openId,
 * openLanguage) once, `openId()` giving the id of the conversation on screen and `openLanguage()` its language (the
 * console's own state, never text on the page): only the replies for that language and those for any language are
 * listed (`forLanguage`, the canned-reply list's filter too), so "/" in a Chinese chat offers the Chinese replies,
 * not seven English ones first.
 * `filled(reply)` and `selectPlaceholder(input, from)` are the same filling for the canned-reply list: a placeholder
 * the conversation does not know is left selected, so what the agent types goes in its place (the helpdesk refuses
 * to send a reply that still has one). */
(function () {
  "use strict";

  const { $, el, request } = window.ConsoleCommon;
  const MAX_SHOWN = 8;
  const st = { replies: [], loadedAt: 0, matches: [], index: 0, box: null, empty: "" };
  let openConversation = () => null; // the id of the conversation on screen (agent.js's state)
  let openLanguage = () => null; // its language ("en", "zh"), when known

  /** The canned replies for a conversation in `language`: those in it and those for any language (all, unknown). */
  function forLanguage(all, language) {
    return all.filter((c) => !c.language || !language || c.language === language);
  }

  async function replies() {
    if (Date.now() - st.loadedAt > 30000) {
      const r = await request("GET", "/canned");
      if (r.res && r.res.ok) {
        st.replies = r.data.canned;
        st.loadedAt = Date.now();
      }
    }
    return st.replies;
  }
  /** The "/word" right before the caret, if the reply box has one. */
  function slashWord(input) {
    const before = input.value.slice(0, input.selectionStart);
    const m = /(^|\s)\/([\w-]*)$/.exec(before);
    return m ? { word: m[2].toLowerCase(), start: before.length - m[2].length - 1 } : null;
  }
  function close() {
    if (st.box) st.box.hidden = true;
    st.matches = [];
  }
  function render(input) {
    if (!st.box) {
      st.box = el("ul", "shortcut-list");
      st.box.id = "shortcut-list";
      st.box.setAttribute("role", "listbox");
      st.box.setAttribute("aria-label", "Canned replies");
      (input.form || input.parentNode).appendChild(st.box); // floats above the reply box (shortcuts.css)
    }
    if (!st.matches.length) { // "/" typed and nothing to offer: say why (no list is a dead end)
      const none = el("li", "none", st.empty);
      none.setAttribute("aria-disabled", "true");
      st.box.replaceChildren(none);
      st.box.hidden = !st.empty;
      return;
    }
    st.box.replaceChildren(...st.matches.map((c, i) => {
      const li = el("li", i === st.index ? "active" : null);
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === st.index));
      li.dataset.shortcut = c.shortcut || "";
      li.appendChild(el("code", null, c.shortcut ? "/" + c.shortcut : "/"));
      li.appendChild(el("span", null, " " + c.title));
      li.addEventListener("mousedown", (ev) => {
        ev.preventDefault();
        choose(input, c);
      });
      return li;
    }));
    st.box.hidden = st.matches.length === 0;
  }
  async function update(input) {
    if (!slashWord(input)) return close();
    const every = await replies();
    const all = forLanguage(every, openLanguage());
    // the word as the box holds it now: each keystroke runs an update, and an earlier one (waiting for the first
    // GET /canned) may finish after a later one; reading the word before the wait listed "/"'s replies for "/hel"
    const at = slashWord(input);
    if (!at) return close();
    const w = at.word;
    st.matches = all
      .filter((c) => !w || (c.shortcut || "").startsWith(w) || c.title.toLowerCase().includes(w))
      .sort((a, b) => Number(!(a.shortcut || "").startsWith(w)) - Number(!(b.shortcut || "").startsWith(w)))
      .slice(0, MAX_SHOWN);
    st.index = 0;
    st.empty = !every.length ? "No canned replies yet: add one with “Edit canned replies”."
      : !st.matches.length ? "No canned reply matches /" + w + "." : "";
    render(input);
  }
  /** The canned reply's text with the placeholders the open conversation knows filled in. */
  async function filled(reply) {
    const id = openConversation();
    if (!id) return reply.text;
    const r = await request("GET", "/canned/" + reply.id + "/fill?conversation_id=" + encodeURIComponent(id));
    return r.res && r.res.ok ? r.data.text : reply.text;
  }
  const PLACEHOLDER = /\{\{\s*[a-z_]+\.[a-z_]+\s*\}\}/;
  /** Select the first placeholder left at or after `from` in the box (true), for the agent to type over. */
  function selectPlaceholder(input, from) {
    const m = PLACEHOLDER.exec(input.value.slice(from));
    if (!m) return false;
    input.focus();
    input.setSelectionRange(from + m.index, from + m.index + m[0].length);
    return true;
  }
  async function choose(input, reply) {
    const at = slashWord(input);
    close();
    const text = await filled(reply);
    const start = at ? at.start : input.selectionStart;
    input.value = input.value.slice(0, start) + text + input.value.slice(input.selectionStart);
    const caret = start + text.length;
    input.setSelectionRange(caret, caret);
    input.focus();
    input.dispatchEvent(new Event("input", { bubbles: true }));
    selectPlaceholder(input, start);
  }
  function keydown(ev) {
    if (!st.box || st.box.hidden) return;
    if (!st.matches.length) { // only the "nothing to offer" line: Escape closes it, every other key types on
      if (ev.key === "Escape") {
        close();
        ev.preventDefault();
      }
      return;
    }
    const input = ev.target;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      st.index = (st.index + (ev.key === "ArrowDown" ? 1 : st.matches.length - 1)) % st.matches.length;
      render(input);
    } else if (ev.key === "Enter" || ev.key === "Tab") {
      choose(input, st.matches[st.index]);
    } else if (ev.key === "Escape") {
      close();
    } else {
      return;
    }
    ev.preventDefault();
    ev.stopImmediatePropagation(); // Enter picks the reply here: it must not send the message
  }
  function init(openId, openLang) {
    openConversation = openId;
    openLanguage = openLang || (() => null);
    const input = $("reply");
    if (!input) return;
    input.addEventListener("keydown", keydown, true); // before agent.js's Enter-sends
    input.addEventListener("input", () => update(input));
    input.addEventListener("blur", () => setTimeout(close, 150));
  }

  window.ConsoleShortcuts = { init, filled, selectPlaceholder, forLanguage };
})();
