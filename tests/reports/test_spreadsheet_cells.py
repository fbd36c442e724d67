"""CSV exports open safely in a spreadsheet and keep conversation ids exact: the search export (labels and search,
issue 20) once wrote a conversation id starting with "-" as "'-…", so the id in the file no longer matched the
conversation (the KeyError of labels+search on PostgreSQL, 2026-12-02: ids are random, 1 in 64 starts with "-")."""

from __future__ import annotations

import csv
import io
from typing import Any

from helpdesk.conversation.chat import new_conversation_id
from helpdesk.conversation.search import export_rows
from helpdesk.reports.spreadsheet import safe_cell


def card(conversation_id: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "conversation_id": conversation_id, "mode": "closed", "created_at": "2026-12-02T10:00:00+00:00",
        "updated_at": "2026-12-02T10:05:00+00:00", "customer_name": "Ingrid Berg", "customer_email": None,
        "customer_tier": "standard", "language": "en", "assignee_name": "Olga", "handoff_reason": "requested",
        "labels": [], "first_question": "where is my order?",
    }  # fmt: skip
    return base | fields


def read(rows: list[list[str]]) -> list[dict[str, str]]:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_a_conversation_id_reaches_the_search_csv_exactly_as_it_is() -> None:
    ids = ["-Qx3kP9_aa", "_under", "plainId42"]
    rows = read(export_rows([card(i) for i in ids]))
    assert [r["conversation_id"] for r in rows] == ids


def test_what_people_wrote_never_runs_as_a_formula() -> None:
    hostile = card(
        "abc",
        customer_name='=HYPERLINK("http://evil.example","x")',
        first_question="-2+3+cmd|' /C calc'!A0",
        labels=[{"name": "@SUM(A1)"}],
        handoff_reason="+1",
    )
    row = read(export_rows([hostile]))[0]
    assert row["customer_name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["first_question"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["labels"] == "'@SUM(A1)" and row["handoff_reason"] == "'+1"
    assert row["language"] == "en" and row["state"] == "closed"
    for value in ("\tx", "\rx"):
        assert safe_cell(value) == "'" + value
    assert safe_cell(-3) == -3 and safe_cell(None) is None


def test_new_conversation_ids_never_start_with_a_minus() -> None:
    ids = [new_conversation_id() for _ in range(3000)]  # 1 in 64 token_urlsafe ids starts with "-"
    assert not any(i.startswith("-") for i in ids)
    assert len(set(ids)) == len(ids) and all(len(i) == 24 for i in ids)
