"""Rasa's own command line, with the project's runtime fixes applied first.

    .venv-rasa/bin/python -m nlu_addons.rasa_main run --enable-api …    (what `make run` and the tests start)

The API token comes from the environment (RASA_TOKEN, or the file RASA_TOKEN_FILE names), never from the command
line, where `ps` would show it: `run` gets it inside this process (`with_token`).

Rasa 3.6 checks every action-server response with `jsonschema.validate(result, schema)`. That call checks
the *schema* against the JSON Schema meta-schema before it checks the result; with jsonschema 4.17 the
schema has no `$schema`, so the 2020-12 meta-schema (dynamic references, vocabularies) is walked on every
custom action. Profiled under the load benchmark, that was 48 % of the Rasa process's CPU. The schema is a
constant, so here it is checked once and compiled into one validator. A response that fails goes through
Rasa's own method, which raises the same error with the same message as before.

Two more per-turn costs, found the same way:
- every event Rasa reads back (the tracker from its store, the events an action returns) is matched to its
  class by walking all subclasses of `Event` with `inspect.isabstract` on each (34 µs an event; a
  ten-turn conversation has ~60 events, read more than once a turn). The lookup is now a dict, rebuilt
  when a name is not in it (a class imported later), so the answer is the one Rasa's walk gives;
- every turn formatted every slot's value into a string for a debug log line (twice a turn), whatever the log
  level: 3 % of Rasa's CPU per turn (issue 22's profile). It is now formatted only when debug logging is on;
- each call to the action server opened a new aiohttp session and TCP connection (Rasa's
  `EndpointConfig.request` builds a session per request). Requests now borrow one session per endpoint
  and event loop, which keeps connections alive for a short time (`KEEPALIVE_SECONDS`, shorter than the
  servers' keep-alive, so Rasa never reuses a connection the server is closing). That session writes its JSON
  bodies with ujson (`request_json`): each action call carries the whole tracker (14-18 KB), and the standard
  library's encoder was 5 % of Rasa's CPU per reply (issue 22's profile).

The rule policy's filter of its rules against the conversation's latest states (`install_rule_key_memo`) looks at
the last states only (as many as the longest rule: a rule cannot be ruled out further back) and remembers its answer
by those states: it went through every rule for every state of the conversation, twice a prediction, and was 7 % of
Rasa's samples holding the GIL under the load benchmark (issue 22).

Rasa copied the tracker before every action by replaying the whole conversation into a fresh one: the copy is now
made from the tracker's state (`install_direct_tracker_copy`); the tracker's state for each action call hands over
the active form's trigger message instead of a deep copy of it (`install_shared_trigger_message`).

Each policy (memoization, rules) replayed the whole conversation event by event to get its states
(`Domain.states_for_tracker_history`), for every prediction: 11-22 % of Rasa's samples holding the GIL. The replay
is now done once per tracker state and its records shared by the policies (`install_shared_history`).

Three more per-message costs (issue 22, cProfile of Rasa at saturation): the processor's check of each parse against
the domain built a whole empty domain to ask whether the model's is empty (`install_domain_emptiness_once`); the
applied events, read at each prediction, asked up to six ABC `isinstance` questions of every event
(`install_typed_applied_events`); the direct tracker copy copied its slots through `copy.copy`'s reduce protocol
(`shallow_copy`). Together 14,222 -> 11,667 Python calls a message (bench/rasa_turn_calls.py).

The prediction graph (the NLU for each message, the policies for each next action) runs node after node in a
precomputed order (`install_sequential_runner`) instead of through dask's scheduler on every run.

numpy's BLAS runs on one thread in this process (`one_math_thread`, before Rasa is imported): with a worker per
core, OpenBLAS's workers spun after every small product and Rasa burnt more CPU waiting than working when
customers pause between messages.

JAX is not imported (`without_jax`, before Rasa is): TensorFlow 2.12 imports it when it is installed (its TFLite
converter's `try: from jax import xla_computation`, for converting JAX models, which Rasa never does), and JAX with
its XLA library held ~106 MB of every Rasa process's memory (RSS after Rasa's imports 700.7 -> 594.3 MB).

TensorFlow is not loaded by `rasa run` unless the model needs it (`tensorflow_on_demand`, before Rasa is imported):
config.yml names no TensorFlow component or policy, yet Rasa imported it twice over when it ran the model, ~380 MB of
the process's memory (issue 22: RSS of a process set up as `rasa run` that loaded the shipped model and answered two
turns, 876-877 -> 487-503 MB, results/issue22-rasa-memory-2026-12-07/stages.py; Rasa's peak RSS in bench/scale_bench.py
905-916 -> 516-519 MB, in that folder). Once through `rasa.utils.train_utils` (training helpers with Keras callbacks,
imported by the entity extractors' and the dialogue featurizers' modules for training code; nothing calls it to answer),
whose code now runs at its first use; once through the model's *training* graph, whose nodes' classes Rasa imports when
it loads the model, though `rasa run` only runs the prediction graph (the recipe's validator there imports DIET, TED and
the response selector to check a config against), which is now read at its first use. A model whose prediction graph
names a TensorFlow component loads TensorFlow as before (its module imports it), and anything that reads the training
graph or calls the training helpers gets Rasa's own.
"""

from __future__ import annotations

import asyncio
import copy
import importlib.abc
import importlib.machinery
import json
import os
import sys
import threading
import types
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import ujson

from nlu_addons.environment import one_math_thread, secret_from_env

# trackers whose replayed history is kept (install_shared_history): the policies of one prediction share it, and a
# conversation's next prediction (after an action, or at its next message: the tracker store hands out the same
# tracker object) replays only its new events. As many as the tracker store keeps trackers of conversations
# (tracker_store.CACHED_TRACKERS, 500), so that each conversation of a busy shop finds its replay at its next turn
HISTORY_MEMO = 512
_HISTORIES: OrderedDict[tuple[int, int, bool], _Replay] = OrderedDict()  # by (domain, tracker) ids and omit_unset_slots
RULE_KEY_MEMO = 4096  # latest-states answers RulePolicy's rule filter remembers (install_rule_key_memo)
KEEPALIVE_SECONDS = 2.0  # well below the action server's keep-alive timeout (Sanic and rasa-sdk default: 120 s)


def event_checks(schema: dict[str, Any], validator_class: Any) -> tuple[Any, dict[str, Any]] | None:
    """Rasa's response schema split for speed: a validator of the response without its events' `oneOf`, and one
    validator per event name (the event schema's common part with that name's alternative). Rasa checks every event
    against all 23 alternatives (`oneOf`); each alternative fixes `event` to its own name, so an event with a known
    name is valid exactly when it passes its own alternative. None when the schema is not of that shape (then the
    whole schema is checked, as before)."""
    events = schema.get("properties", {}).get("events", {})
    item = events.get("items") if isinstance(events, dict) else None
    if not isinstance(item, dict) or not isinstance(item.get("oneOf"), list):
        return None
    alternatives = item["oneOf"]
    common = {k: v for k, v in item.items() if k != "oneOf"}
    by_name: dict[str, Any] = {}
    for alternative in alternatives:
        name = alternative.get("properties", {}).get("event", {}).get("const")
        if not isinstance(name, str) or name in by_name:
            return None
        by_name[name] = validator_class({"allOf": [common, alternative]})
    outer = {
        **schema,
        "properties": {**schema["properties"], "events": {k: v for k, v in events.items() if k != "items"}},
    }
    return validator_class(outer), by_name


def install_action_result_validator() -> None:
    """Validate action-server responses with validators built at start-up (same outcome as Rasa's): each event
    against the one alternative its name selects (`event_checks`), else the whole schema compiled once; a response
    that fails goes through Rasa's own check for its error."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    original = RemoteAction._validate_action_result
    if getattr(original, "compiled_once", False):
        return
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    split = event_checks(schema, validator_class)

    def valid(result: dict[str, Any]) -> bool:
        if split is None:
            return bool(validator.is_valid(result))
        outer, by_name = split
        if not outer.is_valid(result):
            return False
        for event in (result.get("events") or []) if isinstance(result, dict) else []:
            name = event.get("event") if isinstance(event, dict) else None
            check = by_name.get(name) if isinstance(name, str) else None
            if check is None or not check.is_valid(event):
                return False
        return True

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if valid(result):
            return True
        return bool(original(self, result))  # Rasa's whole check: raises its ValidationError with its message

    _validate_action_result.compiled_once = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result


def install_event_type_lookup() -> None:
    """`Event.resolve_by_type` through a name → class dict (same classes as Rasa's subclass walk)."""
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    original = Event.resolve_by_type
    if getattr(original, "cached", False):
        return
    by_name: dict[str, type[Event]] = {}

    def rebuild() -> None:
        by_name.clear()
        for cls in all_subclasses(Event):  # Rasa returns the first match in this order: keep the first
            by_name.setdefault(cls.type_name, cls)

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        found = by_name.get(type_name)
        if found is None:
            rebuild()
            found = by_name.get(type_name)
        return found if found is not None else original(type_name, default)

    resolve_by_type.cached = True  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)


class _BorrowedSession:
    """`async with` over a long-lived session: entering gives the session, leaving keeps it open."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None


def request_json(value: Any) -> str:
    """A request body as JSON, with ujson (several times faster than the standard library on a tracker); what ujson
    does not write (integers beyond 64 bits, NaN and infinities, which Python's json writes as NaN / Infinity) and
    what neither writes (the standard library's error then) goes through `json.dumps`, as in Rasa's own sessions.
    Forward slashes stay as they are, as `json.dumps` leaves them."""
    try:
        return str(ujson.dumps(value, escape_forward_slashes=False))
    except (OverflowError, TypeError, ValueError):
        return json.dumps(value)


def install_shared_endpoint_sessions() -> None:
    """`EndpointConfig.session()` hands out one session per endpoint and event loop, kept alive."""
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    original = EndpointConfig.session
    if getattr(original, "shared", False):
        return

    def session(self: EndpointConfig) -> _BorrowedSession | aiohttp.ClientSession:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            throwaway: aiohttp.ClientSession = original(self)  # outside a loop: Rasa's own throwaway session
            return throwaway
        sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession]
        sessions = self.__dict__.setdefault("_shared_sessions", weakref.WeakKeyDictionary())
        current = sessions.get(loop)
        if current is None or current.closed:
            auth = self.basic_auth and aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            current = aiohttp.ClientSession(  # what Rasa's session() sets, plus a keep-alive connection pool
                headers=self.headers,
                auth=auth or None,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
                json_serialize=request_json,
            )
            sessions[loop] = current
        return _BorrowedSession(current)

    session.shared = True  # type: ignore[attr-defined]
    EndpointConfig.session = session


def one_write_stream_writer() -> type:
    """aiohttp's request writer (3.9: `StreamWriter`) that sends a request's head with the first bytes of its body:
    one socket write for an action call instead of two (the head, then the JSON). The head is held, never dropped:
    a request without a body sends it at its end (`write_eof` drains the writer), and so does any earlier `drain`
    (a writer waiting for "100 Continue"). The bytes on the wire are the same, in the same order."""
    from aiohttp.http_writer import StreamWriter, _serialize_headers

    class OneWriteStreamWriter(StreamWriter):
        _head = b""

        async def write_headers(self, status_line: str, headers: Any) -> None:
            if self._on_headers_sent is not None:
                await self._on_headers_sent(headers)
            self._head = _serialize_headers(status_line, headers)

        # Any: `bytes` in Rasa's aiohttp 3.9 (the one this runs with); any bytes-like in the helpdesk's 3.14, which
        # mypy reads (.venv)
        def _write(self, chunk: Any) -> None:
            if self._head:
                chunk, self._head = self._head + bytes(chunk), b""
            super()._write(chunk)

        async def drain(self) -> None:  # also the end of every request (write_eof)
            if self._head:
                self._write(b"")
            await super().drain()

    return OneWriteStreamWriter


def install_one_write_requests() -> None:
    """Rasa's requests (its action calls) are written with `one_write_stream_writer`: each socket write costs this
    machine ~0.3 ms of CPU, and Rasa made two per action call (issue 22)."""
    from aiohttp import client_reqrep

    # the name aiohttp 3.9's ClientRequest writes with (3.14, which mypy reads, no longer exports it)
    if getattr(client_reqrep.StreamWriter, "one_write", False):  # type: ignore[attr-defined]
        return
    writer = one_write_stream_writer()
    writer.one_write = True  # type: ignore[attr-defined]
    client_reqrep.StreamWriter = writer  # type: ignore[attr-defined,assignment]


def install_quiet_slot_log() -> None:
    """`MessageProcessor._log_slots` only when Rasa logs at debug level (its line is a debug line)."""
    import logging

    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._log_slots
    if getattr(original, "quiet", False):
        return

    def _log_slots(tracker: Any) -> None:
        if logging.getLogger("rasa").isEnabledFor(logging.DEBUG):
            original(tracker)

    _log_slots.quiet = True  # type: ignore[attr-defined]
    MessageProcessor._log_slots = staticmethod(_log_slots)


# Rasa's modules whose `copy.deepcopy` calls are all arguments of debug log lines (install_quiet_debug_copies)
DEBUG_COPY_MODULES = (
    "rasa.core.processor",
    "rasa.core.policies.memoization",
    "rasa.core.policies.rule_policy",
    "rasa.core.actions.forms",
)


def _is_call_of(node: Any, owner: str, name: str) -> bool:
    """Whether the syntax node `node` is a call of `owner.name(...)`."""
    import ast

    function = node.func if isinstance(node, ast.Call) else None
    return (
        isinstance(function, ast.Attribute)
        and function.attr == name
        and isinstance(function.value, ast.Name)
        and function.value.id == owner
    )


def copies_only_for_debug_lines(source: str) -> bool:
    """Whether the module `source` uses the `copy` module only as `copy.deepcopy(...)` written directly as an
    argument of a `structlogger.debug(...)` call."""
    import ast

    tree = ast.parse(source)
    for_debug: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_call_of(node, "structlogger", "debug"):
            for value in [*node.args, *(keyword.value for keyword in node.keywords)]:
                if _is_call_of(value, "copy", "deepcopy"):
                    for_debug.add(id(value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "copy":
            if node.attr != "deepcopy":
                return False
        elif _is_call_of(node, "copy", "deepcopy") and id(node) not in for_debug:
            return False
    return True


def structlog_debug_on() -> bool:
    """Whether Rasa's structured log lines at debug level are written: unless structlog's configured logger drops
    them (Rasa's `configure_structlog` makes one that filters below the log level: its `debug` does nothing)."""
    import structlog

    wrapper = structlog.get_config().get("wrapper_class")
    method = getattr(wrapper, "debug", None)
    return getattr(method, "__name__", "") != "_nop"


class DebugLineCopies:
    """The `copy` module as the DEBUG_COPY_MODULES see it: `deepcopy` copies only when debug lines are written."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        import copy

        return copy.deepcopy(value, memo) if structlog_debug_on() else value


def install_quiet_debug_copies() -> None:
    """Rasa's debug log lines copy their values (`structlogger.debug(..., x=copy.deepcopy(x))`) whatever the log
    level: the policies' states at every prediction, every action's events, every parse's entities (3.7 % of Rasa's
    samples holding the GIL at saturation, issue 22). In the modules where every `copy.deepcopy` is such an argument
    (checked in their source: `copies_only_for_debug_lines`), `copy` is replaced by `DebugLineCopies`, which copies
    only when debug lines are written; a module whose source has any other use of `copy` keeps it."""
    import importlib
    import inspect

    for name in DEBUG_COPY_MODULES:
        module = importlib.import_module(name)
        if isinstance(getattr(module, "copy", None), DebugLineCopies):
            continue
        if copies_only_for_debug_lines(inspect.getsource(module)):
            module.copy = DebugLineCopies()  # type: ignore[attr-defined]


def install_sequential_runner() -> None:
    """The loaded model's prediction graph runs through `SequentialGraphRunner` (nlu_addons/sequential_runner.py:
    the same nodes in the same order, without dask's scheduler on every run); training keeps Rasa's runner."""
    from rasa.core import processor

    from nlu_addons.sequential_runner import SequentialGraphRunner

    processor.DaskGraphRunner = SequentialGraphRunner  # the name MessageProcessor._load_model reads


def frozen_state(state: dict[str, Any]) -> tuple[Any, ...]:
    """A conversation state (Rasa's `State`: sub-state name -> feature -> value) as a hashable key."""
    return tuple(
        (name, tuple((key, tuple(v) if isinstance(v, list) else v) for key, v in sorted(sub.items())))
        for name, sub in sorted(state.items())
    )


def install_rule_key_memo() -> None:
    """`RulePolicy._get_possible_keys` (the rules whose states match the conversation's latest states) on the last
    states only, remembered by those states: Rasa filters every rule against every state of the conversation, but a
    rule is applicable at any turn further back than its own length (`_is_rule_applicable`'s first check), so only
    the last `longest rule` states can remove one; and the same latest states recur across conversations and the
    predictions of one turn. Rasa's own filter computes each answer once (same keys)."""
    from rasa.core.policies.rule_policy import RulePolicy

    original = RulePolicy._get_possible_keys
    if getattr(original, "memo", False):
        return

    def _get_possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[dict[str, Any]]) -> set[str]:
        memo: OrderedDict[tuple[Any, ...], tuple[dict[str, str], int, frozenset[str]]]
        memo = self.__dict__.setdefault("_larkspur_rule_keys", OrderedDict())
        lengths: dict[int, tuple[dict[str, str], int, int]] = self.__dict__.setdefault("_larkspur_rule_lengths", {})
        known = lengths.get(id(lookup))
        if known is None or known[0] is not lookup or known[1] != len(lookup):
            longest = max((len(self._rule_key_to_state(key)) for key in lookup), default=0)
            known = lengths[id(lookup)] = (lookup, len(lookup), longest)
        tail = states[len(states) - min(known[2], len(states)) :]
        try:
            key = (id(lookup), tuple(frozen_state(state) for state in tail))
            found = memo.get(key)
        except TypeError:  # a feature value that cannot be a key (none of Rasa's kinds): Rasa's filter, not kept
            return set(original(self, lookup, tail))
        if found is None or found[0] is not lookup or found[1] != len(lookup):
            found = (lookup, len(lookup), frozenset(original(self, lookup, tail)))
            memo[key] = found
            while len(memo) > RULE_KEY_MEMO:
                memo.popitem(last=False)
        else:
            memo.move_to_end(key)
        return set(found[2])

    _get_possible_keys.memo = True  # type: ignore[attr-defined]
    RulePolicy._get_possible_keys = _get_possible_keys


@dataclass
class _Replay:
    """A tracker's history replayed (install_shared_history): the applied events replayed (Rasa's
    `applied_events()`), the replaying tracker after them, and the records Rasa's loop reads at each action (the
    last one: the state after every applied event). `length` and `last`: the tracker's number of events and its last
    event when it was replayed. Holding the domain and the tracker keeps their ids theirs while kept."""

    domain: Any
    tracker: Any
    length: int
    last: Any
    applied: list[Any]
    replayer: Any
    records: list[tuple[Any, ...]]


def history_record(domain: Any, prior: Any, hide_rule_turn: bool, omit_unset_slots: bool) -> tuple[Any, ...]:
    """What Rasa's `Domain.states_for_tracker_history` reads of the tracker before an action (`prior`): the previous
    action, follow-up action, latest action and active loop names, whether the turn is a rule-only one, and the
    dialogue state."""
    return (
        domain._get_prev_action_sub_state(prior),
        prior.followup_action,
        prior.latest_action_name,
        prior.active_loop_name,
        hide_rule_turn,
        domain.get_active_state(prior, omit_unset_slots=omit_unset_slots),
    )


def replay_onto(domain: Any, replay: _Replay, events: list[Any], omit_unset_slots: bool) -> None:
    """Continue `replay` with `events` (the next applied events) as Rasa's `generate_all_prior_trackers` walks them:
    a record before each action, the state after the last event as the last record."""
    from rasa.shared.core.events import ActionExecuted

    del replay.records[-1:]  # the state after the events replayed so far: the next action's record, or the last one
    replayer = replay.replayer
    for event in events:
        if isinstance(event, ActionExecuted):
            replay.records.append(history_record(domain, replayer, event.hide_rule_turn, omit_unset_slots))
        replayer.update(event)
    replay.records.append(history_record(domain, replayer, False, omit_unset_slots))
    replay.applied.extend(events)


def _same_objects(kept: list[Any], now: list[Any]) -> bool:
    """Whether two lists of the same length hold the same objects in the same order."""
    return all(a is b for a, b in zip(kept, now, strict=True))


def install_shared_history() -> None:
    """`Domain.states_for_tracker_history` replays the conversation once per tracker state, not once per policy, and
    a tracker's next state replays only its new events: the records Rasa's loop reads at each action (the previous
    action, follow-up action, latest action and active loop names, whether the turn is a rule-only one, and the
    dialogue state) are kept for the latest trackers (HISTORY_MEMO), and each policy's variant (with or without
    rule-only turns) is Rasa's loop run over them. Each state handed out is a copy (Rasa's loop edits them).

    A tracker is known by its identity, its number of events and its last event. When it has more events since, its
    applied events (Rasa's `applied_events()`: what `generate_all_prior_trackers` walks) are compared with the ones
    replayed: when those are still their beginning (the same event objects, in order: no undo, restart, new session
    or loop execution folded into an earlier one), only the rest is replayed, from the replaying tracker where it
    stopped; otherwise the whole history is replayed again, as Rasa does. Either way the records are the ones a full
    replay gives. Measured under the load benchmark: the replay was 7 % of Rasa's samples holding the GIL at
    saturation, growing with the conversation (each prediction replayed every event before it)."""
    from rasa.shared.core import constants
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    original = Domain.states_for_tracker_history
    if getattr(original, "shared", False):
        return

    def records(domain: Domain, tracker: Any, omit_unset_slots: bool) -> list[tuple[Any, ...]]:
        events = tracker.events
        last = events[-1] if events else None
        key = (id(domain), id(tracker), omit_unset_slots)
        found = _HISTORIES.get(key)
        if found is not None and (found.domain is not domain or found.tracker is not tracker):
            found = None  # (cannot happen while kept: the ids are theirs)
        if found is not None:
            _HISTORIES.move_to_end(key)
            if found.length == len(events) and found.last is last:
                return found.records
        if type(tracker) is not DialogueStateTracker or tracker._max_event_history is not None:
            # a tracker that keeps only its latest events, or of another class: Rasa's own walk, nothing kept
            return [
                history_record(domain, prior, hide, omit_unset_slots)
                for prior, hide in tracker.generate_all_prior_trackers()
            ]
        applied = tracker.applied_events()
        done = len(found.applied) if found is not None else 0
        if found is None or len(applied) < done or not _same_objects(found.applied, applied[:done]):
            found = _Replay(domain, tracker, 0, None, [], tracker.init_copy(), [])
            done = 0
        replay_onto(domain, found, applied[done:], omit_unset_slots)
        found.length, found.last = len(events), last
        _HISTORIES[key] = found
        _HISTORIES.move_to_end(key)
        while len(_HISTORIES) > HISTORY_MEMO:
            _HISTORIES.popitem(last=False)
        return found.records

    def states_for_tracker_history(
        self: Domain,
        tracker: Any,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        states: list[dict[str, Any]] = []
        last_ml_action_sub_state = None
        turn_was_hidden = False
        for previous, followup, latest_name, loop_name, hide_rule_turn, active in records(
            self, tracker, omit_unset_slots
        ):
            if ignore_rule_only_turns:  # Rasa's loop (Domain.states_for_tracker_history), step for step
                if not turn_was_hidden:
                    last_ml_action_sub_state = previous
                if not followup and latest_name != loop_name:
                    turn_was_hidden = hide_rule_turn
                if turn_was_hidden:
                    continue
            state = {kind: dict(sub) for kind, sub in active.items()}
            if ignore_rule_only_turns:
                self._remove_rule_only_features(state, rule_only_data)
                if states:
                    self._substitute_rule_only_user_input(state, states[-1])
                if last_ml_action_sub_state:
                    state[constants.PREVIOUS_ACTION] = dict(last_ml_action_sub_state)
            states.append(self._clean_state(state))
        return states

    states_for_tracker_history.shared = True  # type: ignore[attr-defined]
    Domain.states_for_tracker_history = states_for_tracker_history


_COPIED_AS_ITS_DICT: dict[type, bool] = {}


def copied_as_its_dict(kind: type) -> bool:
    """Whether `copy.copy` copies an instance of `kind` as a new instance of it with the same attribute dict: a class of
    its own (no __copy__, no copyreg entry, the reduce, new-args, get/setstate protocols as `object` has them, no
    slot names in its classes: an empty __slots__, as ABC has, names none). Known once per class."""
    import copyreg

    known = _COPIED_AS_ITS_DICT.get(kind)
    if known is None:
        known = _COPIED_AS_ITS_DICT[kind] = (
            not issubclass(kind, type)
            and getattr(kind, "__copy__", None) is None
            and kind not in copyreg.dispatch_table
            and getattr(kind, "__reduce_ex__", None) is object.__reduce_ex__
            and getattr(kind, "__reduce__", None) is object.__reduce__
            and getattr(kind, "__getnewargs_ex__", None) is None
            and getattr(kind, "__getnewargs__", None) is None
            and getattr(kind, "__setstate__", None) is None
            and getattr(kind, "__getstate__", None) is getattr(object, "__getstate__", None)
            and not any(vars(k).get("__slots__") for k in kind.__mro__)
        )
    return known


def shallow_copy(value: Any) -> Any:
    """`copy.copy(value)`, made directly for an object `copy.copy` copies by its attribute dict (`copied_as_its_dict`):
    a new instance of its class (`__new__`, no `__init__`, as `copy.copy` makes it) given the same attributes, without
    `copy.copy`'s way through `__reduce_ex__` and `copyreg` (a Rasa slot: 0.46 µs, 1.4 by `copy.copy`). Anything else
    goes to `copy.copy`."""
    kind: Any = type(value)
    if not copied_as_its_dict(kind):
        return copy.copy(value)
    twin = kind.__new__(kind)
    twin.__dict__.update(value.__dict__)
    return twin


def install_direct_tracker_copy() -> None:
    """`DialogueStateTracker.copy()` from the tracker's state instead of a replay of the whole conversation.

    Rasa copies the tracker before every action it runs (`MessageProcessor._run_action`: a temporary tracker, so that
    a rejected action's policy events can be dropped), by replaying every event of the conversation into a fresh
    tracker (`travel_back_in_time`): 4.6 % of Rasa's busy samples at saturation (issue 22), growing with the
    conversation. Events are the only way Rasa changes a tracker's state, so the replay ends in the tracker's own
    state: the copy takes it directly (a shallow copy: the same events, the same objects as the replay gives, the
    pause, follow-up action, latest message and bot utterance), with a list of events, slots (each with its value),
    latest action and active loop of its own, so that the copy's changes stay its own; no model or assistant id nor
    sender source, as Rasa's fresh copy (`init_copy`). A tracker of another class, or one that keeps only its latest
    events (`max_event_history`: a replay of those would not give its state), keeps Rasa's replay. Measured in a
    micro-benchmark on the project's domain (23 slots): 0.07 ms a copy at any length; Rasa's 0.11 ms at 16 events,
    0.27 ms at 142."""
    import dataclasses
    from collections import deque

    from rasa.shared.constants import DEFAULT_SENDER_ID
    from rasa.shared.core.trackers import DialogueStateTracker

    original = DialogueStateTracker.copy
    if getattr(original, "direct", False):
        return

    def direct_copy(self: DialogueStateTracker) -> DialogueStateTracker:
        if type(self) is not DialogueStateTracker or self._max_event_history is not None:
            return original(self)
        twin = shallow_copy(self)  # every attribute; those a change goes into are copied below
        twin.sender_id = self.sender_id or DEFAULT_SENDER_ID
        twin.sender_source = twin.model_id = twin.assistant_id = None  # as `init_copy` leaves them
        twin.events = deque(self.events)
        twin.slots = {slot.name: shallow_copy(slot) for slot in self.slots.values()}
        twin.latest_action = dict(self.latest_action) if self.latest_action is not None else None
        twin.active_loop = dataclasses.replace(self.active_loop) if self.active_loop is not None else None
        return twin

    direct_copy.direct = True  # type: ignore[attr-defined]
    DialogueStateTracker.copy = direct_copy


def install_shared_trigger_message() -> None:
    """`DialogueStateTracker.current_state()` with the active loop's fields as they are instead of a deep copy.

    Rasa builds the state with `dataclasses.asdict(active_loop)`, which copies, value by value, the parse data of the
    message that started the form (`trigger_message`: the intent ranking, the entities, the route with its handbook
    candidates): before every action call while a form runs (the action call carries the tracker's state), 5 % of
    Rasa's busy samples with one customer (issue 22). Every caller of `current_state` turns it into JSON at once (the
    action call, the HTTP API's answers, the stores' serialisation) and none changes it, so the loop's fields are
    handed over as they are; the JSON is the same."""
    import dataclasses

    from rasa.shared.core.constants import ACTIVE_LOOP
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    original = DialogueStateTracker.current_state
    if getattr(original, "shared_trigger", False):
        return

    def current_state(self: DialogueStateTracker, event_verbosity: EventVerbosity = EventVerbosity.NONE) -> Any:
        loop = self.active_loop
        if loop is None or not dataclasses.is_dataclass(loop):
            return original(self, event_verbosity)
        self.active_loop = None  # Rasa's method then skips its copy; no await in between
        try:
            state = original(self, event_verbosity)
        finally:
            self.active_loop = loop
        state[ACTIVE_LOOP] = {field.name: getattr(loop, field.name) for field in dataclasses.fields(loop)}
        return state

    current_state.shared_trigger = True  # type: ignore[attr-defined]
    DialogueStateTracker.current_state = current_state


def install_domain_emptiness_once() -> None:
    """`Domain.is_empty()` against the empty domain's data made once, instead of a new empty domain at each call.

    Rasa's processor asks it of the model's domain for every message (`MessageProcessor._check_for_unseen_features`)
    and Rasa answers by building a whole empty domain (`Domain.from_dict({})`: its default actions, slots, intents and
    their checks, ~280 Python calls) to compare the domain's data with: 3.6 % of Rasa's samples holding the GIL at
    saturation (issue 22). The empty domain's data depend on Rasa's constants only, so the comparison is the same
    against one made when first asked; it is kept here and handed to nobody."""
    from rasa.shared.core.domain import Domain

    original = Domain.is_empty
    if getattr(original, "once", False):
        return
    empty: list[dict[str, Any]] = []

    def is_empty(self: Domain) -> bool:
        if not empty:
            empty.append(Domain.empty().as_dict())
        return bool(self.as_dict() == empty[0])

    is_empty.once = True  # type: ignore[attr-defined]
    Domain.is_empty = is_empty


def install_typed_applied_events() -> None:
    """`DialogueStateTracker.applied_events()` with each event's kind known by its class, once per class.

    Rasa's loop asks up to five `isinstance` questions of every event of the conversation against Rasa's event classes,
    which are ABCs (`ABCMeta.__instancecheck__`, the slowest kind of `isinstance`), and a sixth to find the form names:
    ~350 such checks a request at saturation (issue 22), growing with the conversation, as each prediction's replay
    (`install_shared_history`) reads the applied events once. Here the same questions are asked of each event class once
    (`issubclass`, in Rasa's order) and kept; the loop is Rasa's, with Rasa's own methods for undoing, so the events and
    their order are Rasa's."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        ActiveLoop,
        Event,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    original = DialogueStateTracker.applied_events
    if getattr(original, "typed", False):
        return
    resets, reverts, utterance_reverts, executions = range(4)
    other = None
    kinds: dict[type, int | None] = {}
    loop_events: dict[type, bool] = {}

    def kind_of(event_class: type) -> int | None:
        known = kinds.get(event_class, -1)
        if known != -1:
            return known
        for kind, classes in (
            (resets, (Restarted, SessionStarted)),
            (reverts, (ActionReverted,)),
            (utterance_reverts, (UserUtteranceReverted,)),
            (executions, (ActionExecuted,)),
        ):
            if issubclass(event_class, classes):
                kinds[event_class] = kind
                return kind
        kinds[event_class] = other
        return other

    def is_loop_event(event_class: type) -> bool:
        known = loop_events.get(event_class)
        if known is None:
            known = loop_events[event_class] = issubclass(event_class, ActiveLoop)
        return known

    def applied_events(self: DialogueStateTracker) -> list[Event]:
        events = self.events
        loop_names = [e.name for e in events if is_loop_event(type(e)) and e.name]
        applied: list[Event] = []
        for event in events:
            kind = kind_of(type(event))
            if kind is None:
                applied.append(event)
            elif kind == resets:
                applied = []
            elif kind == reverts:
                self._undo_till_previous(ActionExecuted, applied)
            elif kind == utterance_reverts:
                self._undo_till_previous(UserUttered, applied)
                self._undo_till_previous(ActionExecuted, applied)
            elif event.action_name in loop_names and not self._first_loop_execution_or_unhappy_path(
                event.action_name, applied
            ):
                self._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)
        return applied

    applied_events.typed = True  # type: ignore[attr-defined]
    DialogueStateTracker.applied_events = applied_events


def install() -> None:
    """Every runtime fix of this module (idempotent)."""
    install_action_result_validator()
    install_event_type_lookup()
    install_shared_endpoint_sessions()
    install_one_write_requests()
    install_quiet_slot_log()
    install_quiet_debug_copies()
    install_sequential_runner()
    install_rule_key_memo()
    install_shared_history()
    install_direct_tracker_copy()
    install_shared_trigger_message()
    install_domain_emptiness_once()
    install_typed_applied_events()


def with_token(argv: list[str], token: str) -> list[str]:
    """`rasa run`'s arguments with the API token added inside this process: given on the command line the token
    would show in `ps` to every user of the machine; set in sys.argv here, only Rasa's argument parser reads it."""
    if not token or argv[1:2] != ["run"] or any(a == "--auth-token" or a.startswith("--auth-token=") for a in argv):
        return argv
    return [*argv, f"--auth-token={token}"]  # one argument: a token may start with "-"


def without_jax() -> None:
    """Make `import jax` fail in this process as it would were JAX not installed (TensorFlow's TFLite converter then
    leaves its JAX hook unset, as it is written to); call it before Rasa imports TensorFlow. JAX stays installed:
    TensorFlow 2.12's requirements pin it."""
    sys.modules.setdefault("jax", None)  # type: ignore[arg-type]  # None here: "not importable" (importlib's rule)


# Rasa's modules that import TensorFlow for training only and that `rasa run` imports whatever the model
# (tensorflow_on_demand): their code runs at the first read of a name they define
TRAINING_ONLY_MODULES = frozenset({"rasa.utils.train_utils"})
_RUNNING_LOCK = threading.RLock()  # one module's code runs once, whichever thread reads it first


class ModuleRunAtFirstUse(types.ModuleType):
    """A module imported but whose code has not run yet: it runs (with the module's own loader, into this same module
    object) when a name the module does not yet have is read, and the module is then an ordinary module. Importing it
    again reads only what the import system set (`__spec__`, `__name__`, ...), which runs nothing."""

    def __getattr__(self, name: str) -> Any:
        with _RUNNING_LOCK:
            if type(self) is ModuleRunAtFirstUse:
                self.__class__ = types.ModuleType  # type: ignore[assignment]  # an ordinary module from now on
                try:
                    self.__spec__.loader.exec_module(self)  # type: ignore[union-attr]
                except BaseException:
                    sys.modules.pop(self.__name__, None)  # as a failed import leaves it: the next import retries
                    raise
        return types.ModuleType.__getattribute__(self, name)


class _RunAtFirstUseLoader(importlib.abc.Loader):
    """Makes the module a `ModuleRunAtFirstUse`, with its real loader in its spec for when its code runs."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        module.__loader__ = module.__spec__.loader = self.loader  # type: ignore[union-attr]
        module.__class__ = ModuleRunAtFirstUse


class _RunAtFirstUseFinder(importlib.abc.MetaPathFinder):
    """Finds the modules `names` as the path finder does, to be run at their first use."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(
        self, fullname: str, path: Any = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _RunAtFirstUseLoader(spec.loader)
        return spec


def install_training_graph_on_demand() -> None:
    """A loaded model's training graph (`ModelMetadata.train_schema`) made when first read, from the model's metadata,
    by Rasa's own `GraphSchema.from_dict`: the same graph. `rasa run` runs the prediction graph only, and reading the
    training graph imports the classes of every node it has (the recipe's validator, which imports DIET, TED and the
    response selector, and with them TensorFlow)."""
    from rasa.engine.graph import GraphSchema
    from rasa.engine.storage.storage import ModelMetadata

    if getattr(ModelMetadata.from_dict, "training_graph_on_demand", False):
        return
    original = ModelMetadata.from_dict.__func__

    class TrainingGraphOnDemand(GraphSchema):  # type: ignore[misc]  # Rasa's class, Any to mypy
        """Rasa's `GraphSchema` of the serialised graph, made at the first read of its nodes."""

        def __init__(self, serialized: dict[str, Any]) -> None:  # no dataclass __init__: `nodes` is made later
            self.serialized = serialized

        @property
        def nodes(self) -> Any:
            with _RUNNING_LOCK:
                if "made" not in self.__dict__:
                    self.__dict__["made"] = GraphSchema.from_dict(self.serialized).nodes
            return self.__dict__["made"]

        @nodes.setter
        def nodes(self, nodes: Any) -> None:
            self.__dict__["made"] = nodes

        def __eq__(self, other: object) -> bool:
            return isinstance(other, GraphSchema) and self.nodes == other.nodes

        __hash__ = None  # type: ignore[assignment]  # as the dataclass's

    def from_dict(cls: type, serialized: dict[str, Any]) -> Any:
        training = serialized.get("train_schema")
        if not isinstance(training, dict):
            return original(cls, serialized)
        metadata = original(cls, {**serialized, "train_schema": {"nodes": {}}})
        metadata.train_schema = TrainingGraphOnDemand(copy.deepcopy(training))  # from_dict writes into what it reads
        return metadata

    from_dict.training_graph_on_demand = True  # type: ignore[attr-defined]
    ModelMetadata.from_dict = classmethod(from_dict)


def tensorflow_on_demand(argv: list[str]) -> None:
    """`rasa run` imports TensorFlow only when the model needs it (this module's docstring); call it before Rasa is
    imported. Any other command (train, test, data validate, ...) imports as Rasa does."""
    if argv[1:2] != ["run"]:
        return
    if not any(isinstance(finder, _RunAtFirstUseFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RunAtFirstUseFinder(TRAINING_ONLY_MODULES))
    install_training_graph_on_demand()


def main() -> int:
    one_math_thread()  # before Rasa imports numpy (nlu_addons/environment.py: OpenBLAS's spinning workers)
    without_jax()  # before Rasa imports TensorFlow, which would import JAX
    tensorflow_on_demand(sys.argv)  # before `install` imports Rasa's modules
    install()
    from rasa.__main__ import main as rasa_main

    token = secret_from_env("RASA_TOKEN")
    if not token and sys.argv[1:2] == ["run"] and "--enable-api" in sys.argv:
        raise SystemExit("RASA_TOKEN (or RASA_TOKEN_FILE) is not set: Rasa's HTTP API would be open to anyone")
    if token:
        os.environ["RASA_TOKEN"] = token  # the rest_nlu channel checks the same token (nlu_addons/rest_channel.py)
    sys.argv = with_token(["rasa", *sys.argv[1:]], token)
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
