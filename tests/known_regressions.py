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

# all 16 of 2026-12-02 fixed on the routing lane; the 7 of the evening's merge fixed on 2026-12-03 (issue notes).
# A new one is added here as `"tests/…::test_name": "what was seen, when"`.
KNOWN_REGRESSIONS: dict[str, str] = {}
