# How measured (lane cpu, 2026-12-07d): from the project root, `nice -n 10 .venv/bin/python <this file>`; the profile
# goes to /tmp/cpuwork/turn.prof; `group.py /tmp/cpuwork/turn.prof 200` sums it by package (turn-profile-by-package.txt).
import asyncio, cProfile, pstats, sys, os
sys.path.insert(0, "bench")
import helpdesk_turn_cpu as h
from scale_bench import postgres_database
from helpdesk.db.engine import migrate

orig_rounds = h.rounds
async def prof_rounds(url, versions, turns, count):
    # monkeypatch cProfile.Profile to dump stats
    return await orig_rounds(url, versions, turns, count)

class P(cProfile.Profile):
    def __init__(self, *a, **k):
        import time; super().__init__(time.process_time)
    def disable(self):
        super().disable()
        if not getattr(self, "_done", False):
            self._done = True
            self.dump_stats("/tmp/cpuwork/turn.prof")
h.cProfile.Profile = P
with postgres_database("turn_prof") as url:
    migrate(url)
    print(asyncio.run(h.rounds(url, {"tree": h.current_chat}, 200, 1)))
