"""``kiosk serve`` pings systemd from its own loop; its app processes never see the socket."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual_serve.download_manager import DownloadManager

from kiosk.serve import KioskServer
from kiosk.serve_sessions import KioskAppService

pytestmark = [pytest.mark.data]


@pytest.fixture
def notify_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(tmp_path / "notify"))
    listener.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", listener.getsockname())
    monkeypatch.setenv("WATCHDOG_USEC", "600000")  # a ping every 0.5 s
    monkeypatch.setenv("WATCHDOG_PID", "1")
    yield listener
    listener.close()


def received(listener: socket.socket) -> list[str]:
    messages = []
    while True:
        try:
            messages.append(listener.recv(4096).decode())
        except BlockingIOError:
            return messages


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
