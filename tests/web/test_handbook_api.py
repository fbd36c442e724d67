"""The handbook editor's API (/api/agent/handbook) through the running stack, on the stack's own copy of the
handbook: roles and CSRF on every endpoint, a published entry answers customers within seconds, an invalid edit
publishes nothing and says where, two editors on one entry get a conflict, ids never leave the folder."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from support.accounts import EDITOR
from support.agent import Console, remove_entry, say, wait_held_out_ranked
from support.helpdesks import own_helpdesk

from helpdesk.stack import Stack

QUESTION = "Can I hire your team to style my living room?"
CUSTOM = "can you build a custom sofa or table for me"
STYLING = {
    "title": "Do you offer an interior styling service?",
    # the last question keeps the entry well above the answer threshold (0.56) for the held-out test set's "do you
    # make custom furniture" (0.74; 0.563 without it: one CI machine's floating point left it unanswered, 1 of 117
    # out-of-scope questions taken is under the tolerance, and the gate let the entry through)
    "questions": [QUESTION, "do you do home styling visits", "can a designer help me decorate my flat", CUSTOM],
    "tags": ["products"],
    "answer": "Not yet: our **style guides** on the blog show how to pair our textiles and lamps.",
    "zh_title": "你们提供室内软装搭配服务吗？",
    "zh_questions": ["可以请你们的设计师帮我布置客厅吗"],
    "zh_answer": "暂时没有：博客里的**搭配指南**介绍了如何搭配我们的纺织品和灯具。",
}
# a new entry the held-out sets take well (one out-of-scope test question, "do you sell lampshades separately", is
# answered with it: under the tolerance); STYLING also answers "do you make custom furniture" and two more: the gate
LAMP_QUESTION = "can I buy a replacement lampshade"
LAMP_PARTS = {
    "title": "Do you sell spare parts for your lamps?",
    "questions": [LAMP_QUESTION, "where do I get a new bulb holder for my lamp"],
    "tags": ["products"],
    "answer": "Yes: **spare shades and bulb holders** for every lamp we sell are in the shop under Spare parts.",
    "zh_title": "你们卖台灯的配件吗？",
    "zh_questions": ["可以单独买灯罩吗"],
    "zh_answer": "有的：我们所有台灯的**灯罩和灯座**都在商店的“配件”栏目里。",
}
ENDPOINTS = [
    ("GET", "/handbook"),
    ("GET", "/handbook/express-delivery"),
    ("POST", "/handbook/express-delivery/check"),
    ("PUT", "/handbook/express-delivery"),
    ("DELETE", "/handbook/express-delivery"),
    ("GET", "/handbook/express-delivery/revisions"),
    ("GET", "/handbook/express-delivery/revisions/1"),
    ("POST", "/handbook/express-delivery/revisions/1/restore"),
    ("POST", "/handbook/express-delivery/preview"),
]


@pytest.fixture(autouse=True)
def held_out_ranked(stack: Stack) -> None:
    """Publishing checks the held-out sets: wait for the action server's first ranking of them (see support.kb)."""
    wait_held_out_ranked(stack.ports.actions)


@pytest.fixture()
def styling_entry(handbook_dir: Path, stack: Stack) -> Iterator[str]:
    """The id of the entry the test creates; its file is removed afterwards (the stack's handbook is shared)."""
    yield "interior-styling"
    remove_entry(handbook_dir, "interior-styling", stack.ports.actions)


@pytest.fixture()
def lamp_entry(handbook_dir: Path, stack: Stack) -> Iterator[str]:
    yield "lamp-spare-parts"
    remove_entry(handbook_dir, "lamp-spare-parts", stack.ports.actions)


def test_roles_and_csrf_on_every_endpoint(helpdesk_url: str, login: Callable[[str], Console]) -> None:
    with httpx.Client(base_url=helpdesk_url) as anonymous:
        for method, path in ENDPOINTS:
            assert anonymous.request(method, "/api/agent" + path, json={}).status_code == 401, (method, path)
    agent, editor = login("ava"), login(EDITOR)
    opened = agent.get("/handbook/express-delivery")
    assert opened.status_code == 200 and agent.get("/handbook").status_code == 200  # agents read
    body = {"entry": opened.json()["entry"], "base_revision": opened.json()["revision"]}
    assert agent.put("/handbook/express-delivery", body).status_code == 403
    revision = opened.json()["revision"]
    assert agent.delete(f"/handbook/express-delivery?base_revision={revision}").status_code == 403
    changes = [(method, path) for method, path in ENDPOINTS if method != "GET"]
    for method, path in changes:  # without the CSRF token, or from another site
        plain = editor.http.request(method, "/api/agent" + path, json=body)
        assert plain.status_code == 403 and "CSRF" in plain.json()["error"], (method, path)
        headers = {"X-CSRF-Token": editor.csrf, "Origin": "https://evil.example"}
        assert editor.http.request(method, "/api/agent" + path, json=body, headers=headers).status_code == 403
    assert editor.get("/handbook/express-delivery").json()["revision"] == revision  # nothing was changed


def test_an_editor_publishes_an_entry_and_the_bot_answers_with_it(
    client: httpx.Client, login: Callable[[str], Console], handbook_dir: Path, lamp_entry: str
) -> None:
    before = say(client, LAMP_QUESTION)["replies"]
    assert not any("bulb holders" in reply.get("text", "") for reply in before)
    editor = login(EDITOR)
    check = editor.post(f"/handbook/{lamp_entry}/check", {"entry": LAMP_PARTS})
    assert check.status_code == 200 and check.json()["problems"] == [] and check.json()["warnings"] == []
    created = editor.put(f"/handbook/{lamp_entry}", {"entry": LAMP_PARTS, "base_revision": None})
    assert created.status_code == 201, created.text
    assert created.json()["path"] == "products/lamp-spare-parts.md"
    assert (handbook_dir / "products" / "lamp-spare-parts.md").read_text() == created.json()["text"]
    started = time.monotonic()
    while True:
        texts = [reply.get("text", "") for reply in say(client, LAMP_QUESTION)["replies"]]
        if any("bulb holders" in text for text in texts):
            break
        assert time.monotonic() - started < 30, texts
        time.sleep(0.5)
    listed = editor.get("/handbook", params={"q": "灯罩"}).json()["entries"]
    assert [row["id"] for row in listed] == [lamp_entry]
    deleted = editor.delete(f"/handbook/{lamp_entry}?base_revision={created.json()['revision']}")
    assert deleted.status_code == 200
    assert not (handbook_dir / "products" / "lamp-spare-parts.md").exists()
    assert editor.get(f"/handbook/{lamp_entry}").status_code == 404


def test_an_invalid_edit_says_where_and_publishes_nothing(login: Callable[[str], Console], handbook_dir: Path) -> None:
    editor = login(EDITOR)
    opened = editor.get("/handbook/express-delivery").json()
    before = (handbook_dir / opened["path"]).read_bytes()
    entry = {**opened["entry"], "questions": [*opened["entry"]["questions"], "What is your refund policy?"]}
    refused = editor.put("/handbook/express-delivery", {"entry": entry, "base_revision": opened["revision"]})
    assert refused.status_code == 422
    (problem,) = refused.json()["problems"]
    assert refused.json()["text"].split("\n")[problem["line"] - 1] == "  - What is your refund policy?"
    assert "refund-policy" in problem["message"] and problem["field"].startswith("questions.")
    assert (handbook_dir / opened["path"]).read_bytes() == before


def test_two_editors_on_one_entry_the_second_gets_a_conflict_with_both_versions(
    login: Callable[[str], Console], handbook_dir: Path
) -> None:
    eda, sue = login(EDITOR), login("sue")
    first, second = eda.get("/handbook/gift-wrapping").json(), sue.get("/handbook/gift-wrapping").json()
    original = first["entry"]
    try:
        mine = {**original, "answer": original["answer"] + "\n\nEda's addition."}
        saved = eda.put("/handbook/gift-wrapping", {"entry": mine, "base_revision": first["revision"]})
        assert saved.status_code == 200
        theirs = {**original, "answer": original["answer"] + "\n\nSue's addition."}
        conflict = sue.put("/handbook/gift-wrapping", {"entry": theirs, "base_revision": second["revision"]})
        assert conflict.status_code == 409
        assert conflict.json()["current"]["entry"]["answer"].endswith("Eda's addition.")
        assert conflict.json()["current"]["revision"] == saved.json()["revision"]
        assert conflict.json()["yours"]["answer"].endswith("Sue's addition.")
        text = (handbook_dir / saved.json()["path"]).read_text()
        assert "Eda's addition." in text and "Sue's addition." not in text
        stale = sue.delete(f"/handbook/gift-wrapping?base_revision={second['revision']}")
        assert stale.status_code == 409 and (handbook_dir / saved.json()["path"]).exists()
    finally:
        latest = eda.get("/handbook/gift-wrapping").json()
        assert eda.put("/handbook/gift-wrapping", {"entry": original, "base_revision": latest["revision"]}).is_success


def test_ids_never_lead_outside_the_folder(login: Callable[[str], Console], handbook_dir: Path) -> None:
    editor = login(EDITOR)
    entry = {**STYLING}
    for bad in ("..%2F..%2Fetc%2Fpasswd", "..", "Interior-Styling", "a.md", "%2Ftmp%2Fx"):
        response = editor.put(f"/handbook/{bad}", {"entry": entry, "base_revision": None})
        assert response.status_code in (400, 403, 404), (bad, response.status_code)
        assert editor.get(f"/handbook/{bad}").status_code in (403, 404), bad
    assert not list(handbook_dir.parent.glob("*.md"))


def test_every_publish_is_a_revision_that_can_be_viewed_and_restored(
    login: Callable[[str], Console], handbook_dir: Path, db: sqlite3.Connection
) -> None:
    eda, ava = login(EDITOR), login("ava")
    opened = eda.get("/handbook/candle-care").json()
    path = handbook_dir / opened["path"]
    original = path.read_text()
    edited = {**opened["entry"], "answer": opened["entry"]["answer"] + "\n\nTrim the wick to 5 mm."}
    saved = eda.put("/handbook/candle-care", {"entry": edited, "base_revision": opened["revision"], "message": "wick"})
    assert saved.status_code == 200
    listed = eda.get("/handbook/candle-care/revisions").json()
    assert listed["store"] == "database"  # the stack's copy of the handbook is not in a git work tree
    newest, first = listed["revisions"][0], listed["revisions"][-1]
    assert (newest["author"], newest["message"]) == ("Eda Tester", "wick")
    assert first["author"] == "(before the editor)"
    shown = eda.get(f"/handbook/candle-care/revisions/{newest['id']}").json()
    assert "+Trim the wick to 5 mm." in shown["diff"] and shown["text"] == path.read_text()
    rows = db.execute("SELECT author_name, message FROM handbook_revisions WHERE entry_id = 'candle-care' ORDER BY id")
    assert [tuple(row) for row in rows][-1] == ("Eda Tester", "wick")

    restore = f"/handbook/candle-care/revisions/{first['id']}/restore"
    assert ava.post(restore, {"base_revision": saved.json()["revision"]}).status_code == 403
    assert eda.post(restore, {"base_revision": opened["revision"]}).status_code == 409  # stale base
    restored = eda.post(restore, {"base_revision": saved.json()["revision"]})
    assert restored.status_code == 200 and path.read_text() == original
    assert (
        eda.get("/handbook/candle-care/revisions")
        .json()["revisions"][0]["message"]
        .startswith("handbook: restore candle-care")
    )


def test_the_impact_preview_names_the_questions_a_change_would_answer_and_stop_answering(
    client: httpx.Client, login: Callable[[str], Console]
) -> None:
    say(client, QUESTION)  # unanswered today: no entry about styling
    say(client, "Do you have next-day delivery?")  # answered today by express-delivery
    editor = login(EDITOR)
    created = editor.post("/handbook/interior-styling/preview", {"entry": STYLING})
    assert created.status_code == 200, created.text
    body = created.json()
    assert QUESTION in [o["question"] for o in body["newly_answered"]]
    assert all(o["after"] == "interior-styling" for o in body["newly_answered"])
    assert body["sentence"].startswith(f"Over {body['questions']} customer questions: would now answer")
    assert body["days"] == 30 and body["questions"] >= 2

    deleted = editor.post("/handbook/express-delivery/preview", {"entry": None}).json()
    assert "Do you have next-day delivery?" in [o["question"] for o in deleted["stopped"]]
    assert "stops answering" in deleted["sentence"]
    assert login("ava").post("/handbook/express-delivery/preview", {"entry": None}).status_code == 200  # agents read
    assert editor.post("/handbook/express-delivery/preview", {"entry": None, "days": 0}).status_code == 400


def test_a_new_entry_that_answers_held_out_out_of_scope_questions_waits_for_a_supervisor(
    login: Callable[[str], Console], handbook_dir: Path, styling_entry: str
) -> None:
    eda, sue = login(EDITOR), login("sue")
    body = {"entry": STYLING, "base_revision": None}
    refused = eda.put(f"/handbook/{styling_entry}", body)
    assert refused.status_code == 428, refused.text
    (test,) = [row for row in refused.json()["held_out"]["sets"] if row["set"] == "test"]
    assert test["after"]["oos_answered_rate"] > test["before"]["oos_answered_rate"]
    wrongly = {row["query"] for row in test["changed"] if row["expected"] is None and row["after"] == styling_entry}
    assert "do you make custom furniture" in wrongly  # the editor sees which out-of-scope questions it would take
    assert not list(handbook_dir.rglob("interior-styling.md"))
    created = sue.put(f"/handbook/{styling_entry}", {**body, "confirm": True})
    assert created.status_code == 201, created.text
    assert (handbook_dir / created.json()["path"]).exists()


def test_a_change_that_makes_the_held_out_figures_worse_needs_a_supervisor(
    login: Callable[[str], Console], handbook_dir: Path, db: sqlite3.Connection
) -> None:
    eda, sue = login(EDITOR), login("sue")
    opened = eda.get("/handbook/express-delivery").json()
    path = handbook_dir / opened["path"]
    original = path.read_bytes()
    try:
        preview = eda.post("/handbook/express-delivery/preview", {"entry": None}).json()
        sets = {row["set"]: row for row in preview["held_out"]["sets"]}
        assert {"test", "styles", "zh"} <= set(sets) and sets["test"]["queries"] >= 150
        assert sets["test"]["after"]["p_at_1"] < sets["test"]["before"]["p_at_1"]  # its held-out questions lose it
        assert ("test", "p_at_1") in {(w["set"], w["figure"]) for w in preview["held_out"]["worse"]}
        assert "English held-out P@1" in preview["sentence"] and "Chinese held-out P@1" in preview["sentence"]
        assert "P@1 on test (English)" in preview["sentence"] and "a supervisor must confirm" in preview["sentence"]
        assert preview["may_confirm"] is False

        query = f"/handbook/express-delivery?base_revision={opened['revision']}"
        refused = eda.delete(query)
        assert refused.status_code == 428, refused.text
        assert refused.json()["may_confirm"] is False and refused.json()["held_out"]["worse"]
        assert "P@1 on test" in refused.json()["error"]
        assert eda.delete(query + "&confirm=1").status_code == 403  # an editor cannot confirm it
        assert sue.delete(query).status_code == 428 and sue.delete(query).json()["may_confirm"] is True
        assert path.read_bytes() == original  # nothing was deleted so far

        emptied = {**opened["entry"], "title": "Do you sell scented candles?", "questions": [], "answer": "Yes."}
        body = {"entry": emptied, "base_revision": opened["revision"]}
        assert eda.put("/handbook/express-delivery", body).status_code == 428
        assert path.read_bytes() == original
        confirmed = sue.put("/handbook/express-delivery", {**body, "confirm": True, "message": "candles"})
        assert confirmed.status_code == 200, confirmed.text
        rows = db.execute("SELECT author_name, message FROM handbook_revisions WHERE entry_id = 'express-delivery'")
        author, message = [tuple(row) for row in rows][-1]
        assert author == "Sue Tester"
        assert message.startswith("candles [confirmed by Sue Tester: ") and "P@1 on test" in message
    finally:
        path.write_bytes(original)


def test_an_edit_that_takes_an_entrys_chinese_answers_away_is_a_chinese_loss_and_needs_a_supervisor(
    client: httpx.Client, login: Callable[[str], Console], handbook_dir: Path
) -> None:
    """Chinese held-out questions are decided as Chinese customers are answered (the handbook's Chinese side), so an
    edit of an entry's Chinese questions is measured where it acts: before, the preview ranked them with the English
    engine (the Chinese set at P@1 0.12 whatever the Chinese texts said) and never gated a Chinese loss."""
    say(client, "能用支付宝付款吗")  # a Chinese customer's question of the month, answered with payment-methods
    eda = login(EDITOR)
    opened = eda.get("/handbook/payment-methods").json()
    path = handbook_dir / opened["path"]
    original = path.read_bytes()
    edited = {**opened["entry"], "zh_questions": []}  # its Chinese title and answer stay
    preview = eda.post("/handbook/payment-methods/preview", {"entry": edited}).json()
    sets = {row["set"]: row for row in preview["held_out"]["sets"]}
    zh = sets["zh"]
    assert zh["language"] == "zh" and sets["test"]["language"] == sets["styles"]["language"] == "en"
    assert zh["before"]["p_at_1"] > 0.8  # the Chinese side ranks them (the English engine: 0.12)
    assert zh["after"]["p_at_1"] < zh["before"]["p_at_1"]
    lost = {
        c["query"] for c in zh["changed"] if c["expected"] == "payment-methods" and c["before"] == "payment-methods"
    }
    assert "能用支付宝吗" in lost  # the editor sees which Chinese questions it would stop answering
    assert ("zh", "p_at_1") in {(w["set"], w["figure"]) for w in preview["held_out"]["worse"]}
    assert sets["test"]["before"] == sets["test"]["after"] and sets["styles"]["before"] == sets["styles"]["after"]
    assert "能用支付宝付款吗" in {o["question"] for o in preview["stopped"]}
    sentence = preview["sentence"]
    assert "English held-out P@1 " in sentence and "Chinese held-out P@1 " in sentence
    assert "P@1 on zh (Chinese)" in sentence and "a supervisor must confirm" in sentence

    refused = eda.put("/handbook/payment-methods", {"entry": edited, "base_revision": opened["revision"]})
    assert refused.status_code == 428, refused.text
    assert "P@1 on zh (Chinese)" in refused.json()["error"] and refused.json()["may_confirm"] is False
    assert path.read_bytes() == original  # nothing published


def test_opening_an_entry_ranks_the_months_questions_before_the_first_preview(stack: Stack) -> None:
    # a helpdesk of its own whose background ranking is off (PREVIEW_WARM_SECONDS=0): on the stack's helpdesk the
    # ranking every 10 s could take the question between saying it and counting, and nothing was left for the
    # editor's opening to rank (CI run of 7eee698: "opening an entry did not rank the month's questions")
    def kept() -> int:
        status = httpx.get(f"http://127.0.0.1:{stack.ports.actions}/kb/status", timeout=30).json()
        return int(status["preview_kept"])

    accounts = ((EDITOR, "editor", None, 1),)
    with own_helpdesk(stack, "warm-on-open", accounts, env={"PREVIEW_WARM_SECONDS": "0"}) as own:
        with httpx.Client(base_url=own.url, timeout=30) as client:
            say(client, "is there a discount when I buy twelve candles at once")  # a question no preview has seen
        editor = Console(own.url)
        try:
            account = own.accounts[EDITOR]
            assert editor.login(account.username, account.password).status_code == 200
            before = kept()
            opened = editor.get("/handbook/candle-care").json()  # an editor opens an entry: the ranking starts
            deadline = time.monotonic() + 120
            while kept() <= before:
                assert time.monotonic() < deadline, "opening an entry did not rank the month's questions"
                time.sleep(0.5)
            preview = editor.post("/handbook/candle-care/preview", {"entry": opened["entry"]})
            assert preview.status_code == 200 and preview.json()["ranked_now"] == 0  # nothing left to embed and rank
        finally:
            editor.http.close()


def test_an_editor_hands_a_gated_change_to_a_supervisor_who_publishes_or_rejects_it(
    login: Callable[[str], Console], handbook_dir: Path, styling_entry: str, db: sqlite3.Connection
) -> None:
    eda, sue, ava = login(EDITOR), login("sue"), login("ava")
    body = {"entry_id": styling_entry, "entry": STYLING, "base_revision": None, "message": "styling visits"}
    assert ava.post("/handbook-requests", body).status_code == 403  # agents never write
    asked = eda.post("/handbook-requests", body)
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert request["state"] == "waiting" and request["asked_by"] == "Eda Tester"
    assert ("test", "oos_answered_rate") in {(w["set"], w["figure"]) for w in request["held_out"]["worse"]}
    assert not list(handbook_dir.rglob(f"{styling_entry}.md"))  # nothing published yet
    assert eda.post(f"/handbook-requests/{request['id']}/confirm", {}).status_code == 403  # not an editor's call

    listed = sue.get("/handbook-requests").json()
    assert listed["may_decide"] is True and listed["waiting"] >= 1
    assert request["id"] in [r["id"] for r in listed["requests"] if r["state"] == "waiting"]
    confirmed = sue.post(f"/handbook-requests/{request['id']}/confirm", {})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["request"]["state"] == "published"
    assert (handbook_dir / confirmed.json()["published"]["path"]).exists()
    rows = db.execute("SELECT author_name, message FROM handbook_revisions WHERE entry_id = ?", [styling_entry])
    author, message = [tuple(row) for row in rows][-1]
    assert author == "Sue Tester" and message.startswith("styling visits (asked by Eda Tester) [confirmed by Sue")
    mine = {r["id"]: r for r in eda.get("/handbook-requests").json()["requests"]}
    assert mine[request["id"]]["state"] == "published" and mine[request["id"]]["decided_by"] == "Sue Tester"
    assert sue.post(f"/handbook-requests/{request['id']}/confirm", {}).status_code == 409  # decided already

    opened = eda.get("/handbook/express-delivery").json()  # a deletion the gate stops (its held-out questions)
    path = handbook_dir / opened["path"]
    deletion = {"entry_id": "express-delivery", "entry": None, "base_revision": opened["revision"]}
    asked = eda.post("/handbook-requests", deletion)
    assert asked.status_code == 201, asked.text
    rejected = sue.post(f"/handbook-requests/{asked.json()['id']}/reject", {"note": "customers still ask for it"})
    assert rejected.status_code == 200 and path.exists()
    mine = {r["id"]: r for r in eda.get("/handbook-requests").json()["requests"]}
    assert mine[asked.json()["id"]]["state"] == "rejected"
    assert mine[asked.json()["id"]]["note"] == "customers still ask for it"


def test_out_of_scope_questions_an_entry_covers_are_retired_so_the_gate_lets_it_through(
    login: Callable[[str], Console], styling_entry: str
) -> None:
    eda, ava = login(EDITOR), login("ava")
    body = {"entry": STYLING, "base_revision": None}
    refused = eda.put(f"/handbook/{styling_entry}", body)
    assert refused.status_code == 428, refused.text
    covered = [
        (row["set"], c["query"])
        for row in refused.json()["held_out"]["sets"]
        for c in row["changed"]
        if c["expected"] is None and c["after"] == styling_entry
    ]
    assert ("test", "do you make custom furniture") in covered
    one = {"set": "test", "query": "do you make custom furniture", "entry_id": styling_entry}
    assert ava.post("/held-out/retired", one).status_code == 403
    assert eda.post("/held-out/retired", {**one, "query": "do you sell unicorns"}).status_code == 400  # not in it
    retired: list[int] = []
    try:
        for set_name, query in covered:
            made = eda.post("/held-out/retired", {"set": set_name, "query": query, "entry_id": styling_entry})
            assert made.status_code == 201, made.text
            retired.append(made.json()["id"])
        assert eda.post("/held-out/retired", one).status_code == 409  # once
        listed = {r["query"]: r for r in eda.get("/held-out/retired").json()["retired"]}
        assert listed["do you make custom furniture"]["by"] == "Eda Tester" and listed[one["query"]]["at"]
        assert listed["do you make custom furniture"]["entry_id"] == styling_entry

        preview = eda.post(f"/handbook/{styling_entry}/preview", {"entry": STYLING}).json()
        test = next(row for row in preview["held_out"]["sets"] if row["set"] == "test")
        assert test["retired"] >= 1 and test["after"]["oos_answered_rate"] == test["before"]["oos_answered_rate"]
        assert preview["held_out"]["worse"] == []
        created = eda.put(f"/handbook/{styling_entry}", body)  # the editor publishes it now, no supervisor
        assert created.status_code == 201, created.text
    finally:
        for retired_id in retired:
            assert eda.delete(f"/held-out/retired/{retired_id}").status_code == 200
    assert "do you make custom furniture" not in {r["query"] for r in eda.get("/held-out/retired").json()["retired"]}


def test_a_restarted_action_server_previews_without_embedding_or_ranking_the_questions_again(
    client: httpx.Client, login: Callable[[str], Console], stack: Stack
) -> None:
    say(client, "could I order forty candles and pay for them in three parts")  # a question no preview has seen
    editor = login(EDITOR)
    first = editor.post("/handbook/candle-care/preview", {"entry": None})
    assert first.status_code == 200, first.text
    stack.stop_service("actions")
    stack.start_service("actions")
    stack.wait_ready(timeout=300)
    wait_held_out_ranked(stack.ports.actions)
    second = editor.post("/handbook/candle-care/preview", {"entry": None})
    assert second.status_code == 200, second.text
    after = second.json()
    assert (after["embedded_now"], after["ranked_now"]) == (0, 0)  # read back from the store, not embedded again
    assert after["questions"] == first.json()["questions"] and after["stopped"] == first.json()["stopped"]


def test_customers_questions_are_ranked_for_the_preview_as_they_arrive(client: httpx.Client, stack: Stack) -> None:
    """No editor opens anything: the helpdesk sends new customer questions to the action server, which embeds and
    ranks them in a low-priority thread and stores them (its preview store, read here without touching it)."""
    question = "do you sell matching napkin rings in sage green"
    say(client, question)
    store = stack.workdir / "kb-index" / "preview.sqlite"  # type: ignore[attr-defined]
    deadline = time.monotonic() + 180

    def stored() -> bool:
        if not store.exists():
            return False
        connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=10)
        try:
            return connection.execute("SELECT 1 FROM rankings WHERE question = ?", [question]).fetchone() is not None
        finally:
            connection.close()

    while not stored():
        assert time.monotonic() < deadline, "the customer's question was not ranked for the preview within 180 s"
        time.sleep(1)
