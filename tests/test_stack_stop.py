"""`make run` stops on Ctrl-C or SIGTERM (helpdesk/stack.py ``StopRequest``). Its handler used to set a
``threading.Event``: a signal landing while the main thread held the event's own lock inside ``Event.wait`` deadlocked
the stack for good (seen 2026-12-07: a SIGTERM left ``python -m helpdesk.stack`` in a futex wait, its services still
serving and their ports taken). Signals here are delivered by a timer to this very process, many of them during the
waits, as the supervisor's loop waits."""

from __future__ import annotations

import faulthandler
import signal
import time
from collections.abc import Iterator

import pytest

from helpdesk.stack import StopRequest


@pytest.fixture()
def alarm() -> Iterator[None]:
    before = signal.getsignal(signal.SIGALRM)
    faulthandler.dump_traceback_later(30, exit=True)  # a deadlock ends the worker with its traceback, not a hang
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
        faulthandler.cancel_dump_traceback_later()


def test_a_signal_during_the_wait_stops_the_loop_within_a_second(alarm: None) -> None:
    stopping = StopRequest()
    signal.signal(signal.SIGALRM, stopping)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    started = time.monotonic()
    rounds = 0
    while not stopping.requested:
        rounds += 1
        stopping.wait(1.0)
    assert stopping.requested and rounds <= 2 and time.monotonic() - started < 2.5


def test_signals_arriving_without_pause_never_hang_the_wait(alarm: None) -> None:
    stopping = StopRequest()
    signal.signal(signal.SIGALRM, stopping)
    signal.setitimer(signal.ITIMER_REAL, 0.0002, 0.0002)  # a signal every 0.2 ms, landing anywhere in the wait
    for _ in range(2000):
        stopping.requested = False
        stopping.wait(0.001)
    signal.setitimer(signal.ITIMER_REAL, 0)
    assert stopping.wait(0.0)
