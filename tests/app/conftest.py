"""Fixtures for the UI tests: a fixed deck, a fixed site and a clock the test controls."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from kiosk.app import KioskApp, make_app
from kiosk.deck import LoadResult, load_deck
from kiosk.site import Site
from tests.support.clock import FakeClock
from tests.support.screen import widget_text

FIXTURES = Path(__file__).parent / "fixtures"

SITE = Site(
    name="Riverside Pool",
    emergency_number="112",
    emergency_label="Emergency",
    staff_instruction="Lifeguard: press the red button by the pool",
    first_aid_kit="Reception desk",
    defibrillator="By the main entrance",
    idle_timeout_seconds=90,
    staff_pin="2468",
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def deck() -> LoadResult:
    return load_deck(FIXTURES / "cards")


@pytest.fixture
def build(deck: LoadResult, clock: FakeClock) -> Callable[..., KioskApp]:
    """``build(kiosk=True, ...)``: the app on the fixture deck with site fields overridden."""
    from dataclasses import replace

    def factory(load_result: LoadResult | None = None, **site_fields: object) -> KioskApp:
        return make_app(load_result or deck, replace(SITE, **site_fields), clock=clock)

    return factory


@pytest.fixture
def read() -> Callable[[KioskApp], str]:
    """``read(app)``: the text of the widgets shown (tests.support.screen.widget_text)."""
    return widget_text


@pytest.fixture(autouse=True)
def no_press_effect(monkeypatch) -> None:
    """Textual ignores a tap on a button still showing its 0.2 s press effect; tests tap
    faster than people, so the effect is switched off to make every tap count."""
    from textual.widgets import Button

    original = Button.__init__

    def without_press_effect(self: Button, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        self.active_effect_duration = 0  # public: the effect's length in seconds

    monkeypatch.setattr(Button, "__init__", without_press_effect)
