"""``kiosk serve`` pings systemd from its own loop; its app processes never see the socket."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from textual_serve.download_manager import DownloadManager

from kiosk.serve import KioskServer
from kiosk.serve_sessions import KioskAppService
from tests.fleet.conftest import received

pytestmark = [pytest.mark.data]


@pytest.fixture(autouse=True)
def systemd_env(notify_socket: socket.socket, monkeypatch: pytest.MonkeyPatch) -> None:
    """As systemd starts the unit: the socket, a ping every 0.5 s, another main PID."""
    monkeypatch.setenv("NOTIFY_SOCKET", notify_socket.getsockname())
    monkeypatch.setenv("WATCHDOG_USEC", "600000")
    monkeypatch.setenv("WATCHDOG_PID", "1")


async def test_the_server_says_ready_pings_and_stopping(notify_socket: socket.socket) -> None:
    server = KioskServer("true", port=0, warm=0)
    await server.start()
    messages: list[str] = []
    try:
        deadline = time.monotonic() + 20
        while messages.count("WATCHDOG=1") < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            messages += received(notify_socket)
    finally:
        await server.stop()
    assert messages[0] == "READY=1" and messages.count("WATCHDOG=1") >= 2
    assert received(notify_socket)[-1:] == ["STOPPING=1"]


def test_app_processes_get_no_notify_socket(notify_socket: socket.socket) -> None:
    service = KioskAppService(
        "true", download_manager=DownloadManager(), environment={"PYTHONPATH": "x"}
    )
    environment = service._build_environment()  # what textual-serve starts the app with
    assert environment["PYTHONPATH"] == "x"
    for name in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"):
        assert name not in environment
