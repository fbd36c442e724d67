"""Customer messages that wait for the bot: stored while Rasa or the action server was down (or restarting), and
answered in the chat as soon as both are back (the widget shows the answer live or on its next poll).

`PendingTurns` remembers, per conversation, the bot metadata of each waiting message (the shop's signed customer
token and the client's address are not stored with the message); `ChatService.answer_pending_forever` empties
it. A helpdesk that restarts forgets what waited in it; the widget then retries its message (same
`client_message_id`), which answers it once.
"""

from __future__ import annotations

from collections.abc import Iterator

Metadata = dict[str, str] | None

MAX_CONVERSATIONS = 10_000  # a long outage: the oldest waiting conversations beyond this wait for a retry
MAX_ATTEMPTS = 3  # tries with the bot up before a conversation's waiting messages are given up (logged): a message
# that fails every time (an action's bug, not an outage) must not be sent again and again


class PendingTurns:
    def __init__(self, limit: int = MAX_CONVERSATIONS, attempts: int = MAX_ATTEMPTS) -> None:
        self.limit = limit
        self.attempts = attempts
        self._waiting: dict[str, dict[int, Metadata]] = {}
        self._failed: dict[str, int] = {}

    def wait(self, conversation_id: str, message_id: int, metadata: Metadata) -> None:
        """`message_id` of `conversation_id` waits for the bot."""
        messages = self._waiting.pop(conversation_id, {})
        messages[message_id] = metadata
        self._waiting[conversation_id] = messages  # the most recent last
        while len(self._waiting) > self.limit:
            del self._waiting[next(iter(self._waiting))]

    def metadata(self, conversation_id: str) -> dict[int, Metadata]:
        return dict(self._waiting.get(conversation_id, {}))

    def done(self, conversation_id: str) -> None:
        self._waiting.pop(conversation_id, None)
        self._failed.pop(conversation_id, None)

    def failed(self, conversation_id: str) -> bool:
        """Answering failed with the bot up: True when that was the last attempt (the messages are given up)."""
        self._failed[conversation_id] = self._failed.get(conversation_id, 0) + 1
        if self._failed[conversation_id] < self.attempts:
            return False
        self.done(conversation_id)
        return True

    def __contains__(self, conversation_id: object) -> bool:
        return conversation_id in self._waiting

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._waiting))

    def __len__(self) -> int:
        return len(self._waiting)
