# How measured: from the project root, `TF_CPP_MIN_LOG_LEVEL=2 nice -n 10 .venv-rasa/bin/python <this file> OUT.prof`
# (bench/rasa_turn_calls.py's set-up, cProfile with the CPU clock, 180 messages counted).
import cProfile, time, sys, json
sys.path.insert(0, "bench")
import rasa_turn_calls as r
class P(cProfile.Profile):
    def __init__(self, *a, **k):
        super().__init__(time.process_time)
    def disable(self):
        super().disable()
        if not getattr(self, "_done", False):
            self._done = True
            self.dump_stats(sys.argv[1])
r.cProfile.Profile = P
print(json.dumps(r.measure(None, 180, 2)))
