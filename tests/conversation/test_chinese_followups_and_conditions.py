"""Chinese customers in the widget (lane czh2's walk, 2026-12-07, the widget at 390x844 with "/?lang=zh").

- "那怎么查余额" (so how do I check the balance?) right after the gift-card answer: the NLU read it as out of scope,
  and a person was offered ("这个问题我不确定有好的答案"), though English "ok and how do i check the balance" is
  answered (actions/handbook_followup.py): the question with the last answer's subject is one the handbook is sure
  of with the same entry the question alone ranks first. A question the subject does not decide ("那过期了怎么办")
  is not pulled towards the gift-card entries.
- "我想退掉毯子，拆封了可以吗" (I want to return the throw, I've opened it, is that ok?): the return started and the
  question was dropped without a word. A question that only asks whether what it tells is all right, beside a return,
  asks whether the item can still go back so (the return policy's answer), as English "…, is that ok?" does
  (actions/requests.py LEANS_ON_STATEMENT_RE); then the return goes on (its order number asked).

Messages written for these tests; nothing is booked (order 100207 is only read up to its identity check)."""

from __future__ import annotations

import pytest
from support.chat import Chat

NO_GOOD_ANSWER = "这个问题我不确定有好的答案"
BALANCE_PAGE = "giftcard-balance"  # the gift-card-balance entry's answer names the balance page
RETURN_POLICY = "签收后 30 天内"  # the return-policy entry's Chinese answer


@pytest.mark.parametrize("asked", ["那怎么查余额", "怎么查余额"])
def test_the_balance_asked_after_the_gift_card_answer_is_answered(chat: Chat, asked: str) -> None:
    chat("礼品卡怎么用")
    assert "电子礼品卡" in chat.text, chat.texts
    chat(asked)
    assert NO_GOOD_ANSWER not in chat.text and BALANCE_PAGE in chat.text, chat.texts


def test_a_question_the_subject_does_not_decide_gets_no_gift_card_answer(chat: Chat) -> None:
    chat("礼品卡怎么用")
    chat("那过期了怎么办")
    assert BALANCE_PAGE not in chat.text and "电子礼品卡" not in chat.text, chat.texts


@pytest.mark.parametrize(
    "said", ["我想退掉毯子，拆封了可以吗", "我想退掉毯子，已经拆封了，可以吗", "想退货，毯子用过一次了没问题吧"]
)
def test_is_that_ok_beside_a_return_is_answered_then_the_return_goes_on(chat: Chat, said: str) -> None:
    chat(said)
    assert RETURN_POLICY in chat.text, chat.texts
    assert "请问订单号是多少" in chat.text, chat.texts  # the return goes on
    chat("不用了")


def test_is_that_ok_beside_a_return_of_a_named_order(chat: Chat) -> None:
    chat("订单100207想退货，拆封了可以吗")
    assert RETURN_POLICY in chat.text, chat.texts
    assert "请提供订单 100207 的下单邮箱或收货邮编" in chat.text, chat.texts
    chat("不用了")


def test_asking_only_whether_the_return_itself_is_possible_is_the_return(chat: Chat) -> None:
    """ "我想退掉毯子，可以吗" tells nothing beside the return: no handbook answer before it."""
    chat("我想退掉毯子，可以吗")
    assert RETURN_POLICY not in chat.text and "请问订单号是多少" in chat.text, chat.texts
    chat("不用了")


@pytest.mark.parametrize(
    ("order", "email", "item", "asked"),
    [
        ("100210", "ciaran.walsh@example.org", "圆镜", "等等，镜子拆封了还能退吗"),
        ("100208", "eva.novakova@example.com", "全部", "等等，地毯拆封了还能退吗"),
    ],
)
def test_a_question_at_the_returns_yes_or_no_books_nothing(
    chat: Chat, order: str, email: str, item: str, asked: str
) -> None:
    """ "等等，镜子拆封了还能退吗" (wait, can the mirror still go back once opened?) at "要为您办理这次退货吗？":
    the NLU was unsure and its likeliest reading was this return, which the form took as the yes: the return was
    booked (RMA and label) without a yes. A question is no yes: the return policy's answer, then the same question
    again; "不用了" books nothing. Orders 100210 (Ciarán Walsh, delivered: a round mirror and plates; other tests
    only read it) and 100208 (Eva Nováková, delivered: a jute rug; no other test uses it)."""
    chat(f"我想退货 订单{order}")
    chat(email)
    if "要为您办理这次退货吗" not in chat.text:
        chat(item)
    assert "要为您办理这次退货吗" in chat.text, chat.texts
    chat(asked)
    assert "RMA-" not in chat.text and "已登记" not in chat.text, chat.texts
    assert RETURN_POLICY in chat.text, chat.texts
    assert "要为您办理这次退货吗" in chat.text, chat.texts
    chat("不用了")
    assert "RMA-" not in chat.text, chat.texts


def test_the_same_question_in_english_books_nothing(chat: Chat) -> None:
    chat("i want to return order 100208")
    chat("eva.novakova@example.com")
    if "Shall I book this return?" not in chat.text:
        chat("everything")
    chat("wait, can i still return the rug if i opened it")
    assert "RMA-" not in chat.text, chat.texts
    assert "Shall I book this return?" in chat.text, chat.texts
    chat("no")


def test_the_mirror_named_the_everyday_way_is_the_round_mirror(chat: Chat) -> None:
    """ "镜子" (the mirror) at "您想退回订单 100210 里的哪些商品？" for 圆镜 60 厘米 was "抱歉，我没看明白您指的是订单
    100210 里的哪些商品" twice (the catalogue name's head was read as its unit, 厘米). Nothing is booked."""
    chat("我想退货 订单100210")
    chat("ciaran.walsh@example.org")
    assert "哪些商品" in chat.text, chat.texts
    chat("镜子")
    assert "没看明白" not in chat.text, chat.texts
    assert "1 × 圆镜 60 厘米" in chat.text and "炻瓷餐盘" not in chat.text, chat.texts
    chat("不用了")


@pytest.mark.parametrize(
    ("asked", "address", "correction", "corrected", "summary", "no", "kept"),
    [
        (
            "我要改订单100262的地址 marco.rossi@example.org",
            "Via Roma 5, 20121 Milano",
            "门牌号写错了，是15号",
            "Via Roma 15, 20121 Milano, 意大利",
            "要把订单 100262 的收货地址改为 Marco Rossi, ",
            "不用了",
            "收货地址保持不变",
        ),
        (
            "i want to change the address of order 100262 marco.rossi@example.org",
            "Via Roma 5, 20121 Milano",
            "sorry the house number is wrong, it's 15",
            "Via Roma 15, 20121 Milano, Italy",
            "Marco Rossi, ",
            "no",
            "Done",
        ),
    ],
)
def test_the_part_of_the_address_named_with_its_right_value_is_put_right(
    chat: Chat, asked: str, address: str, correction: str, corrected: str, summary: str, no: str, kept: str
) -> None:
    """At the new address's summary, "门牌号写错了，是15号" (the house number is wrong, it's 15) got the same summary
    with number 5, and English "sorry the house number is wrong, it's 15" was read as the yes: order 100262's address
    was CHANGED to number 5. The part named (house number, postcode) with its right value is put right: the summary
    comes again with number 15; the no changes nothing. Order 100262 (Marco Rossi, placed, Italy)."""
    chat(asked)
    chat(address)
    assert summary + "Via Roma 5, 20121 Milano" in chat.text, chat.texts
    chat(correction)
    assert "Done" not in chat.text and "已改" not in chat.text, chat.texts
    assert summary + corrected in chat.text, chat.texts
    chat(no)
    if kept == "Done":
        assert "Done" not in chat.text, chat.texts
    else:
        assert kept in chat.text, chat.texts


@pytest.mark.parametrize(
    ("asked", "address", "wrong", "summary", "no"),
    [
        (
            "我要改订单100262的地址 marco.rossi@example.org",
            "Via Roma 9, 20121 Milano",
            "地址写错了",
            "要把订单 100262 的收货地址改为 Marco Rossi, Via Roma 9",
            "不用了",
        ),
        (
            "i want to change the address of order 100262 marco.rossi@example.org",
            "Via Roma 7, 20121 Milano",
            "sorry the house number is wrong",
            "Marco Rossi, Via Roma 7, 20121 Milano, Italy",
            "no",
        ),
    ],
)
def test_the_address_said_to_be_wrong_at_its_summary_is_no_yes(
    chat: Chat, asked: str, address: str, wrong: str, summary: str, no: str
) -> None:
    """ "地址写错了" (I wrote the address wrong) and "sorry the house number is wrong" at the new address's summary were
    read as the yes (the NLU read an address change, the change's own request): order 100262's address was CHANGED
    to the one just said to be wrong ("已完成：订单 100262 将配送至 … Via Roma 9"). Something said to be wrong is no
    yes: the summary again; the no changes nothing. Order 100262 (Marco Rossi, placed, Italy)."""
    chat(asked)
    chat(address)
    assert summary in chat.text, chat.texts
    chat(wrong)
    assert "已完成" not in chat.text and "Done" not in chat.text, chat.texts
    chat(no)
    assert "已完成" not in chat.text and "Done" not in chat.text, chat.texts
