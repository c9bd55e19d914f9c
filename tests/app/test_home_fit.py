"""Home fits every target screen without scrolling (issue 12), walked page by page.

The real app (``make_app``) on the bundled deck and a site that names an AED, a kit and
a staff instruction, at every target terminal geometry and text size: on every page
the emergency bar with its AED and kit line, the tiles of the page, Previous and Next
with "N of M" and the four controls lie fully inside the screen, with their words
visible (not clipped); tap targets are never less than one full row, and one-row
targets have a free row between them; every card is on exactly one page.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button

from kiosk.app import KioskApp, make_app
from kiosk.core.choices import TEXT_SIZES
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.screens.home import HomeScreen
from kiosk.site import Site
from kiosk.styles import SHORT_ROWS
from tests.support.screen import screen_text

pytestmark = [pytest.mark.ui]

GEOMETRIES = [(36, 10), (40, 12), (50, 16), (60, 20), (80, 24), (100, 30), (160, 45), (200, 60)]
GEOMETRIES.append((30, 40))  # portrait

POOL = Site(
    name="Riverside Pool",
    staff_instruction="Lifeguard: red button",
    first_aid_kit="Reception desk",
    defibrillator="By the main entrance",
)


def shown(widget: Widget) -> bool:
    return all(node.display for node in [widget, *widget.ancestors_with_self] if node.parent)


def inside(app: KioskApp, region: Region) -> bool:
    return region.height > 0 and app.screen.region.contains_region(region)


def check_page(app: KioskApp, home: HomeScreen) -> list[str]:
    """The card ids of the page shown, after checking everything on it."""
    text = screen_text(app)
    bar = app.screen.query_one(".emergency-call")
    places = app.screen.query_one(".emergency-places")
    assert inside(app, bar.region) and "Emergency: call 112" in text
    assert shown(places) and inside(app, places.region)
    flat = " ".join(text.split())
    assert "By the main entrance" in flat and "Reception desk" in flat
    buttons = [b for b in app.screen.query(Button) if shown(b)]
    ids = {b.id for b in buttons}
    assert {"search", "language", "size", "theme"} <= ids
    layout = home.home_layout
    assert layout is not None
    if layout.pages > 1:
        assert {"previous", "next"} <= ids
        page_of = f"{home.page + 1} of {layout.pages}"
        assert page_of in text
    for button in buttons:
        assert inside(app, button.region), f"{button.id} at {button.region} off the screen"
        label = str(button.label).split("\n")[0]
        assert label in text, f"{label!r} clipped"
        if app.size.height >= SHORT_ROWS and not button.has_class("tile"):
            assert button.region.height >= 3, f"{button.id} under 3 rows on a tall screen"
    for one, other in combinations(buttons, 2):
        assert not one.region.overlaps(other.region), (one.id, other.id)
        if one.region.x < other.region.right and other.region.x < one.region.right:
            top, bottom = sorted((one.region, other.region), key=lambda r: r.y)
            if min(top.height, bottom.height) < 3:
                assert bottom.y >= top.bottom + 1, f"no gap between {one.id} and {other.id}"
    return [tile.card_id for tile in home.page_tiles()]


@pytest.mark.parametrize("text_size", TEXT_SIZES)
@pytest.mark.parametrize("size", GEOMETRIES, ids=[f"{w}x{h}" for w, h in GEOMETRIES])
async def test_every_home_page_fits(size: tuple[int, int], text_size: str) -> None:
    from dataclasses import replace

    deck = load_deck(bundled_cards_dir())
    app = make_app(deck, replace(POOL, text_size=text_size))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and home.home_layout is not None
        seen: list[str] = []
        for _ in range(home.home_layout.pages):
            seen += check_page(app, home)
            if home.home_layout.pages > 1:
                next_region = home.query_one("#next").region
                await pilot.click("#next")
                await pilot.pause()
                assert home.query_one("#next").region == next_region, "Next moved"
        assert home.page == 0, "Next from the last page comes back to page 1"
        assert sorted(seen) == sorted(deck.deck.card_ids())


@pytest.mark.parametrize("size", [(36, 10), (40, 12), (30, 40)], ids=["36x10", "40x12", "30x40"])
async def test_every_home_page_fits_in_ukrainian(size: tuple[int, int]) -> None:
    deck = load_deck(bundled_cards_dir())
    app = make_app(deck, replace_site(default_language="uk"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and home.home_layout is not None
        for _ in range(home.home_layout.pages):
            text = screen_text(app)
            assert "Дефібрилятор" in text or "АЗД" in text
            for tile in home.page_tiles():
                assert inside(app, tile.region)
                assert str(tile.label).split("\n")[0] in text
            if home.home_layout.pages > 1:
                await pilot.click("#next")
                await pilot.pause()


def replace_site(**fields: object) -> Site:
    from dataclasses import replace

    return replace(POOL, **fields)  # type: ignore[arg-type]


async def test_text_size_keeps_the_size_button_and_the_first_tile() -> None:
    """A tap on the size button never moves it; the page shown then holds the tile that
    was first before (the page changes deliberately, not under the finger)."""
    app = make_app(load_deck(bundled_cards_dir()), POOL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.click("#next")
        await pilot.pause()
        first = home.page_tiles()[0].card_id
        where = home.query_one("#size").region
        for _ in TEXT_SIZES:
            await pilot.click("#size")
            await pilot.pause()
            assert home.query_one("#size").region == where
            assert first in [tile.card_id for tile in home.page_tiles()]


async def test_number_keys_open_the_tiles_of_the_page_shown() -> None:
    app = make_app(load_deck(bundled_cards_dir()), POOL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and home.home_layout is not None
        assert home.home_layout.pages > 1
        await pilot.click("#next")
        await pilot.pause()
        second_page_first = home.page_tiles()[0]
        assert str(second_page_first.label).startswith("1 ")
        await pilot.press("1")
        await pilot.pause()
        assert app.card_screen is not None and app.card_screen.card is not None
        assert app.card_screen.card.id == second_page_first.card_id


async def test_idle_reset_returns_to_page_one() -> None:
    from tests.support.clock import FakeClock

    clock = FakeClock()
    app = make_app(load_deck(bundled_cards_dir()), POOL, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.click("#next")
        await pilot.pause()
        assert home.page == 1
        clock.advance(POOL.idle_timeout_seconds - 19)
        assert not app.check_idle_reset()  # "Still reading?" first
        clock.advance(20)
        assert app.check_idle_reset()
        await pilot.pause()
        assert home.page == 0
        assert "1 of" in screen_text(app)


@pytest.mark.parametrize(
    ("site_fields", "rows"),
    [
        ({}, 2),  # no short wording: one line each, never cut
        ({"defibrillator_short": "Entrance", "first_aid_kit_short": "Reception"}, 1),
    ],
    ids=["long-wording", "short-wording"],
)
async def test_aed_and_kit_line_on_a_short_screen(site_fields, rows) -> None:
    """At 40x15 the AED and kit take one extra row of the bar when the site gives short
    wording ("AED: Entrance · Kit: Reception"), else a line each; the words are whole."""
    site = replace_site(staff_instruction="", **site_fields)
    app = make_app(load_deck(bundled_cards_dir()), site)
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.pause()
        places = app.screen.query_one(".emergency-places")
        assert places.region.height == rows
        flat = " ".join(screen_text(app).split())
        words = ["Entrance", "Reception"] if site_fields else ["By the main entrance"]
        assert all(word in flat for word in words)


async def test_page_label_is_the_staff_knock_where_the_site_name_has_no_row() -> None:
    """At 36x10 there is no row for the site name; five taps on "1 of N" reach the PIN."""
    from kiosk.screens.staff import StaffPinScreen

    app = make_app(load_deck(bundled_cards_dir()), replace_site(staff_pin="2468"))
    async with app.run_test(size=(36, 10)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and home.home_layout is not None
        assert not home.query_one("#home-header").display
        for _ in range(5):
            await pilot.click("#page-of")
        await pilot.pause()
        assert isinstance(app.screen, StaffPinScreen)
