"""The unanswered-questions report: clustering through the action server's /kb/cluster (held-out paraphrases),
the report read by an editor after real low-confidence handoffs, coverage per day, entry drafts that pass
the handbook's validation except for the answer, role checks; and the turn rules on stored rows."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from support.accounts import EDITOR, add_agent_accounts
from support.agent import Console, hand_off, say

from helpdesk.config import PROJECT_ROOT
from helpdesk.db.engine import create_engine, session_factory
from helpdesk.db.models import Handoff, Message
from helpdesk.knowledge.clusters import adjusted_rand_index, labels_of, load_groups
from helpdesk.knowledge.handbook import ID_PATTERN, load_handbook
from helpdesk.reports.periods import DateRange
from helpdesk.reports.unanswered import agent_reply, as_title, coverage, distinct_questions, mask, turns_of
from helpdesk.stack import Stack

FIXTURES = PROJECT_ROOT / "eval" / "clusters"
# far-apart topics of the held-out set: no group may hold two of them
UNRELATED = {"lampshades", "kitchen-renovation", "pensioner-discount", "antique-restoration", "stain-removal"}
# questions the bot has no good answer for: it offers a person (low_confidence; checked below through /api/chat).
# (Restoration questions no longer qualify: since the faq training examples are indexed with their entries,
# "Do you restore antique furniture?" is close enough to "is there a return window for furniture?" for a "Did you
# mean" with the return policy, a refusal as the evaluation counts it, but not the person offer these tests need.)
CHIMNEYS = [
    "Do you sweep chimneys?",
    "do you offer a chimney sweeping service",
    "can you send someone to clean the chimney of my wood stove",
]
# a group an editor drafts an entry from (the draft tests post these; no routing involved)
RESTORATION = [
    "Do you restore antique furniture?",
    "do you offer furniture restoration",
    "can you repair and refinish my grandmother's old wooden cabinet",
]
INTERNSHIPS = [
    "do you offer internships",
    "Can I get an internship with your design team?",
    "are there internships for students",
]


def cluster(stack: Stack, texts: list[str]) -> httpx.Response:
    return httpx.post(f"http://127.0.0.1:{stack.ports.actions}/kb/cluster", json={"texts": texts}, timeout=120)


def test_held_out_paraphrases_are_grouped_together_and_topics_kept_apart(stack: Stack) -> None:
    groups = load_groups(FIXTURES / "paraphrases_test.json")
    texts = [text for _, members in groups for text in members]
    topic_of = [topic for topic, members in groups for _ in members]
    response = cluster(stack, texts)
    assert response.status_code == 200, response.text
    found = [c["members"] for c in response.json()["clusters"]]
    assert sorted(i for members in found for i in members) == list(range(len(texts)))  # a partition

    truth = [label for label, (_, members) in enumerate(groups) for _ in members]
    assert adjusted_rand_index(truth, labels_of(found, len(texts))) >= 0.55  # 0.62 measured
    together = 0
    for topic, members in groups:
        rows = [i for i, t in enumerate(topic_of) if t == topic]
        biggest = max(sum(1 for i in rows if i in group) for group in found)
        together += biggest * 2 > len(members)
    assert together >= 10, f"only {together} of 12 topics have most paraphrases in one group"
    for group in found:
        assert len({topic_of[i] for i in group} & UNRELATED) <= 1, [texts[i] for i in group]


def test_the_cluster_endpoint_checks_its_input(stack: Stack) -> None:
    assert cluster(stack, []).status_code == 400
    assert cluster(stack, ["fine", ""]).status_code == 400
    too_many = httpx.post(
        f"http://127.0.0.1:{stack.ports.actions}/kb/cluster", json={"texts": ["a question"], "threshold": 2}
    )
    assert too_many.status_code == 400
    one = cluster(stack, ["Do you sell lampshades separately?"])
    assert one.status_code == 200
    [only] = one.json()["clusters"]
    assert only["members"] == [0] and set(only["closest"]) == {"id", "title", "zh_title", "score", "tags"}


def report(console: Console, **params: str) -> dict:
    response = console.get("/unanswered", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def today_of(body: dict) -> dict:
    today = datetime.now(UTC).date().isoformat()
    return next(day for day in body["coverage"] if day["date"] == today)


def test_an_editor_reads_the_questions_the_bot_handed_off_grouped(
    client: httpx.Client, login: Callable[[str], Console]
) -> None:
    editor = login(EDITOR)
    before = today_of(report(editor, tz="UTC"))

    for text in CHIMNEYS + INTERNSHIPS:
        body = say(client, text)  # no good answer: a person is offered (issue 16.3), nothing queued yet
        assert body["offer_person"] == {"reason": "low_confidence"} and body["handoff"] is None, (text, body)
    answered = say(client, "How long does delivery take?")
    assert answered["faq"] and answered["faq"]["id"] == "delivery-time"
    say(client, "hello")  # a greeting is not a question for the handbook

    body = report(editor, tz="UTC")
    after = today_of(body)
    assert after["questions"] - before["questions"] == 7
    assert after["answered"] - before["answered"] == 1
    assert after["share"] == round(after["answered"] / after["questions"], 4)

    def holding(text: str) -> dict:
        return next(c for c in body["clusters"] if text in c["examples"])

    chimneys, internships = holding(CHIMNEYS[0]), holding(INTERNSHIPS[0])
    assert chimneys is not internships
    assert set(CHIMNEYS) <= set(chimneys["examples"]) and not set(INTERNSHIPS) & set(chimneys["examples"])
    assert set(INTERNSHIPS) <= set(internships["examples"])
    assert [q["text"] for q in chimneys["all_examples"]][: len(chimneys["examples"])] == chimneys["examples"]
    assert chimneys["count"] >= 3 and chimneys["reasons"].get("low_confidence", 0) >= 3
    assert chimneys["closest"]["id"] and chimneys["closest"]["score"] < 0.45  # under the suggest threshold
    assert all("How long does delivery take?" not in c["examples"] for c in body["clusters"])
    assert all("hello" not in c["examples"] for c in body["clusters"])
    counts = [c["count"] for c in body["clusters"]]
    assert counts == sorted(counts, reverse=True)  # ranked by volume

    # a range before any conversation: empty, every day listed
    empty = report(editor, **{"from": "2020-01-01", "to": "2020-01-03", "tz": "Europe/Amsterdam"})
    assert empty["clusters"] == [] and empty["unanswered"] == 0
    assert [d["date"] for d in empty["coverage"]] == ["2020-01-01", "2020-01-02", "2020-01-03"]
    assert all(d["questions"] == 0 and d["share"] is None for d in empty["coverage"])
    for bad in ({"from": "yesterday"}, {"tz": "Mars/Olympus"}, {"from": "2026-02-02", "to": "2026-02-01"}):
        assert editor.get("/unanswered", params=bad).status_code == 400


def test_a_draft_entry_passes_the_handbook_validation_except_the_answer(
    login: Callable[[str], Console], handbook_dir: Path, tmp_path: Path
) -> None:
    editor = login(EDITOR)
    examples = [*RESTORATION, "How long does delivery take?"]  # the last one is asked in the handbook already
    # the group's clean title and its own tags, as the report gives them (not the unrelated closest entry's tags)
    response = editor.post(
        "/unanswered/draft", {"examples": examples, "title": "do you restore antique furniture", "tags": ["furniture"]}
    )
    assert response.status_code == 200, response.text
    draft = response.json()
    assert ID_PATTERN.match(draft["id"]) and draft["filename"] == draft["id"] + ".md"
    assert draft["id"] not in load_handbook(handbook_dir).entries
    assert [p["message"] for p in draft["problems"]] == ["answer is empty: write the answer after the closing '---'"]
    assert "How long does delivery take?" not in draft["text"]
    for example in RESTORATION[1:]:
        assert example in draft["text"]

    # with an answer written, the file is a valid new entry of the handbook
    copy = tmp_path / "faq"
    shutil.copytree(handbook_dir, copy)
    (copy / draft["filename"]).write_text(draft["text"] + "We do not restore furniture, sorry.\n", encoding="utf-8")
    handbook = load_handbook(copy)
    assert handbook.problems == []
    entry = handbook.entries[draft["id"]]
    assert entry.title == "Do you restore antique furniture?"
    assert list(entry.questions) == RESTORATION[1:]
    assert list(entry.tags) == ["furniture"]
    assert not (handbook_dir / draft["filename"]).exists()  # nothing is written into the live handbook

    for bad in (
        {"examples": []},
        {"examples": "x"},
        {"examples": ["ok", 3]},
        {"examples": ["a"] * 6},
        {"examples": ["ok"], "tags": "furniture"},
        {"examples": ["ok"], "title": 3},
    ):
        assert editor.post("/unanswered/draft", bad).status_code == 400
    untagged = editor.post("/unanswered/draft", {"examples": RESTORATION}).json()
    assert "tags" not in untagged["text"]  # a group without tags of its own drafts none (they are optional)


def test_who_may_read_the_report(login: Callable[[str], Console], helpdesk_url: str) -> None:
    with httpx.Client(base_url=helpdesk_url, timeout=30) as anonymous:
        assert anonymous.get("/api/agent/unanswered").status_code == 401
        assert anonymous.post("/api/agent/unanswered/draft", json={"examples": ["x"]}).status_code == 401
        page = anonymous.get("/agent/unanswered")
        assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
        assert anonymous.get("/agent/unanswered.js").headers["content-type"].startswith("application/javascript")
    ava, sue = login("ava"), login("sue")
    assert ava.get("/unanswered").status_code == 403
    assert ava.post("/unanswered/draft", {"examples": ["Do you sell lampshades?"]}).status_code == 403
    assert sue.get("/unanswered").status_code == 200
    assert sue.post("/unanswered/draft", {"examples": ["Do you sell lampshades?"]}).status_code == 200
    editor = login(EDITOR)
    assert editor.post("/unanswered/draft", {"examples": ["Do you sell lampshades?"]}).status_code == 200
    # the CSRF token is required of editors too
    no_token = editor.http.post("/api/agent/unanswered/draft", json={"examples": ["Do you sell lampshades?"]})
    assert no_token.status_code == 403


# ---- the rules on stored rows, without the stack -------------------------------------------------


def message(id: int, sender: str, text: str, at: datetime, **fields: object) -> Message:
    return Message(id=id, conversation_id="c", sender=sender, text=text, created_at=at, **fields)


NLU = {"intent": "faq", "confidence": 0.4}


def test_turn_outcomes_and_coverage_days_in_a_time_zone() -> None:
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2 March 00:30 in Amsterdam
    noon = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    faq_buttons = [{"title": "Returns", "payload": '/faq{"faq_id": "return-policy"}'}]
    messages = [
        message(1, "customer", "how long does delivery take", noon, nlu=NLU),
        message(2, "bot", "2-4 days", noon, faq={"id": "delivery-time", "score": 0.8}),
        message(3, "customer", "can I send it back", noon, nlu=NLU),
        message(4, "bot", "Did you mean", noon, buttons=faq_buttons),
        message(5, "customer", "Talk to a person", noon, nlu=NLU, payload="/request_human"),
        message(6, "customer", "do you rent sofas", late, nlu=NLU, faq_candidates={"decision": "handoff"}),
        message(7, "bot", "I'm not sure", late),
        message(8, "customer", "hi", late + timedelta(minutes=1), nlu={"intent": "greet", "confidence": 0.9}),
        message(9, "bot", "Hello!", late + timedelta(minutes=1)),
        message(10, "customer", "my e-mail is ann@example.com", late + timedelta(minutes=2)),  # with an agent: no NLU
    ]
    handoffs = [
        Handoff(id=1, conversation_id="c", reason="requested", created_at=noon),
        Handoff(id=2, conversation_id="c", reason="low_confidence", created_at=late),
    ]
    turns = turns_of(messages, handoffs)
    assert [(t.text, t.outcome, t.unanswered) for t in turns] == [
        ("how long does delivery take", "answered", False),
        ("can I send it back", "suggested", True),  # the suggestions were turned down
        ("do you rent sofas", "low_confidence", True),
        ("hi", "other", False),
    ]
    period = DateRange(date(2026, 3, 1), date(2026, 3, 2), ZoneInfo("Europe/Amsterdam"))
    assert coverage(turns, period) == [
        {"date": "2026-03-01", "questions": 2, "answered": 1, "share": 0.5},
        {"date": "2026-03-02", "questions": 1, "answered": 0, "share": 0.0},
    ]
    utc = DateRange(date(2026, 3, 1), date(2026, 3, 1), ZoneInfo("UTC"))
    assert coverage(turns, utc) == [{"date": "2026-03-01", "questions": 3, "answered": 1, "share": 0.3333}]
    assert DateRange.parse("2026-03-01", "2026-03-01", "Europe/Amsterdam").start == datetime(
        2026, 2, 28, 23, 0, tzinfo=UTC
    )


def test_answers_marked_not_helpful_are_unanswered_with_the_answer() -> None:
    noon = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    order = {"intent": "order_status", "confidence": 0.97}
    messages = [
        message(1, "customer", "what is your refund policy", noon, nlu=NLU),
        message(
            2,
            "bot",
            "Refunds in 14 days",
            noon,
            faq={"id": "refund-policy", "title": "What is your refund policy?"},
            asks_feedback=True,
            helpful=False,
        ),
        message(3, "customer", "how long does delivery take", noon, nlu=NLU),
        message(4, "bot", "2-4 days", noon, faq={"id": "delivery-time"}, asks_feedback=True, helpful=True),
        message(5, "customer", "where can I download my bill, I'm ann@example.com", noon, nlu=order),
        message(6, "bot", "What's the order number? " + "x" * 300, noon, asks_feedback=True, helpful=False),
    ]
    turns = turns_of(messages, [])
    assert [(t.outcome, t.unanswered) for t in turns] == [("answered", True), ("answered", False), ("other", True)]
    questions = distinct_questions(turns)
    assert [(q.text, dict(q.reasons)) for q in questions] == [
        ("what is your refund policy", {"not_helpful": 1}),
        ("where can I download my bill, I'm [e-mail]", {"not_helpful": 1}),
    ]
    (policy,) = questions[0].not_helpful
    # named by the entry's title on the editors' page (the staff walkthrough of 2026-12-07: "handbook entry
    # refund-policy")
    assert policy.to_json() == {
        "faq_id": "refund-policy",
        "title": "What is your refund policy?",
        "text": "Refunds in 14 days",
    }
    (bill,) = questions[1].not_helpful
    assert (
        bill.faq_id is None
        and bill.title is None
        and bill.text.startswith("What's the order number?")
        and len(bill.text) == 160
    )


def test_customer_details_are_masked() -> None:
    assert mask("order 100234 for ann.lee@example.com, call +31 6 1234 5678") == (
        "order [number] for [e-mail], call [number]"
    )
    assert mask("a  2-seat   sofa") == "a 2-seat sofa"


def test_the_paraphrase_fixtures_are_well_formed() -> None:
    dev, test = load_groups(FIXTURES / "paraphrases_dev.json"), load_groups(FIXTURES / "paraphrases_test.json")
    assert len(dev) == 12 and len(test) == 12
    assert not {t for _, m in dev for t in m} & {t for _, m in test for t in m}
    assert json.loads((FIXTURES / "paraphrases_dev.json").read_text())["about"]


def test_only_callers_on_this_machine_may_ask_for_clusters() -> None:
    from types import SimpleNamespace

    from helpdesk.action_server import from_loopback

    def caller(address: str) -> Any:
        return SimpleNamespace(conn_info=SimpleNamespace(client_ip=address))

    assert from_loopback(caller("127.0.0.1")) and from_loopback(caller("::1"))
    assert from_loopback(caller("::ffff:127.0.0.1"))
    assert not from_loopback(caller("10.0.0.7")) and not from_loopback(caller("192.168.1.20"))
    assert not from_loopback(SimpleNamespace(conn_info=None))


@pytest.mark.postgres
def test_the_report_and_follow_ups_on_postgresql(pg_helpdesk: tuple[str, str]) -> None:
    url, dsn = pg_helpdesk
    accounts = add_agent_accounts(dsn, (("pgeditor", "editor", None, 1), ("pglead", "supervisor", None, 5)))
    editor, lead = Console(url), Console(url)
    try:
        assert editor.login("pgeditor", accounts["pgeditor"].password).status_code == 200
        assert lead.login("pglead", accounts["pglead"].password).status_code == 200
        with httpx.Client(base_url=url, timeout=60) as customer:
            body = say(customer, CHIMNEYS[0])
            assert body["offer_person"] == {"reason": "low_confidence"}
            conversation = body["conversation_id"]
            assert say(customer, "yes please", conversation)["handoff"] == {"reason": "requested"}
            assert lead.post(f"/conversations/{conversation}/claim").status_code == 200
            assert lead.post(f"/conversations/{conversation}/resolve").status_code == 200
            assert customer.post(f"/api/chat/{conversation}/rating", json={"score": 1}).status_code == 201
        [task] = [f for f in lead.get("/followups").json()["follow_ups"] if f["conversation_id"] == conversation]
        assert (task["reason"], task["status"]) == ("low_rating", "open")
        assert lead.post(f"/followups/{task['id']}/status", {"status": "done"}).json()["status"] == "done"
        found = report(editor, tz="Europe/Amsterdam")
        assert any(CHIMNEYS[0] in c["examples"] for c in found["clusters"])
        assert found["unanswered"] >= 1 and found["faq_questions"] >= 1
    finally:
        editor.close()
        lead.close()


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        (
            "Hi, my name is Ann Lee and I live at 12 Baker Street, London NW1 6XE",
            "Hi, my name is [name] and I live at [address], London [postcode]",
        ),
        ("I'm Bruno, deliver to 221B baker st please", "I'm [name], deliver to [address] please"),
        (
            "Address: 14 Rose Lane, Leeds LS1 4AP, phone 0113 496 0000",
            "Address: [address], Leeds [postcode], phone [number]",
        ),
        ("ship to 1012 AB Amsterdam, postcode 2000 please", "ship to [postcode] Amsterdam, postcode [postcode] please"),
        ("我叫王小明，送到建国路88号，邮编100022", "我叫[name]，[address]，邮编[postcode]"),  # 送到 goes too
        ("My name is Maria de la Cruz, call me on 555-0143", "My name is [name], call me on [number]"),
        # what is not personal stays readable
        ("I am looking for a sofa for 3 people", "I am looking for a sofa for 3 people"),
        ("this is the second time I ask about my 2 chairs", "this is the second time I ask about my 2 chairs"),
    ],
)
def test_names_street_addresses_postcodes_and_phone_numbers_are_masked(said: str, shown: str) -> None:
    assert mask(said) == shown


def test_the_agents_reply_to_a_question_is_found_masked_and_a_draft_opens_as_an_editor_form(
    client: httpx.Client, login: Callable[[str], Console], stack: Stack, db: sqlite3.Connection
) -> None:
    question = "Do you repair broken lamp cords from other shops?"
    conversation = hand_off(client, question)
    ava = login("ava")
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    reply = "Yes, we do: e-mail jo.tester@example.com with order 100234.\n\nA repair costs **€15**."
    assert ava.post(f"/conversations/{conversation}/messages", {"text": reply}).status_code == 201
    asked = db.execute(
        "SELECT id FROM messages WHERE conversation_id = ? AND sender = 'customer' AND text = ?",
        (conversation, question),
    ).fetchone()["id"]

    async def lookup() -> str | None:
        engine = create_engine(stack.env["DATABASE_URL"])
        try:
            async with session_factory(engine)() as session:
                return await agent_reply(session, [(conversation, asked)])
        finally:
            await engine.dispose()

    assert asyncio.run(lookup()) == "Yes, we do: e-mail [e-mail] with order [number].\n\nA repair costs **€15**."
    editor = login(EDITOR)
    draft = editor.post("/unanswered/draft", {"examples": [question], "closest_id": None}).json()
    assert draft["entry"]["title"] == as_title(question) and draft["entry"]["answer"] == ""
    assert draft["entry"]["id"] == draft["id"]
