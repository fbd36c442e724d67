/* The console's e-mail and file parts (issue 21, helpdesk/mail/, helpdesk/files/): in a follow-up task, "E-mail the
 * customer" writes the follow-up (回访) from a draft in the customer's language (GET/POST
 * /api/agent/followups/<id>/email); a photo or PDF in a conversation shows as a thumbnail or a link.
 * agent.js calls ConsoleMail.init(api) once, ConsoleMail.followUp(id) whenever a task is shown and
 * ConsoleMail.attachment(li, attachment) for a file message; agent-orders.js calls ConsoleMail.photos(box, photos) for
 * the photos the bot asked the customer for. */
(function () {
  "use strict";
  const { $, el, errorText } = window.ConsoleCommon;
  let api = null;
  let current = () => ({ open: null, csrf: "" }); // the open conversation and the session's CSRF token
  let shownFor = null;

  function section() {
    let box = $("followup-mail");
    if (box) return box;
    box = el("section", "fu-mail");
    box.id = "followup-mail";
    box.setAttribute("aria-labelledby", "followup-mail-title");
    const title = el("h3", null, "E-mail the customer");
    title.id = "followup-mail-title";
    const to = el("p", "muted");
    to.id = "followup-mail-to";
    const label = el("label", "sr", "Message to the customer");
    label.htmlFor = "followup-mail-text";
    const text = el("textarea");
    text.id = "followup-mail-text";
    text.rows = 4;
    text.maxLength = 5000;
    const send = el("button", "primary", "Send e-mail");
    send.type = "button";
    send.id = "followup-mail-send";
    const status = el("p", "muted");
    status.id = "followup-mail-status";
    status.setAttribute("role", "status");
    box.append(title, to, label, text, send, status);
    const comments = $("followup-comments");
    comments.parentNode.insertBefore(box, comments.previousElementSibling); // above the "Comments" heading
    send.addEventListener("click", sendMail);
    return box;
  }

  async function followUp(id) {
    if (!api) return;
    const box = section();
    if (shownFor === id) return; // a refresh of the same task keeps what the agent is writing
    shownFor = id;
    $("followup-mail-status").textContent = "";
    const r = await api("GET", "/followups/" + id + "/email");
    if (!r.res || !r.res.ok || !r.data) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const ready = r.data.enabled && r.data.to;
    $("followup-mail-to").textContent = !r.data.enabled
      ? "E-mail is not set up on this helpdesk."
      : r.data.to ? "To: " + r.data.to : "No e-mail address on file for this customer.";
    $("followup-mail-text").value = r.data.text || "";
    $("followup-mail-text").disabled = !ready;
    $("followup-mail-send").disabled = !ready;
  }

  async function sendMail() {
    const text = $("followup-mail-text").value.trim();
    if (!text || shownFor == null) return;
    $("followup-mail-send").disabled = true;
    const r = await api("POST", "/followups/" + shownFor + "/email", { text });
    $("followup-mail-send").disabled = false;
    if (!r.res || !r.res.ok) {
      $("followup-mail-status").textContent = errorText(r, "The e-mail could not be queued.");
      return;
    }
    $("followup-mail-status").textContent = r.data.queued
      ? "Queued for " + r.data.to + "; it is also in the comments."
      : "This text was already sent to " + r.data.to + ".";
  }

  function reset() { shownFor = null; }

  /** A file message: its thumbnail (a link to the full photo) or a PDF link, read through the staff's own API. */
  function attachment(li, att) {
    const m = /^api\/chat\/([^/]+)\/attachments\/(\d+)$/.exec(String(att && att.url));
    if (!m) return;
    const url = "/api/agent/conversations/" + m[1] + "/attachments/" + m[2];
    const a = el("a", "file");
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    if (att.kind === "image") {
      const img = el("img");
      img.src = url + "?thumb=1";
      img.alt = "Photo from the conversation";
      img.loading = "lazy";
      img.style.cssText = "display:block;max-width:240px;max-height:240px;border-radius:8px;margin-top:4px";
      a.appendChild(img);
    } else a.textContent = "📄 Open the PDF";
    li.appendChild(a);
    if (li.classList.contains("customer")) refreshPanel();
  }

  /** The photos the customer sent when the bot asked for one (a return, a damaged or a wrong item), on the card of
   * the order they are about (agent-orders.js): thumbnails linking to the full photo, with what they are for. */
  function photos(box, list) {
    if (!list || !list.length) return;
    const strip = el("div", "order-photos");
    const title = el("div", "label", "Photos from the customer");
    title.style.cssText = "font-size:12px;font-weight:600;color:#55596b;margin-top:6px";
    strip.appendChild(title);
    const row = el("div");
    row.style.cssText = "display:flex;flex-wrap:wrap;gap:6px;margin:4px 0";
    for (const p of list) {
      if (!/^\/api\/agent\/conversations\/[^/]+\/attachments\/\d+$/.test(String(p.url))) continue;
      const a = el("a", "file");
      a.href = p.url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.title = p.filename + " · " + p.purpose_words;
      a.setAttribute("aria-label", p.filename + " · " + p.purpose_words);
      if (p.kind === "image") {
        const img = el("img");
        img.src = p.url + "?thumb=1";
        img.alt = "Photo from the customer";
        img.loading = "lazy";
        img.style.cssText = "display:block;width:96px;height:96px;object-fit:cover;border-radius:6px;border:1px solid #ddd";
        a.appendChild(img);
      } else a.textContent = "📄 " + p.filename;
      row.appendChild(a);
    }
    strip.appendChild(row);
    box.appendChild(strip);
  }

  // a file arriving in the open conversation may be a requested photo: the order panel reloads (once per burst)
  let panelTimer = null;
  function refreshPanel() {
    if (panelTimer || !window.ConsoleOrders) return;
    panelTimer = setTimeout(() => {
      panelTimer = null;
      const { open } = current();
      if (open) window.ConsoleOrders.show(open);
    }, 300);
  }

  /** "Attach" beside the canned replies: the agent sends a photo or PDF into the open conversation. */
  function mountUpload() {
    const tools = document.querySelector("#reply-form .tools");
    if (!tools || $("attach-file")) return;
    const input = el("input");
    input.type = "file";
    input.id = "attach-input";
    input.accept = "image/jpeg,image/png,image/webp,application/pdf";
    input.hidden = true;
    const button = el("button");
    // "Attach" on a phone, where the long name left the canned-reply select "Insert a…" (agent-find.css)
    button.append(el("span", "wide", "Attach photo or PDF"), el("span", "narrow", "Attach"));
    button.setAttribute("aria-label", "Attach photo or PDF");
    button.title = "Attach photo or PDF";
    button.type = "button";
    button.id = "attach-file";
    tools.append(button, input);
    button.addEventListener("click", () => input.click());
    input.addEventListener("change", async () => {
      const file = input.files && input.files[0];
      input.value = "";
      const { open, csrf } = current();
      if (!file || !open) return;
      $("action-error").textContent = "";
      button.disabled = true;
      let res = null, data = null;
      try {
        res = await fetch("/api/agent/conversations/" + encodeURIComponent(open) + "/attachments", {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRF-Token": csrf, "X-Filename": encodeURIComponent(file.name), "Content-Type": file.type || "application/octet-stream" },
          body: file,
        });
        data = await res.json().catch(() => null);
      } catch (e) { res = null; }
      button.disabled = false;
      if (!res || !res.ok) $("action-error").textContent = (data && data.error) || "The file could not be sent.";
    });
  }

  function init(a, state) {
    api = a;
    if (state) current = state;
    mountUpload();
  }

  window.ConsoleMail = Object.freeze({ init, followUp, reset, attachment, photos });
})();
