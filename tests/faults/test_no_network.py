"""With every network connection failing, the kiosk and ``kiosk check`` work as usual."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.app import make_app
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.site import Site

pytestmark = [pytest.mark.ui, pytest.mark.e2e]

BLOCKER_DIR = Path(__file__).resolve().parent / "no_network_site"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every connection in this process fail; returns the list of attempts."""
    attempts: list[str] = []

    def refuse(what: str):
        def blocked(*args, **kwargs):
            attempts.append(what)
            raise OSError(101, f"network disabled by the test ({what})")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def offline_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    attempts = tmp_path / "net-attempts.txt"
    pythonpath = os.pathsep.join(filter(None, [str(BLOCKER_DIR), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": pythonpath, "KIOSK_NET_ATTEMPTS": str(attempts)}, attempts


def test_blocker_really_blocks(tmp_path: Path) -> None:
    """Control: the sitecustomize is picked up, so the tests below can fail."""
    env, attempts = offline_env(tmp_path)
    code = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode != 0
    assert "network disabled by the fault test" in run.stderr
    assert "create_connection" in attempts.read_text()


async def test_app_works_offline(no_network: list[str]) -> None:
    site = Site(name="Riverside Pool", emergency_number="999")
    app = make_app(load_deck(bundled_cards_dir()), site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("right", "right", "escape", "home")
        await pilot.press("slash", "c", "r", "a", "m", "p", "escape")
        await pilot.pause()
        assert app.is_running
        assert "999" in "".join(str(w.render()) for w in app.screen.query("Static"))
    assert no_network == [], f"the app tried the network: {no_network}"


@pytest.mark.parametrize("command", [["check"], ["list"], ["--version"]])
def test_cli_works_offline(tmp_path: Path, command: list[str]) -> None:
    env, attempts = offline_env(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", *command], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert not attempts.exists(), f"`kiosk {' '.join(command)}` tried the network"
