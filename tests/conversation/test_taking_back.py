"""A customer who takes back what they just asked, in the same message or right after (the walkthrough of
2026-12-06): "cancel order …, no wait, change the delivery address instead" started the cancellation, and "hmm
actually I'd rather cancel it" after a status check left the customer with "the assistant is unavailable" (the
order form rejected the very message that had started it). Through the running stack; the requests asked for
instead start, the ones taken back never do, and nothing is changed (each ends before a yes).

Order 100259 (Thomas Leroy, placed, France) as in tests/conversation/test_dialogue_walk.py. Messages written for
this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100259"
EMAIL = "thomas.leroy@example.com"
CANCELLING = (f"Cancelling order {ORDER}", f"取消订单 {ORDER}")
NEW_ADDRESS = (f"new delivery address for order {ORDER}", f"订单 {ORDER} 的新收货地址")


@pytest.mark.parametrize(
    "asked",
    [
        f"cancel order {ORDER}, no wait, change the delivery address instead",
        f"I want to cancel my order {ORDER}... actually no, can you update the address",
        f"帮我取消订单{ORDER}，算了，还是改地址吧",
    ],
)
def test_the_request_asked_for_instead_starts_never_the_one_taken_back(chat: Chat, asked: str) -> None:
    chat(asked)
    chat(EMAIL)
    assert not any(c in chat.text for c in CANCELLING), chat.texts
    assert any(a in chat.text for a in NEW_ADDRESS), chat.texts


@pytest.mark.parametrize(
    "second_thought",
    ["actually just change the delivery address", "no wait just change the address", "算了，还是改地址吧"],
)
def test_a_change_of_mind_at_the_identity_question_offers_the_other_change(chat: Chat, second_thought: str) -> None:
    """The walkthrough of 2026-12-06 (fifth session): "actually just change the delivery address" at the
    cancellation's identity question got the handbook's answer about address changes, then "Now, back to your order"
    and the cancellation's question again (only a message with "instead" was read as a change of mind there)."""
    chat(f"I need to cancel order {ORDER} asap")
    assert "e-mail address or the delivery postcode" in chat.text, chat.texts
    chat(second_thought)
    assert "Now, back to your order" not in chat.text and "现在回到您的订单" not in chat.text, chat.texts
    offered = chat.last["replies"][-1]
    assert "change the delivery address instead?" in offered["text"] or "改收货地址" in offered["text"], chat.texts
    chat(offered["buttons"][0]["payload"])  # "Yes, switch"
    chat(EMAIL)
    assert not any(c in chat.text for c in CANCELLING), chat.texts
    assert any(a in chat.text for a in NEW_ADDRESS), chat.texts


def test_a_request_taken_back_altogether_starts_nothing(chat: Chat) -> None:
    chat(f"cancel my order {ORDER}. never mind")
    assert "nothing about your order has been changed" in chat.text, chat.texts
    assert "e-mail address or the delivery postcode" not in chat.text, chat.texts  # no identity check for nothing


def test_a_change_of_mind_after_a_status_check_gets_a_reply_and_starts_that_change(chat: Chat) -> None:
    chat(f"where is order {ORDER}? {EMAIL}")
    assert f"Order {ORDER}" in chat.text, chat.texts
    chat("hmm actually I'd rather cancel it")  # the NLU reads a "no" in it; before, no reply at all
    assert any(c in chat.text for c in CANCELLING), chat.texts
    chat("no")  # not now after all: nothing is cancelled


@pytest.mark.parametrize(
    ("asked", "for_person", "not_changed"),
    [
        (
            f"cancel order {ORDER}",
            "actually can i talk to a person first",
            f"Nothing has been changed on order {ORDER}",
        ),
        (f"取消订单{ORDER}", "转人工", f"订单 {ORDER} 还没有任何改动"),
    ],
)
def test_a_person_asked_for_at_the_yes_or_no_of_a_change_is_told_nothing_changed(
    chat: Chat, asked: str, for_person: str, not_changed: str
) -> None:
    """The walkthrough of 2026-12-06: a person asked for at "Shall I cancel order …? (yes/no)" got the handoff and not
    a word about the cancellation, so the customer could not tell whether the order was cancelled."""
    chat(asked)
    chat(EMAIL)
    assert any(c in chat.text for c in CANCELLING), chat.texts
    chat(for_person)
    assert chat.last["handoff"] is not None and not_changed in chat.text, chat.texts


def test_a_person_asked_for_with_no_change_waiting_says_nothing_of_one(chat: Chat) -> None:
    chat(f"where is order {ORDER}? {EMAIL}")
    chat("talk to a person")
    assert chat.last["handoff"] is not None and "Nothing has been changed" not in chat.text, chat.texts


@pytest.mark.parametrize(
    ("cancel", "second_thought", "taken_back", "asked_next"),
    [
        (f"帮我取消订单{ORDER}", "算了，还是改地址吧", f"我没有取消任何东西：订单 {ORDER} 会照常处理", NEW_ADDRESS[1]),
        (
            f"please cancel order {ORDER}",
            "never mind, change the delivery address instead",
            f"I haven't cancelled anything: order {ORDER} goes ahead as planned",
            NEW_ADDRESS[0],
        ),
    ],
)
def test_never_mind_and_the_other_change_at_the_yes_or_no_switches_at_once(
    chat: Chat, cancel: str, second_thought: str, taken_back: str, asked_next: str
) -> None:
    # the walkthrough of 2026-12-06 (sixth session): "算了，还是改地址吧" at "确定要取消订单…吗？" was asked
    # "要改为修改收货地址吗？" again, though "算了" (never mind) had taken the cancellation back as plainly
    # as "don't cancel it" does
    chat(cancel)
    chat(EMAIL)
    assert any(c in chat.text for c in CANCELLING), chat.texts
    chat(second_thought)
    assert taken_back in chat.texts[0], chat.texts
    assert asked_next in chat.texts[-1], chat.texts


def test_the_new_address_typed_at_the_switch_question_is_a_yes_and_the_address(chat: Chat) -> None:
    # the same walkthrough: the address typed at "Shall I change the delivery address instead?" got "I'm not sure I
    # can answer that" and the question again; then "no, it's number 12" carried on with the cancellation
    chat(f"cancel order {ORDER} please")
    chat(EMAIL)
    chat("actually change the address instead")
    assert "Shall I change the delivery address instead?" in chat.text, chat.texts
    chat("12 Rue de la Paix, 75002 Paris, France")
    assert chat.texts == [
        f"Shall I change the delivery address of order {ORDER} to Thomas Leroy, 12 Rue de la Paix, 75002 Paris, "
        "France? (yes/no)"
    ], chat.texts
    chat("no")
    assert "cancel" not in chat.text.lower() or "nothing" in chat.text.lower(), chat.texts


@pytest.mark.parametrize(
    ("cancel", "second_thought", "proof", "summary"),
    [
        (
            f"I need to cancel order {ORDER} asap",
            "oh wait actually can you change the address to 14 Rue de Rivoli, 75001 Paris instead",
            EMAIL,
            f"Shall I change the delivery address of order {ORDER} to Thomas Leroy, 14 Rue de Rivoli, 75001 Paris",
        ),
        (
            f"帮我取消订单{ORDER}",
            "算了，还是改地址吧，改到 14 Rue de Rivoli, 75001 Paris",
            EMAIL,
            "14 Rue de Rivoli, 75001 Paris",
        ),
    ],
)
def test_the_proof_sent_at_the_offer_to_switch_goes_on_with_the_change_and_its_address(
    chat: Chat, cancel: str, second_thought: str, proof: str, summary: str
) -> None:
    """The walkthrough of 2026-12-06 (seventh session): at the cancellation's identity question, "actually no, change
    the address instead …" offered the switch, and the e-mail or postcode the customer sent next got the same offer
    again, and again; after "Yes, switch" the address typed with the change of mind was asked for once more."""
    chat(cancel)
    chat(second_thought)
    assert "change the delivery address instead?" in chat.text or "要改为修改收货地址吗" in chat.text, chat.texts
    chat(proof)
    assert "instead?" not in chat.text and "要改为" not in chat.text, chat.texts
    assert not any(c in chat.text for c in CANCELLING), chat.texts
    assert summary in chat.text and ("(yes/no)" in chat.text or "吗" in chat.text), chat.texts


def test_a_postcode_sent_at_the_offer_to_switch_is_read_as_the_proof(chat: Chat) -> None:
    chat(f"I need to cancel order {ORDER} asap")
    chat("actually no, change the address instead")
    chat("33000")  # Thomas Leroy's postcode: enough to read the order, not to change it
    assert "instead?" not in chat.text, chat.texts
    assert f"the e-mail address for order {ORDER}" in chat.text, chat.texts
    chat(EMAIL)
    assert any(a in chat.text for a in NEW_ADDRESS), chat.texts
