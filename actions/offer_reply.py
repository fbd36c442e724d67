"""Thanks said in answer to the offer of a person ("Shall I get a person?").

"好的谢谢" or "ok thanks, yes" to the offer accepts it: the person is called, as a yes or the button would. Thanks
alone ("谢谢", "thank you") neither takes the offer nor turns it down: the offer stays open, its buttons shown again,
rather than "anything else?" that dropped it (the orchestrator's brief, 2026-12-07). Thanks anywhere else is the
plain "You're welcome" (utter_thank).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import hand_off, offer_buttons, person_offered
from actions.texts.catalog import smalltalk as say
from actions.turns import said
from helpdesk.vocabulary import HANDOFF_REQUESTED

# a yes beside the thanks ("ok thanks", "yes please, thank you", "好的谢谢", "行，谢谢", "嗯嗯 麻烦了")
YES_RE = re.compile(
    r"\b(?:ok(?:ay)?|k|yes|yeah|yep|yup|sure|please|pls|plz|alright|go\s+ahead|do\s+it)\b"
    r"|好(?:的|啊|呀|吧|滴)?|行|可以|嗯|是的|要的|需要|麻烦|麻煩|转吧|轉吧",
    re.IGNORECASE,
)
# a no anywhere in it ("no thanks", "不用了谢谢", "ok no need, thanks"): not an acceptance
NO_RE = re.compile(
    r"\b(?:no|nope|nah|not|don'?t|never\s*mind|nvm)\b|不用|不要|不需要|不必|算了|没事|沒事",
    re.IGNORECASE,
)


def accepts_offer(text: str) -> bool:
    """The message says yes (beside its thanks) and no "no" anywhere in it."""
    return YES_RE.search(text) is not None and NO_RE.search(text) is None


THANKS_RE = re.compile(r"\b(?:thanks?|thank\s+you|thx|ty|cheers)\b|谢谢|多谢|感谢", re.IGNORECASE)
SHORT_REPLY_WORDS = 6


def yes_with_thanks(text: str) -> bool:
    """A short yes with thanks ("ok thanks", "sure, thank you", "好的谢谢") and no "no" in it: the answer to a yes/no
    question, whatever the NLU read (thanks, or unsure)."""
    return len(text.split()) <= SHORT_REPLY_WORDS and THANKS_RE.search(text) is not None and accepts_offer(text)


def accepted_with_thanks(tracker: Tracker) -> bool:
    """A short yes with thanks to the offer of a person that the NLU was unsure of ("sure, thanks": a yes 0.57, thanks
    0.37), so it was not the thanks rule's: it got a second offer, worded as if nothing had been asked."""
    return person_offered(tracker) and yes_with_thanks(said(tracker))


class ActionThank(Action):
    """Thanks: at the offer of a person, a yes with it calls the person and thanks alone keeps the offer open;
    anywhere else "You're welcome"."""

    def name(self) -> str:
        return "action_thank"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if person_offered(tracker):
            if accepts_offer(said(tracker)):
                hand_off(dispatcher, HANDOFF_REQUESTED)
            else:
                dispatcher.utter_message(text=say.THANKS_AT_OFFER, buttons=offer_buttons())
        else:
            dispatcher.utter_message(response="utter_thank")
        return []
