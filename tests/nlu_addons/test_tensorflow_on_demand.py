"""`rasa run` loads no TensorFlow when the model names no TensorFlow component (nlu_addons/rasa_main.py
`tensorflow_on_demand`, issue 22: ~380 MB of the Rasa process's memory), and what needs TensorFlow still gets it.

The first test reads the memory map of the session stack's running Rasa process (started as `make run` starts it,
`python -m nlu_addons.rasa_main run ...`) after English and Chinese customers have talked to it through the chat API,
order check included: none of TensorFlow's libraries is in it. The second goes through the same entry point in a
fresh interpreter (`rasa run --help`) and then asks for what TensorFlow is needed for: a prediction graph naming TED
(as a model trained with it has), Rasa's training helpers, the shipped model's training graph, which is Rasa's own.
"""

from __future__ import annotations

from pathlib import Path

from support.chat import Chat, another_address, client_from
from support.probes import printed_json

from helpdesk.stack import Stack
from nlu_addons import RASA_PYTHON


def tensorflow_mappings(pid: int) -> list[str]:
    """The files of TensorFlow's package mapped into process `pid` (its shared libraries, once it is imported)."""
    paths = {line.split(maxsplit=5)[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines()}
    return sorted(path for path in paths if "/tensorflow/" in path or "libtensorflow" in path)


def test_the_running_rasa_answers_english_and_chinese_customers_without_tensorflow(stack: Stack) -> None:
    english = Chat(client_from(stack.url, another_address()))
    english("hi there")
    assert english.texts, english.last
    english("where is my order 100234")
    english("ann.lee@example.com")
    assert "100234" in english.text and "shipped" in english.text.lower(), english.texts
    chinese = Chat(client_from(stack.url, another_address()))
    chinese("你好，我的订单到哪了")
    assert "订单号" in chinese.text, chinese.texts
    process = stack.services["rasa"].process
    assert process is not None and process.poll() is None
    assert tensorflow_mappings(process.pid) == []


ENTRY = """
import json, sys
sys.argv = ["rasa", "run", "--help"]
from nlu_addons import rasa_main
try:
    rasa_main.main()
except SystemExit:
    pass
import rasa.core.run, rasa.core.agent  # what `rasa run` imports to serve
found = {"after_run_imports": "tensorflow" in sys.modules}

import copy
from rasa.engine.graph import GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.storage import ModelMetadata
# the shipped model's metadata as Rasa reads it when it loads the model
import tarfile, tempfile
from pathlib import Path
with tempfile.TemporaryDirectory() as where, tarfile.open("models/larkspur.tar.gz") as archive:
    archive.extractall(where)
    serialized = json.loads((Path(where) / "metadata.json").read_text())
metadata = ModelMetadata.from_dict(copy.deepcopy(serialized))
found["after_loading_metadata"] = "tensorflow" in sys.modules
rasas_own = GraphSchema.from_dict(copy.deepcopy(serialized["train_schema"]))
found["training_graph_is_rasas"] = (
    metadata.train_schema.as_dict() == rasas_own.as_dict() == serialized["train_schema"]
    and metadata.train_schema == rasas_own
    and sorted(metadata.train_schema.nodes) == sorted(rasas_own.nodes)
)
found["predict_graph_is_rasas"] = metadata.predict_schema == GraphSchema.from_dict(
    copy.deepcopy(serialized["predict_schema"])
)

ted = GraphSchema.from_dict({"nodes": {"ted": {
    "needs": {}, "uses": "rasa.core.policies.ted_policy.TEDPolicy", "constructor_name": "load",
    "fn": "predict_action_probabilities", "config": {}, "eager": True, "is_target": False, "is_input": False,
    "resource": None}}})
import tensorflow as tf
found["ted_is_a_keras_model_user"] = issubclass(
    sys.modules["rasa.core.policies.ted_policy"].TED, tf.keras.Model
) and ted.nodes["ted"].uses.__name__ == "TEDPolicy"

from rasa.utils import train_utils
callbacks = train_utils.create_common_callbacks(1, None, None, None)
found["training_helpers_work"] = [type(c).__name__ for c in callbacks] == ["RasaTrainingLogger"] and isinstance(
    callbacks[0], tf.keras.callbacks.Callback
)
found["tf_works"] = float(tf.reduce_sum(tf.constant([1.0, 2.0])))
print(json.dumps(found))
"""


def test_run_imports_tensorflow_only_for_what_needs_it() -> None:
    found = printed_json(str(RASA_PYTHON), ENTRY)
    assert found == {
        "after_run_imports": False,
        "after_loading_metadata": False,
        "training_graph_is_rasas": True,
        "predict_graph_is_rasas": True,
        "ted_is_a_keras_model_user": True,
        "training_helpers_work": True,
        "tf_works": 3.0,
    }
