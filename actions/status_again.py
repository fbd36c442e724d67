"""A customer who says the status they were just given has not moved ("tracking hasnt moved in 5 days, this is
ridiculous", "it still says the same thing", "物流五天没更新了"): the same status text again answers nothing. The bot
says so and offers a person, who can check with the carrier, instead of repeating itself. One who asks right after it
to hurry the order up ("那能帮我催一下吗", "can you hurry it up?") is told the bot cannot, and offered a person too."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import offer_person
from actions.order_state import FLOW, FORM, LAST_FLOW, ORDER_ID, ORDER_STATUS
from actions.product_kinds import kinds_in
from actions.texts import render
from actions.texts.catalog import orders as say
from helpdesk.vocabulary import HANDOFF_REQUESTED
from nlu_addons.language import simplified

# the status or its tracking has not moved since: "hasnt moved", "no update in days", "still says the same", "stuck"
STUCK_RE = re.compile(
    r"\b(?:hasn'?t|has\s+not|haven'?t|have\s+not|not|never|didn'?t|did\s+not|isn'?t|is\s+not)\s+(?:\w+\s+){0,2}"
    r"(?:moved|changed|updated|budged|progressed|changing|moving|updating)\b"
    r"|\bno\s+(?:\w+\s+)?(?:updates?|change|changes|movement|progress)\b|\bstill\s+(?:says|shows|the\s+same)\b"
    r"|\bsame\s+(?:thing|status|message|answer)\b|\bstuck\b|\bnot\s+a\s+single\s+update\b"
    r"|(?:没|沒|不)(?:有)?(?:更新|动|動|变|變|变化|變化)|一直(?:显示|是|停在)|还是(?:一样|这样|老样子)|卡住|停住",
    re.IGNORECASE,
)
# "怎么还没发货啊 都好几天了", "咋还没发出来" (simplified: 還沒出貨 too) right after a paid order's status: it has not
# moved either (lane czh, 2026-12-07: it was "还是订单 100253 吗？" and the customer's other orders); not beside a
# change asked for ("还没发货能取消吗" asks to cancel)
ZH_NOT_SENT_YET_RE = re.compile(
    r"^(?!.*(?:取消|撤单|退|改|换|地址)).*还没(?:有)?(?:发货|发出|寄出|出货|出库|动静|消息)"
)
LOOK_BACK = 3  # the customer's latest messages whose bot replies count as "just said"
# the order hurried up: "催一下", "帮我催催", "能不能快点发货", "can you hurry it up", "expedite it" (not 加急, express
# delivery, a handbook question); in simplified characters, as the rules read it
HURRY_RE = re.compile(
    r"\b(?:hurry|speed)\s+(?:(?:it|this|that|things|them|my\s+order|the\s+order)\s+)?up\b|\bexpedite\b"
    r"|\bchase\s+(?:it|this|that|them|the\s+(?:order|parcel|warehouse|carrier))\b"
    r"|\b(?:get|send|deliver|ship)\s+(?:it|them)\s+(?:(?:here|to\s+me)\s+)?(?:any\s+)?(?:sooner|faster|quicker)\b"
    r"|\b(?:come|arrive|get\s+here)\s+(?:any\s+)?(?:sooner|faster|quicker)\b"
    r"|催一下|催一催|催催|催下|帮我催|(?:快点|快些|尽快|早点)(?:发货|发|寄|送)"
    # "可以快点吗", "能不能快一点": only ever read right after the order's status (hurry_after_status)
    r"|(?:可以|能|能不能|可不可以)(?:再)?快(?:一)?点",
    re.IGNORECASE,
)

# what a stuck status may be said of: the order, its parcel, tracking, carrier, or a stretch of time ("a whole week");
# and the adverbs a customer puts there ("its still stuck")
ORDER_THINGS = frozenset(
    re.findall(
        r"\w+",
        "order orders parcel parcels package packages tracking tracker shipment delivery status page link number "
        "stuff things thing dhl dpd ups postnl gls courier carrier driver week weeks day days month while time bit "
        "whole entire last past still just now been really literally totally completely",
    )
)
# a thing named in the words before the stuck words: "the zip on my cushion cover is stuck", "this drawer wont budge"
THING_NAMED_RE = re.compile(
    r"\b(?:the|my|a|an|this|that|these|those|our|its|his|her|their)\s+((?:[a-z]+\s+){0,2}?[a-z]+)"
    r"(?=\s+(?:is|was|are|were|has|have|had|got|gets|keeps|seems|on|of|in|from|for|with|stuck)\b|\s*$)",
    re.IGNORECASE,
)
# where only a parcel gets stuck: "the candles are stuck in customs"
AT_PARCEL_PLACE_RE = re.compile(
    r"\s+(?:in|at)\s+(?:the\s+)?(?:customs|transit|depot|warehouse|hub|sorting|post\s+office|border)", re.IGNORECASE
)
CLAUSE_BREAK_RE = re.compile(r"[,.;!?，。；！？]|\b(?:and|but|so|because|cause|cuz)\b", re.IGNORECASE)


def names_another_thing(before: str) -> bool:
    """The words before the stuck words in their clause name something that is not the order, its parcel or its
    tracking ("the zip on my cushion cover" is stuck, "抱枕套的拉链" 卡住了; "my parcel", "it", "tracking" may be)."""
    clause = CLAUSE_BREAK_RE.split(before)[-1]
    named = [match.group(1).lower().split() for match in THING_NAMED_RE.finditer(clause)]
    return any(not ORDER_THINGS.intersection(words) for words in named) or bool(kinds_in(clause))


def says_status_stuck(text: str) -> bool:
    """``text`` says a status or its tracking has not moved: said of the order or of nothing named, not of another
    thing ("the zip on my cushion cover is stuck, how do i wash it")."""
    plain = simplified(text)
    return ZH_NOT_SENT_YET_RE.search(plain) is not None or any(
        AT_PARCEL_PLACE_RE.match(plain, match.end()) or not names_another_thing(plain[: match.start()])
        for match in STUCK_RE.finditer(plain)
    )


def status_not_enough(text: str) -> bool:
    """``text``, right after an order's status, says it has not moved or asks to hurry it: the same status again
    answers nothing (a person is offered). "大概哪天能到？", "so when will it arrive?" only ask what the status says."""
    return says_status_stuck(text) or HURRY_RE.search(simplified(text)) is not None


def said_lately(tracker: Tracker, text: str, whole: bool = True) -> bool:
    """The bot said ``text`` (word for word, or within a message unless ``whole``) in its replies to the customer's
    last few messages."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > LOOK_BACK:
                return False
        elif event.get("event") == "bot":
            said = str(event.get("text") or "")
            if said == text or (not whole and text in said):
                return True
    return False


def offer_instead_of_status(dispatcher: CollectingDispatcher, tracker: Tracker, order_id: str) -> None:
    """Nothing newer than the status already given: a person offered, who can check with the carrier (not asking for
    the e-mail address the customer gave as the order's proof)."""
    offer_person(dispatcher, tracker, render(say.STATUS_UNCHANGED, order_id=order_id), HANDOFF_REQUESTED)


def stuck_right_after_status(tracker: Tracker, text: str) -> bool:
    """``text`` says the status has not moved, right after the status of the order the conversation knows (the bot
    named it in its last few replies: "the zip is stuck" long after is about something else)."""
    order_id = tracker.get_slot(ORDER_ID)
    if tracker.get_slot(LAST_FLOW) != ORDER_STATUS or not order_id or not says_status_stuck(text):
        return False
    return said_lately(tracker, str(order_id), whole=False)


def hurry_after_status(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> bool:
    """ "那能帮我催一下吗" right after the status of the order the conversation knows (it was "Did you mean" product
    availability): the bot cannot make it faster, says so, and offers a person who can check with the warehouse or the
    carrier; False (nothing said) otherwise."""
    order_id = tracker.get_slot(ORDER_ID)
    if tracker.get_slot(LAST_FLOW) != ORDER_STATUS or not order_id or not HURRY_RE.search(simplified(text)):
        return False
    if not said_lately(tracker, str(order_id), whole=False):
        return False
    offer_person(dispatcher, tracker, render(say.CANNOT_HURRY, order_id=order_id), HANDOFF_REQUESTED)
    return True


def status_again_for_stuck(tracker: Tracker, text: str) -> list[EventType] | None:
    """ "tracking hasnt moved in 5 days, this is ridiculous" right after an order's status: that order's status
    request again (its order form, the proof already given), which offers a person when nothing changed. None when the
    message says no such thing or no status was given just before."""
    return [SlotSet(FLOW, ORDER_STATUS), FollowupAction(FORM)] if stuck_right_after_status(tracker, text) else None
