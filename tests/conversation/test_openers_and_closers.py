"""Issue 17, the English side, through the running stack: a customer's first question about what the bot can do is
answered with what it does (it was handed off as out of scope); openers and closers in the styles the training data
lacked (warm sign-offs, thanks with typos, radio and office affirmations, flat contradictions, "your a bot") get
their replies instead of the offer of a person; an order or account with another company ("where is my amazon
package") gets neither the shop's flow nor its handbook answer; and goods that arrived broken get the damaged-item
answer before the return starts.

Messages written for this test (not copied from the training data, the evaluation sets or the public benchmarks).
Order 100184 (Lukas Becker, delivered) is only read: the return is declined at its summary.
"""

from __future__ import annotations

import pytest
from support.chat import Chat


def titles(chat: Chat) -> list[str]:
    return [b["title"] for b in chat.buttons]


def answered_in_the_chat(body: dict[str, object]) -> bool:
    """No handoff, no offer of a person, no "Did you mean": the bot answered itself."""
    return body["mode"] == "bot" and body["handoff"] is None and body["offer_person"] is None


@pytest.mark.parametrize(
    "question",
    [
        "so which stuff are you able to do for a customer?",
        "is this chat just for parcels or more",
        "wat kind of things cn i ask u here",
    ],
)
def test_a_question_about_what_the_bot_can_do_is_answered_with_what_it_does(chat: Chat, question: str) -> None:
    body = chat(question)
    assert answered_in_the_chat(body), body
    assert body["nlu"]["intent"] == "vague_opener", body["nlu"]
    assert "I can check where your order is, cancel it or change its delivery address" in chat.text, chat.texts
    assert "Sure, what is it?" not in chat.text, chat.texts
    assert "Where is my order?" in titles(chat) and "Talk to a person" in titles(chat)


def test_a_plain_vague_opener_is_still_invited(chat: Chat) -> None:
    chat("there's something I need to ask")
    assert "Sure, what is it?" in chat.text and "I can check where your order is" not in chat.text, chat.texts


def test_a_greeting_read_as_small_talk_is_greeted_back(chat: Chat) -> None:
    body = chat("hey there, how's your evening going?")
    assert answered_in_the_chat(body), body
    assert body["nlu"]["intent"] in {"greet", "chitchat"}, body["nlu"]
    assert "I can help with your orders, returns and refunds" in chat.text, chat.texts


@pytest.mark.parametrize(
    ("said", "intent", "reply"),
    [
        ("right, lovely chatting to you, have a good evening", "goodbye", "Goodbye, and thanks for shopping"),
        ("thnaks a milion for that", "thank", "You're welcome"),
        ("your a bot, right?", "bot_challenge", "I'm the Larkspur Home virtual assistant, a bot"),
    ],
)
def test_openers_and_closers_in_customers_styles_get_their_reply(
    chat: Chat, said: str, intent: str, reply: str
) -> None:
    body = chat(said)
    assert answered_in_the_chat(body), body
    assert body["nlu"]["intent"] == intent, body["nlu"]
    assert reply in chat.text, chat.texts


CLOSING_REPLIES = {
    "en": ("You're welcome!", "No problem. Is there anything else", "Goodbye, and thanks for shopping"),
    "zh": ("不客气！", "没问题。", "再见，感谢您"),
}


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("nvm then. thx", "en"),  # thanks 0.67, no 0.32
        ("ok thanks anyway", "en"),  # no 0.52, thanks 0.48
        ("算了不退了，谢谢", "zh"),  # thanks 0.47, a return the words decline 0.32, no 0.18: got "Did you mean"
    ],
)
def test_a_closing_the_nlu_splits_between_thanks_and_no_gets_a_closing_reply(
    chat: Chat, said: str, language: str
) -> None:
    """The walkthrough of 2026-12-06 (third session): "nvm then. thx" got "I'm not sure I have a good answer to that
    … Shall I get a person?"; whichever way the NLU leans, the customer is closing (actions/smalltalk.py
    closing_reply), and is answered in their language. A closing is no answer to rate: "Did this help?" was asked
    under "You're welcome!" (the feedback rule saw the NLU's unsure reading, not small talk)"""
    body = chat(said)
    assert answered_in_the_chat(body), body
    assert any(reply in chat.text for reply in CLOSING_REPLIES[language]), chat.texts
    assert all(reply["feedback"] is None for reply in body["replies"]), body["replies"]


@pytest.mark.parametrize(
    ("said", "intent"), [("roger that, sounds right", "affirm"), ("no, that can't be true", "deny")]
)
def test_a_yes_or_no_in_customers_styles_is_not_handed_to_a_person(chat: Chat, said: str, intent: str) -> None:
    body = chat(said)
    assert answered_in_the_chat(body), body
    assert body["nlu"]["intent"] == intent, body["nlu"]


@pytest.mark.parametrize(
    "said",
    [
        "where's my amazon package, it's two days late",
        "reset the password of my outlook account please",
        "my etsy order 2718281828 never came",  # their order number is no Larkspur one either
        "where's my wayfair order 31415926, it was due monday",
    ],
)
def test_another_companys_order_or_account_is_not_taken_for_the_shops(chat: Chat, said: str) -> None:
    body = chat(said)
    assert body["faq"] is None, body["faq"]  # no password-reset or tracking answer
    assert body["nlu"]["intent"] not in {"order_status", "request_refund", "refund_status"}, body["nlu"]
    assert "which order" not in chat.text.lower() and "order number?" not in chat.text.lower(), chat.texts
    assert "another company" in chat.text and "Larkspur Home's orders and accounts" in chat.text, chat.texts
    assert body["offer_person"] is not None, body


def test_a_larkspur_payment_with_paypal_is_still_the_shops(chat: Chat) -> None:
    chat("my paypal payment for your lamp failed twice")
    assert "another company" not in chat.text, chat.texts


def test_goods_that_arrived_broken_get_the_damaged_item_answer_before_the_return(chat: Chat) -> None:
    body = chat("the soap dish arrived smashed!! order 100184")  # a return, whether the NLU is sure of it or torn
    assert body["faq"] is not None and body["faq"]["id"] == "damaged-item", body["faq"]
    damaged = next(i for i, text in enumerate(chat.texts) if "free replacement" in text)
    asks_email = next(i for i, text in enumerate(chat.texts) if "e-mail" in text.lower())
    assert damaged < asks_email, chat.texts  # the answer first, then the return asks for the order's proof
    chat("lukas.becker@example.com")
    assert "a new one sent to you at no cost, or a full refund" in chat.text, chat.texts  # which, is asked first
    chat("a refund")
    assert "Here's the return for order 100184" in chat.text and "Stoneware soap dish" in chat.text, chat.texts
    chat("no")  # nothing is booked


@pytest.mark.parametrize("said", ["hallo, ich habe eine frage zu meiner bestellung", "bonjour, où est ma commande ?"])
def test_a_message_in_a_language_the_bot_does_not_speak_is_told_which_it_speaks(chat: Chat, said: str) -> None:
    """The walkthrough of 2026-12-06 (third and fourth sessions): a German first message got "I'm not sure I have a
    good answer to that, and I'd rather not guess", as if the question were odd. Now the languages the bot speaks, in
    both, and a person a button away."""
    chat(said)
    assert "I can only chat in English or Chinese (我只能用英文或中文为您服务)" in chat.text, chat.texts
    assert "rather not guess" not in chat.text, chat.texts
    assert any("person" in b["title"] for b in chat.buttons), chat.buttons


@pytest.mark.parametrize("said", ["我的订单100234还没到，我要找真人客服", "我的訂單100234還沒到，我要找真人客服"])
def test_a_person_asked_for_beside_an_order_is_a_person(chat: Chat, said: str) -> None:
    """The walkthrough of 2026-12-06 (fourth session): the NLU read the order beside the request (a status 0.62) and
    the bot asked for the order's e-mail address instead of the person the customer asked for."""
    body = chat(said)
    assert body["mode"] == "queued", chat.texts
    assert "下单邮箱" not in chat.text, chat.texts
