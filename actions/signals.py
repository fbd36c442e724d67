"""Structured signals the actions send to the helpdesk alongside their text.

The REST channel returns each ``json_message`` as ``{"custom": {...}}``; the helpdesk reads
``handoff`` (the conversation moves to the agent queue; the reasons are in helpdesk/vocabulary.py) and
``faq`` (the entry answered from: its id and score, and for the widget the answer's Markdown and the
help-centre article's title and URL; it follows the answer's text, which the helpdesk replaces with the Markdown)
and ``offer_person`` (the message before it offers a person: the helpdesk adds the expected wait, or when the team
is back, and that an e-mail address will do too) and ``question`` (the message before asks the customer for
something the bot needs, an order number or an e-mail address: it is no answer, so the widget does not ask whether it
helped) and ``small_talk`` (the message before only closes the chat, "You're welcome!", "Goodbye!", though the NLU read
no small talk: nothing to rate either). A handoff may carry the customer's ``contact`` ({"email"}) for an answer by
e-mail.
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher


def signal_handoff(dispatcher: CollectingDispatcher, reason: str, contact: dict[str, str] | None = None) -> None:
    handoff: dict[str, object] = {"reason": reason}
    if contact:
        handoff["contact"] = contact
    dispatcher.utter_message(json_message={"handoff": handoff})


def signal_person_offer(dispatcher: CollectingDispatcher, reason: str, email_known: bool = False) -> None:
    """``email_known``: the customer gave their e-mail address in this conversation, so the helpdesk does not ask for
    it again beside the wait."""
    offer: dict[str, object] = {"reason": reason}
    if email_known:
        offer["email_known"] = True
    dispatcher.utter_message(json_message={"offer_person": offer})


def signal_order_list(dispatcher: CollectingDispatcher, email: str) -> None:
    """The customer asked for the list of their orders by e-mail at ``email`` (helpdesk/mail/order_list.py)."""
    dispatcher.utter_message(json_message={"order_list": {"email": email}})


def signal_question(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(json_message={"question": True})


def signal_small_talk(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(json_message={"small_talk": True})


def signal_faq(
    dispatcher: CollectingDispatcher,
    faq_id: str,
    score: float,
    article: tuple[str, str] | None = None,
    markdown: str | None = None,
    rule: str | None = None,
) -> None:
    """``rule``: what chose the entry when no ranking did (handbook_answer.RULES); the console shows it instead of a
    score of the message against the entry."""
    faq: dict[str, str | float] = {"id": faq_id, "score": round(float(score), 4)}
    if rule is not None:
        faq["rule"] = rule
    if article is not None:
        faq["title"], faq["url"] = article
    if markdown is not None:
        faq["markdown"] = markdown
    dispatcher.utter_message(json_message={"faq": faq})
