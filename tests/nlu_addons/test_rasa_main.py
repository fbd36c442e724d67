"""nlu_addons.rasa_main: each runtime fix gives Rasa's own outcome (response check, event lookup, shared sessions).

Rasa lives in `.venv-rasa`, so each check runs there in a child process that prints its result as JSON.
"""

from __future__ import annotations

from support.rasa import run_probe

PROBE = r"""
import json
from unittest import mock

import jsonschema
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from nlu_addons.rasa_main import install_action_result_validator

responses = [
    {"events": [{"event": "slot", "name": "order_id", "value": "100234"}], "responses": [{"text": "hi"}]},
    {"events": [{"event": "active_loop", "name": None}], "responses": []},
    {"events": [{"event": "slot"}], "responses": []},
    {"events": "not a list"},
    {"responses": [42]},
]


def outcome(action, response):
    try:
        return {"valid": action._validate_action_result(response)}
    except ValidationError as exc:
        return {"valid": False, "message": exc.message}


action = RemoteAction.__new__(RemoteAction)
before = [outcome(action, r) for r in responses]
install_action_result_validator()
install_action_result_validator()  # a second install keeps the first
with mock.patch.object(jsonschema, "validate", wraps=jsonschema.validate) as validate:
    after = [outcome(action, r) for r in responses]
print(json.dumps({"before": before, "after": after, "validate_calls": validate.call_count}))
"""


def test_compiled_check_gives_rasa_outcome_and_message() -> None:
    result = run_probe(PROBE)
    assert result["after"] == result["before"]
    assert [o["valid"] for o in result["after"]] == [True, True, False, False, False]
    assert all("Failed to validate Action server response" in o["message"] for o in result["after"][2:])
    # valid responses no longer go through jsonschema.validate (and its meta-schema check); the three invalid
    # ones do, once each, for Rasa's error message
    assert result["validate_calls"] == 3


EVENTS_PROBE = r"""
import json

from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from nlu_addons.rasa_main import install_action_result_validator

events = [
    {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 1.0}}},
    {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
    {"event": "slot", "name": "order_id", "value": "100234"},
    {"event": "slot", "name": 7, "value": "x"},
    {"event": "slot", "value": "no name"},
    {"event": "bot", "text": "hello", "data": {"buttons": []}},
    {"event": "bot", "text": 5},
    {"event": "active_loop", "name": None},
    {"event": "active_loop", "name": "order_form"},
    {"event": "followup", "name": "action_x"},
    {"event": "followup"},
    {"event": "reset_slots"},
    {"event": "restart"},
    {"event": "session_started"},
    {"event": "rewind"},
    {"event": "undo"},
    {"event": "form", "name": "f"},
    {"event": "loop_interrupted", "is_interrupted": True},
    {"event": "reminder", "intent": "x", "date_time": "2026-12-03T10:00:00"},
    {"event": "entities", "entities": [{"entity": "order_id", "value": "1"}]},
    {"event": "no_such_event"},
    {"event": 3},
    {"name": "no event key"},
    {"event": "slot", "name": "order_id", "value": "1", "timestamp": "not a number"},
    {"event": "action", "name": "x", "metadata": []},
    "not an object",
]
responses = [{"events": [e], "responses": []} for e in events]
responses += [{"events": events[:3]}, {"responses": [{"text": "hi"}]}, {}, {"events": None}]
responses += [{"events": [events[0], events[4]]}]


def outcome(action, response):
    try:
        return {"valid": action._validate_action_result(response)}
    except ValidationError as exc:
        return {"valid": False, "message": exc.message}


action = RemoteAction.__new__(RemoteAction)
before = [outcome(action, r) for r in responses]
install_action_result_validator()
after = [outcome(action, r) for r in responses]
print(json.dumps({"before": before, "after": after}))
"""


def test_each_event_checked_against_its_own_kind_gives_rasas_outcome_and_message() -> None:
    result = run_probe(EVENTS_PROBE)
    assert result["after"] == result["before"]
    valid = [o["valid"] for o in result["after"]]
    assert valid.count(True) >= 15 and valid.count(False) >= 8  # both kinds were tried


EVENT_PROBE = r"""
import json

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from nlu_addons.rasa_main import install_event_type_lookup


def outcome(name, default=None):
    try:
        found = Event.resolve_by_type(name, default)
        return found.__name__ if found is not None else None
    except ValueError as exc:
        return "error: " + str(exc)


names = sorted({cls.type_name for cls in all_subclasses(Event)}) + ["topic", "no_such_event"]
before = {name: outcome(name) for name in names}
default_before = outcome("no_such_event", Event)
install_event_type_lookup()
install_event_type_lookup()
after = {name: outcome(name) for name in names}


class LateEvent(Event):  # a class imported after the lookup was built is still found
    type_name = "late_event_for_probe"

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    def as_story_string(self):
        return None


events = [{"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 1.0}}},
          {"event": "slot", "name": "order_id", "value": "100234"}, {"event": "action", "name": "action_listen"}]
print(json.dumps({"names": len(names), "before": before, "after": after, "default_before": default_before,
                  "default_after": outcome("no_such_event", Event), "late": outcome("late_event_for_probe"),
                  "parsed": [type(Event.from_parameters(e)).__name__ for e in events]}))
"""


def test_event_lookup_gives_rasa_classes() -> None:
    result = run_probe(EVENT_PROBE)
    assert result["names"] > 20
    assert result["after"] == result["before"]
    assert result["after"]["user"] == "UserUttered" and result["after"]["slot"] == "SlotSet"
    assert result["after"]["topic"] is None
    assert result["after"]["no_such_event"] == "error: Unknown event name 'no_such_event'."
    assert result["default_after"] == result["default_before"] == "Event"
    assert result["late"] == "LateEvent"
    assert result["parsed"] == ["UserUttered", "SlotSet", "ActionExecuted"]


SESSION_PROBE = r"""
import asyncio
import json

from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from nlu_addons.rasa_main import install_shared_endpoint_sessions

connections = []


async def handler(request):
    connections.append(request.transport.get_extra_info("peername")[1])  # the client side port: one per connection
    body = await request.json()
    return web.json_response({"echo": body, "token": request.query.get("token"), "auth": request.headers.get("X-Key")})


async def main():
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", token="secret", headers={"X-Key": "k1"})

    bodies = [
        {"n": 0},
        {"n": 1, "text": "我的订单 100234 / où est-il?", "confidence": 0.1 + 1 / 3, "url": "https://shop.example/a/b"},
        {"n": 2, "big": 2**70, "none": None, "nested": [{"x": 1.5e-7}, True]},  # ujson cannot write 2**70
    ]
    plain = [await endpoint.request(json=body) for body in bodies]
    plain_connections = len(set(connections))
    connections.clear()
    install_shared_endpoint_sessions()
    install_shared_endpoint_sessions()
    shared = [await endpoint.request(json=body) for body in bodies]
    async with endpoint.session() as first:
        pass
    async with endpoint.session() as second:
        pass
    result = {"plain": plain, "shared": shared, "plain_connections": plain_connections,
              "shared_connections": len(set(connections)), "same_session": first is second,
              "open_after_exit": not first.closed}
    await first.close()
    await runner.cleanup()
    return result


print(json.dumps(asyncio.run(main())))
"""


def test_endpoint_requests_share_one_kept_alive_connection_and_send_the_same_json() -> None:
    result = run_probe(SESSION_PROBE)
    # same answers, token and headers as Rasa's own sessions; the bodies (written by ujson, or by json where ujson
    # cannot) read back as the same values: non-ASCII text, floats, slashes, integers beyond 64 bits
    assert result["shared"] == result["plain"]
    assert result["shared"][0] == {"echo": {"n": 0}, "token": "secret", "auth": "k1"}
    assert result["shared"][1]["echo"]["text"] == "我的订单 100234 / où est-il?"
    assert result["shared"][1]["echo"]["confidence"] == 0.1 + 1 / 3 and result["shared"][2]["echo"]["big"] == 2**70
    assert result["plain_connections"] == 3  # Rasa alone: a new connection per request
    assert result["shared_connections"] == 1
    assert result["same_session"] and result["open_after_exit"]


RULE_KEYS_PROBE = r"""
import json
import random

from rasa.core.policies.rule_policy import RulePolicy

from nlu_addons.rasa_main import install_rule_key_memo

rng = random.Random(7)
INTENTS, ACTIONS, SLOTS = ["greet", "faq", "order_status", "inform"], ["action_listen", "utter_greet", "order_form",
    "action_answer_faq"], ["order_id", "email"]


def state(starter=False):
    found = {"user": {"intent": rng.choice(INTENTS)}} if rng.random() < 0.7 else {}
    if not starter:
        found["prev_action"] = {"action_name": rng.choice(ACTIONS)}
    if rng.random() < 0.4:
        found["slots"] = {rng.choice(SLOTS): rng.choice([(1.0,), (0.0,), "should_not_be_set"])}
    if rng.random() < 0.2:
        found["active_loop"] = {"name": rng.choice(["order_form", "should_not_be_set"])}
    return found


lookup = {}
for _ in range(60):  # rules of 1 to 4 states, some starting a conversation
    rule = [state(starter=rng.random() < 0.2)] + [state() for _ in range(rng.randint(0, 3))]
    lookup[json.dumps(rule)] = rng.choice(ACTIONS)
conversations = [[state(starter=True)] + [state() for _ in range(n)] for n in range(0, 12) for _ in range(25)]
conversations += conversations[:50]  # the same latest states again: answered from the memo

policy = object.__new__(RulePolicy)  # the filter reads only the rules given to it
expected = [sorted(RulePolicy._get_possible_keys(policy, lookup, states)) for states in conversations]
install_rule_key_memo()
install_rule_key_memo()
got = [sorted(policy._get_possible_keys(lookup, states)) for states in conversations]
changed = dict(lookup)
changed.pop(next(iter(changed)))  # another lookup (a reloaded model): answered for itself
again = [sorted(policy._get_possible_keys(changed, states)) for states in conversations[:40]]
print(json.dumps({"same": got == expected, "matching": sum(map(len, expected)),
                  "changed_same": again == [sorted(k for k in e if k in changed) for e in expected[:40]],
                  "remembered": len(policy.__dict__["_larkspur_rule_keys"]), "asked": len(conversations)}))
"""


def test_the_rule_filter_on_the_latest_states_gives_rasas_keys() -> None:
    result = run_probe(RULE_KEYS_PROBE)
    assert result["same"] and result["changed_same"]
    assert result["matching"] > 100  # rules matched, not only empty answers
    assert result["remembered"] < result["asked"]  # repeated latest states are answered from memory


# the set-up both replay probes share: the project's domain, with two slots that are part of the dialogue state (none of
# the project's are), and what a random conversation draws from it (its probe adds its own `rng`)
PROBE_DOMAIN = r"""
FEATURIZED = '''
version: "3.1"
slots:
  probe_flag: {type: bool, influence_conversation: true, mappings: [{type: custom}]}
  probe_kind: {type: categorical, values: [en, zh], influence_conversation: true, mappings: [{type: custom}]}
'''
domain = Domain.load("domain.yml").merge(Domain.from_yaml(FEATURIZED))
intents, forms = list(domain.intents), list(domain.form_names)
actions = [a for a in domain.action_names_or_texts if not a.startswith("validate_")][:40]
slots = [s for s in domain.slots if s.name != "requested_slot"]
slots += [s for s in slots if s.name.startswith("probe_")] * 10  # set often
"""

HISTORY_PROBE = (
    r"""
import json
import random

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActionReverted, ActiveLoop, FollowupAction, SlotSet,
    UserUttered, UserUtteranceReverted)
from rasa.shared.core.trackers import DialogueStateTracker

from nlu_addons.rasa_main import install_shared_history

"""
    + PROBE_DOMAIN
    + r"""
rng = random.Random(5)


def event():
    roll = rng.random()
    if roll < 0.3:
        said = UserUttered("hi", intent={"name": rng.choice(intents), "confidence": 1.0})
        return [ActionExecuted("action_listen"), said]
    if roll < 0.6:
        return [ActionExecuted(rng.choice(actions), hide_rule_turn=rng.random() < 0.4)]
    if roll < 0.75:
        slot = rng.choice(slots)
        return [SlotSet(slot.name, rng.choice([None, "100234", True, 1.0, "en", "zh"]))]
    if roll < 0.85:
        return [ActiveLoop(rng.choice([*forms, None]))]
    if roll < 0.9:
        return [FollowupAction(rng.choice(actions))]
    return [rng.choice([UserUtteranceReverted(), ActionReverted()])]


conversations = []
for n in range(60):
    events = [ActionExecuted("action_listen")]
    for _ in range(rng.randint(0, 25)):
        events += event()
    conversations.append(DialogueStateTracker.from_events(f"c{n}", events, domain.slots))
rule_only = {"rule_only_slots": ["probe_kind"], "rule_only_loops": forms[:1]}
variants = [(o, i, r) for o in (False, True) for i in (False, True) for r in (None, rule_only)]


def all_states():
    return [[domain.states_for_tracker_history(t, o, i, r) for o, i, r in variants] for t in conversations]


expected = all_states()
for tracker in conversations[:20]:  # the same tracker objects with one more event: a history of its own
    tracker.update(ActionExecuted("action_listen"))
expected_more = [[domain.states_for_tracker_history(t, o, i, r) for o, i, r in variants] for t in conversations[:20]]
for tracker in conversations[:20]:
    tracker.events.pop()
install_shared_history()
install_shared_history()
got, again = all_states(), all_states()
with_slots = sum(1 for row in expected for state in row[0] if state.get("slots"))
got_more = []
for tracker in conversations[:20]:  # kept, then one more event: replayed again
    domain.states_for_tracker_history(tracker, False, False, None)
    tracker.update(ActionExecuted("action_listen"))
    got_more.append([domain.states_for_tracker_history(tracker, o, i, r) for o, i, r in variants])
print(json.dumps({"same": got == expected, "again": again == expected, "more": got_more == expected_more,
                  "states": sum(len(s) for row in expected for s in row),
                  "hidden": sum(len(row[0]) - len(row[2]) for row in expected), "with_slots": with_slots}))
"""
)


def test_one_replay_of_the_history_gives_each_policy_rasas_states() -> None:
    result = run_probe(HISTORY_PROBE)
    assert result["same"] and result["again"] and result["more"]
    assert result["states"] > 1000 and result["hidden"] > 0  # long histories, some rule-only turns left out
    assert result["with_slots"] > 100  # states with slots, some of them removed for the memoization policy


GROWING_HISTORY_PROBE = (
    r"""
import json
import random

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActionReverted, ActiveLoop, FollowupAction, Restarted,
    SessionStarted, SlotSet, UserUttered, UserUtteranceReverted)
from rasa.shared.core.trackers import DialogueStateTracker

from nlu_addons.rasa_main import install_shared_history

"""
    + PROBE_DOMAIN
    + r"""
rng = random.Random(11)


def turn(plain):
    # what a conversation adds between two predictions; `plain`: only messages, actions and slots (no undo, new
    # session, restart, form or follow-up)
    roll = rng.random() if not plain else rng.random() * 0.75
    if roll < 0.3:
        said = UserUttered("hi", intent={"name": rng.choice(intents), "confidence": 1.0})
        return [ActionExecuted("action_listen"), said]
    if roll < 0.55:
        name = rng.choice(actions if not plain else [a for a in actions if a not in forms])
        return [ActionExecuted(name, hide_rule_turn=rng.random() < 0.4)]
    if roll < 0.75:
        slot = rng.choice(slots)
        return [SlotSet(slot.name, rng.choice([None, "100234", True, 1.0, "en", "zh"]))]
    if roll < 0.83:  # a form runs: activated, executed again and again, deactivated
        form = rng.choice(forms)
        return [ActiveLoop(form), ActionExecuted(form), ActionExecuted(form), ActiveLoop(None)][: rng.randint(1, 4)]
    if roll < 0.88:
        return [FollowupAction(rng.choice(actions))]
    if roll < 0.95:
        return [rng.choice([UserUtteranceReverted(), ActionReverted()])]
    return [rng.choice([Restarted(), SessionStarted()]), ActionExecuted("action_listen")]


rule_only = {"rule_only_slots": ["probe_kind"], "rule_only_loops": forms[:1]}
variants = [(o, i, r) for o in (False, True) for i in (False, True) for r in (None, rule_only)]
rasas = Domain.states_for_tracker_history
install_shared_history()
ours = Domain.states_for_tracker_history

replayer_updates = 0
counting = False
update = DialogueStateTracker.update


def counted_update(self, event, domain=None):  # events applied to a tracker while ours replays
    global replayer_updates
    replayer_updates += counting
    return update(self, event, domain)


def ours_counted(*args):
    global counting
    counting = True
    try:
        return ours(*args)
    finally:
        counting = False


DialogueStateTracker.update = counted_update
differences = predictions = 0
plain_events = plain_updates = 0
for n in range(80):
    plain = n % 4 == 0
    tracker = DialogueStateTracker.from_events(f"g{n}", [ActionExecuted("action_listen")], domain.slots)
    before = replayer_updates
    for _ in range(rng.randint(5, 40)):  # the tracker object grows as in a conversation: predictions in between
        for event in turn(plain):
            tracker.update(event)
        for o, i, r in variants:
            predictions += 1
            differences += ours_counted(domain, tracker, o, i, r) != rasas(domain, tracker, o, i, r)
    if plain:
        plain_events += len(tracker.events)
        plain_updates += replayer_updates - before
print(json.dumps({"predictions": predictions, "differences": differences, "plain_events": plain_events,
                  "plain_updates": plain_updates}))
"""
)


def test_a_growing_conversation_replays_only_its_new_events_and_gets_rasas_states() -> None:
    result = run_probe(GROWING_HISTORY_PROBE)
    assert result["predictions"] > 10_000 and result["differences"] == 0
    # conversations with no undo, restart or form: each event replayed once per kept history (with and without
    # unset slots), where a full replay at each prediction applies every event before it again
    assert result["plain_events"] > 300
    assert result["plain_updates"] == 2 * result["plain_events"]


DEBUG_COPIES_PROBE = r"""
import asyncio
import copy
import importlib
import inspect
import io
import json
import logging
import sys

from rasa.core.agent import Agent
from rasa.utils.log_utils import configure_structlog

from nlu_addons.rasa_main import DEBUG_COPY_MODULES, copies_only_for_debug_lines, install, install_quiet_debug_copies

OTHER_USE = "rasa.core.actions.action"  # copies a user event it changes: not only for a debug line
written = io.StringIO()
sys.stdout = written  # where Rasa's log lines go (logging.basicConfig(stream=sys.stdout))
configure_structlog(LEVEL)  # once, before anything is logged, as `rasa run` does
install()
install_quiet_debug_copies()  # twice: idempotent
agent = Agent.load("models/larkspur.tar.gz")
modules = {name: importlib.import_module(name) for name in DEBUG_COPY_MODULES}
copies = []
deepcopy = copy.deepcopy


def counted(value, memo=None):
    caller = sys._getframe(1).f_globals.get("__name__")
    if caller in modules or caller == "nlu_addons.rasa_main":
        copies.append(caller)
    return deepcopy(value, memo)


copy.deepcopy = counted


async def turns():
    answers = []
    for n, text in enumerate(["hi", "hello there", "hi"]):
        answers += [m.get("text") for m in await agent.handle_text(text, sender_id=f"c{n}") or []]
    return answers


answers = asyncio.run(turns())
sys.stdout = sys.__stdout__
print(json.dumps({
    "checked": {name: copies_only_for_debug_lines(inspect.getsource(module)) for name, module in modules.items()},
    "other_use_kept": not copies_only_for_debug_lines(inspect.getsource(importlib.import_module(OTHER_USE))),
    "copies": len(copies), "answers": answers,
    "lines": "processor.actions.log" in written.getvalue() and "memoization.predict.actions" in written.getvalue(),
}))
"""


def test_debug_lines_copy_their_values_only_when_debug_lines_are_written() -> None:
    info = run_probe(DEBUG_COPIES_PROBE.replace("LEVEL", "logging.INFO"))
    debug = run_probe(DEBUG_COPIES_PROBE.replace("LEVEL", "logging.DEBUG"))
    assert all(info["checked"].values()) and info["other_use_kept"]
    # at the info level (how `make run` starts Rasa) no copy is made for lines nobody writes; at debug level the
    # lines are written with their copies; the customers get the same answers
    assert info["copies"] == 0 and not info["lines"]
    assert debug["copies"] > 10 and debug["lines"]
    assert info["answers"] == debug["answers"] and len(info["answers"]) >= 3


ONE_WRITE_PROBE = r"""
import asyncio
import json
from asyncio import selector_events

import aiohttp

from nlu_addons.rasa_main import install_one_write_requests

writes = []  # the client's socket writes (the server's answers are left out)
server_port = None
original_write = selector_events._SelectorSocketTransport.write


def counted_write(self, data):
    if self.get_extra_info("sockname")[1] != server_port:
        writes.append(len(data))
    return original_write(self, data)


selector_events._SelectorSocketTransport.write = counted_write
received = []


async def serve(reader, writer):  # HTTP/1.1 by hand: what arrives, byte for byte
    while True:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        body = await reader.readexactly(length)
        received.append((head + body).decode())
        answer = json.dumps({"length": length}).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                     % (len(answer), answer))
        await writer.drain()


async def requests(port):
    counts, answers = [], []
    async with aiohttp.ClientSession() as session:
        for method, body in (("POST", {"tracker": {"events": [{"event": "user", "text": "où est 100234?"}] * 50}}),
                             ("GET", None), ("POST", {"n": 1})):
            writes.clear()
            async with session.request(method, f"http://127.0.0.1:{port}/webhook", json=body) as response:
                answers.append(await response.json())
            counts.append(len(writes))
    return counts, answers


async def main():
    global server_port
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server_port = server.sockets[0].getsockname()[1]
    before, before_answers = await requests(port)
    before_bytes = list(received)
    received.clear()
    install_one_write_requests()
    install_one_write_requests()
    after, after_answers = await requests(port)
    server.close()
    return {"before": before, "after": after, "same_answers": after_answers == before_answers,
            "same_bytes": received == before_bytes, "requests": len(received)}


print(json.dumps(asyncio.run(main())))
"""


def test_a_request_is_one_socket_write_with_the_same_bytes() -> None:
    """An action call (a POST with its JSON) goes out in one socket write instead of two (head, then body); a request
    without a body is still sent whole; the server reads the same bytes and gives the same answers."""
    result = run_probe(ONE_WRITE_PROBE)
    assert result["before"] == [2, 1, 2]  # aiohttp 3.9 alone: the head, then the body
    assert result["after"] == [1, 1, 1]
    assert result["same_answers"] and result["same_bytes"] and result["requests"] == 3


COPY_PROBE = r"""
import json
import random

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActionReverted, ActiveLoop, BotUttered, ConversationPaused,
    ConversationResumed, FollowupAction, LoopInterrupted, Restarted, SessionStarted, SlotSet, UserUttered,
    UserUtteranceReverted)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from nlu_addons.rasa_main import install_direct_tracker_copy

domain = Domain.load("domain.yml")
rng = random.Random(11)
intents, forms = list(domain.intents), list(domain.form_names)
actions = [a for a in domain.action_names_or_texts if not a.startswith("validate_")][:40]
slots = list(domain.slots)


def event():
    roll = rng.random()
    if roll < 0.25:
        said = UserUttered("hi", intent={"name": rng.choice(intents), "confidence": 1.0})
        return [ActionExecuted("action_listen"), said]
    if roll < 0.45:
        return [ActionExecuted(rng.choice(actions)), BotUttered(f"reply {rng.random()}")]
    if roll < 0.65:
        return [SlotSet(rng.choice(slots).name, rng.choice([None, "100234", True, 1.0, "en", ["a", "b"]]))]
    if roll < 0.75:
        return [ActiveLoop(rng.choice([*forms, None]))]
    if roll < 0.8:
        return [LoopInterrupted(rng.random() < 0.5)]
    if roll < 0.85:
        return [FollowupAction(rng.choice(actions))]
    if roll < 0.9:
        return [rng.choice([ConversationPaused(), ConversationResumed()])]
    if roll < 0.95:
        return [rng.choice([Restarted(), SessionStarted()])]
    return [rng.choice([UserUtteranceReverted(), ActionReverted()])]


def latest(tracker, found):  # the latest message or bot utterance: an event of the tracker, or an empty one (reset)
    if any(found is event for event in tracker.events):
        return id(found)
    return [type(found).__name__, found.text, found.as_dict().get("data") or found.as_dict().get("parse_data")]


def state(tracker):
    return {"current": tracker.current_state(EventVerbosity.ALL), "paused": tracker._paused,
            "slots": {name: [repr(slot.value), slot.has_been_set] for name, slot in tracker.slots.items()},
            "events": [id(e) for e in tracker.events], "latest": [latest(tracker, tracker.latest_message),
            latest(tracker, tracker.latest_bot_utterance)], "rule": tracker.is_rule_tracker,
            "sender": tracker.sender_id}


trackers = []
for n in range(80):
    events = [ActionExecuted("action_listen")]
    for _ in range(rng.randint(0, 30)):
        events += event()
    tracker = DialogueStateTracker.from_events(f"c{n}", events, domain.slots)
    for extra in event():  # and changed the way Rasa changes a tracker during a turn
        tracker.update(extra)
    trackers.append(tracker)
rasa = [state(t.copy()) for t in trackers]
install_direct_tracker_copy()
install_direct_tracker_copy()
direct = [t.copy() for t in trackers]
same = [state(c) for c in direct] == rasa
before = [state(t) for t in trackers]
for twin in direct:  # the copy's changes are its own
    twin.update(SlotSet(slots[0].name, "changed"))
    twin.update(LoopInterrupted(not twin.active_loop.is_interrupted) if twin.active_loop else Restarted())
    twin.update(ActiveLoop(forms[0]))
    twin.update(ActionExecuted("action_listen"))
print(json.dumps({"same": same, "originals_unchanged": [state(t) for t in trackers] == before,
                  "events": sum(len(t.events) for t in trackers),
                  "with_loop": sum(1 for t in trackers if t.active_loop),
                  "paused": sum(1 for t in trackers if t.is_paused())}))
"""


def test_a_tracker_copied_from_its_state_is_rasas_replayed_copy() -> None:
    result = run_probe(COPY_PROBE)
    assert result["same"]  # the state, slots (values and whether set), events and latest messages of Rasa's copy
    assert result["originals_unchanged"]
    assert result["events"] > 1000 and result["with_loop"] > 5 and result["paused"] > 0


STATE_PROBE = r"""
import dataclasses
import json

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, LoopInterrupted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from nlu_addons.rasa_main import install_shared_trigger_message

domain = Domain.load("domain.yml")
forms = list(domain.form_names)
intents = list(domain.intents)


def parse(text, n):  # a parse as the project's NLU gives it: the ranking, entities, the route with candidates
    return {
        "intent": {"name": intents[n % len(intents)], "confidence": 0.91},
        "intent_ranking": [{"name": name, "confidence": 0.01 * i} for i, name in enumerate(intents)],
        "entities": [{"entity": "order_id", "value": "100234"}, {"entity": "language", "value": "en"}],
        "route": {"destination": "order_status", "confidence": 0.91, "language": "en",
                  "faq_candidates": [{"id": f"entry-{i}", "score": 0.5 - 0.01 * i} for i in range(10)]},
        "text": text, "message_id": f"m{n}", "metadata": {"client_address": "127.0.0.1"},
    }


trackers = []
for n in range(12):
    events = [ActionExecuted("action_listen"), UserUttered(f"where is order 10023{n}", parse_data=parse("x", n))]
    if n % 4:
        events += [ActiveLoop(forms[n % len(forms)]), SlotSet("requested_slot", "order_id")]
    if n % 3 == 0:
        events.append(LoopInterrupted(True))
    trackers.append(DialogueStateTracker.from_events(f"c{n}", events, domain.slots))

copies = []
original_inner = dataclasses._asdict_inner


def counted(*args, **kwargs):
    copies.append(1)
    return original_inner(*args, **kwargs)


dataclasses._asdict_inner = counted
verbosities = [EventVerbosity.NONE, EventVerbosity.APPLIED, EventVerbosity.ALL]
rasa = [json.dumps(t.current_state(v), sort_keys=True) for t in trackers for v in verbosities]
rasa_copies = len(copies)
install_shared_trigger_message()
install_shared_trigger_message()
copies.clear()
shared = [json.dumps(t.current_state(v), sort_keys=True) for t in trackers for v in verbosities]
loops = [t.active_loop for t in trackers]
print(json.dumps({"same": shared == rasa, "rasa_copies": rasa_copies, "copies": len(copies),
                  "with_loop": sum(1 for t in trackers if t.active_loop and t.active_loop.name),
                  "loops_kept": [t.active_loop for t in trackers] == loops}))
"""


def test_the_state_for_an_action_call_shares_the_forms_trigger_message_and_is_rasas_json() -> None:
    """While a form runs, every action call carries the tracker's state: the same JSON as Rasa's, without a deep copy
    of the message that started the form (Rasa's `dataclasses.asdict`: hundreds of values copied a call)."""
    result = run_probe(STATE_PROBE)
    assert result["same"] and result["loops_kept"]
    assert result["with_loop"] >= 6
    assert result["rasa_copies"] > 1000  # Rasa's way, value by value
    assert result["copies"] == 0


DOMAIN_EMPTY_PROBE = r"""
import json
from unittest import mock

from rasa.shared.core.domain import Domain

from nlu_addons.rasa_main import install_domain_emptiness_once

domains = [Domain.load("domain.yml"), Domain.empty(), Domain.from_dict({}), Domain.from_yaml("intents: [greet]")]
before = [d.is_empty() for d in domains]
install_domain_emptiness_once()
install_domain_emptiness_once()  # a second install keeps the first
domains[0].is_empty()  # the first call makes the empty domain's data
with mock.patch.object(Domain, "from_dict", wraps=Domain.from_dict) as made:
    after = [d.is_empty() for _ in range(3) for d in domains]
print(json.dumps({"before": before, "after": after, "made": made.call_count}))
"""


def test_a_domains_emptiness_is_rasas_answer_without_a_new_empty_domain_each_time() -> None:
    result = run_probe(DOMAIN_EMPTY_PROBE)
    assert result["before"] == [False, True, True, False]
    assert result["after"] == result["before"] * 3
    # Rasa built an empty domain (Domain.from_dict({})) for every call: 12 here
    assert result["made"] == 0


SHALLOW_COPY_PROBE = r"""
import copy
import json
from unittest import mock

from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from nlu_addons.rasa_main import shallow_copy

domain = Domain.load("domain.yml")
tracker = DialogueStateTracker("probe", domain.slots)
values = {"CategoricalSlot": "en", "TextSlot": "100234", "ListSlot": ["a"], "AnySlot": {"k": 1}, "FloatSlot": 2.0,
          "BooleanSlot": True}
for slot in tracker.slots.values():
    slot.value = values.get(type(slot).__name__, "x")


class OwnCopy:
    def __init__(self):
        self.value = [1]

    def __copy__(self):
        twin = OwnCopy()
        twin.value = list(self.value)
        return twin


class Slotted:
    __slots__ = ("value",)

    def __init__(self):
        self.value = [1]


class SetsState:
    def __init__(self):
        self.value = [1]

    def __setstate__(self, state):
        self.__dict__.update(state, restored=True)


class NewArgs(int):
    def __getnewargs__(self):
        return (int(self),)


def same(a, b):
    keys = sorted(vars(a)) if hasattr(a, "__dict__") else list(type(a).__slots__)
    return (type(a) is type(b) and a is not b and keys == (sorted(vars(b)) if hasattr(b, "__dict__") else keys)
            and all(getattr(a, k) is getattr(b, k) or getattr(a, k) == getattr(b, k) for k in keys))


objects = [*tracker.slots.values(), tracker, OwnCopy(), Slotted(), SetsState()]
results = []
for value in objects:
    rasa, ours = copy.copy(value), shallow_copy(value)
    results.append({"kind": type(value).__name__, "same": same(rasa, ours),
                    "shared": all(getattr(ours, k) is getattr(value, k) for k in vars(value))
                    if hasattr(value, "__dict__") else None})
# the copy's changes stay its own (a slot's value set on the copy), as with copy.copy
slot = next(iter(tracker.slots.values()))
twin = shallow_copy(slot)
twin.value = "changed"
with mock.patch.object(copy, "copy", wraps=copy.copy) as by_copy:
    for value in objects:
        shallow_copy(value)
    shallow_copy(NewArgs(3))
print(json.dumps({"results": results, "slot_kept": slot.value != "changed", "by_copy": by_copy.call_count,
                  "slots": len(tracker.slots)}))
"""


def test_a_shallow_copy_is_copy_copys_and_made_directly_only_for_plain_objects() -> None:
    result = run_probe(SHALLOW_COPY_PROBE)
    assert result["slots"] >= 10
    assert all(r["same"] for r in result["results"]), result["results"]
    # the attributes are shared, as copy.copy shares them; setting one on the copy leaves the original's
    assert all(r["shared"] for r in result["results"][: result["slots"] + 1])
    assert result["slot_kept"]
    # own __copy__, non-empty __slots__, __setstate__ and __getnewargs__ go to copy.copy; the slots and the tracker not
    assert result["by_copy"] == 4


APPLIED_EVENTS_PROBE = (
    r"""
import abc
import json
import random

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActionExecutionRejected, ActionReverted, ActiveLoop,
    DefinePrevUserUtteredFeaturization, FollowupAction, Restarted, SessionStarted, SlotSet, UserUttered,
    UserUtteranceReverted)
from rasa.shared.core.trackers import DialogueStateTracker

from nlu_addons.rasa_main import install_typed_applied_events

"""
    + PROBE_DOMAIN
    + r"""
rng = random.Random(23)


def turn():
    roll = rng.random()
    if roll < 0.25:
        said = UserUttered("hi", intent={"name": rng.choice(intents), "confidence": 1.0})
        return [ActionExecuted("action_listen"), said]
    if roll < 0.45:
        return [ActionExecuted(rng.choice(actions))]
    if roll < 0.55:
        return [SlotSet(rng.choice(slots).name, rng.choice([None, "100234", True]))]
    if roll < 0.75:  # a form runs, is rejected (an unhappy path), runs again, is deactivated
        form = rng.choice(forms)
        steps = [ActiveLoop(form), ActionExecuted(form), ActionExecutionRejected(form), ActionExecuted(form),
                 DefinePrevUserUtteredFeaturization(rng.random() < 0.5), ActionExecuted(form), ActiveLoop(None)]
        return [s for s in steps if rng.random() < 0.7]
    if roll < 0.8:
        return [FollowupAction(rng.choice(actions))]
    if roll < 0.92:
        return [rng.choice([UserUtteranceReverted(), ActionReverted()])]
    return [rng.choice([Restarted(), SessionStarted()]), ActionExecuted("action_listen")]


conversations = []  # each: its steps (the events a turn added) and Rasa's applied events after each step
for n in range(120):
    tracker = DialogueStateTracker.from_events(f"a{n}", [ActionExecuted("action_listen")], domain.slots)
    steps, rasas = [], []
    for _ in range(rng.randint(3, 50)):
        steps.append(turn())
        for event in steps[-1]:
            tracker.update(event)
        rasas.append([id(e) for e in tracker.applied_events()])
    conversations.append((tracker, steps, rasas))
checks = [0]
instancecheck = abc.ABCMeta.__instancecheck__


def counted_check(cls, instance):  # isinstance against an ABC (Rasa's event classes are ABCs)
    checks[0] += 1
    return instancecheck(cls, instance)


abc.ABCMeta.__instancecheck__ = counted_check
for tracker, _, _ in conversations:
    tracker.applied_events()
rasa_checks, checks[0] = checks[0], 0
install_typed_applied_events()
install_typed_applied_events()  # a second install keeps the first
for tracker, _, _ in conversations:
    tracker.applied_events()
typed_checks = checks[0]
abc.ABCMeta.__instancecheck__ = instancecheck
differences = compared = 0
for tracker, steps, rasas in conversations:  # the same event objects again, step by step
    again = DialogueStateTracker.from_events(tracker.sender_id, [tracker.events[0]], domain.slots)
    for step, rasa in zip(steps, rasas):
        for event in step:
            again.update(event)
        compared += 1
        differences += [id(e) for e in again.applied_events()] != rasa
events = sum(len(tracker.events) for tracker, _, _ in conversations)
kinds = sorted({type(e).__name__ for tracker, _, _ in conversations for e in tracker.events})
print(json.dumps({"compared": compared, "differences": differences, "events": events, "kinds": kinds,
                  "rasa_checks": rasa_checks, "typed_checks": typed_checks,
                  "typed": getattr(DialogueStateTracker.applied_events, "typed", False)}))
"""
)


def test_the_applied_events_by_event_class_are_rasas() -> None:
    result = run_probe(APPLIED_EVENTS_PROBE)
    assert result["typed"]
    assert result["compared"] > 2000 and result["events"] > 2000
    assert result["differences"] == 0
    assert {
        "ActionExecutionRejected",
        "ActionReverted",
        "UserUtteranceReverted",
        "Restarted",
        "SessionStarted",
        "ActiveLoop",
        "DefinePrevUserUtteredFeaturization",
    } <= set(result["kinds"])
