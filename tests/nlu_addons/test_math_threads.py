"""Every server process runs numpy's BLAS on one thread (nlu_addons/environment.py `one_math_thread`): OpenBLAS's
default, a worker per core, spins after each small product and burnt more CPU than the replies themselves.

Checked as the processes start: Rasa through its entry point (`python -m nlu_addons.rasa_main`, here with
`--version`), the action server and the helpdesk by importing their modules first, as `python -m` does; each in a
fresh interpreter whose environment sets no thread count.
"""

from __future__ import annotations

import os
import sys

from support.probes import printed_json

from nlu_addons import RASA_PYTHON
from nlu_addons.environment import ONE_MATH_THREAD

BLAS_THREADS = """
import json
import numpy, scipy.linalg
from threadpoolctl import threadpool_info
print(json.dumps(sorted({p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"})))
"""

RASA_ENTRY = """
import sys
sys.argv = ["rasa", "--version"]
from nlu_addons import rasa_main
try:
    rasa_main.main()
except SystemExit:
    pass
"""


def blas_threads(python: str, source: str) -> list[int]:
    """The BLAS thread counts numpy and scipy use after `source` ran in a fresh `python`."""
    env = {k: v for k, v in os.environ.items() if k not in ONE_MATH_THREAD}
    found: list[int] = printed_json(python, source + BLAS_THREADS, env)
    return found


def test_rasa_entry_point_uses_one_blas_thread() -> None:
    assert blas_threads(str(RASA_PYTHON), RASA_ENTRY) == [1]


def test_action_server_and_helpdesk_use_one_blas_thread() -> None:
    for module in ("helpdesk.action_server", "helpdesk.__main__"):
        assert blas_threads(sys.executable, f"import {module}\n") == [1], module


def test_an_operators_choice_is_kept() -> None:
    environ = {"OPENBLAS_NUM_THREADS": "4"}
    from nlu_addons.environment import one_math_thread

    one_math_thread(environ)
    assert environ["OPENBLAS_NUM_THREADS"] == "4" and environ["OMP_NUM_THREADS"] == "1"


RASA_IMPORTS = (
    RASA_ENTRY
    + """
import rasa.core.run, rasa.core.agent, rasa.model_training  # what `rasa run` and `rasa train` import
import tensorflow as tf
from tensorflow.lite.python import util as tflite_util
maps = open("/proc/self/maps").read()
print(json.dumps({
    "jax": sys.modules.get("jax") is not None,
    "xla": "xla_extension" in maps,
    "tflite_jax_hook": tflite_util._xla_computation is not None,
    "tf_works": float(tf.reduce_sum(tf.constant([1.0, 2.0]))),
}))
"""
)


def test_rasa_entry_point_leaves_jax_out_and_tensorflow_works() -> None:
    """TensorFlow imports JAX (and its 100-MB XLA library) when it is installed; Rasa's processes never use it."""
    found = printed_json(str(RASA_PYTHON), "import json\n" + RASA_IMPORTS, dict(os.environ))
    assert found == {"jax": False, "xla": False, "tflite_jax_hook": False, "tf_works": 3.0}
