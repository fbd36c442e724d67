/*! Larkspur helpdesk chat widget — vanilla JS, no dependencies.
 * Embed: <script src="https://helpdesk.example/widget.js" async></script>
 * Optional attributes: data-title, data-greeting, data-open="true", data-color, and
 * data-customer-token: the shop's signed id of its logged-in customer (HMAC, made on the shop's
 * server with the shared IDENTITY_SECRET), so the bot does not have to ask who they are.
 * Page elements with a data-open-chat attribute open the chat when clicked.
 * Security: every message is rendered as text (createTextNode / textContent); links are
 * <a> elements built only from URLs that parse as http: or https:.
 * While a person handles the chat (queued / agent) a WebSocket brings their messages, typing and the
 * queue position live; it resumes after the last message id it saw, and HTTP polling takes over
 * whenever the socket is unavailable. After an agent resolves the chat, a 1-5 rating is asked.
 * Out of business hours no wait is promised: the customer sees when the team is back and can leave a
 * message (name and e-mail optional) that waits in the team's queue. */
(function () {
  "use strict";
  if (window.LarkspurChat || document.getElementById("larkspur-chat-host")) return;

  const script =
    document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || !script.src) return;
  const BASE = new URL(script.src, location.href);
  const API_CHAT = new URL("api/chat", BASE).href;
  const KEY = "larkspur-chat.conversation";
  const OPEN_KEY = "larkspur-chat.open";
  const MAX = 2000;
  const POLL_MS = 2000;
  const TYPING_SHOW_MS = 6000; // an agent's typing indicator without news fades after this
  const TYPING_SEND_MS = 2000; // at most one "customer is typing" signal per this interval
  const WS_GIVE_UP = [4400, 4403, 4404]; // the server refuses this socket: poll instead
  const TIMEOUT_MS = 60000;
  const attr = (n) => script.getAttribute("data-" + n);
  const TITLE = attr("title") || "Chat with us";
  const GREETING = attr("greeting") || "Hi! How can we help you today?";
  const CUSTOMER_TOKEN = attr("customer-token");
  const color = attr("color");
  const ACCENT = color && window.CSS && CSS.supports("color", color) ? color : "#4b44a8";

  // Storage may be unavailable (privacy modes): the chat then still works for this page.
  const store = {
    get(k, s) { try { return (s ? sessionStorage : localStorage).getItem(k); } catch (e) { return null; } },
    set(k, v, s) {
      try { const st = s ? sessionStorage : localStorage; v == null ? st.removeItem(k) : st.setItem(k, v); } catch (e) {}
    },
  };

  const CSS_TEXT = `
:host{all:initial}
*,*::before,*::after{box-sizing:border-box}
.root{--a:${ACCENT};font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2430}
button{font:inherit;cursor:pointer}
.launcher{position:fixed;right:20px;bottom:20px;width:58px;height:58px;border-radius:50%;border:0;background:var(--a);color:#fff;
 box-shadow:0 6px 20px rgba(20,20,50,.3);display:flex;align-items:center;justify-content:center;z-index:2147483000;transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.launcher:focus-visible,.panel button:focus-visible{outline:3px solid #f5b84b;outline-offset:2px}
.launcher svg{width:28px;height:28px}.root.open .launcher .ic,.launcher .ix{display:none}.root.open .launcher .ix{display:block}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#d93f3f;color:#fff;font-size:12px;
 font-weight:700;line-height:20px;text-align:center}
.panel{position:fixed;right:20px;bottom:90px;width:380px;height:min(620px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;
 border-radius:16px;box-shadow:0 16px 48px rgba(20,20,50,.28);overflow:hidden;z-index:2147483001}
[hidden]{display:none!important}
.head{background:var(--a);color:#fff;padding:12px 12px 12px 16px;display:flex;align-items:center;gap:10px}
.head .ttl{flex:1;min-width:0}
.head h2{margin:0;font-size:16px;font-weight:600;line-height:1.25;overflow-wrap:anywhere}
.head .st{font-size:12px;opacity:.88}
.head .st::before{content:"";display:inline-block;width:7px;height:7px;border-radius:50%;background:#6ee7a0;margin-right:6px;vertical-align:1px}
.head .st.away::before{background:#c9c7d8}
.human{background:rgba(255,255,255,.16);color:#fff;border:1px solid rgba(255,255,255,.5);border-radius:16px;padding:4px 10px;font-size:12px;white-space:nowrap}
.human:hover{background:rgba(255,255,255,.28)}
.close{background:transparent;border:0;color:#fff;width:32px;height:32px;border-radius:50%;display:flex;align-items:center;justify-content:center}
.close:hover{background:rgba(255,255,255,.18)}
.log{flex:1;overflow-y:auto;padding:14px 12px;display:flex;flex-direction:column;gap:10px;background:#f6f5f9;overscroll-behavior:contain}
.msg{display:flex;flex-direction:column;max-width:84%;align-self:flex-start;align-items:flex-start}
.msg.customer{align-self:flex-end;align-items:flex-end}
.msg.system{align-self:center;align-items:center;max-width:92%}
.lbl{font-size:11px;color:#6b6f80;margin:0 6px 2px;font-weight:600;letter-spacing:.02em}
.agent .lbl{color:#18794e}.bot+.bot>.lbl,.agent+.agent>.lbl{display:none}.bot+.bot,.agent+.agent{margin-top:-5px}
.text{padding:8px 12px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.customer .text{background:var(--a);color:#fff;border-bottom-right-radius:5px}
.bot .text{background:#fff;border:1px solid #e2e1ea;border-bottom-left-radius:5px}
.agent .text{background:#e3f5ea;border:1px solid #b4e0c5;border-bottom-left-radius:5px}
.system .text{color:#6b6f80;font-size:12px;text-align:center;padding:2px 8px}
.notice .text{background:#fff7e6;border:1px solid #f3d9a4;color:#6b4a00;border-radius:10px;font-size:13px;padding:8px 10px}
.notice .text b{display:block}
.text a{color:inherit;text-decoration:underline}
.bot .text a,.agent .text a{color:#3a33a0}
.meta{font-size:11px;color:#8a8d9c;margin:3px 6px 0}.customer .meta{text-align:right}
.failed .text{opacity:.75}
.failed .meta{color:#b42318}
.meta .err{display:block}
.link{background:none;border:0;padding:0;color:#b42318;text-decoration:underline;font-size:inherit;font-weight:600}
.notice .link{color:#6b4a00}
.quick{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.quick button{background:#fff;color:var(--a);border:1.5px solid var(--a);border-radius:16px;padding:5px 12px;font-size:13px}
.quick button:hover{background:var(--a);color:#fff}
.typing{align-self:flex-start;background:#fff;border:1px solid #e2e1ea;border-radius:16px;border-bottom-left-radius:5px;padding:11px 14px;display:flex;gap:4px}
.typing i{width:7px;height:7px;border-radius:50%;background:#9a9cb0;animation:ld 1.2s infinite ease-in-out}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes ld{0%,60%,100%{transform:translateY(0);opacity:.5}30%{transform:translateY(-5px);opacity:1}}
.foot{border-top:1px solid #e7e6ee;background:#fff;padding:10px 10px 8px}
.row{display:flex;gap:8px;align-items:flex-end}
textarea{flex:1;resize:none;min-height:40px;max-height:120px;font:inherit;font-size:15px;line-height:1.4;border:1px solid #cfd0da;border-radius:12px;
 padding:9px 12px;color:#1f2430;background:#fff;margin:0}
textarea:focus{border-color:var(--a);outline:none;box-shadow:0 0 0 3px rgba(75,68,168,.15)}
.send{flex:none;width:40px;height:40px;border-radius:50%;border:0;background:var(--a);color:#fff;display:flex;align-items:center;justify-content:center}
.send:disabled{opacity:.35;cursor:default}
.count{font-size:11px;color:#6b6f80;text-align:right;padding:4px 4px 0}
.count.over{color:#b42318;font-weight:600}
.rating .text{display:flex;flex-direction:column;gap:8px;align-items:stretch;text-align:left;max-width:300px}
.stars{display:flex;gap:4px;justify-content:center}
.stars button{background:#fff;border:1.5px solid #d8d6e6;border-radius:10px;width:42px;height:38px;font-size:20px;line-height:1;color:#b7b3cc;padding:0}
.stars button.on{color:#e8a317;border-color:#e8a317}
.rating textarea{min-height:52px;font-size:13px}
.rating .submit{background:var(--a);color:#fff;border:0;border-radius:10px;padding:7px 12px}
.rating .submit:disabled{opacity:.4;cursor:default}
.offline .text{display:flex;flex-direction:column;gap:6px;align-items:stretch;text-align:left;width:300px;max-width:100%}
.offline label{font-size:12px;color:#6b4a00;display:flex;flex-direction:column;gap:2px}
.offline input{font:inherit;font-size:13px;border:1px solid #cfd0da;border-radius:8px;padding:6px 8px;color:#1f2430;background:#fff}
.offline input:focus,.offline textarea:focus{border-color:var(--a);outline:none}
.offline textarea{min-height:64px;font-size:13px}
.offline .submit{background:var(--a);color:#fff;border:0;border-radius:10px;padding:7px 12px}
.offline .submit:disabled{opacity:.4;cursor:default}
.offline .err{color:#b42318;font-size:12px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){
 .panel{top:0;left:0;right:0;bottom:0;width:100vw;height:100%;max-height:none;border-radius:0}
 .root.open .launcher{display:none}
}
@media (prefers-reduced-motion:reduce){.typing i{animation:none}.launcher{transition:none}}
`;

  const ICON_CHAT =
    '<svg class="ic" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"/></svg>';
  const ICON_X =
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"><path d="M6 6l12 12M18 6L6 18"/></svg>';
  const ICON_SEND =
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="currentColor"><path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg>';

  // Static markup only: no message data ever goes through innerHTML.
  const TEMPLATE = `<style>${CSS_TEXT}</style>
<div class="root">
 <button class="launcher" type="button" aria-label="Open chat" aria-expanded="false" aria-controls="lk-panel">${ICON_CHAT}${ICON_X.replace("<svg", '<svg class="ix"')}<span class="badge" hidden></span></button>
 <section class="panel" id="lk-panel" role="dialog" aria-modal="false" aria-labelledby="lk-title" hidden>
  <div class="head">
   <div class="ttl"><h2 id="lk-title"></h2><div class="st" aria-live="polite"></div></div>
   <button class="human" type="button" aria-label="Talk to a person">Talk to a person</button>
   <button class="close" type="button" aria-label="Close chat">${ICON_X}</button>
  </div>
  <div class="log" role="log" aria-live="polite" aria-relevant="additions" tabindex="-1">
   <div class="typing" role="status" aria-live="polite" aria-label="The assistant is typing" hidden><i></i><i></i><i></i></div>
  </div>
  <form class="foot">
   <div class="row">
    <label class="sr" for="lk-input">Your message</label>
    <textarea id="lk-input" rows="1" maxlength="${MAX}" placeholder="Type your message…" aria-label="Your message"></textarea>
    <button class="send" type="submit" aria-label="Send message" disabled>${ICON_SEND}</button>
   </div>
   <div class="count" aria-live="polite" hidden></div>
  </form>
 </section>
</div>`;

  let host, shadow, ui;
  const state = {
    conv: store.get(KEY),
    mode: "bot",
    lastId: null,
    byId: new Map(),
    entries: [], // {id, sender, text, el, meta, status, payload, local}
    inflight: 0,
    chain: Promise.resolve(),
    pollTimer: null,
    polling: false,
    ws: null,
    wsLive: false,
    wsRetry: 0,
    wsTimer: null,
    wsRefused: false,
    agentTyping: null, // the typing agent's name
    agentTypingTimer: null,
    typingSent: 0,
    queue: null, // {position, estimated_wait_seconds}
    rating: null, // the rating prompt entry
    hours: null, // {open, next_open, time_zone, back}: whether the team is in
    hoursTimer: null,
    leftAt: null, // when this customer left a message for the team (this handoff)
    offline: null, // the leave-a-message form entry
    loaded: false,
    quick: null,
    unread: 0,
    open: false,
  };

  const norm = (t) => String(t == null ? "" : t).replace(/\s+/g, " ").trim();
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };

  // ---- rich-ish text, built from DOM nodes only -------------------------------------------
  const TOKEN = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|\*\*([^*\n]{1,300})\*\*|\bhttps?:\/\/[^\s<>"'`]+/gi;
  function safeUrl(raw) {
    try {
      const u = new URL(raw);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) { return null; }
  }
  function link(href, label) {
    const a = el("a", null, label);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function fillRich(node, text) {
    let i = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) {
      let whole = m[0];
      let out = null;
      if (m[1] != null) {
        const href = safeUrl(m[2]);
        out = href ? link(href, m[1]) : null;
      } else if (m[3] != null) {
        out = el("strong", null, m[3]);
      } else {
        // bare URL: leave trailing punctuation (and an unbalanced ")") outside the link
        let url = whole.replace(/[.,;:!?'"]+$/, "");
        while (url.endsWith(")") && (url.match(/\(/g) || []).length < (url.match(/\)/g) || []).length) {
          url = url.slice(0, -1);
        }
        whole = url;
        TOKEN.lastIndex = m.index + url.length;
        const href = safeUrl(url);
        out = href ? link(href, url) : null;
      }
      if (!out) continue;
      if (m.index > i) node.appendChild(document.createTextNode(text.slice(i, m.index)));
      node.appendChild(out);
      i = m.index + whole.length;
    }
    if (i < text.length) node.appendChild(document.createTextNode(text.slice(i)));
  }

  // ---- rendering --------------------------------------------------------------------------
  const LABELS = { bot: "Assistant", agent: "Agent" };
  function scrollDown(force) {
    const log = ui.log;
    if (force || log.scrollHeight - log.scrollTop - log.clientHeight < 120) log.scrollTop = log.scrollHeight;
  }
  function clearQuick() {
    if (state.quick) state.quick.remove();
    state.quick = null;
  }
  function addEntry(o) {
    const sender = ["customer", "bot", "agent", "system"].includes(o.sender) ? o.sender : "system";
    const wrap = el("div", "msg " + sender + (o.cls ? " " + o.cls : ""));
    if (LABELS[sender]) wrap.appendChild(el("div", "lbl", LABELS[sender]));
    const bubble = el("div", "text");
    const text = String(o.text == null ? "" : o.text);
    if (sender === "bot" || sender === "agent") fillRich(bubble, text);
    else bubble.textContent = text;
    wrap.appendChild(bubble);
    const entry = { id: null, sender, text, el: wrap, meta: null, status: "sent", payload: o.payload, local: !!o.local };
    if (o.id != null) bindId(entry, o.id);
    clearQuick();
    ui.log.insertBefore(wrap, ui.typing);
    state.entries.push(entry);
    const bs = Array.isArray(o.buttons) ? o.buttons.filter((b) => b && b.title && b.payload) : [];
    if (sender === "bot" && bs.length) showQuick(entry, bs);
    scrollDown(sender === "customer");
    return entry;
  }
  function bindId(entry, id) {
    entry.id = id;
    entry.el.dataset.id = String(id);
    state.byId.set(String(id), entry);
    if (state.lastId == null || Number(id) > Number(state.lastId)) state.lastId = id;
  }
  function showQuick(entry, buttons) {
    const box = el("div", "quick");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Suggested replies");
    for (const b of buttons) {
      const btn = el("button", null, String(b.title));
      btn.type = "button";
      btn.setAttribute("aria-label", String(b.title));
      btn.addEventListener("click", () => {
        clearQuick();
        send(String(b.payload), String(b.title));
      });
      box.appendChild(btn);
    }
    entry.el.appendChild(box);
    state.quick = box;
  }
  function setMeta(entry, status, errText) {
    entry.status = status;
    entry.el.classList.toggle("failed", status === "failed");
    if (entry.meta) entry.meta.remove();
    entry.meta = null;
    if (status === "sent") return;
    const meta = el("div", "meta");
    if (status === "sending") meta.textContent = "Sending…";
    else if (status === "received") meta.textContent = "Received";
    else {
      meta.appendChild(document.createTextNode("Not sent — "));
      const r = el("button", "link", "retry");
      r.type = "button";
      r.setAttribute("aria-label", "Retry sending this message");
      r.addEventListener("click", () => retry(entry));
      meta.appendChild(r);
      if (errText) meta.appendChild(el("span", "err", errText));
    }
    entry.meta = meta;
    entry.el.appendChild(meta);
    scrollDown();
  }
  function notice(title, detail, onRetry) {
    const e = addEntry({ sender: "system", text: "", cls: "notice", local: true });
    const t = e.el.querySelector(".text");
    t.appendChild(el("b", null, title));
    if (detail) t.appendChild(el("span", null, detail));
    if (onRetry) {
      t.appendChild(document.createTextNode(" "));
      const r = el("button", "link", "Try again");
      r.type = "button";
      r.setAttribute("aria-label", "Try sending again");
      r.addEventListener("click", () => {
        e.el.remove();
        onRetry();
      });
      t.appendChild(r);
    }
    return e;
  }
  function setTyping() {
    const person = state.mode === "queued" || state.mode === "agent";
    const botTyping = state.inflight > 0 && !person;
    const agentTyping = person && !!state.agentTyping;
    const show = botTyping || agentTyping;
    ui.typing.setAttribute("aria-label", agentTyping ? state.agentTyping + " is typing" : "The assistant is typing");
    ui.typing.hidden = !show;
    if (show) scrollDown(true);
  }
  function setAgentTyping(name) {
    clearTimeout(state.agentTypingTimer);
    state.agentTyping = name || null;
    if (name) state.agentTypingTimer = setTimeout(() => setAgentTyping(null), TYPING_SHOW_MS);
    setTyping();
  }
  const STATUS = {
    bot: "Virtual assistant",
    queued: "Waiting for a person…",
    agent: "You're chatting with our team",
    closed: "Conversation closed",
  };
  function minutes(seconds) {
    const m = Math.max(1, Math.round(Number(seconds || 0) / 60));
    return m === 1 ? "about a minute" : "about " + m + " minutes";
  }
  function showStatus() {
    let text = STATUS[state.mode];
    const q = state.queue;
    const away = state.hours && state.hours.open === false;
    if (away && state.mode === "queued") {
      text = state.hours.back ? "Our team is away · back " + state.hours.back : "Our team is away right now";
    } else if (away && state.mode === "bot") {
      text = STATUS.bot + (state.hours.back ? " · our team is back " + state.hours.back : " · our team is away");
    } else if (state.mode === "queued" && q && q.position) {
      text = (q.position === 1 ? "You're next in the queue" : "You're number " + q.position + " in the queue") +
        (q.estimated_wait_seconds ? " · " + minutes(q.estimated_wait_seconds) : "");
    }
    ui.status.textContent = text;
    ui.status.classList.toggle("away", !!away);
  }
  function setQueue(q) {
    state.queue = q && q.position ? { position: q.position, estimated_wait_seconds: q.estimated_wait_seconds } : null;
    showStatus();
  }
  // ---- business hours: the team is away, leave a message ------------------------------------
  function setHours(hours, leftAt) {
    if (hours && typeof hours === "object") state.hours = hours;
    if (leftAt !== undefined) state.leftAt = leftAt || null;
    clearTimeout(state.hoursTimer);
    const next = state.hours && state.hours.next_open ? Date.parse(state.hours.next_open) : NaN;
    if (!isNaN(next)) {
      // when the team is back, ask again (the queue then promises a wait again)
      const wait = Math.min(Math.max(next - Date.now(), 0) + 1000, 2147483000);
      state.hoursTimer = setTimeout(() => { (state.conv ? sync(false) : loadHours()).catch(() => {}); }, wait);
    }
    updateOffline();
    showStatus();
  }
  async function loadHours() {
    const { res, data } = await fetchJson(new URL("api/chat/status", BASE).href);
    if (res.ok && data && data.business_hours) setHours(data.business_hours);
  }
  function updateOffline() {
    const wanted = state.conv && state.mode === "queued" && state.hours && state.hours.open === false && !state.leftAt;
    if (!wanted) {
      if (state.offline) state.offline.el.remove();
      state.offline = null;
    } else if (!state.offline) {
      showOfflineForm();
    }
  }
  function field(box, label, input) {
    const l = el("label", null, label);
    l.appendChild(input);
    box.appendChild(l);
    return input;
  }
  function showOfflineForm() {
    const entry = addEntry({ sender: "system", text: "", cls: "notice offline", local: true });
    state.offline = entry;
    const box = entry.el.querySelector(".text");
    box.appendChild(el("b", null, "Leave us a message"));
    const name = field(box, "Your name (optional)", el("input"));
    name.type = "text";
    name.maxLength = 100;
    name.autocomplete = "name";
    const email = field(box, "Your e-mail, for our answer (optional)", el("input"));
    email.type = "email";
    email.maxLength = 254;
    email.autocomplete = "email";
    const text = field(box, "Your message", el("textarea"));
    text.maxLength = MAX;
    text.placeholder = "What can we help you with?";
    const submitBtn = el("button", "submit", "Send message");
    submitBtn.type = "button";
    submitBtn.disabled = true;
    const err = el("span", "err");
    err.setAttribute("role", "alert");
    text.addEventListener("input", () => { submitBtn.disabled = !norm(text.value); });
    submitBtn.addEventListener("click", async () => {
      if (!norm(text.value) || !state.conv) return;
      if (email.value.trim() && !email.checkValidity()) {
        err.textContent = "Please check your e-mail address (or leave it empty).";
        return;
      }
      submitBtn.disabled = true;
      err.textContent = "";
      let res = null, data = null;
      try {
        ({ res, data } = await fetchJson(new URL("api/chat/" + encodeURIComponent(state.conv) + "/offline-message", BASE).href, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text: text.value.trim(), name: name.value.trim() || null, email: email.value.trim() || null }),
        }));
      } catch (e) { res = null; }
      if (res && res.ok && data) {
        entry.el.remove();
        state.offline = null;
        state.leftAt = new Date().toISOString();
        merge(data.messages, false);
        if (data.mode) setMode(data.mode);
        return;
      }
      submitBtn.disabled = false;
      err.textContent = (data && typeof data.error === "string" && data.error) || "Could not send your message; please try again.";
    });
    box.appendChild(submitBtn);
    box.appendChild(err);
    scrollDown(true);
  }

  function setMode(mode) {
    if (!STATUS[mode]) mode = "bot";
    state.mode = mode;
    if (mode !== "queued") state.queue = null;
    if (mode !== "queued" && mode !== "agent") setAgentTyping(null);
    if (mode !== "closed") removeRating();
    showStatus();
    ui.human.hidden = mode === "queued" || mode === "agent";
    setTyping();
    if (mode === "queued" || mode === "agent") startLive();
    else stopLive();
    updateOffline();
  }
  function setUnread(n) {
    state.unread = n;
    ui.badge.hidden = !n;
    ui.badge.textContent = n > 9 ? "9+" : String(n);
    ui.launcher.setAttribute("aria-label", n ? `Open chat (${n} new)` : "Open chat");
  }
  function setConv(id) {
    if (id && id !== state.conv) {
      state.conv = String(id);
      store.set(KEY, state.conv);
    }
  }
  function resetConv() {
    stopLive();
    removeRating();
    state.conv = null;
    state.leftAt = null;
    store.set(KEY, null);
    state.byId.clear();
    state.lastId = null;
    // earlier bubbles stay visible but can no longer be matched to server messages
    for (const e of state.entries) if (e.id == null) e.local = true;
    setMode("bot");
  }

  // ---- server sync ------------------------------------------------------------------------
  function messagesUrl(after) {
    const u = new URL("api/chat/" + encodeURIComponent(state.conv) + "/messages", BASE);
    if (after != null) u.searchParams.set("after", String(after));
    return u.href;
  }
  async function fetchJson(url, opts) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
    try {
      const res = await fetch(url, Object.assign({ signal: ctl.signal, credentials: "omit", cache: "no-store" }, opts));
      let data = null;
      try { data = await res.json(); } catch (e) { data = null; }
      return { res, data };
    } finally {
      clearTimeout(timer);
    }
  }
  // Merge server messages: skip known ids, attach ids to our own unconfirmed bubbles, add the rest.
  function merge(messages, fromPoll) {
    let fresh = 0;
    for (const m of messages || []) {
      if (!m || m.id == null || state.byId.has(String(m.id))) continue;
      const want = norm(m.text);
      const mine = state.entries.find(
        (e) => e.id == null && !e.local && e.sender === m.sender && norm(e.text) === want
      );
      if (mine) {
        bindId(mine, m.id);
        if (mine.status === "failed" || mine.status === "sending") setMeta(mine, "sent");
        if (m.sender === "bot" && Array.isArray(m.buttons) && m.buttons.length && !state.quick &&
            state.entries[state.entries.length - 1] === mine) showQuick(mine, m.buttons);
        continue;
      }
      addEntry({ id: m.id, sender: m.sender, text: m.text, buttons: m.buttons });
      if (fromPoll && m.sender !== "customer") fresh++;
    }
    if (fresh && !state.open) setUnread(state.unread + fresh);
  }
  async function sync(full) {
    if (!state.conv) return;
    const conv = state.conv;
    const { res, data } = await fetchJson(messagesUrl(full ? null : state.lastId));
    if (conv !== state.conv) return;
    if (res.status === 404) return resetConv();
    if (!res.ok || !data) return;
    if (full) state.loaded = true;
    merge(data.messages, !full);
    if ("business_hours" in data) setHours(data.business_hours, data.left_message_at);
    if (data.mode) setMode(data.mode);
    if ("queue" in data) setQueue(data.queue);
    if (data.rating_pending) showRating();
  }
  function startPolling() {
    if (state.pollTimer) return;
    const tick = async () => {
      if (!state.polling) {
        state.polling = true;
        try { await sync(false); } catch (e) { /* offline: try again next tick */ }
        state.polling = false;
      }
      if (state.pollTimer) state.pollTimer = setTimeout(tick, POLL_MS);
    };
    state.pollTimer = setTimeout(tick, POLL_MS);
  }
  function stopPolling() {
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
  }

  // ---- live channel (WebSocket), with polling as the fallback ---------------------------------
  function startLive() {
    if (!state.conv) return;
    if (!state.wsLive) startPolling(); // until the socket has caught up (or if it never does)
    if (state.ws || state.wsRefused || !("WebSocket" in window)) return;
    clearTimeout(state.wsTimer);
    const u = new URL("api/chat/" + encodeURIComponent(state.conv) + "/ws", BASE);
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    if (state.lastId != null) u.searchParams.set("after", String(state.lastId));
    const conv = state.conv;
    let ws;
    try { ws = new WebSocket(u.href); } catch (e) { state.wsRefused = true; return; }
    state.ws = ws;
    ws.addEventListener("message", (e) => {
      if (ws !== state.ws || conv !== state.conv) return;
      let ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      onLive(ev);
    });
    ws.addEventListener("close", (e) => {
      if (ws !== state.ws) return;
      state.ws = null;
      state.wsLive = false;
      if (WS_GIVE_UP.includes(e.code)) state.wsRefused = true;
      if (state.mode !== "queued" && state.mode !== "agent") return;
      startPolling();
      if (!state.wsRefused) {
        const delay = Math.min(30000, 1000 * 2 ** state.wsRetry++);
        state.wsTimer = setTimeout(startLive, delay);
      }
    });
  }
  function stopLive() {
    clearTimeout(state.wsTimer);
    stopPolling();
    const ws = state.ws;
    state.ws = null;
    state.wsLive = false;
    if (ws) ws.close(1000);
  }
  function onLive(ev) {
    if (ev.type === "message" && ev.message) {
      if (ev.message.sender === "agent") setAgentTyping(null);
      merge([ev.message], true);
    } else if (ev.type === "state") {
      state.wsLive = true;
      state.wsRetry = 0;
      stopPolling();
      if ("business_hours" in ev) setHours(ev.business_hours, ev.left_message_at);
      setQueue(ev.queue);
      if (ev.rating_pending) showRating();
      setMode(ev.mode);
    } else if (ev.type === "mode") {
      setMode(ev.mode);
      if (ev.rating_pending) showRating();
      else if (ev.mode === "closed") removeRating();
    } else if (ev.type === "queue") {
      if (ev.business_hours) setHours(ev.business_hours);
      setQueue(ev);
    } else if (ev.type === "typing" && ev.who === "agent") {
      setAgentTyping(ev.typing ? ev.name || "Agent" : null);
    }
  }
  function typingSignal() {
    const now = Date.now();
    if (!state.ws || !state.wsLive || now - state.typingSent < TYPING_SEND_MS) return;
    state.typingSent = now;
    try { state.ws.send('{"type":"typing","typing":true}'); } catch (e) { /* closing: ignore */ }
  }

  // ---- rating after an agent resolved the chat ---------------------------------------------
  function removeRating() {
    if (state.rating) state.rating.el.remove();
    state.rating = null;
  }
  function showRating() {
    if (state.rating || !state.conv) return;
    const entry = addEntry({ sender: "system", text: "", cls: "notice rating", local: true });
    state.rating = entry;
    const box = entry.el.querySelector(".text");
    box.appendChild(el("b", null, "How did we do?"));
    const stars = el("div", "stars");
    stars.setAttribute("role", "group");
    stars.setAttribute("aria-label", "Rate the help you got, from 1 to 5 stars");
    let score = 0;
    const buttons = [];
    for (let i = 1; i <= 5; i++) {
      const b = el("button", null, "★");
      b.type = "button";
      b.setAttribute("aria-label", i + (i === 1 ? " star" : " stars"));
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", () => {
        score = i;
        buttons.forEach((x, j) => {
          x.classList.toggle("on", j < i);
          x.setAttribute("aria-pressed", String(j === i - 1));
        });
        submitBtn.disabled = false;
      });
      buttons.push(b);
      stars.appendChild(b);
    }
    box.appendChild(stars);
    const comment = el("textarea");
    comment.maxLength = 1000;
    comment.placeholder = "Anything to add? (optional)";
    comment.setAttribute("aria-label", "Comment (optional)");
    box.appendChild(comment);
    const submitBtn = el("button", "submit", "Send rating");
    submitBtn.type = "button";
    submitBtn.disabled = true;
    submitBtn.setAttribute("aria-label", "Send rating");
    const err = el("span", "err");
    submitBtn.addEventListener("click", async () => {
      if (!score) return;
      submitBtn.disabled = true;
      err.textContent = "";
      let res = null, data = null;
      try {
        ({ res, data } = await fetchJson(new URL("api/chat/" + encodeURIComponent(state.conv) + "/rating", BASE).href, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ score, comment: comment.value.trim() || null }),
        }));
      } catch (e) { res = null; }
      if (res && (res.ok || res.status === 409)) {
        box.textContent = "";
        box.appendChild(el("b", null, "Thank you for your feedback!"));
        return;
      }
      submitBtn.disabled = false;
      err.textContent = (data && typeof data.error === "string" && data.error) || "Could not send your rating; please try again.";
    });
    box.appendChild(submitBtn);
    box.appendChild(err);
    scrollDown(true);
  }

  // ---- sending ----------------------------------------------------------------------------
  function send(payload, title) {
    const text = String(payload);
    if (!norm(text)) return;
    const entry = addEntry({ sender: "customer", text: title || text, payload: text });
    entry.cid = newClientId(); // lets the server store a retried message once
    setMeta(entry, "sending");
    enqueue(entry);
  }
  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function retry(entry) {
    setMeta(entry, "sending");
    // move the bubble to the end so the conversation reads in order
    clearQuick();
    ui.log.insertBefore(entry.el, ui.typing);
    state.entries.splice(state.entries.indexOf(entry), 1);
    state.entries.push(entry);
    enqueue(entry);
  }
  function enqueue(entry) {
    state.chain = state.chain.then(() => deliver(entry, false)).catch(() => {});
  }
  async function deliver(entry, isRetryAfter404) {
    state.inflight++;
    setTyping();
    let res, data;
    try {
      ({ res, data } = await fetchJson(API_CHAT, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          conversation_id: state.conv || null,
          text: entry.payload,
          client_message_id: entry.cid,
          ...(CUSTOMER_TOKEN ? { customer_token: CUSTOMER_TOKEN } : {}),
        }),
      }));
    } catch (e) {
      res = null;
    } finally {
      state.inflight--;
      setTyping();
    }
    const err = data && typeof data.error === "string" ? data.error : "";
    if (!res) {
      setMeta(entry, "failed", "We couldn't reach the server. Check your connection and try again.");
      return;
    }
    if (res.ok && data) {
      setConv(data.conversation_id);
      setMeta(entry, "sent");
      for (const r of data.replies || []) {
        if (r && (norm(r.text) || (r.buttons && r.buttons.length))) {
          addEntry({ sender: "bot", text: r.text || "", buttons: r.buttons });
        }
      }
      const before = state.mode;
      setMode(data.mode);
      if ((data.mode === "queued" || data.mode === "agent") && before !== data.mode) {
        sync(false).catch(() => {});
      }
      if (!state.open && (data.replies || []).length) setUnread(state.unread + data.replies.length);
      return;
    }
    if (res.status === 404 && !isRetryAfter404 && state.conv) {
      resetConv();
      addEntry({ sender: "system", text: "Your previous conversation has expired — starting a new one.", local: true });
      return deliver(entry, true);
    }
    if (res.status === 503) {
      // The service stored the message; only the assistant is unavailable.
      if (data && data.conversation_id) setConv(data.conversation_id);
      setMeta(entry, "received");
      notice(
        "We've received your message.",
        "Our assistant is unavailable right now, so a member of our team will look at it soon." +
          (err ? " (" + err + ")" : ""),
        () => { setMeta(entry, "sending"); enqueue(entry); }
      );
      return;
    }
    let msg = err;
    if (res.status === 429) msg = "You're sending messages too quickly — please wait a moment." + (err ? " (" + err + ")" : "");
    if (!msg) msg = res.status >= 500 ? "Something went wrong on our side (" + res.status + ")." : "The message could not be sent (" + res.status + ").";
    setMeta(entry, "failed", msg);
  }

  // ---- open / close -----------------------------------------------------------------------
  function open() {
    if (state.open) return;
    state.open = true;
    store.set(OPEN_KEY, "1", true);
    ui.root.classList.add("open");
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    setUnread(0);
    ui.launcher.setAttribute("aria-label", "Close chat");
    if (state.conv && !state.loaded) state.chain = state.chain.then(() => sync(true)).catch(() => {});
    if (!state.hours) loadHours().catch(() => {});
    scrollDown(true);
    ui.input.focus();
  }
  function close() {
    if (!state.open) return;
    state.open = false;
    store.set(OPEN_KEY, null, true);
    ui.root.classList.remove("open");
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    setUnread(0);
    ui.launcher.focus();
  }

  function updateInput() {
    const v = ui.input.value;
    ui.send.disabled = !norm(v) || v.length > MAX;
    const near = v.length >= MAX - 200;
    ui.count.hidden = !near;
    ui.count.textContent = near ? `${v.length} / ${MAX}` : "";
    ui.count.classList.toggle("over", v.length >= MAX);
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 120) + "px";
  }
  function submit() {
    const v = ui.input.value;
    if (!norm(v) || v.length > MAX) return;
    ui.input.value = "";
    updateInput();
    send(v.trim());
    ui.input.focus();
  }

  function mount() {
    // A custom tag plus inline !important styles: page rules such as `div{display:none}` can't hide us.
    host = document.createElement("larkspur-chat");
    host.id = "larkspur-chat-host";
    host.style.setProperty("all", "initial", "important");
    host.style.setProperty("display", "block", "important");
    shadow = host.attachShadow({ mode: "open" });
    shadow.innerHTML = TEMPLATE;
    const $ = (s) => shadow.querySelector(s);
    ui = {
      root: $(".root"), launcher: $(".launcher"), badge: $(".badge"), panel: $(".panel"),
      title: $("#lk-title"), status: $(".st"), human: $(".human"), close: $(".close"),
      log: $(".log"), typing: $(".typing"), form: $("form"), input: $("textarea"),
      send: $(".send"), count: $(".count"),
    };
    ui.title.textContent = TITLE;
    ui.panel.setAttribute("aria-label", TITLE);
    ui.launcher.addEventListener("click", () => (state.open ? close() : open()));
    ui.close.addEventListener("click", close);
    ui.human.addEventListener("click", () => send("/request_human", "Talk to a person"));
    ui.form.addEventListener("submit", (e) => { e.preventDefault(); submit(); });
    ui.input.addEventListener("input", () => {
      if (ui.input.value) clearQuick();
      updateInput();
      if (ui.input.value) typingSignal();
    });
    ui.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        submit();
      }
    });
    ui.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.stopPropagation(); close(); }
    });
    document.body.appendChild(host);
    // Any page element with data-open-chat (e.g. a "Help" link) opens the chat.
    document.addEventListener("click", (e) => {
      const t = e.target && e.target.closest && e.target.closest("[data-open-chat]");
      if (t) { e.preventDefault(); open(); }
    });

    addEntry({ sender: "bot", text: GREETING, cls: "intro", local: true });
    setMode("bot");
    if (state.conv) {
      state.chain = sync(true).catch(() => {});
    }
    if (attr("open") === "true" || store.get(OPEN_KEY, true) === "1") open();
  }

  window.LarkspurChat = {
    open: () => ui && open(),
    close: () => ui && close(),
    send: (t) => { if (ui) { open(); send(t); } },
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
