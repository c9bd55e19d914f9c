"""Fixtures for the UI tests: a fixed deck, a fixed site and a clock the test controls."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from kiosk.app import KioskApp, make_app
from kiosk.deck import LoadResult, load_deck
from kiosk.site import Site

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


class FakeClock:
    """A clock the test moves by hand: ``clock.advance(30)``."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


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


def _screen_text(app: KioskApp) -> str:
    """Everything the visitor can read on the current screen (shown widgets only)."""
    from textual.widgets import Button, Digits, Static

    parts = []
    screen = app.screen
    for widget in screen.query("*"):
        chain = [widget, *widget.ancestors]
        if not all(node.display for node in chain[: chain.index(screen) + 1]):
            continue
        if isinstance(widget, Button):
            parts.append(str(widget.label))
        elif isinstance(widget, Digits):
            parts.append(widget.value)
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
    return "\n".join(parts)


@pytest.fixture
def read() -> Callable[[KioskApp], str]:
    """``read(app)``: the text of the current screen."""
    return _screen_text


@pytest.fixture(autouse=True)
def no_press_effect(monkeypatch) -> None:
    """Textual ignores a tap on a button still showing its 0.2 s press effect; tests tap
    faster than people, so the effect is switched off to make every tap count."""
    from textual.widgets import Button

    monkeypatch.setattr(Button, "_start_active_affect", lambda self: None)
