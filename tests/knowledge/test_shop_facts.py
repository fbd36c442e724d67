"""The shop's facts: one file, cited by name in the handbook; `kb validate` rejects an unknown fact and a number
that contradicts one, with file and line."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from support.kb import PYTHON, kb_env

from helpdesk.config import PROJECT_ROOT
from helpdesk.conversation.business_hours import load_schedule
from helpdesk.knowledge.fact_refs import UnknownFact, render_text
from helpdesk.knowledge.facts import FactsError, load_facts
from helpdesk.knowledge.handbook import load_handbook
from helpdesk.knowledge.handbook_files import HandbookFiles
from helpdesk.orders.config import load_orders_config

FACTS = """currency: EUR
facts:
  free_delivery_threshold:
    type: money
    value: 50
    claims: ["free … over {n}", "over {n} … free"]
  gift_card_amounts:
    type: money_range
    value: [10, 500]
    claims: ["gift card … {range}"]
  return_window_days:
    type: number
    value: 30
    claims: ["return … within {n} days", "{n}-day return"]
  support_hours:
    type: hours
    from: business_hours
    claims: ["team … {hours}"]
  support_hours_list:
    type: hours_list
    from: business_hours
"""

HOURS = """time_zone: Europe/Amsterdam
weekly:
  monday: ["09:00-17:00"]
  tuesday: ["09:00-17:00"]
  saturday: ["10:00-12:00", "13:00-16:00"]
holidays: [2026-12-25]
"""


def entry(entry_id: str, answer: str) -> str:
    return f"---\nid: {entry_id}\ntitle: Question about {entry_id.replace('-', ' ')}?\n---\n{answer}\n"


@pytest.fixture
def facts_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    hours = tmp_path / "hours.yml"
    hours.write_text(HOURS, encoding="utf-8")
    path = tmp_path / "facts.yml"
    path.write_text(FACTS, encoding="utf-8")
    monkeypatch.setenv("SHOP_FACTS_FILE", str(path))
    monkeypatch.setenv("BUSINESS_HOURS_FILE", str(hours))
    monkeypatch.delenv("BUSINESS_HOURS", raising=False)
    return path


def handbook(tmp_path: Path, **answers: str) -> Path:
    root = tmp_path / "faq"
    root.mkdir(parents=True, exist_ok=True)
    for entry_id, answer in answers.items():
        (root / f"{entry_id}.md").write_text(entry(entry_id, answer), encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    return [str(problem) for problem in load_handbook(root).problems]


# ---- the project's own facts ---------------------------------------------------------------------------------


def test_the_project_facts_come_from_the_files_that_govern_them(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SHOP_FACTS_FILE", "BUSINESS_HOURS", "BUSINESS_HOURS_FILE", "ORDERS_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    facts = load_facts()
    policy = load_orders_config().policy
    assert facts["return_window_days"].value == policy.return_window_days
    assert facts["return_label_fee"].value == policy.return_label_fee
    assert facts["refund_business_days"].value == policy.refund_business_days
    schedule = load_schedule(PROJECT_ROOT / "config" / "business_hours.yml")
    shown = facts.show("support_hours")
    for day, intervals in zip(
        ("Monday", "Friday", "Saturday"), (schedule.weekly[0], schedule.weekly[4], schedule.weekly[5]), strict=True
    ):
        clock = f"{intervals[0].start // 3600:02d}:{intervals[0].start % 3600 // 60:02d}"
        assert day in shown and clock in shown, (day, clock, shown)
    assert facts.show("free_delivery_threshold") == "€50"
    assert facts.show("gift_card_amounts") == "€10–€500"
    assert facts.show("gift_card_amounts", "min") == "€10"


def test_the_project_handbook_cites_facts_and_validates_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SHOP_FACTS_FILE", "BUSINESS_HOURS", "BUSINESS_HOURS_FILE", "ORDERS_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    book = load_handbook(PROJECT_ROOT / "knowledge" / "faq")
    assert book.problems == []
    answers = {entry.id: entry.answer for entry in book.entries.values()}
    assert not any("{{" in answer for answer in answers.values())  # every reference rendered
    assert "over €50" in answers["free-shipping"] and "€60" not in answers["free-shipping"]
    assert "from €10 to €500" in answers["gift-cards"]
    assert "- **Monday to Thursday:** 08:30–20:00 (Amsterdam time)" in answers["opening-hours"]
    raw = (PROJECT_ROOT / "knowledge" / "faq" / "help" / "opening-hours.md").read_text(encoding="utf-8")
    assert "{{fact:support_hours_list}}" in raw


def test_hours_always_open_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOP_FACTS_FILE", raising=False)
    monkeypatch.setenv("BUSINESS_HOURS", "off")
    facts = load_facts()
    assert facts.show("support_hours") == "around the clock, every day"
    assert facts.show("support_hours_list") == "- **Every day:** around the clock"


# ---- rendering ----------------------------------------------------------------------------------------------


def test_references_render_the_current_values(facts_file: Path) -> None:
    facts = load_facts()
    text = (
        "Free over {{fact:free_delivery_threshold}}; "
        "cards {{ fact:gift_card_amounts.min }} to {{fact:gift_card_amounts.max}}."
    )
    assert render_text(text, facts) == "Free over €50; cards €10 to €500."
    assert facts.show("support_hours") == (
        "Monday and Tuesday 09:00–17:00 and Saturday 10:00–12:00 and 13:00–16:00 (Amsterdam time); "
        "closed on Wednesday to Friday, on Sunday and on public holidays"
    )
    assert facts.show("support_hours_list").splitlines() == [
        "- **Monday and Tuesday:** 09:00–17:00 (Amsterdam time)",
        "- **Saturday:** 10:00–12:00 and 13:00–16:00 (Amsterdam time)",
        "- **Wednesday to Friday, Sunday and public holidays:** closed",
    ]
    assert render_text("<b>{{fact:free_delivery_threshold}}</b>", facts, escape=lambda s: s.replace("€", "&euro;")) == (
        "<b>&euro;50</b>"
    )
    with pytest.raises(UnknownFact, match="unknown fact 'free_delivery'"):
        render_text("over {{fact:free_delivery}}", facts)


def test_the_handbook_serves_rendered_answers_and_a_facts_change_reaches_them(facts_file: Path, tmp_path: Path) -> None:
    root = handbook(tmp_path, **{"free-shipping": "Delivery is free on orders over {{fact:free_delivery_threshold}}."})
    files = HandbookFiles(root)
    files.scan(full=True)
    from helpdesk.knowledge.handbook import assemble_handbook

    first = assemble_handbook(root, files.parsed.values()).entries["free-shipping"]
    assert first.answer == "Delivery is free on orders over €50."
    assert files.scan(full=False) is False  # nothing changed
    facts_file.write_text(FACTS.replace("value: 50", "value: 45"), encoding="utf-8")
    assert files.scan(full=False) is True  # the facts changed: answers are rendered again
    second = assemble_handbook(root, files.parsed.values()).entries["free-shipping"]
    assert second.answer == "Delivery is free on orders over €45."
    assert second.content_hash != first.content_hash


# ---- validation: unknown facts and contradictions, with file and line -----------------------------------------


def test_a_number_that_contradicts_a_fact_is_rejected_at_its_line(facts_file: Path, tmp_path: Path) -> None:
    answer = "Hello.\n\nStandard delivery is **free** on orders over €60.\n\nExpress costs €9.95."
    root = handbook(tmp_path, **{"free-shipping": answer})
    found = problems(root)
    assert len(found) == 1, found
    assert found[0].startswith(
        f"{root / 'free-shipping.md'}:7: says €60 where the shop's fact 'free_delivery_threshold' is €50"
    )
    assert "{{fact:free_delivery_threshold}}" in found[0]
    assert "free-shipping" not in load_handbook(root).entries  # a contradicting entry does not serve


@pytest.mark.parametrize(
    ("answer", "line", "words"),
    [
        (
            "Gift cards come in any amount from €25 to €200.",
            5,
            "says €25–€200 where the shop's fact 'gift_card_amounts' is €10–€500",
        ),
        ("You can return items within 14 days.", 5, "says 14 where the shop's fact 'return_window_days' is 30"),
        ("Enjoy our 60-day return promise.", 5, "says 60 where"),
        (
            "Hi!\nOur team is available Monday to Friday 08:00–18:00 CET.",
            6,
            "says 08:00–18:00 where the shop's fact 'support_hours'",
        ),
        ("Orders over €40 ship for free.", 5, "says €40 where the shop's fact 'free_delivery_threshold'"),
    ],
)
def test_contradictions_of_each_kind(facts_file: Path, tmp_path: Path, answer: str, line: int, words: str) -> None:
    root = handbook(tmp_path, **{"some-entry": answer})
    found = problems(root)
    assert len(found) == 1 and found[0].startswith(f"{root / 'some-entry.md'}:{line}: "), found
    assert words in found[0], found


def test_agreeing_numbers_and_unrelated_numbers_pass(facts_file: Path, tmp_path: Path) -> None:
    root = handbook(
        tmp_path,
        **{
            "agree": "Delivery is free over €50. Gift cards from €10 to €500. Return within 30 days of delivery.",
            "unrelated": "Wash at 60 °C. The link is valid for 60 minutes. Express costs €9.95, always.",
            "hours": "Our team is available 09:00–17:00 on weekdays and 10:00–12:00 on Saturday.",
        },
    )
    assert problems(root) == []


def test_unknown_and_malformed_references_are_rejected(facts_file: Path, tmp_path: Path) -> None:
    root = handbook(
        tmp_path,
        **{
            "unknown": "Intro.\nDelivery is free over {{fact:free_delivery}}.",
            "malformed": "Free over {{fact:Free-Delivery}}.",
            "not-a-range": "Free over {{fact:free_delivery_threshold.min}}.",
            "list-inline": "Hours: {{fact:support_hours_list}}",
        },
    )
    found = problems(root)
    by_file = {Path(text.split(":")[0]).stem: text for text in found}
    assert len(found) == 4, found
    assert by_file["unknown"].startswith(f"{root / 'unknown.md'}:6: unknown fact 'free_delivery'")
    assert "known: free_delivery_threshold, gift_card_amounts" in by_file["unknown"]
    assert ":5: malformed fact reference" in by_file["malformed"]
    assert "only ranges have .min" in by_file["not-a-range"]
    assert "put it on a line of its own" in by_file["list-inline"]


def test_the_chinese_block_is_not_checked_for_english_claims_but_its_references_are(
    facts_file: Path, tmp_path: Path
) -> None:
    answer = (
        "Free over {{fact:free_delivery_threshold}}.\n\n<!-- zh -->\n"
        "订单满 {{fact:free_delivery_threshold}} 免运费 (free over €60 in a quote)。{{fact:nope}}"
    )
    root = handbook(tmp_path, **{"bilingual": answer})
    found = problems(root)
    assert len(found) == 1 and "unknown fact 'nope'" in found[0] and ":8: " in found[0], found


# ---- the facts file itself ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("type: money\n    value: 50", "type: cash\n    value: 50"), 4, "type must be one of"),
        (("value: 50", "value: fifty"), 5, "'fifty' is not an amount"),
        (("value: [10, 500]", "value: [500, 10]"), 9, "the lowest value must come first"),
        (('claims: ["gift card … {range}"]', 'claims: ["gift card … {n}"]'), 10, "{n} does not fit a money_range fact"),
        (
            ("    type: number\n    value: 30", "    type: number\n    value: 30\n    from: orders.return_window_days"),
            12,
            "either 'value' or 'from'",
        ),
        (
            ("  support_hours:\n    type: hours", "  support_hours:\n    colour: blue\n    type: hours"),
            16,
            "unknown key of fact 'support_hours' 'colour'",
        ),
        (
            ("from: business_hours\n    claims", "from: orders.opening_time\n    claims"),
            17,
            "no hours policy 'opening_time'",
        ),
    ],
)
def test_facts_file_problems_name_file_and_line(
    facts_file: Path, change: tuple[str, str], line: int, words: str
) -> None:
    old, new = change
    assert old in FACTS
    facts_file.write_text(FACTS.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FactsError) as raised:
        load_facts()
    assert any(
        problem.startswith(f"{facts_file}:{line}: ") and words in problem for problem in raised.value.problems
    ), raised.value.problems


def kb_validate(root: Path, facts: Path) -> subprocess.CompletedProcess[str]:
    command = [PYTHON, "-m", "helpdesk.knowledge.cli", "validate", str(root), "--facts", str(facts)]
    return subprocess.run(command, env=kb_env(), capture_output=True, text=True, timeout=120, check=False)


def test_kb_validate_reports_contradictions_and_facts_problems(facts_file: Path, tmp_path: Path) -> None:
    root = handbook(
        tmp_path,
        **{"free-shipping": "Free delivery over €60.", "gift-cards": "From {{fact:gift_card_amounts.min}}."},
    )
    result = kb_validate(root, facts_file)
    assert result.returncode == 1, result
    assert re.search(rf"^{re.escape(str(root / 'free-shipping.md'))}:5: says €60 where", result.stdout, re.MULTILINE)
    assert "FAIL: 2 files, 1 valid entries, 1 problems" in result.stdout

    broken = tmp_path / "broken-facts.yml"
    broken.write_text(FACTS.replace("value: 30", "value: thirty"), encoding="utf-8")
    result = kb_validate(root, broken)
    assert result.returncode == 1, result
    assert f"{broken}:13: fact 'return_window_days': 'thirty' is not a whole number" in result.stdout
    assert "cannot show {{fact:gift_card_amounts.min}}: the shop facts do not load" in result.stdout

    root_ok = handbook(tmp_path / "ok", **{"gift-cards": "From {{fact:gift_card_amounts.min}}."})
    result = kb_validate(root_ok, facts_file)
    assert result.returncode == 0 and "OK: 1 files, 1 valid entries, 0 problems" in result.stdout, result


def test_money_values_are_exact(facts_file: Path) -> None:
    facts_file.write_text(FACTS.replace("value: 50", 'value: "49.90"'), encoding="utf-8")
    facts = load_facts()
    assert facts["free_delivery_threshold"].value == Decimal("49.90")
    assert facts.show("free_delivery_threshold") == "€49.90"
