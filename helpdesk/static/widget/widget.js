/*! Larkspur helpdesk chat widget — vanilla JS, no dependencies.
 * Embed: <script src="https://helpdesk.example/widget.js" async></script>
 * Optional attributes: data-title, data-greeting (each also per language: data-title-zh, data-title-zh-hant,
 * data-title-en, chosen by the widget's language before the plain one), data-open="true", data-color, data-lang, and
 * data-customer-token: the shop's signed id of its logged-in customer (HMAC, made on the shop's
 * server with the shared IDENTITY_SECRET), so the bot does not have to ask who they are.
 * Page elements with a data-open-chat attribute open the chat when clicked (a non-empty value starts the message).
 * Every word the widget shows comes from one table, STRINGS (one block per language: en, zh, and zh-Hant for
 * traditional Chinese, chosen by the page's lang zh-TW / zh-HK / zh-Hant or the chat API's `script`).
 * Security: customer, bot and agent text is untrusted. It never goes through innerHTML: customer text is
 * set as text; bot and agent messages go through a small Markdown renderer (renderMarkdown) that builds
 * elements from a fixed list (p, br, strong, em, code, ul, ol, li, a) with createElement and text
 * nodes, and makes links only of URLs that parse as http:, https: or mailto:.
 * The log always shows the start of each new reply, on any screen size, unless the customer scrolled up
 * to read: then a "new message" pill takes them down to it.
 * While a person handles the chat (queued / agent) a WebSocket brings their messages, typing and the
 * queue position live; it resumes after the last message id it saw, and HTTP polling takes over
 * whenever the socket is unavailable. The queue position is a message in the conversation, renewed as
 * it changes; what the customer writes while waiting is acknowledged once per burst. After an agent
 * resolves the chat, a 1-5 rating is asked. Each bot answer asks "Did this help?" (once).
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
  const API_START = new URL("api/chat/start", BASE).href;
  const KEY = "larkspur-chat.conversation";
  const OPEN_KEY = "larkspur-chat.open";
  const MAX = 2000;
  const POLL_MS = 2000;
  const BURST_NEXT_MS = 500; // a line in flight this long has reached the service (see enqueue)
  const TYPING_SHOW_MS = 6000; // an agent's typing indicator without news fades after this
  const TYPING_SEND_MS = 2000; // at most one "customer is typing" signal per this interval
  const WS_GIVE_UP = [4400, 4403, 4404]; // the server refuses this socket: poll instead
  const TIMEOUT_MS = 60000;
  const ACK_QUIET_MS = 120000; // messages to a waiting team within this of the last acknowledgement: one burst
  const GAP = 8; // px left above a reply scrolled to the top of the log
  const attr = (n) => script.getAttribute("data-" + n);

  // ---- every word shown, per language (en, zh: the page's <html lang> or data-lang picks; Chinese while the
  // customer writes Chinese on any page: followLanguage) ----
  const STRINGS = {
    en: {
      title: "Chat with us",
      greeting: "Hi! How can we help you today?",
      openChat: "Open chat",
      openChatUnread: "Open chat ({n} new)",
      closeChat: "Close chat",
      talkToPerson: "Talk to a person",
      yourMessage: "Your message",
      placeholder: "Type your message…",
      placeholderRephrase: "Ask in other words…",
      sendMessage: "Send message",
      assistant: "Assistant",
      agent: "Agent",
      assistantTyping: "The assistant is typing",
      personTyping: "{name} is typing",
      statusBot: "Virtual assistant",
      statusQueued: "Waiting for a person…",
      statusAgent: "You're chatting with our team",
      statusClosed: "Conversation closed",
      awayQueuedBack: "Our team is away · back {back}",
      awayQueued: "Our team is away right now",
      awayBotBack: "Virtual assistant · our team is back {back}",
      awayBot: "Virtual assistant · our team is away",
      queueNext: "You're next in the queue",
      queueNumber: "You're number {n} in the queue",
      aboutMinute: "about a minute",
      aboutMinutes: "about {n} minutes",
      queueMessageNext: "You're next in the queue{wait}. A member of our team will join this chat here.",
      queueMessageNumber: "You're number {n} in the queue{wait}. A member of our team will join this chat here.",
      queueMessageEmail: "We'll answer you by e-mail. You can close this page; if you stay, the answer also appears here.",
      queueWait: " · wait {wait}",
      ackNext: "Got it — it's with the team; you're next.",
      ackNumber: "Got it — it's with the team; you're number {n}.",
      ackAway: "Got it — it's with the team; they're back {back}.",
      ackPlain: "Got it — it's with the team.",
      suggestedReplies: "Suggested replies",
      topics: "Topics",
      sending: "Sending…",
      received: "Received",
      notSent: "Not sent — ",
      retry: "retry",
      retryLabel: "Retry sending this message",
      tryAgain: "Try again",
      tryAgainLabel: "Try sending again",
      noServer: "We couldn't reach the server. Check your connection and try again.",
      expired: "Your previous conversation has expired — starting a new one.",
      receivedTitle: "We've received your message.",
      botDown: "Our assistant is unavailable right now, so a member of our team will look at it soon.",
      oneMoment: "One moment…",
      botRestarting: "Our assistant is restarting. Your message is saved, and the answer will appear here as soon as it's back.",
      tooFast: "You're sending messages too quickly — please wait a moment.",
      serverError: "Something went wrong on our side ({status}).",
      notSentStatus: "The message could not be sent ({status}).",
      newMessage: "New message",
      newMessages: "{n} new messages",
      readMore: "Read more",
      helpLink: "Help centre: {topic}",
      helpfulQuestion: "Did this help?",
      helpfulYes: "Yes, this helped",
      helpfulNo: "No, this didn't help",
      helpfulThanks: "Thanks for letting us know!",
      notHelpfulSorry: "Sorry about that. What would you like to do?",
      askAnotherWay: "Ask another way",
      askAnotherWayHint: "Sure — try asking in other words, and I'll look again.",
      feedbackFailed: "That didn't go through; please try again.",
      ratingTitle: "How did we do?",
      ratingGroup: "Rate the help you got, from 1 to 5 stars",
      ratingStar: "{n} star",
      ratingStars: "{n} stars",
      ratingComment: "Anything to add? (optional)",
      ratingCommentLabel: "Comment (optional)",
      ratingSend: "Send rating",
      ratingThanks: "Thank you for your feedback!",
      ratingSorry: "We're sorry we let you down.",
      ratingFollowUp:
        "We've opened a follow-up for our team: someone will review this conversation and get back to you. " +
        "You can also write here any time.",
      ratingFailed: "Could not send your rating; please try again.",
      leaveTitle: "Leave us a message",
      leaveName: "Your name (optional)",
      leaveEmail: "Your e-mail, for our answer (optional)",
      leaveText: "Your message",
      leavePlaceholder: "What can we help you with?",
      leaveSend: "Send message",
      leaveBadEmail: "Please check your e-mail address (or leave it empty).",
      leaveFailed: "Could not send your message; please try again.",
    },
    zh: {
      title: "在线客服",
      greeting: "您好！今天有什么可以帮您？",
      openChat: "打开聊天",
      openChatUnread: "打开聊天（{n} 条新消息）",
      closeChat: "关闭聊天",
      talkToPerson: "转人工客服",
      yourMessage: "您的消息",
      placeholder: "请输入消息…",
      placeholderRephrase: "换个说法问问…",
      sendMessage: "发送消息",
      assistant: "智能助手",
      agent: "客服",
      assistantTyping: "智能助手正在输入",
      personTyping: "{name} 正在输入",
      statusBot: "智能助手",
      statusQueued: "正在等待人工客服…",
      statusAgent: "您正在与我们的客服交谈",
      statusClosed: "对话已结束",
      awayQueuedBack: "客服团队暂时不在 · {back}回来",
      awayQueued: "客服团队现在不在线",
      awayBotBack: "智能助手 · 客服团队{back}回来",
      awayBot: "智能助手 · 客服团队不在线",
      queueNext: "下一位就是您",
      queueNumber: "您排在第 {n} 位",
      aboutMinute: "约 1 分钟",
      aboutMinutes: "约 {n} 分钟",
      queueMessageNext: "下一位就是您{wait}。客服人员会在这里加入对话。",
      queueMessageNumber: "您在队列中排第 {n} 位{wait}。客服人员会在这里加入对话。",
      queueMessageEmail: "我们会通过邮件回复您。您可以关闭此页面；如果您留在这里，回复也会显示在这里。",
      queueWait: " · 预计等待{wait}",
      ackNext: "收到，已转给客服团队；下一位就是您。",
      ackNumber: "收到，已转给客服团队；您排在第 {n} 位。",
      ackAway: "收到，已转给客服团队；他们将于{back}回来。",
      ackPlain: "收到，已转给客服团队。",
      suggestedReplies: "推荐回复",
      topics: "常见问题",
      sending: "发送中…",
      received: "已送达",
      notSent: "发送失败 — ",
      retry: "重试",
      retryLabel: "重新发送这条消息",
      tryAgain: "再试一次",
      tryAgainLabel: "再次发送",
      noServer: "无法连接到服务器。请检查网络后重试。",
      expired: "之前的对话已过期，正在开始新的对话。",
      receivedTitle: "我们已收到您的消息。",
      botDown: "智能助手暂时无法使用，我们的客服人员会尽快查看。",
      oneMoment: "请稍候…",
      botRestarting: "智能助手正在重启。您的消息已保存，恢复后回答会显示在这里。",
      tooFast: "您发送消息太快了，请稍等片刻。",
      serverError: "我们这边出了点问题（{status}）。",
      notSentStatus: "消息无法发送（{status}）。",
      newMessage: "新消息",
      newMessages: "{n} 条新消息",
      readMore: "阅读全文",
      helpLink: "帮助中心：{topic}",
      helpfulQuestion: "这个回答有帮助吗？",
      helpfulYes: "有帮助",
      helpfulNo: "没有帮助",
      helpfulThanks: "感谢您的反馈！",
      notHelpfulSorry: "很抱歉。您接下来想怎么做？",
      askAnotherWay: "换个问法",
      askAnotherWayHint: "好的，请换个说法问问，我再找一找。",
      feedbackFailed: "没有提交成功，请再试一次。",
      ratingTitle: "您对这次服务满意吗？",
      ratingGroup: "请为本次服务评分，1 到 5 星",
      ratingStar: "{n} 星",
      ratingStars: "{n} 星",
      ratingComment: "还有什么想说的吗？（选填）",
      ratingCommentLabel: "评价（选填）",
      ratingSend: "提交评分",
      ratingThanks: "感谢您的评价！",
      ratingSorry: "很抱歉让您失望了。",
      ratingFollowUp: "我们已为团队创建了跟进任务：会有专人查看这次对话并回复您。您也可以随时在这里留言。",
      ratingFailed: "评分提交失败，请再试一次。",
      leaveTitle: "给我们留言",
      leaveName: "您的称呼（选填）",
      leaveEmail: "您的邮箱，用于接收回复（选填）",
      leaveText: "留言内容",
      leavePlaceholder: "请问有什么可以帮您？",
      leaveSend: "发送留言",
      leaveBadEmail: "请检查您的邮箱地址（或留空）。",
      leaveFailed: "留言发送失败，请再试一次。",
    },
    // zh-Hant: the zh table in traditional characters with Taiwan usage (線上客服, 訊息, 傳送, 則), converted once and
    // checked by hand; the assistant keeps its name 智能助手, as the bot's own (s2tw-converted) replies call it
    "zh-Hant": {
      title: "線上客服",
      greeting: "您好！今天有什麼可以幫您？",
      openChat: "開啟聊天",
      openChatUnread: "開啟聊天（{n} 則新訊息）",
      closeChat: "關閉聊天",
      talkToPerson: "轉人工客服",
      yourMessage: "您的訊息",
      placeholder: "請輸入訊息…",
      placeholderRephrase: "換個說法問問…",
      sendMessage: "傳送訊息",
      assistant: "智能助手",
      agent: "客服",
      assistantTyping: "智能助手正在輸入",
      personTyping: "{name} 正在輸入",
      statusBot: "智能助手",
      statusQueued: "正在等待人工客服…",
      statusAgent: "您正在與我們的客服交談",
      statusClosed: "對話已結束",
      awayQueuedBack: "客服團隊暫時不在 · {back}回來",
      awayQueued: "客服團隊目前不在線上",
      awayBotBack: "智能助手 · 客服團隊{back}回來",
      awayBot: "智能助手 · 客服團隊不在線上",
      queueNext: "下一位就是您",
      queueNumber: "您排在第 {n} 位",
      aboutMinute: "約 1 分鐘",
      aboutMinutes: "約 {n} 分鐘",
      queueMessageNext: "下一位就是您{wait}。客服人員會在這裡加入對話。",
      queueMessageNumber: "您在佇列中排第 {n} 位{wait}。客服人員會在這裡加入對話。",
      queueMessageEmail: "我們會透過電子郵件回覆您。您可以關閉此頁面；如果您留在這裡，回覆也會顯示在這裡。",
      queueWait: " · 預計等待{wait}",
      ackNext: "收到，已轉給客服團隊；下一位就是您。",
      ackNumber: "收到，已轉給客服團隊；您排在第 {n} 位。",
      ackAway: "收到，已轉給客服團隊；他們將於{back}回來。",
      ackPlain: "收到，已轉給客服團隊。",
      suggestedReplies: "建議回覆",
      topics: "常見問題",
      sending: "傳送中…",
      received: "已送達",
      notSent: "傳送失敗 — ",
      retry: "重試",
      retryLabel: "重新傳送這則訊息",
      tryAgain: "再試一次",
      tryAgainLabel: "再次傳送",
      noServer: "無法連線到伺服器。請檢查網路後重試。",
      expired: "之前的對話已過期，正在開始新的對話。",
      receivedTitle: "我們已收到您的訊息。",
      botDown: "智能助手暫時無法使用，我們的客服人員會盡快查看。",
      oneMoment: "請稍候…",
      botRestarting: "智能助手正在重新啟動。您的訊息已儲存，恢復後回答會顯示在這裡。",
      tooFast: "您傳送訊息太快了，請稍等片刻。",
      serverError: "我們這邊出了點問題（{status}）。",
      notSentStatus: "訊息無法傳送（{status}）。",
      newMessage: "新訊息",
      newMessages: "{n} 則新訊息",
      readMore: "閱讀全文",
      helpLink: "說明中心：{topic}",
      helpfulQuestion: "這個回答有幫助嗎？",
      helpfulYes: "有幫助",
      helpfulNo: "沒有幫助",
      helpfulThanks: "感謝您的回饋！",
      notHelpfulSorry: "很抱歉。您接下來想怎麼做？",
      askAnotherWay: "換個問法",
      askAnotherWayHint: "好的，請換個說法問問，我再找一找。",
      feedbackFailed: "沒有送出成功，請再試一次。",
      ratingTitle: "您對這次服務滿意嗎？",
      ratingGroup: "請為本次服務評分，1 到 5 星",
      ratingStar: "{n} 星",
      ratingStars: "{n} 星",
      ratingComment: "還有什麼想說的嗎？（選填）",
      ratingCommentLabel: "評價（選填）",
      ratingSend: "送出評分",
      ratingThanks: "感謝您的評價！",
      ratingSorry: "很抱歉讓您失望了。",
      ratingFollowUp: "我們已為團隊建立後續追蹤任務：會有專人查看這次對話並回覆您。您也可以隨時在這裡留言。",
      ratingFailed: "評分送出失敗，請再試一次。",
      leaveTitle: "給我們留言",
      leaveName: "您的稱呼（選填）",
      leaveEmail: "您的電子郵件，用於接收回覆（選填）",
      leaveText: "留言內容",
      leavePlaceholder: "請問有什麼可以幫您？",
      leaveSend: "送出留言",
      leaveBadEmail: "請檢查您的電子郵件地址（或留空）。",
      leaveFailed: "留言送出失敗，請再試一次。",
    },
  };
  /** The table for a language tag: zh-Hant for traditional Chinese (zh-TW, zh-HK, zh-MO, zh-Hant…; zh-Hans-HK is
   *  simplified), zh for any other Chinese, en; null for a language without a table. */
  const pickLang = (l) => {
    const tag = String(l || "").toLowerCase().replace(/_/g, "-");
    const base = tag.split("-")[0];
    if (base === "zh") return /^zh-(?!hans\b)(?:.*-)?(?:hant|tw|hk|mo)\b/.test(tag) ? "zh-Hant" : "zh";
    return STRINGS[base] ? base : null;
  };
  const chinese = () => LANG !== "en";
  const PAGE_LANG = pickLang(attr("lang")) || pickLang(document.documentElement.lang) || "en";
  let LANG = PAGE_LANG;
  let WORDS = STRINGS[LANG];
  /** The string `key` of the table, with {name} placeholders filled from `vars`. */
  function t(key, vars) {
    const s = WORDS[key] != null ? WORDS[key] : STRINGS.en[key] != null ? STRINGS.en[key] : key;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] != null ? String(vars[k]) : m)) : s;
  }

  /** A data- attribute in the widget's language, for a shop whose customers write both: data-NAME-zh-hant,
   *  data-NAME-zh (any Chinese) or data-NAME-en before data-NAME ("Larkspur Home 客服" beside "Larkspur Home help"). */
  const localAttr = (n) => {
    const tags = LANG === "zh-Hant" ? ["zh-hant", "zh"] : [LANG];
    for (const tag of tags) {
      const v = attr(n + "-" + tag);
      if (v) return v;
    }
    return attr(n);
  };
  const title = () => localAttr("title") || t("title");
  const greeting = () => localAttr("greeting") || t("greeting");
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
  // the language the conversation in this browser was last in (a reload keeps the widget's words in it)
  const SPOKEN_KEY = "larkspur-chat.language";
  if (store.get(KEY) && pickLang(store.get(SPOKEN_KEY))) {
    LANG = pickLang(store.get(SPOKEN_KEY));
    WORDS = STRINGS[LANG];
  }

  const CSS_TEXT = `
:host{all:initial}
*,*::before,*::after{box-sizing:border-box}
.root{--a:${ACCENT};font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2430}
button{font:inherit;cursor:pointer}
.launcher{position:fixed;right:20px;bottom:20px;width:58px;height:58px;border-radius:50%;border:0;background:var(--a);color:#fff;
 box-shadow:0 6px 20px rgba(20,20,50,.3);display:flex;align-items:center;justify-content:center;z-index:2147483000;transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.launcher:focus-visible,.panel button:focus-visible,.panel a:focus-visible{outline:3px solid #f5b84b;outline-offset:2px}
.launcher svg{width:28px;height:28px}.root.open .launcher .ic,.launcher .ix{display:none}.root.open .launcher .ix{display:block}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#d93f3f;color:#fff;font-size:12px;
 font-weight:700;line-height:20px;text-align:center}
.panel{position:fixed;right:20px;bottom:90px;width:380px;height:min(620px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;
 border-radius:16px;box-shadow:0 16px 48px rgba(20,20,50,.28);overflow:hidden;z-index:2147483001}
[hidden]{display:none!important}
.head{flex:none;background:var(--a);color:#fff;padding:12px 12px 12px 16px;display:flex;align-items:center;gap:10px}
.head .ttl{flex:1;min-width:0}
.head h2{margin:0;font-size:16px;font-weight:600;line-height:1.25;overflow-wrap:anywhere}
.head .st{font-size:12px;opacity:.88}
.head .st::before{content:"";display:inline-block;width:7px;height:7px;border-radius:50%;background:#6ee7a0;margin-right:6px;vertical-align:1px}
.head .st.away::before{background:#c9c7d8}
.human{background:rgba(255,255,255,.16);color:#fff;border:1px solid rgba(255,255,255,.5);border-radius:16px;padding:4px 10px;font-size:12px;white-space:nowrap}
.human:hover{background:rgba(255,255,255,.28)}
.close{background:transparent;border:0;color:#fff;width:32px;height:32px;border-radius:50%;display:flex;align-items:center;justify-content:center}
.close:hover{background:rgba(255,255,255,.18)}
.logwrap{position:relative;flex:1 1 0;min-height:0;display:flex;flex-direction:column}
.log{position:relative;flex:1 1 0;min-height:0;overflow-y:auto;padding:14px 12px;display:flex;flex-direction:column;gap:10px;background:#f6f5f9;
 overscroll-behavior:contain;-webkit-overflow-scrolling:touch}
.log>*{flex:none}
.pill{position:absolute;left:50%;bottom:12px;transform:translateX(-50%);background:var(--a);color:#fff;border:0;border-radius:16px;
 padding:6px 14px;font-size:13px;font-weight:600;box-shadow:0 4px 14px rgba(20,20,50,.3);white-space:nowrap}
.msg{display:flex;flex-direction:column;max-width:86%;align-self:flex-start;align-items:flex-start}
.msg.customer{align-self:flex-end;align-items:flex-end}
.msg.system{align-self:center;align-items:center;max-width:92%}
.lbl{display:flex;align-items:center;gap:6px;font-size:11px;color:#6b6f80;margin:0 6px 3px;font-weight:600;letter-spacing:.02em}
.agent .lbl{color:#18794e}.msg.cont>.lbl{display:none}.msg.cont{margin-top:-5px}
.av{flex:none;width:22px;height:22px;border-radius:50%;background:#18794e;color:#fff;font-size:10px;font-weight:700;display:flex;align-items:center;
 justify-content:center;overflow:hidden;letter-spacing:0}
.av img{width:100%;height:100%;object-fit:cover}
.text{padding:8px 12px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word;max-width:100%}
.text.md{white-space:normal}
.md p{margin:0 0 .55em}.md p:last-child,.md ul:last-child,.md ol:last-child{margin-bottom:0}
.md ul,.md ol{margin:.2em 0 .55em;padding-left:1.3em}.md li{margin:.1em 0}
.md code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:rgba(0,0,0,.06);border-radius:4px;padding:0 3px}
.md .h{font-weight:700}
.customer .text{background:var(--a);color:#fff;border-bottom-right-radius:5px}
.bot .text{background:#fff;border:1px solid #e2e1ea;border-bottom-left-radius:5px}
.agent .text{background:#e3f5ea;border:1px solid #b4e0c5;border-bottom-left-radius:5px}
.system .text{color:#6b6f80;font-size:12px;text-align:center;padding:2px 8px}
.notice .text{background:#fff7e6;border:1px solid #f3d9a4;color:#6b4a00;border-radius:10px;font-size:13px;padding:8px 10px}
.notice .text b{display:block}
.info .text{background:#eef0fb;border:1px solid #cfd3f2;color:#2f3470;border-radius:10px;font-size:13px;padding:8px 10px;text-align:left}
.text a{color:inherit;text-decoration:underline}
.bot .text a,.agent .text a{color:#3a33a0}
.card{display:flex;flex-direction:column;gap:1px;margin-top:6px;padding:7px 11px;border:1px solid #dcdaea;border-left:3px solid var(--a);border-radius:10px;
 background:#fff;color:#1f2430;text-decoration:none;max-width:100%}
.card:hover{background:#f4f3fb}.card small{font-size:11px;color:#6b6f80;text-transform:uppercase;letter-spacing:.04em}.card span{font-weight:600;color:#3a33a0}
.time{font-size:10.5px;color:#8a8d9c;margin:2px 6px 0}
.system .time{display:none}
.meta{font-size:11px;color:#8a8d9c;margin:3px 6px 0}.customer .meta{text-align:right}
.failed .text{opacity:.75}
.failed .meta{color:#b42318}
.meta .err{display:block}
.link{background:none;border:0;padding:0;color:#b42318;text-decoration:underline;font-size:inherit;font-weight:600}
.notice .link{color:#6b4a00}
.quick{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.quick button{background:#fff;color:var(--a);border:1.5px solid var(--a);border-radius:16px;padding:5px 12px;font-size:13px;text-align:left}
.quick button:hover{background:var(--a);color:#fff}
.fb{display:flex;align-items:center;flex-wrap:wrap;gap:6px;margin:4px 6px 0;font-size:11.5px;color:#6b6f80}
.fb button.vote{background:#fff;color:#55596b;border:1px solid #d8d6e6;border-radius:12px;padding:2px 9px;display:inline-flex;align-items:center}
.fb button.vote.down svg{transform:rotate(180deg)}
.fb button.vote:hover{border-color:var(--a)}
.fb button.vote[aria-pressed=true]{border-color:var(--a);background:#eeecfa}
.fb .quick{margin-top:2px}
.fb .err{color:#b42318}
.typing{align-self:flex-start;background:#fff;border:1px solid #e2e1ea;border-radius:16px;border-bottom-left-radius:5px;padding:11px 14px;display:flex;gap:4px}
.typing i{width:7px;height:7px;border-radius:50%;background:#9a9cb0;animation:ld 1.2s infinite ease-in-out}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes ld{0%,60%,100%{transform:translateY(0);opacity:.5}30%{transform:translateY(-5px);opacity:1}}
.foot{flex:none;border-top:1px solid #e7e6ee;background:#fff;padding:10px 10px 8px}
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
 .panel{top:0;left:0;right:0;bottom:0;width:100%;height:100%;max-height:none;border-radius:0}
 .root.open .launcher{display:none}
}
@media (prefers-reduced-motion:reduce){.typing i{animation:none}.launcher{transition:none}}
`;

  const ICON_CHAT =
    '<svg class="ic" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"/></svg>';
  const ICON_X =
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"><path d="M6 6l12 12M18 6L6 18"/></svg>';
  const ICON_THUMB =
    '<svg viewBox="0 0 24 24" width="15" height="15" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M7 10v11H3V10h4zm0 0 4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.3 8A2 2 0 0 1 18.2 21H7"/></svg>';
  const ICON_SEND =
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="currentColor"><path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg>';

  // Static markup only (no data, no words: those are set as text in mount()).
  const TEMPLATE = `<style>${CSS_TEXT}</style>
<div class="root">
 <button class="launcher" type="button" aria-expanded="false" aria-controls="lk-panel">${ICON_CHAT}${ICON_X.replace("<svg", '<svg class="ix"')}<span class="badge" hidden></span></button>
 <section class="panel" id="lk-panel" role="dialog" aria-modal="false" aria-labelledby="lk-title" hidden>
  <div class="head">
   <div class="ttl"><h2 id="lk-title"></h2><div class="st" aria-live="polite"></div></div>
   <button class="human" type="button"></button>
   <button class="close" type="button">${ICON_X}</button>
  </div>
  <div class="logwrap">
   <div class="log" role="log" aria-live="polite" aria-relevant="additions" tabindex="-1">
    <div class="typing" role="status" aria-live="polite" hidden><i></i><i></i><i></i></div>
   </div>
   <button class="pill" type="button" hidden></button>
  </div>
  <form class="foot">
   <div class="row">
    <label class="sr" for="lk-input"></label>
    <textarea id="lk-input" rows="1" maxlength="${MAX}"></textarea>
    <button class="send" type="submit" disabled>${ICON_SEND}</button>
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
    // where to resume from: the last id up to which the widget has every message (from the database: the
    // transcript, a poll, a socket's replay). Live messages do not move it: one published while Redis was down
    // may never have reached this process, and a higher id seen live must not hide it on resume.
    resumeId: null,
    byId: new Map(),
    entries: [], // {id, sender, text, el, meta, status, payload, local, author, at}
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
    queueNote: null, // the queue message in the log {entry, text}
    awaitingBot: null, // the "one moment" notice while a message waits for the assistant to come back
    ack: null, // the last acknowledgement of a message sent to the waiting team {entry, at}
    rating: null, // the rating prompt entry
    rateTyped: null, // (score) => the rating prompt's stars picked and sent
    sendPickedRating: null, // () => the rating prompt's picked stars sent (a promise), or null when none is picked
    hours: null, // {open, next_open, time_zone, back}: whether the team is in
    hoursTimer: null,
    topics: [], // the bot greeting's buttons, offered under the widget's own greeting
    leftAt: null, // when this customer left a message for the team (this handoff)
    offline: null, // the leave-a-message form entry
    loaded: false,
    quick: null,
    intro: null,
    unread: 0,
    open: false,
    // scrolling: follow = the customer reads the newest reply (not scrolled up to read older ones)
    follow: true,
    anchor: null, // the element whose start was last brought into view
    pending: null, // the first reply of a batch still to be brought into view
    autoTop: null, // the scrollTop we set last (its scroll event is not the customer's)
    unseen: [], // replies that arrived while the customer was reading further up
  };

  const norm = (t) => String(t == null ? "" : t).replace(/\s+/g, " ").trim();
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };

  // ---- Markdown → elements (whitelist; never innerHTML) ---------------------------------------
  const SAFE_PROTOCOLS = ["http:", "https:", "mailto:"];
  function safeUrl(raw) {
    try {
      const u = new URL(String(raw));
      return SAFE_PROTOCOLS.includes(u.protocol) ? u : null;
    } catch (e) { return null; }
  }
  function link(url, label) {
    const a = el("a", null, label);
    a.href = url.href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  /** A bare URL's label: our own help-centre articles by their topic, never the raw local address. */
  function urlLabel(url, raw) {
    const m = url.origin === BASE.origin && /^\/help\/([A-Za-z0-9_-]{1,80})\/?$/.exec(url.pathname);
    return m ? t("helpLink", { topic: m[1].replace(/[-_]+/g, " ") }) : raw;
  }
  // a bare address's characters: it ends at a space, a quote, or Chinese (an ideograph or full-width punctuation), which
  // goes on without a space ("物流链接（https://…tracking-id=JVGL…）联系 DHL": the link took "）联系", a broken tracking id)
  const URL_CHARS = "[^\\s<>\"'`\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef]{1,2000}";
  const BARE_URL = "https?:\\/\\/" + URL_CHARS;
  /** A bare URL as written in a sentence: trailing punctuation (and an unbalanced ")") stays outside the link. */
  function bareUrl(raw) {
    let href = raw.replace(/[.,;:!?'"。，；：！？、）]+$/, "");
    while (href.endsWith(")") && (href.match(/\(/g) || []).length < (href.match(/\)/g) || []).length) {
      href = href.slice(0, -1);
    }
    return href;
  }
  /** Plain text with its bare http(s) addresses as links, nothing else read as Markdown: the helpdesk's own notes
   * ("… sent you the tracking: DHL … Follow it here: https://…"), which quote what customers typed. */
  function linkedText(parent, text) {
    const re = new RegExp(BARE_URL, "g");
    let i = 0, m;
    while ((m = re.exec(text))) {
      const href = bareUrl(m[0]);
      const url = safeUrl(href);
      if (!url) continue;
      if (m.index > i) parent.appendChild(document.createTextNode(text.slice(i, m.index)));
      parent.appendChild(link(url, urlLabel(url, href)));
      i = m.index + href.length;
      re.lastIndex = i;
    }
    if (i < text.length) parent.appendChild(document.createTextNode(text.slice(i)));
  }
  // code span | [label](url "title") | <url> | bare url | **strong** | __strong__ | *em* | _em_ | \escape
  const INLINE = new RegExp(
    [
      "(`+)([^`\\n]+?)\\1",
      "\\[([^\\]\\n]{1,300})\\]\\(\\s*<?([^\\s<>()]{1,2000})>?(?:\\s+\"[^\"\\n]{0,300}\")?\\s*\\)",
      "<((?:https?|mailto):[^\\s<>]{1,2000})>",
      "((?:https?:\\/\\/|mailto:)" + URL_CHARS + ")",
      "\\*\\*(?=\\S)([^\\n]{0,1000}?\\S)\\*\\*",
      "__(?=\\S)([^\\n]{0,1000}?\\S)__(?![\\w_])",
      "\\*(?=[^\\s*])([^*\\n]{0,1000}?[^\\s*])\\*(?![\\w*])",
      "_(?=[^\\s_])([^_\\n]{0,1000}?[^\\s_])_(?![\\w_])",
      "\\\\([\\\\`*_{}\\[\\]()#+\\-.!>|~])",
    ].join("|"),
    "g"
  );
  function inline(parent, text, depth, inLink) {
    const re = new RegExp(INLINE.source, "g");
    let i = 0, m;
    const put = (node, start, end) => {
      if (start > i) parent.appendChild(document.createTextNode(text.slice(i, start)));
      parent.appendChild(node);
      i = end;
      re.lastIndex = end;
    };
    while ((m = re.exec(text))) {
      const start = m.index;
      // _em_, __strong__ and *em* start at a word's start only (snake_case and 2*3*4 stay as they are)
      if ((m[8] != null || m[9] != null || m[10] != null) && start > 0 && /[\w*]/.test(text[start - 1])) {
        re.lastIndex = start + 1;
        continue;
      }
      if (m[1] != null) {
        put(el("code", null, m[2]), start, start + m[0].length);
      } else if (m[3] != null) {
        const url = safeUrl(m[4]);
        if (!url || inLink) continue; // not a link we make: shown as it was written
        const a = link(url, "");
        inline(a, m[3], depth + 1, true);
        put(a, start, start + m[0].length);
      } else if (m[5] != null || m[6] != null) {
        const raw = m[5] != null ? m[5] : m[6];
        let whole = m[0];
        let href = raw;
        if (m[6] != null) {
          href = bareUrl(raw);
          whole = href;
        }
        const url = safeUrl(href);
        if (!url || inLink) continue;
        put(link(url, urlLabel(url, href)), start, start + whole.length);
      } else if (m[7] != null || m[8] != null) {
        const strong = el("strong");
        if (depth < 4) inline(strong, m[7] != null ? m[7] : m[8], depth + 1, inLink);
        else strong.textContent = m[7] != null ? m[7] : m[8];
        put(strong, start, start + m[0].length);
      } else if (m[9] != null || m[10] != null) {
        const em = el("em");
        if (depth < 4) inline(em, m[9] != null ? m[9] : m[10], depth + 1, inLink);
        else em.textContent = m[9] != null ? m[9] : m[10];
        put(em, start, start + m[0].length);
      } else if (m[11] != null) {
        put(document.createTextNode(m[11]), start, start + m[0].length);
      }
    }
    if (i < text.length) parent.appendChild(document.createTextNode(text.slice(i)));
  }
  const BULLET = /^\s{0,6}([-*+•])\s+(.*)$/;
  const NUMBERED = /^\s{0,6}(\d{1,4})[.)]\s+(.*)$/;
  const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
  /** Chat Markdown as elements: paragraphs (a line break stays a line break), bullet and numbered lists,
   * headings (bold lines), **strong**, *em*, `code`, [titled](https://links) and bare URLs. */
  function renderMarkdown(parent, source) {
    const lines = String(source).replace(/\r\n?/g, "\n").split("\n");
    let para = null, list = null, item = null;
    const endBlock = () => { para = null; list = null; item = null; };
    for (const line of lines) {
      if (!line.trim()) { endBlock(); continue; }
      const bullet = BULLET.exec(line), numbered = !bullet && NUMBERED.exec(line);
      if (bullet || numbered) {
        const kind = bullet ? "ul" : "ol";
        if (!list || list.tagName.toLowerCase() !== kind) {
          para = null;
          list = el(kind);
          if (numbered && numbered[1] !== "1") list.start = Number(numbered[1]);
          parent.appendChild(list);
        }
        item = el("li");
        inline(item, (bullet || numbered)[2], 0, false);
        list.appendChild(item);
        continue;
      }
      if (item && /^\s{2,}/.test(line)) { // an indented line goes on with the list item
        item.appendChild(el("br"));
        inline(item, line.trim(), 0, false);
        continue;
      }
      const heading = HEADING.exec(line);
      if (heading) {
        endBlock();
        const h = el("p", "h");
        inline(h, heading[1], 0, false);
        parent.appendChild(h);
        continue;
      }
      list = null;
      item = null;
      if (!para) { para = el("p"); parent.appendChild(para); }
      else para.appendChild(el("br"));
      inline(para, line.trim(), 0, false);
    }
  }

  // The handbook editor's preview (/agent/handbook) loads this script with data-markdown-only: the chat's own
  // Markdown renderer and styles, without a chat.
  if (attr("markdown-only") != null) {
    // assistantIn(lang): the bot's label as a chat in that language shows it (the editor previews both versions)
    const assistantIn = (lang) => (STRINGS[lang] || STRINGS.en).assistant;
    window.LarkspurChatMarkdown = Object.freeze({
      render: renderMarkdown, css: CSS_TEXT, assistant: t("assistant"), assistantIn,
    });
    return;
  }

  // ---- time ----------------------------------------------------------------------------------
  let clockFmt = null, dayFmt = null;
  function makeClocks() {
    try {
      clockFmt = new Intl.DateTimeFormat(LANG, { hour: "2-digit", minute: "2-digit" });
      dayFmt = new Intl.DateTimeFormat(LANG, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
    } catch (e) { /* an old browser: no times */ }
  }
  makeClocks();
  function timeText(date) {
    if (!clockFmt || isNaN(date)) return "";
    const today = new Date();
    const sameDay = date.toDateString() === today.toDateString();
    return (sameDay ? clockFmt : dayFmt).format(date);
  }
  function setTime(entry, iso) {
    const when = iso ? new Date(iso) : new Date();
    if (isNaN(when)) return;
    entry.at = when;
    if (!entry.time) return;
    entry.time.dateTime = when.toISOString();
    entry.time.textContent = timeText(when);
    entry.time.title = when.toLocaleString(LANG);
  }

  // ---- scrolling: the start of each new reply in view ------------------------------------------
  function maxTop() { return Math.max(0, ui.log.scrollHeight - ui.log.clientHeight); }
  function topOf(node) { return Math.max(0, node.offsetTop - GAP); }
  function scrollLogTo(top) {
    const target = Math.max(0, Math.min(Math.round(top), maxTop()));
    if (Math.abs(ui.log.scrollTop - target) < 1) return;
    state.autoTop = target;
    ui.log.scrollTop = target;
  }
  /** Bring the start of `node` into view (all the way down if everything after it fits). */
  function reveal(node) {
    if (!state.open || !node || !node.isConnected) return;
    state.anchor = node;
    scrollLogTo(Math.min(topOf(node), maxTop()));
  }
  /** Something grew at the end (typing dots, a status line): follow it, but never past the newest reply's start. */
  function keepInView() {
    if (!state.open || !state.follow) return;
    const limit = state.anchor && state.anchor.isConnected ? topOf(state.anchor) : Infinity;
    scrollLogTo(Math.min(maxTop(), limit));
  }
  /** A reply arrived: show its start now (the first of a batch wins), or offer the pill if the customer reads above. */
  function arrived(entry) {
    if (!state.open || !state.follow) {
      state.unseen.push(entry);
      if (state.open) showPill();
      return;
    }
    if (!state.pending) {
      state.pending = entry.el;
      queueMicrotask(() => {
        const node = state.pending;
        state.pending = null;
        reveal(node);
      });
    }
  }
  function showPill() {
    const n = state.unseen.filter((e) => e.el.isConnected).length;
    ui.pill.hidden = !n;
    ui.pill.textContent = (n > 1 ? t("newMessages", { n }) : t("newMessage")) + " ↓";
  }
  function seenAll() {
    state.unseen = [];
    ui.pill.hidden = true;
  }
  function onLogScroll() {
    const log = ui.log;
    if (state.autoTop != null && Math.abs(log.scrollTop - state.autoTop) <= 2) {
      state.autoTop = null;
      return; // our own scroll
    }
    state.autoTop = null;
    const bottom = log.scrollTop >= maxTop() - 24;
    const anchorTop = state.anchor && state.anchor.isConnected ? topOf(state.anchor) : 0;
    state.follow = bottom || log.scrollTop >= anchorTop - 4;
    const first = state.unseen.find((e) => e.el.isConnected);
    if (first && (bottom || first.el.offsetTop < log.scrollTop + log.clientHeight - 24)) {
      state.anchor = state.unseen[state.unseen.length - 1].el;
      state.follow = true;
      seenAll();
    } else if (!first && state.unseen.length) {
      seenAll();
    }
  }
  function jumpToUnseen() {
    const first = state.unseen.find((e) => e.el.isConnected);
    state.follow = true;
    seenAll();
    if (first) reveal(first.el);
    ui.input.focus({ preventScroll: true });
  }

  // ---- rendering --------------------------------------------------------------------------
  function clearQuick() {
    if (state.quick) state.quick.remove();
    state.quick = null;
  }
  function initials(name) {
    const parts = norm(name).split(" ").filter(Boolean);
    return ((parts[0] || "?")[0] + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
  }
  function avatar(author) {
    const box = el("span", "av", initials(author.name));
    box.setAttribute("aria-hidden", "true");
    const url = author.avatar_url ? safeUrl(author.avatar_url) : null;
    if (url && url.protocol !== "mailto:") {
      const img = el("img");
      img.alt = "";
      img.referrerPolicy = "no-referrer";
      img.decoding = "async";
      img.addEventListener("error", () => { img.remove(); box.textContent = initials(author.name); }, { once: true });
      img.addEventListener("load", () => { box.textContent = ""; box.appendChild(img); }, { once: true });
      img.src = url.href;
    }
    return box;
  }
  function authorOf(o, sender) {
    if (sender === "agent") {
      const a = o.agent && typeof o.agent === "object" ? o.agent : null;
      return { name: a && a.name ? String(a.name) : t("agent"), avatar_url: a && a.avatar_url ? String(a.avatar_url) : null };
    }
    return sender === "bot" ? { name: t("assistant"), avatar_url: null } : null;
  }
  function label(author, sender) {
    const lbl = el("div", "lbl");
    if (sender === "agent") lbl.appendChild(avatar(author));
    lbl.appendChild(el("span", "who", author.name));
    return lbl;
  }
  function addEntry(o) {
    const sender = ["customer", "bot", "agent", "system"].includes(o.sender) ? o.sender : "system";
    const wrap = el("div", "msg " + sender + (o.cls ? " " + o.cls : ""));
    const author = authorOf(o, sender);
    const prev = state.entries[state.entries.length - 1];
    if (author) {
      const same = prev && prev.el.isConnected && prev.sender === sender && prev.author && prev.author.name === author.name &&
        !o.cls && !prev.cls;
      if (same) wrap.classList.add("cont");
      wrap.appendChild(label(author, sender));
    }
    const bubble = el("div", "text");
    const text = String(o.text == null ? "" : o.text);
    if (sender === "bot" || sender === "agent") {
      bubble.classList.add("md");
      renderMarkdown(bubble, text);
    } else if (sender === "system") linkedText(bubble, text);
    else bubble.textContent = text;
    wrap.appendChild(bubble);
    const entry = {
      id: null, sender, text, el: wrap, meta: null, status: "sent", payload: o.payload, local: !!o.local, author,
      cls: o.cls || null, time: null, at: null,
    };
    const article = o.article && typeof o.article === "object" ? o.article : null;
    const articleUrl = article && article.title ? safeUrl(article.url) : null;
    if (articleUrl) {
      const card = link(articleUrl, "");
      card.className = "card";
      card.appendChild(el("small", null, t("readMore")));
      card.appendChild(el("span", null, String(article.title)));
      wrap.appendChild(card);
    }
    if (o.attachment) showAttachment(wrap, o.attachment); // files in the chat (mail lane)
    if (!o.local) {
      entry.time = el("time", "time");
      wrap.appendChild(entry.time);
      setTime(entry, o.created_at);
    }
    const bs = Array.isArray(o.buttons) ? o.buttons.filter((b) => b && b.title && b.payload) : [];
    // a message that arrives late (replayed after an outage) goes where its id puts it, before any later one
    const later = o.id == null ? -1 : state.entries.findIndex(
      (e) => e.id != null && e.el.isConnected && Number(e.id) > Number(o.id)
    );
    if (o.id != null) bindId(entry, o.id);
    if (later >= 0) {
      ui.log.insertBefore(wrap, state.entries[later].el);
      state.entries.splice(later, 0, entry);
    } else {
      // the bot's buttons wait for an answer: a file the customer sends meanwhile (a photo while the return asks which
      // items) and the widget's note about it are no answer, so the buttons stay usable below them; a file sent
      // while the buttons offer a photo ("📷 Add a photo", "Skip") is the answer, so those go
      const photoOffered = !!(state.quick && state.quick.dataset.photo === "1");
      const fileKeeps = sender === "customer" && o.attachment && !photoOffered;
      // the offer of a photo asks nothing: the bot's next words of the same turn without buttons of their own ("…
      // what's the e-mail address for order 100212?" after a wrong item's answer) leave its buttons usable above them
      const photoKeeps = sender === "bot" && photoOffered && !bs.length;
      if (!o.keepQuick && !fileKeeps && !photoKeeps) clearQuick();
      ui.log.insertBefore(wrap, ui.typing);
      state.entries.push(entry);
    }
    if (sender === "bot" && bs.length && later < 0) showQuick(entry, bs);
    if (sender === "bot" && entry.id != null && o.feedback && typeof o.feedback === "object") showFeedback(entry, o.feedback);
    if (sender === "customer") {
      state.follow = true;
      seenAll();
      reveal(wrap);
    } else if (!o.quiet) arrived(entry);
    return entry;
  }
  function removeEntry(entry) {
    if (!entry) return;
    entry.el.remove();
    const i = state.entries.indexOf(entry);
    if (i >= 0) state.entries.splice(i, 1);
  }
  function bindId(entry, id) {
    entry.id = id;
    entry.el.dataset.id = String(id);
    state.byId.set(String(id), entry);
    if (state.lastId == null || Number(id) > Number(state.lastId)) state.lastId = id;
  }
  function quickBox(buttons, groupLabel, onPick) {
    const box = el("div", "quick");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", groupLabel);
    for (const b of buttons) {
      const btn = el("button", null, String(b.title));
      btn.type = "button";
      btn.setAttribute("aria-label", String(b.title));
      btn.addEventListener("click", () => onPick(b));
      box.appendChild(btn);
    }
    return box;
  }
  function showQuick(entry, buttons, groupLabel) {
    if (photoSkipped(entry, buttons)) return;
    const box = quickBox(buttons, groupLabel || t("suggestedReplies"), (b) => {
      if (PHOTO_PAYLOAD.test(String(b.payload))) return pickPhoto(entry, String(b.payload)); // never sent to the bot
      clearQuick();
      send(String(b.payload), String(b.title));
    });
    if (buttons.some((b) => PHOTO_PAYLOAD.test(String(b.payload)))) box.dataset.photo = "1";
    entry.el.appendChild(box);
    state.quick = box;
  }

  // ---- "Did this help?" on bot answers -----------------------------------------------------------
  function showFeedback(entry, feedback) {
    const box = el("div", "fb");
    entry.el.appendChild(box);
    if (feedback.helpful === true || feedback.helpful === false) {
      box.textContent = t("helpfulThanks");
      return;
    }
    box.appendChild(el("span", null, t("helpfulQuestion")));
    const err = el("span", "err");
    err.setAttribute("role", "alert");
    const votes = [[true, "up", t("helpfulYes")], [false, "down", t("helpfulNo")]].map(([helpful, kind, words]) => {
      const b = el("button", "vote " + kind);
      b.innerHTML = ICON_THUMB; // static markup (a thumb; turned over for "down")
      b.type = "button";
      b.setAttribute("aria-label", words);
      b.title = words;
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", () => vote(entry, box, votes, err, helpful, b));
      box.appendChild(b);
      return b;
    });
    box.appendChild(err);
  }
  async function vote(entry, box, votes, err, helpful, pressed) {
    if (!state.conv || entry.id == null) return;
    votes.forEach((b) => { b.disabled = true; });
    pressed.setAttribute("aria-pressed", "true");
    err.textContent = "";
    let res = null;
    try {
      const url = new URL(
        "api/chat/" + encodeURIComponent(state.conv) + "/messages/" + encodeURIComponent(entry.id) + "/feedback", BASE
      );
      ({ res } = await fetchJson(url.href, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ helpful }),
      }));
    } catch (e) { res = null; }
    if (!res || !(res.ok || res.status === 409)) {
      votes.forEach((b) => { b.disabled = false; });
      pressed.setAttribute("aria-pressed", "false");
      err.textContent = t("feedbackFailed");
      return;
    }
    box.textContent = "";
    if (helpful || res.status === 409) {
      box.appendChild(el("span", null, t("helpfulThanks")));
      return;
    }
    box.appendChild(el("span", null, t("notHelpfulSorry")));
    const next = quickBox(
      [{ title: t("talkToPerson"), payload: "person" }, { title: t("askAnotherWay"), payload: "rephrase" }],
      t("notHelpfulSorry"),
      (b) => {
        next.remove();
        if (b.payload === "person") send("/request_human", t("talkToPerson"));
        else askAnotherWay();
      }
    );
    box.appendChild(next);
    keepInView();
    const first = next.querySelector("button");
    if (first) first.focus({ preventScroll: true });
  }
  function askAnotherWay() {
    addEntry({ sender: "system", text: t("askAnotherWayHint"), cls: "info", local: true });
    ui.input.placeholder = t("placeholderRephrase");
    ui.input.focus();
  }

  function setMeta(entry, status, errText) {
    entry.status = status;
    entry.el.classList.toggle("failed", status === "failed");
    if (entry.meta) entry.meta.remove();
    entry.meta = null;
    if (entry.time) entry.time.hidden = status !== "sent";
    if (status === "sent") return;
    const meta = el("div", "meta");
    if (status === "sending") meta.textContent = t("sending");
    else if (status === "received") meta.textContent = t("received");
    else {
      meta.appendChild(document.createTextNode(t("notSent")));
      const r = el("button", "link", t("retry"));
      r.type = "button";
      r.setAttribute("aria-label", t("retryLabel"));
      r.addEventListener("click", () => retry(entry));
      meta.appendChild(r);
      if (errText) meta.appendChild(el("span", "err", errText));
    }
    entry.meta = meta;
    entry.el.appendChild(meta);
    keepInView();
  }
  function notice(title, detail, onRetry, keepQuick) {
    const e = addEntry({ sender: "system", text: "", cls: "notice", local: true, keepQuick: !!keepQuick });
    const box = e.el.querySelector(".text");
    box.appendChild(el("b", null, title));
    if (detail) box.appendChild(el("span", null, detail));
    if (onRetry) {
      box.appendChild(document.createTextNode(" "));
      const r = el("button", "link", t("tryAgain"));
      r.type = "button";
      r.setAttribute("aria-label", t("tryAgainLabel"));
      r.addEventListener("click", () => {
        removeEntry(e);
        onRetry();
      });
      box.appendChild(r);
    }
    return e;
  }
  function setTyping() {
    const person = state.mode === "queued" || state.mode === "agent";
    const botTyping = state.inflight > 0 && !person;
    const agentTyping = person && !!state.agentTyping;
    const show = botTyping || agentTyping;
    ui.typing.setAttribute("aria-label", agentTyping ? t("personTyping", { name: state.agentTyping }) : t("assistantTyping"));
    ui.typing.hidden = !show;
    if (show) keepInView();
  }
  function setAgentTyping(name) {
    clearTimeout(state.agentTypingTimer);
    state.agentTyping = name || null;
    if (name) state.agentTypingTimer = setTimeout(() => setAgentTyping(null), TYPING_SHOW_MS);
    setTyping();
  }
  const STATUS = { bot: "statusBot", queued: "statusQueued", agent: "statusAgent", closed: "statusClosed" };
  function minutes(seconds) {
    const m = Math.max(1, Math.round(Number(seconds || 0) / 60));
    return m === 1 ? t("aboutMinute") : t("aboutMinutes", { n: m });
  }
  const away = () => !!(state.hours && state.hours.open === false);
  /** When the team is back, in the widget's language (and script). */
  const backText = () =>
    state.hours &&
    ((LANG === "zh-Hant" && state.hours.back_zh_hant) || (chinese() && state.hours.back_zh) || state.hours.back);
  function showStatus() {
    let text = t(STATUS[state.mode]);
    const q = state.queue;
    const back = backText();
    if (away() && state.mode === "queued") {
      text = back ? t("awayQueuedBack", { back }) : t("awayQueued");
    } else if (away() && state.mode === "bot") {
      text = back ? t("awayBotBack", { back }) : t("awayBot");
    } else if (state.mode === "queued" && q && q.position) {
      text = (q.position === 1 ? t("queueNext") : t("queueNumber", { n: q.position })) +
        (q.estimated_wait_seconds ? " · " + minutes(q.estimated_wait_seconds) : "");
    }
    ui.status.textContent = text;
    ui.status.classList.toggle("away", away());
  }
  function setQueue(q) {
    state.queue = q && q.position ? { position: q.position, estimated_wait_seconds: q.estimated_wait_seconds } : null;
    showStatus();
    showQueueNote();
    updateWaitChoice();
  }
  // ---- the queue as a message in the conversation, renewed at the end of the log when it changes ------
  function queueText() {
    const q = state.queue;
    if (state.mode !== "queued" || !q || !q.position || away()) return null;
    if (state.leftAt) return t("queueMessageEmail"); // the answer by e-mail was chosen: no need to wait here
    const wait = q.estimated_wait_seconds ? t("queueWait", { wait: minutes(q.estimated_wait_seconds) }) : "";
    return q.position === 1 ? t("queueMessageNext", { wait }) : t("queueMessageNumber", { n: q.position, wait });
  }
  function showQueueNote() {
    const text = queueText();
    const note = state.queueNote;
    if (note && note.text === text) return;
    if (note) removeEntry(note.entry);
    state.queueNote = null;
    if (!text) return;
    const entry = addEntry({ sender: "system", text, cls: "info queue", local: true });
    entry.el.setAttribute("role", "status");
    state.queueNote = { entry, text };
  }
  /** A message sent to the waiting team: acknowledged once per burst (not again until something else happened
   * in the chat or ACK_QUIET_MS passed). */
  function acknowledge(entry) {
    // "never mind", "算了" while the bar offers to stop waiting: the acknowledgement says where that button is (the
    // customer decides; nothing leaves the queue by itself), even within a burst
    const takesBack = !!state.waitBar && TAKE_BACK_RE.test(String(entry.payload || entry.text || "").trim());
    const last = state.ack;
    if (!takesBack && last && last.entry.el.isConnected && Date.now() - last.at < ACK_QUIET_MS) {
      const since = state.entries.slice(state.entries.indexOf(last.entry) + 1);
      if (since.every((e) => e.sender === "customer" || e === (state.queueNote && state.queueNote.entry))) return;
    }
    const q = state.queue;
    const back = backText();
    const text = away()
      ? back ? t("ackAway", { back }) : t("ackPlain")
      : q && q.position ? (q.position === 1 ? t("ackNext") : t("ackNumber", { n: q.position })) : t("ackPlain");
    const shown = takesBack ? t("ackPlain") + (/^zh/.test(LANG) ? "" : " ") + tw("waitTakeBack") : text;
    const ack = addEntry({ sender: "system", text: shown, cls: "info ack", local: true });
    state.ack = { entry: ack, at: Date.now(), after: entry };
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
      state.hoursTimer = setTimeout(() => { (state.conv ? sync(false) : loadStatus()).catch(() => {}); }, wait);
    }
    updateOffline();
    showStatus();
    showQueueNote();
    updateWaitChoice();
  }
  async function loadStatus() {
    const { res, data } = await fetchJson(new URL("api/chat/status?lang=" + LANG, BASE).href);
    if (!res.ok || !data) return;
    if (data.business_hours) setHours(data.business_hours);
    if (Array.isArray(data.topics)) {
      state.topics = data.topics.filter((b) => b && b.title && b.payload);
      showTopics();
    }
  }
  /** The bot greeting's topics under the widget's own greeting, until the customer says something. */
  function showTopics() {
    const intro = state.intro;
    if (!state.topics.length || state.conv || state.entries[state.entries.length - 1] !== intro || state.quick) return;
    showQuick(intro, state.topics, t("topics"));
    keepInView();
  }
  function updateOffline() {
    const wanted = state.conv && state.mode === "queued" && away() && !state.leftAt;
    if (!wanted) {
      if (state.offline) removeEntry(state.offline);
      state.offline = null;
    } else if (!state.offline) {
      showOfflineForm();
    }
  }
  // the server's own rule (helpdesk/web/widget.py EMAIL): a browser's type=email also takes "ann@example" (no dot),
  // which the server refuses; checked here so the customer reads our message, in the widget's language
  const EMAIL_SHAPE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
  function emailOk(input) {
    return input.checkValidity() && EMAIL_SHAPE.test(input.value.trim());
  }
  function field(box, text, input) {
    const l = el("label", null, text);
    l.appendChild(input);
    box.appendChild(l);
    return input;
  }
  function showOfflineForm() {
    const entry = addEntry({ sender: "system", text: "", cls: "notice offline", local: true });
    state.offline = entry;
    const box = entry.el.querySelector(".text");
    box.appendChild(el("b", null, t("leaveTitle")));
    const name = field(box, t("leaveName"), el("input"));
    name.type = "text";
    name.maxLength = 100;
    name.autocomplete = "name";
    const email = field(box, t("leaveEmail"), el("input"));
    email.type = "email";
    email.maxLength = 254;
    email.autocomplete = "email";
    const text = field(box, t("leaveText"), el("textarea"));
    text.maxLength = MAX;
    text.placeholder = t("leavePlaceholder");
    const submitBtn = el("button", "submit", t("leaveSend"));
    submitBtn.type = "button";
    submitBtn.disabled = true;
    const err = el("span", "err");
    err.setAttribute("role", "alert");
    text.addEventListener("input", () => { submitBtn.disabled = !norm(text.value); });
    submitBtn.addEventListener("click", async () => {
      if (!norm(text.value) || !state.conv) return;
      if (email.value.trim() && !emailOk(email)) {
        err.textContent = t("leaveBadEmail");
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
        removeEntry(entry);
        state.offline = null;
        state.leftAt = new Date().toISOString();
        merge(data.messages, false);
        if (data.mode) setMode(data.mode);
        return;
      }
      submitBtn.disabled = false;
      err.textContent = (data && typeof data.error === "string" && data.error) || t("leaveFailed");
    });
    box.appendChild(submitBtn);
    box.appendChild(err);
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
    else {
      stopLive();
      if (state.awaitingBot) startPolling(); // an answer is on its way once the assistant is back
    }
    updateOffline();
    showQueueNote();
    updateWaitChoice();
  }
  function setUnread(n) {
    state.unread = n;
    ui.badge.hidden = !n;
    ui.badge.textContent = n > 9 ? "9+" : String(n);
    if (!state.open) ui.launcher.setAttribute("aria-label", n ? t("openChatUnread", { n }) : t("openChat"));
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
    state.resumeId = null;
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
      // the helpdesk words its refusals in the widget's language (helpdesk/web/errors.py reads Accept-Language)
      const headers = Object.assign({ "Accept-Language": LANG }, (opts && opts.headers) || {});
      const res = await fetch(url, Object.assign({ signal: ctl.signal, credentials: "omit", cache: "no-store" }, opts, { headers }));
      let data = null;
      try { data = await res.json(); } catch (e) { data = null; }
      return { res, data };
    } finally {
      clearTimeout(timer);
    }
  }
  function fromServer(m, extra) {
    return Object.assign({
      id: m.id, sender: m.sender, text: m.text, buttons: m.buttons, created_at: m.created_at, agent: m.agent,
      article: m.article, feedback: m.feedback, attachment: m.attachment,
    }, extra || {});
  }
  // Merge server messages: skip known ids, attach ids to our own unconfirmed bubbles, add the rest.
  // `history`: a whole transcript (a reload): the newest reply's start is shown, not the oldest's.
  function merge(messages, fromPoll, history) {
    let fresh = 0;
    let last = null;
    for (const m of messages || []) {
      if (!m || m.id == null || state.byId.has(String(m.id))) continue;
      const want = norm(m.text);
      const mine = state.entries.find(
        (e) => e.id == null && !e.local && e.sender === m.sender && norm(e.text) === want
      );
      if (mine) {
        bindId(mine, m.id);
        setTime(mine, m.created_at);
        if (mine.status === "failed" || mine.status === "sending") setMeta(mine, "sent");
        if (m.sender === "bot" && Array.isArray(m.buttons) && m.buttons.length && !state.quick &&
            state.entries[state.entries.length - 1] === mine) showQuick(mine, m.buttons);
        continue;
      }
      if (m.sender !== "customer" && state.awaitingBot) {
        removeEntry(state.awaitingBot); // the assistant is back: its answer replaces "one moment"
        state.awaitingBot = null;
        if (state.mode === "bot" || state.mode === "closed") stopPolling();
      }
      last = addEntry(fromServer(m, { quiet: !!history }));
      if (fromPoll && m.sender !== "customer") fresh++;
    }
    if (history && last) {
      state.follow = true;
      seenAll();
      if (state.open) reveal(last.el);
      else state.unseen = [last]; // shown from there when the panel opens
    }
    if (fresh && !state.open) setUnread(state.unread + fresh);
  }
  async function sync(full) {
    if (!state.conv) return;
    const conv = state.conv;
    const from = full ? null : state.resumeId;
    const { res, data } = await fetchJson(messagesUrl(from));
    if (conv !== state.conv) return;
    if (res.status === 404) return resetConv();
    if (!res.ok || !data) return;
    if (full) state.loaded = true;
    merge(data.messages, !full, full);
    completeUpTo(from, data.messages);
    if ("business_hours" in data) setHours(data.business_hours, data.left_message_at);
    if (data.mode) setMode(data.mode);
    if ("queue" in data) setQueue(data.queue);
    if (data.rating_pending) showRating();
  }
  // `messages`: everything stored after `from` (a database read): the widget now has every message up to the last
  function completeUpTo(from, messages) {
    if (from != null && from !== state.resumeId) return; // resumed from elsewhere meanwhile
    for (const m of messages || []) {
      if (m && m.id != null && (state.resumeId == null || Number(m.id) > Number(state.resumeId))) state.resumeId = m.id;
    }
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
    // a retry already waits (the back-off below): every poll's answer calls this, and must not reconnect early
    if (state.ws || state.wsRefused || state.wsTimer || !("WebSocket" in window)) return;
    const u = new URL("api/chat/" + encodeURIComponent(state.conv) + "/ws", BASE);
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    if (state.resumeId != null) u.searchParams.set("after", String(state.resumeId));
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
        state.wsTimer = setTimeout(() => {
          state.wsTimer = null;
          startLive();
        }, delay);
      }
    });
  }
  function stopLive() {
    clearTimeout(state.wsTimer);
    state.wsTimer = null;
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
      // the socket's replay came from the database: every message up to last_id is here now
      if (ev.last_id != null && (state.resumeId == null || Number(ev.last_id) > Number(state.resumeId))) {
        state.resumeId = ev.last_id;
      }
      state.wsLive = true;
      state.wsRetry = 0;
      stopPolling();
      if ("business_hours" in ev) setHours(ev.business_hours, ev.left_message_at);
      setMode(ev.mode);
      setQueue(ev.queue);
      if (ev.rating_pending) showRating();
    } else if (ev.type === "mode") {
      setMode(ev.mode);
      if (ev.rating_pending) showRating();
      else if (ev.mode === "closed") removeRating();
    } else if (ev.type === "queue") {
      if (ev.business_hours) setHours(ev.business_hours);
      setQueue(ev);
    } else if (ev.type === "typing" && ev.who === "agent") {
      setAgentTyping(ev.typing ? ev.name || t("agent") : null);
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
    if (state.rating) removeEntry(state.rating);
    state.rating = null;
    state.rateTyped = null;
    state.sendPickedRating = null;
  }
  function showRating() {
    if (state.rating || !state.conv) return;
    const entry = addEntry({ sender: "system", text: "", cls: "notice rating", local: true });
    state.rating = entry;
    const box = entry.el.querySelector(".text");
    box.appendChild(el("b", null, t("ratingTitle")));
    const stars = el("div", "stars");
    stars.setAttribute("role", "group");
    stars.setAttribute("aria-label", t("ratingGroup"));
    let score = 0;
    const buttons = [];
    for (let i = 1; i <= 5; i++) {
      const b = el("button", null, "★");
      b.type = "button";
      b.setAttribute("aria-label", t(i === 1 ? "ratingStar" : "ratingStars", { n: i }));
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
    comment.placeholder = t("ratingComment");
    comment.setAttribute("aria-label", t("ratingCommentLabel"));
    box.appendChild(comment);
    const submitBtn = el("button", "submit", t("ratingSend"));
    submitBtn.type = "button";
    submitBtn.disabled = true;
    submitBtn.setAttribute("aria-label", t("ratingSend"));
    const err = el("span", "err");
    // one sending at a time: the button, and a message sent with stars picked (state.sendPickedRating), share it
    let sending = null;
    const submit = () => sending || (sending = sendRating().finally(() => { sending = null; }));
    submitBtn.addEventListener("click", submit);
    async function sendRating() {
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
        state.rating = null; // answered: it stays in the conversation
        state.rateTyped = null;
        state.sendPickedRating = null;
        box.textContent = "";
        if (res.ok && data && data.follow_up) {
          // a low rating: an apology and what happens next
          box.appendChild(el("b", null, t("ratingSorry")));
          box.appendChild(el("span", null, t("ratingFollowUp")));
        } else {
          box.appendChild(el("b", null, t("ratingThanks")));
        }
        box.setAttribute("role", "status");
        keepInView();
        return;
      }
      submitBtn.disabled = false;
      err.textContent = (data && typeof data.error === "string" && data.error) || t("ratingFailed");
    }
    box.appendChild(submitBtn);
    box.appendChild(err);
    // a rating typed in the message box ("5", "4 stars", "五星"): the stars it names, sent (see typedRating)
    state.rateTyped = (n) => {
      buttons[n - 1].click();
      submitBtn.click();
    };
    // stars picked but not sent when the customer writes on ("thanks!"): the rating is sent first, before the
    // message reopens the chat (the walkthrough of 2026-12-07, walk1: two stars picked, "谢谢" typed, the card went
    // and the rating with it: no follow-up for an unhappy customer); null when no star is picked
    state.sendPickedRating = () => (score ? submit() : null);
  }
  // A message that is only a rating, typed while the rating is asked ("5", "4/5", "3 stars", "★★★★", "5星", "五星"):
  // its score, else 0. The walkthrough of 2026-12-06 (walk1): "5" went to the assistant, which answered "I'm not sure
  // I have a good answer to that … Shall I get a person?" and the rating stayed unanswered.
  const TYPED_RATING = /^(?:([1-5])\s*(?:\/\s*5|out\s+of\s+5|stars?|星|颗星|顆星|分)?|([一二三四五])\s*(?:星|颗星|顆星|分)|(★{1,5}))[\s.!！。]*$/i;
  function typedRating(text) {
    const found = TYPED_RATING.exec(String(text).trim());
    if (!found) return 0;
    if (found[1]) return Number(found[1]);
    if (found[2]) return "一二三四五".indexOf(found[2]) + 1;
    return found[3].length;
  }

  // ---- sending ----------------------------------------------------------------------------
  function send(payload, title) {
    const text = String(payload);
    if (!norm(text)) return;
    const rated = !title && state.rating && state.rateTyped ? typedRating(text) : 0;
    if (rated) {
      state.rateTyped(rated); // the rating card answers (its thanks), the assistant is not asked
      return;
    }
    const picked = state.rating && state.sendPickedRating ? state.sendPickedRating() : null;
    const entry = addEntry({ sender: "customer", text: title || text, payload: text });
    entry.cid = newClientId(); // lets the server store a retried message once
    entry.typed = !title; // typed words (a button is never held for a burst)
    setMeta(entry, "sending");
    if (picked) picked.finally(() => enqueue(entry)); // the rating first: the message reopens the chat
    else enqueue(entry);
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
    state.follow = true;
    reveal(entry.el);
    enqueue(entry);
  }
  function enqueue(entry) {
    state.chain = state.chain
      .then(() => (state.conv || !entry.typed ? null : startConversation()))
      .then(
        () =>
          new Promise((next) => {
            // the service holds a short line for the rest of a burst (CHAT_BURST_SECONDS): in a known conversation
            // the next line goes out once this one has surely arrived, so that the bot reads them together
            const early = state.conv ? setTimeout(next, BURST_NEXT_MS) : null;
            deliver(entry, false)
              .catch(() => {})
              .finally(() => {
                clearTimeout(early);
                next();
              });
          })
      )
      .catch(() => {});
  }
  /** A conversation before the first line goes out (POST /api/chat/start): the service then holds a short first
   * line for the rest of a burst like any later one ("hi" / "i have a question" / "about my order 100234" are read
   * together). If it cannot be started, the first line starts it (answered on its own). */
  async function startConversation() {
    try {
      const { res, data } = await fetchJson(API_START, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      if (res.ok && data && typeof data.conversation_id === "string" && !state.conv) setConv(data.conversation_id);
    } catch (e) {
      /* the first line starts the conversation instead */
    }
  }
  async function deliver(entry, isRetryAfter404) {
    state.inflight++;
    setTyping();
    const before = state.mode;
    let res, data;
    try {
      ({ res, data } = await fetchJson(API_CHAT, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          conversation_id: state.conv || null,
          text: entry.payload,
          client_message_id: entry.cid,
          lang: LANG,
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
      setMeta(entry, "failed", t("noServer"));
      return;
    }
    if (res.ok && data) {
      setConv(data.conversation_id);
      if (typeof data.language === "string") followLanguage(data.language, data.script);
      setMeta(entry, "sent");
      const mine = data.message;
      if (mine && mine.id != null && !state.byId.has(String(mine.id))) {
        bindId(entry, mine.id);
        setTime(entry, mine.created_at);
      }
      let shown = 0;
      for (const r of data.replies || []) {
        if (!r || !(norm(r.text) || (r.buttons && r.buttons.length))) continue;
        if (r.id != null && state.byId.has(String(r.id))) continue; // the live channel brought it already
        addEntry(fromServer(r, { sender: "bot", text: r.text || "" }));
        shown++;
      }
      setMode(data.mode);
      if ((data.mode === "queued" || data.mode === "agent") && before !== data.mode) {
        sync(false).catch(() => {});
      } else if (data.mode === "queued" && before === "queued" && !shown) {
        acknowledge(entry); // it went to the waiting team
      }
      if (!state.open && shown) setUnread(state.unread + shown);
      return;
    }
    if (res.status === 404 && !isRetryAfter404 && state.conv) {
      resetConv();
      addEntry({ sender: "system", text: t("expired"), local: true });
      return deliver(entry, true);
    }
    if (res.status === 503) {
      // The service stored the message; only the assistant is unavailable.
      if (data && data.conversation_id) setConv(data.conversation_id);
      setMeta(entry, "received");
      if (data && data.pending) {
        // the helpdesk answers it as soon as the assistant is back: poll until the answer arrives
        if (!state.awaitingBot) state.awaitingBot = notice(t("oneMoment"), t("botRestarting"));
        startPolling();
        return;
      }
      notice(t("receivedTitle"), t("botDown") + (err ? " (" + err + ")" : ""), () => {
        setMeta(entry, "sending");
        enqueue(entry);
      });
      return;
    }
    let msg = err;
    if (res.status === 429) msg = t("tooFast") + (err ? " (" + err + ")" : "");
    if (!msg) msg = t(res.status >= 500 ? "serverError" : "notSentStatus", { status: res.status });
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
    ui.launcher.setAttribute("aria-label", t("closeChat"));
    if (state.conv && !state.loaded) state.chain = state.chain.then(() => sync(true)).catch(() => {});
    if (!state.hours) loadStatus().catch(() => {});
    // what arrived while the panel was closed: from the first of it; otherwise the newest reply
    const first = state.unseen.find((e) => e.el.isConnected);
    const last = state.entries[state.entries.length - 1];
    state.follow = true;
    seenAll();
    reveal(first ? first.el : last ? last.el : null);
    ui.input.focus({ preventScroll: true });
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
    ui.input.placeholder = t("placeholder");
    updateInput();
    send(v.trim());
    ui.input.focus();
  }

  // ---- waiting without waiting (issue 21: mail lane) ------------------------------------------
  // While the customer waits for a person (team in), a bar above the input offers the answer by e-mail or to stop
  // waiting; it says so first when the wait is long. Its own words (WAIT_STRINGS) until the widget's string table
  // has them in every language.
  const LONG_WAIT_SECONDS = 300;
  // a whole line that takes the request for a person back: "never mind", "nvm", "forget it", "算了，不用了", "沒事了"
  const TAKE_BACK_RE = new RegExp(
    "^(?:(?:oh|ok(?:ay)?|actually|sorry|ah)[\\s,]*)*(?:never\\s*mind|nvm|forget\\s+it|no\\s+need|it'?s\\s+fine|" +
      "i\\s+don'?t\\s+need\\s+(?:a\\s+person|anyone|help)(?:\\s+any\\s*more)?)[\\s.!,]*(?:thanks?|thx)?[\\s.!]*$" +
      "|^(?:哦|噢|好吧)?[，,\\s]*(?:算了|不用了|不需要了|没事了|沒事了|没关系|沒關係)(?:吧|啦)?[，,。.!！\\s]*" +
      "(?:不用了|谢谢|謝謝)?[。.!！\\s]*$",
    "i"
  );
  const WAIT_STRINGS = {
    en: {
      waitLong: "The wait is {wait}. You don't have to stay:",
      waitAny: "Rather not wait here?",
      waitTakeBack: "No longer need a person? Tap \"Stop waiting\" below.",
      waitEmail: "Answer me by e-mail",
      waitStop: "Stop waiting",
      waitEmailLabel: "Your e-mail address",
      waitEmailSend: "Send",
      waitEmailBad: "Please check your e-mail address.",
      waitFailed: "That didn't go through; please try again.",
    },
    zh: {
      waitLong: "预计还需等待{wait}。您不必一直留在这里：",
      waitAny: "不想在这里等？",
      waitTakeBack: "如果不再需要人工客服，请点下方的“不等了”。",
      waitEmail: "通过邮件回复我",
      waitStop: "不等了",
      waitEmailLabel: "您的邮箱地址",
      waitEmailSend: "发送",
      waitEmailBad: "请检查您的邮箱地址。",
      waitFailed: "操作未成功，请重试。",
    },
    "zh-Hant": {
      waitLong: "預計還需等待{wait}。您不必一直留在這裡：",
      waitAny: "不想在這裡等？",
      waitTakeBack: "如果不再需要人工客服，請點下方的「不等了」。",
      waitEmail: "透過電子郵件回覆我",
      waitStop: "不等了",
      waitEmailLabel: "您的電子郵件地址",
      waitEmailSend: "傳送",
      waitEmailBad: "請檢查您的電子郵件地址。",
      waitFailed: "操作未成功，請重試。",
    },
  };
  const WAIT_CSS = `.waitbar{flex:none;border-top:1px solid #ecebf3;background:#faf9ff;padding:8px 12px;font-size:13px;color:#3d3f55;
 display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center}
.waitbar .wt{flex:1 1 100%}
.waitbar button{font:inherit;font-size:13px;border-radius:8px;padding:5px 10px;cursor:pointer;border:1px solid var(--a);background:#fff;color:var(--a)}
.waitbar button.primary{background:var(--a);color:#fff}
.waitbar form{display:flex;gap:6px;flex:1 1 100%}
.waitbar input{flex:1;min-width:0;font:inherit;font-size:13px;border:1px solid #cfd0da;border-radius:8px;padding:5px 8px}
.waitbar .err{flex:1 1 100%;color:#b42318;font-size:12px}`;
  function tw(key, vars) {
    const table = WAIT_STRINGS[LANG] || WAIT_STRINGS.en;
    return String(table[key] || WAIT_STRINGS.en[key]).replace(/\{(\w+)\}/g, (_, k) => (vars && k in vars ? vars[k] : ""));
  }
  function waitUrl(what) {
    return new URL("api/chat/" + encodeURIComponent(state.conv) + "/wait/" + what, BASE).href;
  }
  /** Show, renew or remove the waiting bar for the current mode, queue and hours. */
  function updateWaitChoice() {
    if (!ui) return;
    updateAttach();
    const wanted = !!state.conv && state.mode === "queued" && !away() && !state.leftAt;
    if (!wanted) {
      if (state.waitBar) state.waitBar.remove();
      state.waitBar = null;
      return;
    }
    if (!state.waitBar) buildWaitBar();
    const q = state.queue;
    const long = q && q.estimated_wait_seconds >= LONG_WAIT_SECONDS;
    state.waitBar.querySelector(".wt").textContent = long
      ? tw("waitLong", { wait: minutes(q.estimated_wait_seconds) })
      : tw("waitAny");
    state.waitBar.classList.toggle("long", !!long);
  }
  function buildWaitBar() {
    if (!shadow.querySelector("style.waitcss")) {
      const style = el("style", "waitcss", WAIT_CSS);
      shadow.appendChild(style);
    }
    const bar = el("div", "waitbar");
    bar.setAttribute("role", "group");
    bar.appendChild(el("span", "wt"));
    const emailBtn = el("button", "primary", tw("waitEmail"));
    emailBtn.type = "button";
    const stopBtn = el("button", null, tw("waitStop"));
    stopBtn.type = "button";
    const err = el("span", "err");
    err.setAttribute("role", "alert");
    bar.append(emailBtn, stopBtn, err);
    emailBtn.addEventListener("click", () => {
      emailBtn.hidden = true;
      const form = el("form");
      form.noValidate = true; // our own message, in the widget's language, instead of the browser's bubble
      const input = el("input");
      input.type = "email";
      input.required = true;
      input.maxLength = 254;
      input.autocomplete = "email";
      input.setAttribute("aria-label", tw("waitEmailLabel"));
      input.placeholder = tw("waitEmailLabel");
      const send = el("button", "primary", tw("waitEmailSend"));
      send.type = "submit";
      form.append(input, send);
      bar.insertBefore(form, stopBtn);
      input.focus();
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        if (!input.value.trim() || !emailOk(input)) { err.textContent = tw("waitEmailBad"); return; }
        chooseWait("email", { email: input.value.trim() }, [send, stopBtn], err);
      });
    });
    stopBtn.addEventListener("click", () => chooseWait("cancel", {}, [emailBtn, stopBtn], err));
    ui.form.parentNode.insertBefore(bar, ui.form);
    state.waitBar = bar;
  }
  async function chooseWait(what, body, buttons, err) {
    if (!state.conv) return;
    buttons.forEach((b) => { b.disabled = true; });
    err.textContent = "";
    let res = null, data = null;
    try {
      ({ res, data } = await fetchJson(waitUrl(what), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ...body, lang: LANG }),
      }));
    } catch (e) { res = null; }
    if (res && res.ok && data) {
      if (what === "email") state.leftAt = new Date().toISOString();
      merge(data.messages, false);
      if (data.mode) setMode(data.mode);
      showQueueNote();
      updateWaitChoice();
      return;
    }
    buttons.forEach((b) => { b.disabled = false; });
    err.textContent = (data && typeof data.error === "string" && data.error) || tw("waitFailed");
  }

  // ---- files in the chat (issue 21: mail lane) --------------------------------------------------
  // A 📎 button between the input and Send (once there is a conversation) sends a photo (JPEG, PNG, WebP) or a PDF; the server
  // checks what it really is. A file message shows its thumbnail (a link to the full photo) or a PDF link.
  const FILE_TYPES = "image/jpeg,image/png,image/webp,application/pdf";
  const FILE_STRINGS = {
    en: { attach: "Send a photo or PDF", sendingFile: "Sending {name}…", fileFailed: "Could not send the file.", openFile: "Open {name}",
      fileKept: "Thanks, your file is saved with this chat.",
      fileKeptDetail: " The assistant can't look at files: our team sees it if you ask for a person." },
    zh: { attach: "发送照片或PDF", sendingFile: "正在发送{name}…", fileFailed: "文件发送失败。", openFile: "打开{name}",
      fileKept: "谢谢，文件已保存在这个对话中。", fileKeptDetail: "智能助手看不了文件：转人工后，客服人员就能看到。" },
    "zh-Hant": { attach: "傳送照片或PDF", sendingFile: "正在傳送{name}…", fileFailed: "檔案傳送失敗。", openFile: "開啟{name}",
      fileKept: "謝謝，檔案已儲存在這個對話中。", fileKeptDetail: "智能助手看不了檔案：轉人工後，客服人員就能看到。" },
  };
  const FILE_CSS = `.attach{flex:none;width:40px;height:40px;border:0;background:none;color:#6b6d80;cursor:pointer;border-radius:10px;display:flex;align-items:center;justify-content:center}
.attach:hover{background:#f0eefc}
.msg .file{display:block;margin-top:4px}
.msg .file img{display:block;max-width:220px;max-height:220px;border-radius:10px;border:1px solid #e2e1ea}
.msg .file.pdf{font-size:13px}
.fileerr{color:#b42318;font-size:12px;padding:0 12px}`;
  function tf(key, vars) {
    const table = FILE_STRINGS[LANG] || FILE_STRINGS.en;
    return String(table[key] || FILE_STRINGS.en[key]).replace(/\{(\w+)\}/g, (_, k) => (vars && k in vars ? vars[k] : ""));
  }
  const ICON_CLIP =
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="m21 11-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l9.2-9.2a3.7 3.7 0 0 1 5.2 5.2l-9.2 9.2a1.8 1.8 0 0 1-2.6-2.6L15.6 6"/></svg>';
  function showAttachment(wrap, att) {
    if (!att || att.id == null || !att.url) return;
    const url = new URL(String(att.url), BASE).href;
    const bubble = wrap.querySelector(".text");
    const name = bubble ? bubble.textContent.replace(/^📎\s*/u, "") : "";
    if (bubble) bubble.textContent = name; // the file's name; the picture (or PDF link) says what it is
    const a = el("a", "file " + (att.kind === "image" ? "image" : "pdf"));
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.setAttribute("aria-label", tf("openFile", { name }));
    if (att.kind === "image") {
      const img = el("img");
      img.src = url + "?thumb=1";
      img.alt = name;
      img.loading = "lazy";
      a.appendChild(img);
    } else a.textContent = "PDF · " + name;
    wrap.appendChild(a);
  }
  // The bot's request for a photo (returns, a damaged or wrong item: helpdesk/files/photo_requests.py) comes as
  // buttons whose payload starts with "photo:": "Add a photo" opens the file picker and the upload names the
  // request's message (X-Photo-For), so the team sees the photo with the order; "Skip" (photo:skip) closes the
  // offer, remembered across reloads. Neither reaches the bot: the conversation goes on whatever the customer types.
  const PHOTO_PAYLOAD = /^photo:/;
  const PHOTO_SKIPPED_KEY = "larkspur-chat.photo-skipped";
  function photoSkipped(entry, buttons) {
    return entry.id != null && buttons.some((b) => PHOTO_PAYLOAD.test(String(b.payload))) &&
      store.get(PHOTO_SKIPPED_KEY) === String(entry.id);
  }
  function pickPhoto(entry, payload) {
    if (payload === "photo:skip") {
      clearQuick();
      if (entry.id != null) store.set(PHOTO_SKIPPED_KEY, String(entry.id));
      ui.input.focus();
      return;
    }
    if (!state.attachInput || entry.id == null) return;
    state.photoFor = entry.id;
    state.attachInput.click();
  }
  function mountAttach() {
    if (!shadow.querySelector("style.filecss")) shadow.appendChild(el("style", "filecss", FILE_CSS));
    const button = el("button", "attach");
    button.innerHTML = ICON_CLIP; // static markup, no data
    button.type = "button";
    button.setAttribute("aria-label", tf("attach"));
    button.title = tf("attach");
    const input = el("input");
    input.type = "file";
    input.accept = FILE_TYPES;
    input.hidden = true;
    const err = el("div", "fileerr");
    err.setAttribute("role", "alert");
    // after the message box, before Send: in Tab order the newest answer's 👍 👎 stay next to the message box
    // (Shift+Tab from it reaches 👎), and the paperclip comes after what the customer types
    const row = ui.form.querySelector(".row");
    row.insertBefore(button, ui.form.querySelector(".send"));
    row.appendChild(input);
    ui.form.appendChild(err);
    button.addEventListener("click", () => { state.photoFor = null; input.click(); });
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      const photoFor = state.photoFor;
      state.photoFor = null;
      input.value = "";
      if (file) sendFile(file, err, photoFor);
    });
    state.attachButton = button;
    state.attachInput = input;
    updateAttach();
  }
  function updateAttach() {
    if (!state.attachButton) return;
    state.attachButton.hidden = !state.conv;
    // in the widget's language, which follows the customer's (followLanguage)
    state.attachButton.setAttribute("aria-label", tf("attach"));
    state.attachButton.title = tf("attach");
  }
  async function sendFile(file, err, photoFor) {
    if (!state.conv) return;
    err.textContent = tf("sendingFile", { name: file.name });
    let res = null, data = null;
    const headers = { "Content-Type": file.type || "application/octet-stream", "X-Filename": encodeURIComponent(file.name) };
    if (photoFor != null) headers["X-Photo-For"] = String(photoFor);
    try {
      ({ res, data } = await fetchJson(new URL("api/chat/" + encodeURIComponent(state.conv) + "/attachments", BASE).href, {
        method: "POST",
        headers,
        body: file,
      }));
    } catch (e) { res = null; }
    if (res && res.ok && data && data.message) {
      err.textContent = "";
      merge([data.message], false);
      // the bot asked for no file: nothing will answer it, so say where it went (a person sees it)
      if (photoFor == null && state.mode === "bot") notice(tf("fileKept"), tf("fileKeptDetail"), null, true);
      return;
    }
    err.textContent = (data && typeof data.error === "string" && data.error) || tf("fileFailed");
  }

  // ---- e-mail links (issue 21: mail lane) ---------------------------------------------------
  /** A link from one of our e-mails (…/#lk-chat=<id>: the agent's reply, the rating link) reopens that conversation
   *  in this browser and opens the panel; the fragment is removed so the id is not left in the address bar. */
  function adoptLinkedConversation() {
    const m = /(?:^#|&)lk-chat=([A-Za-z0-9_-]{8,64})(?:&|$)/.exec(location.hash || "");
    if (!m) return false;
    try { history.replaceState(null, "", location.pathname + location.search); } catch (e) {}
    if (m[1] !== state.conv) {
      state.conv = m[1];
      store.set(KEY, state.conv);
    }
    return true;
  }

  /** The widget's own words around the conversation, in the widget's language. */
  function labelFrame() {
    ui.root.lang = LANG; // the glyphs of its script's fonts (traditional shapes for zh-Hant) and its screen reader voice
    ui.title.textContent = title();
    ui.panel.setAttribute("aria-label", title());
    ui.launcher.setAttribute("aria-label", t("openChat"));
    ui.human.textContent = t("talkToPerson");
    ui.human.setAttribute("aria-label", t("talkToPerson"));
    ui.close.setAttribute("aria-label", t("closeChat"));
    shadow.querySelector("label.sr").textContent = t("yourMessage");
    ui.input.placeholder = t("placeholder");
    ui.input.setAttribute("aria-label", t("yourMessage"));
    ui.send.setAttribute("aria-label", t("sendMessage"));
    ui.typing.setAttribute("aria-label", t("assistantTyping"));
    ui.pill.setAttribute("aria-label", t("newMessage"));
  }
  /** The language of the customer's message (the chat API's `language`): while it is Chinese the bot answers in
   *  Chinese, so the widget's own words are Chinese too (a Chinese customer on an English page reads "Did this help?",
   *  the queue, the rating and the buttons in Chinese); otherwise the page's language (an English line, or one that
   *  says no language, such as an order number, on a Chinese page keeps it Chinese). Chinese in the script the API
   *  says the customer writes (`script`: "Hant" traditional, "Hans" simplified), else the one it was in (the page's
   *  before the first reply: zh-TW is traditional). Kept for a reload. */
  function followLanguage(lang, script) {
    const chineseNow = chinese() ? LANG : PAGE_LANG !== "en" ? PAGE_LANG : "zh";
    const inScript = script === "Hant" ? "zh-Hant" : script === "Hans" ? "zh" : chineseNow;
    const next = pickLang(lang) === "zh" ? inScript : PAGE_LANG;
    store.set(SPOKEN_KEY, next);
    if (next === LANG) return;
    LANG = next;
    WORDS = STRINGS[LANG];
    makeClocks();
    labelFrame();
    if (state.intro && state.intro.el.isConnected) {
      // the widget's own greeting at the top of the chat, in the new language too
      const who = state.intro.el.querySelector(".who");
      if (who) who.textContent = t("assistant");
      const bubble = state.intro.el.querySelector(".text");
      if (bubble) {
        bubble.textContent = "";
        renderMarkdown(bubble, greeting());
      }
    }
    showStatus();
    showQueueNote();
    updateWaitChoice();
    updateOffline();
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
      log: $(".log"), typing: $(".typing"), pill: $(".pill"), form: $("form"), input: $("textarea"),
      send: $(".send"), count: $(".count"),
    };
    labelFrame();
    ui.launcher.addEventListener("click", () => (state.open ? close() : open()));
    ui.close.addEventListener("click", close);
    ui.human.addEventListener("click", () => send("/request_human", t("talkToPerson")));
    ui.pill.addEventListener("click", jumpToUnseen);
    ui.log.addEventListener("scroll", onLogScroll, { passive: true });
    ui.form.addEventListener("submit", (e) => { e.preventDefault(); submit(); });
    ui.input.addEventListener("input", () => {
      // the bot's buttons stay while the customer types (they may still pick one, as in Intercom or Zendesk); a
      // message sent, typed or picked, is their answer and takes the buttons away (addEntry)
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
    // The chat's launcher is the page's first Tab stop: keyboard users reach help without tabbing through it all.
    document.body.insertBefore(host, document.body.firstChild);
    // Any page element with data-open-chat (e.g. a "Help" link) opens the chat; a value there (the help article
    // read, the search that found nothing) starts the customer's message, unless they are already writing one.
    document.addEventListener("click", (e) => {
      const target = e.target && e.target.closest && e.target.closest("[data-open-chat]");
      if (!target) return;
      e.preventDefault();
      open();
      const draft = (target.getAttribute("data-open-chat") || "").slice(0, 300);
      if (draft.trim() && !ui.input.value) {
        ui.input.value = draft;
        updateInput();
        ui.input.setSelectionRange(draft.length, draft.length);
      }
    });
    // the log's size changes (a phone's keyboard, a rotated screen): keep the newest reply in view
    if ("ResizeObserver" in window) new ResizeObserver(() => keepInView()).observe(ui.log);

    const linked = adoptLinkedConversation();
    mountAttach();
    state.intro = addEntry({ sender: "bot", text: greeting(), cls: "intro", local: true });
    setMode("bot");
    if (state.conv) {
      state.chain = sync(true).catch(() => {});
    } else {
      loadStatus().catch(() => {});
    }
    if (linked || attr("open") === "true" || store.get(OPEN_KEY, true) === "1") open();
  }

  window.LarkspurChat = {
    open: () => ui && open(),
    close: () => ui && close(),
    send: (text) => { if (ui) { open(); send(text); } },
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
