"""Home screen: tiles in deck order (emergencies first), opening a card by digit, Enter,
Space and tap; the whole screen fits without scrolling (the geometry sweep is in
tests/app/test_home_fit.py)."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from kiosk.deck import load_deck
from kiosk.screens.card import CardScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.search import SearchScreen

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)


def first_lines(app) -> list[str]:
    return [str(b.label).split("\n")[0] for b in app.screen.query(".tile").results(Button)]


async def test_tiles_are_numbered_in_deck_order(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE):
        assert first_lines(app) == ["1 Seizure", "2 Leg cramp", "3 Sprain"]
        seizure, leg_cramp, sprain = app.screen.query(".tile").results(Button)
        # An emergency says so in words, not by its colour alone.
        assert "EMERGENCY" in str(seizure.label) and seizure.has_class("-emergency")
        assert "EMERGENCY" not in str(leg_cramp.label) + str(sprain.label)
        text = read(app)
        assert "Riverside Pool" in text
        assert "Emergency: call 112" in text
        assert "First-aid kit: Reception desk" in text
        assert "Defibrillator (AED): By the main entrance" in text
        assert "unavailable" not in text


async def test_tiles_are_at_least_three_rows_tall(build) -> None:
    app = build()
    async with app.run_test(size=SIZE):
        for tile in app.screen.query(".tile").results(Button):
            assert tile.size.height >= 3


async def test_digit_opens_card(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert isinstance(app.screen, CardScreen)
        assert "Leg cramp" in read(app)
        assert "Step 1 of 2" in read(app)


async def test_digit_beyond_the_tiles_does_nothing(build) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        assert isinstance(app.screen, HomeScreen)


async def test_enter_and_space_open_the_focused_tile(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#tile-sprain").focus()
        await pilot.press("enter")
        assert "Sprain" in read(app) and isinstance(app.screen, CardScreen)
        await pilot.press("home")
        assert isinstance(app.screen, HomeScreen)
        app.screen.query_one("#tile-seizure").focus()
        await pilot.press("space")
        assert "Seizure (fit)" in read(app)


async def test_tap_opens_card(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#tile-leg-cramp")
        assert isinstance(app.screen, CardScreen)
        assert "Leg cramp" in read(app)


async def test_arrows_and_tab_move_between_tiles(build) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#tile-seizure").focus()
        await pilot.press("right")
        assert app.focused.id == "tile-leg-cramp"
        await pilot.press("left")
        assert app.focused.id == "tile-seizure"
        await pilot.press("tab")
        assert app.focused.id == "tile-leg-cramp"


async def test_tiles_reflow_to_the_width(build) -> None:
    app = build()
    async with app.run_test(size=(30, 40)) as pilot:
        tiles = list(app.screen.query(".tile").results(Button))
        assert len({t.region.x for t in tiles}) == 1
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert len({t.region.x for t in tiles}) == 3


async def test_language_button_switches_tiles_and_interface(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#language")
        # sprain falls back to English
        assert first_lines(app) == ["1 Судоми", "2 Судома ноги", "3 Sprain"]
        text = read(app)
        assert "Пошук" in text and "Екстрена допомога: телефонуйте 112" in text
        # The language button names the language it switches to, in that language.
        assert str(app.screen.query_one("#language", Button).label) == "English"
        await pilot.press("1")
        assert "Крок 1 з 3" in read(app)
        assert "НЕВІДКЛАДНО" in read(app)
        await pilot.press("home")
        await pilot.click("#language")
        assert "Search" in read(app)


async def test_default_site_wording_follows_the_language(build, read) -> None:
    """A site file that keeps the default name and label shows them in the visitor's
    language; what the operator wrote is shown as written, in every language."""
    app = build(name="First aid", emergency_label="Emergency")
    async with app.run_test(size=SIZE) as pilot:
        assert "First aid" in read(app) and "Emergency: call 112" in read(app)
        await pilot.click("#language")
        text = read(app)
        assert "Перша допомога" in text and "Екстрена допомога: телефонуйте 112" in text
        assert "First aid" not in text and "Emergency" not in text
        await pilot.click("#language")
        assert "First aid" in read(app) and "Emergency: call 112" in read(app)

    app = build(name="Riverside Pool", emergency_label="Lifeguards")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#language")
        text = read(app)
        assert "Riverside Pool" in text and "Lifeguards: телефонуйте 112" in text


async def test_text_size_button_and_keys(build) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        assert app.has_class("-size-normal")
        await pilot.click("#size")
        assert app.has_class("-size-large") and not app.has_class("-size-normal")
        assert str(app.screen.query_one("#size", Button).label) == "Text A+"
        tile = app.screen.query_one("#tile-seizure")
        assert tile.size.height >= 5
        await pilot.press("plus")
        assert app.has_class("-size-extra-large")
        await pilot.press("minus", "minus")
        assert app.has_class("-size-normal")


async def test_theme_button_cycles_themes(build) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "kiosk-dark"
        await pilot.click("#theme")
        assert app.theme == "kiosk-light"
        await pilot.click("#theme")
        assert app.theme == "kiosk-high-contrast"


async def test_site_theme_is_the_default(build) -> None:
    app = build(theme="high-contrast")
    async with app.run_test(size=SIZE):
        assert app.theme == "kiosk-high-contrast"


async def test_broken_cards_are_left_out_with_a_staff_notice(build, read) -> None:
    from pathlib import Path

    broken = load_deck(Path(__file__).parent / "fixtures" / "broken")
    app = build(broken)
    async with app.run_test(size=SIZE):
        assert first_lines(app) == ["1 Seizure"]
        assert "2 cards unavailable – staff: see log" in read(app)


async def test_everything_in_view_at_40x15(build) -> None:
    """On a short screen every control and tile is on the screen, unscrolled, at least
    one full row tall (the sweep in test_home_fit.py covers every geometry)."""
    app = build()
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.pause()
        shown = [b for b in app.screen.query(Button) if b.display and b.parent.display]
        assert {b.id for b in shown} >= {"search", "language", "size", "theme"}
        for button in shown:
            assert button.region.height >= 1, button.id
            assert app.screen.region.contains_region(button.region), button.id


async def test_slash_and_search_button_open_search_and_a_result_opens_the_card(build) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"cramp", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen) and app.card_screen.card.id == "leg-cramp"
        await pilot.press("home")
        await pilot.click("#search")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_first_tile_has_focus_on_start(build) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "tile-seizure"
        await pilot.press("enter")
        assert isinstance(app.screen, CardScreen)
