"""nlu_addons/heap.py: once a server's start-up is done, what it built is kept out of the garbage collector's work
(issue 22). In a fresh interpreter of each virtualenv (the helpdesk's and action server's, and Rasa's): the first
call collects start-up's garbage and freezes the live objects; a later call does nothing; the collector then walks
only what was made after."""

from __future__ import annotations

import json
import subprocess
import sys

from support.rasa import run_probe

from nlu_addons import PROJECT_ROOT

PROBE = """
import gc, json, weakref
from nlu_addons.heap import freeze_start_up_heap

class Node:
    pass

def cycle():
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)

kept = [Node() for _ in range(1000)]
garbage = cycle()  # unreachable already, only a collection frees it
tracked_before = len(gc.get_objects())
first = freeze_start_up_heap()
frozen = gc.get_freeze_count()
second = freeze_start_up_heap()
later = [Node() for _ in range(10)]
print(json.dumps({
    "first": first, "second": second, "garbage_freed": garbage() is None,
    "frozen_at_least": frozen >= 1000, "frozen_again": gc.get_freeze_count() - frozen,
    "walked_after": len(gc.get_objects()), "tracked_before": tracked_before,
}))
"""


def check(found: dict[str, object]) -> None:
    assert found["first"] is True and found["second"] is False
    assert found["garbage_freed"] is True  # collected before the freeze, not kept for ever
    assert found["frozen_at_least"] is True and found["frozen_again"] == 0
    assert isinstance(found["walked_after"], int) and isinstance(found["tracked_before"], int)
    assert found["walked_after"] < found["tracked_before"] // 10  # the collector no longer walks start-up's objects


def test_the_start_up_heap_is_frozen_once_after_its_garbage_is_collected() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    check(json.loads(done.stdout.strip().splitlines()[-1]))


def test_rasas_virtualenv_freezes_the_same_way() -> None:
    check(run_probe(PROBE))


LEFT_FREE = """
import ctypes, json

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def left_free():
    # what the C heap still held free: the memory a trim hands back now
    before = rss_mb()
    ctypes.CDLL(None).malloc_trim(0)
    return round(before - rss_mb(), 1)

from nlu_addons import DEFAULT_MODEL_DIR
from nlu_addons.heap import freeze_start_up_heap
from nlu_addons.onnx_encoder import OnnxEncoder

encoder = OnnxEncoder(DEFAULT_MODEL_DIR)
after_load = left_free()
encoder.encode(["warm-up"])
start_up = [bytes(2000) + str(n).encode() for n in range(35_000)]  # start-up's temporaries (~70 MB) ...
kept = start_up[::64]  # ... among what it keeps
start_up.clear()
freeze_start_up_heap()
after_freeze = left_free()
print(json.dumps({"after_load": after_load, "after_freeze": after_freeze}))
"""


def test_loading_the_encoder_and_starting_up_leave_no_freed_memory_behind() -> None:
    """ONNX Runtime's load of MiniLM left ~28 MB of the parsed file free in the C heap for the process's life, and
    start-up's freed temporaries stayed too (issue 22): each hands them back (nlu_addons/heap.py)."""
    done = subprocess.run(
        [sys.executable, "-c", LEFT_FREE], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["after_load"] < 8 and found["after_freeze"] < 8, found
