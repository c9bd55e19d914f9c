"""Text size changes the real font size in the browser (issue 12).

A tiny app (``apps/font_scale_app.py``), served by :class:`kiosk.serve.KioskServer` as
the kiosk is, calls :func:`kiosk.web_bridge.request_text_size`; the page must set the
terminal's font to the site's size times the scale, refit, and the app must get the
smaller grid as a resize.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium",
    ),
]

APPS = Path(__file__).resolve().parent / "apps"
FONT_SIZE = """() => Number(window.textualSession.terminal.options.fontSize)"""


def cells(screen_text: str) -> tuple[int, int] | None:
    found = re.search(r"cells (\d+)x(\d+)", screen_text)
    return (int(found[1]), int(found[2])) if found else None


def grid(page) -> tuple[int, int]:
    """The page's terminal size in cells."""
    size = page.evaluate(
        "() => [window.textualSession.terminal.cols, window.textualSession.terminal.rows]"
    )
    return size[0], size[1]


def wait_for(condition, what: str, timeout: float = 40):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout} s")
        time.sleep(0.1)


def test_the_app_changes_the_page_font_size(start_server, browser, screen_of) -> None:
    server = start_server(
        str(APPS / "font_scale_app.py"),
        "--font-size",
        "20",
        command=[sys.executable, str(APPS / "serve_app.py")],
    )
    page = browser.new_context(viewport={"width": 1024, "height": 600}).new_page()
    page.goto(server.url)
    screen = screen_of(page)
    before = wait_for(lambda: cells(screen.text()), "the app showed its size")
    assert page.evaluate(FONT_SIZE) == 20
    assert before == (
        page.evaluate("() => window.textualSession.terminal.cols"),
        page.evaluate("() => window.textualSession.terminal.rows"),
    )

    page.locator(".xterm-helper-textarea").focus()
    page.keyboard.press("b")
    wait_for(lambda: page.evaluate(FONT_SIZE) == 30, "the font became 1.5 x 20 px")
    after = wait_for(
        lambda: (c := cells(screen.text())) and c != before and c, "the app got the new grid"
    )
    print(f"font 20 px: {before[0]}x{before[1]} cells; 30 px: {after[0]}x{after[1]} cells")
    assert after[0] < before[0] * 0.75 and after[1] < before[1] * 0.75
    assert after == (
        page.evaluate("() => window.textualSession.terminal.cols"),
        page.evaluate("() => window.textualSession.terminal.rows"),
    )

    page.keyboard.press("n")
    wait_for(lambda: page.evaluate(FONT_SIZE) == 20, "the font went back to 20 px")
    wait_for(lambda: cells(screen.text()) == before, "the app got its first grid back")
