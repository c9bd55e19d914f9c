"""Find the tile of a card on the paged home screen, as a visitor would: page by page.

Home shows a page of tiles at a time (kiosk/screens/home.py), emergencies first, so a
test never assumes where a card's tile is or which number key opens it.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from kiosk.screens.home import HomeScreen
from kiosk.widgets.buttons import CardButton


def home_of(pilot: Pilot[Any]) -> HomeScreen:
    screen = pilot.app.screen
    assert isinstance(screen, HomeScreen), f"not on the home screen: {screen!r}"
    return screen


def tile_shown(home: HomeScreen, card_id: str) -> CardButton | None:
    """The tile of ``card_id`` if it is on the page shown."""
    for tile in home.page_tiles():
        if tile.card_id == card_id:
            return tile
    return None


async def show_tile(pilot: Pilot[Any], card_id: str, *, by_key: bool = False) -> CardButton:
    """Page through home (tapping Next, or pressing Page Down) until the tile of
    ``card_id`` shows; return it. Fails after one full round of pages."""
    home = home_of(pilot)
    pages = home.home_layout.pages if home.home_layout else 1
    for _ in range(pages):
        tile = tile_shown(home, card_id)
        if tile is not None:
            return tile
        if by_key:
            await pilot.press("pagedown")
        else:
            await pilot.click("#next")
        await pilot.pause()
    raise AssertionError(f"no tile for {card_id!r} on any of the {pages} home pages")


async def tile_number(pilot: Pilot[Any], card_id: str) -> str:
    """The number key that opens ``card_id`` (its page is shown first)."""
    tile = await show_tile(pilot, card_id)
    return str(home_of(pilot).page_tiles().index(tile) + 1)


async def open_by_tile(pilot: Pilot[Any], card_id: str) -> None:
    """Open ``card_id`` from home by tapping its tile (paging to it first)."""
    await show_tile(pilot, card_id)
    await pilot.click(f"#tile-{card_id}")
    await pilot.pause()


async def open_by_number(pilot: Pilot[Any], card_id: str) -> None:
    """Open ``card_id`` from home with its number key (paging to it first)."""
    await pilot.press(await tile_number(pilot, card_id))
    await pilot.pause()
