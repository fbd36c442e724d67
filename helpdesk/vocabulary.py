"""The words a conversation is described in, defined once: its modes, who sent a message, why it was handed
off, how an agent's stint ended, and the payloads the widget may send. The database stores these strings,
the chat API and the sockets show them, and the actions (`actions/`) send the handoff reasons.

Kept free of imports: the actions import it in the action server, the reports and the console read it.
"""

from __future__ import annotations

from typing import Final

# ---- modes: who answers the customer now (the one place they change: helpdesk/conversation/lifecycle.py) ----
MODE_BOT: Final = "bot"  # the bot answers
MODE_QUEUED: Final = "queued"  # handed off: waiting in the agents' queue
MODE_AGENT: Final = "agent"  # an agent has it
MODE_CLOSED: Final = "closed"  # an agent resolved it; the next customer message starts a new bot episode

# ---- senders of a stored message ----
SENDER_CUSTOMER: Final = "customer"
SENDER_BOT: Final = "bot"
SENDER_AGENT: Final = "agent"
SENDER_SYSTEM: Final = "system"  # notices such as "Alice has joined the chat."

# ---- why a conversation moved to the agents' queue (handoffs.reason; the chat API's `handoff.reason`) ----
HANDOFF_REQUESTED: Final = "requested"  # the customer asked for a person
HANDOFF_COMPLAINT: Final = "complaint"  # policy: complaints go to people
HANDOFF_LOW_CONFIDENCE: Final = "low_confidence"  # no intent and no handbook entry fits
HANDOFF_FAILED_TURNS: Final = "failed_turns"  # "Did you mean" replies in a row (HANDOFF_FAILED_TURNS)
HANDOFF_VERIFICATION_FAILED: Final = "verification_failed"  # three wrong identity answers
HANDOFF_BACKEND_ERROR: Final = "backend_error"  # the shop's order system is down
HANDOFF_LEFT_MESSAGE: Final = "left_message"  # out of business hours, the customer left a message for the team
HANDOFF_EMAIL_REPLY: Final = "email_reply"  # the customer answered one of our e-mails (helpdesk/mail/inbound.py)
HANDOFF_UNSPECIFIED: Final = "unspecified"  # an action handed off without saying why
HANDOFF_REASON_CHARS: Final = 32  # the column's width

# ---- how an agent's stint (an assignment) ended ----
END_RESOLVED: Final = "resolved"  # the agent closed the chat (the customer may rate it)
END_HANDED_BACK: Final = "handed_back"  # back to the bot without a resolution
END_TRANSFERRED: Final = "transferred"  # to another agent or a team

# ---- payloads the widget may always send, with the text the customer saw on the control ----
REQUEST_HUMAN: Final = "/request_human"
WIDGET_PAYLOADS: Final = {REQUEST_HUMAN: "Talk to a person"}
WIDGET_PAYLOADS_ZH: Final = {REQUEST_HUMAN: "转人工客服"}  # the same, shown on a Chinese page
