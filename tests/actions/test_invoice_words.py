"""actions/invoices.py invoice_asked: an invoice question about an order it numbers, and no order flow asked for.
The merged main's make eval (third session of 2026-12-06) answered a business's question about ordering with its VAT
number with the invoices entry: the invoice words alone were enough. Messages written for this test."""

from __future__ import annotations

import pytest

from actions.invoices import invoice_asked


@pytest.mark.parametrize(
    "text",
    [
        "the company name on the invoice for order 100254 is wrong, can it be changed?",
        "订单100254能开发票吗",
        "亲 100254这个订单发票抬头写错了 能改吗",
    ],
)
def test_an_invoice_question_about_a_numbered_order(text: str) -> None:
    assert invoice_asked(text)


@pytest.mark.parametrize(
    "text",
    [
        "we're a company, can we order with our VAT number and skip the VAT?",  # no order: the NLU's reading stands
        "能开发票吗",
        "cancel order 100254 and send me the invoice",  # the cancellation, its question beside it
    ],
)
def test_no_order_number_or_an_order_flow_is_no_invoice_question(text: str) -> None:
    assert not invoice_asked(text)
