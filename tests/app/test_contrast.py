"""Contrast (WCAG 2.2 AA, issue 12): every text on every screen in every theme.

The real app runs in each theme and is walked through every screen a visitor or staff
member can reach: home, every page of a card (steps, "Call emergency if", "Do not", the
end page), the stopwatch and its five-minute alert, a countdown, search with results,
the idle warning, the PIN prompt, the staff screen and out of service. At each stop the
rendered colours of every run of text are read from the screenshot
(tests/support/contrast.py) and must reach 4.5:1 against their background (3:1 for the
big digits), and 7:1 in the high-contrast theme. Focus marks are included: each stop is
captured with the focus where the app put it.
"""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.core.choices import THEMES
from kiosk.deck import Deck, LoadResult
from tests.support.contrast import contrast_ratio, failures

pytestmark = [pytest.mark.ui, pytest.mark.slow]

NORMAL, LARGE = 4.5, 3.0
HIGH_CONTRAST = 7.0
SIZES = [(80, 24), (40, 12)]


def thresholds(theme: str) -> tuple[float, float]:
    return (HIGH_CONTRAST, HIGH_CONTRAST) if theme == "high-contrast" else (NORMAL, LARGE)


class Walk:
    """Collects the contrast failures at each stop of a walk through the screens."""

    def __init__(self, app: Any, theme: str) -> None:
        self.app = app
        self.normal, self.large = thresholds(theme)
        self.found: list[str] = []
        self.stops: list[str] = []

    async def stop(self, pilot: Any, name: str) -> None:
        await pilot.pause()
        self.stops.append(name)
        self.found += [f"{name}: {line}" for line in failures(self.app, self.normal, self.large)]


def test_the_ratio_is_wcag_s() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#777777") == contrast_ratio("#777777", "#ffffff")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
async def test_every_text_on_every_screen_meets_its_contrast(build, clock, theme, size) -> None:
    app = build(theme=theme)
    walk = Walk(app, theme)
    async with app.run_test(size=size) as pilot:
        await walk.stop(pilot, "home")
        await pilot.press("down")
        await walk.stop(pilot, "home, tile 2 focused")
        await pilot.press("1")  # seizure: stopwatch step, info pages, end page
        for page in range(len(app.session.pages)):
            await walk.stop(pilot, f"seizure page {page + 1}")
            await pilot.press("right")
        await pilot.press("escape")
        while app.session.page_index > 0:
            await pilot.press("left")
        await pilot.click("#stopwatch-start")
        await walk.stop(pilot, "stopwatch running")
        clock.advance(5 * 60 + 1)
        app.card_screen.refresh_timers()
        await walk.stop(pilot, "five-minute alert")
        app.card_screen.action_dismiss_alert()
        await pilot.pause()
        app.action_home()
        await pilot.press("2", "right")  # leg cramp: the countdown step
        await walk.stop(pilot, "countdown ready")
        await pilot.click("#countdown-start")
        clock.advance(5)
        app.card_screen.refresh_timers()
        await walk.stop(pilot, "countdown running")
        clock.advance(40)
        app.card_screen.refresh_timers()
        await walk.stop(pilot, "countdown done")
        clock.advance(90)
        app.check_idle_reset()
        await walk.stop(pilot, "idle warning")
        await pilot.press("x")
        app.action_home()
        await pilot.press("slash")
        await walk.stop(pilot, "search, empty")
        await pilot.press("c", "r")
        await walk.stop(pilot, "search, results")
        await pilot.press("z", "z", "z")
        await walk.stop(pilot, "search, nothing found")
        app.action_home()
        await pilot.pause()
        app.open_staff_access()
        await walk.stop(pilot, "PIN prompt")
        await pilot.press("1")
        await walk.stop(pilot, "PIN prompt, one digit")
        await pilot.press("backspace", "2", "4", "6", "8", "enter")
        await walk.stop(pilot, "staff screen")
    assert len(walk.stops) >= 15
    assert walk.found == [], "\n".join(walk.found)


@pytest.mark.expected_errors  # "out of service" is logged as an error
@pytest.mark.parametrize("theme", THEMES)
async def test_out_of_service_meets_its_contrast(build, theme) -> None:
    app = build(LoadResult(Deck(("en",), "en", ())), theme=theme)
    normal, large = thresholds(theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert failures(app, normal, large) == []
