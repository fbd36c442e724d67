/*! Larkspur helpdesk agent console: the customer and their orders in the context panel, and the order changes an
 * agent makes from there (cancel, change the delivery address, start a return), each shown as a summary first
 * and done only on "Confirm" (helpdesk/conversation/desk_orders.py). Data goes on the page with textContent only. */
(function () {
  "use strict";

  const { $, el, errorText } = window.ConsoleCommon;
  const TIERS = { vip: "VIP", standard: "Standard" };
  const OUTCOMES = { done: "done", refused: "refused by the order system", failed: "failed (order system down)" };
  const ACTION_NAMES = { cancel: "Cancelled", change_address: "Changed the address of", return: "Started a return for",
    resend_tracking: "Sent the tracking of" };
  const st = { api: null, conversationId: null, panel: null, change: null, order: null, action: null, loading: 0,
    lookups: {} };

  const base = () => "/conversations/" + encodeURIComponent(st.conversationId);
  const longDate = (iso) => {
    const d = new Date(iso.length === 10 ? iso + "T12:00:00" : iso);
    return isNaN(d) ? iso : d.toLocaleDateString([], { weekday: "short", day: "numeric", month: "short" });
  };

  let supervises = () => false;
  function init(api, supervising) {
    st.api = api;
    if (supervising) supervises = supervising;
    $("order-cancel").addEventListener("click", () => $("order-dialog").close());
    $("order-form").addEventListener("submit", submit);
    $("lookup-form").addEventListener("submit", lookup);
    $("order-dialog").addEventListener("close", () => {
      st.change = null;
      st.order = null;
    });
  }

  // ---- the panel ---------------------------------------------------------------------------
  async function show(conversationId) {
    if (conversationId !== st.conversationId) {
      $("customer").replaceChildren(el("p", "muted loading", "Loading the customer and their orders…")); // not blank
      $("orders").textContent = "";
    }
    st.conversationId = conversationId;
    const ticket = ++st.loading;
    const r = await st.api("GET", base() + "/customer");
    if (ticket !== st.loading || conversationId !== st.conversationId) return;
    $("orders-error").textContent = "";
    if (!r.res || !r.res.ok) {
      $("customer").textContent = "";
      $("orders-error").textContent = errorText(r, "Could not load the customer's orders.");
      return;
    }
    const looked = st.lookups[conversationId];
    st.panel = !r.data.identity.verified && looked ? { ...looked, history: r.data.history } : r.data;
    render(st.panel);
  }
  // the agent looks the customer up by e-mail or order number: read only, and the lookup is logged with their name
  async function lookup(ev) {
    ev.preventDefault();
    const value = $("lookup-value").value.trim();
    if (!value || !st.conversationId) return;
    // an order number as agents write it ("#100234", "100 234"); anything else without an @ is neither: say what
    // to type, not the API's field names
    const number = value.replace(/^#/, "").replace(/\s+/g, "");
    if (!value.includes("@") && !/^\d{4,12}$/.test(number)) {
      $("lookup-error").textContent = "Type the customer's e-mail address or an order number (digits, like 100234).";
      return;
    }
    const body = value.includes("@") ? { email: value } : { order_number: number };
    const id = st.conversationId;
    const r = await st.api("POST", base() + "/lookup", body);
    if (id !== st.conversationId) return;
    if (!r.res || !r.res.ok) {
      $("lookup-error").textContent = errorText(r, "Nothing found.");
      return show(id);
    }
    $("lookup-error").textContent = "";
    $("lookup-value").value = "";
    st.lookups[id] = r.data;
    st.panel = r.data;
    render(r.data);
  }
  function hide() {
    st.conversationId = null;
    st.loading++;
    if ($("order-dialog").open) $("order-dialog").close();
  }

  function render(p) {
    const who = $("customer");
    who.textContent = "";
    const id = p.identity;
    const head = el("div", "cust-head");
    const known = id.verified || id.looked_up;
    head.appendChild(el("strong", null, known ? id.name || "Customer " + id.customer_id : "Unknown customer"));
    if (id.tier) head.appendChild(el("span", "badge " + (id.tier === "vip" ? "vip" : ""), TIERS[id.tier] || id.tier));
    who.appendChild(head);
    if (id.email) who.appendChild(el("div", "muted", id.email));
    who.appendChild(el("div", "verified " + (id.verified ? "yes" : "no"), id.in_words));
    $("lookup-form").hidden = !!id.verified || !(p.can_act || supervises());
    if (p.error) $("orders-error").textContent = p.error;

    const list = $("orders");
    list.textContent = "";
    const done = p.history || [];
    if (done.length) {
      const li = el("li", "order-history");
      li.appendChild(el("div", "label", "Changes made in this chat"));
      for (const h of done) {
        const at = new Date(h.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        const what = h.action === "lookup"
          ? "Looked up " + ((h.request && (h.request.email || "order " + h.request.order_number)) || "a customer") +
            (h.outcome === "done" ? "" : " (nothing found)")
          : (ACTION_NAMES[h.action] || h.action) + " order " + h.order_number;
        const line = what + " · " +
          (h.agent_name || "agent") + " · " + at +
          (h.outcome !== "done" && h.action !== "lookup" ? " · " + (OUTCOMES[h.outcome] || h.outcome) : "");
        li.appendChild(el("div", "hist " + h.outcome, line));
      }
      list.appendChild(li);
    }
    if (known && !p.orders.length && !p.error) list.appendChild(el("li", "muted", "No orders yet."));
    // photos the bot asked for: on their order's card; those for no order shown here go first (agent-mail.js)
    const shown = new Set(p.orders.map((o) => o.number));
    const loose = (p.photos || []).filter((ph) => !shown.has(ph.order_number));
    if (loose.length) {
      const li = el("li", "order-history");
      window.ConsoleMail.photos(li, loose);
      list.appendChild(li);
    }
    for (const o of p.orders) list.appendChild(card(o));
  }

  function card(o) {
    const li = el("li", "order-card status-" + o.status);
    li.dataset.order = o.number;
    const top = el("div", "order-top");
    top.appendChild(el("strong", null, "Order " + o.number));
    top.appendChild(el("span", "order-status", o.status_words));
    li.appendChild(top);
    if (o.in_chat) {
      // the order the bot verified the customer with: what this chat is about, first in the list
      li.classList.add("in-chat");
      li.insertBefore(el("div", "order-in-chat", "In this chat"), top);
    }
    const facts = el("dl", "facts");
    const fact = (k, v) => {
      if (v == null || v === "") return;
      facts.appendChild(el("dt", null, k));
      facts.appendChild(el("dd", null, v));
    };
    fact("Placed", longDate(o.placed_at));
    if (o.expected_delivery && ["paid", "packed", "shipped", "placed"].includes(o.status)) fact("Expected", longDate(o.expected_delivery));
    if (o.delivered_at) fact("Delivered", longDate(o.delivered_at));
    if (o.carrier) fact("Carrier", o.carrier + (o.tracking_number ? " · " + o.tracking_number : ""));
    if (o.return_until) fact("Return until", longDate(o.return_until));
    fact("Ships to", o.ship_to);
    fact("Total", o.total);
    li.appendChild(facts);
    const items = el("ul", "order-items");
    for (const i of o.items) {
      const row = el("li");
      row.appendChild(el("span", null, i.quantity + " × " + i.name + (i.final_sale ? " (final sale)" : "")));
      row.appendChild(el("span", "num", i.line_total));
      items.appendChild(row);
    }
    li.appendChild(items);
    // replacements the bot booked for damaged or wrong goods: sent again at no cost, no refund
    for (const r of o.replacements || []) {
      const box = el("div", "order-replacement");
      const what = r.items.map((i) => i.quantity + " × " + i.name).join(", ");
      box.appendChild(el("strong", null, "Replacement"));
      box.appendChild(el("span", null, r.rma + " · " + r.reason_words + " · " + longDate(r.created_at)));
      box.appendChild(el("div", null, what));
      li.appendChild(box);
    }
    if (o.tracking_url && /^https?:\/\//.test(o.tracking_url)) {
      const a = el("a", "track", "Tracking");
      a.href = o.tracking_url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      li.appendChild(a);
    }
    window.ConsoleMail.photos(li, ((st.panel && st.panel.photos) || []).filter((ph) => ph.order_number === o.number));
    const actions = el("div", "order-actions");
    for (const a of o.actions) {
      const b = el("button", null, a.label);
      b.type = "button";
      b.dataset.action = a.action;
      b.disabled = !a.allowed;
      b.title = a.allowed ? a.label + " " + o.number : a.why_not || "";
      b.setAttribute("aria-label", a.label + ", order " + o.number + (a.allowed ? "" : " (not possible: " + a.why_not + ")"));
      b.addEventListener("click", () => begin(o, a.action));
      actions.appendChild(b);
    }
    li.appendChild(actions);
    const why = o.actions.filter((a) => !a.allowed && a.why_not);
    if (why.length && st.panel && st.panel.can_act) {
      const more = el("details", "why-not");
      more.appendChild(el("summary", null, "Why some actions are off"));
      for (const a of why) {
        // the action's name a text of its own, so it is in the staff member's language as on its button (one
        // text "Start a return: 订单 100257 …" was no key of the console's catalog: English beside Chinese); the
        // reason as the order rules give it, in the conversation's language (what the customer reads)
        const line = el("div");
        line.appendChild(el("span", "action", a.label));
        line.appendChild(document.createTextNode(": "));
        line.appendChild(el("span", "reason", a.why_not));
        more.appendChild(line);
      }
      li.appendChild(more);
    }
    return li;
  }

  // ---- a change: the form (address, items), the summary, then confirm ------------------------
  function begin(order, action) {
    st.order = order;
    st.action = action;
    st.change = null;
    $("order-error").textContent = "";
    $("order-summary").textContent = "";
    const fields = $("order-fields");
    fields.textContent = "";
    fields.hidden = false;
    if (action === "change_address") {
      $("order-title").textContent = "New delivery address for order " + order.number;
      const name = (st.panel && st.panel.identity.name) || "";
      for (const [key, label, value] of [
        ["name", "Name", name], ["street", "Street and number", ""], ["postcode", "Postcode", ""],
        ["city", "City", ""], ["country", "Country (2-letter code)", ""],
      ]) {
        const id = "addr-" + key;
        const lab = el("label", null, label);
        lab.htmlFor = id;
        const input = el("input");
        input.id = id;
        input.name = key;
        input.maxLength = key === "country" ? 2 : 120;
        input.required = true;
        input.value = value;
        fields.appendChild(lab);
        fields.appendChild(input);
      }
      $("order-submit").textContent = "Review";
      $("order-dialog").showModal();
      return;
    }
    if (action === "return") {
      $("order-title").textContent = "What comes back from order " + order.number + "?";
      for (const i of order.items) {
        if (i.final_sale) continue;
        const row = el("div", "return-item");
        const id = "ret-" + i.sku;
        const box = el("input");
        box.type = "checkbox";
        box.id = id;
        box.checked = true;
        box.dataset.sku = i.sku;
        const lab = el("label", null, i.name);
        lab.htmlFor = id;
        const pieces = document.createElement("select");
        pieces.dataset.sku = i.sku;
        pieces.setAttribute("aria-label", "Pieces of " + i.name);
        for (let n = i.quantity; n >= 1; n--) pieces.appendChild(new Option(n + " of " + i.quantity, String(n)));
        row.appendChild(box);
        row.appendChild(lab);
        row.appendChild(pieces);
        fields.appendChild(row);
      }
      $("order-submit").textContent = "Review";
      $("order-dialog").showModal();
      return;
    }
    $("order-title").textContent = "Order " + order.number;
    $("order-submit").textContent = "Checking…";
    $("order-dialog").showModal();
    review();
  }

  function body() {
    if (st.action === "change_address") {
      const address = {};
      for (const key of ["name", "street", "postcode", "city", "country"]) address[key] = $("addr-" + key).value.trim();
      return { address };
    }
    if (st.action === "return") {
      const items = {};
      for (const box of $("order-fields").querySelectorAll("input[type=checkbox]")) {
        if (!box.checked) continue;
        const pieces = $("order-fields").querySelector('select[data-sku="' + CSS.escape(box.dataset.sku) + '"]');
        items[box.dataset.sku] = Number(pieces.value);
      }
      return { items };
    }
    return {};
  }

  async function review() {
    $("order-error").textContent = "";
    const b = body();
    if (st.action === "return" && !Object.keys(b.items).length) {
      $("order-error").textContent = "Tick at least one item.";
      return;
    }
    $("order-submit").disabled = true;
    const r = await st.api("POST", base() + "/orders/" + st.order.number + "/" + st.action + "/preview", b);
    $("order-submit").disabled = false;
    if (!r.res || !r.res.ok) {
      $("order-error").textContent = errorText(r, "The order system could not price this change.");
      $("order-submit").textContent = st.action === "cancel" ? "Try again" : "Review";
      return;
    }
    st.change = { body: b, summary: r.data };
    summary(r.data);
  }

  function summary(s) {
    const box = $("order-summary");
    box.textContent = "";
    box.appendChild(el("p", "sum-title", s.title));
    const ul = el("ul", "sum-lines");
    for (const line of s.lines || []) ul.appendChild(el("li", null, line));
    box.appendChild(ul);
    const dl = el("dl", "facts");
    for (const [k, v] of Object.entries(s.facts || {})) {
      dl.appendChild(el("dt", null, k));
      dl.appendChild(el("dd", null, v));
    }
    box.appendChild(dl);
    box.appendChild(el("p", "muted", "The customer sees a note in the chat with your name."));
    $("order-fields").hidden = true;
    $("order-submit").textContent = { cancel: "Confirm cancellation", change_address: "Confirm new address", return: "Confirm return",
      resend_tracking: "Send the tracking" }[s.action];
  }

  async function submit(ev) {
    ev.preventDefault();
    if (!st.change) return review();
    $("order-submit").disabled = true;
    const r = await st.api("POST", base() + "/orders/" + st.order.number + "/" + st.action, {
      ...st.change.body,
      confirm: st.change.summary.confirm,
    });
    $("order-submit").disabled = false;
    if (!r.res || !r.res.ok) {
      $("order-error").textContent = errorText(r, "That did not work.");
      if (r.res && r.res.status === 409 && r.data && r.data.summary) {
        st.change = { body: st.change.body, summary: r.data.summary };
        summary(r.data.summary);
      }
      return;
    }
    $("order-dialog").close();
    $("order-fields").hidden = false;
    show(st.conversationId);
  }

  window.ConsoleOrders = Object.freeze({ init, show, hide });
})();
