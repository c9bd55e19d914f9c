"""The terminal shrinks to 20x8 and grows back, again and again, on every screen."""

from __future__ import annotations

from kiosk.app import make_app
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.site import Site


async def resize(pilot, width: int, height: int) -> None:
    """Resize, then let the screen lay itself out again (a few event-loop turns at most)."""
    await pilot.resize_terminal(width, height)
    for _ in range(50):
        if tuple(pilot.app.screen.size) == (width, height):
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def test_resize_to_20x8_and_back_repeatedly(faults) -> None:
    site = Site(emergency_number="999")
    app = make_app(load_deck(bundled_cards_dir()), site)
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in ((), ("1",), ("right", "right"), ("home", "slash", "a")):
            await pilot.press(*keys)
            for small, large in [((20, 8), (80, 24)), ((20, 8), (200, 60)), ((40, 15), (20, 8))]:
                await resize(pilot, *small)
                assert len(faults.screen_lines(app)) == small[1]
                await resize(pilot, *large)
                lines = faults.screen_lines(app)
                assert len(lines) == large[1]
        await resize(pilot, 80, 24)
        await pilot.press("escape", "home")
        assert app.is_running
        assert "999" in faults.screen_text(app), "emergency number gone after resizing"
    assert app.return_code in (0, None)
