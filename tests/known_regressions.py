# ruff: noqa: E501 - test node ids are long
"""Tests that the integration of 2026-12-02 broke and that are not fixed yet: each is marked xfail (not strict)
with the reason, so the suite stays usable while the regression stays visible (pytest's summary lists them as
XFAIL; an XPASS says one got fixed). Fixing one means deleting its line here. Nothing else is marked anywhere.

Cause, measured at integration: the one-pass NLU (issue 17.2, nlu_addons/onepass_nlu.py) replaced the fine-tuned
intent classifier on the same day the dialogue changes (issue 16.2/16.3: small talk, vague openers, a person offered
as a choice) were written against the old classifier; these conversations now take the other pipeline's route
(mostly "Did you mean" where the tests expect a flow, an offer of a person or a handbook answer). The issue notes of
16 and 17 list them.
"""

from __future__ import annotations

# all 16 of 2026-12-02 fixed on the routing lane (issue 16/17 notes); a new one is added here with its reason
# found by the first full run after the evening's eight-lane merge (2026-12-02 21:41, 2 pytest workers); not yet analysed
MERGE_SHARED_STACK = (
    "merge × 2 pytest workers: the test counts chats in its worker's shared stack and finds other files' chats "
    "(queue/view counts higher than the test made); passes alone on its lane"
)
MERGE_SEARCH_PG = (
    "merge: labels+search on PostgreSQL raised KeyError for a conversation id in the result (seen once, 2 workers)"
)

KNOWN_REGRESSIONS: dict[str, str] = {
    "tests/conversation/test_labels_search.py::test_a_labelled_resolved_chat_is_found_by_text_label_name_and_language[postgres]": MERGE_SEARCH_PG,
    "tests/browser/test_queue_cleanup_browser.py::test_a_supervisor_closes_the_button_only_chats_in_one_go": MERGE_SHARED_STACK,
    "tests/browser/test_console_notice_find_browser.py::test_a_new_chat_changes_the_title_raises_a_notification_and_its_card_says_what_it_is_about": MERGE_SHARED_STACK,
}
