"""The order form: which order, proof that it's the customer's, then what the flow needs.

``validate_order_form`` runs after every customer message while the form is active (and once when
it starts). It reads the message (order number, e-mail or postcode, an address, items, yes/no),
checks the customer's identity with the order system, applies the shop's policy as soon as the
order is known (a shipped order is not offered a cancellation), and names the next slot to ask
for. A message that answers nothing (a handbook question, "I want a person", "never mind") is left
to the rules: the form rejects that turn (ActionExecutionRejection) and asks again afterwards.

Nothing about an order is said before the identity check passes, and a wrong e-mail gives the
same answer as an order number that doesn't exist.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from typing import Any

from rasa_sdk import ActionExecutionRejection, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.address import (
    address_in_request,
    address_part_corrected,
    chinese_script_address,
    clean_answer,
    country_label,
    looks_like_address,
    looks_like_address_in_any_script,
    read_address,
)
from actions.answer_again import asks_something
from actions.beside_damage import returned_undamaged
from actions.changes import PlannedChange, declined_text, planned_change
from actions.handbook_answer import RULE_RETURN_LABEL, answer_entry
from actions.handbook_followup import return_question_answer
from actions.identity import VERIFIED_BY_ORDER, VERIFIED_BY_TOKEN, asker, load_context, verified_customer
from actions.items import (
    PIECES_PAYLOAD_RE,
    ItemsSaid,
    Mode,
    choose,
    everything_returnable,
    part_of_a_set,
    pieces_answer,
    pieces_unclear,
    read_items,
    single_pieces,
)
from actions.no_order_number import email_for_order_list, says_no_order_number, send_order_list
from actions.offer_reply import yes_with_thanks
from actions.order_state import (
    BY_ACCOUNT,
    BY_CUSTOMER,
    BY_EMAIL,
    BY_POSTCODE,
    CANCEL,
    CHANGE_ADDRESS,
    CHANGE_PROOFS,
    CHANGES,
    CONFIRM,
    CUSTOMER_ID,
    CUSTOMER_VERIFIED_BY,
    DETAIL_SLOTS,
    EMAIL,
    EVIDENCE,
    FLOW,
    FLOW_DETAILS,
    FORM,
    NEW_ADDRESS,
    ORDER_DETAILS_ACTION,
    ORDER_ID,
    PENDING_CONFIRMATION,
    PENDING_DETAIL,
    POSTCODE,
    REFUSAL,
    REQUESTED_SLOT,
    RETURN,
    RETURN_ITEMS,
    RETURN_REASON,
    RETURN_REMEDY,
    SWITCH_TO,
    VERIFICATION,
    VERIFIED_ORDER,
    OrderState,
    backend_failure,
    latest_intent,
    order_system,
    person_button,
    request_ended,
)
from actions.parsing import POSTCODE_RE, Found, named_order_numbers, only_order_number, plain_answer, read_message
from actions.photos import received_item_entry, return_reason_of
from actions.product_kinds import items_named, named_elsewhere, names_other_kind
from actions.remedy import remedy_asked, remedy_said
from actions.requests import (
    NEGATION_RE,
    TAKING_BACK_ALONE_RE,
    TAKING_BACK_RE,
    bare_request,
    declines_flow,
    names_flow,
    zh_return_condition,
)
from actions.return_label import asks_about_return_label, return_label_answer
from actions.return_reasons import change_of_mind_said
from actions.signals import signal_handoff, signal_small_talk
from actions.smalltalk import drops_it_by_words, farewell_by_words, small_talk_answer, small_talk_by_words
from actions.texts import render
from actions.texts.catalog import address as address_texts
from actions.texts.catalog import identity as say
from actions.texts.catalog import in_every_language
from actions.texts.catalog import orders as order_texts
from actions.texts.catalog import returns as return_texts
from actions.texts.catalog import smalltalk as smalltalk_texts
from actions.turns import bot_messages_before_latest, said, turns_before_latest
from actions.typed_choice import typed_flow
from helpdesk import i18n
from helpdesk.i18n import join_sentences
from helpdesk.knowledge import language_search
from helpdesk.knowledge.decision import Candidate
from helpdesk.knowledge.runtime import get_knowledge_base
from helpdesk.orders import (
    Address,
    BackendError,
    Order,
    OrderLine,
    OrderNotFound,
    OrderSystem,
    PolicyRefusal,
    ReturnReason,
    ReturnRemedy,
    Verdict,
    describe_refund,
    get_identity_checks,
    verify_access,
)
from helpdesk.orders.model import RefundState, utc_now
from helpdesk.orders.policy import ALREADY_REFUNDED, NOT_DELIVERED, RETURN_ALREADY_REQUESTED, Action
from helpdesk.vocabulary import HANDOFF_VERIFICATION_FAILED
from nlu_addons.arbiter import ZH_ASKS_TO_DO, ZH_GENERAL_QUESTION
from nlu_addons.language import language_of

# intents that are not an answer to the form: the rules answer them, then the form asks again
INTERRUPTIONS = frozenset(
    {"faq", "out_of_scope", "request_human", "complaint", "bot_challenge", "goodbye", "change_order", "payment_issue"}
    | {"chitchat", "vague_opener"}
)
# a question about something, not an answer ("how do I clean the candle holders?")
QUESTION_RE = re.compile(
    r"\?\s*$|^\s*(?:how|what|why|when|where|which|who|can|could|do|does|did|is|are|will|would|should)\b",
    re.IGNORECASE,
)
# the words before an English question at the yes/no ("wait, can i still return it if i opened it", "ok so is it
# free"), a question asked so, and asking the bot to do it ("can you cancel it please", "yes could u book it": a yes)
EN_LEAD_IN = (
    r"^\W*(?:(?:ok(?:ay)?|yes|yeah|yep|sure|then|so|right|wait|hold\s+on|hang\s+on|sorry|um+|hmm+|oh|actually|but"
    r"|and)\b[\s,.!]*)*"
)
EN_ASKS_RE = re.compile(
    r"\?\s*$|"
    + EN_LEAD_IN
    + r"(?:how|what|why|when|where|which|who|can|could|do|does|did|is|are|will|would|should|may)\b",
    re.IGNORECASE,
)
ASKS_TO_DO_RE = re.compile(EN_LEAD_IN + r"(?:can|could|would|will)\s+(?:you|u)\b", re.IGNORECASE)


def asks_whether(text: str) -> bool:
    """The message asks a question instead of asking for the change: "等等，镜子拆封了还能退吗", "can i still return
    it" (whether it can be done); asking the bot to do it ("能帮我取消吗", "can you cancel it please") is no such
    question. ``text`` as the rules read it (Chinese in simplified characters)."""
    if language_of(text) == "zh":
        return ZH_GENERAL_QUESTION.search(text) is not None and ZH_ASKS_TO_DO.search(text) is None
    return EN_ASKS_RE.search(text) is not None and ASKS_TO_DO_RE.search(text) is None


# something said to be wrong at the yes/no ("地址写错了", "sorry the house number is wrong", "数量不对"): no yes to the
# change described, whatever the NLU read (lane czh2's walk: both CHANGED order 100262's address as summed up); not
# "没错" (right) nor "不错" (good)
SAID_WRONG_RE = re.compile(
    r"\b(?:wrong|incorrect|mistake|typo|not\s+right|isn'?t\s+right)\b|(?<![没沒不])[错錯]|不对|不對", re.IGNORECASE
)


def asks_instead_of_yes(text: str, flow: object) -> bool:
    """At the yes/no of ``flow``, the message asks something (:func:`asks_whether`) other than that very change:
    "等等，镜子拆封了还能退吗" asks about the return; "可以取消吗？" at "确定要取消订单吗？" or "can i cancel it?" ask
    for nothing but the cancellation, a yes as before."""
    return asks_whether(text) and bare_request(text) != flow


# actions after which the latest customer message is still the one the form should read
ANSWERING_ACTIONS = frozenset(
    {
        "action_listen",
        "action_extract_slots",
        "action_start_order_request",
        ORDER_DETAILS_ACTION,
        FORM,
        "validate_order_form",
    }
)
# inside an order request the form's question is the context: when the NLU was unsure (it would ask "Did you
# mean"), its likeliest reading is taken if it is a yes, a no or an order request, and likely enough
READ_WHEN_UNSURE = frozenset({"affirm", "deny"}) | frozenset(FLOW_DETAILS)
UNSURE_READING_FROM = 0.5


def form_reading(tracker: Tracker) -> str | None:
    """The intent the form reads the latest message as (the NLU's, or its likeliest reading when it was unsure). An
    order request is not read from a question that does not name it (:func:`question_not_naming`)."""
    intent = latest_intent(tracker)
    if intent != "nlu_fallback":
        return intent
    ranking = tracker.latest_message.get("intent_ranking") or []
    likeliest = ranking[0] if ranking else {}
    name = likeliest.get("name")
    if name in READ_WHEN_UNSURE and float(likeliest.get("confidence") or 0.0) >= UNSURE_READING_FROM:
        return intent if question_not_naming(said(tracker), str(name)) else str(name)
    return intent


def question_not_naming(text: str, flow: str) -> bool:
    """``text`` asks something and does not name order request ``flow`` in words: "退回去的时候要贴什么？" (what goes on
    the parcel) in a return, which an unsure NLU leaned to read as the refund's status, and "can my neighbour take it
    to the post office for me?" as a change of the delivery address; the form offered to switch to that request
    (lane czh3's walk). "能查一下退款吗" names the refund and "where is it now?" the order's whereabouts: read as
    before."""
    return flow in FLOW_DETAILS and asks_something(text) and not names_flow(text, flow)


def order_before_message(tracker: Tracker) -> str | None:
    """The order talked about before the latest message (which may have set the slot to another number)."""
    before_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            before_latest = True
        elif before_latest and event.get("event") == "slot" and event.get("name") == ORDER_ID:
            value = event.get("value")
            return str(value) if value else None
    return None


def order_the_form_started_for(tracker: Tracker) -> str | None:
    """The order number an action of this turn set before the form started (the action that started it: the goods'
    report names it), when the form started this turn: Rasa's form fills the order slot again from the message's
    entities as it starts, with the last number named, so "the plates in order 100207 arrived broken. and where is
    100234?" had its damage report moved to order 100234 (lane cust's walk, 2026-12-07). None when no action of ours
    set it (Rasa's own reading of the message stands, as before)."""
    turn: list[dict[str, Any]] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        turn.insert(0, event)
    chosen: str | None = None
    acting: str | None = None
    for event in turn:
        if event.get("event") == "active_loop" and event.get("name") == FORM:
            return chosen
        if event.get("event") == "action":
            acting = event.get("name")
        elif event.get("event") == "slot" and event.get("name") == ORDER_ID and acting not in RASA_SLOT_ACTIONS:
            chosen = str(event.get("value") or "") or None
    return None


# the actions of Rasa's own that fill slots from the message (not a choice of the bot's actions)
RASA_SLOT_ACTIONS = frozenset({None, "action_listen", "action_extract_slots"})


def missing_parts(parts: list[str]) -> str:
    """ "postcode", "street" … in words, joined the way the customer's language lists them."""
    words = [address_texts.MISSING_PARTS[part] for part in parts]
    if len(words) < 2:
        return "".join(words)
    joiners = address_texts.MISSING_JOINERS
    return str(joiners["between"]).join(words[:-1]) + str(joiners["last"]) + words[-1]


def earlier_partial_address(tracker: Tracker) -> str | None:
    """The customer's message before the latest one, when the bot's answer to it was that parts of the address were
    missing (in either language); past answers that held no part of an address ("yes", "ok") and were asked again."""
    openings = tuple(template.split("{", 1)[0] for template in in_every_language(address_texts, "PARTS_MISSING"))
    for turn in turns_before_latest(tracker):
        if not any(text.startswith(openings) for text in turn.bot_texts()):
            return None
        if clean_answer(turn.text):
            return turn.text
    return None


# "can i change the delivery adress instead?", "could i return it instead?" while a change is under way: another change
# asked for in place of it, whatever the NLU made of the message (a handbook question, by its form): "instead",
# "rather", 还是, a change of mind ("no wait", "算了": actions/requests.py TAKING_BACK_RE; "actually") or "just" before
# the other request ("actually just change the delivery address" at the cancellation's identity question)
INSTEAD_RE = re.compile(
    r"\binstead\b|\brather\b|还是|還是|^\s*(?:(?:oh|hmm+|wait|no|ok|okay|sorry)[\s,.!]+)*actually\b|\bjust\b",
    re.IGNORECASE,
)


DELIVERY_ADDRESS_RE = re.compile(r"\bdelivery\s+(?=ad+res+\b)", re.IGNORECASE)


def change_asked_instead(
    text: str, flow: str | None, among: tuple[str, ...] = CHANGES, declined: bool = False
) -> str | None:
    """The one other change (cancel, new address, return), or other order request of ``among``, the message asks for
    "instead" (or, ``declined``, beside the no to this one: "wait actually dont cancel, can i just change the
    address"); None when it names none or several."""
    if not declined and not INSTEAD_RE.search(text) and not TAKING_BACK_RE.search(text):
        return None
    text = DELIVERY_ADDRESS_RE.sub("", text)  # "the delivery address" names no status check
    named = [other for other in among if other != flow and names_flow(text, other)]
    return named[0] if len(named) == 1 else None


# the answers to "Shall I ... instead?" (a button's payload, or the customer's words)
SWITCH_YES = frozenset({"affirm"})
SWITCH_NO = frozenset({"deny"})


def flow_set_for_latest_message(tracker: Tracker) -> bool:
    """An action answering the latest message started the order flow for it ("hmm actually I'd rather cancel it"
    after a status check, read by the NLU as a "no"): the message is that request, not an interruption of it."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == FLOW and event.get("value"):
            return True
    return False


def pieces_buttons(line: OrderLine) -> list[dict[str, str]]:
    """ "1 of them" … and "All n" for the pieces of ``line`` (a button's payload: "SKU*pieces", or the SKU: all)."""
    buttons = [
        {
            "title": render(return_texts.PIECES_BUTTON, n=n),
            "payload": "/inform" + json.dumps({RETURN_ITEMS: f"{line.sku}*{n}"}),
        }
        for n in range(1, min(line.quantity, 4))
    ]
    all_of_them = render(return_texts.ALL_PIECES_BUTTON, count=line.quantity)
    return [*buttons, {"title": all_of_them, "payload": "/inform" + json.dumps({RETURN_ITEMS: line.sku})}]


def pieces_offered(event: dict[str, Any]) -> str | None:
    """The SKU a bot message's buttons offer pieces of ("SKU*1" …: pieces_buttons), else None."""
    for button in (event.get("data") or {}).get("buttons") or []:
        payload = str(button.get("payload") or "").removeprefix("/inform")
        try:
            value = json.loads(payload).get(RETURN_ITEMS) if payload.startswith("{") else None
        except ValueError:
            continue
        found = PIECES_PAYLOAD_RE.match(str(value or ""))
        if found is not None:
            return found[1]
    return None


def pieces_asked(tracker: Tracker, lines: Sequence[OrderLine]) -> OrderLine | None:
    """The line the bot's message just before the latest one asked "how many?" about."""
    for event in bot_messages_before_latest(tracker):
        if event.get("text"):
            sku = pieces_offered(event)
            return next((line for line in lines if line.sku == sku), None)
    return None


def pieces_asked_this_turn(tracker: Tracker) -> bool:
    """The form asked "how many?" in this turn: that question stands for the items question."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and pieces_offered(event) is not None:
            return True
    return False


def answers_form(tracker: Tracker) -> bool:
    """True when the latest customer message is an answer for the form to read.

    False when the form resumes after something else answered the message (a handbook question). An action that
    said nothing before the form ran (the fallback starting the order request the message itself makes, when the
    NLU was unsure: "where is my order 100076? postcode 1111 AA") leaves the message to the form.
    """
    said = False  # a bot message after the action being looked at, before the next answering action
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind == "bot":
            said = True
        elif kind == "action":
            if event.get("name") not in ANSWERING_ACTIONS:
                if said:
                    return False
            else:
                said = False
    return False


RECENT_MESSAGES_FOR_ITEMS = 4  # the customer's messages looked back at for the items named beside a "how many?"


class _FormTurn:
    """One run of the form's validation: what changed, what to say, what to ask next."""

    def __init__(self, dispatcher: CollectingDispatcher, tracker: Tracker, system: OrderSystem) -> None:
        self.dispatcher = dispatcher
        self.tracker = tracker
        self.system = system
        self.state = OrderState.from_tracker(tracker)
        self.changes: dict[str, Any] = {}
        self.events: list[EventType] = []
        self.ended = False
        self._order: Order | None = None
        self._items: tuple[Any, ItemsSaid] | None = None  # (the order read, the items this message names in it)
        self._typed_address: str | None = None  # a bare address that answered "Shall I change the address instead?"

    # -- slot view -----------------------------------------------------------------------------

    def get(self, name: str) -> Any:
        return self.changes[name] if name in self.changes else self.tracker.get_slot(name)

    def set(self, name: str, value: Any) -> None:
        self.changes[name] = value

    def say(self, text: str, buttons: list[dict[str, str]] | None = None) -> None:
        self.dispatcher.utter_message(text=text, buttons=buttons or [])

    @property
    def order_id(self) -> str | None:
        order_id: str | None = self.get(ORDER_ID)  # a text slot, set here only to order numbers or None
        return order_id

    @property
    def verified(self) -> bool:
        """The order passed a check: its status may be shown."""
        return self.order_id is not None and self.get(VERIFIED_ORDER) == self.order_id

    @property
    def may_change(self) -> bool:
        """The order passed a check strong enough to change it (see actions/order_state.py)."""
        return self.verified and self.get(VERIFICATION) in CHANGE_PROOFS

    @property
    def cleared(self) -> bool:
        return self.may_change if self.state.flow in CHANGES else self.verified

    async def order(self) -> Order:
        if self._order is None or self._order.number != self.order_id:
            self._order = await self.system.get_order(str(self.order_id))
        # a return reads the items no return booked before took (a second return of the others)
        return self._order.open_for_return() if self.state.flow == RETURN else self._order

    # -- the run -------------------------------------------------------------------------------

    async def run(self) -> list[EventType]:
        flow = self.state.flow
        if flow is None:  # the form only serves a request; without one it ends quietly
            return [SlotSet(REQUESTED_SLOT, None)]
        started_for = order_the_form_started_for(self.tracker)
        if started_for is not None and started_for != self.order_id and not answers_form(self.tracker):
            self.set(ORDER_ID, started_for)  # the order the request was started for, not the last one named
        if answers_form(self.tracker):
            intent = form_reading(self.tracker)
            asked = self.state.requested
            if asked == SWITCH_TO and self.order_id is not None and not self.verified:
                asked = VERIFICATION  # offered at the identity question: a bare postcode ("33000") is the proof
            found = read_message(self._text(), self._entities(), asked)
            chose_other = found.order_number not in (None, started_for)
            if started_for is not None and chose_other and started_for in self._text():
                # the message that started the request, read again: the order its action chose of those it names
                # ("the plates from order 100218 arrived broken, sorry i mean order 100207")
                found = dataclasses.replace(found, order_number=started_for)
            if intent != "goodbye" and farewell_by_words(self._said()):
                # "谢谢 拜拜", "ok thanks bye" while a question is open (the NLU read thanks, or was unsure): the
                # customer is leaving; the question came again, or "I'm not sure I can answer that one"
                if self.state.requested == CONFIRM and flow in CHANGES:
                    self.say(declined_text(flow, str(self.order_id)))  # at "Shall I cancel …?": nothing was done
                self.say(smalltalk_texts.CLOSING_GOODBYE)
                signal_small_talk(self.dispatcher)
                self.ended = True
                return await self._result(flow)
            wanted = intent if intent in FLOW_DETAILS else change_asked_instead(self._said(), flow) or intent
            # "我还是不退了", "I'd rather not cancel it" at the yes/no: a no to this change, whatever the NLU read
            declined = self.state.requested == CONFIRM and declines_flow(self._said(), flow)
            # "算了，还是改地址吧", "never mind, change the address instead" at "Shall I cancel …?": this change taken
            # back and the other asked for, as plainly as "don't cancel it, change the address instead"
            declined = declined or (
                self.state.requested == CONFIRM
                and TAKING_BACK_ALONE_RE.search(self._said()) is not None
                and change_asked_instead(self._said(), flow, tuple(FLOW_DETAILS)) is not None
            )
            # "send me the right one", "退款吧" at "replacement or refund?": the answer, whatever the NLU read (a
            # cancellation, a request for a refund, a handbook question)
            declined = declined or (self.state.requested == RETURN_REMEDY and self._remedy() is not None)
            if (
                declined
                and self.state.requested == CONFIRM
                and (instead := change_asked_instead(self._said(), flow, tuple(FLOW_DETAILS), declined=True))
            ):
                # "wait no dont cancel it, change the adress instead": a no to this change and the other one asked
                # for, for the same order, at once (it was "nothing cancelled" and the other change dropped); a
                # status check too ("算了，还是不取消了，帮我查下什么时候发货吧" said "nothing cancelled" and no more)
                self.say(declined_text(flow, str(self.order_id)))
                self._switch(instead, found.order_number)
                return await self._continue(instead)
            if self.state.requested == SWITCH_TO and self._answer_switch(wanted, found):
                return await self._continue(self.state.flow or flow)
            if not declined and (answer := await self._return_question(wanted, found)) is not None:
                # "退回去的时候要贴什么？" (what goes on the parcel) while a return is under way, the NLU unsure: the
                # handbook's returns answer, and the question is asked again (it was "Shall I check on your refund
                # instead?", the NLU's likeliest reading taken for a request)
                entry, rule = answer
                answer_entry(self.dispatcher, entry.id, entry.title, entry.answer, entry.score, False, rule=rule)
                if self.state.requested:
                    self.changes.setdefault(self.state.requested, self.get(self.state.requested))
                return await self._continue(flow)
            if not declined and self._offers_switch(wanted, found):
                # another request in the middle of a change: ask before dropping what was collected
                offer = {"flow": wanted, **({"order_id": found.order_number} if found.order_number else {})}
                # the message as written, for what it says of the other change ("… change the address to 12 Rue de
                # Rivoli, 75001 Paris instead"): read as that change's details once it starts
                offer["detail"] = self._text()
                self.set(SWITCH_TO, offer)
                return await self._result(flow)
            if self._small_talk(intent, found):
                # "hang on, let me find the e-mail": small talk by its words, whatever the NLU made of it; the
                # question is asked again
                self.say(small_talk_answer(self._said()))
                if self.state.requested:
                    self.changes.setdefault(self.state.requested, self.get(self.state.requested))
                return await self._continue(flow)
            if not declined and await self._interrupted(intent, found):
                # let the rules answer (the form asks again afterwards); rejected explicitly, since Rasa only rejects
                # a turn that filled no slot, and this message may have filled one (an order number in "where is
                # my order 100112?" while the form waits for a yes)
                raise ActionExecutionRejection("validate_order_form", f"not an answer for the form: {intent}")
            await self._read(intent, found)
            if self.state.requested:
                # an answer the form could not use still counts as one: the question is asked again
                self.changes.setdefault(self.state.requested, self.get(self.state.requested))
        return await self._continue(flow)

    async def _continue(self, flow: str) -> list[EventType]:
        """After the message was read: the identity check, the policy, the details, the next question."""
        await self._check_identity()
        if not self.ended and self.verified and FLOW_DETAILS[flow] and not self.get(REFUSAL):
            await self._check_policy(flow)
            if self.may_change and not self.get(REFUSAL):
                await self._details(flow)
        return await self._result(flow)

    def _text(self) -> str:
        """The latest message as written: what the form keeps (an address, what to send back) is read from it."""
        return str(self.tracker.latest_message.get("text") or "")

    def _said(self) -> str:
        """The latest message as the rules read it (actions/turns.py ``said``: Chinese in simplified characters)."""
        return said(self.tracker)

    def _entities(self) -> list[dict[str, Any]]:
        return list(self.tracker.latest_message.get("entities") or [])

    def _small_talk(self, intent: str | None, found: Found) -> bool:
        """Small talk by its words, with nothing in it for the form."""
        if intent in INTERRUPTIONS or found.order_number or found.evidence or found.malformed_number:
            return False
        return small_talk_by_words(self._said()) and not QUESTION_RE.search(self._said())

    def _offers_switch(self, intent: str | None, found: Found) -> bool:
        """Another order request while a change is under way for a known order: ask before switching (earlier, or
        from a look-up, the rules switch at once: nothing is lost). A request about another order ("hang on, where
        is my order 100112?") is plainly not this change: the rules switch at once and the open question is
        dropped."""
        flow = self.state.flow
        return (
            intent in FLOW_DETAILS
            and not (found.order_number and found.order_number != order_before_message(self.tracker))
            and intent != flow
            and flow in CHANGES
            and self.order_id is not None
            and self.state.requested != SWITCH_TO
        )

    def _answer_switch(self, intent: str | None, found: Found) -> bool:
        """The answer to "Shall I ... instead?"; False when the message is not one (a handbook question, say)."""
        offer = self.get(SWITCH_TO) or {}
        new_flow = offer.get("flow")
        text = self._text()
        if (
            intent not in SWITCH_NO
            and intent != new_flow
            and names_flow(text, self.state.flow)
            and not names_flow(text, new_flow)
        ):
            # "yes, cancel it" / "cancel it pls" at "Shall I check on your refund instead?": what is under way, named
            # again, is a no to the switch (it asked the same question again)
            intent = next(iter(SWITCH_NO))
        if intent in SWITCH_YES or (intent == new_flow and new_flow in FLOW_DETAILS):
            self._switch(str(new_flow), found.order_number or offer.get("order_id"), offer.get("detail"))
            return True
        if new_flow == CHANGE_ADDRESS and not found.order_number and looks_like_address_in_any_script(text):
            # the new address typed at "Shall I change the delivery address instead?": a yes, and the address
            # (it was "I'm not sure I can answer that", and the offer again)
            self._switch(CHANGE_ADDRESS, offer.get("order_id"))
            self._typed_address = text
            return True
        if found.evidence and not self.verified and new_flow in FLOW_DETAILS and not names_flow(text, self.state.flow):
            # "20121" at "Shall I change the delivery address instead?", offered at the identity question: the proof
            # that question asked for, sent for the change the customer had just named: a yes, and the proof read
            # (it was the offer again, and again)
            self._switch(str(new_flow), offer.get("order_id"), offer.get("detail"))
            self.set(EVIDENCE, found.evidence)
            return True
        if intent in SWITCH_NO:
            self.set(SWITCH_TO, None)
            self.say(order_texts.SWITCH_DECLINED)
            return True
        if intent in FLOW_DETAILS and intent != self.state.flow:
            self.set(SWITCH_TO, {"flow": intent, **({"order_id": found.order_number} if found.order_number else {})})
            return True
        return False

    def _switch(self, flow: str, order_number: str | None, detail: str | None = None) -> None:
        """Another change instead of this one: what was collected for this one is dropped (the proof is kept);
        ``detail``, the message that asked for the other change, is read for its details once it may be made."""
        for slot in DETAIL_SLOTS:
            self.set(slot, None)
        self.set(FLOW, flow)
        if order_number:
            self.set(ORDER_ID, order_number)
        if detail:
            self.set(PENDING_DETAIL, detail)
        self.state = OrderState.from_slots(self.get)

    async def _interrupted(self, intent: str | None, found: Found) -> bool:
        """The message is not for the form (a question, a person, another request, "never mind")."""
        if flow_set_for_latest_message(self.tracker):
            return False  # the message started this very flow (rejecting it left the customer without a reply)
        if bare_request(self._said()) == self.state.flow:
            return False  # "can i change the adress" asks for this very change (actions/faq.py change_of_known_order)
        if typed_flow(self.tracker, self._said()) == self.state.flow:
            return False  # "cancel an order" typed at "Did you mean" picked this very flow (actions/typed_choice.py)
        if await self._plain_answer(found):
            return False  # "we're at DN55 1PT" answers the question, whatever the NLU made of it
        if await self._reason_for_items() is not None:
            return False  # "不喜欢颜色" at "which items?": acknowledged, the question again (not small talk)
        if intent in FLOW_DETAILS and intent != self.state.flow:
            return True  # another order request: the rules switch the flow
        if intent == "deny":
            return self.state.requested != CONFIRM
        if intent == "nlu_fallback" and await self._unsure_question(found):
            return True  # "do i need the original packaging?" at the identity question: "Did you mean", not dropped
        return intent in INTERRUPTIONS

    async def _return_question(self, wanted: str | None, found: Found) -> tuple[Candidate, str | None] | None:
        """The handbook's sure returns answer (actions/handbook_followup.py :func:`return_question_answer`) to a
        question the NLU was unsure of while a return is under way, with nothing in it for the form
        (:meth:`_unsure_question`), nor naming the other order request the NLU leaned to ("能查一下退款吗" asks for
        the refund's status); what goes on the parcel ("what do I stick on the parcel"), however the NLU read it,
        the how-to-return answer by its words (actions/return_label.py); with the rule that chose the answer, if
        one did; None otherwise."""
        if self.state.flow != RETURN:
            return None
        if not (found.order_number or found.evidence) and asks_about_return_label(self._said()):
            label = return_label_answer(self._said())
            return (label, RULE_RETURN_LABEL) if label is not None else None
        if latest_intent(self.tracker) != "nlu_fallback":
            return None
        if wanted in FLOW_DETAILS and wanted != RETURN and names_flow(self._said(), wanted):
            return None
        if not await self._unsure_question(found):
            return None
        sure = return_question_answer(self._said())
        return (sure, None) if sure is not None else None

    async def _reason_for_items(self) -> str | None:
        """The acknowledgement of a change-of-mind reason given at a return's "which items?" question instead of
        items ("i dont like the colour": "Got it, the colour isn't right."; actions/return_reasons.py); None when
        another question is asked, the message names items of the order, or the return is the shop's fault."""
        if self.state.flow != RETURN or self.state.requested != RETURN_ITEMS or not self.may_change:
            return None
        if self.state.return_reason.shop_at_fault or (await self._items_said()).anything:
            return None
        return change_of_mind_said(self._said())

    async def _unsure_question(self, found: Found) -> bool:
        """A question the NLU was unsure of, with nothing in it for the form (no order number, no proof, no address,
        no items of the order): the rules answer it as they would outside the request (the handbook's "Did you
        mean"), and the form asks again. Before, it was read as an answer the form could not use and dropped without
        a word."""
        text = self._text()
        if not asks_something(self._said()) or found.order_number or found.evidence or found.malformed_number:
            return False
        if self.state.requested == NEW_ADDRESS and looks_like_address_in_any_script(text):
            return False
        if self.state.flow == RETURN and self.may_change:
            # "can i send back the towel too?": about the items of the return
            lines = (await self.order()).lines
            return not ((await self._items_said()).anything or names_other_kind(text, lines))
        return True

    async def _plain_answer(self, found: Found) -> bool:
        """The message is the answer to the question asked and (almost) nothing else."""
        requested, text = self.state.requested, self._text()
        if requested in (ORDER_ID, VERIFICATION, EMAIL) and (found.order_number or found.evidence):
            return plain_answer(text, found)
        if requested == ORDER_ID and says_no_order_number(self._said(), asked=True):
            return True  # "i dont have it": the question comes back as where to find it (actions/no_order_number.py)
        if requested == ORDER_ID and not found.order_number and not QUESTION_RE.search(text):
            return await self._items_of_offered_order()  # "水瓶" at "还是订单 100224 吗？": whatever the NLU read
        if requested == NEW_ADDRESS:
            if chinese_script_address(text, "") is not None:
                return True  # "上海市浦东新区世纪大道100号": the address is read, and its country answered
            if address_in_request("to " + text) is None:
                return False
            if POSTCODE_RE.search(text):
                return True
            # an address without its postcode ("7 Mill Lane, Leeds") still answers the question, whatever the NLU
            # made of it (the handbook gate reads it as nothing the bot knows): the form asks for the missing part
            return (
                looks_like_address(text)
                and not QUESTION_RE.search(text)
                and form_reading(self.tracker) not in {*FLOW_DETAILS, "request_human", "complaint", "deny"}
            )
        if requested == RETURN_REMEDY and self._remedy() is not None:
            return True
        if requested == RETURN_REMEDY and self.state.flow == RETURN and self.may_change:
            # "also the sheet, one of them is torn" at "replacement or refund?": more (or fewer) items for it
            return not QUESTION_RE.search(text) and await self._items_corrected_at_remedy() is not None
        if requested == CONFIRM and self.state.flow == RETURN and self._remedy_asked() and self._remedy() is not None:
            return True  # "actually a refund please" at a replacement's summary
        if requested in (RETURN_ITEMS, CONFIRM) and self.state.flow == RETURN and self.may_change:
            said = await self._items_said()
            if QUESTION_RE.search(text):
                # "can i return the towel too?": more items of the order asked for (not the return policy's answer)
                return said.mode is Mode.ADD and bool(said.returned)
            # "yes, and the candle too" for an order without one: about the items too (not the candle-care answer)
            return said.anything or names_other_kind(text, (await self.order()).lines)
        if requested == CONFIRM and self.state.flow == CHANGE_ADDRESS and self._address_part_fixed() is not None:
            return True  # "oh wait, its via roma 15 not 5" at the summary
        if requested == CONFIRM and self.state.flow == CHANGE_ADDRESS:
            return address_in_request("to " + text) is not None and bool(POSTCODE_RE.search(text))
        return False

    def _postcode_in_new_address(self, number: str) -> bool:
        """At the new-address question, six digits inside an address are its postcode (Romania's have six, and a
        Chinese one too), not another order: before, the identity check for "order 200120" came next. A number named
        as an order ("order 100234", "订单100234") is still one."""
        text = self._text()
        return (
            self.state.requested == NEW_ADDRESS
            and looks_like_address_in_any_script(text)
            and number not in named_order_numbers(text)
        )

    async def _items_of_offered_order(self) -> bool:
        """At a return's "Is it about order … again?", the message names items of that order, or everything."""
        offered = self.get(VERIFIED_ORDER)
        if self.state.flow != RETURN or not offered:
            return False
        try:
            lines = (await self.system.get_order(str(offered))).lines
        except OrderNotFound:
            return False
        return read_items(self._text(), lines).anything

    async def _items_said(self) -> ItemsSaid:
        """The items this message names (in words, or a button's SKU or "all"), or the pieces it answers "how many?"
        with ("just one", "both"): read once per order a turn looks at (the reason check at "which items?", the
        interruption check and the answer itself each ask)."""
        if self._items is None or self._items[0] != self.order_id:
            self._items = (self.order_id, await self._read_items_said())
        return self._items[1]

    async def _read_items_said(self) -> ItemsSaid:
        buttons = [str(e["value"]) for e in self._entities() if e.get("entity") == RETURN_ITEMS and e.get("value")]
        lines = (await self.order()).lines
        asked = pieces_asked(self.tracker, lines)
        if asked is not None and buttons and all(b.split("*")[0] == asked.sku for b in buttons):
            # "1 of them" tapped at "how many?": the other items chosen stay too, as for the count typed (the shelf
            # was dropped when the button was tapped after "oh and the tumblers too")
            said = items_named(self._text(), lines, buttons)
            return ItemsSaid(returned={**self._named_beside(asked, lines), **said.returned})
        if asked is not None and not buttons and (pieces := pieces_answer(self._text(), asked)) is not None:
            # the other items of the message that named this line stay ("订单100198的碗碎了，床笠也破了个洞": the
            # bowls, beside the one of 2 fitted sheets; they were dropped)
            beside = self._named_beside(asked, lines)
            return ItemsSaid(returned={**beside, asked.sku: None if pieces == asked.quantity else pieces})
        return items_named(self._text(), lines, buttons)  # "just the glass": the tumblers

    def _named_beside(self, asked: OrderLine, lines: Sequence[OrderLine]) -> dict[str, int | None]:
        """The other lines to return named by the latest earlier message of the customer that named ``asked`` (the
        line "how many?" is about), within the customer's last few messages; when that message added ``asked`` to
        the items chosen before ("and the sheet too" at the summary, "also the sheet" at "replacement or refund?"),
        those items too (they were dropped: the summary after "1" held the sheet alone)."""
        earlier = [e for e in self.tracker.events if e.get("event") == "user"][:-1]
        for event in reversed(earlier[-RECENT_MESSAGES_FOR_ITEMS:]):
            said = items_named(str(event.get("text") or ""), lines)
            if asked.sku in said.returned:
                chosen = self._items_chosen_before(event) if said.mode is Mode.ADD else {}
                named = {**chosen, **said.returned}
                return {sku: pieces for sku, pieces in named.items() if sku != asked.sku}
        return {}

    def _items_chosen_before(self, message: dict[str, Any]) -> dict[str, int | None]:
        """The items to return as chosen when the customer sent ``message`` (the latest value of the slot before it)."""
        chosen: Any = None
        for event in self.tracker.events:
            if event is message:
                break
            if event.get("event") == "slot" and event.get("name") == RETURN_ITEMS:
                chosen = event.get("value")
        return {str(sku): int(pieces) for sku, pieces in chosen.items()} if isinstance(chosen, dict) else {}

    async def _items_corrected_at_remedy(self) -> ItemsSaid | None:
        """The items this message adds to or leaves out of the return at "replacement or refund?" ("also the sheet",
        "not the bowls", "only the sheet"), None when it changes none (naming the items chosen as they are: "a
        refund for the bowls"). Items named beside a remedy only as an addition or a removal: "a refund for the bowls"
        of bowls and a sheet says what the refund is for, not that the sheet stays."""
        said = await self._items_said()
        if not said.anything or (said.mode is Mode.REPLACE and self._remedy() is not None):
            return None
        current = self.get(RETURN_ITEMS)
        lines = (await self.order()).lines
        at_fault = self.state.return_reason.shop_at_fault
        if choose(said, lines, current if isinstance(current, dict) else None, at_fault) == current:
            return None
        return said

    def _already_in_return(self, text: str) -> str | None:
        """The policy's word that the items ``text`` names went into a return booked before (the order's other items
        may go back), or None when it names none of them."""
        full = self._order
        if full is None or full.open_for_return() is full:
            return None
        named = items_named(text, full.lines).returned
        try:
            self.system.policy.plan_return(full, {sku: n or 1 for sku, n in named.items()}, utc_now())
        except PolicyRefusal as refusal:
            return refusal.text if refusal.reason_code == RETURN_ALREADY_REQUESTED and named else None
        return None

    def _remedy(self) -> ReturnRemedy | None:
        """The replacement or refund this message asks for (a button's, or in words: actions/remedy.py)."""
        return remedy_said(self._text(), self._entities())

    def _remedy_asked(self) -> bool:
        """This return asks "replacement or refund?" (damaged or wrong goods, and the order system books
        replacements)."""
        return remedy_asked(OrderState.from_slots(self.get).return_reason, self.system.offers_replacements)

    # -- reading the customer's message --------------------------------------------------------

    async def _read(self, intent: str | None, found: Found) -> None:
        requested = self.state.requested
        if requested == ORDER_ID and (address := email_for_order_list(self.tracker, self._said())) is not None:
            # the address after "Can't find it? Tell me the e-mail address you ordered with": the list goes there
            # (kept as the proof below, for the order number that follows)
            send_order_list(self.dispatcher, address)
        if found.order_number and self._postcode_in_new_address(found.order_number):
            pass  # "Strada Victoriei 10, 010011 București", "上海市浦东新区世纪大道100号 200120": its postcode
        elif found.order_number:
            self.set(ORDER_ID, found.order_number)
        elif found.last_order:
            await self._last_order()
        elif requested == ORDER_ID and intent == "affirm" and self.get(VERIFIED_ORDER):
            self.set(ORDER_ID, self.get(VERIFIED_ORDER))  # "yes" to "Is it about order 100212 again?"
        elif requested == ORDER_ID and await self._items_of_offered_order():
            # "the carafe", "水瓶", "全部退吧" to "Is it about order 100224 again?" at a return: that order, and what to
            # send back (read once the order may be changed)
            self.set(ORDER_ID, self.get(VERIFIED_ORDER))
            self.set(PENDING_DETAIL, self._text())
        elif found.malformed_number:
            self.say(render(say.MALFORMED_ORDER_NUMBER, number=found.malformed_number))
            if requested in (None, ORDER_ID, VERIFICATION, EMAIL):  # not the order talked about before
                self.set(ORDER_ID, None)
        if found.evidence:
            self.set(EVIDENCE, found.evidence)
        elif found.malformed_email and not self.may_change:
            self.say(render(say.MALFORMED_EMAIL, email=found.malformed_email))
        if self.state.flow == RETURN and requested in (RETURN_ITEMS, RETURN_REMEDY, CONFIRM) and self.may_change:
            self._reason_told()
            await self._explain_set(self._text())
        if requested == CONFIRM:
            if not await self._correction():
                await self._read_confirmation(intent)
        elif requested == NEW_ADDRESS and self.may_change:
            if not (yes_with_thanks(self._text()) and not looks_like_address_in_any_script(self._text())):
                # "好的谢谢" to "what's the new address?" is no address: the question again (it was told the address
                # lacked a postcode, a street and a city)
                await self._take_address(self._text(), asked=True)
        elif requested == RETURN_ITEMS and self.may_change:
            if (reason := await self._reason_for_items()) is not None:
                self.say(reason)  # the form asks which items again, with its buttons
            else:
                await self._take_items(await self._items_said(), asked=True)
        elif requested == RETURN_REMEDY and self.may_change:
            if (corrected := await self._items_corrected_at_remedy()) is not None:
                # "also the sheet" at "replacement or refund?": the items change first (a "how many?" may come), the
                # question is then asked for them all (it was asked again for the first items: the sheet was lost)
                await self._take_items(corrected, asked=True, current=self.get(RETURN_ITEMS))
            if (remedy := self._remedy()) is not None:
                self.set(RETURN_REMEDY, remedy.value)
        elif (
            self.state.flow in (CHANGE_ADDRESS, RETURN)
            and (intent == self.state.flow or requested is None)
            and not (requested is None and self.get(PENDING_DETAIL) and only_order_number(self._text()))
        ):
            # read once the order is verified: a message asking for this change, or the one that started it, whatever
            # the NLU read ("my soap dish from 100184 came broken": the soap dish is what goes back); a bare order
            # number keeps what the damage report before it said ("one bowl of the set arrived broken", then "100193")
            self.set(PENDING_DETAIL, self._text())

    async def _correction(self) -> bool:
        """At the summary, "no, only the candle holders", "and the soap dish too" or another address change what
        is asked about (a new summary follows); True when the message was one."""
        if not self.may_change:
            return False
        if self.state.flow == RETURN and self._remedy_asked():
            remedy = self._remedy()
            if remedy is not None and remedy.value != self.get(RETURN_REMEDY):
                self.set(RETURN_REMEDY, remedy.value)  # "actually, a refund please": the other summary follows
                return True
        if self.state.flow == RETURN:
            said, current = await self._items_said(), self.get(RETURN_ITEMS)
            order = await self.order()
            if not (said.returned or said.everything or QUESTION_RE.search(self._text())) and names_other_kind(
                self._text(), order.lines
            ):
                # "wait no, the tablecloth" (or "yes, and the candle too") for an order without one: said so before
                # the summary comes again (it came again without a word, or the yes booked it without the candle); an
                # item a return booked before took is said to be in it
                taken = self._already_in_return(self._text())
                self.say(taken or render(return_texts.ITEM_NOT_IN_ORDER, order_id=order.number))
                return True
            # a question changes the items only when it asks to add some ("can i return the towel too?", "浴巾也能一起
            # 退吗?"); "is the towel included?" does not
            if not said.anything or (QUESTION_RE.search(self._text()) and said.mode is not Mode.ADD):
                return False
            at_fault = self.state.return_reason.shop_at_fault
            if choose(said, (await self.order()).lines, current, at_fault) == current:
                return False  # "yes, all of it" at a summary of everything: a yes, not a change
            await self._take_items(said, asked=True, current=current)
            return True
        if self.state.flow == CHANGE_ADDRESS and (fixed := self._address_part_fixed()) is not None:
            # "oh wait, its via roma 15 not 5": the summary came again with number 5, and a yes would have booked it
            await self._take_address(fixed, asked=True)
            return True
        if self.state.flow == CHANGE_ADDRESS and await self._plain_answer(Found()):
            await self._take_address(self._text(), asked=True)
            return True
        return False

    async def _read_confirmation(self, intent: str | None) -> None:
        """A yes confirms the change the open question described, if it still describes it (actions/changes.py); the
        change named with a "not" before it ("I'd rather not cancel it", "算了不取消了") is a no, and named with a
        "not" anywhere is no yes."""
        text = self._said()
        # "nvm then. thx", "算了吧": the customer lets it go (read as thanks, or unsure: the summary came again)
        if intent == "deny" or declines_flow(text, self.state.flow) or drops_it_by_words(text):
            self.set(CONFIRM, False)
            return
        if intent != "affirm" and asks_instead_of_yes(text, self.state.flow):
            # "等等，镜子拆封了还能退吗" at "要为您办理这次退货吗？" (the NLU unsure, its likeliest reading this
            # return): a question about the change, no yes to it (it booked the return); the handbook's sure answer,
            # then the question again (it came again without one)
            self._answer_question(text)
            return
        if intent != "affirm" and yes_with_thanks(text) and not asks_something(text):
            # "好的谢谢", "ok thanks" at "要为您办理这次退货吗？": a yes (the summary came again, nothing booked)
            intent = "affirm"
        asks_more = asks_something(text) and bare_request(text) != self.state.flow
        if intent != "affirm" and (
            intent != self.state.flow or NEGATION_RE.search(text) or SAID_WRONG_RE.search(text) or asks_more
        ):
            # not an answer (or the change said to be wrong, or something more asked for as a question: "can i
            # return the laundry bag too?" booked the summary's return without the bag; "可以取消嗎？" at the
            # cancellation's yes/no asks for nothing but it, a yes): the question is asked again
            return
        pending = self.get(PENDING_CONFIRMATION)
        change = await self._planned() if self.may_change else None
        if change is not None and pending and change.digest == pending:
            self.set(CONFIRM, change.digest)

    def _answer_question(self, text: str) -> None:
        """The handbook's sure answer to a question asked at the yes/no, a return's condition asked as the handbook
        words it ("镜子拆封了还能退吗" -> "镜子拆封了还能退货吗": alone, the mirror's name pulled towards the final-sale
        entry); nothing when the handbook is unsure."""
        asked = (zh_return_condition(text, alone=True) if self.state.flow == RETURN else None) or text
        decision = language_search.decide(get_knowledge_base(), asked)
        if decision.action == "answer" and decision.best is not None:
            best = decision.best
            answer_entry(self.dispatcher, best.id, best.title, best.answer, best.score, ask_photo=False)

    async def _planned(self) -> PlannedChange | None:
        return await planned_change(self.system, OrderState.from_slots(self.get), await self.order())

    async def _last_order(self) -> None:
        customer_id = self.get(CUSTOMER_ID)
        if not customer_id:
            self.say(say.LATEST_ORDER_NEEDS_IDENTITY)
            return
        orders = await self.system.list_orders(str(customer_id), 1)
        if orders:
            self.set(ORDER_ID, orders[0].number)
        else:
            self.say(say.NO_ORDERS_YET)

    # -- identity ------------------------------------------------------------------------------

    async def _check_identity(self) -> None:
        order_id = self.order_id
        if order_id is None or self.cleared:
            return
        if not self.verified:
            for detail in (NEW_ADDRESS, RETURN_ITEMS, RETURN_REMEDY, CONFIRM, PENDING_CONFIRMATION, REFUSAL):
                if self.get(detail) is not None:
                    self.set(detail, None)
        if await self._cleared_as_known_customer(order_id):
            return
        evidence = self.get(EVIDENCE)
        if not isinstance(evidence, dict) or not evidence:
            return  # the form asks for the e-mail or postcode
        self.set(EVIDENCE, None)
        email, postcode = evidence.get("email"), evidence.get("postcode")
        if self.verified and not email:
            return  # the order is open to read; a change needs its e-mail: the form asks for it
        attempt = await get_identity_checks().check(
            self.system, asker(self.tracker), order_id, email=email, postcode=postcode
        )
        if attempt.verdict is Verdict.VERIFIED and attempt.order is not None:
            if postcode:
                self.set(POSTCODE, postcode)
            await self._verified(attempt.order, BY_EMAIL if email else BY_POSTCODE)
        elif attempt.verdict is Verdict.RETRY:
            template = say.NOT_VERIFIED_LAST_TRY if attempt.remaining == 1 else say.NOT_VERIFIED
            self.say(render(template, remaining=attempt.remaining))
        elif attempt.verdict is Verdict.HAND_OFF:
            self.say(say.HANDED_OFF)
            signal_handoff(self.dispatcher, HANDOFF_VERIFICATION_FAILED)
            self.ended = True
        else:
            self.say(say.TOO_MANY_ATTEMPTS, buttons=[person_button()])
            self.ended = True

    async def _cleared_as_known_customer(self, order_id: str) -> bool:
        """The order belongs to the customer known in this conversation, and that is proof enough for the flow: a
        signed-in customer's own order may be changed; another order of a customer identified by an order check
        may only be read."""
        customer_id = self.get(CUSTOMER_ID)
        if not customer_id:
            return False
        signed_in = self.get(CUSTOMER_VERIFIED_BY) == VERIFIED_BY_TOKEN
        if self.verified and not signed_in:
            return False  # read already; only the signed-in owner's own order opens for changes this way
        order = await verify_access(self.system, order_id, customer_id=str(customer_id))
        if order is None:
            return False
        self._order = order
        self.set(VERIFIED_ORDER, order.number)
        self.set(VERIFICATION, BY_ACCOUNT if signed_in else BY_CUSTOMER)
        return self.cleared

    async def _verified(self, order: Order, how: str) -> None:
        self._order = order
        self.set(VERIFIED_ORDER, order.number)
        self.set(VERIFICATION, how)
        if not self.get(CUSTOMER_ID):
            context = await load_context(self.system, order.customer_id)
            self.events += verified_customer(self.dispatcher, context, VERIFIED_BY_ORDER)

    # -- what the flow needs once the order is known -------------------------------------------

    async def _check_policy(self, flow: str) -> None:
        """The shop's policy on the request, as soon as the order may be read (a shipped order is not offered a
        cancellation, whatever the proof)."""
        order = await self.order()
        policy, now = self.system.policy, utc_now()
        refusal: PolicyRefusal | None = None
        if flow == CANCEL:
            refusal = policy.cancel_refusal(order, now)
        elif flow == CHANGE_ADDRESS:
            if order.status not in policy.config.address_change_statuses:
                refusal = policy.address_change_refusal(order, order.shipping_address, now)
        elif flow == RETURN:
            try:
                policy.plan_return(order, None, now, self.state.return_reason)
            except PolicyRefusal as whole_order_refused:
                refusal = whole_order_refused
        if refusal is not None:
            self.set(REFUSAL, await self._refusal_text(refusal, order))
            self.set(PENDING_DETAIL, None)

    async def _refusal_text(self, refusal: PolicyRefusal, order: Order) -> str:
        """The refusal as the customer reads it; an order refunded already says how much went back and when ("I
        want a refund for order 100165": the refund is what they came for); a return booked already whose refund is
        under way with nothing to send back (broken glass disposed of) says so, not "send the parcel back"."""
        if refusal.reason_code == RETURN_ALREADY_REQUESTED:
            status = await self.system.refund_status(order.number)
            if status.state is RefundState.PROCESSING:
                again = self.system.policy.refusal(
                    Action.RETURN, RETURN_ALREADY_REQUESTED, order, utc_now(), nothing_sent_back=True
                )
                return again.text
        if refusal.reason_code == NOT_DELIVERED and (part := self._part_before_shipping(order)):
            # "i want a refund for the pillowcases in order 100262" of an order not shipped: that the items can't be
            # taken out one by one, and what can be done (the handbook's change-order-items answer), not the whole
            # order's cancellation offered as if that were the refund asked for
            days = self.system.policy.config.return_window_days
            return join_sentences(
                [refusal.message_for_customer, render(return_texts.PART_BEFORE_SHIPPING, items=part, days=days)]
            )
        if refusal.reason_code != ALREADY_REFUNDED:
            return refusal.text
        refund = describe_refund(await self.system.refund_status(order.number), self.system.policy)
        return join_sentences([refusal.message_for_customer, refund, refusal.alternative])

    def _part_before_shipping(self, order: Order) -> str | None:
        """The items the return asked for, quoted, when they are only part of an order the shop would still cancel
        (not shipped yet); else None."""
        pending = self.get(PENDING_DETAIL)
        if not pending or self.system.policy.cancel_refusal(order, utc_now()) is not None:
            return None
        said_items = items_named(str(pending), order.lines)
        lines = {line.sku: line for line in order.lines}
        named = [lines[sku] for sku in said_items.returned if sku in lines]
        whole = said_items.everything or (
            len(named) == len(order.lines)
            and all(said_items.returned[line.sku] in (None, line.quantity) for line in named)
        )
        if not named or whole:
            return None
        return i18n.join_names([render(return_texts.QUOTED_ITEM, item=line.shown_name) for line in named])

    async def _details(self, flow: str) -> None:
        """Details given before the order was open to change ("change the address of 100247 to ...", "return only
        the candle holders from 100177")."""
        order = await self.order()
        pending = self.get(PENDING_DETAIL)
        if flow == CHANGE_ADDRESS:
            if self._typed_address is not None and self.get(NEW_ADDRESS) is None:
                await self._take_address(self._typed_address, asked=True)
            elif pending and self.get(NEW_ADDRESS) is None and (text := address_in_request(pending)):
                await self._take_address(text, asked=False)
        elif flow == RETURN and self.get(RETURN_ITEMS) is None:
            # the customer named something of a kind none of the order's lines is ("my order 100171 arrived and the
            # mug is cracked", 100171 being one candle; "the wrong size duvet cover" for an order of cushion covers
            # and bowls, whose "cover" the item reading would take): it is asked, not guessed, and they answer
            elsewhere = bool(pending) and named_elsewhere(pending, order.lines)
            if pending:
                await self._explain_set(pending)
            if pending and not elsewhere:
                await self._take_items(items_named(pending, order.lines), asked=False, text=pending)
            if pending and self._remedy_asked() and (remedy := remedy_said(pending)) is not None:
                self.set(RETURN_REMEDY, remedy.value)  # "… order 100160, please send the right one"
            returnable = everything_returnable(order.lines, final_sale=self.state.return_reason.shop_at_fault)
            # one line to choose from is chosen, unless the customer named something else
            only_line = len(returnable) == 1 and len(order.lines) == 1 and self.state.requested != RETURN_ITEMS
            if elsewhere and (taken := self._already_in_return(pending)) is not None:
                self.say(taken)  # "the candle" of a return booked before: said so, the other items offered
            elif elsewhere:
                self.say(render(return_texts.ITEM_NOT_IN_ORDER, order_id=order.number))
            elif self.get(RETURN_ITEMS) is None and only_line:
                self.set(RETURN_ITEMS, returnable)
        if pending:
            self.set(PENDING_DETAIL, None)

    def _address_part_fixed(self) -> str | None:
        """The new address with the one part this message puts right, as text to read again (actions/address.py)."""
        address = self.get(NEW_ADDRESS)
        return address_part_corrected(self._text(), address) if isinstance(address, dict) else None

    async def _take_address(self, text: str, asked: bool) -> None:
        order = await self.order()
        current = order.shipping_address
        reading = read_address(text, current.name, current.country)
        if reading.address is not None:
            refusal = self.system.policy.address_change_refusal(order, reading.address, utc_now())
            if refusal is None:
                self.set(NEW_ADDRESS, reading.address.to_dict())
                return
            self.say(refusal.text)
        elif reading.country is not None and reading.country not in self.system.policy.config.shipping_countries:
            # "… to 5th avenue 1, new york, usa": not delivered there is the answer, not "send the whole address"
            # (said for an incomplete address too, as for a Chinese one without its postcode)
            partial = Address(name=current.name, street="", city="", postcode="", country=reading.country)
            refusal = self.system.policy.address_change_refusal(order, partial, utc_now())
            if refusal is not None:
                self.say(refusal.text)
        elif reading.in_chinese and reading.country is not None:
            # "意大利米兰市但丁路12号，邮编20121": the address as the country writes it, for its courier
            self.say(render(address_texts.IN_LATIN_LETTERS, country=country_label(reading.country)))
        elif reading.postcode_mismatch:
            country = country_label(current.country)
            self.say(render(address_texts.POSTCODE_NOT_IN_COUNTRY, postcode=reading.postcode_mismatch, country=country))
        elif asked and (whole := self._with_earlier_part(text, current.name, current.country)) is not None:
            await self._take_address(whole, asked=False)  # "1016 EA" after "Keizersgracht 100, Amsterdam"
            return
        elif asked:
            missing = self._still_missing(text, current.name, current.country) or reading.missing
            self.say(render(address_texts.PARTS_MISSING, missing=missing_parts(missing)))
        if self.state.requested != CONFIRM:  # at the summary, an address that can't be used keeps the last one
            self.set(NEW_ADDRESS, None)

    def _with_earlier_part(self, text: str, name: str, country: str) -> str | None:
        """This message and the customer's previous one together, when the bot said a part was missing from that
        one and the two make a whole address ("Keizersgracht 100, Amsterdam", then "1016 EA")."""
        earlier = earlier_partial_address(self.tracker)
        part = clean_answer(text)
        if earlier is None or not part:
            # "yes", "ok", "对" after "I couldn't find the town": no part of an address (it was read as the town,
            # and the next yes changed the order's address to "20121 yes")
            return None
        for whole in (f"{earlier}, {part}", f"{part}, {earlier}"):
            if read_address(whole, name, country).complete:
                return whole
        return None

    def _still_missing(self, text: str, name: str, country: str) -> list[str]:
        """What the earlier message still lacks when this one holds no part of an address ("yes", "ok"): that part
        is asked for again, not every part."""
        earlier = earlier_partial_address(self.tracker)
        if earlier is None or clean_answer(text):
            return []
        return read_address(earlier, name, country).missing

    def _reason_told(self) -> None:
        """Damage or a wrong item told while an ordinary return is under way ("the tumblers, two of them arrived
        chipped", "有两个杯子到的时候就碎了" at its summary): the return becomes the shop's fault, free (its label was
        deducted from the refund), with "replacement or refund?" where the shop offers it; said once."""
        entry = received_item_entry(self._said())
        if entry is None or self.state.return_reason.shop_at_fault:
            return
        reason = return_reason_of(entry)
        self.set(RETURN_REASON, reason.value)
        self.state = dataclasses.replace(self.state, return_reason=reason)
        self.say(return_texts.NOW_DAMAGED if reason is ReturnReason.DAMAGED else return_texts.NOW_WRONG_ITEM)

    async def _explain_set(self, text: str) -> None:
        """Some pieces of a set asked back ("just 2 of them, i want to keep the rest" of a set of 6 tumblers): the
        customer is told a set goes back whole (it was the same summary again, and the yes booked the whole set).
        Damaged or wrong goods need no such word: the set is replaced or refunded as it is."""
        if self.state.return_reason.shop_at_fault:
            return
        selected = self.get(RETURN_ITEMS)
        whole = part_of_a_set(text, (await self.order()).lines, selected if isinstance(selected, dict) else ())
        if whole is not None:
            self.say(render(return_texts.SET_GOES_BACK_WHOLE, item=whole.shown_name))

    def _without_ordinary_return(
        self, text: str, lines: Sequence[OrderLine], selection: dict[str, int]
    ) -> dict[str, int] | None:
        """A damage report's selection without the items ``text`` asks to send back as an ordinary return beside the
        damage ("盘子坏了一个，毯子也想退": the throw is not the shop's fault), each named to the customer: it goes
        back on their return terms once the report is done (before, it was replaced or refunded in full, free)."""
        ordinary = returned_undamaged(text, lines)
        for line in lines:
            if line.sku in ordinary and line.sku in selection:
                self.say(render(return_texts.ORDINARY_BESIDE_DAMAGE, item=line.name_in(i18n.current())))
        return {sku: n for sku, n in selection.items() if sku not in ordinary} or None

    async def _take_items(self, said: ItemsSaid, asked: bool, current: Any = None, text: str | None = None) -> None:
        """The items to return after this message (or ``text``, a detail given before), checked with the order
        system (a final-sale item, or more pieces than ordered, is explained); at the summary an unclear or refused
        change keeps the selection. A line of several pieces named in the singular ("just the towel" of 2) is asked
        about: how many go back (before, every piece went into the summary)."""
        order = await self.order()
        at_fault = self.state.return_reason.shop_at_fault
        selection = choose(said, order.lines, current if isinstance(current, dict) else None, at_fault)
        several = pieces_unclear(self._text() if text is None else text, said, order.lines)
        if selection is not None and several is not None:
            question = render(
                return_texts.ASK_PIECES,
                order_id=order.number,
                count=several.quantity,
                item=several.name_in(i18n.current()),
            )
            self.say(question, pieces_buttons(several))
            self.set(RETURN_ITEMS, None)  # the question of how many comes instead of the summary
            return
        if selection is not None and at_fault:
            selection = self._without_ordinary_return(self._text() if text is None else text, order.lines, selection)
        if selection is not None and at_fault and self.system.offers_set_pieces:
            selection = single_pieces(self._text() if text is None else text, order.lines, selection)
        if selection is None:
            if asked:
                nothing_left = said.kept and not said.returned
                template = return_texts.NOTHING_LEFT if nothing_left else return_texts.ITEMS_UNCLEAR
                if not nothing_left and named_elsewhere(self._text(), order.lines):
                    template = return_texts.ITEM_NOT_IN_ORDER  # "the mug" for an order without one
                unclear = render(template, order_id=order.number)
                if template == return_texts.ITEM_NOT_IN_ORDER and (taken := self._already_in_return(self._text())):
                    unclear = taken  # "the laundry bag" of a return booked before: said so
                # unclear twice running: a person is a button away (the question alone again is a dead end)
                again = any(unclear in str(m.get("text") or "") for m in bot_messages_before_latest(self.tracker))
                self.say(unclear, [person_button()] if again else None)
            return
        try:
            await self.system.quote_return(order.number, selection, self.state.return_reason)
        except PolicyRefusal as refusal:
            self.say(refusal.text)
            return
        self.set(RETURN_ITEMS, selection)

    # -- the answer to Rasa --------------------------------------------------------------------

    def _next_slot(self, flow: str) -> str | None:
        if self.ended:
            return None
        if self.get(SWITCH_TO):
            return SWITCH_TO
        if self.order_id is None:
            return ORDER_ID
        if not self.verified:
            return VERIFICATION
        if self.get(REFUSAL):
            return None
        if not self.cleared:
            return EMAIL  # the order is open to read; a change needs its e-mail address
        details = [slot for slot in FLOW_DETAILS[flow] if slot != RETURN_REMEDY or self._remedy_asked()]
        return next((slot for slot in details if self.get(slot) is None), None)

    async def _result(self, flow: str) -> list[EventType]:
        next_slot = self._next_slot(flow)
        if next_slot == CONFIRM:
            # the question about to be asked binds the yes to this very change (actions/changes.py)
            try:
                change = await self._planned()
            except PolicyRefusal as refusal:  # no longer possible (the order moved on meanwhile)
                self.set(REFUSAL, refusal.text)
                change, next_slot = None, None
            self.set(PENDING_CONFIRMATION, change.digest if change is not None else None)
        elif self.get(PENDING_CONFIRMATION) is not None and self.get(CONFIRM) is None:
            self.set(PENDING_CONFIRMATION, None)
        events = [*self.events, *(SlotSet(name, value) for name, value in self.changes.items())]
        if self.ended:
            return events + request_ended()
        return events + [SlotSet(REQUESTED_SLOT, next_slot)]


class ValidateOrderForm(FormValidationAction):
    """Fills ``order_form`` for every order flow (see the module docstring)."""

    def name(self) -> str:
        return "validate_order_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        turn = _FormTurn(dispatcher, tracker, order_system())
        try:
            return await turn.run()
        except (BackendError, OrderNotFound) as error:  # OrderNotFound: a verified order vanished
            return backend_failure(dispatcher, tracker, error)
