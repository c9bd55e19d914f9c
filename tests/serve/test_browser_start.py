"""Issue 12, "Browser start": a reload paints the home screen within a second.

The real ``kiosk serve --kiosk`` with its warm app process, in Debian's Chromium. The
visitor opens a card; the page is reloaded (as the kiosk page does after a recovery);
the home screen must come back, fresh (home, default language), from the process
started in advance, and fast. The time is measured in the page, from navigation start
to the first home-screen text, and printed; the bound is generous for a loaded machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.deck import bundled_cards_dir, load_deck

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium",
    ),
]

RELOAD_BOUND_MS = 2500
"""Here it takes 150 to 500 ms (docs/performance.md); the goal is 1 s, the bound allows load."""

FIRST_SEEN = """(text) => {
    const session = window.textualSession;
    if (!session) { return false; }
    const buffer = session.terminal.buffer.active;
    for (let row = 0; row < session.terminal.rows; row++) {
        const line = buffer.getLine(buffer.viewportY + row);
        if (line && line.translateToString(true).includes(text)) { return performance.now(); }
    }
    return false;
}"""


def test_a_reload_paints_a_fresh_home_screen_from_the_warm_process(
    kiosk_serve, browser, screen_of, label
) -> None:
    seizure = load_deck(bundled_cards_dir()).deck.card("seizure", "en")
    assert seizure is not None
    home_prompt = label("home.search")
    page = browser.new_context(has_touch=True, viewport={"width": 1024, "height": 600}).new_page()
    page.goto(kiosk_serve.url)
    screen = screen_of(page)
    screen.wait_for(home_prompt, timeout=30)
    screen.tap_until(seizure.label, label("stopwatch.start"))

    timings = []
    for _ in range(2):
        kiosk_serve.wait_until_warm()
        handed_over = kiosk_serve.health()["warm_handed_over"]
        page.reload()
        seen = page.wait_for_function(
            FIRST_SEEN, arg=home_prompt, polling="raf", timeout=30_000
        ).json_value()
        timings.append(round(seen))
        text = screen.text()
        assert label("stopwatch.start") not in text, "the reload came back on the card"
        assert kiosk_serve.health()["warm_handed_over"] == handed_over + 1
    print(f"reload to first home-screen text: {json.dumps(timings)} ms")
    assert max(timings) < RELOAD_BOUND_MS, timings
