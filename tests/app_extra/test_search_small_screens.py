"""Search on the smallest target screens (36x10, 40x12) in both languages: a visitor types
a few letters on the on-screen keyboard, sees the result and taps it, with the emergency
number on screen throughout and every key whole.

At 36x10 the 33-letter Ukrainian keyboard takes six rows; with the bar's three (number,
AED, kit) and the query row that left no row for a result. Where the keyboard needs the
rows, the search screen's bar keeps only its number line (as the staff PIN prompt does);
the AED and kit line is back on every other screen, and wherever it fits.
"""

from __future__ import annotations

import pytest

from kiosk.screens.search import ResultButton, SearchScreen, result_id
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.keyboard import key_id
from tests.app_extra.conftest import open_search, opened
from tests.support.screen import screen_text

pytestmark = pytest.mark.ui

WORDS = {"en": ("burn", "burn", "Burn or scald"), "uk": ("опі", "burn", "Опік")}
"""Per language: the letters typed, the card they find, its title."""

SHORT_SITE = {"staff_instruction": "", "emergency_label": "SOS"}
"""A site worded for a tiny screen, as test_everything_reachable uses at 36x10."""


def fully_shown(app, widget) -> bool:
    region = widget.region
    return region.height > 0 and app.screen.region.contains_region(region)


@pytest.mark.parametrize("site", ["default-site", "short-site"])
@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("size", [(36, 10), (40, 12)], ids=["36x10", "40x12"])
async def test_type_a_few_letters_then_tap_the_result(kiosk, size, language, site) -> None:
    app = kiosk(**(SHORT_SITE if site == "short-site" else {}))
    letters, card_id, title = WORDS[language]
    async with app.run_test(size=size) as pilot:
        await open_search(pilot, language)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        number = "999"
        assert number in screen_text(app)
        for letter in letters:
            key = screen.query_one(f"#{key_id(letter)}")
            assert fully_shown(app, key), letter
            await pilot.click(f"#{key_id(letter)}")
            await pilot.pause()
            assert number in screen_text(app), f"the emergency number went after {letter!r}"
        assert screen.query_text == letters
        for key in screen.query("TapKey"):
            assert fully_shown(app, key), key.id
        result = screen.query_one(f"#{result_id(card_id)}", ResultButton)
        assert card_id in screen.page_card_ids
        assert fully_shown(app, result)
        assert title in screen_text(app)
        assert number in screen_text(app)
        await pilot.click(f"#{result_id(card_id)}")
        await pilot.pause()
        assert opened(app) == card_id


async def test_the_aed_and_kit_line_stays_where_it_fits(kiosk) -> None:
    """Only the rows the keyboard needs are taken from the bar: at 36x10 the English
    keyboard (five rows) leaves the AED and kit line; the Ukrainian one (six) does not,
    and on a bigger screen the line is back."""
    app = kiosk(**SHORT_SITE)
    async with app.run_test(size=(36, 10)) as pilot:
        await open_search(pilot, "en")
        await pilot.pause()
        assert "AED: by the main door" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await open_search(pilot, "uk")
        await pilot.pause()
        assert "by the main door" not in screen_text(app)
        assert "SOS" in screen_text(app) and "999" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        bar = app.screen.query_one(EmergencyBar)
        for _ in range(50):
            await pilot.pause(0.02)
            if bar.row_limit is None:
                break
        assert "by the main door" in screen_text(app)
