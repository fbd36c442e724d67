"""A handbook answer without its sentences asking for the order number (actions/order_number_asked.py)."""

from __future__ import annotations

import sys

from helpdesk.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT))  # the actions package lives at the project root
from actions.order_number_asked import without_order_number_asked  # noqa: E402


def test_the_sentence_asking_for_the_order_number_is_left_out_and_the_rest_kept() -> None:
    answer = "Sorry! Please tell me your order number and send a photo. The label costs €6.95, which we deduct."
    assert without_order_number_asked(answer) == "Sorry! The label costs €6.95, which we deduct."


def test_a_paragraph_left_empty_goes_with_its_blank_line() -> None:
    answer = "Tell me your order number and I'll pass it on.\n\nYou can choose a replacement.\n\n- a list item"
    assert without_order_number_asked(answer) == "You can choose a replacement.\n\n- a list item"


def test_chinese_sentences_asking_for_the_order_number_are_left_out() -> None:
    answer = "非常抱歉！告诉我订单号，我会帮您转交。\n\n您可以选择免费换新或全额退款。"
    assert without_order_number_asked(answer) == "非常抱歉！\n\n您可以选择免费换新或全额退款。"


def test_an_answer_that_asks_nothing_is_unchanged() -> None:
    answer = "We ship to **Germany** and France.\n\nDelivery takes 2–4 days!"
    assert without_order_number_asked(answer) == answer


def test_a_sentence_only_mentioning_the_order_number_stays() -> None:
    answer = "Please contact us within 14 days with your order number and a few photos. Tell me your order number."
    assert (
        without_order_number_asked(answer)
        == "Please contact us within 14 days with your order number and a few photos."
    )


def test_the_question_leading_to_the_request_goes_with_it() -> None:
    """ "Ordered as a guest? Tell me your order number …" with the number given: "Ordered as a guest?" was left
    hanging in the answer (lane fixes); both go, in English and Chinese, the rest of the line stays."""
    assert (
        without_order_number_asked(
            "You can download it. Ordered as a guest? Tell me your order number and the email address you used."
        )
        == "You can download it."
    )
    chinese = "也可以下载。以游客身份下的单？告诉我订单号和下单时用的邮箱地址，我会让人给您发一份。"
    assert without_order_number_asked(chinese) == "也可以下载。"
