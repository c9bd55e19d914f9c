"""The systemd watchdog against a fake NOTIFY_SOCKET (a Unix datagram socket in tmp)."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

import pytest

from kiosk.fleet.watchdog import DEFAULT_PING_SECONDS, SystemdWatchdog, ping_interval
from tests.fleet.conftest import received

pytestmark = [pytest.mark.data]


def environ_for(listener: socket.socket) -> dict[str, str]:
    return {"NOTIFY_SOCKET": listener.getsockname(), "WATCHDOG_USEC": "3000000"}


async def test_ready_then_pings_from_the_loop_and_silence_when_it_freezes(
    notify_socket: socket.socket, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environ_for(notify_socket).items():
        monkeypatch.setenv(name, value)  # sdnotify reads the process environment
    watchdog = SystemdWatchdog()
    assert watchdog.enabled and watchdog.ping_seconds == pytest.approx(1.0)
    watchdog.ready()

    async def app_loop(ticks: int) -> None:
        """Stands for the app's set_interval: a ping on each tick of the event loop."""
        for _ in range(ticks):
            watchdog.ping()
            await asyncio.sleep(0.01)

    await app_loop(5)
    messages = received(notify_socket)
    assert messages == ["READY=1"] + ["WATCHDOG=1"] * 5

    # The loop is blocked (a frozen UI): nothing calls ping, so nothing arrives.
    time.sleep(0.5)
    assert received(notify_socket) == []

    await app_loop(1)  # the loop runs again: pings resume
    assert received(notify_socket) == ["WATCHDOG=1"]


def test_silent_without_notify_socket() -> None:
    watchdog = SystemdWatchdog({})
    assert not watchdog.enabled
    watchdog.ready()
    watchdog.ping()
    watchdog.stopping()


def test_a_vanished_socket_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "gone"))
    watchdog = SystemdWatchdog()
    watchdog.ready()
    watchdog.ping()


@pytest.mark.parametrize(
    ("usec", "seconds"),
    [
        ("", DEFAULT_PING_SECONDS),
        ("x", DEFAULT_PING_SECONDS),
        ("0", DEFAULT_PING_SECONDS),
        ("30000000", 10.0),
        ("600000", 0.5),
    ],
)
def test_ping_interval_is_a_third_of_watchdog_usec(usec: str, seconds: float) -> None:
    assert ping_interval({"WATCHDOG_USEC": usec}) == pytest.approx(seconds)


UNITS = Path(__file__).resolve().parents[2] / "deploy"


@pytest.mark.parametrize(
    ("unit", "access"),
    [("kiosk.service", "all"), ("kiosk-console.service", "main"), ("kiosk-serve.service", "main")],
)
def test_every_unit_has_a_watchdog_and_the_notify_access_its_launch_path_needs(
    unit: str, access: str
) -> None:
    """The app (and ``kiosk serve``) ping from their own loop every WATCHDOG_USEC/3."""
    lines = (UNITS / unit).read_text().splitlines()
    assert [line for line in lines if line.startswith("WatchdogSec=")] == ["WatchdogSec=30s"]
    assert f"NotifyAccess={access}" in lines
