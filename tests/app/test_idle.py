"""Idle reset: home and site defaults after the timeout, never while a timer runs."""

from __future__ import annotations

import pytest

from kiosk.screens.card import CardScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.search import SearchScreen

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)


async def test_idle_reset_returns_home_with_defaults(build, read, clock) -> None:
    app = build(idle_timeout_seconds=90)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#language")
        await pilot.click("#size")
        await pilot.press("1", "right")
        assert isinstance(app.screen, CardScreen)
        clock.advance(89)
        assert not app.check_idle_reset()
        assert isinstance(app.screen, CardScreen)
        clock.advance(2)
        assert app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.language == "en" and app.has_class("-size-normal")
        assert "1 Seizure" in read(app) and "Search" in read(app)


async def test_input_restarts_the_idle_countdown(build, clock) -> None:
    app = build(idle_timeout_seconds=90)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        clock.advance(80)
        await pilot.press("right")
        clock.advance(80)
        assert not app.check_idle_reset()
        assert isinstance(app.screen, CardScreen)


async def test_no_idle_reset_while_the_stopwatch_runs(build, clock) -> None:
    app = build(idle_timeout_seconds=90)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        clock.advance(200)
        assert not app.check_idle_reset()
        assert isinstance(app.screen, CardScreen)
        assert app.card_screen.timers_running()


async def test_no_idle_reset_while_a_countdown_runs(build, clock) -> None:
    app = build(idle_timeout_seconds=20)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right")
        await pilot.click("#countdown-start")
        clock.advance(25)
        assert not app.check_idle_reset()
        assert isinstance(app.screen, CardScreen)
        clock.advance(10)  # the countdown has ended: now the reset may happen
        assert app.check_idle_reset()


async def test_idle_timer_is_one_shot(build) -> None:
    """Idle checking costs one pending timer at most, not a polling loop."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "right", "left")
        assert app._idle_timer is not None


async def test_idle_reset_leaves_search(build, clock) -> None:
    app = build(idle_timeout_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        clock.advance(61)
        assert app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_idle_timer_resets_on_its_own(build, read, clock) -> None:
    """The real one-shot timer fires and consults the app's clock: no direct call."""
    app = build(idle_timeout_seconds=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert isinstance(app.screen, CardScreen)
        clock.advance(2)
        for _ in range(100):
            if isinstance(app.screen, HomeScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, HomeScreen)
        assert "1 Seizure" in read(app)
