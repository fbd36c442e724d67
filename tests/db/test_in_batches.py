"""helpdesk.db.batches.in_batches: the IN lists the conversation pages read with (follow-ups, unread counts, the
chat cards' lines and labels) cover every value once, in order, in lists of at most 500."""

from __future__ import annotations

from helpdesk.db.batches import IN_BATCH, in_batches


def test_every_value_once_in_order_in_batches_of_at_most_500() -> None:
    values = [f"c{n}" for n in range(2 * IN_BATCH + 1)]
    batches = list(in_batches(values))
    assert [len(b) for b in batches] == [IN_BATCH, IN_BATCH, 1]
    assert [v for b in batches for v in b] == values
    assert list(in_batches([])) == []
