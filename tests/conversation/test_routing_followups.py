"""Short follow-ups about the order already talked about, and a question naming two ways to pay (issue 17's
walkthrough misses), through the running stack: "cancel it pls" and "when will it arrive?" once an order is known
act on that order instead of asking "Did you mean"; "can i pay with paypal or klarna?" gets the one answer that
covers both, not the same question answered twice; two handbook questions in one message get both answers, also
when a greeting comes first (the walkthrough of 2026-12-04: "hey how long does delivery take … and can i pay with
paypal" got a "Did you mean" about delivery only).

Order 100259 (Thomas Leroy, placed, France) as in tests/conversation/test_dialogue_walk.py: nothing here changes it.
Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100259"
EMAIL = "thomas.leroy@example.com"
DID_YOU_MEAN = "Did you mean"


def test_cancel_it_after_the_order_was_looked_up_starts_the_cancellation(chat: Chat) -> None:
    chat(f"where is order {ORDER}? {EMAIL}")
    assert f"Order {ORDER}" in chat.text, chat.texts
    chat("cancel it pls")
    assert DID_YOU_MEAN not in chat.text and f"Cancelling order {ORDER}" in chat.text, chat.texts
    chat("no")  # not now after all: nothing is cancelled


def test_when_will_it_arrive_after_the_order_was_named_checks_that_order(chat: Chat) -> None:
    chat(f"hi, it's about my order {ORDER}")
    assert f"What would you like me to do with order {ORDER}" in chat.text, chat.texts
    chat("when will it arrive?")
    assert DID_YOU_MEAN not in chat.text, chat.texts
    assert ORDER in chat.text, chat.texts  # the order-status request for that order goes on (its check first)


def test_two_ways_to_pay_get_one_answer_that_covers_both(chat: Chat) -> None:
    chat("can i pay with paypal or klarna?")
    text = chat.text.lower()
    assert "paypal" in text and "klarna" in text, chat.texts
    answers = [t for t in chat.texts if "paypal" in t.lower() or "klarna" in t.lower()]
    assert len(answers) == 1, chat.texts


def test_two_handbook_questions_in_one_message_get_both_answers(chat: Chat) -> None:
    chat("paypal or klarna? also how long does delivery take")
    text = chat.text.lower()
    assert "paypal" in text and "klarna" in text, chat.texts  # payment methods
    assert "business days" in text, chat.texts  # and delivery times
    assert DID_YOU_MEAN not in chat.text, chat.texts


def test_two_handbook_questions_after_a_greeting_get_both_answers(chat: Chat) -> None:
    chat("hey how long does delivery take to germany and can i pay with paypal")
    text = chat.text.lower()
    assert "business days" in text and "paypal" in text, chat.texts
    assert DID_YOU_MEAN not in chat.text, chat.texts


# the walkthrough of 2026-12-06 (third session): "ok and can i change the adress still?" got the handbook's answer
# and lane cen's walk of 2026-12-07: "ok cool. can i change the adress tho" got it too (the "tho")
@pytest.mark.parametrize(
    "asked",
    [
        "can i change the adress",
        "可以改地址吗",
        "ok and can i change the adress still?",
        "ok cool. can i change the adress tho",
        # the orchestrator's walk of 2026-12-07 (evening): where it should go named, not given
        "ok and can i change the delivery adress to my office?",
        "can i change the address to a different one",
    ],
)
def test_changing_the_address_right_after_a_status_check_starts_the_change_for_that_order(
    chat: Chat, asked: str
) -> None:
    """The walkthrough of 2026-12-06: "can i change the adress" right after a status check got the handbook's
    policy answer ("Give me your order number and the new address"), and the address typed next was read as order
    details ("What would you like me to do with order …"). The change starts for the order just checked, and the
    address is read as the new one; the "no" at the end leaves the order as it was."""
    chat(f"where is order {ORDER}? {EMAIL}")
    assert f"Order {ORDER}" in chat.text, chat.texts
    chat(asked)
    assert DID_YOU_MEAN not in chat.text and "我不太确定" not in chat.text, chat.texts
    assert ORDER in chat.text and ("new delivery address" in chat.text or "新收货地址" in chat.text), chat.texts
    chat("12 Rue de la Paix, 75002 Paris, France")
    confirm = (f"Shall I change the delivery address of order {ORDER} to", f"要把订单 {ORDER} 的收货地址改为")
    assert any(words in chat.text for words in confirm), chat.texts
    assert "What would you like me to do with order" not in chat.text, chat.texts
    chat("no")  # nothing is changed


def test_changing_a_shipped_orders_address_to_the_office_says_it_has_shipped(chat: Chat) -> None:
    """The orchestrator's walk of 2026-12-07 (evening): after order 100234's status (shipped with DHL), "ok and can i
    change the delivery adress to my office?" got the handbook's general answer ("Give me your order number and the
    new address…") although the order was known and could no longer be changed."""
    chat("where is 100234, ann.lee@example.com")
    assert "shipped" in chat.text, chat.texts
    chat("ok and can i change the delivery adress to my office?")
    assert "already shipped" in chat.text and "100234" in chat.text, chat.texts
    assert "Give me your order number" not in chat.text, chat.texts


def test_a_question_about_changing_addresses_in_general_still_gets_the_handbook_answer(chat: Chat) -> None:
    chat(f"where is order {ORDER}? {EMAIL}")
    chat("can the delivery address of an order be changed after ordering?")
    assert "packed" in chat.text, chat.texts  # the policy, not the change of this order
    assert "What's the new delivery address" not in chat.text, chat.texts


@pytest.mark.parametrize(
    "asked",
    ["can i pay with them for sale items", "can i use a gift card for sale items?", "are they ok for sale stuff"],
)
def test_a_gift_card_question_about_sale_items_gets_the_gift_card_answer(chat: Chat, asked: str) -> None:
    """The walkthrough of 2026-12-06: "can i pay with them for sale items" after asking about gift cards got the
    final-sale answer (here: "Did you mean" payment methods, final-sale returns or bulk orders). The handbook's
    gift-card entry now says that they pay for sale items too, and "them" is read as the gift cards just answered."""
    chat("do you sell gift cards?")
    assert "gift card" in chat.text.lower(), chat.texts
    chat(asked)
    assert DID_YOU_MEAN not in chat.text, chat.texts
    assert "sale items" in chat.text and "Final sale" in chat.text, chat.texts  # the gift-card answer's line
    assert "can't be returned" not in chat.text, chat.texts  # not the final-sale returns answer


def test_them_without_an_answer_before_is_not_read_as_anything(chat: Chat) -> None:
    chat("can i pay with them for sale items")
    assert "Our digital gift cards" not in chat.text, chat.texts  # nothing named them: no gift-card answer


@pytest.mark.parametrize("picked", ["the second one", "2", "washing"])
def test_a_did_you_mean_answered_by_typing_answers_the_choice_named(chat: Chat, picked: str) -> None:
    """The walkthrough of 2026-12-06: a customer who typed their pick at "Did you mean" ("washing", "the second one")
    instead of tapping it got the same choices read as a new question: "washing" handed them to a person for being
    stuck, "the second one" an offer of a person. Chat users type a pick as often as they tap it."""
    chat("bedding")
    assert DID_YOU_MEAN in chat.text, chat.texts
    titles = [b["title"] for b in chat.buttons]
    assert titles[:2] == ["Which bedding size do I need?", "How should I wash my bedding, towels and linen?"], titles
    chat(picked)
    assert "check the care label" in chat.text, chat.texts  # the washing entry's answer
    assert "support team" not in chat.text and "Shall I get a person?" not in chat.text, chat.texts


@pytest.mark.parametrize("picked", ["the first one", "1", "cancel an order", "yes"])
def test_a_did_you_mean_offering_an_order_flow_answered_by_typing_starts_that_flow(chat: Chat, picked: str) -> None:
    """Lane ux's notes of 2026-12-06: a typed pick of a *flow* choice was not read, only handbook choices were. At
    "Did you mean" offering "Cancel an order", "the first one" got "What would you like me to do with that?", "1"
    the same choice again, "cancel an order" the cancellation policy and "yes" "Great! What else can I help you
    with?": the cancellation now starts, as the button starts it."""
    chat("cancel")
    assert DID_YOU_MEAN in chat.text, chat.texts
    assert [b["title"] for b in chat.buttons][0] == "Cancel an order", chat.buttons
    chat(picked)
    assert DID_YOU_MEAN not in chat.text and "What would you like me to do" not in chat.text, chat.texts
    assert "Great!" not in chat.text and "free of charge as long as" not in chat.text, chat.texts
    assert "I can cancel your order" in chat.text and "order number" in chat.text, chat.texts
    chat(f"{ORDER} {EMAIL}")
    assert "cancel" in chat.text.lower() and ORDER in chat.text, chat.texts  # the cancellation asks to confirm
    chat("no")  # nothing is cancelled


@pytest.mark.parametrize("typed", ["don't cancel", "my order 100259"])
def test_words_that_do_not_pick_the_offered_flow_do_not_start_it(chat: Chat, typed: str) -> None:
    """The guard: a message that declines the flow offered, or asks about an order ("my order 100259": read as a
    status check), starts no cancellation."""
    chat("cancel")
    assert DID_YOU_MEAN in chat.text, chat.texts
    chat(typed)
    assert "I can cancel your order" not in chat.text and "Shall I cancel" not in chat.text, chat.texts


@pytest.mark.parametrize("typed", ["100171", "order 100171 lars.haugen@example.net"])
def test_an_order_number_typed_at_did_you_mean_offering_one_flow_is_the_order_for_it(chat: Chat, typed: str) -> None:
    """The walkthrough of 2026-12-06 (fourth session): "I want to return something" got "Did you mean: Return an
    item for a refund | How do I return an item?"; the customer typed the order number instead of tapping, and got
    "What would you like me to do with order 100171: check where it is, cancel it, or start a return?", the return
    forgotten. An order number answers the one order flow offered (a handbook entry needs none); the flow still
    checks the identity and asks before it books anything. Order 100171: Lars Haugen, delivered, one candle; only
    read: the return ends at its yes/no with a no."""
    chat("I want to return something")
    assert DID_YOU_MEAN in chat.text, chat.texts
    chat(typed)
    assert "What would you like me to do" not in chat.text, chat.texts
    if "@" not in typed:
        assert "100171" in chat.text, chat.texts  # the identity question
        chat("lars.haugen@example.net")
    assert "Here's the return for order 100171" in chat.text, chat.texts
    chat("no")
    assert "I haven't booked anything for order 100171" in chat.text, chat.texts


def test_a_new_question_typed_at_did_you_mean_is_answered_as_one(chat: Chat) -> None:
    chat("bedding")
    assert DID_YOU_MEAN in chat.text, chat.texts
    chat("how do i return an item?")
    assert "RMA" in chat.text, chat.texts  # the returns answer, not a bedding choice
    assert "check the care label" not in chat.text and "European sizes" not in chat.text, chat.texts


def test_can_i_return_it_in_chinese_after_a_status_check_is_that_return(chat: Chat) -> None:
    """The walkthrough of 2026-12-06 (third session): "好的 那能退吗" (ok, can I return it then?) right after the status
    of order 100234 (shipped; Ann Lee, only read) got the handbook's return policy; it is the return of that order,
    which is refused until it is delivered, with what can be done meanwhile."""
    chat("你好，我的快递到哪了 订单号100234")
    chat("ann.lee@example.com")
    assert "订单 100234" in chat.text, chat.texts
    chat("好的 那能退吗")
    assert "订单 100234" in chat.text and "签收后" in chat.text and "拒收" in chat.text, chat.texts


def test_what_about_cancelling_it_after_a_status_check_is_that_cancellation(chat: Chat) -> None:
    """The walkthrough of 2026-12-06 (third session): "ugh ok. what about cancelling it" right after the order's status
    was read as an opener ("Sure, what is it?"); it is the cancellation of the order just checked (which asks for a
    yes: "no" leaves the order as it was)."""
    chat(f"where is order {ORDER}? {EMAIL}")
    assert f"Order {ORDER}" in chat.text, chat.texts
    chat("ugh ok. what about cancelling it")
    assert "Sure, what is it?" not in chat.text and "cancel" in chat.text.lower() and ORDER in chat.text, chat.texts
    chat("no")  # nothing is cancelled


@pytest.mark.parametrize(
    ("asked", "then"),
    [
        ("can i change the adress", "What's the new delivery address for order"),
        ("how do i return an item?", "return"),
    ],
)
def test_an_order_number_after_an_answer_that_asks_for_one_starts_that_request(
    chat: Chat, asked: str, then: str
) -> None:
    """The walkthrough of 2026-12-06: the handbook's answer "Give me your order number and the new address and I can
    update it here in the chat", then "its 100259", got "What would you like me to do with order 100259: check where
    it is, cancel it, or start a return?" (twice, the e-mail address after it too)."""
    chat(asked)
    assert "order number" in chat.text, chat.texts  # the handbook's answer, asking for it
    chat(f"its {ORDER}")
    assert "What would you like me to do with order" not in chat.text, chat.texts
    chat(EMAIL)
    assert "What would you like me to do with order" not in chat.text, chat.texts
    assert then in chat.text, chat.texts
    chat("never mind")  # nothing is changed


def test_how_much_after_an_answer_asks_about_that_answers_subject(chat: Chat) -> None:
    """The walkthrough of 2026-12-06: "do u do gift wrappin?" (answered), then "how much" got "Did you mean"."""
    chat("do u do gift wrappin?")
    assert "gift wrapping" in chat.text.lower(), chat.texts
    chat("how much")
    assert DID_YOU_MEAN not in chat.text and "€3.50" in chat.text, chat.texts


def test_a_question_the_last_answer_makes_sure_of_is_answered_not_offered(chat: Chat) -> None:
    """Lane cen's walk (2026-12-07): "ok and how do i check the balance" right after the gift-card answer got "Did you
    mean" (the balance entry first). The question about the last answer's subject (gift cards) is one the handbook is
    sure of with that same entry: answered. A question whose own first offer is another entry is not pulled towards
    the subject: "ok and how do i check the delivery time" gets no gift-card answer."""
    chat("do you sell gift cards?")
    assert "Our digital gift cards" in chat.text, chat.texts
    chat("ok and how do i check the balance")
    assert DID_YOU_MEAN not in chat.text and "giftcard-balance" in chat.text, chat.texts
    chat("do you sell gift cards?")
    chat("ok and how do i check the delivery time")
    assert "giftcard-balance" not in chat.text and "Our digital gift cards" not in chat.text, chat.texts


SHIPPED = "100234"  # Ann Lee's order, shipped (tests/actions/test_order_flows.py): nothing here changes it
ANN = "ann.lee@example.com"


@pytest.mark.parametrize(
    ("asked", "address", "shipped"),
    [
        (f"i need to change the delivery address of order {SHIPPED}, {ANN}", "12 Elm Road, Leeds LS6 2AB", "shipped"),
        (f"我想改一下订单 {SHIPPED} 的收货地址，邮箱 {ANN}", "上海市徐汇区漕溪北路 88 号 5 楼", "已发货"),
    ],
)
def test_the_address_typed_after_a_refused_change_of_a_shipped_order_gets_the_refusal_again(
    chat: Chat, asked: str, address: str, shipped: str
) -> None:
    """The walkthrough of 2026-12-06: after the assistant said a shipped order's address can no longer be changed,
    the new address the customer typed anyway got "What would you like me to do with order …: check where it is,
    cancel it, or start a return?". It is read as the change just refused: the order has shipped, and what they can
    do (redirect it with the carrier, or refuse it), in the customer's language."""
    chat(asked)
    assert shipped in chat.text, chat.texts
    chat(address)
    assert "What would you like me to do with" not in chat.text and "需要我做什么" not in chat.text, chat.texts
    assert SHIPPED in chat.text, chat.texts  # not the refusal word for word: tests/conversation/test_refused_change.py
    assert ("redirect" in chat.text) if shipped == "shipped" else ("改派" in chat.text), chat.texts


@pytest.mark.parametrize(
    ("asked", "status"),
    [
        ("订单100234怎么还没到？另外你们支持支付宝吗", "订单 100234"),
        ("where is my order 100234? also do you take paypal", "Order 100234"),
    ],
)
def test_an_order_question_beside_a_payment_question_checks_the_order(chat: Chat, asked: str, status: str) -> None:
    """The walkthrough of 2026-12-06: the NLU read "订单100234怎么还没到？另外你们支持支付宝吗" as a refund status (the
    payment question beside it), and the customer got "订单 100234 没有退款". The payment question is answered and the
    order request's own clause decides the flow: the status of the order (100234, Ann Lee, shipped; read only)."""
    chat(asked)
    assert "PayPal" in chat.text, chat.texts  # the payment methods answer
    chat("2511 AB")
    assert status in chat.text and "退款" not in chat.text and "refund" not in chat.text.lower(), chat.texts


@pytest.mark.parametrize(
    ("first", "then", "entry"),
    [
        ("can u tell me how to wash the linen sheets", "and the towels?", "product-care-textiles"),
        ("how long does delivery take to belgium", "what about norway?", "delivery-time"),
        ("床单怎么洗", "那毛巾呢？", "product-care-textiles"),
    ],
)
def test_a_follow_up_naming_only_another_thing_is_the_question_before_about_it(
    chat: Chat, first: str, then: str, entry: str
) -> None:
    """The walkthrough of 2026-12-06: "and the towels?" after the washing answer got "Did you mean", and "what about
    norway?" after the delivery-time answer got "Sure, what is it?" (read alone, an opener). Read as the question
    before with the new thing added, each is answered from the handbook."""
    chat(first)
    assert chat.last["faq"] is not None and chat.last["faq"]["id"] == entry, chat.texts
    chat(then)
    assert chat.last["faq"] is not None and chat.last["faq"]["id"] == entry, chat.texts
    assert DID_YOU_MEAN not in chat.text and "what is it?" not in chat.text, chat.texts


def test_what_about_a_place_with_no_answer_before_is_still_an_opener(chat: Chat) -> None:
    chat("hi")
    chat("what about norway?")
    assert chat.last["faq"] is None, chat.texts


@pytest.mark.parametrize(
    ("opener", "question"),
    [("i want to send something back", "what's your return policy?"), ("send back", "how do returns work?")],
)
def test_a_question_about_returns_at_did_you_mean_offering_a_return_is_answered(
    chat: Chat, opener: str, question: str
) -> None:
    """The walk of 2026-12-07 (lane cen5): at "Did you mean" offering "Return an item for a refund", "what's your
    return policy?" started a return ("I can start a return. What's the order number?"): it named the return, so it
    was read as the pick. A question about returns is answered from the handbook; "can i return it?" still picks the
    return (tests above: a typed pick)."""
    chat(opener)
    assert DID_YOU_MEAN in chat.text and "Return an item for a refund" in [b["title"] for b in chat.buttons], chat.texts
    chat(question)
    assert "I can start a return. What's the order number?" not in chat.text, chat.texts
    assert "30 days" in chat.text, chat.texts  # the handbook's return policy / how to return answer


def test_can_i_return_it_at_did_you_mean_offering_a_return_still_starts_it(chat: Chat) -> None:
    chat("I want to return something")
    assert DID_YOU_MEAN in chat.text, chat.texts
    chat("can i return it?")
    assert "I can start a return" in chat.text, chat.texts
