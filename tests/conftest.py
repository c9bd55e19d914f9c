"""Shared fixtures: the bundled deck, and a real terminal (tmux) for end-to-end tests."""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kiosk.deck import bundled_cards_dir

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_kiosk_error_logged(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture):
    """Fail a test during which the kiosk logged an ERROR.

    The app catches every unexpected exception (the visitor is sent home and the error
    logged), so without this a Pilot test would pass straight over a crash. Tests that
    provoke errors on purpose carry ``@pytest.mark.expected_errors``.
    """
    yield
    if request.node.get_closest_marker("expected_errors") is not None:
        return
    errors = [
        f"{r.name}: {r.getMessage()}" + (f" ({r.exc_info[1]!r})" if r.exc_info else "")
        for r in caplog.get_records("call")
        if r.name.startswith("kiosk") and r.levelno >= logging.ERROR
    ]
    assert errors == [], "the kiosk logged errors"


@pytest.fixture(autouse=True)
def fleet_state_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every app a test starts keeps its usage counts in a temporary folder (never the
    developer's ~/.local/state/kiosk) and talks to no real systemd (kiosk/fleet/hooks.py)."""
    monkeypatch.setenv("STATE_DIRECTORY", str(tmp_path_factory.mktemp("state")))
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)


@pytest.fixture(autouse=True)
def fake_voice_service(monkeypatch: pytest.MonkeyPatch):
    """Every app a test starts gets a fake voice service (tests/support/voice.py): no
    sound, no aplay, no pre-rendering of the deck. Closed and forgotten after the test."""
    import kiosk.voice.ui
    from tests.support.voice import FakeVoice

    monkeypatch.setattr(kiosk.voice.ui, "service_factory", FakeVoice)
    yield
    kiosk.voice.ui.close_process_service()


@pytest.fixture
def bundled_dir() -> Path:
    return bundled_cards_dir()


class TmuxPane:
    """A real terminal for one test: a private tmux server with one 80x24 pane running bash.

    The server has its own socket name, so it never touches a user's tmux sessions.
    """

    PROMPT = "READY$ "

    def __init__(self, socket_name: str) -> None:
        self.socket_name = socket_name

    def tmux(self, *args: str) -> str:
        run = subprocess.run(
            ["tmux", "-L", self.socket_name, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=20,
        )
        return run.stdout

    def start(self, env: dict[str, str] | None = None) -> None:
        extra = [f"{k}={v}" for k, v in (env or {}).items()]
        shell = ["env", *extra, f"PS1={self.PROMPT}", "bash", "--norc", "--noprofile"]
        self.tmux("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", shlex.join(shell))
        self.wait_for(lambda: self.PROMPT.strip() in self.capture(), "the shell prompt")

    def type(self, line: str) -> None:
        self.tmux("send-keys", "-t", "t", "-l", line)
        self.tmux("send-keys", "-t", "t", "Enter")

    def capture(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def tap(self, text: str) -> None:
        """Tap the first place on screen showing ``text``, as a touch terminal does.

        A touchscreen terminal reports a tap as a left mouse press and release (SGR
        encoding, the mode Textual turns on); tmux passes the bytes to the program.
        """
        for row, line in enumerate(self.capture().splitlines(), start=1):
            column = line.find(text)
            if column >= 0:
                x, y = column + 1 + len(text) // 2, row
                self.tmux("send-keys", "-t", "t", "-l", f"\x1b[<0;{x};{y}M")
                self.tmux("send-keys", "-t", "t", "-l", f"\x1b[<0;{x};{y}m")
                return
        raise AssertionError(f"nothing on screen shows {text!r}; screen:\n{self.capture()}")

    def flag(self, name: str) -> str:
        """A pane flag such as ``alternate_on``, ``mouse_any_flag``, ``cursor_flag``."""
        return self.tmux("display", "-p", "-t", "t", f"#{{{name}}}").strip()

    def shell_pid(self) -> int:
        return int(self.flag("pane_pid"))

    def foreground_child(self) -> int | None:
        """The pid of the program the shell is running, if any."""
        children = Path(f"/proc/{self.shell_pid()}/task/{self.shell_pid()}/children")
        pids = children.read_text().split() if children.exists() else []
        return int(pids[0]) if pids else None

    def wait_for(self, condition, what: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; screen:\n{self.capture()}")

    def kill_server(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def tmux_pane(tmp_path: Path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (.ci/apt-packages.txt lists it)")
    pane = TmuxPane(f"kiosk-faults-{os.getpid()}-{tmp_path.name}")
    try:
        yield pane
    finally:
        pane.kill_server()


TIERS = ("data", "ui", "snapshot", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test names its tier (pyproject.toml lists them): a test without one is a bug."""
    untiered = [
        item.nodeid for item in items if not any(item.get_closest_marker(tier) for tier in TIERS)
    ]
    if untiered:
        raise pytest.UsageError(
            "tests without a tier marker (data, ui, snapshot, e2e): " + ", ".join(untiered[:10])
        )
