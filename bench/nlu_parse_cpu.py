"""Rasa's CPU per NLU parse, in-process, over the DEV rows, and the routing decisions it made (issue 22).

    .venv-rasa/bin/python bench/nlu_parse_cpu.py --model models/larkspur.tar.gz --out var/parse-fp32.json
    .venv-rasa/bin/python bench/nlu_parse_cpu.py --compare var/parse-fp32.json var/parse-int8.json

Loads the trained model with Rasa's Agent (its own pipeline: a model trained with `encoders: {en: minilm-int8}`
runs the int8 graph) and parses every distinct text of the dev sets below once per round (after one warm-up
parse), timing each parse with the process's CPU clock (less load-sensitive than wall time; still compare two
models in the same minutes, alternated). Reports CPU per parse per round and the lowest round, and writes each
text's decision (intent, route destination and confidence, offered entries, top-5 handbook entries, entities)
of the first round. ``--compare A B`` counts the texts whose routing decision (intent, destination, offered)
differs between two dumps, and those whose decision or top-5 handbook order differs. ``--english-graph FILE``
(a proxy before retraining, issue 22): the English encoder runs the ONNX graph FILE at parse time instead of the
one the model was trained with (the intent head, arbiter and handbook vectors stay the model's): how many decisions
a graph alone changes, and its CPU. Dev rows only: the test sets
are never read here. The dumps hold the team's dev rows: write them under var/ (not in git).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_FILES = (
    "eval/routing/dev.jsonl",
    "eval/routing/dev_zh.jsonl",
    "eval/handbook/oos_dev.jsonl",
    "eval/handbook/oos_dev_zh.jsonl",
    "eval/handbook/oos_styles_dev.jsonl",
    "eval/handbook/paraphrases_styles_dev.jsonl",
    "eval/handbook/queries_dev.jsonl",
    "eval/handbook/queries_dev_zh.jsonl",
)


def dev_texts(files: tuple[str, ...] = DEV_FILES) -> list[str]:
    """Every distinct text of ``files`` (the dev rows), in file order."""
    texts: list[str] = []
    for name in files:
        for line in (PROJECT_ROOT / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                text = row.get("text") or row.get("query")
                if text:
                    texts.append(text)
    return list(dict.fromkeys(texts))


def decision(parsed: dict[str, Any]) -> dict[str, Any]:
    route = parsed.get("route") or {}
    return {
        "intent": parsed["intent"]["name"],
        "confidence": parsed["intent"].get("confidence"),
        "destination": route.get("destination"),
        "route_confidence": route.get("confidence"),
        "offered": route.get("offered"),
        "faq": [candidate["id"] for candidate in (route.get("faq_candidates") or [])[:5]],
        "entities": [(entity["entity"], entity.get("value")) for entity in parsed.get("entities") or []],
    }


async def measure(model: Path, texts: list[str], rounds: int) -> tuple[list[float], dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    await agent.parse_message("warm-up message")
    per_round: list[float] = []
    decisions: dict[str, Any] = {}
    for index in range(rounds):
        spent = 0.0
        for text in texts:
            started = time.process_time()
            parsed = await agent.parse_message(text)
            spent += time.process_time() - started
            if index == 0:
                decisions[text] = decision(parsed)
        per_round.append(spent / len(texts) * 1000)
    return per_round, decisions


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    def routing(row: dict[str, Any]) -> tuple[Any, ...]:
        return row["intent"], row["destination"], row["offered"]

    shared = [text for text in a if text in b]
    decided = [t for t in shared if routing(a[t]) != routing(b[t])]
    ranked = [t for t in shared if routing(a[t]) != routing(b[t]) or a[t]["faq"] != b[t]["faq"]]
    return {"texts": len(shared), "decisions_differ": len(decided), "decision_or_top5_differ": len(ranked)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "larkspur.tar.gz")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write the CPU figures and the first round's decisions here")
    parser.add_argument("--english-graph", type=Path, help="parse with this ONNX graph as the English encoder")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = parser.parse_args(argv)
    if args.compare:
        a, b = (json.loads(path.read_text(encoding="utf-8"))["decisions"] for path in args.compare)
        print(json.dumps(compare(a, b)))
        return 0
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.path.insert(0, str(PROJECT_ROOT))
    from rasa.utils.common import configure_logging_and_warnings

    configure_logging_and_warnings(logging.WARNING)
    if args.english_graph:
        from nlu_addons import onnx_encoder

        # the graph file of every English encoder this process makes (absolute: replaces the export's file name)
        for graph in onnx_encoder.GRAPHS:
            onnx_encoder.GRAPHS[graph] = str(args.english_graph.resolve())
    texts = dev_texts()
    per_round, decisions = asyncio.run(measure(args.model, texts, args.rounds))
    load = os.getloadavg()[0]
    print(
        f"{args.model}{f' (English graph {args.english_graph})' if args.english_graph else ''}: {len(texts)} "
        "dev texts, CPU per parse by round "
        f"{', '.join(f'{ms:.2f}' for ms in per_round)} ms (lowest {min(per_round):.2f}); load {load:.1f}"
    )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        summary = {
            "model": str(args.model),
            "english_graph": str(args.english_graph or ""),
            "texts": len(texts),
            "cpu_ms_per_parse": per_round,
            "load": load,
        }
        args.out.write_text(json.dumps({**summary, "decisions": decisions}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
