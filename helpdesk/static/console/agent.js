/*! Larkspur helpdesk agent console — vanilla JS, no dependencies, served under CSP script-src 'self'.
 * Security: every piece of conversation data is put on the page with textContent (never innerHTML);
 * the session lives in an HttpOnly cookie and every change carries the session's CSRF token. */
(function () {
  "use strict";

  const TYPING_SEND_MS = 1500;
  const CUSTOMER_TYPING_MS = 4000;
  const ARRIVED_PER_CONVERSATION = 50; // socket messages kept per conversation, for a view fetched before them
  const ARRIVED_CONVERSATIONS = 30;
  const { API, $, el, request, errorText, messageText } = window.ConsoleCommon;

  const state = {
    me: null,
    csrf: "",
    open: null, // id of the conversation on screen
    sending: null, // the reply being sent (a promise), while it is on its way
    view: null, // its last loaded view
    shown: new Set(), // message ids on screen
    arrived: new Map(), // conversation id -> its latest messages from the socket (merged into a view fetched before them)
    notes: new Set(),
    lastId: 0, // highest message id seen: the socket resumes after it
    ws: null,
    retry: 0,
    retryTimer: null,
    queue: [],
    queueAt: 0,
    chats: [], // the chats listed: the agent's own, or (a supervisor's All view) everyone's
    mine: [],
    everyone: [],
    viewName: "all",
    sla: 120,
    agents: [],
    canned: [],
    unread: new Map(), // conversation → customer messages the agent has not seen (the server's count, kept live)
    seenSent: new Map(), // conversation → the highest message id this console told the server the agent saw
    listScroll: 0, // where the lists were scrolled when a conversation was opened over them (a phone)
    nav: 0, // the agent's moves between conversations and the lists, counted (openConversation)
    sentTyping: 0,
    customerTyping: null,
    chatsTimer: null,
    queueTimer: null,
    suggestTimer: null,
  };

  // ---- HTTP -----------------------------------------------------------------------------
  async function api(method, path, body) {
    const r = await request(method, path, body, state.csrf);
    if (r.res && r.res.status === 401 && path !== "/login") showLogin();
    return r;
  }
  function showError(text) {
    $("action-error").textContent = text || "";
  }

  // ---- formatting -------------------------------------------------------------------------
  function fmtWait(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + " s";
    const m = Math.floor(s / 60);
    if (m < 60) return m + " min";
    return Math.floor(m / 60) + " h " + (m % 60) + " min";
  }
  function fmtTime(iso) {
    const d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  const pct = (x) => Math.round(Number(x || 0) * 100) + "%";
  const num = (x) => Number(x || 0).toFixed(2);
  // where a chat stands, in the words of the search results (agent-find.js); "with <agent>" when an agent has it
  const CHAT_STATE = { bot: "with the bot", queued: "waiting", closed: "resolved" };
  const REASONS = {
    requested: "Customer asked for a person",
    complaint: "Complaint (policy)",
    low_confidence: "Bot unsure, no FAQ answer",
    failed_twice: "Bot failed twice",
    failed_turns: "Bot did not understand twice",
    verification_failed: "Could not verify the customer",
    backend_error: "Order system was down",
    left_message: "Message left out of hours",
    unspecified: "Passed on by the bot",
  };
  const reasonText = (r) => {
    if (!r) return "Reason not given";
    if (REASONS[r]) return REASONS[r];
    const words = String(r).replace(/_/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  };
  // how long a customer has waited against the queue-wait target: fine, close to it, past it
  function slaClass(seconds) {
    const sla = state.sla || 120;
    return seconds >= sla ? "over" : seconds >= sla * 0.75 ? "near" : "ok";
  }
  const VIEWS = ["mine", "unassigned", "all"];
  const VIEW_KEY = "larkspur-console.view";
  function outcome(mode, team) {
    if (mode === "queued") return team ? "passed to the " + team + " team" : "put back in the queue";
    return { agent: "transferred", closed: "resolved", bot: "handed back to the bot" }[mode] || mode;
  }

  // ---- login ------------------------------------------------------------------------------
  function showLogin() {
    disconnect();
    state.me = null;
    $("app").hidden = true;
    $("login-view").hidden = false;
    $("login-username").focus();
  }
  async function login(ev) {
    ev.preventDefault();
    $("login-error").textContent = "";
    const r = await api("POST", "/login", {
      username: $("login-username").value.trim(),
      password: $("login-password").value,
    });
    $("login-password").value = "";
    if (r.res && r.res.ok) return start(r.data);
    if (r.res && r.res.status === 401) $("login-error").textContent = "Wrong username or password.";
    else if (r.res && r.res.status === 429) {
      const wait = r.res.headers.get("Retry-After");
      $("login-error").textContent = "Too many failed attempts." + (wait ? " Try again in " + fmtWait(+wait) + "." : "");
    } else $("login-error").textContent = errorText(r, "Could not log in.");
  }
  async function logout() {
    await api("POST", "/logout", {});
    window.ConsoleAlerts.reset();
    closeConversation();
    showLogin();
  }

  function start(data) {
    if (data.agent.role === "editor") {
      location.replace("/agent/unanswered"); // editors keep the handbook: their page is the report
      return;
    }
    state.me = data.agent;
    state.csrf = data.csrf_token;
    // the console in the staff member's language before anything is drawn (a first login in Chinese drew times in
    // the browser's English: "07:52 AM")
    if (window.ConsoleI18n) window.ConsoleI18n.adopt(data.agent.language);
    $("login-view").hidden = true;
    $("app").hidden = false;
    const me = state.me;
    $("me").textContent = me.display_name + " · " + me.role + (me.team ? " · team " + me.team : "");
    $("me").title = $("me").textContent; // cut with "…" when the header is full
    $("dashboard-link").hidden = !(me.role === "supervisor" || me.role === "admin");
    window.ConsoleTeam.start(me);
    window.ConsoleAlerts.load(me.id);
    let saved = null;
    try { saved = localStorage.getItem(VIEW_KEY); } catch (e) { saved = null; }
    setView(VIEWS.includes(saved) ? saved : "all");
    window.ConsoleCorrections.start(me);
    loadQueue();
    refreshChats();
    loadAgents();
    loadCanned();
    window.ConsoleFind.start();
    startFollowUps();
    connect();
  }

  // ---- queue and chats lists ----------------------------------------------------------------
  async function loadQueue() {
    const r = await api("GET", "/queue");
    if (r.res && r.res.ok) {
      if (r.data.sla_seconds) state.sla = r.data.sla_seconds;
      setQueue(r.data.conversations);
    }
  }
  function setQueue(entries) {
    const before = state.queueLoaded ? new Set(state.queue.map((q) => q.conversation_id)) : null;
    state.queue = entries || [];
    state.queueAt = Date.now();
    state.queueLoaded = true;
    const ids = new Set(state.queue.map((q) => q.conversation_id));
    for (const c of state.chats) ids.add(c.conversation_id);
    window.ConsoleAlerts.keepOnly(ids);
    if (before) {
      for (const q of state.queue) {
        if (before.has(q.conversation_id) || q.conversation_id === state.open) continue;
        window.ConsoleAlerts.notice("new_chat", q.conversation_id,
          (q.customer_tier === "vip" ? "New VIP chat" : "New chat") + (q.customer_name ? ": " + q.customer_name : ""),
          q.first_question || reasonText(q.handoff_reason), openConversation);
      }
    }
    renderQueue();
    if (state.open && state.view && state.view.conversation.mode === "queued") {
      if (!state.queue.some((q) => q.conversation_id === state.open)) openConversation(state.open);
    }
  }
  function renderQueue() {
    const list = $("queue");
    list.textContent = "";
    const elapsed = (Date.now() - state.queueAt) / 1000;
    for (const q of state.queue) {
      if (!window.ConsoleFind.passes(q)) continue;
      const li = el("li");
      li.tabIndex = 0;
      li.dataset.id = q.conversation_id;
      li.classList.toggle("selected", q.conversation_id === state.open);
      li.appendChild(cardHead(q));
      const line = el("div", "line1");
      const left = el("span");
      left.appendChild(el("span", "reason", reasonText(q.handoff_reason)));
      if (q.team) left.appendChild(el("span", null, " · team " + q.team));
      if (q.was_with) left.appendChild(el("span", "was-with", " · was with " + q.was_with)); // back from a colleague
      if (q.customer_wrote === false) left.appendChild(el("span", "no-text", " · no text"));
      if (q.offline_message) {
        // left out of business hours: when it arrived, and where to answer
        const at = new Date(q.offline_message.left_at);
        const when = isNaN(at) ? "" : at.toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" });
        const email = (q.offline_message.contact || {}).email;
        left.appendChild(el("span", "left-message", " · message left " + when + (email ? " · " + email : "")));
      }
      line.appendChild(left);
      const waited = q.waiting_seconds + elapsed;
      const wait = el("span", "wait " + slaClass(waited), "waiting " + fmtWait(waited));
      wait.title = "Queue-wait target: " + fmtWait(state.sla || 120);
      line.appendChild(wait);
      li.appendChild(line);
      // the customer's latest real line, as Chatwoot's and Intercom's inboxes show it; their first question above it
      // when they have written more since (helpdesk/conversation/desk_cards.py)
      const latest = q.latest_line || q.first_question || q.preview || "…";
      if (q.first_question && q.first_question !== latest) li.appendChild(el("div", "preview first", q.first_question));
      li.appendChild(el("div", "preview latest", latest));
      if (q.labels && q.labels.length) li.appendChild(window.ConsoleFind.chips(q.labels));
      bindOpen(li, q.conversation_id);
      list.appendChild(li);
    }
    $("queue-count").textContent = String(state.queue.length);
    $("queue-empty").hidden = state.queue.length > 0;
    renderViewCounts();
    // supervisors clear, in one go, queued chats where the customer never wrote a word (a queue flood)
    const junk = state.queue.filter((q) => q.customer_wrote === false).length;
    const supervises = state.me && (state.me.role === "supervisor" || state.me.role === "admin");
    const chats = junk + " chat" + (junk === 1 ? "" : "s");
    $("queue-close-junk").hidden = !(supervises && junk > 0);
    $("queue-close-junk").textContent = state.confirmJunk
      ? "Click again to close " + chats + " where the customer wrote nothing"
      : "Close " + chats + " without customer text";
  }
  async function closeJunk() {
    if (!state.confirmJunk) { // a second click confirms (no native dialog)
      state.confirmJunk = true;
      renderQueue();
      setTimeout(() => { state.confirmJunk = false; if (state.me) renderQueue(); }, 10000);
      return;
    }
    state.confirmJunk = false;
    const r = await api("POST", "/queue/close", { without_customer_text: true });
    if (!(r.res && r.res.ok)) showError((r.data && r.data.error) || "Could not close those chats.");
    loadQueue();
  }
  function bindOpen(li, id) {
    li.addEventListener("click", () => openConversation(id));
    li.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        openConversation(id);
      }
    });
  }
  function scheduleQueue() {
    clearTimeout(state.queueTimer);
    state.queueTimer = setTimeout(loadQueue, 150);
  }
  // the open conversation is read up to its newest message while this console is in sight (opening it read it to
  // the end on the server: GET /conversations/<id>)
  function markSeen() {
    const id = state.open;
    const messages = (state.view && state.view.messages) || [];
    const last = messages.length ? messages[messages.length - 1].id : 0;
    if (!id || !last || document.visibilityState !== "visible" || (state.seenSent.get(id) || 0) >= last) return;
    state.seenSent.set(id, last);
    api("POST", "/conversations/" + encodeURIComponent(id) + "/seen", { message_id: last });
  }
  function scheduleChats() {
    clearTimeout(state.chatsTimer);
    state.chatsTimer = setTimeout(refreshChats, 150);
  }
  async function refreshChats() {
    const everyone = supervising() && state.viewName === "all";
    const r = await api("GET", "/chats" + (supervising() ? "?scope=all" : ""));
    if (!r.res || !r.res.ok) return;
    const all = r.data.conversations || [];
    const mine = all.filter((c) => c.assignee === state.me.id);
    if (state.chatsLoaded) {
      const before = new Set(state.mine.map((c) => c.conversation_id));
      for (const c of mine) {
        if (before.has(c.conversation_id) || c.conversation_id === state.open) continue;
        window.ConsoleAlerts.notice("assigned", c.conversation_id,
          "Chat assigned to you" + (c.customer_name ? ": " + c.customer_name : ""),
          c.first_question || reasonText(c.handoff_reason), openConversation);
      }
    }
    state.chatsLoaded = true;
    // the cards' unread counts are the server's (helpdesk/conversation/reads.py): they survive a reload and are the
    // same in the agent's other consoles; the chat on screen has none
    state.unread = new Map(all.filter((c) => c.unread > 0 && c.conversation_id !== state.open)
      .map((c) => [c.conversation_id, c.unread]));
    // the page title counts the agent's chats that wrote, as their cards do (the chat on screen has its own alert)
    for (const c of mine) if (c.conversation_id !== state.open) window.ConsoleAlerts.unread(c.conversation_id, c.unread || 0);
    state.mine = mine;
    state.everyone = all;
    state.chats = everyone ? all : mine;
    for (const c of state.chats) {
      if (c.last_message) state.lastId = Math.max(state.lastId, c.last_message.id);
    }
    renderChats();
  }
  function renderChats() {
    const list = $("chats");
    list.textContent = "";
    for (const c of state.chats) {
      if (!window.ConsoleFind.passes(c)) continue;
      const li = el("li");
      li.tabIndex = 0;
      li.dataset.id = c.conversation_id;
      li.classList.toggle("selected", c.conversation_id === state.open);
      const unread = state.unread.get(c.conversation_id) || 0;
      li.classList.toggle("unread", unread > 0);
      li.appendChild(cardHead(c));
      if (unread) { // a count on the card, as Chatwoot's list has: which chat wrote, and how much
        const badge = el("span", "badge unread-count", String(unread));
        badge.setAttribute("aria-label", unread + " unread");
        badge.title = unread + " unread";
        li.firstChild.appendChild(badge);
      }
      const line = el("div", "line1");
      const left = el("span");
      left.appendChild(el("span", "reason", reasonText(c.handoff_reason)));
      if (c.assignee !== state.me.id && c.assignee_name) left.appendChild(el("span", null, " · " + c.assignee_name));
      line.appendChild(left);
      if (c.last_message) line.appendChild(el("span", null, fmtTime(c.last_message.created_at)));
      li.appendChild(line);
      if (c.first_question) {
        const question = el("div", "question", c.first_question);
        question.dataset.userContent = ""; // the customer's words: never translated
        li.appendChild(question);
      }
      li.appendChild(previewLine(c.last_message));
      if (c.labels && c.labels.length) li.appendChild(window.ConsoleFind.chips(c.labels));
      bindOpen(li, c.conversation_id);
      list.appendChild(li);
    }
    $("chats-count").textContent = String(state.chats.length);
    $("chats-empty").hidden = state.chats.length > 0;
    renderViewCounts();
  }
  // the card's last line, with who wrote it unless the customer did: "You:" (the console's agent, as Chatwoot
  // writes it), a colleague's name, "Bot:". The label is the console's word (translated); the text is not.
  function previewLine(last) {
    const line = el("div", "preview-line");
    if (!last) { line.appendChild(el("span", "preview", "…")); return line; }
    let who = null;
    if (last.sender === "agent") {
      if (last.agent_id === state.me.id) who = el("span", "who", "You:");
      else {
        who = el("span", "who", (last.author || "Agent") + ":");
        if (last.author) who.dataset.userContent = ""; // a colleague's name
      }
    } else if (last.sender === "bot") who = el("span", "who", "Bot:");
    if (who) { line.appendChild(who); line.appendChild(document.createTextNode(" ")); }
    line.appendChild(el("span", "preview", last.text));
    return line;
  }
  // a card's first line: the customer's name (or "Customer"), a VIP badge, the language
  function cardHead(c) {
    const head = el("div", "card-head");
    const name = el("span", "cust-name", c.customer_name || c.customer_email || "Customer");
    if (c.customer_name || c.customer_email) name.dataset.userContent = ""; // a person's name, not the console's word
    head.appendChild(name);
    if (c.customer_tier === "vip") head.appendChild(el("span", "badge vip", "VIP"));
    if (c.language && c.language !== "en") head.appendChild(el("span", "badge lang", c.language === "zh" ? "中文" : c.language));
    return head;
  }

  // ---- views: Mine / Unassigned / All, with counts, above the lists -------------------------------
  function setView(name) {
    state.viewName = name;
    try { localStorage.setItem(VIEW_KEY, name); } catch (e) { /* private mode */ }
    for (const v of VIEWS) $("view-" + v).setAttribute("aria-selected", String(v === name));
    $("chats-section").hidden = name === "unassigned";
    $("queue-section").hidden = name === "mine";
    const everyone = supervising() && name === "all";
    $("chats-heading").firstChild.textContent = everyone ? "Open chats " : "My chats ";
    if (state.chatsLoaded) {
      state.chats = everyone ? state.everyone : state.mine;
      renderChats();
    }
  }
  function renderViewCounts() {
    const mine = (state.mine || []).length;
    const waiting = state.queue.length;
    $("view-mine-count").textContent = String(mine);
    $("view-unassigned-count").textContent = String(waiting);
    $("view-all-count").textContent = String((supervising() ? (state.everyone || []).length : mine) + waiting);
    $("view-all").title = supervising() ? "Everyone's open chats and the queue" : "Your chats and the queue";
  }

  // ---- the conversation view ------------------------------------------------------------------
  // What the agent typed in the reply and note boxes stays with its conversation: opening another chat shows that
  // chat's own draft (or empty boxes), never one customer's half-written reply under another's transcript.
  const drafts = new Map(); // conversation id -> {reply, note}
  function keepDraft(id) {
    if (!id) return;
    const draft = { reply: $("reply").value, note: $("note").value };
    if (draft.reply.trim() || draft.note.trim()) drafts.set(id, draft);
    else drafts.delete(id);
  }
  function restoreDraft(id) {
    const draft = drafts.get(id) || { reply: "", note: "" };
    $("reply").value = draft.reply;
    $("note").value = draft.note;
  }
  function closeConversation(note) {
    state.nav++; // a fetch of the conversation under way is not shown when it comes (openConversation)
    keepDraft(state.open);
    $("empty-note").textContent = note || "";
    $("done-note").textContent = note || ""; // the phone's one pane shows the lists, not #empty: the note over them
    $("done-note").hidden = !note;
    state.open = null;
    state.view = null;
    $("conversation").hidden = true;
    $("context").hidden = true;
    window.ConsoleOrders.hide();
    window.ConsoleFind.hide();
    document.body.classList.remove("has-open");
    $("empty").hidden = false;
    renderQueue();
    renderChats();
    // a phone shows the lists again where the agent left them (they came back scrolled to the conversation's place)
    if (onePane()) window.scrollTo(0, state.listScroll || 0);
  }
  async function openConversation(id) {
    showError("");
    // a conversation fetched after the agent went elsewhere (back to the lists, or another chat clicked since) is not
    // shown: a refresh answered late reopened the chat just left, and of two quick clicks the slower answer won
    const nav = id === state.open ? state.nav : ++state.nav;
    const r = await api("GET", "/conversations/" + encodeURIComponent(id));
    if (nav !== state.nav) return;
    if (!r.res) return showError(errorText(r));
    if (!r.res.ok) {
      const why = errorText(r, "Could not open the conversation.");
      if (state.open === id || !state.open) return closeConversation(why);
      return showError(why);
    }
    const switching = state.open !== id;
    if (switching) {
      keepDraft(state.open);
      restoreDraft(id);
    }
    mergeArrived(id, r.data);
    state.open = id;
    state.unread.delete(id);
    window.ConsoleAlerts.seen(id);
    renderView(r.data, switching);
    fillCannedSelect();
    if (!document.body.classList.contains("has-open")) state.listScroll = window.scrollY; // the lists' place (phone)
    document.body.classList.add("has-open");
    $("done-note").hidden = true;
    if (switching) {
      window.ConsoleFind.show(id);
      showLatest();
      // the transfer list's chats per colleague: an agent hears of colleagues' statuses live, not of each of their
      // chats (those are their own and the supervisors'), so the counts are read again for each chat opened
      loadAgents();
    }
    renderQueue();
    renderChats();
    if (switching) focusOpened(id);
    loadSuggestions();
  }
  // A chat just opened takes the keyboard where the agent goes next, as Chatwoot's does: the reply box, or Claim for a
  // queued chat, else its card again. The card opened with Enter was rebuilt by the lists' refresh and the focus fell
  // to the page: the next Tab went back to the lists, and the reply box was a dozen Tabs away, past Resolve. Not on a
  // phone, where the focus would open the keyboard over the transcript.
  function focusOpened(id) {
    if (onePane() || id !== state.open) return;
    const card = [...document.querySelectorAll("#chats li, #queue li")].find((li) => li.dataset.id === id);
    const target = !$("reply-form").hidden ? $("reply") : !$("claim").hidden ? $("claim") : card;
    if (target) target.focus({ preventScroll: true });
  }
  // a phone: the lists or the open conversation, one at a time, and the page scrolls (agent-find.css)
  const onePane = () => window.matchMedia("(max-width: 640px)").matches;
  // A conversation just opened shows its newest messages. On a phone the page scrolls, not the transcript: it opened
  // at the top, on the oldest messages, with the reply box off the screen (chat apps open at the newest).
  function showLatest() {
    if (!onePane()) {
      window.scrollTo(0, 0);
      return;
    }
    const reply = $("reply-form");
    const covered = reply.hidden ? 0 : reply.offsetHeight; // the reply box stays over the page's foot
    const end = $("transcript").getBoundingClientRect().bottom + window.scrollY;
    window.scrollTo(0, Math.max(0, end - window.innerHeight + covered));
  }
  // A message the socket delivers while the conversation is being fetched is not in the fetched view, and rendering
  // that view wipes what the socket had appended: merge the latest socket messages into the view first.
  function mergeArrived(id, view) {
    const seen = new Set(view.messages.map((m) => m.id));
    const late = (state.arrived.get(id) || []).filter((m) => !seen.has(m.id));
    if (!late.length) return;
    view.messages = view.messages.concat(late).sort((a, b) => a.id - b.id);
    view.last_message_id = Math.max(view.last_message_id || 0, ...late.map((m) => m.id));
  }
  function rememberArrived(id, m) {
    const list = state.arrived.get(id) || [];
    state.arrived.delete(id); // re-inserted last: the Map's order is the conversations' recency
    state.arrived.set(id, list.concat([m]).slice(-ARRIVED_PER_CONVERSATION));
    while (state.arrived.size > ARRIVED_CONVERSATIONS) state.arrived.delete(state.arrived.keys().next().value);
  }
  function renderView(view, switching) {
    state.view = view;
    state.lastId = Math.max(state.lastId, view.last_message_id || 0);
    const c = view.conversation;
    $("empty").hidden = true;
    $("conversation").hidden = false;
    $("context").hidden = false;
    const vip = c.customer_tier === "vip"; // who: their name when the bot or the shop knows it
    // the title names the customer; where the chat stands is the line under it, in words (not the mode's name)
    $("conv-title").textContent = c.customer_name ? [c.customer_name, vip ? "VIP" : null].filter(Boolean).join(" · ")
      : vip ? "VIP customer" : "Customer";
    const where = c.mode === "agent" ? (c.assignee_name ? "with " + c.assignee_name : "with an agent") : CHAT_STATE[c.mode] || c.mode;
    $("conv-meta").textContent = where + " · started " + fmtTime(c.created_at) + " · id " + c.id;
    const acting = view.can_act;
    $("claim").hidden = c.mode !== "queued";
    for (const id of ["resolve", "handback", "transfer", "transfer-to"]) $(id).hidden = !acting;
    $("reply-form").hidden = !acting;
    $("note-form").hidden = !(acting || (state.me && state.me.role !== "agent"));
    fillTransfer(c, !switching);

    const log = $("transcript");
    const keepScroll = !switching && !followLog.on; // the agent scrolled up to read: stay there
    const readingAt = log.scrollTop;
    if (!keepScroll) followLog.on = true;
    log.textContent = "";
    state.shown.clear();
    const lastCustomer = [...view.messages].reverse().find((m) => m.sender === "customer");
    for (const m of view.messages) appendMessage(m, lastCustomer && m.id === lastCustomer.id);
    log.scrollTop = keepScroll ? readingAt : log.scrollHeight;
    window.ConsoleCorrections.opened(c.id);

    renderHandoff(c);
    renderSlots(c.slots || {});
    window.ConsoleOrders.show(c.id);
    renderEntities(view.entities || []);
    $("notes").textContent = "";
    state.notes.clear();
    for (const n of view.notes) appendNote(n);
    if (switching) $("customer-typing").hidden = true;
  }
  const WHO = { customer: "Customer", bot: "Bot", system: "" };
  // what chose a handbook answer the bot gave by rule rather than by ranking (actions/handbook_answer.py RULES)
  const RULE_WORDS = {
    received_goods: "chosen by its words: goods that arrived damaged or wrong",
    missing_item: "chosen by its words: an item missing from the parcel",
    invoice: "chosen by its words: an invoice for a named order",
    payment_way: "chosen by its words: a way to pay",
    picked: "picked by the customer from the choices offered",
    product_option: "chosen by its words: a colour of a product",
    return_label: "chosen by its words: what goes on the return parcel",
  };
  function appendMessage(m, openContext) {
    if (state.shown.has(m.id)) return;
    state.shown.add(m.id);
    state.lastId = Math.max(state.lastId, m.id);
    const sender = ["customer", "bot", "agent", "system"].includes(m.sender) ? m.sender : "system";
    const li = el("li", "msg " + sender);
    li.dataset.id = String(m.id);
    const who = sender === "agent" ? m.author || "Agent" : WHO[sender];
    if (who) li.appendChild(el("div", "who", who + " · " + fmtTime(m.created_at)));
    li.appendChild(messageText(sender, m.text));
    if (m.attachment) window.ConsoleMail.attachment(li, m.attachment); // a photo or PDF (agent-mail.js)
    if (sender === "customer") li.appendChild(turnContext(m, openContext));
    if (sender === "customer") li.appendChild(window.ConsoleCorrections.turnTools(m)); // "bot got this wrong"
    if (sender === "bot" && m.faq && m.faq.id) {
      // an entry a rule chose (goods that arrived damaged, the customer's pick…) says so: its score against the
      // message (often 0.00) would read as a bad match
      const why = RULE_WORDS[m.faq.rule];
      li.appendChild(el("div", "who", "answered from FAQ " + faqName(m.faq) + " (" + (why || "score " + num(m.faq.score)) + ")"));
    }
    if (sender === "bot" && Array.isArray(m.buttons) && m.buttons.length) {
      // what "Did you mean one of these?" (or any question with buttons) offered the customer: the agent reads the
      // choices they were given, not a question without them
      const offered = el("div", "who offered", "Buttons offered:");
      const titles = el("span", null, " " + m.buttons.map((b) => b.title).join(" | "));
      titles.dataset.userContent = ""; // the bot's words, in the customer's language
      offered.appendChild(titles);
      li.appendChild(offered);
    }
    $("transcript").appendChild(li); // followLog keeps the newest in sight unless the agent scrolled up to read
  }
  // The transcript follows what is added to it (messages, a turn's context arriving later, the reply form appearing
  // and shrinking it) as long as the agent has not scrolled up: a check made only before each append missed every
  // growth after it, and left the newest customer message below the fold.
  const followLog = { on: true };
  function followTranscript() {
    const log = $("transcript");
    const toBottom = () => {
      if (followLog.on) log.scrollTop = log.scrollHeight;
    };
    log.addEventListener("scroll", () => {
      followLog.on = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    });
    new MutationObserver(toBottom).observe(log, { childList: true, subtree: true, attributes: true, attributeFilter: ["open"] });
    new ResizeObserver(toBottom).observe(log);
  }
  // The handbook search's verdict on a turn (helpdesk/knowledge/decision.py), in words: it is not what the bot did (a
  // request for a person is handed off whatever its candidates), and its own word showed in a Chinese console's
  // heading ("常见问题候选（answer）", walkthrough of 2026-12-07)
  const FAQ_VERDICT = {
    answer: "the first sure enough to answer",
    suggest: "close, not sure enough to answer",
    handoff: "none close enough",
  };
  // A handbook entry as the agent reads it: its title (in the customer's language, as the bot used it), quoted; its
  // id (an English slug) only when there is no title: "FAQ delivery-time" read as code on a Chinese console
  // (walkthrough of 2026-12-07)
  const faqName = (entry) => (entry.title ? "“" + entry.title + "”" : entry.id);
  // What the bot understood of one customer turn: the intent ranking and the FAQ candidates.
  function turnContext(m, open) {
    const box = el("details", "ctx");
    box.open = !!open;
    const summary = el("summary");
    const parts = [];
    if (m.nlu && m.nlu.intent) parts.push("intent " + m.nlu.intent + " " + pct(m.nlu.confidence));
    else parts.push("not seen by the bot");
    const cands = m.faq_candidates && Array.isArray(m.faq_candidates.candidates) ? m.faq_candidates.candidates : [];
    if (cands.length) parts.push("FAQ " + faqName(cands[0]) + " " + num(cands[0].score));
    summary.textContent = parts.join(" · ");
    box.appendChild(summary);
    const table = el("table");
    const ranking = m.nlu && Array.isArray(m.nlu.ranking) ? m.nlu.ranking.slice(0, 5) : [];
    if (ranking.length) {
      table.appendChild(headRow("Intent guesses"));
      for (const r of ranking) table.appendChild(scoreRow(r.name, r.confidence, pct(r.confidence), "intent"));
    }
    if (cands.length) {
      const verdict = m.faq_candidates.decision;
      table.appendChild(headRow("FAQ candidates" + (verdict ? " (" + (FAQ_VERDICT[verdict] || verdict) + ")" : "")));
      for (const c of cands.slice(0, 5)) table.appendChild(scoreRow(c.title || c.id, c.score, num(c.score), "faq", c.id));
    } else if (m.faq_candidates && m.faq_candidates.decision === "skipped") {
      table.appendChild(headRow("A button press: no FAQ search"));
    }
    const ents = written(m.nlu && Array.isArray(m.nlu.entities) ? m.nlu.entities : []);
    if (ents.length) {
      table.appendChild(headRow("Entities"));
      for (const e of ents) {
        const tr = el("tr");
        tr.appendChild(el("td", "name", e.entity));
        const td = el("td", null, String(e.value));
        td.colSpan = 2;
        tr.appendChild(td);
        table.appendChild(tr);
      }
    }
    if (table.childNodes.length) box.appendChild(table);
    return box;
  }
  function headRow(text) {
    const tr = el("tr");
    const th = el("th", null, text);
    th.colSpan = 3;
    tr.appendChild(th);
    return tr;
  }
  function scoreRow(label, value, shown, kind, title) {
    const tr = el("tr", kind);
    const name = el("td", "name", label);
    if (title) name.title = title;
    tr.appendChild(name);
    const bar = el("td");
    const meter = document.createElement("meter");
    meter.min = 0;
    meter.max = 1;
    meter.value = Math.max(0, Math.min(1, Number(value || 0)));
    meter.setAttribute("aria-label", label + " " + shown);
    bar.appendChild(meter);
    tr.appendChild(bar);
    tr.appendChild(el("td", "num", shown));
    return tr;
  }
  function updateTurn(messageId, candidates) {
    if (!state.view) return;
    const m = state.view.messages.find((x) => x.id === messageId);
    if (!m) return;
    m.faq_candidates = candidates;
    const li = $("transcript").querySelector('li[data-id="' + messageId + '"]');
    const old = li && li.querySelector(".ctx");
    if (old) old.replaceWith(turnContext(m, old.open));
  }
  function fact(dl, key, value) {
    dl.appendChild(el("dt", null, key));
    dl.appendChild(el("dd", null, value == null || value === "" ? "—" : value));
  }
  function renderHandoff(c) {
    const dl = $("handoff");
    dl.textContent = "";
    fact(dl, "Reason", reasonText(c.handoff_reason));
    fact(dl, c.mode === "queued" ? "Waiting" : "Waited", fmtWait(c.waiting_seconds));
    fact(dl, "Tier", c.customer_tier === "vip" ? "VIP" : "standard");
    fact(dl, "Language", { en: "English", zh: "中文 (Chinese)" }[c.language] || c.language);
    fact(dl, "Status", c.mode + (c.assignee_name ? " · " + c.assignee_name : ""));
    if (c.team) fact(dl, "Team", c.team);
    if (c.handoffs && c.handoffs.length > 1) fact(dl, "Handoffs", String(c.handoffs.length));
  }
  // the bot's slots in plain words; the customer and their orders have their own cards (agent-orders.js)
  const SLOT_WORDS = {
    order_id: "Order asked about", email: "E-mail given", order_flow: "Was helping with", last_flow: "Last request",
    verification: "Proof given", new_address: "New address asked for", return_items: "Items to return",
    return_reason: "Why it goes back", return_remedy: "Wants instead",
  };
  const RETURN_REASON_WORDS = { unwanted: "changed their mind", damaged: "damaged", wrong_item: "wrong item" };
  const REMEDY_WORDS = { replacement: "a replacement", refund: "a refund" };
  const FLOW_WORDS = {
    order_status: "where an order is", cancel_order: "cancelling an order", change_shipping_address: "changing an address",
    request_refund: "a return", refund_status: "a refund",
  };
  const PROOF_WORDS = { email: "the order's e-mail address", postcode: "the delivery postcode",
    account: "signed in on the shop's website", customer: "an earlier order of the same customer" };
  // (the language: the handoff facts above say it in words; the slot showed "language zh" beside "Language English")
  const SLOT_HIDDEN = new Set(["customer_id", "customer_verified_by", "customer_name", "customer_tier", "recent_orders",
    "verified_order", "pending_confirmation", "confirm", "requested_slot", "evidence", "pending_detail", "order_refusal",
    "language"]);
  function slotText(k, v) {
    if (k === "order_flow" || k === "last_flow") return FLOW_WORDS[v] || String(v);
    if (k === "verification") return PROOF_WORDS[v] || String(v);
    if (k === "return_reason") return RETURN_REASON_WORDS[v] || String(v);
    if (k === "return_remedy") return REMEDY_WORDS[v] || String(v);
    if (k === "new_address" && v && typeof v === "object") return [v.street, v.postcode, v.city, v.country].filter(Boolean).join(", ");
    if (k === "return_items" && v && typeof v === "object") return Object.entries(v).map(([s, n]) => n + " × " + s).join(", ");
    return typeof v === "object" ? Object.values(v).join(", ") : String(v);
  }
  function renderSlots(slots) {
    const dl = $("slots");
    dl.textContent = "";
    const keys = Object.keys(slots).filter((k) => !SLOT_HIDDEN.has(k) && slots[k] !== "" && slots[k] != null);
    if (!keys.length) return fact(dl, "Known", "nothing yet");
    for (const k of keys) fact(dl, SLOT_WORDS[k] || k.replace(/_/g, " "), slotText(k, slots[k]));
  }
  // The language the NLU read a turn in travels as an entity (it fills the bot's language slot:
  // nlu_addons/onepass_nlu.py), though the customer never wrote it: the handoff facts say the conversation's language
  // in words, and a turn's own ("en" for a Chinese customer's e-mail address) read as the customer switching language
  // (walkthrough of 2026-12-07). The entities shown, per turn and in the panel, are what the customer's words carried.
  const NOT_WRITTEN = new Set(["language"]);
  const written = (entities) => entities.filter((e) => e && !NOT_WRITTEN.has(e.entity));
  function renderEntities(all) {
    const entities = written(all);
    const ul = $("entities");
    ul.textContent = "";
    if (!entities.length) ul.appendChild(el("li", "muted", "none found"));
    const seen = new Set(); // one line per entity and value, however many turns carried it
    for (const e of entities) {
      const line = e.entity + ": " + e.value;
      if (!seen.has(line)) ul.appendChild(el("li", null, line));
      seen.add(line);
    }
  }
  function appendNote(n) {
    if (state.notes.has(n.id)) return;
    state.notes.add(n.id);
    const li = el("li", null, n.text);
    li.appendChild(el("span", "by", (n.author || "agent") + " · " + fmtTime(n.created_at)));
    $("notes").appendChild(li);
  }
  function fillTransfer(c, keep = true) {
    const select = $("transfer-to");
    // refilled whenever a colleague's chats or status change: the agent's choice stays chosen (it was reset, and
    // Transfer then said "Pick an agent or a team to transfer to": walkthrough 2026-12-06); another chat opened
    // starts with no choice
    const chosen = keep ? select.value : "";
    select.textContent = "";
    select.appendChild(new Option("Transfer to…", ""));
    const teams = new Set();
    for (const a of state.agents) {
      if (a.team) teams.add(a.team);
      if (a.id === c.assignee) continue;
      // the colleague's status, and whether a console is open: one offline, or online/away with the console closed,
      // is listed as such and cannot be picked: the desk refuses the transfer (the customer would read "<name> has
      // joined the chat" with nobody there)
      const offline = (a.status || "offline") === "offline";
      const status = offline ? "offline" : a.online ? a.status || "online" : (a.status || "online") + ", console closed";
      const load = a.active_chats + "/" + a.max_concurrent + ", " + status;
      const option = new Option(a.display_name + " (" + load + ")", "agent:" + a.id);
      option.disabled = offline || !a.online;
      select.appendChild(option);
    }
    for (const t of [...teams].sort()) select.appendChild(new Option("Team " + t + " (back to the queue)", "team:" + t));
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
  }

  // ---- help for replying --------------------------------------------------------------------
  function scheduleSuggestions() {
    clearTimeout(state.suggestTimer);
    state.suggestTimer = setTimeout(loadSuggestions, 300);
  }
  async function loadSuggestions() {
    const id = state.open;
    const ul = $("suggestions");
    if (!id) return;
    const r = await api("GET", "/conversations/" + encodeURIComponent(id) + "/suggestions");
    if (id !== state.open) return;
    ul.textContent = "";
    if (!r.res || !r.res.ok) return ul.appendChild(el("li", "muted", errorText(r, "No suggestions right now.")));
    if (!r.data.suggestions.length) return ul.appendChild(el("li", "muted", "No handbook answer fits."));
    for (const s of r.data.suggestions) {
      const li = el("li");
      li.appendChild(el("span", "score", num(s.score)));
      li.appendChild(el("div", "title", s.title));
      const use = el("button", null, "Use");
      use.type = "button";
      use.setAttribute("aria-label", "Use the answer: " + s.title);
      use.addEventListener("click", () => insertReply(s.text));
      li.appendChild(use);
      ul.appendChild(li);
    }
  }
  /** Put `text` in the reply box, after what is there; where it starts. */
  function insertReply(text) {
    const box = $("reply");
    box.value = box.value.trim() ? box.value.replace(/\s*$/, "\n\n") : "";
    const start = box.value.length;
    box.value += text;
    box.focus();
    return start;
  }
  async function loadAgents() {
    const r = await api("GET", "/agents");
    if (r.res && r.res.ok) state.agents = r.data.agents;
    if (state.view) fillTransfer(state.view.conversation);
  }
  async function loadCanned() {
    const r = await api("GET", "/canned");
    if (!r.res || !r.res.ok) return;
    state.canned = r.data.canned;
    fillCannedSelect();
    renderCannedList();
  }
  /** The open conversation's language ("en", "zh"), null when none is open. */
  function openLanguage() {
    return state.view && state.view.conversation ? state.view.conversation.language : null;
  }
  /** The canned replies for the open conversation's language (and those for any language). */
  function fillCannedSelect() {
    const select = $("canned");
    select.textContent = "";
    select.appendChild(new Option("Insert a canned reply…", ""));
    for (const c of window.ConsoleShortcuts.forLanguage(state.canned, openLanguage())) {
      select.appendChild(new Option(c.title, String(c.id)));
    }
  }
  function renderCannedList() {
    const ul = $("canned-list");
    ul.textContent = "";
    if (!state.canned.length) ul.appendChild(el("li", "muted", "No canned replies yet."));
    for (const c of state.canned) {
      const li = el("li");
      li.appendChild(el("span", null, c.title));
      if (c.language) li.appendChild(el("span", "muted", " · " + ({ en: "English", zh: "中文" }[c.language] || c.language)));
      const edit = el("button", null, "Edit");
      edit.type = "button";
      edit.setAttribute("aria-label", "Edit " + c.title);
      edit.addEventListener("click", () => {
        $("canned-id").value = String(c.id);
        $("canned-name").value = c.title;
        $("canned-text").value = c.text;
        $("canned-language").value = c.language || "";
        $("canned-name").focus();
      });
      const del = el("button", null, "Delete");
      del.type = "button";
      del.setAttribute("aria-label", "Delete " + c.title);
      del.addEventListener("click", async () => {
        // shared with the whole team: gone from everyone's console, no undo
        if (!confirm("Delete the canned reply “" + c.title + "” for everyone?")) return;
        const r = await api("DELETE", "/canned/" + c.id);
        if (!r.res || (!r.res.ok && r.res.status !== 404)) $("canned-error").textContent = errorText(r, "Could not delete.");
        loadCanned();
      });
      // shared replies: their author, supervisors and admins change them (the server checks it too)
      const mine = state.me && (c.created_by === state.me.id || state.me.role === "supervisor" || state.me.role === "admin");
      if (mine) {
        li.appendChild(edit);
        li.appendChild(del);
      }
      ul.appendChild(li);
    }
  }
  function resetCannedForm() {
    $("canned-id").value = "";
    $("canned-name").value = "";
    $("canned-text").value = "";
    $("canned-language").value = "";
    $("canned-error").textContent = "";
  }
  async function saveCanned(ev) {
    ev.preventDefault();
    const id = $("canned-id").value;
    const body = { title: $("canned-name").value, text: $("canned-text").value, language: $("canned-language").value || null };
    const r = id ? await api("PUT", "/canned/" + id, body) : await api("POST", "/canned", body);
    if (!r.res || !r.res.ok) return ($("canned-error").textContent = errorText(r, "Could not save."));
    resetCannedForm();
    loadCanned();
  }

  // ---- actions -----------------------------------------------------------------------------
  const path = (suffix) => "/conversations/" + encodeURIComponent(state.open) + suffix;
  async function act(suffix, body, after) {
    showError("");
    const r = await api("POST", path(suffix), body || {});
    if (!r.res || !r.res.ok) {
      showError(errorText(r, "That did not work (" + (r.res ? r.res.status : "offline") + ")."));
      return null;
    }
    if (after) after(r.data);
    return r.data;
  }
  /** Claim the open chat. The auto-assigner may have given it to this agent a moment before the click (an agent
   * coming online sees the waiting chat and clicks Claim as it arrives): that chat is theirs, shown as claimed, not
   * "not waiting in the queue (someone may have claimed it)" in red over their own chat (walkthrough 2026-12-06). */
  async function claim() {
    const id = state.open;
    const claimed = (view) => {
      if (state.viewName === "unassigned") setView("mine");
      renderView(view, false);
      refreshChats();
      loadSuggestions();
      $("reply").focus();
    };
    showError("");
    const r = await api("POST", path("/claim"), {});
    if (r.res && r.res.ok) return claimed(r.data);
    if (r.res && r.res.status === 409) {
      const now = await api("GET", "/conversations/" + encodeURIComponent(id));
      const c = now.res && now.res.ok ? now.data.conversation : null;
      if (id === state.open && c && c.mode === "agent" && state.me && c.assignee === state.me.id) return claimed(now.data);
    }
    if (id === state.open) showError(errorText(r, "That did not work (" + (r.res ? r.res.status : "offline") + ")."));
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }
  async function sendReply(ev) {
    ev.preventDefault();
    const box = $("reply");
    const text = box.value.trim();
    if (!text || !state.open) return;
    const id = state.open;
    $("send").disabled = true;
    const sending = act("/messages", { text, client_message_id: newId() });
    state.sending = sending; // Resolve, Hand back and Transfer wait for it
    const sent = await sending;
    if (state.sending === sending) state.sending = null;
    $("send").disabled = false;
    if (sent && state.open !== id) drafts.delete(id); // sent from a chat the agent has left meanwhile
    else if (sent) {
      box.value = "";
      appendMessage(sent, false);
      state.sentTyping = 0;
    }
    box.focus();
  }
  function typing() {
    const now = Date.now();
    if (!state.open || !state.view || !state.view.can_act || now - state.sentTyping < TYPING_SEND_MS) return;
    state.sentTyping = now;
    if (state.ws && state.ws.readyState === WebSocket.OPEN) {
      state.ws.send(JSON.stringify({ type: "typing", conversation_id: state.open, typing: true }));
    }
  }
  async function addNote(ev) {
    ev.preventDefault();
    const text = $("note").value.trim();
    if (!text || !state.open) return;
    const note = await act("/notes", { text });
    if (note) {
      $("note").value = "";
      appendNote(note);
    }
  }
  function finish(data) {
    closeConversation("The conversation was " + outcome(data.mode, data.team) + ".");
    refreshChats();
    return data;
  }

  // ---- follow-ups: tasks after a low rating or an unresolved handoff (helpdesk/conversation/followups.py) -------
  const FOLLOW_UP_REASONS = {
    low_rating: "Low rating",
    handed_back: "Handed back unresolved",
    abandoned: "Left waiting in the queue",
  };
  const followUps = { list: [], open: null, timer: null };
  const SENDER_WORDS = { customer: "Customer", bot: "Bot", system: "System" };
  const supervising = () => !!state.me && (state.me.role === "supervisor" || state.me.role === "admin");
  function startFollowUps() {
    $("unanswered-link").hidden = !supervising();
    loadFollowUps();
  }
  async function loadFollowUps() {
    const status = $("followups-filter").value;
    const r = await api("GET", "/followups" + (status ? "?status=" + encodeURIComponent(status) : ""));
    if (!r.res || !r.res.ok) return;
    followUps.list = r.data.follow_ups || [];
    renderFollowUps();
  }
  function scheduleFollowUps() {
    clearTimeout(followUps.timer);
    followUps.timer = setTimeout(loadFollowUps, 200);
  }
  function followUpChanged(ev) {
    scheduleFollowUps();
    if (followUps.open === ev.follow_up_id && $("followup-dialog").open) openFollowUp(ev.follow_up_id);
  }
  function renderFollowUps() {
    const list = $("followups");
    list.textContent = "";
    for (const f of followUps.list) {
      const li = el("li", f.status === "done" ? "fu-done" : null);
      li.tabIndex = 0;
      li.dataset.followUp = String(f.id);
      const line = el("div", "line1");
      line.appendChild(el("span", "reason", FOLLOW_UP_REASONS[f.reason] || f.reason));
      line.appendChild(el("span", null, f.status === "done" ? "done" : f.assignee_name ? f.assignee_name : "unassigned"));
      li.appendChild(line);
      // the detail is the helpdesk's own words ("Bruno Keller handed it back"): translated, unlike a customer's preview
      const why = el("div", "preview-line", f.detail || "");
      if (f.comments) why.append(el("span", null, " · " + f.comments + (f.comments === 1 ? " comment" : " comments")));
      li.appendChild(why);
      li.addEventListener("click", () => openFollowUp(f.id));
      li.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          openFollowUp(f.id);
        }
      });
      list.appendChild(li);
    }
    $("followups-count").textContent = String(followUps.list.filter((f) => f.status === "open").length);
    $("followups-empty").hidden = followUps.list.length > 0;
  }
  async function openFollowUp(id) {
    $("followup-error").textContent = "";
    const r = await api("GET", "/followups/" + id);
    if (!r.res || !r.res.ok) return ($("followup-error").textContent = errorText(r, "Could not open the follow-up."));
    followUps.open = id;
    renderFollowUp(r.data);
    if (!$("followup-dialog").open) $("followup-dialog").showModal();
  }
  function renderFollowUp(f) {
    $("followup-title").textContent = "Follow-up · " + (FOLLOW_UP_REASONS[f.reason] || f.reason);
    const dl = $("followup-facts");
    dl.textContent = "";
    if (!(f.rating && f.reason === "low_rating")) fact(dl, "Why", f.detail); // a low rating's detail is its Rating
    fact(dl, "Opened", new Date(f.created_at).toLocaleString());
    fact(dl, "Status", f.status + (f.done_by_name ? " · by " + f.done_by_name : ""));
    fact(dl, "Assigned to", f.assignee_name || "nobody yet");
    if (f.rating) fact(dl, "Rating", f.rating.score + "/5" + (f.rating.comment ? " · " + f.rating.comment : ""));
    if (f.rating && f.rating.agent_name) {
      fact(dl, "Agent rated", f.rating.agent_name); // whose help the customer rated: a name, never translated
      dl.lastChild.dataset.userContent = "";
    }
    fact(dl, "Conversation", f.conversation_id);
    if (f.customer_name) {
      fact(dl, "Customer", f.customer_name); // who to get back to, as the bot verified them: a name, never translated
      dl.lastChild.dataset.userContent = "";
    }
    const select = $("followup-assignee");
    select.textContent = "";
    select.appendChild(new Option("Nobody", ""));
    for (const a of state.agents) select.appendChild(new Option(a.display_name + " (" + a.role + ")", String(a.id)));
    select.value = f.assignee == null ? "" : String(f.assignee);
    for (const id of ["followup-assignee", "followup-assign"]) $(id).hidden = !supervising();
    $("followup-done").hidden = f.status === "done";
    $("followup-reopen").hidden = f.status !== "done";
    const log = $("followup-transcript");
    log.textContent = "";
    for (const m of f.transcript) {
      const li = el("li");
      // the transcript is skipped by i18n.js (what people wrote): who said it is the console's word, translated here
      const who = m.sender === "agent" ? m.author || "Agent" : SENDER_WORDS[m.sender] || m.sender;
      li.appendChild(el("span", "who", (window.ConsoleI18n ? window.ConsoleI18n.t(who) : who) + ": "));
      li.appendChild(messageText(m.sender, m.text));
      log.appendChild(li);
    }
    const comments = $("followup-comments");
    comments.textContent = "";
    for (const c of f.comments_list) {
      const li = el("li", null, c.text);
      li.appendChild(el("span", "by", c.author + " · " + new Date(c.created_at).toLocaleString()));
      comments.appendChild(li);
    }
    window.ConsoleMail.followUp(f.id); // e-mail the customer (agent-mail.js)
  }
  async function followUpAction(suffix, body) {
    if (followUps.open == null) return;
    $("followup-error").textContent = "";
    const r = await api("POST", "/followups/" + followUps.open + suffix, body);
    if (!r.res || !r.res.ok) return ($("followup-error").textContent = errorText(r, "That did not work."));
    if (suffix === "/comments") {
      $("followup-comment").value = "";
      return openFollowUp(followUps.open);
    }
    renderFollowUp(r.data);
    loadFollowUps();
  }
  function wireFollowUps() {
    $("followups-filter").addEventListener("change", loadFollowUps);
    $("followup-assign").addEventListener("click", () => {
      const value = $("followup-assignee").value;
      followUpAction("/assign", { agent_id: value ? Number(value) : null });
    });
    $("followup-done").addEventListener("click", () => followUpAction("/status", { status: "done" }));
    $("followup-reopen").addEventListener("click", () => followUpAction("/status", { status: "open" }));
    $("followup-comment-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const text = $("followup-comment").value.trim();
      if (text) followUpAction("/comments", { text });
    });
    $("followup-close").addEventListener("click", () => $("followup-dialog").close());
    $("followup-dialog").addEventListener("close", () => window.ConsoleMail.reset());
    $("followup-dialog").addEventListener("close", () => (followUps.open = null));
    setInterval(() => {
      if (state.me) loadFollowUps();
    }, 60000);
  }

  // ---- real time ---------------------------------------------------------------------------
  function connect() {
    if (!state.me) return;
    clearTimeout(state.retryTimer);
    const url = new URL(API + "/ws", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("after", String(state.lastId));
    const ws = new WebSocket(url.href);
    state.ws = ws;
    setConn("connecting…", false);
    ws.addEventListener("message", (e) => {
      let ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      if (ws === state.ws) handle(ev);
    });
    ws.addEventListener("close", (e) => {
      if (ws !== state.ws) return;
      state.ws = null;
      if (!state.me) return;
      if (e.code === 4401) { showLogin(); return; } // the session ended (logout elsewhere, account disabled)
      setConn("reconnecting…", false);
      const delay = Math.min(15000, 500 * 2 ** state.retry++);
      state.retryTimer = setTimeout(() => {
        connect();
        refreshChats();
        if (state.open) openConversation(state.open);
      }, delay);
    });
  }
  function disconnect() {
    clearTimeout(state.retryTimer);
    const ws = state.ws;
    state.ws = null;
    if (ws) ws.close();
  }
  function setConn(text, live) {
    $("conn").textContent = text;
    $("conn").classList.toggle("live", live);
  }
  function handle(ev) {
    switch (ev.type) {
      case "queue":
        setQueue(ev.conversations);
        break;
      case "ready":
        state.retry = 0;
        state.lastId = Math.max(state.lastId, ev.last_id || 0);
        setConn("live", true);
        window.ConsoleTeam.live(); // this console is open now: the team list said "console closed" for it
        break;
      case "message": {
        const m = ev.message;
        state.lastId = Math.max(state.lastId, m.id);
        rememberArrived(ev.conversation_id, m);
        if (ev.conversation_id === state.open) {
          if (state.view) state.view.messages.push(m);
          appendMessage(m, m.sender === "customer");
          if (m.sender === "customer") {
            $("customer-typing").hidden = true;
            scheduleSuggestions();
            markSeen(); // on screen: read (its card shows no count, here or in the agent's other consoles)
          }
        } else if (m.sender === "customer") {
          state.unread.set(ev.conversation_id, (state.unread.get(ev.conversation_id) || 0) + 1);
        }
        // a waiting customer wrote again: their queue card quotes the new line
        if (m.sender === "customer" && state.queue.some((q) => q.conversation_id === ev.conversation_id)) scheduleQueue();
        if (m.sender === "customer" && (state.mine || []).some((c) => c.conversation_id === ev.conversation_id) &&
            (ev.conversation_id !== state.open || document.visibilityState !== "visible")) {
          const chat = state.mine.find((c) => c.conversation_id === ev.conversation_id);
          window.ConsoleAlerts.notice("reply", ev.conversation_id,
            "Reply from " + ((chat && chat.customer_name) || "the customer"), m.text, openConversation);
        }
        scheduleChats();
        break;
      }
      case "typing":
        if (ev.who === "customer" && ev.conversation_id === state.open) {
          $("customer-typing").hidden = !ev.typing;
          clearTimeout(state.customerTyping);
          state.customerTyping = setTimeout(() => ($("customer-typing").hidden = true), CUSTOMER_TYPING_MS);
        }
        break;
      case "note":
        if (ev.conversation_id === state.open) appendNote(ev.note);
        break;
      case "context":
        if (ev.conversation_id === state.open) updateTurn(ev.message_id, ev.faq_candidates);
        break;
      case "labels":
        window.ConsoleFind.changed(ev);
        scheduleChats();
        loadQueue();
        break;
      case "seen": // the agent read a chat in another of their consoles: its count goes here too, and its reply
        // alert in the page title unless the customer wrote again since
        if (state.me && ev.agent_id === state.me.id) {
          const lines = (state.arrived.get(ev.conversation_id) || []).filter((m) => m.sender === "customer");
          if (!lines.length || ev.message_id >= lines[lines.length - 1].id) window.ConsoleAlerts.seen(ev.conversation_id);
          scheduleChats();
        }
        break;
      case "follow_up":
        followUpChanged(ev);
        break;
      case "agent_status":
      case "agent_presence": // a console opened or closed: the team list's "console closed"
        window.ConsoleTeam.changed(ev);
        loadAgents();
        break;
      case "conversation":
        scheduleChats();
        loadAgents();
        if (ev.conversation_id === state.open) {
          const supervisor = state.me && state.me.role !== "agent";
          const stillMine = ev.mode === "queued" || (ev.mode === "agent" && ev.assignee === state.me.id);
          if (stillMine || (supervisor && ev.mode === "agent")) openConversation(state.open);
          else {
            closeConversation("The conversation was " + outcome(ev.mode) + ".");
          }
        }
        break;
      default:
        break;
    }
  }

  // ---- wiring ------------------------------------------------------------------------------
  function init() {
    followTranscript();
    document.addEventListener("visibilitychange", markSeen); // back at this console: the open chat's new lines are read
    $("login-form").addEventListener("submit", login);
    $("logout").addEventListener("click", logout);
    $("queue-close-junk").addEventListener("click", closeJunk);
    $("claim").addEventListener("click", claim);
    // a reply typed and not sent is lost when the chat leaves the agent: the customer never reads it (the staff
    // walkthrough of 2026-12-07: "I have refunded the second charge…" typed, then Resolve: gone, without a word)
    // A reply on its way (Enter, then Resolve at once) is not unsent: it is waited for, so it reaches the customer
    // before the chat leaves the agent.
    const keepsUnsent = async () => {
      if (state.sending) await state.sending;
      return !!$("reply").value.trim() && !confirm("Your reply has not been sent: the customer will not read it. Go on without sending it?");
    };
    $("resolve").addEventListener("click", async () => {
      if (await keepsUnsent()) return;
      act("/resolve", {}, finish);
    });
    $("handback").addEventListener("click", async () => {
      if (await keepsUnsent()) return;
      // the bot answers only what is written after it is back: a last customer message with no reply would stay
      // unanswered (the walkthrough: "will it come today?", then "You're back with our virtual assistant")
      const said = [...$("transcript").querySelectorAll("li.msg.customer, li.msg.agent, li.msg.bot")].pop();
      const unanswered = said && said.classList.contains("customer");
      const ask = "The customer's last message has no reply yet, and the bot won't answer it. Hand back anyway?";
      if (unanswered && !confirm(ask)) return;
      act("/handback", {}, finish);
    });
    $("transfer").addEventListener("click", async () => {
      const target = $("transfer-to").value;
      if (!target) return showError("Pick an agent or a team to transfer to.");
      if (await keepsUnsent()) return;
      const [kind, value] = [target.slice(0, target.indexOf(":")), target.slice(target.indexOf(":") + 1)];
      act("/transfer", kind === "agent" ? { agent_id: Number(value) } : { team: value }, finish);
    });
    $("reply-form").addEventListener("submit", sendReply);
    $("reply").addEventListener("input", typing);
    $("reply").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        $("reply-form").requestSubmit();
      }
    });
    $("canned").addEventListener("change", async () => {
      const c = state.canned.find((x) => String(x.id) === $("canned").value);
      $("canned").value = "";
      if (!c) return;
      // filled from the conversation as a "/" shortcut is (agent-shortcuts.js); a placeholder left is selected
      const start = insertReply(await window.ConsoleShortcuts.filled(c));
      window.ConsoleShortcuts.selectPlaceholder($("reply"), start);
    });
    $("edit-canned").addEventListener("click", () => {
      resetCannedForm();
      renderCannedList();
      $("canned-dialog").showModal();
    });
    $("canned-form").addEventListener("submit", saveCanned);
    $("canned-new").addEventListener("click", resetCannedForm);
    $("canned-close").addEventListener("click", () => $("canned-dialog").close());
    $("note-form").addEventListener("submit", addNote);
    window.ConsoleOrders.init(api, () => supervising());
    window.ConsoleAlerts.init();
    window.ConsoleFind.init(api, {
      open: openConversation,
      supervising,
      refilter: () => { renderQueue(); renderChats(); },
    });
    $("back-to-lists").addEventListener("click", () => closeConversation());
    $("done-note").addEventListener("click", () => { $("done-note").hidden = true; });
    for (const v of VIEWS) $("view-" + v).addEventListener("click", () => setView(v));
    window.ConsoleTeam.init(api);
    window.ConsoleMail.init(api, () => ({ open: state.open, csrf: state.csrf })); // mail + files (agent-mail.js)
    window.ConsoleCorrections.init(api);
    window.ConsoleShortcuts.init(() => state.open, openLanguage); // "/" canned replies (agent-shortcuts.js)
    wireFollowUps();
    setInterval(() => {
      if (state.me) renderQueue();
    }, 15000);
    setInterval(() => {
      if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send('{"type":"ping"}');
    }, 25000);
    api("GET", "/me").then((r) => (r.res && r.res.ok ? start(r.data) : showLogin()));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
