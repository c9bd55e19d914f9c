"""Never a traceback: handler errors send the visitor home; an empty deck is out of service."""

from __future__ import annotations

import pytest

from kiosk.deck import Deck, LoadResult
from kiosk.screens.card import CardScreen
from kiosk.screens.home import HomeScreen

pytestmark = [pytest.mark.ui, pytest.mark.expected_errors]

SIZE = (80, 24)


async def test_exception_in_a_guarded_handler_returns_home(build, monkeypatch, caplog) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")

        def broken(self):
            raise RuntimeError("boom in next")

        monkeypatch.setattr(CardScreen, "_show_page", broken)
        await pilot.press("right")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.return_code is None and app.is_running
        assert "boom in next" in caplog.text
        monkeypatch.undo()
        await pilot.press("2")  # the rebuilt screens work
        assert isinstance(app.screen, CardScreen) and app.card_screen.card.id == "leg-cramp"


async def test_exception_escaping_to_textual_returns_home(build, caplog) -> None:
    """An error Textual catches itself (here in a timer callback) also ends at home."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")

        def explode() -> None:
            raise ValueError("boom in timer")

        app.card_screen.set_timer(0.01, explode)
        await pilot.pause(0.1)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.return_code is None and app.is_running
        assert "boom in timer" in caplog.text
        await pilot.press("1")
        assert isinstance(app.screen, CardScreen)


async def test_empty_deck_shows_out_of_service_with_emergency_number(build, read) -> None:
    app = build(LoadResult(Deck(("en",), "en", ())))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "ctrl+q")
        text = read(app)
        assert "112" in text
        assert "No first-aid cards could be loaded." in text or "out of service" in text.lower()
        assert not isinstance(app.screen, (HomeScreen, CardScreen))
