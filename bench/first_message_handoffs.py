"""How many first messages reach a person, and how many get a wrong answer (issue 16.3).

Every row of `eval/routing/styles.jsonl` and of the external set (`eval/external/mapping.yml`: public benchmarks
read in place, never copied) is sent as the first message of a new conversation through POST /api/chat of a running
stack, and the outcome is read from the response:

- `person`: the conversation was handed to a person (any reason);
- `offered`: a person was offered as a choice (`offer_person`), nothing queued;
- `suggested`: "Did you mean" buttons;
- `small_talk`: answered as small talk or a vague opener (intents `chitchat`, `vague_opener`);
- `answered`: a handbook answer, or a shop intent acted on.

A row is answered *wrongly* when the bot answered (a handbook entry or a shop intent's flow or reply) and that is
neither the expected route nor an accepted one; out-of-scope rows (`expect: {handoff: low_confidence}`, and the
external set's out_of_scope groups) are answered wrongly by any handbook answer or shop intent (small talk, an offer
of a person, a suggestion or a handoff are refusals). The script writes one JSON summary (and, with --rows, every
row's outcome); it asserts nothing: a measurement, not a test.

    .venv/bin/python bench/first_message_handoffs.py --out results/eval/first_messages.json
    .venv/bin/python bench/first_message_handoffs.py --url http://127.0.0.1:8080 --out /tmp/before.json

BENCHMARKS_DIR overrides where the public benchmarks are read (default: mapping.yml's `benchmarks`, relative to the
repository root).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import yaml

from helpdesk.config import PROJECT_ROOT

sys.path.insert(0, str(Path(__file__).resolve().parent))

STYLES = PROJECT_ROOT / "eval" / "routing" / "styles.jsonl"
MAPPING = PROJECT_ROOT / "eval" / "external" / "mapping.yml"
OUT_OF_SCOPE = {"handoff": "low_confidence"}
SMALL_TALK_INTENTS = frozenset({"chitchat", "vague_opener"})
UNSURE = frozenset({"nlu_fallback", "out_of_scope", None})
# intents whose reply is not an answer about the shop (a greeting, thanks, yes/no)
CONVERSATIONAL = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"})


def styles_rows(path: Path = STYLES) -> list[dict[str, Any]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            accept = case.get("accept", [])
            rows.append({"set": "styles", "text": case["text"], "expect": case["expect"], "accept": accept})
    return rows


def external_rows(mapping_path: Path = MAPPING) -> list[dict[str, Any]]:
    """The external set's rows (English sets only: the Chinese xSID rows are lane data-zh's measure)."""
    mapping = yaml.safe_load(mapping_path.read_text(encoding="utf-8"))
    root = Path(os.environ.get("BENCHMARKS_DIR") or (PROJECT_ROOT / mapping["benchmarks"])).resolve()
    rows: list[dict[str, Any]] = []
    for name, spec in mapping["sets"].items():
        if name.endswith("_zh"):
            continue
        texts: dict[str, list[str]] = {}
        for file in spec["files"]:
            path = root / file
            if not path.exists():
                raise SystemExit(f"{path}: missing (the public benchmarks are read from {root})")
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    texts.setdefault(str(row["intent"]), []).append(str(row["text"]))
        for intent, route in (spec.get("routes") or {}).items():
            for text in texts.get(str(intent), []):
                rows.append({"set": name, "text": text, "expect": route["expect"], "accept": route.get("accept") or []})
        for group in spec.get("out_of_scope") or []:
            per_intent = group.get("per_intent", "all")
            for intent in group["intents"]:
                chosen = texts.get(str(intent), [])
                if per_intent != "all":
                    chosen = chosen[: int(per_intent)]
                for text in chosen:
                    accept = group.get("accept") or []
                    rows.append({"set": name, "text": text, "expect": OUT_OF_SCOPE, "accept": accept})
    return rows


def outcome_of(body: dict[str, Any]) -> dict[str, Any]:
    nlu = body.get("nlu") or {}
    suggested = any(
        str(b.get("payload", "")).startswith("/faq{") for r in body.get("replies") or [] for b in r.get("buttons") or []
    )
    offers_topics = any(
        b.get("payload") == "/order_status" for r in body.get("replies") or [] for b in r.get("buttons") or []
    )
    handoff = (body.get("handoff") or {}).get("reason")
    faq = (body.get("faq") or {}).get("id")
    intent = nlu.get("intent")
    if handoff:
        kind = "person"
    elif body.get("offer_person"):
        kind = "offered"
    elif faq:
        kind = "answered"
    elif suggested:
        kind = "suggested"
    elif intent in SMALL_TALK_INTENTS or (intent in UNSURE and offers_topics):
        kind = "small_talk"  # the intents, or the handbook search's fallback answering by words (actions/smalltalk.py)
    else:
        kind = "answered"
    return {"kind": kind, "handoff": handoff, "faq_id": faq, "intent": intent}


def matches(route: dict[str, str], outcome: dict[str, Any]) -> bool:
    key, want = next(iter(route.items()))
    if key == "handoff":
        return outcome["handoff"] == want
    if key == "faq_id":
        return outcome["faq_id"] == want
    return outcome["faq_id"] is None and outcome["intent"] == want


def wrong(row: dict[str, Any], outcome: dict[str, Any]) -> bool:
    """The bot answered, and not with a right route."""
    if outcome["kind"] != "answered":
        return False
    if row["expect"] == OUT_OF_SCOPE:
        return not any(matches(a, outcome) for a in row["accept"])
    return not any(matches(route, outcome) for route in [row["expect"], *row["accept"]])


def run(url: str, rows: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    with httpx.Client(base_url=url, timeout=120) as client:
        for number, row in enumerate(rows, start=1):
            response = client.post("/api/chat", json={"conversation_id": None, "text": row["text"]})
            if response.status_code != 200:
                raise RuntimeError(f"POST /api/chat answered {response.status_code} for {row['text']!r}")
            outcome = outcome_of(response.json())
            yield {**row, "outcome": outcome, "wrong": wrong(row, outcome)}
            if number % 100 == 0:
                print(f"  {number}/{len(rows)}", flush=True)


def summary(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    def part(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        kinds = Counter(r["outcome"]["kind"] for r in rows)
        n = len(rows)
        return {
            "n": n,
            "reach_a_person": kinds["person"],
            "reach_a_person_share": round(kinds["person"] / n, 4) if n else None,
            "wrong_answers": sum(r["wrong"] for r in rows),
            "wrong_share": round(sum(r["wrong"] for r in rows) / n, 4) if n else None,
            "outcomes": dict(sorted(kinds.items())),
            "handoff_reasons": dict(Counter(r["outcome"]["handoff"] for r in rows if r["outcome"]["handoff"])),
        }

    by_set: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        by_set.setdefault(r["set"], []).append(r)
    out_of_scope = [r for r in results if r["expect"] == OUT_OF_SCOPE]
    in_scope = [r for r in results if r["expect"] != OUT_OF_SCOPE]
    return {
        "all": part(results),
        "in_scope": part(in_scope),
        "out_of_scope": part(out_of_scope),
        "by_set": {name: part(rows) for name, rows in sorted(by_set.items())},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running helpdesk (default: start the stack on spare ports)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON summary")
    parser.add_argument("--rows", type=Path, help="also write every row's outcome (JSON Lines)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N rows of each source (a quick look)")
    args = parser.parse_args(argv)
    sources = [styles_rows(), external_rows()]
    rows = [row for source in sources for row in (source[: args.limit] if args.limit else source)]
    started, load = time.time(), os.getloadavg()[0]
    print(f"{len(rows)} first messages (load average {load})", flush=True)
    if args.url:
        results = list(run(args.url, rows))
        commit = os.environ.get("COMMIT", "")
    else:
        from bench_stack import bench_stack

        with bench_stack() as stack:
            results = list(run(stack.url, rows))
        commit = ""
    report = {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(time.time() - started),
        "load_average_at_start": load,
        "commit": commit,
        **summary(results),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.rows:
        args.rows.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("all", "in_scope", "out_of_scope")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
