"""A handbook question beside an order request that the handbook is not sure of (the walkthrough of 2026-12-06,
second session): "hi! quick q - is the linen duvet cover machine washable, and also can i still cancel 100259?"
started the cancellation and the washing question was never mentioned again: a lost message. Now its likeliest
entries are offered ("About your other question (…): is it one of these?") and the request goes on. Order 100259
(placed), read only. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat


def test_an_unsure_question_beside_a_request_is_offered_not_dropped(chat: Chat) -> None:
    # (the walkthrough's "is the linen duvet cover machine washable" is answered surely since the textiles entry
    # was asked about machine washing; a question the handbook is still unsure of keeps the test's point)
    chat("hi! quick q - is the linen duvet cover ok to wash hot, and also can i still cancel 100259? changed my mind")
    assert "About your other question (is the linen duvet cover ok to wash hot)" in chat.text, chat.texts
    payloads = [b["payload"] for b in chat.buttons]
    assert any("product-care-textiles" in p for p in payloads), chat.buttons
    assert "for order 100259" in chat.text, chat.texts  # the cancellation goes on: the identity check
    chat("thomas.leroy@example.com")
    assert "Cancelling order 100259" in chat.text, chat.texts


def test_a_request_in_words_alone_is_not_two_things(chat: Chat) -> None:
    """ "where's my stuff" is the status request itself (no order number yet): it asks for the number, and offers no
    "other question" (it did for a while this session, read as a question beside the request)."""
    chat("where's my stuff")
    assert "You've asked two things" not in chat.text and "About your other question" not in chat.text, chat.texts
    assert "What's the order number?" in chat.text, chat.texts


def test_is_that_ok_about_what_the_customer_did_beside_a_return_is_answered(chat: Chat) -> None:
    """Lane cen's walk (2026-12-07): "… but i already threw away the box, is that ok?" beside the return got the
    identity check alone; "is that ok?" was no question the handbook knew. Beside a return it asks whether the item
    can go back so: the return policy answers (unused, in the original packaging), then the return goes on. Order
    100234 (Ann Lee, shipped), only read."""
    body = chat("hi i wanna return the candles from 100234 but i already threw away the box, is that ok?")
    assert (body["faq"] or {}).get("id") == "return-policy", body
    assert "original packaging" in chat.text, chat.texts
    assert "for order 100234?" in chat.texts[-1], chat.texts  # the return's identity check follows


def test_is_that_a_problem_about_what_the_customer_did_after_a_comma_in_the_request_is_answered(chat: Chat) -> None:
    """Lane cen's walk (2026-12-07): "i want to return my order 100212, i used the carafe once, is that a problem?"
    got the identity check alone: what the customer did stood in the request's own clause (after a comma), so the
    question had nothing to lean on and was dropped. Now it asks whether the item can go back so: the return policy
    answers (unused, in the original packaging), then the return goes on. Order 100224 (Luca Meier, delivered: a
    carafe and napkins), only read (the return is not booked; 100212, which the walk used, is booked by other tests
    in the same stack)."""
    body = chat("i want to return my order 100224, i used the carafe once, is that a problem?")
    assert (body["faq"] or {}).get("id") == "return-policy", body
    assert "original packaging" in chat.text, chat.texts
    assert "for order 100224?" in chat.texts[-1], chat.texts  # the return's identity check follows
    chat("luca.meier@example.org")
    assert "Here's the return for order 100224:" in chat.text and "Glass carafe" in chat.text, chat.texts


def test_a_question_after_if_not_beside_a_status_request_is_answered(chat: Chat) -> None:
    """Lane cen's walk (2026-12-07): "…will it get here in time? if not can i get express" beside the status: the
    express half was dropped ("if not can i get express" read as no question). Now the express answer (it can't be
    added to a placed order), then the status (its date answers "in time?"). Order 100234 (Ann Lee, shipped), read."""
    body = chat("where is my order 100234? will it get here in time? if not can i get express")
    assert (body["faq"] or {}).get("id") == "express-delivery", body
    assert "Express can't be added to an order that's already placed" in chat.text, chat.texts
    chat("ann.lee@example.com")
    assert "Order 100234 shipped" in chat.text and "It should arrive by" in chat.text, chat.texts
