"""In one process, alternated: a bot turn's forms of its 3 messages (the customer's and 2 replies) as main built them
(to_public for the widget, to_agent building to_public again, to_public again for the answer) and as the lane builds
them (to_public once, to_agent on it). Process CPU (time.process_time) per turn, 7 rounds of 20,000 turns each."""
import statistics, time, json, sys
from datetime import datetime, timezone
from helpdesk.db.models import Message
msgs = [
    Message(id=1, conversation_id="c1", sender="customer", text="how long is delivery", language="en",
            created_at=datetime.now(timezone.utc), asks_feedback=False),
    Message(id=2, conversation_id="c1", sender="bot", text="Delivery takes 3-5 working days.", buttons=None,
            faq={"id": "delivery-time", "score": 0.9}, created_at=datetime.now(timezone.utc), asks_feedback=True),
    Message(id=3, conversation_id="c1", sender="bot", text="Anything else?", buttons=[{"title": "No", "payload": "/goodbye"}],
            created_at=datetime.now(timezone.utc), asks_feedback=False),
]
def main_way():
    for m in msgs:
        m.to_public(); m.to_agent(None); m.to_public()
def lane_way():
    for m in msgs:
        p = m.to_public(); m.to_agent(None, p)
N = 20000
res = {"main": [], "lane": []}
for r in range(7):
    for name, fn in (("main", main_way), ("lane", lane_way)):
        t = time.process_time()
        for _ in range(N): fn()
        res[name].append(round((time.process_time() - t) / N * 1e6, 2))
out = {k: {"us_per_turn": v, "min": min(v), "median": statistics.median(v)} for k, v in res.items()}
print(json.dumps(out))
