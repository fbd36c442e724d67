"""A customer without their order number ("i want to cancel my order but i dont have the order number", "i dont have
it" at "What's the order number?", "我找不到订单号"): where to find it, and a person offered, who can look the order up
(the console's customer look-up). Before, the question came again ("I'm not sure I can answer that one, sorry. Now,
back to your order. What's the 6-digit order number?") or "Did you mean" offered an order check: a dead end.

The bot itself looks nothing up by an e-mail address: an address typed in a chat proves nothing (actions/identity.py).
When the shop sends e-mail (the helpdesk says so in each message's metadata), the customer may give the address they
ordered with instead: the list of their orders goes to that address (helpdesk/mail/order_list.py), never into the
chat, and the chat says the same whether or not the address has orders (lane fixes: "I lost my order number", then
an e-mail address, got "What would you like me to do with that?").
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.order_state import person_button
from actions.parsing import EMAIL_RE, ORDER_NUMBER_RE
from actions.signals import signal_order_list
from actions.texts import render
from actions.texts.catalog import identity as say
from actions.texts.catalog import in_every_language
from actions.turns import bot_messages_before_latest

MAIL_KEY = "mail"  # in a message's metadata: "on" when the helpdesk sends e-mail (helpdesk/conversation/chat.py)

_NUMBER = r"(?:order\s*(?:number|no\.?|num|nr|#|id)|the\s+number|confirmation\s+number)"
# said in any message: "i dont have the order number", "lost my order no", "where do i find my order number",
# "我找不到订单号", "订单号忘了"
NO_ORDER_NUMBER_RE = re.compile(
    r"\b(?:don'?t|do\s+not|didn'?t|did\s+not|can'?t|cannot|can\s+not|couldn'?t|haven'?t|have\s+not|never\s+(?:got|had)"
    r"|lost|forgot|forgotten|misplaced|deleted|no\s+idea\s+(?:of|about|what))\b[\w\s']{0,25}?\b"
    + _NUMBER
    + r"|\bwhere\s+(?:do|can|would|should)\s+i\s+(?:find|get|see|look\s+for)\s+(?:my|the|an?)\s+"
    + _NUMBER
    + r"|\b(?:no|without\s+(?:an?|the|my)?)\s*order\s*(?:number|no\.?|#)"
    r"|(?:没有|没|找不到|忘了|忘记|不知道|不记得|丢了|弄丢了|删了)了?.{0,4}订单(?:号|编号)"
    r"|订单(?:号|编号).{0,4}(?:找不到|忘了|忘记|不知道|不记得|丢了|在哪)",
    re.IGNORECASE,
)
# said right after "What's the order number?": "i dont have it", "no idea", "lost it", "不知道", "没有"
NO_NUMBER_ANSWER_RE = re.compile(
    r"^\W*(?:(?:sorry|um+|hmm+|erm|uh+)[\s,.]+)?(?:i\s+)?(?:don'?t|do\s+not|dont|didn'?t|can'?t|cannot)\s+"
    r"(?:have|know|remember|find|got|get|see)(?:\s+(?:it|one|that|them|the\s+number|any))?(?:\s+(?:sorry|tbh))?\W*$"
    r"|^\W*(?:i\s+)?(?:no\s+idea|not\s+sure|lost\s+it|forgot(?:\s+it)?|have\s+no\s+idea|dunno|idk|none)\W*$"
    r"|^\W*(?:我)?(?:没有|没|不知道|不记得|忘了|忘记了|找不到|找不着|丢了)(?:了|啊|呢|诶|耶|欸)?[\W]*$",
    re.IGNORECASE,
)


def says_no_order_number(text: str, asked: bool = False) -> bool:
    """``text`` says the customer has no order number to give (``asked``: the bot just asked for it, so "i dont have
    it" says so too); never a message with an order number in it."""
    if ORDER_NUMBER_RE.search(text):
        return False
    return NO_ORDER_NUMBER_RE.search(text) is not None or (asked and NO_NUMBER_ANSWER_RE.search(text) is not None)


def mail_on(tracker: Tracker) -> bool:
    """The helpdesk that passed the latest message sends e-mail."""
    metadata = tracker.latest_message.get("metadata") or {}
    return isinstance(metadata, dict) and metadata.get(MAIL_KEY) == "on"


def answer_no_order_number(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Where the order number is, the list of their orders by e-mail offered (when the shop sends e-mail), and a person
    a button away (who can look the order up); the request goes on, so the number, once found, is read as ever (a
    yes/no offer's "no" would have ended it)."""
    text = say.NO_ORDER_NUMBER_BY_MAIL if mail_on(tracker) else say.NO_ORDER_NUMBER
    dispatcher.utter_message(text=text, buttons=[person_button()])


def order_list_offered(tracker: Tracker) -> bool:
    """The bot's message just before the latest one offered the list of orders by e-mail."""
    offers = in_every_language(say, "NO_ORDER_NUMBER_BY_MAIL")
    for event in bot_messages_before_latest(tracker):
        if event.get("text"):
            return str(event["text"]) in offers
    return False


def email_for_order_list(tracker: Tracker, text: str) -> str | None:
    """The e-mail address ``text`` gives in answer to the offer of the order list (and no order number), else None."""
    if ORDER_NUMBER_RE.search(text) or not order_list_offered(tracker):
        return None
    found = EMAIL_RE.search(text)
    return found.group(0) if found else None


def send_order_list(dispatcher: CollectingDispatcher, email: str) -> None:
    """The list of orders asked for ``email`` (the helpdesk queues it, and the mail worker finds the orders): the chat
    says the same whether or not the address has orders, and shows none of them."""
    dispatcher.utter_message(text=render(say.ORDER_LIST_SENT, email=email))
    signal_order_list(dispatcher, email)
