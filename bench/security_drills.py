"""The attacks of issue 15 (findings 2, 3, 4, 6, 8, 12) against a running helpdesk, measured (not asserted): what
each attack got. Run it against two helpdesks (say, main's code and this branch's, on PostgreSQL, sharing one
Rasa) to fill the closing note's before/after table:

    .venv/bin/python -m bench.security_drills --url http://127.0.0.1:61010 --database postgresql://... \
        --label before --out results/security/drills-before.json

The helpdesk should trust one proxy (PROXIES_COUNT=1) so one machine can play many client addresses; a
helpdesk that ignores X-Forwarded-For is measured as it is (every guess from one address). Accounts are written
straight into its database (random passwords).
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect


def add_accounts(database_url: str, names: list[tuple[str, str]]) -> dict[str, str]:
    import asyncio

    from helpdesk.db.engine import create_engine, migrate, session_factory
    from helpdesk.staff.accounts import add_agent

    migrate(database_url)
    passwords = {name: secrets.token_urlsafe(12) for name, _ in names}

    async def create() -> None:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as session:
                for name, role in names:
                    await add_agent(session, name, passwords[name], role=role, max_concurrent=50)
        finally:
            await engine.dispose()

    asyncio.run(create())
    return passwords


def login(http: httpx.Client, username: str, password: str, address: str) -> httpx.Response:
    return http.post(
        "/api/agent/login", json={"username": username, "password": password}, headers={"X-Forwarded-For": address}
    )


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 3) if ordered else 0.0


def login_flood(url: str, guesses: int, addresses: int) -> dict[str, Any]:
    """`guesses` concurrent failed logins from `addresses` addresses while one customer chats."""
    statuses: Counter[int] = Counter()
    chat_times: list[float] = []
    chat_statuses: Counter[int] = Counter()
    stop = threading.Event()

    def guess(i: int) -> None:
        with httpx.Client(base_url=url, timeout=180) as http:
            try:
                response = login(http, f"nobody-{i}", "wrong-password", f"198.18.{i % addresses}.{i // addresses + 1}")
                statuses[response.status_code] += 1
            except httpx.HTTPError:
                statuses[0] += 1

    def customer() -> None:
        texts = ["hi", "how long does delivery take?", "do you ship to Canada?", "what is your refund policy?"]
        with httpx.Client(base_url=url, timeout=180) as http:
            conversation = None
            i = 0
            while not stop.is_set() or i < 4:
                start = time.monotonic()
                response = http.post("/api/chat", json={"conversation_id": conversation, "text": texts[i % 4]})
                chat_times.append(time.monotonic() - start)
                chat_statuses[response.status_code] += 1
                if response.status_code == 200:
                    conversation = response.json()["conversation_id"]
                i += 1

    quiet: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as http:
        for text in ("hello", "how long does delivery take?", "what is your refund policy?"):
            start = time.monotonic()
            http.post("/api/chat", json={"conversation_id": None, "text": text})
            quiet.append(time.monotonic() - start)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=guesses + 1) as pool:
        chat = pool.submit(customer)
        for done in [pool.submit(guess, i) for i in range(guesses)]:
            done.result()
        stop.set()
        chat.result()
    return {
        "guesses": guesses,
        "addresses": addresses,
        "login_statuses": dict(statuses),
        "flood_seconds": round(time.monotonic() - started, 1),
        "customer_turns": len(chat_times),
        "customer_statuses": dict(chat_statuses),
        "customer_p99_seconds": p99(chat_times),
        "customer_max_seconds": round(max(chat_times), 3) if chat_times else None,
        "customer_median_quiet_seconds": round(statistics.median(quiet), 3),
    }


def login_race(url: str, password: str) -> dict[str, Any]:
    statuses: list[int] = []
    sent = threading.Event()

    def wrong(i: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            sent.set()
            statuses.append(login(http, "racer", f"wrong-{i}", "203.0.113.41").status_code)

    with ThreadPoolExecutor(max_workers=25) as pool:
        burst = [pool.submit(wrong, i) for i in range(25)]
        sent.wait(10)
        with httpx.Client(base_url=url, timeout=120) as http:
            right = login(http, "racer", password, "203.0.113.41").status_code
        for done in burst:
            done.result()
    return {"wrong": dict(Counter(statuses)), "checked_wrong": statuses.count(401), "right_password": right}


def lockout(url: str, password: str) -> dict[str, Any]:
    with httpx.Client(base_url=url, timeout=60) as stranger, httpx.Client(base_url=url, timeout=60) as agent:
        statuses = [login(stranger, "victim", f"guess-{i}", "203.0.113.66").status_code for i in range(6)]
        return {"stranger": statuses, "agent_elsewhere": login(agent, "victim", password, "198.51.100.12").status_code}


def widget_sockets(url: str, count: int) -> dict[str, Any]:
    ws_base = url.replace("http://", "ws://")
    with httpx.Client(base_url=url, timeout=60) as http:
        conversations = [
            http.post("/api/chat", json={"conversation_id": None, "text": "hello"}).json()["conversation_id"]
            for _ in range(10)
        ]
        codes: Counter[str] = Counter()
        sockets = []
        for i in range(count):
            ws = connect(f"{ws_base}/api/chat/{conversations[i % 10]}/ws")
            sockets.append(ws)
            try:
                while json.loads(ws.recv(timeout=10))["type"] != "state":
                    pass
                codes["open"] += 1
            except ConnectionClosed as closed:
                codes[str(closed.rcvd.code if closed.rcvd else None)] += 1
        start = time.monotonic()
        answered = http.post("/api/chat", json={"conversation_id": conversations[0], "text": "do you ship to Canada?"})
        result = {"sockets": count, "outcomes": dict(codes), "chat_status_meanwhile": answered.status_code}
        result["chat_seconds_meanwhile"] = round(time.monotonic() - start, 3)
        for ws in sockets:
            ws.close()
    return result


def console_after_logout(url: str, password: str) -> dict[str, Any]:
    with httpx.Client(base_url=url, timeout=60) as http:
        response = login(http, "leaver", password, "198.51.100.77")
        csrf = response.json()["csrf_token"]
        cookie = http.cookies.get("helpdesk_agent") or ""
        ws = connect(
            url.replace("http://", "ws://") + "/api/agent/ws?after=0",
            additional_headers={"Cookie": f"helpdesk_agent={cookie}"},
        )
        ws.recv(timeout=10)
        started = time.monotonic()
        http.post("/api/agent/logout", headers={"X-CSRF-Token": csrf})
        try:
            while True:
                ws.recv(timeout=15 - (time.monotonic() - started))
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            return {"closed_after_seconds": round(time.monotonic() - started, 1), "code": code}
        except TimeoutError:
            ws.close()
            return {"closed_after_seconds": None, "still_open_after_seconds": 15}


def queue_flood(url: str, junk: int) -> dict[str, Any]:
    ws_base = url.replace("http://", "ws://")
    with httpx.Client(base_url=url, timeout=60) as http:
        first = http.post("/api/chat", json={"conversation_id": None, "text": "I want to talk to a real person please"})
        waiting = first.json()["conversation_id"]
        ws = connect(f"{ws_base}/api/chat/{waiting}/ws")
        while json.loads(ws.recv(timeout=10))["type"] != "state":
            pass
        statuses: Counter[int] = Counter()
        modes: Counter[str] = Counter()
        started = time.monotonic()
        for i in range(junk):
            response = http.post(
                "/api/chat",
                json={"conversation_id": None, "text": "/request_human"},
                headers={"X-Forwarded-For": f"192.0.2.{i % 3 + 1}"},
            )
            statuses[response.status_code] += 1
            if response.status_code == 200:
                modes[response.json()["mode"]] += 1
        flood_seconds = time.monotonic() - started
        real = http.post(
            "/api/chat",
            json={"conversation_id": None, "text": "my sofa arrived torn, I need a person"},
            headers={"X-Forwarded-For": "198.51.100.9"},
        ).json()
        if real.get("mode") != "queued":
            real = http.post(
                "/api/chat",
                json={"conversation_id": real["conversation_id"], "text": "I want to talk to a real person please"},
                headers={"X-Forwarded-For": "198.51.100.9"},
            ).json()
        state = http.get(f"/api/chat/{real['conversation_id']}/messages").json()
        told = 0
        try:
            while True:
                if json.loads(ws.recv(timeout=3))["type"] == "queue":
                    told += 1
        except (TimeoutError, ConnectionClosed):
            pass
        ws.close()
    return {
        "junk_handoffs_sent": junk,
        "statuses": dict(statuses),
        "modes": dict(modes),
        "flood_seconds": round(flood_seconds, 1),
        "real_customer_queue": state.get("queue"),
        "queue_events_to_first_waiting_customer": told,
    }


def odd_input(url: str) -> dict[str, Any]:
    big = 2**31
    with httpx.Client(base_url=url, timeout=60) as http:
        conversation = http.post("/api/chat", json={"conversation_id": None, "text": "hello"}).json()["conversation_id"]
        raw = {"Content-Type": "application/json"}
        return {
            "nul_text": http.post("/api/chat", json={"conversation_id": None, "text": "a\x00b"}).status_code,
            "lone_surrogate": http.post(
                "/api/chat", content=b'{"conversation_id": null, "text": "a \\ud800"}', headers=raw
            ).status_code,
            "nested_50000": http.post(
                "/api/chat", content=('{"text": "hi", "x": ' + "[" * 50000 + "]" * 50000 + "}").encode(), headers=raw
            ).status_code,
            "after_2^31": http.get(f"/api/chat/{conversation}/messages", params={"after": str(big)}).status_code,
            "feedback_id_2^33": http.post(
                f"/api/chat/{conversation}/messages/{big * 4}/feedback", json={"helpful": True}
            ).status_code,
            "nul_in_path": http.get("/api/chat/abc%00def/messages").status_code,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--database", required=True, help="the helpdesk's database URL (accounts are added)")
    parser.add_argument("--label", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", nargs="*", help="run only these drills")
    args = parser.parse_args()
    passwords = add_accounts(args.database, [("racer", "agent"), ("victim", "agent"), ("leaver", "agent")])
    drills = {
        "login_flood_100": lambda: login_flood(args.url, 100, 50),
        "login_flood_300": lambda: login_flood(args.url, 300, 50),
        "login_race": lambda: login_race(args.url, passwords["racer"]),
        "lockout": lambda: lockout(args.url, passwords["victim"]),
        "widget_sockets_50": lambda: widget_sockets(args.url, 50),
        "console_after_logout": lambda: console_after_logout(args.url, passwords["leaver"]),
        "queue_flood_150": lambda: queue_flood(args.url, 150),
        "odd_input": lambda: odd_input(args.url),
    }
    results: dict[str, Any] = {"label": args.label, "url": args.url}
    for name, drill in drills.items():
        if args.only and name not in args.only:
            continue
        print(f"{args.label}: {name}…", flush=True)
        try:
            results[name] = drill()
        except Exception as exc:  # a drill that breaks the helpdesk is a result too
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(results[name]), flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
