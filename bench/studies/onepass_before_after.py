"""Before/after of the one-pass NLU (issues 17, 18): main's pipeline against this branch's, on every eval set.

    .venv/bin/python bench/studies/onepass_before_after.py sets             # texts + labels → var/onepass/sets.json
    .venv/bin/python bench/studies/onepass_before_after.py faq              # today's FAQ engine + titles baseline
    .venv-rasa/bin/python bench/studies/onepass_before_after.py parse MODEL NAME   # a Rasa model on every text
    .venv/bin/python bench/studies/onepass_before_after.py report NAME...   # → results/onepass_before_after.md

A message's route is what a first message ends in through the stack, computed from the parse: with today's
config (a fine-tuned classifier, FallbackClassifier 0.45 / 0.05, then the FAQ engine for faq / nlu_fallback /
out_of_scope / payment_issue: data/rules.yml + actions/faq.py) or with the parse's own `route` (the one-pass
component; payment_issue still asks the FAQ engine, as actions/faq.py does). Outcomes as in
eval/routing/README.md: right / clarify / handoff / wrong; an out-of-scope row is right when handed off,
"clarify" when asked back (a refusal too). Public benchmarks are read in place (eval/external/mapping.yml),
never copied, never trained on.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "onepass"
FALLBACK_THRESHOLD, AMBIGUITY = 0.45, 0.05
HANDOFF_INTENTS = {"request_human": "handoff:requested", "complaint": "handoff:complaint"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def route_name(spec: dict[str, str]) -> str:
    kind, value = next(iter(spec.items()))
    if kind == "handoff":
        return "oos" if value == "low_confidence" else f"handoff:{value}"
    return f"{'faq' if kind == 'faq_id' else 'intent'}:{value}"


def build_sets() -> dict[str, Any]:
    import yaml

    sys.path.insert(0, str(ROOT / "bench"))
    from eval_report import load_nlu_examples

    sets: dict[str, Any] = {}
    for name in ("heldout", "styles", "heldout_zh"):
        rows = read_jsonl(ROOT / "eval" / "routing" / f"{name}.jsonl")
        sets[f"routing/{name}"] = [
            {"text": r["text"], "accept": [route_name(r["expect"]), *(route_name(a) for a in r.get("accept") or [])]}
            for r in rows
        ]
    sets["routing/cross_lingual_zh"] = [
        {"text": r["query"], "accept": [f"faq:{r['faq_id']}"]}
        for r in read_jsonl(ROOT / "eval" / "routing" / "cross_lingual_zh.jsonl")
    ]
    for queries, oos in (("queries_test", "oos_test"), ("paraphrases_styles", "oos_styles"), ("queries_zh", "oos_zh")):
        rows = [
            {"text": r["query"], "accept": [f"faq:{r['faq_id']}"]}
            for r in read_jsonl(ROOT / "eval" / "handbook" / f"{queries}.jsonl")
        ]
        rows += [
            {"text": r["query"], "accept": ["oos"]} for r in read_jsonl(ROOT / "eval" / "handbook" / f"{oos}.jsonl")
        ]
        sets[f"handbook/{queries}+{oos}"] = rows
    for name in ("heldout", "heldout_zh"):
        sets[f"intents/{name}"] = [
            {"text": e.text, "intent": e.intent} for e in load_nlu_examples(ROOT / "eval" / "intents" / f"{name}.yml")
        ]
    mapping = yaml.safe_load((ROOT / "eval" / "external" / "mapping.yml").read_text(encoding="utf-8"))
    benchmarks = (ROOT / mapping["benchmarks"]).resolve()
    for name, spec in mapping["sets"].items():
        rows: list[dict[str, Any]] = []
        taken: Counter[str] = Counter()
        groups = {i: g for g in spec.get("out_of_scope") or [] for i in g["intents"]}
        for file in spec["files"]:
            for r in read_jsonl(benchmarks / file):
                intent = r["intent"]
                if intent in (spec.get("routes") or {}):
                    route = spec["routes"][intent]
                    accept = [route_name(route["expect"]), *(route_name(a) for a in route.get("accept") or [])]
                    rows.append({"text": r["text"], "accept": accept, "source": intent})
                elif intent in groups:
                    group = groups[intent]
                    if group["per_intent"] != "all" and taken[intent] >= group["per_intent"]:
                        continue
                    taken[intent] += 1
                    accept = ["oos", *(route_name(a) for a in group.get("accept") or [])]
                    rows.append({"text": r["text"], "accept": accept, "source": intent})
        sets[f"external/{name}"] = rows
    return sets


def all_texts(sets: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(r["text"] for rows in sets.values() for r in rows))


def run_faq(sets: dict[str, Any]) -> dict[str, Any]:
    """Today's FAQ engine's decision on every text, and the plain-encoder baseline (MiniLM over titles)."""
    import numpy as np

    from helpdesk.knowledge.embedder import Embedder
    from helpdesk.knowledge.engine import KnowledgeBase
    from helpdesk.knowledge.settings import load_settings

    settings = load_settings()
    embedder = Embedder(settings.model, settings.batch_size, threads=settings.embed_threads)
    kb = KnowledgeBase(ROOT / "knowledge" / "faq", settings, embedder)
    kb.build()
    texts = all_texts(sets)
    entries = sorted(kb.entries.values(), key=lambda e: e.id)
    titles = embedder.encode([e.title for e in entries])
    out: dict[str, Any] = {}
    start = time.perf_counter()
    for number, text in enumerate(texts, start=1):
        decision = kb.decide(text)
        out[text] = {
            "action": decision.action,
            "candidates": [c.id for c in decision.candidates],
            "best": decision.best.id if decision.best else None,
        }
        if number % 1000 == 0:
            print(f"faq: {number}/{len(texts)} ({time.perf_counter() - start:.0f} s)", flush=True)
    vectors = embedder.encode(texts)
    best_title = np.argmax(vectors @ titles.T, axis=1)
    for text, i in zip(texts, best_title, strict=True):
        out[text]["title_baseline"] = entries[int(i)].id
    return out


def run_parse(model: str) -> dict[str, Any]:
    import asyncio
    import logging
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)  # Rasa's per-message debug lines would be timed with the parse
    texts = all_texts(json.loads((OUT / "sets.json").read_text(encoding="utf-8")))
    started = time.perf_counter()
    agent = Agent.load(model)
    load_s = time.perf_counter() - started

    async def parse_all() -> dict[str, Any]:
        await agent.parse_message("warm-up message")
        out: dict[str, Any] = {}
        for number, text in enumerate(texts, start=1):
            wall, cpu = time.perf_counter(), time.process_time()
            parsed = await agent.parse_message(text)
            out[text] = {
                "intent": parsed["intent"]["name"],
                "ranking": [[r["name"], float(r["confidence"])] for r in parsed.get("intent_ranking") or []],
                "route": parsed.get("route"),
                "entities": [[e["entity"], e.get("value")] for e in parsed.get("entities") or []],
                "cpu_ms": (time.process_time() - cpu) * 1000,
                "wall_ms": (time.perf_counter() - wall) * 1000,
            }
            if number % 1000 == 0:
                print(f"parse: {number}/{len(texts)}", flush=True)
        return out

    parses = asyncio.run(parse_all())
    rss = next(
        int(x.split()[1]) // 1024 for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmRSS")
    )
    return {"model": model, "load_s": round(load_s, 1), "rss_mb": rss, "parses": parses}


def route_of(parse: dict[str, Any], faq: dict[str, Any]) -> tuple[str, list[str]]:
    """(destination, offered) of a first message, as the stack would end it."""
    route = parse.get("route")
    if route:
        destination = route["destination"]
        if destination == "intent:payment_issue":  # the rule runs action_answer_faq, which asks the FAQ engine
            return ("handoff:low_confidence", []) if faq["action"] == "handoff" else (destination, [])
        return destination, list(route.get("offered") or [])
    ranking = parse["ranking"] or [[parse["intent"], 1.0]]
    top, confidence = ranking[0]
    second = ranking[1][1] if len(ranking) > 1 else 0.0
    intent = "nlu_fallback" if confidence < FALLBACK_THRESHOLD or confidence - second < AMBIGUITY else top
    if intent in HANDOFF_INTENTS:
        return HANDOFF_INTENTS[intent], []
    if intent in ("faq", "out_of_scope", "nlu_fallback", "payment_issue"):
        if faq["action"] == "handoff":
            return "handoff:low_confidence", []
        if intent == "payment_issue":
            return "intent:payment_issue", []
        if faq["action"] == "answer":
            return f"faq:{faq['candidates'][0]}", []
        return "clarify", [f"faq:{c}" for c in faq["candidates"]]
    return f"intent:{intent}", []


def judge(accept: list[str], destination: str) -> str:
    if destination in accept:
        return "right"
    if "oos" in accept:
        if destination.startswith("handoff:"):
            return "right"
        return "clarify" if destination == "clarify" else "wrong"
    if destination == "clarify":
        return "clarify"
    return "handoff" if destination.startswith("handoff:") else "wrong"


def top_intent(parse: dict[str, Any]) -> str:
    return str(parse["ranking"][0][0]) if parse["ranking"] else str(parse["intent"])


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def report(names: list[str]) -> str:
    sets = json.loads((OUT / "sets.json").read_text(encoding="utf-8"))
    faq = json.loads((OUT / "faq.json").read_text(encoding="utf-8"))
    runs = {name: json.loads((OUT / f"parse_{name}.json").read_text(encoding="utf-8")) for name in names}
    lines = ["# One-pass NLU: before / after", ""]
    lines += ["| model | load s | RSS MB after parsing | mean CPU ms per parse (en / zh) |", "|---|---|---|---|"]
    for name, run in runs.items():
        cpu = {"en": [], "zh": []}
        for text, parse in run["parses"].items():
            cpu["zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"].append(parse["cpu_ms"])
        means = " / ".join(f"{sum(v) / max(1, len(v)):.1f}" for v in cpu.values())
        lines.append(f"| {name} | {run['load_s']} | {run['rss_mb']} | {means} |")
    lines += ["", "## Routing (first messages): % right / clarify / handoff / wrong", ""]
    lines += ["| set | n | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for set_name, rows in sets.items():
        if set_name.startswith("intents/"):
            continue
        cells = []
        for name in names:
            parses = runs[name]["parses"]
            counts = Counter(judge(r["accept"], route_of(parses[r["text"]], faq[r["text"]])[0]) for r in rows)
            n = len(rows)
            cells.append(" / ".join(pct(counts[k] / n) for k in ("right", "clarify", "handoff", "wrong")))
        lines.append(f"| {set_name} | {len(rows)} | " + " | ".join(cells) + " |")
    lines += ["", "## Out-of-scope rows refused (handoff or clarify), %", ""]
    lines += ["| set | n | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for set_name, rows in sets.items():
        oos = [r for r in rows if "accept" in r and "oos" in r["accept"]]
        if not oos:
            continue
        cells = []
        for name in names:
            parses = runs[name]["parses"]
            refused = sum(
                1 for r in oos if route_of(parses[r["text"]], faq[r["text"]])[0].startswith(("handoff:", "clarify"))
            )
            cells.append(pct(refused / len(oos)))
        lines.append(f"| {set_name} | {len(oos)} | " + " | ".join(cells) + " |")
    lines += ["", "## Intent accuracy (top intent of the ranking), %", ""]
    lines += ["| set | n | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for set_name in ("intents/heldout", "intents/heldout_zh"):
        rows = sets[set_name]
        cells = [
            pct(sum(top_intent(runs[n]["parses"][r["text"]]) == r["intent"] for r in rows) / len(rows)) for n in names
        ]
        lines.append(f"| {set_name} | {len(rows)} | " + " | ".join(cells) + " |")
    lines += ["", "## Handbook P@1 on in-scope handbook rows (the best entry, whatever the decision)", ""]
    lines += [
        "| set | n | MiniLM over titles | today's FAQ engine | "
        + " | ".join(f"{n} faq_candidates" for n in names)
        + " |",
        "|---|---|---|---|" + "---|" * len(names),
    ]
    for set_name, rows in sets.items():
        if not (set_name.startswith("handbook/") or set_name == "routing/cross_lingual_zh"):
            continue
        inscope = [r for r in rows if r["accept"][0].startswith("faq:")]
        want = [r["accept"][0][4:] for r in inscope]
        base = sum(faq[r["text"]]["title_baseline"] == w for r, w in zip(inscope, want, strict=True)) / len(inscope)
        engine = sum(faq[r["text"]]["best"] == w for r, w in zip(inscope, want, strict=True)) / len(inscope)
        cells = []
        for name in names:
            parses = runs[name]["parses"]
            hits = [
                ((parses[r["text"]].get("route") or {}).get("faq_candidates") or [{}])[0].get("id") == w
                for r, w in zip(inscope, want, strict=True)
            ]
            cells.append(f"{sum(hits) / len(inscope):.3f}" if parses[inscope[0]["text"]].get("route") else "–")
        lines.append(f"| {set_name} | {len(inscope)} | {base:.3f} | {engine:.3f} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    command = sys.argv[1]
    if command == "sets":
        sets = build_sets()
        (OUT / "sets.json").write_text(json.dumps(sets, ensure_ascii=False), encoding="utf-8")
        print({k: len(v) for k, v in sets.items()}, len(all_texts(sets)))
    elif command == "faq":
        sets = json.loads((OUT / "sets.json").read_text(encoding="utf-8"))
        (OUT / "faq.json").write_text(json.dumps(run_faq(sets), ensure_ascii=False), encoding="utf-8")
    elif command == "parse":
        result = run_parse(sys.argv[2])
        (OUT / f"parse_{sys.argv[3]}.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    elif command == "report":
        text = report(sys.argv[2:])
        (ROOT / "results" / "onepass_before_after.md").write_text(text, encoding="utf-8")
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
