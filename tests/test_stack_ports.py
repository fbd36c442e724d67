"""`make run` (helpdesk.stack) refuses to start over a port something else already listens on."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from helpdesk.stack import Ports, Stack, free_port


def test_a_taken_port_stops_the_start_with_the_port_and_its_setting(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        taken = listener.getsockname()[1]
        stack = Stack(ports=Ports(helpdesk=taken, rasa=free_port(), actions=free_port()), log_dir=tmp_path)
        with pytest.raises(SystemExit, match=rf"port {taken} for the helpdesk is already in use.*HELPDESK_PORT"):
            stack.start()
    assert all(service.process is None for service in stack.services.values())  # nothing was started
