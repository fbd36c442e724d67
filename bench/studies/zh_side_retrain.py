"""Retrain only OnePassNLU's Chinese side in-process (no `make train`) and count its dev outcomes, to compare a
scoring or data variant on the Chinese DEV rows before paying for a full retrain (issue 18).

    .venv-rasa/bin/python bench/studies/zh_side_retrain.py --best-weight 0.45 0.30
    .venv-rasa/bin/python bench/studies/zh_side_retrain.py --best-weight 0.30 --sweep   # + bench/choose_gate's sweep

The side is trained as OnePassNLU.train trains it (every training example of data/, the Chinese examples indexed
with their entries, the thresholds in use), with nlu_addons.handbook_index.BEST_WEIGHT / CENTROID_WEIGHT (the
Chinese side's study scoring) set to each value given. Each variant is then scored on the Chinese dev rows by
bench/choose_gate.py itself (its --misses counts, or its whole sweep with --sweep), through a model archive that holds
only the retrained side. Dev rows only: the test sets are never read.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tarfile
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "bench"))


def training_examples() -> tuple[list[tuple[str, str, str]], dict[str, list[str]]]:
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.loading import load_data

    from nlu_addons.language import written_in
    from nlu_addons.onepass_nlu import block_metadata, faq_examples

    data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    messages = [m for m in data.intent_examples if m.get(TEXT)]
    examples = [
        (str(m.get(TEXT)), str(m.get(INTENT)), written_in(str(m.get(TEXT)), block_metadata(m))) for m in messages
    ]
    return examples, faq_examples(messages)


def train_zh(best_weight: float) -> tuple[object, ...]:
    import nlu_addons.handbook_index as handbook_index
    from nlu_addons.encoders import CachedEncoder, encoder_named
    from nlu_addons.language import language_of
    from nlu_addons.onepass_nlu import Side, build_indexes, handbook_root
    from nlu_addons.onepass_settings import configured

    handbook_index.BEST_WEIGHT, handbook_index.CENTROID_WEIGHT = best_weight, round(1 - best_weight, 6)
    config = configured()
    examples, per_entry = training_examples()
    chosen = [(t, i) for t, i, _ in examples]
    encoder = CachedEncoder(encoder_named(config["encoders"]["zh"]))
    written = {e: [t for t in texts if language_of(t) == "zh"] for e, texts in per_entry.items()}
    written = {e: texts for e, texts in written.items() if texts}
    side = Side.train(
        encoder,
        [t for t, _ in chosen],
        [i for _, i in chosen],
        build_indexes(handbook_root(config), "zh", encoder, None, examples=written),
        float(config["answer_at"]["zh"]),
        float(config["clarify_at"]["zh"]),
        written,
    )
    return (side.head, side.arbiter, side.encoder.table, side.examples, None)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--best-weight", type=float, nargs="+", default=[0.45])
    parser.add_argument("--sweep", action="store_true", help="run choose_gate's whole sweep (writes --out)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/zh-study"))
    args = parser.parse_args()
    import choose_gate

    import nlu_addons.handbook_index as handbook_index

    for weight in args.best_weight:
        started = time.perf_counter()
        state = {"zh": train_zh(weight)}
        out = args.out / f"best-{weight:.2f}"
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "onepass.pkl").write_bytes(pickle.dumps(state))
            with tarfile.open(out / "zh-side.tar.gz", "w:gz") as archive:
                archive.add(Path(tmp) / "onepass.pkl", arcname="components/onepass.pkl")
        print(f"best weight {weight}: trained in {time.perf_counter() - started:.0f} s", flush=True)
        # scored with the same weight the side was trained with
        assert weight == handbook_index.BEST_WEIGHT
        model = str(out / "zh-side.tar.gz")
        choose_gate.main(["--language", "zh", "--model", model, "--misses", str(out / "misses.jsonl")])
        if args.sweep:
            choose_gate.main(["--language", "zh", "--model", model, "--out", str(out)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
