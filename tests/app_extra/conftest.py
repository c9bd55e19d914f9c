"""Fixtures for the search, keyboard, staff and out-of-service tests: the real app.

Every test builds the app with :func:`kiosk.app.make_app` on the fixed deck in
``fixtures/cards`` (four cards in English and Ukrainian) and the site below, then walks
to its screen as a visitor or staff member would: ``/`` for search, F12 three times and
the PIN for staff, an empty deck for out of service.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import pytest
from textual.pilot import Pilot

from kiosk.app import KioskApp, make_app
from kiosk.deck import Deck, LoadResult, load_deck
from kiosk.screens.card import CardScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.search import SearchScreen
from kiosk.site import Site
from tests.support.clock import FakeClock
from tests.support.screen import screen_text as read_screen

FIXTURE_CARDS = Path(__file__).parent / "fixtures" / "cards"

SITE = Site(
    name="Riverside Pool",
    emergency_number="999",
    emergency_label="Emergency",
    staff_instruction="Lifeguard: press the red button by the pool",
    first_aid_kit="at reception",
    defibrillator="by the main door",
    staff_pin="2468",
)


@pytest.fixture
def site() -> Site:
    return SITE


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fixture_deck() -> Deck:
    result = load_deck(FIXTURE_CARDS)
    assert not result.problems, [p.format() for p in result.problems]
    return result.deck


@pytest.fixture
def kiosk(fixture_deck: Deck, clock: FakeClock) -> Callable[..., KioskApp]:
    """``kiosk(deck=None, site_problems=(), log_path=None, deck_problems=(), **site_fields)``:
    the real app."""

    def build(
        deck: Deck | None = None,
        site_problems: tuple[Any, ...] = (),
        log_path: Path | None = None,
        deck_problems: tuple[Any, ...] = (),
        **site_fields: Any,
    ) -> KioskApp:
        return make_app(
            LoadResult(deck or fixture_deck, deck_problems),
            replace(SITE, **site_fields),
            clock=clock,
            log_path=log_path,
            site_problems=site_problems,
        )

    return build


@pytest.fixture
def out_of_service(clock: FakeClock) -> Callable[..., KioskApp]:
    """The real app on an empty deck (two languages, so Ukrainian can be the default)."""

    def build(**site_fields: Any) -> KioskApp:
        empty = LoadResult(Deck(("en", "uk"), "en", ()))
        return make_app(empty, replace(SITE, **site_fields), clock=clock)

    return build


async def open_search(pilot: Pilot[None], language: str = "en") -> None:
    """From home: the language button (focused, Enter) until ``language``, then ``/``."""
    app = pilot.app
    assert isinstance(app, KioskApp)
    for _ in range(len(app.deck.languages)):
        if app.language == language:
            break
        app.screen.query_one("#language").focus()  # below the fold on small screens
        await pilot.press("enter")
    assert app.language == language
    await pilot.press("slash")
    assert isinstance(app.screen, SearchScreen)


def opened(app: KioskApp) -> str | None:
    """The card the visitor ended on, ``None`` for home, ``"search"`` if still searching."""
    if isinstance(app.screen, CardScreen):
        assert app.session.card is not None
        return app.session.card.id
    if isinstance(app.screen, HomeScreen):
        return None
    return "search" if isinstance(app.screen, SearchScreen) else type(app.screen).__name__


@pytest.fixture
def screen_text() -> Callable[[Any], str]:
    """What the terminal shows (tests.support.screen)."""
    return read_screen
