"""Chinese questions the action server looks up in the handbook itself, through the running stack (issue 18):
several questions in one message, each looked up in the handbook's Chinese side and answered in Chinese, as English
messages of two questions are (tests/conversation/test_routing_followups.py); an order request beside a Chinese
question gets the answer first, then the order flow goes on; a Chinese payment problem (the rule runs the handbook
search with no routing decision to follow) is answered from the Chinese side, not by the English engine.

Order 100234 (shipped, ann.lee) is only read. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

TWO_THINGS = "您问了两件事，我一件一件来。"
DID_YOU_MEAN = "您是想问下面这些吗"


def faq_ids(chat: Chat) -> list[str]:
    """The handbook entries the bot answered from in its last turn, in order (each answer's help-centre article)."""
    return [str(reply["article"]["id"]) for reply in chat.last["replies"] if isinstance(reply.get("article"), dict)]


def test_two_chinese_handbook_questions_get_both_answers_in_chinese(chat: Chat) -> None:
    chat("可以用PayPal付款吗？另外寄到德国一般要几天")
    assert TWO_THINGS in chat.text and DID_YOU_MEAN not in chat.text, chat.texts
    assert faq_ids(chat) == ["payment-methods", "delivery-time"], chat.last["replies"]
    assert "Klarna" in chat.text and "工作日" in chat.text, chat.texts
    assert "At checkout" not in chat.text and "business days" not in chat.text, chat.texts  # the Chinese versions


def test_two_chinese_questions_joined_by_a_comma_and_a_joining_word_get_both_answers(chat: Chat) -> None:
    chat("退货的运费要我自己出吗，还有发票在哪里下载")
    assert TWO_THINGS in chat.text and DID_YOU_MEAN not in chat.text, chat.texts
    assert faq_ids(chat) == ["return-shipping-cost", "invoices"], chat.last["replies"]
    assert "欧盟国家退货免费" in chat.text, chat.texts


def test_an_order_request_beside_a_chinese_question_answers_it_then_asks_for_the_proof(chat: Chat) -> None:
    chat("我的订单100234到哪了？顺便问一下退货运费谁出")
    assert TWO_THINGS in chat.text, chat.texts
    assert faq_ids(chat) == ["return-shipping-cost"], chat.last["replies"]  # the question, answered in Chinese
    assert "欧盟国家退货免费" in chat.text, chat.texts
    assert "订单 100234 的下单邮箱或收货邮编" in chat.text, chat.texts  # then the order's check, in Chinese


def test_a_chinese_payment_problem_is_answered_from_the_chinese_handbook(chat: Chat) -> None:
    chat("同一个订单我的信用卡被扣了两次款")
    assert DID_YOU_MEAN not in chat.text, chat.texts
    assert faq_ids(chat) == ["double-charge"], chat.last["replies"]


def test_two_options_in_one_chinese_question_get_each_options_answer(chat: Chat) -> None:
    # "毛巾还是铸铁锅": two things to care for, two handbook entries, as "paypal or klarna" names two ways to pay
    chat("毛巾或者铸铁锅应该怎么保养")
    assert DID_YOU_MEAN not in chat.text, chat.texts
    assert sorted(faq_ids(chat)) == ["product-care-cookware", "product-care-textiles"], chat.last["replies"]


def test_two_options_one_entry_covers_are_answered_once(chat: Chat) -> None:
    chat("可以用PayPal还是Klarna付款")
    assert faq_ids(chat) == ["payment-methods"], chat.last["replies"]
    assert chat.text.count("Klarna") == 1 and "PayPal" in chat.text, chat.texts


def test_can_it_be_cancelled_after_a_status_check_starts_the_cancellation_and_answers_the_other_question(
    chat: Chat,
) -> None:
    # order 100259 (placed, thomas.leroy) is only looked at: the cancellation is declined at its question
    chat("订单100259到哪了？邮箱 thomas.leroy@example.com")
    assert "100259" in chat.text and DID_YOU_MEAN not in chat.text, chat.texts
    chat("能取消吗？另外退货运费多少")
    assert TWO_THINGS in chat.text, chat.texts
    assert faq_ids(chat) == ["return-shipping-cost"], chat.last["replies"]  # the other question, answered
    assert "确定要取消订单 100259 吗" in chat.text, chat.texts  # and the cancellation of the order talked about
    chat("否")
    assert "没有取消任何东西" in chat.text, chat.texts


def test_goods_of_a_named_order_that_arrived_damaged_get_the_damaged_item_answer_then_its_return(chat: Chat) -> None:
    # "坏了" beside an order number read as a cancellation or a status check ("订单 100224 已签收，无法再取消"): what
    # arrived is damaged, so the handbook's answer about it comes first, then the return of that order. Order 100224
    # (delivered, luca.meier) is only looked at: nothing is booked (the test stops at the return's first question)
    chat("我的订单100224的东西坏了")
    assert faq_ids(chat) == ["damaged-item"], chat.last["replies"]
    assert "照片" in chat.text and "damaged" not in chat.text, chat.texts  # the Chinese answer and its photo offer
    assert "请提供订单 100224 的下单邮箱或收货邮编" in chat.text, chat.texts  # then the order's check
    chat("luca.meier@example.org")
    assert "无法再取消" not in chat.text and "已取消" not in chat.text, chat.texts
    returns = (
        "您想退回订单 100224 里的哪些商品",
        "订单 100224 里哪些商品到货时有损坏",  # the items question of a damage report
        "订单 100224 的退货如下",
        "订单 100224 就没有可退的商品了",
        "还是全额退款",  # damaged goods: a new one or a refund, asked once the items are known
    )
    assert any(line in chat.text for line in returns), chat.texts


def test_where_is_my_refund_with_the_order_and_postcode_is_the_refund_status_alone(chat: Chat) -> None:
    # "我的退款到哪了？" is the refund's status asked for, not a handbook question beside it: no "two things", no
    # return-policy entry before the refund's status. Order 100165 (refunded, marco.rossi, postcode 20121) is only read
    chat("我的退款到哪了？订单100165 邮编20121")
    assert TWO_THINGS not in chat.text and faq_ids(chat) == [], chat.texts
    assert "订单 100165 的退款 €189.00 已于" in chat.text, chat.texts


@pytest.mark.parametrize("text", ["京东上买的台灯怎么还没送到", "在拼多多下的单想退款", "宜家的沙发保修几年"])
def test_another_shops_order_refund_or_policy_is_not_taken_as_ours(chat: Chat, text: str) -> None:
    # another shop's parcel, refund or warranty: neither the handbook's policies nor an order flow (which would ask
    # for the order's proof) answer it; a person is offered, who can say where to turn
    chat(text)
    assert faq_ids(chat) == [] and "下单邮箱" not in chat.text, chat.texts
    assert chat.last["offer_person"] == {"reason": "low_confidence"}, chat.last


def test_a_chinese_question_then_only_how_is_one_question(chat: Chat) -> None:
    # "…吗，要怎么操作": the how belongs to the question before it; looked up alone it was answered from how-to-order
    chat("礼品卡余额可以查吗，要怎么操作")
    assert TWO_THINGS not in chat.text, chat.texts
    assert faq_ids(chat) == ["gift-card-balance"], chat.last["replies"]
