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
