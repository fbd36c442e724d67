"""Small talk and vague openers: a short, friendly answer, then what the bot can do (issue 16.3).

Neither queues the conversation: a joke, "are you there? my wifi is flaky" or "I have a question" costs an agent
nothing. Inside an order request the answer is followed by the form's own question again (data/rules.yml).
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handbook_answer import answer_entry
from actions.handbook_followup import answer_about_last_answer, thing_asked_about
from actions.handoff import offer_person
from actions.known_order import change_of_known_order, handbook_about_known_order
from actions.order_state import EVIDENCE, FORM, ORDER_ID
from actions.other_language import SPOKEN, beside_language_question, language_asked_about
from actions.parsing import EMAIL_RE, ORDER_NUMBER_RE
from actions.refused_change import WHAT_NOW_RE, options_after_refused_change
from actions.requests import clauses, declines_flow, order_request, size
from actions.signals import signal_small_talk
from actions.status_again import hurry_after_status
from actions.texts import render
from actions.texts.catalog import orders as order_texts
from actions.texts.catalog import smalltalk as say
from actions.turns import said
from helpdesk.i18n import join_sentences, speaking
from helpdesk.vocabulary import HANDOFF_LOW_CONFIDENCE

# the kinds of small talk, by their words; the first that matches answers (else ACKNOWLEDGED)
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("joke", re.compile(r"\b(?:jokes?|funny|laugh|pun)\b", re.I)),
    (
        "connection",
        re.compile(
            r"\b(?:wifi|wi-fi|internet|connection|signal|disconnect\w*|lag\w*|come\s+through|get\s+my\s+message|"
            r"still\s+with\s+me|cutting\s+out)\b",
            re.I,
        ),
    ),
    (
        "wait",
        re.compile(r"\b(?:sec|second|moment|minute|brb|hold\s+on|hang\s+on|let\s+me\s+(?:check|look|find))\b", re.I),
    ),
    (
        "how_are_you",
        re.compile(
            r"\b(?:how\s+(?:are|r)\s+(?:you|u|ya)|how'?s\s+(?:it|your|things)|you\s+ok|u\s+ok|"
            r"how\s+(?:are\s+|r\s+)?(?:you|u|ya)\s+doin(?:g|')?|how\s+have\s+you\s+been|what'?s\s+up|wassup|sup)\b",
            re.I,
        ),
    ),
    # a greeting read as small talk ("hello there, how's things"): greeted back before what the bot can do
    (
        "hello",
        re.compile(r"^\W*(?:hi|hello|hey|hiya|heya|howdy|greetings|good\s+(?:morning|afternoon|evening|day))\b", re.I),
    ),
    ("rude", re.compile(r"\b(?:useless|stupid|dumb|rubbish|terrible|annoying|hate\s+you)\b", re.I)),
    ("laugh", re.compile(r"(?:\b(?:lol|lmao|rofl|ha(?:ha)+h?)\b|😂|🤣|:\)|:D)", re.I)),
    ("praise", re.compile(r"\b(?:good|nice|clever|sweet|helpful|love|favourite|favorite)\b", re.I)),
    ("tired", re.compile(r"\b(?:tired|bored|sigh|ugh|what\s+a\s+day|mondays?)\b", re.I)),
    ("language", re.compile(r"\b(?:english|typo|keyboard)\b", re.I)),
    ("about_me", re.compile(r"\b(?:you|your|u)\b", re.I)),
    # the same kinds in Chinese (no word boundaries in Chinese script)
    ("joke", re.compile(r"笑话|逗我|搞笑|段子")),
    ("connection", re.compile(r"网络|断线|掉线|信号|卡了|收到我的消息|还在吗")),
    ("wait", re.compile(r"等一下|稍等|等等|等我|一会儿|马上回来")),
    ("how_are_you", re.compile(r"你好吗|最近怎么样|你还好吗")),
    ("rude", re.compile(r"没用|垃圾|笨|蠢|烦死")),
    ("laugh", re.compile(r"哈哈|呵呵|嘻嘻")),
    ("praise", re.compile(r"真棒|厉害|好聪明|谢谢你|辛苦")),
    ("tired", re.compile(r"好累|累死|无聊|唉")),
    ("about_me", re.compile(r"你是谁|你叫什么|你几岁|你喜欢")),
    ("hello", re.compile(r"^\W*(?:你好|您好|嗨|哈喽|早上好|晚上好)")),
)
# the template (actions/texts/smalltalk.py) that answers each kind
ANSWERS = {
    "connection": "CONNECTION",
    "wait": "WAIT",
    "how_are_you": "HOW_ARE_YOU",
    "hello": "HELLO",
    "rude": "RUDE",
    "laugh": "LAUGH",
    "praise": "PRAISE",
    "tired": "TIRED",
    "language": "LANGUAGE",
    "about_me": "ABOUT_ME",
}
ORDER_WORDS = re.compile(r"\b(?:order|purchase|parcel|package|delivery|bought)\b|订单|包裹|快递|配送|买的", re.I)
RETURN_WORDS = re.compile(r"\b(?:return\w*|refund\w*|send\w*\s+back|money\s+back)\b|退货|退款|退钱|寄回", re.I)


# a vague opener that asks what the bot can do ("what are you good at?", "is this chat only for tracking?", "这个客服能
# 做什么"): answered with what it does, not "what is it?" (issue 17: such first questions were handed off)
CAPABILITY_WORDS = re.compile(
    r"\b(?:what|which|wat|wht|how)\b[^?.!]*\b(?:you|u|ur|this\s+(?:chat|bot|assistant|thing))\b"
    r"|\b(?:capabilit\w*|abilit\w*|skills?|functions?|features?|purpose|topics?|options|menu|services)\b"
    r"|\bable\s+to\b|\b(?:only|just)\s+(?:for|about|do|answer|track)\w*\b|\bwhat\b[^?.!]*\bfor\b"
    r"|\b(?:is|does|can)\s+(?:this|the|your)\s+(?:chat|bot|assistant)\b"
    r"|能做什么|能帮我?(?:做|干)?(?:什么|啥)|可以(?:帮我?)?(?:做|干)?(?:什么|啥)|有(?:什么|哪些)功能",
    re.IGNORECASE,
)


def kind_of(text: str) -> str:
    return next((kind for kind, pattern in KINDS if pattern.search(text)), "other")


def small_talk_answer(text: str) -> str:
    kind = kind_of(text)
    if kind == "joke":
        jokes = say.JOKES
        return render(say.JOKE, joke=jokes[zlib.crc32(text.encode("utf-8")) % len(jokes)])
    answer: str = getattr(say, ANSWERS.get(kind, "ACKNOWLEDGED"))
    return answer


def topic(title: str, payload: str) -> dict[str, str]:
    return {"title": title, "payload": payload}


def general_topics() -> list[dict[str, str]]:
    """The greeting's topics, in the customer's language (a question topic's payload is the question itself)."""
    return [
        topic(say.TOPIC_ORDER_STATUS, "/order_status"),
        topic(say.TOPIC_RETURN, "/request_refund"),
        topic(say.TOPIC_DELIVERY, say.TOPIC_DELIVERY),
        topic(say.TOPIC_PERSON, "/request_human"),
    ]


def order_topics() -> list[dict[str, str]]:
    return [
        topic(say.TOPIC_ORDER_STATUS, "/order_status"),
        topic(say.TOPIC_CANCEL, "/cancel_order"),
        topic(say.TOPIC_ADDRESS, "/change_shipping_address"),
        topic(say.TOPIC_RETURN, "/request_refund"),
    ]


def return_topics() -> list[dict[str, str]]:
    return [
        topic(say.TOPIC_RETURN, "/request_refund"),
        topic(say.TOPIC_REFUND_STATUS, "/refund_status"),
        topic(say.TOPIC_RETURN_POLICY, say.TOPIC_RETURN_POLICY),
    ]


def in_request(tracker: Tracker) -> bool:
    return tracker.active_loop_name == FORM


class ActionSmallTalk(Action):
    """A line of small talk back, then what the bot can do (inside an order request, the form asks again)."""

    def name(self) -> str:
        return "action_small_talk"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = said(tracker)
        if in_request(tracker):
            dispatcher.utter_message(text=small_talk_answer(text))  # the form's question follows
        elif (options := await options_after_refused_change(dispatcher, tracker)) is not None:
            return options  # "so what now" right after a refused change: what they can do
        elif hurry_after_status(dispatcher, tracker, text):
            return []  # "ok can u hurry it up" right after the status, read as small talk: a person offered
        elif language_asked_about(text) in SPOKEN and beside_language_question(text) is not None:
            # "sorry can you answer in english? when will i get the money": the yes, then the question (faq's turn)
            return [FollowupAction("action_answer_faq")]
        elif not answer_language_question(dispatcher, tracker, text):
            answer_small_talk(dispatcher, text)
        return []


class ActionVagueOpener(Action):
    """ "I have a question", "hi, about my order": invite it, with the topics that fit."""

    def name(self) -> str:
        return "action_vague_opener"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if in_request(tracker):
            # "what do i do" at the identity question asks what is needed, not for leave to ask ("Sure, ask away.")
            asks_next = WHAT_NOW_RE.search(said(tracker)) is not None
            dispatcher.utter_message(text=say.NEXT_STEP if asks_next else say.ASK_AWAY)
            return []
        text = said(tracker)
        if (options := await options_after_refused_change(dispatcher, tracker)) is not None:
            return options  # "so what can I do" right after a refused address change or cancellation
        about_order = opener_about_order(dispatcher, text)
        if about_order is not None:
            return about_order
        if (started := change_of_known_order(tracker, text)) is not None:
            return started  # "ugh ok. what about cancelling it" right after the order's status: that cancellation
        if hurry_after_status(dispatcher, tracker, text):
            return []  # "可以帮我催一下吗" right after the status, read as an opener: a person offered
        if thing_asked_about(text) is not None and (followed := answer_about_last_answer(tracker, text)) is not None:
            # "what about norway?" right after the delivery-time answer reads as an opener alone: it is that question
            answer_entry(dispatcher, followed.id, followed.title, followed.answer, followed.score)
            return []
        if (entry := handbook_about_known_order(tracker, text)) is not None:
            # "ok and can i still add something to it" right after the order's status: about that order
            answer_entry(dispatcher, entry.id, entry.title, entry.answer, entry.score)
            return []
        answer_vague(dispatcher, text)
        return []


def opener_about_order(dispatcher: CollectingDispatcher, text: str) -> list[dict[str, Any]] | None:
    """ "i have a question. about my order 100234", "hi, it's about my order 100234": an order number with nothing
    but an opener around it. What to do with that order is asked (the number is kept); None when the message is not
    that (it names no order number, or says what to do)."""
    number = ORDER_NUMBER_RE.search(text)
    pasted = pasted_confirmation(text)
    if number is None or not (pasted or any(vague_by_words(ORDER_NUMBER_RE.sub(" ", part)) for part in clauses(text))):
        return None
    if any(order_request(part, order_known=True) for part in clauses(text)):
        return None  # "i have a problem with order 100262, can you cancel it": that request
    problem = any(PROBLEM_WITH_ORDER.search(ORDER_NUMBER_RE.sub(" ", part)) for part in clauses(text))
    template = order_texts.PROBLEM_WITH_ORDER if problem else order_texts.DETAILS_WITHOUT_REQUEST_FOR_ORDER
    dispatcher.utter_message(text=render(template, order_id=number.group(1)), buttons=order_topics())
    email = EMAIL_RE.search(text) if pasted else None
    # the e-mail address in a pasted confirmation is kept for the identity check of the request that follows
    return [SlotSet(ORDER_ID, number.group(1)), *([SlotSet(EVIDENCE, {"email": email.group(0)})] if email else [])]


# an order confirmation pasted into the chat with nothing asked ("Your Larkspur order #100218 / Order date: … /
# 1 x Ribbed tumblers €32.00 / Total: €111.00", "订单确认 订单号：100218 … 合计：€111.00"): a price, a confirmation's
# words and no question; what to do with that order is asked (opener_about_order), as for the number on its own
PRICE_RE = re.compile(r"[€£$]\s?\d|\d(?:[.,]\d{1,2})?\s?(?:€|eur\b|euros?\b)", re.IGNORECASE)
CONFIRMATION_WORDS_RE = re.compile(
    r"\border\s+(?:confirmation|confirmed|date|summary|details|number|no\b)"
    r"|\bthanks?(?:\s+you)?\s+for\s+(?:your\s+order|shopping|ordering)|\b(?:sub)?total\b"
    r"|[订訂][单單][确確]认|[订訂][单單][确確]認|[订訂][单單][号號]|下[单單][时時]间|下[单單][时時]間|[合总總][计計]|[实實]付"
    r"|感[谢謝]您的[订訂][购購]",
    re.IGNORECASE,
)


# the customer's own words after a paste ("… Total: €111.00 / how do i return the tablecloth"): that request or question
CUSTOMER_ASKS_RE = re.compile(
    r"[?？]|\b(?:how|what|when|where|why|can|could|please|pls|help|i\s+(?:want|need|would\s+like|'d\s+like))\b"
    r"|我想|我要|怎么|怎麼|能不能|可以|[请請]|[帮幫]我|[为為]什么|[为為]什麼",
    re.IGNORECASE,
)


def pasted_confirmation(text: str) -> bool:
    return bool(
        ORDER_NUMBER_RE.search(text)
        and PRICE_RE.search(text)
        and CONFIRMATION_WORDS_RE.search(text)
        and not CUSTOMER_ASKS_RE.search(text)
    )


# the same, recognised by words when the NLU was unsure (a joke, a dropped connection, "I have a question"): the
# handbook search's fallback uses them before offering a person, so they work whatever the NLU pipeline decided
SURE_SMALL_TALK = re.compile(
    r"\b(?:jokes?|make\s+me\s+laugh|something\s+funny|how\s+(?:are|r)\s+(?:you|u)|how'?s\s+your\s+day|brb|"
    r"(?:hang|hold)\s+on|(?:one|a|just\s+a)\s+(?:sec|second|moment|minute)|let\s+me\s+(?:check|look|find)|"
    r"disconnect\w*|still\s+(?:there|with\s+me)|are\s+you\s+there|did\s+my\s+(?:last\s+)?message|"
    r"(?:wifi|wi-fi|internet|connection|signal)\b.{0,30}\b(?:drop\w*|cut\w*|bad|slow|flaky|weak|terrible|lag\w*))\b|"
    r"^\s*(?:lol|lmao|haha\w*|😂|🤣)\s*[!.]*\s*$",
    re.IGNORECASE,
)
SURE_VAGUE = re.compile(
    r"^\s*(?:(?:hi|hello|hey|hiya|ok|so|right)\b[\s,.!]*)*(?:i(?:\s+have|\s+got|'ve\s+got|\s+ve\s+got)\s+(?:a\s+)?(?:quick\s+)?"
    r"(?:question|query|problem|issue)|quick\s+question|can\s+i\s+ask\s+(?:you\s+)?something|i\s+need\s+(?:some\s+)?help|"
    r"(?:it'?s\s+|its\s+|a\s+question\s+|question\s+)?(?:about|regarding)\s+(?:my|an|a|the)\s+"
    r"(?:order|delivery|parcel|return|refund|purchase|payment|account)(?:\s+of\s+mine)?)"
    r"(?:\s+for\s+you)?[\s.!?]*$"
    # "关于订单100234想咨询一下", "订单100234想问一下": a question about an order, in Chinese
    r"|^\s*(?:你好|您好)?[，,\s]*(?:我的|关于|關於)?(?:订单|訂單)?(?:号|號)?[\s，,]*(?:想|我想)?(?:问|問|咨询|諮詢)(?:一下|下)"
    r"[，,。.!！~\s]*$",
    re.IGNORECASE,
)
PROBLEM_WITH_ORDER = re.compile(
    # "about 100234, something's off", "there's a problem with my order 100234": a problem, not yet which one
    r"^\s*(?:(?:hi|hello|hey|ok|so|um+|about)\b[\s,.!-]*)*(?:(?:my|the)\s+order\s*[,.:-]*\s*)?"
    r"(?:something(?:'?s|\s+is)\s+(?:off|wrong|not\s+right)(?:\s+with\s+(?:it|my\s+order|the\s+order))?"
    r"|(?:there'?s|there\s+is|i\s+have|i'?ve\s+got|got)\s+(?:a\s+|an\s+)?(?:problem|issue)"
    r"(?:\s+with\s+(?:my\s+|the\s+|this\s+)?(?:order)?)?|(?:a\s+)?(?:problem|issue)\s+with\s+(?:my\s+)?order)"
    r"[\s.!?]*$"
    # "订单100219有点问题", "你好，我的订单出问题了": the same in Chinese
    r"|^\s*(?:你好|您好|在吗|在嗎|hi|hello)?[，,！!\s]*(?:我的|关于|關於|这个|這個)?(?:订单|訂單)?(?:号|號)?[\s，,]*"
    r"(?:有点|有點|有个|有個|出了?|出现了?|出現了?|有)(?:问题|問題|状况|狀況)(?:了|啊|呀|哦)?[。.!！~\s]*$",
    re.IGNORECASE,
)

# "actually nvm, keep it", "no worries, I'll keep it", "ok forget it": the customer drops what they were about to ask
# (the NLU, unsure, read it as something the shop does not do and a person was offered)
DROPS_IT = re.compile(
    r"^\s*(?:(?:ok|okay|oh|ah|hmm+|well|actually|no|nah|sorry|ok\s+so)\b[\s,.!]*)*"
    r"(?:nvm|never\s*mind|forget\s+(?:it|that|about\s+it)|no\s+worries|no\s+need|all\s+good|doesn'?t\s+matter|"
    r"(?:i'?ll|ill|i\s+will)\s+(?:just\s+)?keep\s+(?:it|them))"
    r"(?:[\s,.!]+(?:(?:i'?ll|ill|i\s+will)\s+(?:just\s+)?keep\s+(?:it|them)|keep\s+(?:it|them)|thanks?|thank\s+you|ty|"
    r"thx|thnx|cheers|then|anyway))*"
    r"[\s.!]*$"
    # "算了", "算了吧，谢谢", "不用了": in Chinese
    r"|^\s*(?:好吧|那)?[，,\s]*(?:算了|不用了|不要了)(?:吧|啦)?[，,\s]*(?:谢谢|謝謝|多谢|多謝)?[。.!！~\s]*$",
    re.IGNORECASE,
)


def drops_it_by_words(text: str) -> bool:
    return bool(DROPS_IT.match(text))


# a message the NLU was unsure of between ways of closing ("nvm then. thx": thanks 0.67, no 0.32; "ok thanks anyway":
# no 0.52, thanks 0.48; "算了不退了，谢谢": thanks 0.47, a return 0.32 that the words decline, no 0.18): however it is
# read the customer is closing, so the closing reply, never "Shall I get a person?" nor "Did you mean". Short messages
# without a question only, the top reading a closer or a declined flow; the reply of the likeliest closer
CLOSERS = frozenset({"thank", "goodbye", "deny"})
CLOSING_MASS = 0.9
CLOSING_WORDS = 12  # words, a Chinese character counting as one


def closing_reply(tracker: Tracker) -> str | None:
    """The reply to a closing message the NLU split between closers (or a flow its words decline), else None."""
    text = said(tracker)
    if "?" in text or "？" in text or size(text) > CLOSING_WORDS:
        return None
    ranking = [r for r in tracker.latest_message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"][:3]
    closing = [r for r in ranking if r.get("name") in CLOSERS or declines_flow(text, r.get("name"))]
    names = [str(r.get("name")) for r in closing]
    if not ranking or ranking[0] not in closing or sum(float(r.get("confidence") or 0) for r in closing) < CLOSING_MASS:
        return None
    replies = {"thank": say.CLOSING_THANKS, "goodbye": say.CLOSING_GOODBYE, "deny": say.CLOSING_NO}
    if "deny" in names and drops_it_by_words(text):
        return replies["deny"]  # "no worries, ill keep it": what was asked is dropped, whichever closer ranks first
    if names[0] in replies:
        return replies[names[0]]  # the likeliest reading's own reply ("no worries, ill keep it": "No problem.")
    return next((replies[name] for name in names if name in replies), None)  # a declined flow first: the next


# a message that only takes leave ("ok thanks bye", "谢谢 拜拜"): the farewell and the words around one
FAREWELL_RE = re.compile(
    r"\b(?:bye+|bye[\s-]bye|goodbye|good\s*bye|see\s+(?:ya|you)|cya|ciao|take\s+care)\b|拜拜|再见|再見|回头见|回頭見",
    re.IGNORECASE,
)
FAREWELL_ONLY_RE = re.compile(
    r"^(?:[\s,.!~，。！]|\b(?:ok(?:ay)?|k|thanks?|thank\s+you|thx|ty|cheers|nvm|never\s*mind|that'?s\s+all|for\s+now|"
    r"then|bye+|bye[\s-]bye|goodbye|good\s*bye|see\s+(?:ya|you)|cya|ciao|take\s+care|have\s+a\s+(?:nice|good)\s+"
    r"(?:day|one|evening))\b|好的?|谢谢|謝謝|多谢|多謝|拜拜|再见|再見|回头见|回頭見|算了|先这样|先這樣|啦|了|哈|吧)+$",
    re.IGNORECASE,
)


def farewell_by_words(text: str) -> bool:
    """The message only takes leave ("ok thanks bye", "谢谢 拜拜", "nvm, bye"), whatever the NLU read."""
    return FAREWELL_RE.search(text) is not None and FAREWELL_ONLY_RE.match(text.strip()) is not None


# a message of emoji alone that acknowledges ("👍", "👌🏻", "🙏", "😊"): the "ok" it means, not a question the handbook
# cannot answer (it was offered a person); skin tones and variation selectors allowed
POSITIVE_EMOJI = "👍👌🙏😊🙂😀😃😄😁👏❤💯✅🆗🤝🥰😍✨🎉💪☺😉🙌"
EMOJI_ACK_RE = re.compile("^[\\s!.~" + POSITIVE_EMOJI + "\U0001f3fb-\U0001f3ff\ufe0f]+$")


def acknowledges_with_emoji(text: str) -> bool:
    return EMOJI_ACK_RE.match(text) is not None and any(ch in POSITIVE_EMOJI for ch in text)


def small_talk_by_words(text: str) -> bool:
    return bool(SURE_SMALL_TALK.search(text)) and len(text.split()) <= 14


def vague_by_words(text: str) -> bool:
    return bool(SURE_VAGUE.search(text) or PROBLEM_WITH_ORDER.search(text))


def answer_language_question(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> bool:
    """ "do you speak chinese?", "可以说英文吗": yes, in that language, with the topics in it; "sprechen sie deutsch?":
    which languages the bot speaks, and a person offered. False (nothing said) when the message asks no such thing."""
    asked = language_asked_about(text)
    if asked is None:
        return False
    if asked in SPOKEN and beside_language_question(text) is not None:
        with speaking(asked):  # the rest of the message is answered next (actions/faq.py)
            dispatcher.utter_message(text=say.LANGUAGE_SPOKEN_GOING_ON)
    elif asked in SPOKEN:
        with speaking(asked):
            dispatcher.utter_message(text=say.LANGUAGE_SPOKEN, buttons=general_topics())
        signal_small_talk(dispatcher)
    else:
        offer_person(dispatcher, tracker, say.ONLY_ENGLISH_AND_CHINESE, HANDOFF_LOW_CONFIDENCE)
    return True


def answer_small_talk(dispatcher: CollectingDispatcher, text: str) -> None:
    # no space between Chinese sentences ("能让您开心就好！ 我可以帮您…")
    dispatcher.utter_message(text=join_sentences([small_talk_answer(text), say.BACK_TO_WORK]), buttons=general_topics())
    dispatcher.utter_message(json_message={"small_talk": kind_of(text)})


def asks_what_bot_does(text: str) -> bool:
    return bool(CAPABILITY_WORDS.search(text))


def answer_vague(dispatcher: CollectingDispatcher, text: str) -> None:
    if asks_what_bot_does(text):
        dispatcher.utter_message(text=say.WHAT_I_DO, buttons=general_topics())
    elif RETURN_WORDS.search(text):
        dispatcher.utter_message(text=say.WHAT_ABOUT_RETURN, buttons=return_topics())
    elif ORDER_WORDS.search(text):
        dispatcher.utter_message(text=say.WHAT_ABOUT_ORDER, buttons=order_topics())
    else:
        dispatcher.utter_message(text=say.WHAT_IS_IT, buttons=general_topics())
    dispatcher.utter_message(json_message={"small_talk": "vague_opener"})
