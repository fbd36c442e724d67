"""Choose a language side's routing thresholds on the team's DEV rows only (issues 17 and 18): the arbiter's
probability to act on (``answer_at``; below it "Did you mean"), the handbook score an entry needs before the bot
answers from it (``faq_answer_from``) and before it is offered in "Did you mean" (``faq_offer_from``; below it a
person is offered).

    .venv-rasa/bin/python bench/choose_gate.py --language zh       # the trained model in models/, ~1-3 min
    .venv-rasa/bin/python bench/choose_gate.py --language en
    .venv-rasa/bin/python bench/choose_gate.py --language en --explain   # + what stops the handbook dev questions

Dev rows, written for choosing and never reported as results: English eval/handbook/queries_dev.jsonl +
oos_dev.jsonl + the out-of-scope paraphrase groups of eval/clusters/paraphrases_dev.json + eval/routing/dev.jsonl
(first messages in customers' styles for every intent, handbook entry and handoff, and out of scope); Chinese
eval/handbook/queries_dev_zh.jsonl + oos_dev_zh.jsonl + eval/routing/dev_zh.jsonl (first messages for the intents),
written separately from the Chinese test sets. A routing row's ``accept`` routes count as right, as in make eval
(bench/eval_outcomes.py): an expected handoff is right with any handoff the customer asked for or complained into,
and a ``{"handoff": "low_confidence"}`` row is out of scope (refused by a "Did you mean" or a person alike). The test
sets and the public benchmarks' test splits are never read here. ``--external-dev`` (English; issue 17) adds the
EXTERNAL DEV rows: the public benchmarks' non-test splits mapped to our routes by eval/external/mapping.yml
(bench/eval_sets.external_dev_sets: CLINC150 val + oos_val, 40 Banking77 train rows per mapped intent, xSID en_train;
rows equal to a test row left out), pooled with the team's under the same rule, so that the values are chosen on
phrasing nobody on the team wrote as well; each set's score before and after is reported beside the pooled one.
Each row goes once through the model's own side of OnePassNLU
(the trained intent head and arbiter from models/larkspur.tar.gz, the handbook index of knowledge/faq); every
threshold combination is then applied with the arbiter's own routing (nlu_addons.arbiter.StackedArbiter.route).

The rule, the same for both languages: the most ``right − 2 × (wrong + out-of-scope answered)`` over all dev rows
(a confident mistake costs twice what a right answer gains, since the targets allow 3 % of them beside 90 % right;
asking back or offering a person costs nothing here); ties go to the higher threshold.
offer_from: the highest value (≤ answer_from) that hands no more in-scope rows to a person (instead of asking back)
than the lowest would: on the Chinese test rows scores run lower than on dev, and an in-scope question below the
gate is better asked back about than handed off (an out-of-scope one is refused either way). Writes
results/eval/gate_<language>.{json,md}; the chosen values go into OnePassNLU's defaults by hand.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from nlu_addons.arbiter import HANDBOOK_INTENTS  # noqa: E402
from nlu_addons.onepass_settings import DEFAULTS  # noqa: E402

# the values in use (OnePassNLU's defaults), the "before" of this choice
CURRENT = {
    key: DEFAULTS[key]
    for key in (
        "answer_at",
        "faq_answer_from",
        "faq_offer_from",
        "faq_over_flow_from",
        "faq_answer_at",
        "faq_clear_from",
        "faq_clear_margin",
        "faq_no_order_from",
        "faq_covered_from",
        "faq_covered_margin",
    )
}

HANDBOOK_DEV = {
    "en": ("eval/handbook/queries_dev.jsonl", "eval/handbook/oos_dev.jsonl"),
    "zh": ("eval/handbook/queries_dev_zh.jsonl", "eval/handbook/oos_dev_zh.jsonl"),
}
ROUTING_DEV = {"zh": "eval/routing/dev_zh.jsonl", "en": "eval/routing/dev.jsonl"}
# handbook questions and out-of-scope ones in customers' styles (terse, typos, non-native, request, synonym,
# specifics, rambling), written for choosing like the rows above (issue 17: the team's dev questions scored higher
# than customers' wordings, so the gate chosen on them asked customers back)
STYLES_DEV = {"en": ("eval/handbook/paraphrases_styles_dev.jsonl", "eval/handbook/oos_styles_dev.jsonl")}
# shop questions the handbook does not answer, in paraphrase groups (the unanswered-questions report's dev set):
# more out-of-scope dev rows, the near misses a gate must refuse
OOS_GROUPS_DEV = {"en": "eval/clusters/paraphrases_dev.json"}
GATE_GRID = [round(x, 2) for x in np.arange(0.40, 0.81, 0.02)]
# the how-question rule's handbook score, English only (Chinese keeps it off: route-zh's to choose)
OVER_FLOW_GRID: dict[str, list[float | None]] = {"en": [None, *(round(x, 2) for x in np.arange(0.55, 0.81, 0.05))]}
ANSWER_AT_GRID = [round(x, 2) for x in np.arange(0.40, 0.91, 0.05)]
# the probability a handbook answer needs beside its entry's gate (nlu_addons.arbiter; None: answer_at), chosen
# together with answer_at and the gate, in both languages (Chinese too since lane zh's dev rows of 2026-12-04)
FAQ_ANSWER_AT_GRID: dict[str, list[float]] = {
    language: [round(x, 2) for x in np.arange(0.30, 0.91, 0.05)] for language in ("en", "zh")
}
# an entry clearly ahead of the second one answered from a lower score (faq_clear_from, None: never) when it leads
# by faq_clear_margin; and an order flow with no evidence of an order answered from an entry scoring
# faq_no_order_from (None: never). Chosen after the values above, in both languages (nlu_addons.arbiter; Chinese
# since lane zh of 2026-12-05: customers' Chinese wordings of an entry also score lower than the team's)
CLEAR_FROM_GRID: dict[str, list[float | None]] = {
    language: [None, *(round(x, 2) for x in np.arange(0.40, 0.65, 0.02))] for language in ("en", "zh")
}
CLEAR_MARGIN_GRID = [round(x, 2) for x in np.arange(0.04, 0.21, 0.02)]
OFFER_GRID = list(GATE_GRID)  # offer_from's candidates (never narrowed: --near-in-use)
NO_ORDER_FROM_GRID: dict[str, list[float | None]] = {
    language: [None, *(round(x, 2) for x in np.arange(0.50, 0.86, 0.05))] for language in ("en", "zh")
}
# the best entry whose own words cover the message's answered from a lower score (faq_covered_from, None: never;
# English only: nlu_addons.handbook_index.HandbookIndex.covers), chosen last, with the values above
COVERED_FROM_GRID: dict[str, list[float | None]] = {
    "en": [None, *(round(x, 2) for x in np.arange(0.40, 0.61, 0.02))],
    "zh": [None],
}
# ... when it leads the second entry by this much (faq_covered_margin), chosen with it
COVERED_MARGIN_GRID = [0.0, 0.01, 0.02, 0.03, 0.04]


def narrow_grids(current: dict[str, Any], width: float) -> None:
    """--near-in-use: every grid but answer_at's and offer_from's cut to the values within ``width`` of the value in
    use (a rule that is off, None, stays a candidate): a fifth of the sweep, for a busy machine."""
    global GATE_GRID, CLEAR_MARGIN_GRID

    def near(grid: Sequence[Any], value: float | None) -> list[Any]:
        return [v for v in grid if v is None or value is None or abs(v - value) <= width + 1e-9]

    GATE_GRID = near(GATE_GRID, current["faq_answer_from"])
    CLEAR_MARGIN_GRID = near(CLEAR_MARGIN_GRID, current["faq_clear_margin"])
    for grid, key in (
        (OVER_FLOW_GRID, "faq_over_flow_from"),
        (FAQ_ANSWER_AT_GRID, "faq_answer_at"),
        (CLEAR_FROM_GRID, "faq_clear_from"),
        (NO_ORDER_FROM_GRID, "faq_no_order_from"),
    ):
        for language in grid:
            grid[language] = near(grid[language], current[key])


def route_of(label: dict[str, str]) -> str:
    """A routing row's label ({"intent": …} / {"faq_id": …} / {"handoff": …}) as the arbiter names destinations."""
    [(kind, value)] = label.items()
    return f"{'faq' if kind == 'faq_id' else kind}:{value}"


def read_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_state(model: Path) -> dict[str, Any]:
    with tarfile.open(model) as archive, tempfile.TemporaryDirectory() as tmp:
        member = next(m for m in archive.getmembers() if m.name.endswith("onepass.pkl"))
        archive.extract(member, tmp)
        state: dict[str, Any] = pickle.loads((Path(tmp) / member.name).read_bytes())  # noqa: S301 - our model
    return state


# what a customer who asked for a person or complained reaches: any of these counts as right for either
PERSON = frozenset({"handoff:requested", "handoff:complaint"})
OUT_OF_SCOPE_ROUTE = "handoff:low_confidence"
# small talk and "what is it?" answer without acting on anything: make eval counts them as refusals of an
# out-of-scope message (bench/eval_outcomes.py, DECLINING_INTENTS)
DECLINING = frozenset({"intent:chitchat", "intent:vague_opener"})


def outcome(destination: str, expected: str | None, accepted: Sequence[str] = ()) -> str:
    """right / wrong / clarify / handoff for an in-scope row (expected: "faq:<id>", "intent:<name>" or
    "handoff:<reason>", with the row's ``accepted`` alternatives); answered / refused for an out-of-scope one
    (expected None)."""
    if expected is None:
        if destination in accepted or destination in DECLINING:
            return "oos_refused"
        return "oos_answered" if destination.startswith(("faq:", "intent:")) else "oos_refused"
    if destination == expected or destination in accepted:
        return "right"
    if expected in PERSON and destination in PERSON:
        return "right"
    if destination == "clarify":
        return "clarify"
    if destination == "handoff:low_confidence":
        return "handoff"
    return "wrong"


def as_answered(destination: str, scores: np.ndarray, ids: list[str], answer_threshold: float | None) -> str:
    """The destination as the customer meets it: a payment problem (HANDBOOK_INTENTS) is answered from the handbook
    (data/rules.yml, actions/faq.py through helpdesk.knowledge.language_search): in English by the FAQ engine, which
    ranks as the English route does, in Chinese by the Chinese side with the gate being chosen (``answer_threshold``:
    faq_answer_from); its best entry when that reaches the threshold, else it asks back."""
    if answer_threshold is None or destination.removeprefix("intent:") not in HANDBOOK_INTENTS:
        return destination
    best = int(np.argmax(scores)) if len(ids) else -1
    return f"faq:{ids[best]}" if best >= 0 and float(scores[best]) >= answer_threshold else "clarify"


def row_outcome(destination: str, answered: str, expected: str | None, accepted: Sequence[str] = ()) -> str:
    """A row's outcome as make eval counts it (bench/eval_outcomes.py): right when the route's destination is the
    expected one (a payment problem acted on is that intent, whatever the handbook then answered), else what the
    customer met (``answered``: :func:`as_answered`) decides."""
    key = outcome(destination, expected, accepted)
    return key if key == "right" else outcome(answered, expected, accepted)


MISTAKE_COST = 2.0  # --mistake-cost: a confident mistake against one right answer


def score(counts: dict[str, Any], cost: float = MISTAKE_COST) -> float:
    mistakes = float(counts.get("wrong", 0)) + float(counts.get("oos_answered", 0))
    return float(counts.get("right", 0)) - cost * mistakes


def best_of(sweep: list[dict[str, Any]], threshold: str, cost: float) -> list[dict[str, Any]]:
    """The best-scoring row of ``sweep`` for each (``threshold``, answer_from), in the sweep's order."""
    best: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in sweep:
        key = (row[threshold], row["answer_from"])
        if key not in best or score(row, cost) > score(best[key], cost):
            best[key] = row
    return list(best.values())


def use_values(arbiter: Any, values: dict[str, Any]) -> None:
    """Set the arbiter's thresholds to ``values`` (the names of OnePassNLU's settings)."""
    arbiter.answer_at, arbiter.faq_answer_from = values["answer_at"], values["faq_answer_from"]
    arbiter.faq_offer_from, arbiter.faq_over_flow_from = values["faq_offer_from"], values["faq_over_flow_from"]
    arbiter.faq_answer_at = values.get("faq_answer_at")
    arbiter.faq_clear_from, arbiter.faq_clear_margin = (
        values.get("faq_clear_from"),
        values.get("faq_clear_margin") or 1.0,
    )
    arbiter.faq_no_order_from = values.get("faq_no_order_from")
    arbiter.faq_covered_from = values.get("faq_covered_from")
    arbiter.faq_covered_margin = values.get("faq_covered_margin") or 0.0


def explain(
    arbiter: Any,
    values: dict[str, Any],
    rows: list[tuple[str, str | None]],
    covered: list[bool],
    faq_rows: list[int],
    x: np.ndarray,
    scores: np.ndarray,
    plain_scores: np.ndarray,
    ids: list[str],
    plain_ids: list[str],
    engine_answer: float | None,
) -> Counter[str]:
    """For each handbook question (``faq_rows``) the arbiter does not answer right with ``values``, the first reason:
    another destination on top, the best entry wrong, the entry under its gate (and whether the FAQ engine alone,
    its own scoring at its own gate, answers it right), or the faq class under the probability it needs."""
    from nlu_addons.arbiter import FAQ

    use_values(arbiter, values)
    needed = arbiter.faq_answer_at if arbiter.faq_answer_at is not None else arbiter.answer_at
    stops: Counter[str] = Counter()
    for i in faq_rows:
        text, expected = rows[i]
        route = arbiter.route(x[i : i + 1], scores[i : i + 1], ids, text, covered[i])
        best, plain_best = int(np.argmax(scores[i])), int(np.argmax(plain_scores[i]))
        engine_right = f"faq:{plain_ids[plain_best]}" == expected and (
            engine_answer is None or float(plain_scores[i, plain_best]) >= engine_answer
        )
        stops["engine alone right"] += engine_right
        top = route.ranking[0][0] if route.ranking else FAQ
        answered = as_answered(route.destination, scores[i], ids, engine_answer)
        if answered == expected:
            stops["right"] += 1
            continue
        if answered.startswith(("faq:", "intent:")):
            reason = "answered wrongly"
        elif top != FAQ:
            reason = f"{top} on top"
        elif f"faq:{ids[best]}" != expected:
            reason = "best entry wrong"
        elif not arbiter.entry_clears_gate(scores[i : i + 1], covered[i]):
            reason = "under the gate" + (" (engine right)" if engine_right else "")
        elif route.confidence < needed:
            reason = "faq probability under what it needs"
        else:
            reason = "other"
        stops[reason] += 1
    return stops


def write_misses(
    path: Path,
    rows: list[tuple[str, str | None]],
    covered: list[bool],
    styles: list[str],
    accepted: dict[int, list[str]],
    values: dict[str, Any],
    arbiter: Any,
    x: np.ndarray,
    scores: np.ndarray,
    ids: list[str],
    engine_answer: float | None,
) -> None:
    """Every dev row not routed right with ``values`` (the thresholds in use), one JSON line each with its style, and
    the outcome counts per style on stdout: the error analysis that says which customers' styles the data misses."""
    use_values(arbiter, values)
    per_style: dict[str, Counter[str]] = {}
    lines = []
    for i, (text, expected) in enumerate(rows):
        route = arbiter.route(x[i : i + 1], scores[i : i + 1], ids, text, covered[i])
        answered = as_answered(route.destination, scores[i], ids, engine_answer or values["faq_answer_from"])
        key = row_outcome(route.destination, answered, expected, accepted.get(i, ()))
        per_style.setdefault(styles[i] or "-", Counter())[key] += 1
        if key not in ("right", "oos_refused"):
            best = int(np.argmax(scores[i])) if len(ids) else -1
            lines.append(
                {
                    "text": text,
                    "style": styles[i],
                    "expect": expected or "out of scope",
                    "got": route.destination,
                    "outcome": key,
                    "offered": route.offered,
                    "top": route.ranking[:3],
                    "best_entry": [ids[best], round(float(scores[i, best]), 3)] if best >= 0 else None,
                }
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    for style, counts in sorted(per_style.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"{style:20s} {sum(counts.values()):4d} " + " ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--language", choices=sorted(HANDBOOK_DEV), required=True)
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "larkspur.tar.gz")
    parser.add_argument("--handbook", type=Path, default=PROJECT_ROOT / "knowledge" / "faq")
    parser.add_argument(
        "--config",
        type=Path,
        default=PROJECT_ROOT / "config.yml",
        help="the pipeline the model was trained with (its OnePassNLU encoders and values in use; default config.yml)",
    )
    parser.add_argument("--mistake-cost", type=float, default=MISTAKE_COST)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "eval")
    parser.add_argument(
        "--keep-in-use",
        action="store_true",
        help="keep answer_at, faq_answer_at and the how-question rule at the values in use and choose the gate and "
        "the rules after them only (a tenth of the sweep, for a busy machine)",
    )
    parser.add_argument(
        "--near-in-use",
        type=float,
        metavar="WIDTH",
        help="sweep answer_at in full but the other thresholds only within WIDTH of the values in use (e.g. 0.06; "
        "about a fifth of the sweep, for a busy machine)",
    )
    parser.add_argument(
        "--misses",
        type=Path,
        metavar="JSONL",
        help="only write every dev row not routed right with the values in use (its file's style, what was expected, "
        "what it got, the outcome) to this file, for an error analysis by style; no sweep. With --external-dev it "
        "holds public benchmark rows: write it under var/ (not in git), never commit it",
    )
    parser.add_argument(
        "--external-dev",
        action="store_true",
        help="also choose on the EXTERNAL DEV rows (English): the public benchmarks' non-test splits mapped to our "
        "routes by eval/external/mapping.yml (bench/eval_sets.external_dev_sets), pooled with the team's dev rows "
        "under the same rule; the score of each set before and after is reported beside the pooled one",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also say, for each handbook dev question not answered right, what stopped it",
    )
    args = parser.parse_args(argv)
    language = args.language

    from nlu_addons.handbook_index import side_index
    from nlu_addons.onepass_nlu import side_of_state, understood, words_of
    from nlu_addons.onepass_settings import configured

    # the side as the component loads it: the model's intent head, arbiter, training examples indexed with their
    # entries and second encoder (English), on this handbook
    side = side_of_state(language, load_state(args.model)[language], configured(args.config), args.handbook)
    arbiter, encoder, index = side.arbiter, side.encoder, side.index
    engine_answer = index.engine.answer_threshold if index.engine is not None else None
    queries, oos = (read_rows(PROJECT_ROOT / p) for p in HANDBOOK_DEV[language])
    files = list(HANDBOOK_DEV[language])
    if language in STYLES_DEV:
        styled_queries, styled_oos = (read_rows(PROJECT_ROOT / p) for p in STYLES_DEV[language])
        queries, oos = queries + styled_queries, oos + styled_oos
        files += STYLES_DEV[language]
    rows: list[tuple[str, str | None]] = [(r["query"], f"faq:{r['faq_id']}") for r in queries]
    styles = [str(r.get("style", "")) for r in queries]
    accepted: dict[int, list[str]] = {}
    out_of_scope_routing: list[tuple[str, str | None]] = []
    oos_styles: list[str] = []
    if language in ROUTING_DEV:
        files.append(ROUTING_DEV[language])
        for r in read_rows(PROJECT_ROOT / ROUTING_DEV[language]):
            route = route_of(r["expect"])
            if route == OUT_OF_SCOPE_ROUTE:
                out_of_scope_routing.append((r["text"], None))
                oos_styles.append(str(r.get("style", "")))
                continue
            accepted[len(rows)] = [route_of(a) for a in r.get("accept", [])]
            rows.append((r["text"], route))
            styles.append(str(r.get("style", "")))
    sources = ["team"] * len(rows)  # which dev set each row is from (the per-set scores of --external-dev)
    external_oos: list[tuple[str, list[str], str]] = []  # (text, accepted replies, set)
    if args.external_dev:
        from bench.eval_sets import external_dev_sets

        for dev_set in external_dev_sets(language=language):
            files += list(dev_set.files)
            for case in dev_set.cases:
                if case.out_of_scope:
                    external_oos.append((case.text, [route_of({k: v}) for k, v in case.accept], dev_set.key))
                    continue
                accepted[len(rows)] = [route_of({k: v}) for k, v in case.accept]
                rows.append((case.text, route_of(dict([case.expect]))))
                styles.append(f"{dev_set.key}:{case.group}")
                sources.append(dev_set.key)
    n_in = len(rows)
    rows += out_of_scope_routing
    rows += [(r["query"], None) for r in oos]
    styles += oos_styles + [str(r.get("style", "")) for r in oos]
    if language in OOS_GROUPS_DEV:
        files.append(OOS_GROUPS_DEV[language])
        groups = json.loads((PROJECT_ROOT / OOS_GROUPS_DEV[language]).read_text(encoding="utf-8"))["groups"]
        rows += [(text, None) for group in groups for text in group["texts"]]
        styles += ["paraphrase group" for group in groups for _ in group["texts"]]
    sources += ["team"] * (len(rows) - len(sources))
    for text, accept, source in external_oos:
        # an out-of-scope group's accepted replies (bot_challenge for "what's your name") count as refusals
        accepted[len(rows)] = accept
        rows.append((text, None))
        styles.append(f"{source}:out of scope")
        sources.append(source)
    # each row as the side reads a message (OnePassNLU.process): its words, Chinese in simplified characters
    rows = [(understood(words_of(t), language), expected) for t, expected in rows]
    texts = [t for t, _ in rows]
    vectors = encoder.encoder.encode(texts)
    x, scores = side.evidence(texts, vectors)
    # each row's two best entries as the route orders them (English: said with its goods named generally)
    scores = np.vstack(
        [side.goods_named_generally(text, scores[i : i + 1], side.indexes) for i, text in enumerate(texts)]
    )
    # whether each row's best entry's own words cover the row's (the rule of faq_covered_from): the row's only
    covered = [index.covers(text, int(np.argmax(scores[i])) if scores.shape[1] else -1) for i, text in enumerate(texts)]
    # the route's own handbook ranking: how often its best entry is the expected one (the engine's P@1 beside it
    # is `kb eval` / make eval's FAQ part)
    faq_rows = [i for i, (_, expected) in enumerate(rows) if expected and expected.startswith("faq:")]
    ranking_p1 = sum(f"faq:{index.ids[int(np.argmax(scores[i]))]}" == rows[i][1] for i in faq_rows) / max(
        1, len(faq_rows)
    )
    # the arbiter's class probabilities depend on the row only, not on the thresholds: computed once, looked up
    # by the row's features in every combination of the sweep
    probabilities = arbiter.probabilities(x)
    # the arbiter's cues read the text only (nlu_addons.arbiter): the same answer in every combination of the sweep,
    # worked out once per row (the external dev rows make the sweep four times longer)
    import functools

    import nlu_addons.arbiter as arbiter_module

    for cue in ("names_order", "request_words", "about_something_else", "about_another_company", "order_evidence"):
        setattr(arbiter_module, cue, functools.lru_cache(maxsize=None)(getattr(arbiter_module, cue)))
    by_row = {x[i].tobytes(): probabilities[i : i + 1] for i in range(len(x))}
    compute = arbiter.probabilities
    arbiter.probabilities = lambda rows: by_row.get(rows[0].tobytes()) if len(rows) == 1 else compute(rows)

    def decide(
        answer_at: float,
        answer_from: float,
        offer_from: float,
        misses: list[Any] | None = None,
        over_flow: float | None = None,
        faq_at: float | None = None,
        clear: tuple[float | None, float] = (None, 1.0),
        no_order: float | None = None,
        by_source: dict[str, dict[str, int]] | None = None,
        covered: tuple[float | None, float] = (None, 0.0),
    ) -> dict[str, int]:
        arbiter.answer_at, arbiter.faq_answer_from, arbiter.faq_offer_from = answer_at, answer_from, offer_from
        arbiter.faq_over_flow_from, arbiter.faq_answer_at = over_flow, faq_at
        (arbiter.faq_clear_from, arbiter.faq_clear_margin), arbiter.faq_no_order_from = clear, no_order
        arbiter.faq_covered_from, arbiter.faq_covered_margin = covered
        counts: dict[str, int] = {}
        for i, (text, expected) in enumerate(rows):
            route = arbiter.route(x[i : i + 1], scores[i : i + 1], index.ids, text, covered[i])
            answered = as_answered(route.destination, scores[i], index.ids, engine_answer or answer_from)
            key = row_outcome(route.destination, answered, expected, accepted.get(i, ()))
            counts[key] = counts.get(key, 0) + 1
            if by_source is not None:
                per_source = by_source.setdefault(sources[i], {})
                per_source[key] = per_source.get(key, 0) + 1
            if misses is not None and key in ("wrong", "oos_answered"):
                # a public benchmark's row is never copied into the repository (gate_<language>.json is committed)
                shown = text if sources[i] == "team" else f"({styles[i]}: a benchmark row, not copied)"
                misses.append({"text": shown, "expect": expected or "out of scope", "got": route.destination})
        return counts

    current = {key: value[language] for key, value in CURRENT.items()}
    if args.near_in_use is not None:
        narrow_grids(current, args.near_in_use)
    if args.misses is not None:
        write_misses(
            args.misses, rows, covered, styles, accepted, current, arbiter, x, scores, index.ids, engine_answer
        )
        return 0
    answer_ats = ANSWER_AT_GRID if language in ROUTING_DEV and not args.keep_in_use else [current["answer_at"]]
    # the how-question rule (nlu_addons.arbiter: a how-question naming no order answered from the handbook when its
    # entry scores at least this much; None: never) is chosen together with the gate
    over_flows = [current["faq_over_flow_from"]] if args.keep_in_use else OVER_FLOW_GRID.get(language, [None])
    sweep: list[dict[str, Any]] = [
        {
            "answer_at": answer_at,
            "answer_from": answer_from,
            "over_flow": over_flow,
            **decide(answer_at, answer_from, answer_from, over_flow=over_flow),
        }
        for answer_at in answer_ats
        for answer_from in GATE_GRID
        for over_flow in over_flows
    ]
    chosen = max(
        sweep,
        key=lambda s: (score(s, args.mistake_cost), s["answer_at"], s["answer_from"], s["over_flow"] or 2.0),
    )
    # the handbook answer's own probability (faq_answer_at, None: answer_at) with answer_at and the gate, at the
    # how-question rule chosen above; then that rule again for the chosen values (a sweep of all four at once is
    # tens of thousands of combinations)
    faq_sweep: list[dict[str, Any]] = [
        {
            "answer_at": answer_at,
            "faq_answer_at": faq_at,
            "answer_from": answer_from,
            "over_flow": chosen["over_flow"],
            **decide(answer_at, answer_from, answer_from, over_flow=chosen["over_flow"], faq_at=faq_at),
        }
        for answer_at in answer_ats
        for faq_at in (
            [current["faq_answer_at"]]
            if args.keep_in_use
            else [v for v in FAQ_ANSWER_AT_GRID.get(language, []) if v < answer_at]
        )
        for answer_from in GATE_GRID
    ]

    def preference(s: dict[str, Any]) -> tuple[float, ...]:
        # ties go to the higher thresholds (faq_answer_at None is answer_at itself)
        faq_at = s.get("faq_answer_at")
        return (
            score(s, args.mistake_cost),
            s["answer_at"],
            s["answer_at"] if faq_at is None else faq_at,
            s["answer_from"],
            s["over_flow"] or 2.0,
        )

    same_rule = [{**s, "faq_answer_at": None} for s in sweep if s["over_flow"] == chosen["over_flow"]]
    chosen = max(same_rule + faq_sweep, key=preference)
    answer_at, answer_from, faq_answer_at = chosen["answer_at"], chosen["answer_from"], chosen["faq_answer_at"]
    over_flow_sweep = [
        {
            **chosen,
            "over_flow": over_flow,
            **decide(answer_at, answer_from, answer_from, over_flow=over_flow, faq_at=faq_answer_at),
        }
        for over_flow in over_flows
    ]
    chosen = max(over_flow_sweep, key=preference)
    over_flow = chosen["over_flow"]
    # an entry clearly ahead answered from a lower score, with the gate for the others (which may now rise) ...
    clear_sweep = [
        {
            **chosen,
            "answer_from": gate,
            "clear_from": clear_from,
            "clear_margin": margin,
            # (offered from the lower score: under offer_from a person is offered before the rule is reached)
            **decide(
                answer_at,
                gate,
                gate if clear_from is None else clear_from,
                over_flow=over_flow,
                faq_at=faq_answer_at,
                clear=(clear_from, margin),
            ),
        }
        for gate in [v for v in GATE_GRID if answer_from - 0.001 <= v <= answer_from + 0.121]
        for clear_from in CLEAR_FROM_GRID.get(language, [None])
        for margin in (CLEAR_MARGIN_GRID if clear_from is not None else [1.0])
        if clear_from is None or clear_from < gate
    ]

    def cautious(s: dict[str, Any]) -> tuple[float, ...]:
        # ties go to the stricter rule: the higher gate, no lower score (or a higher one), the wider margin
        off = s.get("clear_from") is None
        return (score(s, args.mistake_cost), s["answer_from"], off, s.get("clear_from") or 0.0, s["clear_margin"])

    chosen = max(clear_sweep, key=cautious)
    answer_from, clear = chosen["answer_from"], (chosen["clear_from"], chosen["clear_margin"])
    lowest = answer_from if clear[0] is None else clear[0]  # the lowest score answered, offered from there
    # ... then an order flow with no evidence of an order answered from the handbook
    no_order_sweep = [
        {
            **chosen,
            "no_order_from": no_order,
            **decide(answer_at, answer_from, lowest, over_flow=over_flow, faq_at=faq_answer_at, clear=clear,
                     no_order=no_order),
        }
        for no_order in NO_ORDER_FROM_GRID.get(language, [None])
    ]  # fmt: skip
    chosen = max(no_order_sweep, key=lambda s: (score(s, args.mistake_cost), s["no_order_from"] or 2.0))
    no_order_from = chosen["no_order_from"]
    # ... then the best entry whose own words cover the message's answered from a lower score (ties: the higher)
    covered_sweep = [
        {
            **chosen,
            "covered_from": covered_from,
            "covered_margin": margin,
            **decide(answer_at, answer_from, lowest, over_flow=over_flow, faq_at=faq_answer_at, clear=clear,
                     no_order=no_order_from, covered=(covered_from, margin)),
        }
        for covered_from in COVERED_FROM_GRID.get(language, [None])
        for margin in (COVERED_MARGIN_GRID if covered_from is not None else [0.0])
    ]  # fmt: skip
    chosen = max(
        covered_sweep,
        key=lambda s: (score(s, args.mistake_cost), s["covered_from"] or 2.0, s["covered_margin"]),
    )
    covered_from, covered_margin = chosen["covered_from"], chosen["covered_margin"]
    if covered_from is not None:
        lowest = min(lowest, covered_from)
    offers = [
        {
            "offer_from": offer_from,
            **decide(answer_at, answer_from, offer_from, over_flow=over_flow, faq_at=faq_answer_at, clear=clear,
                     no_order=no_order_from, covered=(covered_from, covered_margin)),
        }
        for offer_from in [v for v in OFFER_GRID if v <= lowest]
    ]  # fmt: skip
    # below offer_from a person is offered instead of "Did you mean": as high as it can be without handing off
    # an in-scope dev row that a lower value would have asked back about
    fewest = min(o.get("handoff", 0) for o in offers)
    offer = max((o for o in offers if o.get("handoff", 0) == fewest), key=lambda o: o["offer_from"])
    before_by_set: dict[str, dict[str, int]] = {}
    before = decide(
        current["answer_at"],
        current["faq_answer_from"],
        current["faq_offer_from"],
        over_flow=current["faq_over_flow_from"],
        faq_at=current["faq_answer_at"],
        clear=(current.get("faq_clear_from"), current.get("faq_clear_margin") or 1.0),
        no_order=current.get("faq_no_order_from"),
        by_source=before_by_set,
        covered=(current.get("faq_covered_from"), current.get("faq_covered_margin") or 0.0),
    )
    mistakes: list[Any] = []
    chosen_by_set: dict[str, dict[str, int]] = {}
    decide(answer_at, answer_from, float(offer["offer_from"]), mistakes, over_flow, faq_answer_at, clear, no_order_from,
           by_source=chosen_by_set, covered=(covered_from, covered_margin))  # fmt: skip
    by_set = {
        name: {"before": before_by_set.get(name, {}), "chosen": chosen_by_set.get(name, {})}
        for name in dict.fromkeys(sources)
    }
    result = {
        "language": language,
        "dev_files": files,
        "in_scope": n_in,
        "handbook_ranking_p_at_1": round(ranking_p1, 4),
        "out_of_scope": len(rows) - n_in,
        "rule": "max right - cost * (wrong + out-of-scope answered); offer_from: the highest with the fewest handoffs",
        "mistake_cost": args.mistake_cost,
        "before": {**current, **before},
        "chosen": {
            "answer_at": answer_at,
            "faq_answer_from": answer_from,
            "faq_offer_from": offer["offer_from"],
            "faq_over_flow_from": over_flow,
            "faq_answer_at": faq_answer_at,
            "faq_clear_from": clear[0],
            "faq_clear_margin": clear[1] if clear[0] is not None else None,
            "faq_no_order_from": no_order_from,
            "faq_covered_from": covered_from,
            "faq_covered_margin": covered_margin if covered_from is not None else None,
        },
        "at_choice": offer,
        "by_set": by_set,
        "mistakes_at_choice": mistakes,
        # the best over_flow of each (answer_at or faq_answer_at, answer_from): the whole grid is thousands of rows
        "sweep": best_of(sweep, "answer_at", args.mistake_cost),
        "faq_answer_at_sweep": best_of(
            [s for s in faq_sweep if s["answer_at"] == answer_at], "faq_answer_at", args.mistake_cost
        ),
        "over_flow_sweep": over_flow_sweep,
        "clear_sweep": sorted(clear_sweep, key=cautious, reverse=True)[:30],
        "no_order_sweep": no_order_sweep,
        "covered_sweep": covered_sweep,
        "offer_sweep": offers,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"gate_{language}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")

    def line(s: dict[str, Any], mark: str = "") -> str:
        return (
            f"| {mark}{s['answer_at']:.2f}{mark} | {mark}{s['answer_from']:.2f}{mark} | {s.get('over_flow')} | "
            f"{s.get('right', 0)} | "
            f"{s.get('wrong', 0)} | {s.get('clarify', 0)} | {s.get('handoff', 0)} | {s.get('oos_answered', 0)} | "
            f"{s.get('oos_refused', 0)} | {score(s, args.mistake_cost):g} |"
        )

    lines = [
        f"# Routing thresholds, {language}: chosen on dev rows only",
        "",
        f"`bench/choose_gate.py --language {language}` on {n_in} in-scope and {len(rows) - n_in} out-of-scope dev rows "
        f"({', '.join(files)}). Rule: the most right − {args.mistake_cost:g} × (wrong + out-of-scope answered); "
        f"offer_from the highest "
        "that hands no more in-scope rows to a person than a lower one would.",
        "",
        f"The route's handbook ranking on the {len(faq_rows)} handbook dev questions: P@1 {ranking_p1:.3f}.",
        "",
        f"Chosen: **answer_at {answer_at:.2f}, faq_answer_from {answer_from:.2f}, faq_offer_from "
        f"{offer['offer_from']:.2f}, faq_over_flow_from {over_flow}, faq_answer_at {faq_answer_at}, faq_clear_from "
        f"{clear[0]} (margin {clear[1] if clear[0] is not None else None}), faq_no_order_from {no_order_from}, "
        f"faq_covered_from {covered_from} (margin {covered_margin if covered_from is not None else None})**: "
        f"{offer}.",
        f"Before (the values in use: {current}): {before}.",
        "",
        "Each dev set before (the values in use) and with the chosen values (score: right − cost × mistakes):",
        "",
        "| dev set | rows | right before | wrong + oos answered before | score before | right chosen "
        "| wrong + oos answered chosen | score chosen |",
        "|---|---|---|---|---|---|---|---|",
        *(
            f"| {name} | {sum(v['before'].values())} | {v['before'].get('right', 0)} | "
            f"{v['before'].get('wrong', 0) + v['before'].get('oos_answered', 0)} | "
            f"{score(v['before'], args.mistake_cost):g} | {v['chosen'].get('right', 0)} | "
            f"{v['chosen'].get('wrong', 0) + v['chosen'].get('oos_answered', 0)} | "
            f"{score(v['chosen'], args.mistake_cost):g} |"
            for name, v in by_set.items()
        ),
        "",
        "| answer_at | answer_from | over_flow | right | wrong | clarify | handoff | oos answered | oos refused "
        "| score |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    best_per_answer_at: dict[float, dict[str, Any]] = {}
    for s in sweep:
        top = best_per_answer_at.get(s["answer_at"])
        if top is None or score(s, args.mistake_cost) > score(top, args.mistake_cost):
            best_per_answer_at[s["answer_at"]] = s
    shown = {id(s) for s in best_per_answer_at.values()}
    shown |= {
        id(s)
        for s in sweep
        if s["answer_at"] == answer_at
        and (
            (round(s["answer_from"] * 100) % 4 == 0 and s["over_flow"] == over_flow) or s["answer_from"] == answer_from
        )
    }
    picked = {key: chosen[key] for key in ("answer_at", "answer_from", "over_flow")}
    lines += [
        line(s, "**" if chosen["faq_answer_at"] is None and picked == {k: s[k] for k in picked} else "")
        for s in sweep
        if id(s) in shown
    ]
    if faq_sweep:
        best_per_faq_at: dict[float, dict[str, Any]] = {}
        for s in (s for s in faq_sweep if s["answer_at"] == answer_at):
            top = best_per_faq_at.get(s["faq_answer_at"])
            if top is None or score(s, args.mistake_cost) > score(top, args.mistake_cost):
                best_per_faq_at[s["faq_answer_at"]] = s
        lines += [
            "",
            f"The probability a handbook answer needs (faq_answer_at; None: answer_at) at answer_at {answer_at:.2f}, "
            "the best gate for each (over_flow as in the table above):",
            "",
            "| faq_answer_at | answer_from | over_flow | right | wrong | clarify | handoff | oos answered "
            "| oos refused | score |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        lines += [
            line({**s, "answer_at": s["faq_answer_at"]}, "**" if s["faq_answer_at"] == faq_answer_at else "")
            for _, s in sorted(best_per_faq_at.items())
        ]
    (args.out / f"gate_{language}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.explain:
        # the same questions through the FAQ engine's own scoring (no training examples) at its own gate
        plain = side_index(args.handbook, language, encoder)
        plain_scores = plain.rank(texts, vectors)
        gates = {"values in use": current, "chosen": result["chosen"]}
        lines += ["", "What stopped the handbook dev questions not answered right (first reason that applies):", ""]
        for name, values in gates.items():
            stops = explain(
                arbiter, values, rows, covered, faq_rows, x, scores, plain_scores, index.ids, plain.ids, engine_answer
            )
            lines.append(
                f"- {name} {values}, {len(faq_rows)} questions: "
                + ", ".join(f"{reason} {n}" for reason, n in stops.most_common())
            )
        (args.out / f"gate_{language}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
