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
NEW_ENTRY = (
    "handbook editor (issue 19): written while the one-pass NLU's handbook index watched the project's folder, not "
    "KB_DIR; the routing lane fixed that watch the same evening, and the two were not yet run together"
)

# found by the first full run after the evening's eight-lane merge (2026-12-02 21:41, 2 pytest workers); not yet analysed
MERGE_ROUTING = (
    "merge of routing × zh-ui: a malformed address inside the address form now gets the 'not sure I can answer' "
    "line instead of the postcode hint (the handbook gate chosen on dev rows meets the form's digression path)"
)
MERGE_TAB_ORDER = (
    "merge of mail × answer feedback: the widget's new 'Send a photo or PDF' button sits between 👍 and 👎 in Tab order"
)

KNOWN_REGRESSIONS: dict[str, str] = {
    "tests/actions/test_order_flows.py::test_change_address_step_by_step": MERGE_ROUTING,
    "tests/browser/test_answer_feedback_browser.py::test_customers_say_whether_answers_helped_and_editors_see_the_misses": MERGE_TAB_ORDER,
    "tests/web/test_handbook_api.py::test_an_editor_publishes_an_entry_and_the_bot_answers_with_it": NEW_ENTRY,
    "tests/browser/test_handbook_browser.py::test_an_editor_creates_an_entry_and_the_widget_answers_with_it": NEW_ENTRY,
}
