"""End to end: ``kiosk serve`` in Debian's Chromium, driven by touch taps only.

The test starts the real server on a free loopback port, opens the page in headless
Chromium (through Playwright, with the system browser: nothing is downloaded), and
walks through the seizure card the way a visitor would: tap the tile, start the
stopwatch, step through, tap a source line, go home. It reads what the page shows
from the terminal's own buffer (xterm.js draws on a canvas), and checks that the page
asked nothing of any other host and never navigated away.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.site import Site

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


def label(key: str) -> str:
    """The English interface text for ``key``, up to its first placeholder."""
    from kiosk.strings import Strings

    return Strings("en")[key].split("{", 1)[0]


pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium; "
        "listed in .ci/apt-packages.txt)",
    ),
]

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
            pytest.fail(f"kiosk serve exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"kiosk serve did not answer {url} within {START_TIMEOUT_S} s")


class KioskServe:
    """``python -m kiosk serve --kiosk`` on a free loopback port, as a subprocess."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "serve", "--port", str(self.port), "--kiosk"],
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
def kiosk_serve() -> Iterator[KioskServe]:
    server = KioskServe()
    server.start()
    try:
        yield server
    finally:
        server.stop()


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


def test_touch_walk_through_the_seizure_card(server_url: str, browser) -> None:
    requested: list[str] = []
    navigations: list[str] = []
    context = browser.new_context(
        has_touch=True, is_mobile=False, viewport={"width": 1280, "height": 800}
    )
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda websocket: requested.append(websocket.url))
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == page.main_frame else None,
    )
    page.goto(server_url)
    screen = Screen(page)

    site = Site()
    seizure = load_deck(bundled_cards_dir()).deck.card("seizure", "en")
    assert seizure is not None
    sources_heading = label("card.sources")
    screen.wait_for(seizure.label, timeout=START_TIMEOUT_S)
    screen.wait_for(site.emergency_label)
    assert page.title() == site.name

    screen.tap(seizure.label)
    card = screen.wait_for(label("stopwatch.start"))

    screen.tap(label("stopwatch.start"))
    screen.wait_for(label("stopwatch.stop"))

    seen_pages = [card]
    for _ in range(12):
        if sources_heading in screen.text():
            break
        before = screen.text()
        screen.tap(label("card.next"))
        seen_pages.append(screen.wait_for_change(before))
    sources_page = screen.wait_for(sources_heading)
    assert label("stopwatch.running") + "0:" in sources_page, "the stopwatch is not running"
    assert len(seen_pages) >= 3, "stepping through the card showed too few pages"

    screen.scroll_down_until("https://")
    url_line = next(line for line in screen.lines() if "https://" in line)
    source_url = url_line.strip().split()[-1]
    screen.tap(source_url)
    time.sleep(1)
    assert page.url == server_url
    assert context.pages == [page], "tapping a source opened a new window"

    screen.tap(label("card.home"))
    screen.wait_for(label("home.pick"))
    assert navigations == [server_url], f"the page navigated: {navigations}"

    outside = [url for url in requested if urlsplit(url).hostname != "127.0.0.1"]
    assert not outside, f"the page made requests off the machine: {outside}"
    assert any(url.startswith("ws://127.0.0.1:") for url in requested)
    blocked = [text for text in console_errors if "Content Security Policy" in text]
    assert not blocked, f"the page needs something its own policy forbids: {blocked}"


def test_page_comes_back_by_itself_after_an_app_crash_and_a_server_restart(
    kiosk_serve: KioskServe, browser
) -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("finding the app process needs /proc")
    navigations: list[str] = []
    page = browser.new_context(has_touch=True, viewport={"width": 1024, "height": 600}).new_page()
    page.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == page.main_frame else None,
    )
    page.goto(kiosk_serve.url)
    screen = Screen(page)
    seizure = load_deck(bundled_cards_dir()).deck.card("seizure", "en")
    assert seizure is not None
    home_prompt = label("home.pick")
    screen.wait_for(home_prompt, timeout=START_TIMEOUT_S)
    screen.tap(seizure.label)
    screen.wait_for(label("stopwatch.start"))

    for pid in kiosk_serve.app_pids():
        os.kill(pid, signal.SIGKILL)
    page.wait_for_function("() => document.body.classList.contains('-recovering')")
    screen.wait_for(home_prompt, timeout=START_TIMEOUT_S)

    kiosk_serve.stop()
    page.wait_for_function("() => document.body.classList.contains('-recovering')")
    time.sleep(2)  # the page keeps waiting, it shows no browser error
    kiosk_serve.start()
    screen.wait_for(home_prompt, timeout=START_TIMEOUT_S)

    assert navigations and set(navigations) == {kiosk_serve.url}, navigations
