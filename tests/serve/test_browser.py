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
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.site import Site

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium; "
        "listed in .ci/apt-packages.txt)",
    ),
]

START_TIMEOUT_S = 30


def test_touch_walk_through_the_seizure_card(server_url: str, browser, screen_of, label) -> None:
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
    screen = screen_of(page)

    site = Site()
    seizure = load_deck(bundled_cards_dir()).deck.card("seizure", "en")
    assert seizure is not None
    sources_heading = label("card.sources")
    screen.wait_for(seizure.label, timeout=START_TIMEOUT_S)
    screen.wait_for(site.emergency_label)
    assert page.title() == site.name

    card = screen.tap_until(seizure.label, label("stopwatch.start"))

    screen.tap(label("stopwatch.start"))
    screen.wait_for(label("stopwatch.stop"))

    seen_pages = [card]
    for _ in range(40):  # the lists are split into as many pages as the screen needs
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
    screen.wait_for(label("home.search"))
    assert navigations == [server_url], f"the page navigated: {navigations}"

    outside = [url for url in requested if urlsplit(url).hostname != "127.0.0.1"]
    assert not outside, f"the page made requests off the machine: {outside}"
    assert any(url.startswith("ws://127.0.0.1:") for url in requested)
    blocked = [text for text in console_errors if "Content Security Policy" in text]
    assert not blocked, f"the page needs something its own policy forbids: {blocked}"


def test_page_comes_back_by_itself_after_an_app_crash_and_a_server_restart(
    kiosk_serve, browser, screen_of, label
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
    screen = screen_of(page)
    seizure = load_deck(bundled_cards_dir()).deck.card("seizure", "en")
    assert seizure is not None
    home_prompt = label("home.search")
    screen.wait_for(home_prompt, timeout=START_TIMEOUT_S)
    screen.tap_until(seizure.label, label("stopwatch.start"))

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
