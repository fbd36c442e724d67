"""The objects a server process builds while it starts (its modules, the model, the handbook, the web framework)
kept out of the cyclic garbage collector's work (issue 22).

A full collection walks every object the collector tracks: measured during 20 s of 50 customers without pause
(PostgreSQL + Redis, one Rasa), one full collection took ~250 ms of Rasa's CPU (0.75 ms a reply), ~130 ms of the
helpdesk's and ~95 ms of the action server's — almost all of it over start-up objects that live as long as the
process, and in Rasa's case a quarter-second stall of the event loop every customer waits through.
`freeze_start_up_heap` (called once the start-up work is done) collects what start-up left as garbage, then moves
every object still alive into the collector's permanent generation (`gc.freeze`): later collections skip them;
they are still freed by reference counting, and nothing created later is frozen.

`give_back_freed_memory` returns to the system the pages the C heap holds free after a big piece of work (loading
an ONNX graph, an embedding pass over many long texts: nlu_addons/onnx_encoder.py; the start-up, once frozen):
glibc's malloc keeps freed memory for later allocations, and after a pass's temporaries of tens of MB its heaps
held ~100 MB nothing used, for the life of the process (issue 22, the action server's memory;
tests/test_process_memory.py).
"""

from __future__ import annotations

import ctypes
import functools
import gc
import threading
from collections.abc import Callable

_LOCK = threading.Lock()
_frozen = False


def freeze_start_up_heap() -> bool:
    """The first call in the process: collect, then freeze what is alive (module docstring). Later calls do
    nothing. Whether this call froze."""
    global _frozen
    with _LOCK:
        if _frozen:
            return False
        _frozen = True
        gc.collect()
        gc.freeze()
        give_back_freed_memory()  # what start-up freed (the garbage just collected, its temporaries)
        return True


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def give_back_freed_memory() -> bool:
    """Hand the free pages of every C heap of the process back to the system (malloc_trim(0)): a few ms, for after
    a big piece of work, never per reply. Whether the C library could."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
