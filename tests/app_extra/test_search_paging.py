"""Every tap on Previous or Next turns one page, however quickly the next tap follows
(issue 12: "tapping Next sometimes skips a page").

The cause: Textual's ``Button`` ignores a tap that lands during its 0.2 s press effect. A
visitor who taps Next twice to reach the third page got the second, and the test that
tapped through every page (``test_everything_reachable``) saw one page twice and missed
the last whenever its taps came less than 0.2 s apart. The taps here come in one batch,
as a busy Raspberry Pi reads two quick taps, so they always land inside that window.
This module has no fixture that switches the press effect off (``tests/app`` has one).
"""

from __future__ import annotations

import pytest

from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.screens.home import HomeScreen
from kiosk.screens.search import SearchScreen
from tests.app_extra.conftest import open_search
from tests.app_extra.test_batched_input import in_one_batch, tap
from tests.support.screen import screen_text

pytestmark = pytest.mark.ui


def results_pager(screen: SearchScreen, direction: str) -> str:
    """The Previous or Next button the visitor sees: in the query row on a short screen."""
    compact = screen.has_class("-compact")
    return f"#{'bar' if compact else 'results'}-{direction}"


def page_label(screen: SearchScreen) -> str:
    """What the page label shows ("3/4" in the query row, "3 of 4" under the results)."""
    label = "#bar-page-of" if screen.has_class("-compact") else "#results-page-of"
    return str(screen.query_one(label).render())


@pytest.mark.parametrize(
    ("size", "language", "text_size"),
    [((36, 10), "en", "normal"), ((80, 24), "uk", "large")],
    ids=["36x10-en-query-row-pager", "80x24-uk-large-pager-under-results"],
)
@pytest.mark.parametrize("direction", ["next", "previous"])
async def test_two_quick_taps_turn_two_results_pages(
    kiosk, size, language, text_size, direction
) -> None:
    short_site = {"staff_instruction": "", "emergency_label": "SOS"} if size[1] <= 12 else {}
    app = kiosk(text_size=text_size, **short_site)
    async with app.run_test(size=size) as pilot:
        await open_search(pilot, language)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        pages = len(screen._pages)
        assert pages >= 4, "the case needs four pages to tell two steps from one or none"
        step = 1 if direction == "next" else -1
        expected = (2 * step) % pages
        button = results_pager(screen, direction)
        await in_one_batch(pilot, tap(button), tap(button))
        assert screen.results_page == expected, f"two taps on {button} turned one page"
        assert f"{expected + 1}/{pages}" in page_label(screen) or (
            f"{expected + 1} " in page_label(screen)
        )
        text = screen_text(app)
        for card_id in screen._pages[expected]:
            assert app.deck.card(card_id, language).title in text  # type: ignore[union-attr]


async def test_one_tap_turns_one_results_page(kiosk) -> None:
    """No tap is handled twice (the button's action and a key binding or handler)."""
    app = kiosk(staff_instruction="", emergency_label="SOS")
    async with app.run_test(size=(36, 10)) as pilot:
        await open_search(pilot)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        for expected in (1, 2, 3, 0):
            await in_one_batch(pilot, tap("#bar-next"))
            assert screen.results_page == expected
            assert page_label(screen) == f"{expected + 1}/4"


async def test_two_quick_taps_turn_two_home_pages(kiosk) -> None:
    """The home screen's Previous / "N of M" / Next had the same press-effect window."""
    bundled = load_deck(bundled_cards_dir())
    app = kiosk(bundled.deck, staff_instruction="", emergency_label="SOS")
    async with app.run_test(size=(36, 10)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and home.home_layout is not None
        pages = home.home_layout.pages
        assert pages >= 3, "the case needs three pages to tell two steps from one"
        await in_one_batch(pilot, tap("#next"), tap("#next"))
        assert home.page == 2, "two taps on Next turned one home page"
        assert f"3 of {pages}" in screen_text(app)
        await in_one_batch(pilot, tap("#previous"), tap("#previous"))
        assert home.page == 0
        assert f"1 of {pages}" in screen_text(app)
