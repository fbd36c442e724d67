"""One truth about the shop, through the real stack: every fact the bot answers equals what the demo shop page
says and what governs the shop (config/shop_facts.yml, the order policies, and the schedule handoffs follow)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from support.helpdesks import extra_helpdesk

from helpdesk.conversation.business_hours import load_schedule
from helpdesk.knowledge.facts import load_facts
from helpdesk.orders.config import load_orders_config
from helpdesk.stack import Stack

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY = "|".join(DAYS)
HOURS_QUESTION = "What are your customer service opening hours?"
SCHEDULE = """time_zone: Europe/Amsterdam
weekly:
  monday: ["07:15-19:45"]
  tuesday: ["07:15-19:45"]
  wednesday: ["07:15-19:45"]
  thursday: ["07:15-19:45"]
  friday: ["07:15-17:05"]
  saturday: ["09:30-13:00"]
holidays: [2026-12-25]
"""


def answer(client: httpx.Client, question: str, *faq_ids: str) -> str:
    """The bot's answer to a new conversation's first message, from one of the handbook entries `faq_ids`."""
    body = client.post("/api/chat", json={"conversation_id": None, "text": question}).json()
    assert body["faq"] is not None and body["faq"]["id"] in faq_ids, body
    return "\n".join(reply["text"] for reply in body["replies"]).replace("**", "")  # as the widget shows it


def page_text(client: httpx.Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    assert "{{" not in response.text  # every reference rendered
    text = re.sub(r"<[^>]+>", " ", response.text)
    return html.unescape(" ".join(text.split()))


def one(pattern: str, text: str) -> tuple[str, ...]:
    found = re.findall(pattern, text)
    assert found, (pattern, text[:400])
    assert len(set(found)) == 1, f"{pattern} says different things: {found}"
    return found[0] if isinstance(found[0], tuple) else (found[0],)


def test_every_fact_the_bot_states_equals_the_shop_page(client: httpx.Client) -> None:
    facts = load_facts()
    shop = page_text(client)

    bot_threshold = one(r"over (€\d+)", answer(client, "When is delivery free (minimum order value)?", "free-shipping"))
    shop_threshold = one(r"(?:orders|delivery) over (€\d+)", shop)
    assert bot_threshold == shop_threshold == (facts.show("free_delivery_threshold"),)

    bot_cards = one(r"from (€\d+) to (€\d+)", answer(client, "How do Larkspur gift cards work?", "gift-cards"))
    shop_cards = one(r"(€\d+)–(€\d+)", shop)
    assert bot_cards == shop_cards == (facts.show("gift_card_amounts", "min"), facts.show("gift_card_amounts", "max"))
    assert f"from {bot_cards[0]}" in shop  # the card's "from" price

    policy = load_orders_config().policy
    returns = answer(client, "What is your return policy?", "return-policy", "refund-policy")
    bot_window = one(r"within (\d+) days of delivery", returns)
    shop_window = one(r"(\d+)-day (?:free )?returns", shop)
    assert bot_window == shop_window == (str(policy.return_window_days),)

    label = answer(client, "how much is a return label from the uk", "return-shipping-cost", "refund-policy")
    assert one(r"(€\d+\.\d\d)", label) == (facts.show("return_label_fee"),)

    # the stack runs with BUSINESS_HOURS=off: handoffs succeed at any hour, and everyone says so
    hours = answer(client, HOURS_QUESTION, "opening-hours")
    assert "- Every day: around the clock" in hours
    assert "who are there around the clock, every day" in shop
    assert client.get("/api/chat/status").json()["business_hours"]["open"] is True


def day_hours(text: str) -> dict[int, str]:
    """{weekday: "HH:MM–HH:MM"} from "Monday to Thursday 07:15–19:45" / "Friday: 07:15–17:05" phrases."""
    found: dict[int, str] = {}
    pattern = rf"({DAY})(?: (to|and) ({DAY}))?:? (\d\d:\d\d–\d\d:\d\d)"
    for first, joiner, last, hours in re.findall(pattern, text):
        start = DAYS.index(first)
        end = DAYS.index(last) if last else start
        days = range(start, end + 1) if joiner == "to" else {start, end}
        for day in days:
            assert day not in found, f"{DAYS[day]} twice in {text!r}"
            found[day] = hours
    return found


@pytest.fixture()
def scheduled_stack(stack: Stack, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The stack's actions (the bot's answers) and a second helpdesk (shop page, handoffs) on one real schedule."""
    schedule = tmp_path / "business_hours.yml"
    schedule.write_text(SCHEDULE, encoding="utf-8")
    saved = {name: stack.env.get(name) for name in ("BUSINESS_HOURS", "BUSINESS_HOURS_FILE")}
    hours_env = {"BUSINESS_HOURS": "on", "BUSINESS_HOURS_FILE": str(schedule)}

    def restart_actions() -> None:
        stack.stop_service("actions")
        stack.start_service("actions")
        stack.wait_ready(timeout=300)

    stack.env.update(hours_env)
    try:
        restart_actions()
        with extra_helpdesk(stack, "scheduled", hours_env) as url:
            yield url, schedule
    finally:
        for name, value in saved.items():
            if value is None:
                stack.env.pop(name, None)
            else:
                stack.env[name] = value
        restart_actions()


def test_support_hours_everywhere_are_the_handoff_schedule(scheduled_stack: tuple[str, Path]) -> None:
    url, path = scheduled_stack
    schedule = load_schedule(path)
    clock = lambda seconds: f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"  # noqa: E731
    expected = {day: f"{clock(i[0].start)}–{clock(i[0].end)}" for day, i in enumerate(schedule.weekly) if i}
    with httpx.Client(base_url=url, timeout=60) as client:
        listed = answer(client, HOURS_QUESTION, "opening-hours")
        assert day_hours(listed) == expected, listed
        assert "- Sunday and public holidays: closed" in listed
        contact = answer(client, "How can I contact customer service?", "contact-us")
        assert day_hours(contact) == expected, contact
        shop = page_text(client)
        assert day_hours(shop) == expected, shop
        assert "(Amsterdam time)" in shop and "(Amsterdam time)" in listed
        status = client.get("/api/chat/status").json()["business_hours"]
        assert status["time_zone"] == "Europe/Amsterdam"
        assert status["open"] is schedule.is_open(datetime.now(UTC))
