"""`make eval`'s harness: outcome classification, the benchmark mapping on small fixtures, malformed rows, the
report with its targets, the --compare mode, and a few rows through the real running stack."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import Stack

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import eval_compare  # noqa: E402 - bench/ is not a package
import eval_outcomes  # noqa: E402
import eval_report  # noqa: E402
import eval_sets  # noqa: E402
import eval_stack  # noqa: E402
import eval_targets  # noqa: E402
from eval_outcomes import Outcome, classify  # noqa: E402
from eval_render import render_markdown  # noqa: E402
from eval_sets import OUT_OF_SCOPE, Case, EvalSet  # noqa: E402

DID_YOU_MEAN = {
    "nlu": {"intent": "faq", "confidence": 0.41},
    "faq": None,
    "handoff": None,
    "replies": [{"text": "Did you mean", "buttons": [
        {"title": "Invoices", "payload": '/faq{"faq_id": "invoices"}'},
        {"title": "Talk to a person", "payload": "/request_human"}]}],
}  # fmt: skip
ANSWER = {"nlu": {"intent": "faq"}, "faq": {"id": "refund-policy", "score": 0.7}, "handoff": None, "replies": []}
FLOW = {"nlu": {"intent": "request_refund"}, "faq": None, "handoff": None, "replies": [{"text": "Which order?"}]}
HANDOFF = {"nlu": {"intent": "nlu_fallback"}, "faq": None, "handoff": {"reason": "low_confidence"}, "replies": []}
DECLINED = {"nlu": {"intent": "out_of_scope"}, "faq": None, "handoff": None, "replies": [{"text": "I can't help"}]}


def verdict(body: dict[str, Any], expect: tuple[str, str], *accept: tuple[str, str]) -> tuple[str, str]:
    result = classify(Case("a message", expect, accept), Outcome.from_response(body))
    return result.category, result.how


def test_the_outcome_is_read_from_the_chat_response() -> None:
    outcome = Outcome.from_response(DID_YOU_MEAN)
    assert (outcome.intent, outcome.faq_id, outcome.handoff, outcome.suggested) == ("faq", None, None, ("invoices",))
    assert outcome.describe() == "did you mean: invoices (intent faq)"
    assert Outcome.from_response(HANDOFF).describe() == "handoff: low_confidence"
    assert Outcome.from_response({**ANSWER, "language": "zh"}).language == "zh"


def test_in_scope_messages_are_right_clarify_handoff_or_wrong() -> None:
    policy = ("faq_id", "refund-policy")
    assert verdict(ANSWER, policy) == ("right", "expected")
    assert verdict(ANSWER, ("intent", "request_refund"), policy) == ("right", "accepted")
    assert verdict(FLOW, policy) == ("wrong", "")  # a policy question that starts a refund
    assert verdict(ANSWER, ("faq_id", "invoices")) == ("wrong", "")
    assert verdict(HANDOFF, policy) == ("handoff", "")
    offer = {"nlu": {"intent": "faq"}, "faq": None, "handoff": None, "offer_person": {"reason": "low_confidence"}}
    assert verdict(offer, policy) == ("handoff", "")  # the low-confidence handoff, now the customer's choice
    assert verdict(DID_YOU_MEAN, ("faq_id", "invoices")) == ("clarify", "")
    assert classify(Case("x", ("faq_id", "invoices")), Outcome.from_response(DID_YOU_MEAN)).offered_right
    assert not classify(Case("x", policy), Outcome.from_response(DID_YOU_MEAN)).offered_right
    assert verdict(DECLINED, ("intent", "greet")) == ("clarify", "")
    # an intent acted on counts even when it answers from the handbook (payment_issue does)
    paid = {**ANSWER, "nlu": {"intent": "payment_issue"}, "faq": {"id": "payment-declined"}}
    assert verdict(paid, ("intent", "payment_issue")) == ("right", "expected")
    assert verdict({**FLOW, "handoff": {"reason": "requested"}}, ("intent", "request_refund"))[0] == "handoff"
    # a customer who asks for a person reaches one whatever the reason; whether it matched is kept apart
    complaint = classify(Case("get me a human", ("handoff", "requested")), Outcome.from_response(HANDOFF))
    assert (complaint.category, complaint.reason_matched) == ("right", False)


def test_out_of_scope_messages_are_right_when_refused() -> None:
    assert verdict(HANDOFF, OUT_OF_SCOPE) == ("right", "handoff")
    assert verdict(DID_YOU_MEAN, OUT_OF_SCOPE) == ("right", "clarify")
    assert verdict(DECLINED, OUT_OF_SCOPE) == ("right", "declined")
    assert verdict(ANSWER, OUT_OF_SCOPE) == ("wrong", "")
    assert verdict(FLOW, OUT_OF_SCOPE) == ("wrong", "")
    bot = {"nlu": {"intent": "bot_challenge"}, "faq": None, "handoff": None, "replies": [{"text": "I'm a bot"}]}
    assert verdict(bot, OUT_OF_SCOPE, ("intent", "bot_challenge")) == ("right", "accepted")
    # a person offered as a choice (issue 16.3) and small talk answered are refusals, not wrong answers
    offer = {"nlu": {"intent": "nlu_fallback"}, "faq": None, "handoff": None,
             "offer_person": {"reason": "low_confidence"}, "replies": [{"text": "Shall I get a person?"}]}  # fmt: skip
    assert verdict(offer, OUT_OF_SCOPE) == ("right", "offered")
    assert Outcome.from_response(offer).describe() == "offered a person (intent nlu_fallback)"
    chat = {"nlu": {"intent": "chitchat"}, "faq": None, "handoff": None, "replies": [{"text": "Ha!"}]}
    assert verdict(chat, OUT_OF_SCOPE) == ("right", "declined")
    rows = [{"category": c, "out_of_scope": o, "how": h} for c, o, h in
            [("right", True, "handoff"), ("wrong", True, ""), ("right", False, "expected"),
             ("clarify", False, "")]]  # fmt: skip
    figures = eval_outcomes.summarise(rows)
    assert figures["counts"] == {"right": 2, "clarify": 1, "handoff": 0, "wrong": 1}
    assert figures["out_of_scope"] == {"n": 2, "refused": 1, "refused_rate": 0.5, "answered_wrongly": 1,
                                       "by": {"handoff": 1, "offered": 0, "clarify": 0, "declined": 0,
                                              "accepted": 0}}  # fmt: skip
    assert figures["in_scope"] == {"n": 2, "right": 0.5, "wrong": 0.0}


def write_benchmark(root: Path) -> Path:
    (root / "bench").mkdir()
    rows = [("where is my package", "order_status"), ("track my order", "order_status"),
            ("tell me a joke", "tell_joke"), ("another joke", "tell_joke"), ("a third joke", "tell_joke"),
            ("cancel that", "cancel"), ("what's the weather", "oos")]  # fmt: skip
    (root / "bench" / "test.jsonl").write_text("\n".join(json.dumps({"text": t, "intent": i}) for t, i in rows) + "\n")
    mapping = {
        "version": 1,
        "benchmarks": str(root),
        "sets": {
            "tiny": {
                "files": ["bench/test.jsonl"],
                "routes": {"order_status": {"expect": {"intent": "order_status"},
                                            "accept": [{"faq_id": "track-order"}], "rows": 2, "why": "w"}},
                "out_of_scope": [{"name": "small talk", "intents": ["tell_joke", "oos"], "per_intent": 2,
                                  "accept": [{"intent": "bot_challenge"}], "rows": 3, "why": "w"}],
                "skip": {"cancel": "a reply"},
            }
        },
    }  # fmt: skip
    path = root / "mapping.yml"
    path.write_text(json.dumps(mapping))  # JSON is YAML
    return path


def test_the_mapping_turns_benchmark_rows_into_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mapping_path = write_benchmark(tmp_path)
    monkeypatch.delenv("EVAL_BENCHMARKS", raising=False)
    mapping = eval_sets.load_mapping(mapping_path)
    cases = eval_sets.external_cases("tiny", mapping["sets"]["tiny"], eval_sets.benchmarks_dir(mapping), mapping_path)
    assert [(c.text, c.expect, c.accept, c.group) for c in cases] == [
        ("where is my package", ("intent", "order_status"), (("faq_id", "track-order"),), "order_status"),
        ("track my order", ("intent", "order_status"), (("faq_id", "track-order"),), "order_status"),
        ("tell me a joke", OUT_OF_SCOPE, (("intent", "bot_challenge"),), "tell_joke"),
        ("another joke", OUT_OF_SCOPE, (("intent", "bot_challenge"),), "tell_joke"),  # the first 2 of the intent
        ("what's the weather", OUT_OF_SCOPE, (("intent", "bot_challenge"),), "oos"),
    ]  # skipped: "cancel that"
    assert cases[0].source == "bench/test.jsonl:1" and cases[-1].source == "bench/test.jsonl:7"
    (tmp_path / "bench" / "test.jsonl").write_text('{"text": "hi", "intent": "greeting"}\n{"text": ""}\n')
    with pytest.raises(eval_sets.SetError, match=r"test.jsonl:2: 'text' must be a non-empty string"):
        eval_sets.external_cases("tiny", mapping["sets"]["tiny"], eval_sets.benchmarks_dir(mapping), mapping_path)


def test_the_real_sets_load_and_a_quick_sample_spreads_over_each() -> None:
    sets = {item.key: item for item in eval_sets.routing_sets()}
    assert {"routing_heldout", "routing_heldout_zh", "routing_styles", "handbook_styles", "oos_zh", "clinc150",
            "banking77", "xsid_en", "xsid_zh"} <= set(sets)  # fmt: skip
    assert len(sets["clinc150"].cases) == 1025 and len(sets["banking77"].cases) == 680
    assert all(case.out_of_scope for case in sets["xsid_zh"].cases)
    assert sets["xsid_zh"].language == "zh" and sets["routing_heldout_zh"].language == "zh"
    quick = eval_sets.sampled(sets.values(), 12)
    for item in quick:
        assert len(item.cases) == min(12, len(sets[item.key].cases))
    styles = next(item for item in quick if item.key == "routing_styles")
    assert styles.cases[0] == sets["routing_styles"].cases[0]
    assert styles.cases[-1] != sets["routing_styles"].cases[11]  # spread over the file, not its first rows


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "hi", "expect": {"intent": "greet"}}\n{"text": "bye"}\n', r"bad.jsonl:2: missing 'expect'"),
        ('{"text": "hi", "expect": {"intent": "greet"}}\n\n{"text": "x", "expect": {"mood": "y"}}\n',
         r"bad.jsonl:3: a route is one of"),
        ('{"text": "hi", "expect": {"intent": "greet"}, "accept": {"faq_id": "x"}}\n',
         r"bad.jsonl:1: 'accept' must be a list"),
        ('{"text": "hi", "expect": {"intent": "greet"}}\n{"text": "hi",\n', r"bad.jsonl:2: invalid JSON"),
    ],
)  # fmt: skip
def test_a_malformed_row_says_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line)
    with pytest.raises(eval_sets.SetError, match=message):
        eval_sets.load_routing_jsonl(path)


def test_a_malformed_row_stops_make_eval_with_its_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    shutil.copytree(PROJECT_ROOT / "eval", tmp_path / "eval")
    broken = tmp_path / "eval" / "handbook" / "queries_zh.jsonl"
    lines = broken.read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([*lines, '{"query": "退款", "faq_id": ""}']) + "\n", encoding="utf-8")
    monkeypatch.setattr(eval_report, "routing_sets", lambda: eval_sets.routing_sets(tmp_path / "eval"))
    assert eval_report.main(["--parts", "routing", "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert f"queries_zh.jsonl:{len(lines) + 1}: 'faq_id' must be a non-empty string" in error
    assert not (tmp_path / "out").exists()


def figures_of(key: str, language: str, family: str, right: int, clarify: int, handoff: int, wrong: int,
               oos: int = 0, refused: int = 0) -> dict[str, Any]:  # fmt: skip
    rows = (
        [{"category": "right", "out_of_scope": False, "how": "expected"}] * (right - refused)
        + [{"category": "right", "out_of_scope": True, "how": "handoff"}] * refused
        + [{"category": "clarify", "out_of_scope": False, "how": ""}] * clarify
        + [{"category": "handoff", "out_of_scope": False, "how": ""}] * handoff
        + [{"category": "wrong", "out_of_scope": True, "how": ""}] * (oos - refused)
        + [{"category": "wrong", "out_of_scope": False, "how": ""}] * (wrong - (oos - refused))
    )
    return {
        "key": key, "title": f"{key} title", "language": language, "family": family, "files": [], "about": "",
        **eval_outcomes.summarise(rows), "handoff_reason_matched": 0, "handoff_expected": 0, "by_group": {},
        "detected_language": {language: len(rows)},
        "latency_ms": {"n": len(rows), "p50": 20.0, "p95": 30.0, "max": 40.0},
        "not_right": [{"text": "wat | now", "source": "f.jsonl:3", "expect": "faq_id: x", "category": "wrong",
                       "got": "intent: order_status"}],
    }  # fmt: skip


def tiny_result(right_en: int) -> dict[str, Any]:
    routing = {
        "routing_heldout": figures_of("routing_heldout", "en", "team", right_en, 1, 0, 100 - right_en - 1),
        "routing_heldout_zh": figures_of("routing_heldout_zh", "zh", "team", 91, 4, 3, 2),
        "xsid_en": figures_of("xsid_en", "en", "external", 98, 0, 0, 2, oos=100, refused=98),
        "xsid_zh": figures_of("xsid_zh", "zh", "external", 90, 0, 0, 10, oos=100, refused=90),
    }
    result: dict[str, Any] = {
        "machine": {"cpu_model": "cpu", "cores": 2, "ram_gb": 1, "os": "Linux", "python": "3.11", "rasa": "3.6.21",
                    "load_average_start": [1.5, 0, 0]},
        "finished_at": "now", "seconds": 1.0, "load_average_end": [2.5, 0, 0], "commit": "abc1234",
        "settings": {"per_set": None}, "routing": routing,
        "parallel": {"xsid": {"rows": 100, "same_category": 92, "right_only_en": 8, "right_only_zh": 0}},
        "faq": {"handbook_styles": {"title": "Styles", "language": "en", "file": "f", "handbook": "complete",
                                    "engine": {"n": 10, "p_at_1": 0.8, "recall_at_3": 0.9, "mrr_at_10": 0.85,
                                               "answered_right": 0.7, "answered_wrongly": 0.1},
                                    "baseline_p_at_1": 0.9, "engine_model": "m", "baseline_model": "b"}},
    }  # fmt: skip
    result["targets"] = eval_targets.targets(result)
    return result


def test_the_report_puts_languages_side_by_side_with_the_targets(tmp_path: Path) -> None:
    result = tiny_result(96)
    targets = {row["what"]: row for row in result["targets"]}
    assert targets["team held-out first messages (routing/heldout.jsonl): routed right"]["status"] == "PASS"
    assert targets["Chinese held-out first messages (routing/heldout_zh.jsonl): routed right"]["measured"] == 0.91
    assert targets["Chinese held-out first messages (routing/heldout_zh.jsonl): confidently wrong"]["status"] == "PASS"
    assert targets["Chinese out-of-scope first messages refused (every Chinese set)"]["status"] == "MISS"
    assert targets["English out-of-scope first messages refused (every English set)"]["measured"] == 0.98
    faq = next(row for row in result["targets"] if row["what"].startswith("FAQ engine"))
    assert (faq["status"], faq["target"], faq["measured"]) == ("MISS", "≥ 0.900", 0.8)
    assert (
        targets["external set (CLINC150 + Banking77 + xSID en, through the stack): routed right"]["status"] == "not run"
    )
    report = render_markdown(result)
    assert "| Team held-out first messages (eval/routing/heldout*.jsonl) | 100 | 96.0 % | 1.0 % | 0.0 % | 3.0 % | " \
           "100 | 91.0 % | 4.0 % | 3.0 % | 2.0 % |" in report  # fmt: skip
    assert (
        "| 18 | Chinese out-of-scope first messages refused (every Chinese set) | ≥ 95% | 90.0 % | 100 | **MISS** |"
        in report
    )
    assert (
        "| xSID, parallel en/zh, all out of scope (external) | 100 | **98.0 %** | 98 handoff | 100 | **90.0 %** |"
        in report
    )
    assert "wat \\| now" in report  # a customer's "|" does not break the table
    assert "load average 1.5 at start, 2.5 at end" in report
    eval_report.write_outputs(result, tmp_path)
    assert (tmp_path / "outcomes.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((tmp_path / "report.json").read_text())["targets"] == result["targets"]


def test_compare_prints_each_set_before_and_after(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(json.dumps(tiny_result(90)))
    changed = tiny_result(96)
    del changed["routing"]["xsid_zh"]
    after.write_text(json.dumps(changed))
    assert eval_report.main(["--compare", str(before), str(after)]) == 0
    out = capsys.readouterr().out
    assert "| routing_heldout title | en | 100 → 100 | 90.0 % → 96.0 % (+6.0 pt) | 1.0 % → 1.0 % (+0.0 pt) |" in out
    assert "| xsid_zh title | zh | 100 → – | 90.0 % → – (–) |" in out
    assert (
        "team held-out first messages (routing/heldout.jsonl): routed right | ≥ 95% | 90.0 % → 96.0 % (+6.0 pt) | "
        "MISS → PASS |" in out
    )
    assert "| Styles | en | 0.800 → 0.800 (+0.000) | 0.900 → 0.900 (+0.000) |" in out
    (tmp_path / "broken.json").write_text('{"routing": ')
    assert eval_report.main(["--compare", str(before), str(tmp_path / "broken.json")]) == 2
    assert "broken.json:1: not JSON" in capsys.readouterr().err
    assert eval_compare.load_report(before)["commit"] == "abc1234"


def test_a_quick_run_through_the_real_stack(stack: Stack, db: sqlite3.Connection) -> None:
    """A handful of first messages from the real sets, each in a new conversation of the running stack."""
    chosen = {"routing_heldout": 2, "routing_heldout_zh": 2, "xsid_zh": 2}
    sets = [eval_sets.sampled([item], chosen[item.key])[0] for item in eval_sets.routing_sets() if item.key in chosen]
    easy = EvalSet("easy", "Easy ones", "en", "team", ("-",), [
        Case("hello there", ("intent", "greet"), source="-:1"),
        Case("I want to talk to a real person please", ("handoff", "requested"), source="-:2")])  # fmt: skip
    # a public benchmark's row that is not routed right is named by its place, its text never kept
    public = EvalSet("public", "Public", "en", "external", ("-",), [Case("good evening to you", ("intent",
                     "order_status"), source="bench/test.jsonl:7")])  # fmt: skip
    logged: list[str] = []
    results = eval_stack.run_sets(stack.url, [*sets, easy, public], logged.append)
    assert [figures["n"] for figures in results.values()] == [2, 2, 2, 2, 1]
    assert results["easy"]["counts"]["right"] == 2, results["easy"]["not_right"]
    assert [(r["text"], r["source"]) for r in results["public"]["not_right"]] == [(None, "bench/test.jsonl:7")]
    assert "good evening to you" not in json.dumps(results["public"])
    for figures in results.values():
        assert sum(figures["counts"].values()) == figures["n"]
    assert any("routing xsid_zh: 2/2" in line for line in logged)
    texts = [case.text for item in [*sets, easy, public] for case in item.cases]
    conversations = set()
    for text in texts:  # each message opened a conversation of its own: the only thing the customer said there
        rows = db.execute(
            "SELECT m.conversation_id FROM messages m WHERE m.sender = 'customer' AND m.text = ? AND (SELECT COUNT(*)"
            " FROM messages o WHERE o.conversation_id = m.conversation_id AND o.sender = 'customer') = 1",
            (text,),
        ).fetchall()
        assert rows, f"no conversation of its own for {text!r}"
        conversations.add(rows[-1]["conversation_id"])
    assert len(conversations) == len(texts)
    report = render_markdown({"machine": {"cpu_model": "c", "cores": 2, "ram_gb": 1, "os": "L", "python": "3",
                                          "rasa": "3.6"}, "routing": results})  # fmt: skip
    assert "| Team held-out first messages (eval/routing/heldout*.jsonl) | 2 |" in report
    assert "good evening to you" not in report and "(a public benchmark's row" in report
