"""A handbook answer that did not help: the customer says so ("that didn't help, i already tried that", "没用，试过了")
or writes again about the same thing ("i cant log in to my account", answered with the password reset, then "it says
my password is wrong but i reset it twice"). The walkthrough of 2026-12-06 (walk1): the second message got the same
answer again word for word, or "Did you mean: A problem with a payment". The bot says its answer above is all the help
centre has, and offers a person (the helpdesk adds the wait, or an e-mail address for a later answer)."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handbook_answer import in_language
from actions.handbook_followup import last_answer_entry
from actions.handoff import offer_person
from actions.requests import QUESTION_RE, ZH_QUESTION_RE
from actions.texts import render
from actions.texts.catalog import smalltalk as say
from helpdesk.knowledge.runtime import get_knowledge_base
from helpdesk.vocabulary import HANDOFF_LOW_CONFIDENCE
from nlu_addons.language import language_of

# "that didn't help", "doesn't work", "not helpful", "i already tried that", "tried that already", "still doesn't
# work", "useless"; Chinese "没用", "不管用", "试过了", "还是不行", "没解决"
DID_NOT_HELP_RE = re.compile(
    r"\b(?:did|does|do|has|have|is|was)(?:\s*n[o']?t|\s+not)\s+(?:really\s+)?(?:help|work|solve|fix|answer)\w*"
    r"|\b(?:didnt|doesnt|dont|isnt|wasnt)\s+(?:really\s+)?(?:help|work|solve|fix|answer)\w*"
    r"|\bnot\s+(?:helpful|working|what\s+i\s+(?:asked|meant|need))|\buseless\b|\bno\s+help\b"
    r"|\balready\s+(?:tried|did|done)\b|\btried\s+(?:that|this|it|all\s+that)(?:\s+already)?\b"
    r"|没用|沒用|没有用|沒有用|不管用|试过了|試過了|还是不行|還是不行|没解决|沒解決|没有解决|沒有解決",
    re.IGNORECASE,
)


def says_it_did_not_help(text: str) -> bool:
    return DID_NOT_HELP_RE.search(text) is not None


def answer_did_not_help(dispatcher: CollectingDispatcher, tracker: Tracker, entry_id: str) -> bool:
    """The help centre's answer ``entry_id`` is all there is, and a person offered; False (nothing said) when the
    handbook has no such entry."""
    entry = get_knowledge_base().entry(entry_id)
    if entry is None:
        return False
    title = in_language(entry.id, entry.title, "")[0]
    offer_person(dispatcher, tracker, render(say.ANSWER_DID_NOT_HELP, title=title), HANDOFF_LOW_CONFIDENCE)
    return True


def not_helped(dispatcher: CollectingDispatcher, tracker: Tracker, question: str) -> bool:
    """Right after a handbook answer, the customer says it did not help: the person offered (True), else False."""
    entry_id = last_answer_entry(tracker)
    return (
        entry_id is not None and says_it_did_not_help(question) and answer_did_not_help(dispatcher, tracker, entry_id)
    )


def asks_something(text: str) -> bool:
    """The message asks a question ("can i use a gift card for sale items?", "那运费呢"), not only tells."""
    zh = language_of(text) == "zh"
    return QUESTION_RE.search(text) is not None or (zh and ZH_QUESTION_RE.search(text) is not None)


def same_answer_again(dispatcher: CollectingDispatcher, tracker: Tracker, entry_id: str, question: str) -> bool:
    """``entry_id`` is the answer just given to the customer's previous message and ``question`` asks nothing ("it
    says my password is wrong but i reset it twice"): not given again word for word, the person offered instead
    (True). False when it is another entry, or a question the same entry answers ("do you sell gift cards?", then
    "can i use a gift card for sale items?")."""
    return (
        last_answer_entry(tracker) == entry_id
        and not asks_something(question)
        and answer_did_not_help(dispatcher, tracker, entry_id)
    )
