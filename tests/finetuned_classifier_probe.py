"""Run by tests/test_finetuned_classifier.py in `.venv-rasa` (Rasa and TensorFlow live there, not in `.venv`).

    .venv-rasa/bin/python tests/finetuned_classifier_probe.py STORAGE_DIR

Trains MiniLMIntentClassifier on a tiny three-intent data set through Rasa's component API, persists it in a
LocalModelStorage under STORAGE_DIR, loads it back and prints JSON: for each held-out paraphrase, the trained
and the reloaded component's intent ranking, plus the training time.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from nlu_addons.finetuned_classifier import MiniLMIntentClassifier  # noqa: E402

TRAINING = {
    "track_order": [
        "where is my order",
        "has my parcel shipped yet",
        "when will my package arrive",
        "track my delivery please",
        "what is the status of my order",
        "my order has not arrived",
    ],
    "refund": [
        "I want my money back",
        "can I get a refund",
        "how do I get reimbursed",
        "please refund my purchase",
        "when will I receive my refund",
        "I was charged and want a refund",
    ],
    "greet": ["hello", "hi there", "good morning", "hey", "hi, how are you", "good evening"],
}
HELD_OUT = {
    "where is my package right now": "track_order",
    "is my shipment on its way": "track_order",
    "give me my money back please": "refund",
    "I would like a refund for this item": "refund",
    "hey there": "greet",
    "good afternoon": "greet",
}
CONFIG = {"epochs": 8, "batch_size": 8, "learning_rate": 1e-4, "head_learning_rate": 5e-3, "random_seed": 7}


def rankings(component: MiniLMIntentClassifier) -> dict[str, list[dict[str, float]]]:
    messages = [Message(data={"text": text}) for text in HELD_OUT]
    component.process(messages)
    return {m.get("text"): m.get("intent_ranking") for m in messages}


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    directory = Path(sys.argv[1])
    directory.mkdir(parents=True, exist_ok=True)
    storage = LocalModelStorage(directory)
    resource = Resource("finetuned_classifier")
    context = ExecutionContext(GraphSchema({}), node_name="finetuned_classifier")
    messages = [Message(data={"text": text, "intent": intent}) for intent, texts in TRAINING.items() for text in texts]
    start = time.monotonic()
    trained = MiniLMIntentClassifier.create(CONFIG, storage, resource, context)
    trained.train(TrainingData(messages))
    seconds = time.monotonic() - start
    reloaded = MiniLMIntentClassifier.load(CONFIG, storage, resource, context)
    print(
        json.dumps(
            {
                "expected": HELD_OUT,
                "trained": rankings(trained),
                "reloaded": rankings(reloaded),
                "train_seconds": round(seconds, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
