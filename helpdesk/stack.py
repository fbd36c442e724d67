"""Start, watch and stop the whole stack: Rasa, the action webhook and the helpdesk.

`make run` uses it in the foreground (prefixed logs, Ctrl-C stops everything it started; a process that dies is
restarted with back-off, `Stack.supervise`); the test suite uses it to run the real stack on spare ports.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from helpdesk.config import PROJECT_ROOT, Settings, secret_from_env
from nlu_addons import RASA_PYTHON

MODEL_PATH = PROJECT_ROOT / "models" / "larkspur.tar.gz"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_taken(port: int) -> bool:
    """Something already listens on 127.0.0.1:`port` (another `make run`, say)."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def rasa_processes_from_env() -> int:
    """RASA_PROCESSES: how many Rasa processes (each with its own action server) `make run` starts (1)."""
    raw = os.environ.get("RASA_PROCESSES", "1").strip() or "1"
    try:
        count = int(raw)
    except ValueError:
        raise SystemExit(f"RASA_PROCESSES is {raw!r}: a whole number from 1") from None
    if count < 1:
        raise SystemExit(f"RASA_PROCESSES is {count}: a whole number from 1")
    return count


@dataclass
class Ports:
    helpdesk: int = 8080
    rasa: int = 5005
    actions: int = 5055
    # the second, third … Rasa process and its action server, (Rasa, actions) each (RASA_PROCESSES > 1)
    more: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def spare(cls, rasa_processes: int = 1) -> Ports:
        more = [(free_port(), free_port()) for _ in range(rasa_processes - 1)]
        return cls(helpdesk=free_port(), rasa=free_port(), actions=free_port(), more=more)

    @classmethod
    def from_env(cls) -> Ports:
        """The ports of DESIGN.md (each overridable) for the first Rasa and action server; the next ones on the
        ports after them (RASA_PROCESSES=2: Rasa 5005 and 5006, actions 5055 and 5056)."""
        settings = Settings.from_env()
        more = [(settings.rasa_port + i, settings.action_port + i) for i in range(1, rasa_processes_from_env())]
        return cls(helpdesk=settings.port, rasa=settings.rasa_port, actions=settings.action_port, more=more)

    def bots(self) -> list[tuple[int, int]]:
        """Every (Rasa, action server) pair of ports, the first one first."""
        return [(self.rasa, self.actions), *self.more]


def bot_names(index: int) -> tuple[str, str]:
    """The service names of the `index`th (from 0) Rasa process and its action server: rasa/actions, rasa-2 …"""
    return ("rasa", "actions") if index == 0 else (f"rasa-{index + 1}", f"actions-{index + 1}")


# seconds before restarting a process that died: doubling per crash in a row, back to the first delay once a
# process has run STABLE_SECONDS (a crash loop, say a port taken or a broken model, is retried ever more slowly)
RESTART_DELAYS = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)
STABLE_SECONDS = 60.0


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)  # on top of the stack's (a second Rasa's ports, say)
    process: subprocess.Popen[bytes] | None = None
    pump: threading.Thread | None = None
    wanted: bool = False  # started and not stopped on purpose: the supervisor restarts it when it dies
    started_at: float = 0.0
    crashes: int = 0  # crashes in a row (reset once it has run STABLE_SECONDS)
    restart_at: float | None = None  # when a crashed process is due to start again
    restarts: int = 0  # restarts since the stack started (what `make run` and the drills report)


@dataclass
class Stack:
    ports: Ports = field(default_factory=Ports)
    env: dict[str, str] = field(default_factory=dict)
    log_dir: Path | None = None  # None: stream prefixed logs to stdout
    model: Path = MODEL_PATH
    services: dict[str, Service] = field(default_factory=dict)
    supervised: bool = False  # crashed processes are restarted (`watch`, or `make run`'s loop)
    was_ready: bool = False  # /healthz said ready once: a dead process is then a crash to wait out, not a failed start

    def __post_init__(self) -> None:
        base = dict(os.environ)
        # per-run secrets when the operator set none: Rasa's API and channel token, and the action webhook's
        base["RASA_TOKEN"] = secret_from_env("RASA_TOKEN") or secrets.token_urlsafe(24)
        base["ACTION_SECRET"] = secret_from_env("ACTION_SECRET") or secrets.token_urlsafe(24)
        base.update(
            {
                "HELPDESK_PORT": str(self.ports.helpdesk),
                "RASA_PORT": str(self.ports.rasa),
                "ACTION_PORT": str(self.ports.actions),
                "PUBLIC_URL": base.get("PUBLIC_URL", f"http://127.0.0.1:{self.ports.helpdesk}"),
                "HF_HUB_OFFLINE": "1",
                "TRANSFORMERS_OFFLINE": "1",
                "RASA_TELEMETRY_ENABLED": "false",
                "TF_CPP_MIN_LOG_LEVEL": "2",
                "PYTHONUNBUFFERED": "1",
            }
        )
        base.update(self.env)
        self.env = base
        if self.ports.more and "RASA_URLS" not in self.env:
            # the helpdesk spreads the conversations over every Rasa started here (helpdesk/clients/rasa.py)
            self.env["RASA_URLS"] = ",".join(f"http://127.0.0.1:{rasa}" for rasa, _ in self.ports.bots())
        venv = PROJECT_ROOT / ".venv" / "bin" / "python"
        self.services = {}
        for index, (rasa_port, action_port) in enumerate(self.ports.bots()):
            rasa_name, actions_name = bot_names(index)
            # each Rasa calls its own action server (endpoints.yml reads ACTION_PORT from the environment)
            ports_env = {"RASA_PORT": str(rasa_port), "ACTION_PORT": str(action_port)}
            self.services[rasa_name] = Service(
                rasa_name,
                [
                    # Rasa's command line with the project's runtime fixes (nlu_addons/rasa_main.py)
                    str(RASA_PYTHON),
                    "-m",
                    "nlu_addons.rasa_main",
                    "run",
                    "--enable-api",  # behind RASA_TOKEN, which rasa_main reads from the environment (not `ps`)
                    "-i",
                    "127.0.0.1",
                    "-p",
                    str(rasa_port),
                    "-m",
                    str(self.model),
                    "--endpoints",
                    str(PROJECT_ROOT / "endpoints.yml"),
                    "--credentials",
                    str(PROJECT_ROOT / "credentials.yml"),
                ],
                env=ports_env,
            )
            self.services[actions_name] = Service(
                actions_name,
                [str(venv), "-m", "helpdesk.action_server", "--port", str(action_port)],
                env=ports_env,
            )
        self.services["helpdesk"] = Service("helpdesk", [str(venv), "-m", "helpdesk"])

    @property
    def rasa_names(self) -> list[str]:
        """The Rasa services, the first one first."""
        return [bot_names(index)[0] for index in range(len(self.ports.bots()))]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports.helpdesk}"

    def _output(self, name: str) -> IO[bytes] | int:
        if self.log_dir is None:
            return subprocess.PIPE
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child

    def log_tails(self, lines: int = 40) -> str:
        """The last `lines` of each service's log (when logging to files): what to show when a start fails."""
        if self.log_dir is None:
            return ""
        parts = []
        for log in sorted(self.log_dir.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {log.name} ---\n" + "\n".join(tail))
        return "\n".join(parts)

    def start_service(self, name: str) -> None:
        service = self.services[name]
        service.wanted = True
        service.restart_at = None
        if service.process is not None and service.process.poll() is None:
            return
        service.started_at = time.monotonic()
        output = self._output(name)
        service.process = subprocess.Popen(
            service.command,
            cwd=PROJECT_ROOT,
            env={**self.env, **service.env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if output is subprocess.PIPE:
            service.pump = threading.Thread(target=_pump, args=(name, service.process), daemon=True)
            service.pump.start()

    def stop_service(self, name: str, timeout: float = 15.0) -> None:
        self.services[name].wanted = False  # stopped on purpose: not restarted
        process = self.services[name].process
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def start(self) -> None:
        if not self.model.exists():
            raise SystemExit(f"no trained model at {self.model}: run `make train` first")
        for name, service in self.services.items():
            if name == "helpdesk":
                variable, port = "HELPDESK_PORT", self.ports.helpdesk
            else:
                variable = "RASA_PORT" if name.startswith("rasa") else "ACTION_PORT"
                port = int(service.env[variable])
            if port_taken(port):
                raise SystemExit(
                    f"port {port} for the {name} is already in use (another `make run`?): stop it, or set "
                    f"{variable}{' (the next processes take the ports after it)' if self.ports.more else ''}"
                )
        # the action servers first (Rasa calls them), then Rasa, then the helpdesk (it waits for both)
        for name in sorted(self.services, key=lambda n: ("actions", "rasa", "helpdesk").index(n.split("-")[0])):
            self.start_service(name)

    def stop(self) -> None:
        for service in self.services.values():
            service.wanted = False
        for name in sorted(self.services, key=lambda n: ("helpdesk", "rasa", "actions").index(n.split("-")[0])):
            self.stop_service(name)

    def exited(self) -> list[str]:
        return [n for n, s in self.services.items() if s.process is not None and s.process.poll() is not None]

    def supervise(self, now: float | None = None) -> list[str]:
        """Restart the processes that died (not those stopped on purpose), each after its back-off delay; call it
        about once a second. Returns what happened, one line each, for the log."""
        now = time.monotonic() if now is None else now
        said = []
        for name, service in self.services.items():
            process = service.process
            if not service.wanted or process is None or process.poll() is None:
                continue
            if service.restart_at is None:
                ran = now - service.started_at
                if ran >= STABLE_SECONDS:
                    service.crashes = 0
                delay = RESTART_DELAYS[min(service.crashes, len(RESTART_DELAYS) - 1)]
                service.crashes += 1
                service.restart_at = now + delay
                said.append(
                    f"{name} exited (status {process.returncode}) after {ran:.0f} s; restarting it in {delay:.0f} s"
                )
            elif now >= service.restart_at:
                service.restarts += 1
                self.start_service(name)
                said.append(f"{name} restarted (restart {service.restarts}; crashes in a row: {service.crashes})")
        return said

    def watch(self, interval: float = 1.0) -> threading.Event:
        """Supervise in a background thread (the tests' stacks; `make run` supervises in its main loop). Set the
        returned event to stop watching."""
        stop = threading.Event()
        self.supervised = True

        def loop() -> None:
            while not stop.wait(interval):
                for line in self.supervise():
                    print(f"[supervisor] {line}", file=sys.stderr, flush=True)

        threading.Thread(target=loop, name="stack-supervisor", daemon=True).start()
        return stop

    def wait_ready(self, timeout: float = 300.0, on_wait: Callable[[dict[str, Any]], None] | None = None) -> None:
        """Block until GET /healthz is 200 (Rasa, actions and the FAQ index ready)."""
        deadline = time.monotonic() + timeout
        last: dict[str, Any] = {}
        while time.monotonic() < deadline:
            if (dead := self.exited()) and not (self.supervised and self.was_ready):
                raise RuntimeError(f"{', '.join(dead)} exited during start-up; see the logs above")
            try:
                response = httpx.get(f"{self.url}/healthz", timeout=5)
                if response.status_code == 200 and not (waiting := self.bots_loading()):
                    self.was_ready = True
                    return
                last = response.json() if response.status_code != 200 else {"loading": waiting}
            except (httpx.HTTPError, ValueError):
                last = {"helpdesk": "starting"}
            if on_wait:
                on_wait(last)
            time.sleep(1.0)
        raise TimeoutError(f"the stack was not ready after {timeout:.0f} s: {last}")

    def bots_loading(self) -> list[str]:
        """The Rasa processes started here that do not answer with a loaded model yet (the helpdesk is ready
        with one of them; a start waits for all)."""
        loading = []
        for name in self.rasa_names:
            port = self.services[name].env["RASA_PORT"]
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}/status", params={"token": self.env["RASA_TOKEN"]}, timeout=5
                )
                if response.status_code == 200 and response.json().get("model_id"):
                    continue
            except (httpx.HTTPError, ValueError):
                pass
            loading.append(name)
        return loading


def _pump(name: str, process: subprocess.Popen[bytes]) -> None:
    assert process.stdout is not None
    prefix = f"[{name:>8}] "
    for raw in iter(process.stdout.readline, b""):
        sys.stdout.write(prefix + raw.decode("utf-8", "replace"))
        sys.stdout.flush()


def away_notice() -> str:
    """A line for `make run` when the support team is out of hours now (handoffs then offer leaving a message)."""
    from helpdesk.conversation.business_hours import load_schedule

    path = Settings.from_env().business_hours_file
    status = load_schedule(path).status()
    if status.open:
        return ""
    back = f"back {status.back}" if status.back else "no opening hours scheduled"
    return (
        f"  The support team is away now ({path}: {back}); handoffs offer leaving a message.\n"
        "  `BUSINESS_HOURS=off make run` demos live handoffs at any hour.\n"
    )


class StopRequest:
    """Ctrl-C or SIGTERM asked the stack to stop. The signal handler only sets a flag: a handler that takes a lock
    (``threading.Event.set``) deadlocks when the signal lands while the main thread holds that very lock inside
    ``Event.wait`` (seen: a SIGTERM left ``make run`` hanging for good, its services still serving)."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self, signum: int, _frame: object) -> None:
        self.requested = True

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds`` (a signal's handler runs meanwhile); True once a stop was asked for."""
        if not self.requested:
            time.sleep(seconds)
        return self.requested


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run Rasa, the action webhook and the helpdesk together.")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    stack = Stack(ports=Ports.from_env())
    stopping = StopRequest()
    signal.signal(signal.SIGINT, stopping)
    signal.signal(signal.SIGTERM, stopping)
    stack.start()
    stack.supervised = True
    try:
        started = time.monotonic()
        stack.wait_ready(args.timeout)
        print(
            f"\n  Ready in {time.monotonic() - started:.0f} s.\n"
            f"  Demo shop with the chat widget: {stack.url}/\n"
            f"  Agent console:                  {stack.url}/agent\n"
            f"  Support dashboard:              {stack.url}/agent/dashboard   (supervisors, admins)\n"
            f"  Unanswered questions:           {stack.url}/agent/unanswered  (editors, supervisors, admins)\n"
            f"  Chat API:                       {stack.url}/api/chat\n"
            f"  Health:                         {stack.url}/healthz\n"
            + "".join(
                f"  Rasa: http://127.0.0.1:{rasa}   actions: http://127.0.0.1:{actions}\n"
                for rasa, actions in stack.ports.bots()
            )
            + "  Press Ctrl-C to stop everything.\n",
            flush=True,
        )
        print(away_notice(), end="", flush=True)
        while not stopping.requested:
            # a crashed process is restarted (with back-off); the others keep serving meanwhile: the helpdesk
            # stores every customer message and answers it once the bot is back (conversation/pending.py)
            for line in stack.supervise():
                print(f"[supervisor] {line}", file=sys.stderr, flush=True)
            stopping.wait(1.0)
        return 0
    except (RuntimeError, TimeoutError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        print("stopping…", flush=True)
        stack.stop()


if __name__ == "__main__":
    raise SystemExit(main())
