"""NLU design study, step 2 (`.venv-rasa`, Python 3.10): today's Rasa NLU on every text, and out-of-fold
probabilities of today's fine-tuned classifier on the training data (for calibrating an arbiter on it).

    .venv-rasa/bin/python bench/studies/current_rasa_nlu.py parse   # → var/nlu-study/rasa_parse.json
    .venv-rasa/bin/python bench/studies/current_rasa_nlu.py folds   # → var/nlu-study/finetune_oof.json

`parse` loads the trained model (config.yml: MiniLM fine-tuned end to end in TensorFlow, FallbackClassifier
0.45) in this process, parses each text of var/nlu-study/sets.json one at a time (the intent ranking and the
CPU and wall time of `Agent.parse_message`) and records the process's RSS after loading and after parsing.
`folds` fine-tunes config.yml's classifier settings on 2/3 of data/nlu and predicts the other third, three
times (the probabilities are what a stacked arbiter is trained on), timing each fine-tuning.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # Rasa's per-message debug lines would be timed with the parse
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "nlu-study"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def parse_all() -> dict[str, Any]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    # every distinct text of sets.json, in the order step 1 ran them through the FAQ engine
    texts = list(json.loads((OUT / "faq_engine.json").read_text(encoding="utf-8"))["decisions"])
    rss_before = rss_mb()
    start = time.perf_counter()
    agent = Agent.load(str(ROOT / "models" / "larkspur.tar.gz"))
    load_s = time.perf_counter() - start
    rss_loaded = rss_mb()

    async def run() -> dict[str, Any]:
        await agent.parse_message("warm-up message")
        out = {}
        for number, text in enumerate(texts, start=1):
            wall, cpu = time.perf_counter(), time.process_time()
            parsed = await agent.parse_message(text)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            out[text] = {
                "intent": parsed["intent"]["name"],
                "ranking": [[r["name"], round(float(r["confidence"]), 5)] for r in parsed.get("intent_ranking") or []],
                "entities": [e["entity"] for e in parsed.get("entities") or []],
                "wall_ms": round(wall * 1000, 3),
                "cpu_ms": round(cpu * 1000, 3),
            }
            if number % 500 == 0:
                print(f"rasa parse: {number}/{len(texts)}", flush=True)
        return out

    parses = asyncio.run(run())
    return {
        "model": "models/larkspur.tar.gz",
        "load_s": round(load_s, 2),
        "rss_mb_before_load": rss_before,
        "rss_mb_loaded": rss_loaded,
        "rss_mb_after_parsing": rss_mb(),
        "parses": parses,
    }


def folds(k: int = 3) -> dict[str, Any]:
    import numpy as np
    import yaml

    from nlu_addons import configured_model_dir
    from nlu_addons.minilm_tf import MiniLMClassifier, TrainSettings, WordPieces, fine_tune, read_checkpoint

    sets = json.loads((OUT / "sets.json").read_text(encoding="utf-8"))
    train = sets["train"]
    classifier = next(
        c
        for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
        if c["name"].endswith("MiniLMIntentClassifier")
    )
    settings = TrainSettings(
        **{key: value for key, value in classifier.items() if key in TrainSettings.__dataclass_fields__}
    )
    model_dir = configured_model_dir(None)
    shape, weights = read_checkpoint(model_dir)
    pieces = WordPieces.from_file(model_dir / "tokenizer.json", 64)
    labels = sorted({row["intent"] for row in train})
    index = {label: number for number, label in enumerate(labels)}
    rng = np.random.default_rng(7)
    fold_of = rng.permutation(len(train)) % k
    probabilities = np.zeros((len(train), len(labels)), dtype=np.float32)
    seconds = []
    for fold in range(k):
        fit = [i for i in range(len(train)) if fold_of[i] != fold]
        held = [i for i in range(len(train)) if fold_of[i] == fold]
        model = MiniLMClassifier(
            shape, weights, labels, dropout=settings.dropout, train_word_embeddings=settings.train_word_embeddings
        )
        start = time.perf_counter()
        fine_tune(
            model,
            pieces.ids([train[i]["text"] for i in fit]),
            np.array([index[train[i]["intent"]] for i in fit], dtype=np.int32),
            settings,
        )
        seconds.append(round(time.perf_counter() - start, 1))
        model_eval = MiniLMClassifier(shape, model.weights(), labels, dropout=0.0)
        probabilities[held] = model_eval.run_batched(model_eval.predict, pieces.ids([train[i]["text"] for i in held]))
        print(f"fold {fold + 1}/{k}: fine-tuned on {len(fit)} in {seconds[-1]} s", flush=True)
    return {
        "labels": labels,
        "settings": classifier,
        "fold_of": fold_of.tolist(),
        "train_seconds": seconds,
        "texts": [row["text"] for row in train],
        "probabilities": probabilities.round(5).tolist(),
    }


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    what = argv[0] if argv else "parse"
    if what == "parse":
        (OUT / "rasa_parse.json").write_text(json.dumps(parse_all(), ensure_ascii=False), encoding="utf-8")
    elif what == "folds":
        (OUT / "finetune_oof.json").write_text(json.dumps(folds(), ensure_ascii=False), encoding="utf-8")
    else:
        raise SystemExit(f"unknown step {what!r}: parse | folds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
