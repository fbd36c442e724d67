"""Thanks said in answer to the offer of a person (lane cust's walk, 2026-12-07): "好的谢谢" to "要为您转接人工客服…
吗？" got "不客气！还有什么可以帮您的吗？" and the offer was gone, the customer left with nobody coming. A yes with the
thanks calls the person; thanks alone keeps the offer open (its buttons again); anywhere else thanks is "You're
welcome". Order 100234 (Ann Lee, shipped): nothing is changed here. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

MISSING = "订单100234少了一件商品"  # the missing-item answer, then a person offered for that order
OFFERED = "要为您转接人工客服，核对订单 100234 的打包记录"


def test_ok_thanks_to_the_offer_in_chinese_calls_the_person(chat: Chat) -> None:
    chat(MISSING)
    assert OFFERED in chat.text, chat.texts
    reply = chat("好的谢谢")
    assert reply["handoff"] is not None and reply["mode"] == "queued", reply
    assert "还有什么可以帮您的吗" not in chat.text, chat.texts


def test_thanks_alone_keeps_the_offer_open_and_its_button_still_calls_the_person(chat: Chat) -> None:
    chat(MISSING)
    reply = chat("谢谢")
    assert reply["handoff"] is None and "还需要为您转接人工客服吗" in chat.text, chat.texts
    assert [button["title"] for button in chat.buttons] == ["好的，转人工", "不用，我换个问法"], chat.buttons
    reply = chat("好的，转人工")
    assert reply["handoff"] is not None and reply["mode"] == "queued", reply


def test_no_thanks_to_the_offer_declines_it(chat: Chat) -> None:
    chat(MISSING)
    reply = chat("不用了谢谢")
    assert reply["handoff"] is None and reply["mode"] == "bot", reply


def test_thanks_with_no_offer_open_is_a_plain_youre_welcome(chat: Chat) -> None:
    chat("how long does delivery take?")
    reply = chat("ok thanks")
    assert reply["handoff"] is None and "You're welcome" in chat.text, chat.texts
    assert not chat.buttons, chat.buttons


def test_sure_thanks_to_the_offer_calls_the_person_though_the_nlu_is_unsure(chat: Chat) -> None:
    """ "sure, thanks" is read between a yes and thanks (unsure): it got a second offer worded "I'm not sure I have a
    good answer to that", as if nothing had been asked."""
    chat(MISSING)
    reply = chat("sure, thanks")
    assert reply["handoff"] is not None and reply["mode"] == "queued", reply
    assert "not sure" not in chat.text, chat.texts
