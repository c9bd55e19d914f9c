"""Card screen: stepping, pages after the steps, related cards, markup shown literally."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button

from kiosk.deck import load_deck
from kiosk.screens.home import HomeScreen

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)


async def test_step_through_and_back(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        text = read(app)
        assert "EMERGENCY" in text and "Seizure (fit)" in text
        assert "Step 1 of 3" in text and "Stay with them" in text
        await pilot.press("right")
        assert "Step 2 of 3" in read(app) and "Move hard objects" in read(app)
        await pilot.press("pagedown")
        assert "Step 3 of 3" in read(app)
        await pilot.press("space")
        assert "Call emergency if" in read(app)
        assert "The seizure lasts more than 5 minutes" in read(app)
        await pilot.press("left")
        assert "Step 3 of 3" in read(app)
        await pilot.press("pageup", "left")
        assert "Step 1 of 3" in read(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_buttons_step_and_go_home(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#tile-seizure")
        # Textual ignores a second tap while a button still shows its 0.2 s press
        # effect; turn the effect off so quick test taps all count.
        for button in app.screen.query(".nav").results(Button):
            button.active_effect_duration = 0
        await pilot.click("#next")
        assert "Step 2 of 3" in read(app)
        await pilot.click("#back")
        assert "Step 1 of 3" in read(app)
        await pilot.click("#back")
        assert isinstance(app.screen, HomeScreen)
        await pilot.click("#tile-seizure")
        await pilot.click("#next")
        await pilot.click("#home-button")
        assert isinstance(app.screen, HomeScreen)


async def test_nav_buttons_are_big(build) -> None:
    """Three rows on a tall screen; on a short one a full row (the step text needs the
    rest), with a blank cell between two buttons (tests/app/test_card_fit.py)."""
    for size, rows in (((80, 24), 3), ((40, 15), 1)):
        app = build()
        async with app.run_test(size=size) as pilot:
            await pilot.press("1")
            for button_id in ("#back", "#home-button", "#next"):
                button = app.screen.query_one(button_id, Button)
                assert button.region.height >= rows and button.region.width >= 6, (size, button_id)
                assert app.screen.region.contains_region(button.region)


async def test_pages_after_the_steps_and_sources(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right", "right")
        assert "Call emergency if" in read(app)
        await pilot.press("right")
        assert "Do not" in read(app) and "Do not massage hard" in read(app)
        await pilot.press("right")
        assert "See a doctor if" in read(app)
        await pilot.press("right")
        assert "Prevention" in read(app) and "Stretch before exercise" in read(app)
        await pilot.press("right")
        text = read(app)
        assert "Sources (reviewed 2026-01-10)" in text
        assert "https://www.nhs.uk/conditions/leg-cramps/" in text
        # the last page: no dead Next; it is hidden in its place, so Back and Home stay put
        assert not app.screen.query_one("#next", Button).visible
        await pilot.press("right")
        assert "Sources" in read(app)


async def test_related_card_opens_in_place(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        screen = app.screen
        for _ in range(6):
            await pilot.press("right")
        await pilot.click(".related-card")
        assert app.screen is screen
        assert "Sprain" in read(app) and "Step 1 of 1" in read(app)


async def test_one_card_screen_is_reused(build) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        first = app.screen
        await pilot.press("home", "2")
        assert app.screen is first


async def test_urgency_word_for_each_level(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        for key, word in (("1", "EMERGENCY"), ("2", "SELF-CARE"), ("3", "SEE A DOCTOR")):
            await pilot.press(key)
            assert word in read(app)
            await pilot.press("home")


async def test_markup_in_card_text_is_shown_literally_and_never_runs(build, read) -> None:
    app = build(load_deck(Path(__file__).parent / "fixtures" / "markup"))
    async with app.run_test(size=SIZE) as pilot:
        assert "[bold]x[/bold]" in str(app.screen.query_one(".tile", Button).label)
        await pilot.press("1")
        text = read(app)
        assert "Press [@click=app.quit]here[/] and [bold]x[/bold]" in text
        assert "Trap [@click=app.quit]quit[/]" in text
        # tap along the step text: a live link would quit the app
        for x in range(0, 46, 3):
            await pilot.click("#step-text", offset=(x, 1))
        await pilot.press("right")
        assert "• [@click=app.quit]Call[/]" in read(app)
        await pilot.press("right", "right", "right")
        assert "[b]Pub[/b]: [@click=app.quit]t[/]" in read(app)
        assert app.return_code is None and app.is_running


async def test_large_text_shows_one_step_without_preview(build, read) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert "Next: Move hard objects" in read(app)
        await pilot.press("home", "plus", "1")
        assert app.has_class("-size-large")
        assert "Next: Move hard objects" not in read(app)
        assert "Stay with them" in read(app)


async def test_space_presses_the_focused_button_and_arrows_still_page(build, read) -> None:
    """Review P10: Space on "Start stopwatch" starts it (it used to turn the page); up and
    down move the focus; right and left still page."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert app.focused is not None and app.focused.id == "stopwatch-start"
        await pilot.press("space")
        assert "Step 1 of 3" in read(app)
        assert "Stop" in str(app.screen.query_one("#stopwatch-start", Button).label)
        await pilot.press("up")
        assert "Step 1 of 3" in read(app)
        await pilot.press("right")
        assert "Step 2 of 3" in read(app)
        await pilot.press("down", "left")
        assert "Step 1 of 3" in read(app)
