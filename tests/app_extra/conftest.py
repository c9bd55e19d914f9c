"""Fixtures for the search, keyboard, staff and out-of-service screens.

Each screen is tested in :class:`ScreenHost`, a bare app that pushes the
screen on mount and records what it was dismissed with, so these tests do not
depend on the rest of the kiosk app.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Callable

import pytest
from textual.app import App
from textual.screen import Screen

from kiosk.deck import load_deck
from kiosk.deck.model import Deck
from kiosk.site import Site
from kiosk.themes import KIOSK_THEMES

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


APP_SHEET = Path(__file__).resolve().parents[2] / "kiosk" / "styles" / "app.tcss"


class StyledHost(ScreenHost):
    """A host with the kiosk's themes and app-wide sheet, whose rules (such as taller
    buttons for large text) also reach these screens in the real app."""

    CSS_PATH = [APP_SHEET] if APP_SHEET.exists() else []

    def __init__(
        self,
        make_screen: Callable[[], Screen[Any]],
        classes: str = "",
        theme: str = "kiosk-dark",
    ) -> None:
        super().__init__(make_screen, classes)
        for kiosk_theme in KIOSK_THEMES:
            self.register_theme(kiosk_theme)
        self.theme = theme


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


_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>'
)


def read_screen(app: App[Any]) -> str:
    """Everything the terminal shows right now, as plain text, one line per row.

    Read back from the screenshot Textual draws (not from widget attributes), so
    a test sees what a visitor sees: markup that had been interpreted would have
    lost its brackets.
    """
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    for x, length, line, raw in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(raw).replace("\xa0", " ")
        cell = float(length) / len(text)
        start = round(float(x) / cell)
        row = rows[int(line)]
        for offset, char in enumerate(text):
            if 0 <= start + offset < width:
                row[start + offset] = char
    return "\n".join("".join(row).rstrip() for row in rows)


@pytest.fixture
def screen_text() -> Callable[[App[Any]], str]:
    """:func:`read_screen`, as a fixture (test modules cannot import conftest)."""
    return read_screen


@pytest.fixture
def styled_host() -> type[ScreenHost]:
    return StyledHost
