"""The prediction graph run node after node (nlu_addons/sequential_runner.py) gives what Rasa's dask runner gives:
the same parse of every message and the same next-action prediction after it, over a conversation in English and
Chinese on the trained model; and Rasa's entry point runs the loaded model through it.

Rasa lives in `.venv-rasa`, so the comparison runs there in a child process that prints its result as JSON.
"""

from __future__ import annotations

from support.rasa import run_probe

PROBE = r"""
import json
import tempfile
from pathlib import Path

from rasa.core.channels.channel import UserMessage
from rasa.engine.loader import load_predict_graph_runner
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from nlu_addons import PROJECT_ROOT
from nlu_addons.sequential_runner import SequentialGraphRunner

MODEL = PROJECT_ROOT / "models" / "larkspur.tar.gz"
TEXTS = ["hi", "where is my order 100234?", "can i pay with paypal?", "I want to talk to a person",
         "my parcel arrived broken, this is unacceptable", "asdfgh qwerty", "what's the weather in Paris",
         "我的订单100234在哪里", "可以退货吗", "thanks, bye", "cancel it pls", "my email is ann@example.com"]


def without_time(event):
    return {k: v for k, v in event.as_dict().items() if k != "timestamp"}


def conversation(runner_class):
    metadata, runner = load_predict_graph_runner(Path(tempfile.mkdtemp()), MODEL, LocalModelStorage, runner_class)
    domain = metadata.domain
    tracker = DialogueStateTracker.from_events("probe", [ActionExecuted("action_listen")], domain.slots)
    turns = []
    for number, text in enumerate(TEXTS):
        message = UserMessage(text, message_id=f"m{number}")
        nlu = runner.run(inputs={"__message__": [message], "__tracker__": tracker}, targets=[metadata.nlu_target])
        parsed = nlu[metadata.nlu_target][0].as_dict(only_output_properties=True)
        tracker.update(UserUttered(text, parsed["intent"], parsed.get("entities", []), parsed), domain)
        core = runner.run(inputs={"__tracker__": tracker}, targets=[metadata.core_target])
        prediction = core[metadata.core_target]
        turns.append({
            "parse": parsed,
            "action": domain.action_names_or_texts[prediction.max_confidence_index],
            "probabilities": [round(p, 6) for p in prediction.probabilities],
            "policy": prediction.policy_name,
            "events": [without_time(e) for e in prediction.events + prediction.optional_events],
        })
        tracker.update(ActionExecuted("action_listen"), domain)
    return turns


from rasa.core import processor
from nlu_addons.rasa_main import install

install()
print(json.dumps({"dask": conversation(DaskGraphRunner), "sequential": conversation(SequentialGraphRunner),
                  "installed": processor.DaskGraphRunner is SequentialGraphRunner}, default=str))
"""


def test_sequential_runner_gives_dask_runners_parses_and_predictions() -> None:
    result = run_probe(PROBE)
    assert result["sequential"] == result["dask"]
    turns = result["sequential"]
    assert len(turns) == 12
    intents = [turn["parse"]["intent"]["name"] for turn in turns]
    assert intents[0] == "greet" and intents[1] == "order_status" and "faq" in intents  # a real model answered
    assert {turn["policy"] for turn in turns} == {"RulePolicy"}
    assert result["installed"]  # Rasa's entry point loads models through it
