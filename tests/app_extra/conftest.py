"""Fixtures for the search, keyboard, staff and out-of-service screens.

Each screen is tested in :class:`ScreenHost`, a bare app that pushes the
screen on mount and records what it was dismissed with, so these tests do not
depend on the rest of the kiosk app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
from textual.app import App
from textual.screen import Screen

from kiosk.deck import load_deck
from kiosk.deck.model import Deck
from kiosk.site import Site

FIXTURE_CARDS = Path(__file__).parent / "fixtures" / "cards"


class ScreenHost(App[None]):
    """Push one screen on mount; ``results`` collects its dismiss values."""

    def __init__(self, make_screen: Callable[[], Screen[Any]], classes: str = "") -> None:
        super().__init__()
        self._make_screen = make_screen
        self._extra_classes = classes
        self.results: list[Any] = []

    def on_mount(self) -> None:
        if self._extra_classes:
            self.add_class(*self._extra_classes.split())
        self.push_screen(self._make_screen(), callback=self.results.append)


@pytest.fixture
def fixture_deck() -> Deck:
    result = load_deck(FIXTURE_CARDS)
    assert not result.problems, [p.format() for p in result.problems]
    return result.deck


@pytest.fixture
def site() -> Site:
    return Site(
        name="Riverside Pool",
        emergency_number="999",
        emergency_label="Emergency",
        staff_instruction="Lifeguard: press the red button by the pool",
        first_aid_kit="at reception",
        defibrillator="by the main door",
        staff_pin="2468",
    )


@pytest.fixture
def host() -> type[ScreenHost]:
    return ScreenHost
