"""The terminal shrinks to 20x8 and grows back, again and again, on every screen.

"No exception" includes the errors the app catches itself: those send the visitor home
and are logged on the ``kiosk`` logger, so the log must stay free of errors too.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from kiosk.app import make_app
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.site import Site
from tests.support.home import open_by_number

pytestmark = [pytest.mark.ui, pytest.mark.slow]


async def resize(pilot, width: int, height: int) -> None:
    """Resize, then let the screen lay itself out again (a few event-loop turns at most)."""
    await pilot.resize_terminal(width, height)
    for _ in range(50):
        if tuple(pilot.app.screen.size) == (width, height):
            break
        await pilot.pause(0.01)
    await pilot.pause()


def kiosk_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else r.getMessage()
        for r in caplog.records
        if r.name.startswith("kiosk") and r.levelno >= logging.ERROR
    ]


async def test_resize_to_20x8_and_back_repeatedly(faults, caplog) -> None:
    caplog.set_level(logging.ERROR, logger="kiosk")
    site = Site(emergency_number="999")
    app = make_app(load_deck(bundled_cards_dir()), site)
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in ((), ("1",), ("right", "right"), ("home", "slash", "a")):
            await pilot.press(*keys)
            for small, large in [((20, 8), (80, 24)), ((20, 8), (200, 60)), ((40, 15), (20, 8))]:
                await resize(pilot, *small)
                assert len(faults.screen_lines(app)) == small[1]
                await resize(pilot, *large)
                assert len(faults.screen_lines(app)) == large[1]
        await resize(pilot, 80, 24)
        await pilot.press("escape", "home")
        assert app.is_running
        assert "999" in faults.screen_text(app), "emergency number gone after resizing"
    assert app.return_code in (0, None)
    assert kiosk_errors(caplog) == []


async def test_resize_small_at_extra_large_text(faults, caplog) -> None:
    caplog.set_level(logging.ERROR, logger="kiosk")
    site = replace(Site(emergency_number="999"), text_size="extra-large")
    result = load_deck(bundled_cards_dir())
    first = result.deck.cards_for("en")[0]
    app = make_app(result, site)
    async with app.run_test(size=(80, 24)) as pilot:
        for small in ((33, 11), (20, 8), (40, 15)):
            await resize(pilot, *small)
            await resize(pilot, 80, 24)
        await open_by_number(pilot, first.id)
        assert first.title in faults.screen_text(app)
    assert kiosk_errors(caplog) == []
