"""realtime_bench's report: results/realtime_bench.md from the results it measured."""

from __future__ import annotations

from typing import Any

TARGET_P99_MS = 100.0  # agent → customer delivery, paced phases


def fmt(value: Any, unit: str = "") -> str:
    return "–" if value is None else f"{value}{unit}"


def markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    lines = [
        "# Real-time bench: agent → customer delivery and websocket memory",
        "",
        f"Machine: {machine['line']}.",
        "",
        f"Code: commit {results.get('git_commit', '?')}"
        + (
            f", uncommitted helpdesk changes: {', '.join(results['uncommitted_helpdesk_changes'])}"
            if results.get("uncommitted_helpdesk_changes")
            else ""
        )
        + f". Run: `{results['command']}`, {results['total_minutes']} min, finished {results['finished']}.",
        "",
    ]
    figures = []
    for name, phase in (results.get("latency") or {}).get("phases", {}).items():
        lat = phase["latency_ms"]
        what = f"{phase['rate_msgs_per_s']:g} msg/s" if name.startswith("paced") else "burst"
        figures.append(f"{what} p50 {fmt(lat.get('p50'))} / p99 {fmt(lat.get('p99'))} ms")
    if figures:
        lines += [
            f"**Agent → customer delivery, {results['latency']['conversations']} open conversations:** "
            + "; ".join(figures)
            + f" (target p99 ≤ {TARGET_P99_MS:g} ms).",
            "",
        ]
    if results.get("memory"):
        lines += [
            f"**Helpdesk RSS per 1,000 open widget websockets:** {results['memory']['mb_per_1000_sockets']} MB.",
            "",
        ]
    latency = results.get("latency")
    if latency:
        lines += [
            f"## Delivery latency, {latency['conversations']} open conversations",
            "",
            f"One helpdesk process (sanic, single process, SQLite WAL) on 127.0.0.1; {latency['agents']} agents "
            f"({latency['chats_per_agent']} chats each) logged in over HTTP"
            + (f" with {latency['console_sockets']} console sockets open" if latency["console_sockets"] else "")
            + f"; {latency['conversations']} customer widget sockets. Latency = from just before the agent's "
            "`POST /api/agent/conversations/<id>/messages` to the moment the customer's socket has the message. "
            f"Paced: messages spread evenly at the given rate, {latency['rounds']} per conversation; burst: all "
            f"{latency['conversations']} conversations at the same instant, in {latency['rounds']} rounds. "
            f"Target: p99 ≤ {TARGET_P99_MS:g} ms.",
            "",
            "| load | sent | delivered | errors | p50 ms | p95 ms | p99 ms | max ms | HTTP p50/p99 ms | "
            "throughput msg/s | server CPU (cores) | load avg | p99 ≤ 100 ms |",
            "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for name, phase in latency["phases"].items():
            lat, http = phase["latency_ms"], phase["http_response_ms"]
            label = (
                f"paced {phase['rate_msgs_per_s']:g} msg/s"
                if name.startswith("paced")
                else f"burst ({latency['conversations']} at once)"
            )
            errors = ", ".join(f"{k}: {v}" for k, v in phase["errors"].items()) or "0"
            met = "yes" if lat.get("p99", float("inf")) <= TARGET_P99_MS else "no"
            lines.append(
                f"| {label} | {phase['sent']} | {phase['delivered']} | {errors} | {fmt(lat.get('p50'))} | "
                f"{fmt(lat.get('p95'))} | {fmt(lat.get('p99'))} | {fmt(lat.get('max'))} | "
                f"{fmt(http.get('p50'))} / {fmt(http.get('p99'))} | {fmt(phase['throughput_msgs_per_s'])} | "
                f"{fmt(phase['server_cpu_share_of_one_core'])} | {phase['load_average_1min'][0]} | {met} |"
            )
        lag = {n: p["client_loop_lag_ms"].get("p99") for n, p in latency["phases"].items()}
        lines += [
            "",
            "Throughput: paced rows deliver what they are offered; the burst row is messages delivered per second "
            "while a burst was in flight (first POST to last delivery), i.e. the saturated rate. Server CPU: the "
            "helpdesk's CPU seconds over the phase's wall time (1.0 = one core busy). The load generator runs on the "
            "same 2 cores; its own event-loop lag p99 (ms) was "
            + ", ".join(f"{n} {v}" for n, v in lag.items())
            + f". Sockets closed during the run: {latency['sockets_closed_during_run'] or 'none'}.",
            "",
        ]
    memory = results.get("memory")
    if memory:
        lines += [
            f"## Resident memory per 1,000 open widget sockets ({memory['sockets']} opened)",
            "",
            "A fresh helpdesk process; each socket is a customer widget on its own open conversation "
            "(`/api/chat/<id>/ws?after=0`, replay then the `state` frame, then idle). VmRSS from /proc after "
            f"{memory['settle_seconds']} s of settling at each step.",
            "",
            "| open sockets | helpdesk RSS MB | server fds |",
            "|---:|---:|---:|",
        ]
        lines += [f"| {s['open']} | {s['rss_mb']} | {s['server_fds']} |" for s in memory["steps"]]
        lines += [
            "",
            f"**{fmt(memory['mb_per_1000_sockets'])} MB per 1,000 sockets** ({fmt(memory['kb_per_socket'])} KB each; "
            f"RSS {memory['rss_before_mb']} → {memory['rss_after_mb']} MB).",
            "",
            f"Churn check: all closed → {memory['rss_after_close_mb']} MB ({memory['server_fds_after_close']} fds); "
            f"{memory['linger_seconds']:g} s later {memory['rss_after_close_and_linger_mb']} MB; the same number "
            f"opened again → {memory['rss_after_reopen_mb']} MB; closed again, {memory['linger_seconds']:g} s later "
            f"{memory['rss_after_second_close_and_linger_mb']} MB. (CPython keeps freed memory for reuse, so RSS "
            "does not fall after closing; growth on the second opening would mean a leak per connection.) "
            "Compression negotiated: "
            f"{memory['widget_socket_extensions'] or 'none'}. Open failures: {memory['open_failures'] or 'none'}.",
            "",
        ]
    return "\n".join(lines)
