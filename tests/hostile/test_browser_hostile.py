"""The red team's browser reproductions (B2 in-band size, B3, B5) in Chromium through
``kiosk serve``: the page must keep answering, with the emergency number shown.

Input goes in the way a visitor's keyboard puts it in: Playwright's keyboard (20 ms a
key, as in the report), and xterm.js's own ``input()``, which sends a whole string as
one stdin message, as a fast HID device or a paste would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
SITE = 'name = "Riverside Pool"\nemergency_number = "999"\nkiosk = true\nstaff_pin = "2468"\n'
TAP = "\x1b[<0;10;8M\x1b[<0;10;8m"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (.ci/apt-packages.txt lists it)",
    ),
]


def _seizure_tile() -> str:
    from kiosk.deck import bundled_cards_dir, load_deck

    deck = load_deck(bundled_cards_dir()).deck
    ids = [card.id for card in deck.cards_for("en")]
    card = deck.card("seizure", "en")
    assert card is not None
    return f"{ids.index('seizure') + 1} {card.label}"


SEIZURE_TILE = _seizure_tile()


def _swimming_card() -> tuple[str, str]:
    """The swimming card's key on home and its title."""
    from kiosk.deck import bundled_cards_dir, load_deck

    cards = load_deck(bundled_cards_dir()).deck.cards_for("en")
    ids = [card.id for card in cards]
    number = ids.index("swimming-cramp")
    return str(number + 1), cards[number].title


SWIMMING_KEY, SWIMMING_TITLE = _swimming_card()

READ_SCREEN = """() => {
    const session = window.textualSession;
    if (!session) { return ""; }
    const buffer = session.terminal.buffer.active;
    const lines = [];
    for (let row = 0; row < session.terminal.rows; row++) {
        const line = buffer.getLine(buffer.viewportY + row);
        lines.push(line ? line.translateToString(true) : "");
    }
    return lines.join("\\n");
}"""
SEND = "(data) => window.textualSession.terminal.input(data, true)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    site = tmp_path / "site.toml"
    site.write_text(SITE, encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "serve",
            "--port",
            str(port),
            "--kiosk",
            "--site",
            str(site),
        ],
        cwd=REPO_ROOT,
        env=dict(os.environ, PYTHONPATH=str(REPO_ROOT), KIOSK_LOG_DIR=str(tmp_path / "logs")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "health", timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def page(server: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1024, "height": 600})
            page.goto(server)
            wait_for(page, SEIZURE_TILE)
            page.mouse.click(300, 8)  # focus the terminal (a tap on the emergency bar: inert)
            wait_for(page, SEIZURE_TILE)
            yield page
        finally:
            browser.close()


def wait_for(page, text: str, timeout: float = 25.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            screen = page.evaluate(READ_SCREEN)
        except Exception:  # the page is reloading
            screen = ""
        if text in screen:
            return screen
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} did not appear; the page shows:\n{screen}")
        time.sleep(0.1)


def still_answers(page, what: str) -> None:
    """The swimming tile's key opens that card, Escape goes home, 999 is shown."""
    time.sleep(1.2)
    page.keyboard.press("Escape")
    wait_for(page, SEIZURE_TILE)
    page.keyboard.press(SWIMMING_KEY)
    screen = wait_for(page, SWIMMING_TITLE)
    assert "999" in screen, what
    page.keyboard.press("Escape")
    wait_for(page, SEIZURE_TILE)


def test_parser_crash_sequences_typed_in_the_browser_do_not_freeze_the_page(page) -> None:
    """B3: typed at 20 ms a key, ``ESC [5555555~`` froze the page for good."""
    page.keyboard.press("Escape")
    page.keyboard.type("[5555555~", delay=20)
    still_answers(page, "typed ESC[5555555~")
    for data in (
        "\x1b[5555555~",
        "\x1b[99999999999999999999u",
        "\x1b[48;24;80;0;0t" + TAP,
        "\x1b[200~" + TAP,
    ):
        page.evaluate(SEND, data)
        still_answers(page, repr(data))


def test_in_band_size_report_cannot_resize_the_browser_kiosk(page) -> None:
    """B2: ``ESC[48;3000;3000;3000;3000t`` on stdin made a 3000x3000 screen (55 MB out)."""
    columns = page.evaluate("() => window.textualSession.terminal.cols")
    page.evaluate(SEND, "\x1b[48;3000;3000;3000;3000t")
    still_answers(page, "in-band size report")
    screen = wait_for(page, SEIZURE_TILE)
    assert page.evaluate("() => window.textualSession.terminal.cols") == columns
    assert "Emergency: call 999" in screen  # (home shows the site name only where a row is free)


def test_one_large_stdin_message_does_not_wedge_the_session(page) -> None:
    """B5: one 20 KB message of ``ab+-12`` left the session deaf."""
    page.evaluate(SEND, "ab+-12" * 3333)
    started = time.monotonic()
    still_answers(page, "a 20 KB message")
    assert time.monotonic() - started < 30
