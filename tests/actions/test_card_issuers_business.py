"""Lane en (issue 17): an unsure "Did you mean" between a payment problem and one payments entry is answered from
that entry (actions/faq.py), but not for the card issuer's business or another company's charge ("how do I dispute a
charge with my bank on another site" got the payment-declined answer): card_issuers_business reads it. Payments at
the shop's checkout, declined at a till or charged twice, are not the issuer's business. Messages written for this
test."""

from __future__ import annotations

import pytest

from actions.payment_ways import card_issuers_business


@pytest.mark.parametrize(
    "text",
    [
        "i need to dispute a payment that another website took from my card",
        "what's the interest rate on my mastercard these days",
        "is there a spending limit on my debit card",
        "how far along is my credit card application",
        "someone made fraudulent purchases with my visa, who do i call",
        "can my bank do a chargeback for a purchase i never got",
        "my amazon order charged my card twice",
    ],
)
def test_the_card_issuers_business_is_read(text: str) -> None:
    assert card_issuers_business(text), text


@pytest.mark.parametrize(
    "text",
    [
        "why was my card declined 3 times",
        "my card keeps getting declined at checkout",
        "you charged me twice for the same order",
        "the payment for my sofa is still pending",
        "my card was refused at the supermarket this morning, why",
        "my visa gets rejected at your checkout though other websites take it fine",
        "is paying later with klarna interest free",
    ],
)
def test_a_payment_problem_is_not_the_card_issuers_business(text: str) -> None:
    assert not card_issuers_business(text), text
