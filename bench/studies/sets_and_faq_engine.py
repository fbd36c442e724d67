"""NLU design study, step 1 (`.venv`, Python 3.11): the evaluation sets, and today's FAQ engine on every text.

    .venv/bin/python bench/studies/sets_and_faq_engine.py          # → var/nlu-study/{sets,faq_engine}.json
    .venv/bin/python bench/studies/sets_and_faq_engine.py --sets-only

Writes `sets.json`: the training examples (data/nlu), the calibration (dev) rows and every evaluation set with
the destinations that count as right for each row, built from
- the public benchmarks in ../shared/benchmarks (read in place, never copied), mapped to our routes with
  EXTERNAL_MAP below (the study's own mapping; eval/external/ will carry the official one);
- the team's held-out sets (eval/intents/heldout.yml, eval/routing/heldout.jsonl, eval/handbook/*_test.jsonl);
- the study's own small Chinese probe set (bench/studies/zh_probe.jsonl).
and `faq_engine.json`: today's FAQ engine (helpdesk.knowledge.engine, knowledge/kb.yml) on every text: its
decision (answer / suggest / handoff), the ranked entries with scores, and the CPU and wall time of `decide`.

A destination is `intent:<name>`, `faq:<entry id>`, `handoff:<reason>` or `oos` (nothing in the shop fits:
right when the bot does not answer; a handoff is the expected outcome).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/ (eval_report, machine)

from eval_report import load_nlu_examples, load_routing_cases  # noqa: E402

from helpdesk.config import PROJECT_ROOT  # noqa: E402

BENCHMARKS = PROJECT_ROOT.parent / "shared" / "benchmarks"
if not BENCHMARKS.is_dir():
    BENCHMARKS = Path("/work/shared/benchmarks")
OUT = PROJECT_ROOT / "var" / "nlu-study"
STUDY_DIR = Path(__file__).resolve().parent

# The study's mapping of public intents to our destinations (any listed destination counts as right).
EXTERNAL_MAP: dict[str, dict[str, list[str]]] = {
    "clinc150": {
        "order_status": ["intent:order_status"],
        "greeting": ["intent:greet"],
        "goodbye": ["intent:goodbye"],
        "thank_you": ["intent:thank"],
        "yes": ["intent:affirm"],
        "no": ["intent:deny"],
        "are_you_a_bot": ["intent:bot_challenge"],
        "oos": ["oos"],
    },
    "banking77": {
        "request_refund": ["intent:request_refund"],
        "Refund_not_showing_up": ["intent:refund_status", "faq:refund-timing"],
        "transaction_charged_twice": ["intent:payment_issue", "faq:double-charge"],
        "declined_card_payment": ["intent:payment_issue", "faq:payment-declined"],
        "terminate_account": ["faq:delete-account"],
        "passcode_forgotten": ["faq:password-reset"],
        "edit_personal_details": ["faq:edit-account"],
        "apple_pay_or_google_pay": ["faq:payment-methods"],
    },
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def external_rows(name: str, files: list[str]) -> list[dict[str, Any]]:
    mapping = EXTERNAL_MAP[name]
    rows = []
    for file in files:
        for row in read_jsonl(BENCHMARKS / name / file):
            if row["intent"] in mapping:
                rows.append({"text": row["text"], "accept": mapping[row["intent"]], "source": row["intent"]})
    return rows


def team_routing_rows() -> list[dict[str, Any]]:
    rows = []
    for case in load_routing_cases(PROJECT_ROOT / "eval" / "routing" / "heldout.jsonl"):
        kind, want = next(iter(case["expect"].items()))
        if kind == "handoff":
            accept = ["oos"] if want == "low_confidence" else [f"handoff:{want}"]
        else:
            accept = [f"{'faq' if kind == 'faq_id' else 'intent'}:{want}"]
        rows.append({"text": case["text"], "accept": accept, "source": f"{kind}:{want}"})
    return rows


def kb_rows(split: str) -> list[dict[str, Any]]:
    eval_dir = PROJECT_ROOT / "eval" / "handbook"
    rows = [
        {"text": r["query"], "accept": [f"faq:{r['faq_id']}"], "source": "faq"}
        for r in read_jsonl(eval_dir / f"queries_{split}.jsonl")
    ]
    rows += [
        {"text": r["query"], "accept": ["oos"], "source": "oos"} for r in read_jsonl(eval_dir / f"oos_{split}.jsonl")
    ]
    return rows


def handbook_entries() -> list[dict[str, Any]]:
    """Each entry's id, title, questions and answer passages (as the FAQ engine indexes them)."""
    from helpdesk.knowledge.engine import answer_passages
    from helpdesk.knowledge.handbook import load_handbook
    from helpdesk.knowledge.settings import load_settings

    settings = load_settings()
    handbook = load_handbook(PROJECT_ROOT / "knowledge" / "faq")
    return [
        {
            "id": e.id,
            "title": e.title,
            "questions": list(e.questions),
            "passages": answer_passages(e.answer, settings.answer_chunk_chars, settings.answer_max_chunks),
        }
        for e in sorted(handbook.entries.values(), key=lambda e: e.id)
    ]


def build_sets() -> dict[str, Any]:
    train = [
        {"text": e.text, "intent": e.intent}
        for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml"))
        for e in load_nlu_examples(path)
    ]
    heldout = [
        {"text": e.text, "intent": e.intent, "kinds": list(e.kinds)}
        for e in load_nlu_examples(PROJECT_ROOT / "eval" / "intents" / "heldout.yml")
    ]
    xsid = {
        f"{lang}_{split}": read_jsonl(BENCHMARKS / "xsid" / f"{lang}_{split}.jsonl")
        for lang in ("en", "zh")
        for split in ("train", "test")
    }
    evaluation = {
        "external_clinc150_en": {
            "language": "en",
            "origin": "external",
            "rows": external_rows("clinc150", ["test.jsonl", "oos_test.jsonl"]),
        },
        "external_banking77_en": {
            "language": "en",
            "origin": "external",
            "rows": external_rows("banking77", ["test.jsonl"]),
        },
        "external_xsid_en": {
            "language": "en",
            "origin": "external",
            "rows": [{"text": r["text"], "accept": ["oos"], "source": r["intent"]} for r in xsid["en_test"]],
        },
        "external_xsid_zh": {
            "language": "zh",
            "origin": "external",
            "rows": [{"text": r["text"], "accept": ["oos"], "source": r["intent"]} for r in xsid["zh_test"]],
        },
        "team_routing_en": {"language": "en", "origin": "team", "rows": team_routing_rows()},
        "team_faq_test_en": {"language": "en", "origin": "team", "rows": kb_rows("test")},
        "study_zh_probe": {
            "language": "zh",
            "origin": "study (written for this study, not by the team)",
            "rows": [{**r, "source": r["accept"][0]} for r in read_jsonl(STUDY_DIR / "zh_probe.jsonl")],
        },
    }
    return {
        "train": train,
        "heldout_nlu": heldout,
        "handbook": handbook_entries(),
        "dev_faq": kb_rows("dev"),
        "xsid": xsid,
        "eval": evaluation,
        "external_map": EXTERNAL_MAP,
    }


def all_texts(sets: dict[str, Any]) -> list[str]:
    texts = [r["text"] for r in sets["train"]] + [r["text"] for r in sets["heldout_nlu"]]
    texts += [r["text"] for r in sets["dev_faq"]]
    for part in sets["eval"].values():
        texts += [r["text"] for r in part["rows"]]
    return list(dict.fromkeys(texts))


def run_faq_engine(texts: list[str]) -> dict[str, Any]:
    from helpdesk.knowledge.engine import Embedder, KnowledgeBase
    from helpdesk.knowledge.settings import load_settings
    from helpdesk.knowledge.vector_index import set_search_threads

    settings = load_settings()
    kb = KnowledgeBase(
        PROJECT_ROOT / "knowledge" / "faq",
        settings,
        Embedder(settings.model, settings.batch_size, threads=settings.embed_threads),
    )
    kb.build()
    set_search_threads(settings.search_threads)
    kb.decide("warm-up question")
    out: dict[str, Any] = {}
    for number, text in enumerate(texts, start=1):
        wall, cpu = time.perf_counter(), time.process_time()
        decision = kb.decide(text)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        out[text] = {
            "action": decision.action,
            "candidates": [c.id for c in decision.candidates],
            "ranked": [[c.id, round(c.score, 4)] for c in decision.ranked],
            "wall_ms": round(wall * 1000, 3),
            "cpu_ms": round(cpu * 1000, 3),
        }
        if number % 500 == 0:
            print(f"faq engine: {number}/{len(texts)}", flush=True)
    return {
        "settings": {"answer_threshold": settings.answer_threshold, "suggest_threshold": settings.suggest_threshold},
        "decisions": out,
    }


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    sets = build_sets()
    (OUT / "sets.json").write_text(json.dumps(sets, ensure_ascii=False), encoding="utf-8")
    if "--sets-only" in sys.argv:
        return 0
    texts = all_texts(sets)
    print(f"{len(texts)} distinct texts; running today's FAQ engine on each", flush=True)
    (OUT / "faq_engine.json").write_text(json.dumps(run_faq_engine(texts), ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
