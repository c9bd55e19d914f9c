"""Fixtures for the browser kiosk: ``kiosk serve`` as a subprocess, headless Chromium, the screen.

Chromium is Debian's (``/usr/bin/chromium``), driven through Playwright with nothing
downloaded. The page's terminal is drawn on a canvas, so :class:`Screen` reads what the
visitor sees from xterm.js's own buffer (``window.textualSession``, exposed by the
server's one edit to textual.js).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT_S = 30
WAIT_TIMEOUT_S = 20

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium; "
    "listed in .ci/apt-packages.txt)",
)

READ_SCREEN = """() => {
    const session = window.textualSession;
    if (!session) { return []; }
    const buffer = session.terminal.buffer.active;
    const lines = [];
    for (let row = 0; row < session.terminal.rows; row++) {
        const line = buffer.getLine(buffer.viewportY + row);
        lines.push(line ? line.translateToString(true) : "");
    }
    return lines;
}"""

CELL_GEOMETRY = """() => {
    const session = window.textualSession;
    const rect = session.terminal.element.querySelector(".xterm-screen").getBoundingClientRect();
    return {
        left: rect.left, top: rect.top,
        columns: session.terminal.cols,
        width: rect.width / session.terminal.cols,
        height: rect.height / session.terminal.rows,
    };
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server did not answer {url} within {START_TIMEOUT_S} s")


class KioskServe:
    """``python -m kiosk serve --kiosk`` (or another server command) on a free loopback port."""

    def __init__(self, extra_args: Sequence[str] = (), command: Sequence[str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.extra_args = list(extra_args)
        self.command = list(command) if command is not None else None
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = self.command or [sys.executable, "-m", "kiosk", "serve", "--kiosk"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), *self.extra_args],
            cwd=REPO_ROOT,
            env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_server(self.url + "health", self.process)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def health(self) -> dict[str, object]:
        import json

        with urllib.request.urlopen(self.url + "health", timeout=5) as response:
            return json.loads(response.read())

    def wait_until_warm(self, timeout: float = START_TIMEOUT_S) -> None:
        """Until the server has a warm app process ready (see ``/health``)."""
        deadline = time.monotonic() + timeout
        while not self.health().get("warm"):
            if time.monotonic() > deadline:
                pytest.fail(f"no warm app process within {timeout} s: {self.health()}")
            time.sleep(0.1)

    def app_pids(self) -> list[int]:
        """The app processes the server started (its children), from /proc."""
        assert self.process is not None
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return pids


@pytest.fixture
def start_server() -> Iterator[Callable[..., KioskServe]]:
    """Start ``kiosk serve`` (or ``command``) with extra arguments; stopped after the test."""
    started: list[KioskServe] = []

    def start(*extra_args: str, command: Sequence[str] | None = None) -> KioskServe:
        server = KioskServe(extra_args, command=command)
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def kiosk_serve(start_server: Callable[..., KioskServe]) -> KioskServe:
    return start_server()


@pytest.fixture
def server_url(kiosk_serve: KioskServe) -> str:
    return kiosk_serve.url


@pytest.fixture
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


class Screen:
    """The kiosk page as a visitor sees and touches it."""

    def __init__(self, page) -> None:
        self.page = page

    def lines(self) -> list[str]:
        from playwright.sync_api import Error

        try:
            return self.page.evaluate(READ_SCREEN)
        except Error:  # the page is reloading
            return []

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait_for(self, text: str, timeout: float = WAIT_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"{text!r} did not appear; the page shows:\n{screen}")
            time.sleep(0.1)

    def wait_for_change(self, before: str, timeout: float = WAIT_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout
        while True:
            time.sleep(0.2)
            screen = self.text()
            if screen != before:
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"the page did not change; it shows:\n{screen}")

    def tap(self, text: str) -> None:
        """Tap the middle of the first place on the screen where ``text`` is shown."""
        for row, line in enumerate(self.lines()):
            column = line.find(text)
            if column >= 0:
                cell = self.page.evaluate(CELL_GEOMETRY)
                x = cell["left"] + (column + len(text) / 2) * cell["width"]
                y = cell["top"] + (row + 0.5) * cell["height"]
                self.page.touchscreen.tap(x, y)
                return
        pytest.fail(f"nothing to tap: {text!r} is not on the page:\n{self.text()}")

    def tap_until(self, text: str, shown: str, attempts: int = 3) -> str:
        """Tap ``text`` until ``shown`` appears, as a visitor taps again when nothing happens.

        A tap read from the screen just before the warm app process takes the browser's
        size can land on the layout before the resize; on a loaded machine that happens.
        """
        for attempt in range(attempts):
            self.tap(text)
            try:
                return self.wait_for(shown, timeout=10 if attempt < attempts - 1 else 20)
            except pytest.fail.Exception:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def scroll_down_until(self, text: str, attempts: int = 8) -> str:
        """Tap the scroll bar's track, below its thumb, until ``text`` shows."""
        for _ in range(attempts):
            screen = self.text()
            if text in screen:
                return screen
            lines = self.lines()
            nav_top = max(row for row, line in enumerate(lines) if "▔" in line)
            cell = self.page.evaluate(CELL_GEOMETRY)
            x = cell["left"] + (cell["columns"] - 2.5) * cell["width"]
            y = cell["top"] + (nav_top - 0.5) * cell["height"]
            self.page.touchscreen.tap(x, y)
            self.wait_for_change(screen, timeout=5)
        return self.wait_for(text, timeout=1)


@pytest.fixture
def screen_of() -> Callable[[object], Screen]:
    """``screen_of(page)``: the :class:`Screen` of a Playwright page."""
    return Screen


def label(key: str) -> str:
    """The English interface text for ``key``, up to its first placeholder."""
    from kiosk.strings import Strings

    return Strings("en")[key].split("{", 1)[0]


@pytest.fixture(name="label")
def label_fixture() -> Callable[[str], str]:
    """``label(key)``: the English interface text for ``key``, up to its first placeholder."""
    return label
