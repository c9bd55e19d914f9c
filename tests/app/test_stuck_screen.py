"""Stuck-screen detection: a screen with no emergency bar, a dead screen or a lost idle
timer is replaced by home, with the emergency bar, after a short grace; logged."""

from __future__ import annotations

import logging

import pytest
from textual.screen import Screen

from kiosk.app import STUCK_GRACE_SECONDS
from kiosk.screens.card import CardScreen
from kiosk.screens.home import HomeScreen
from tests.support.screen import flat_text

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)


async def run_checks(app, pilot, clock, seconds: float) -> None:
    """What the app's 5-second interval does, on the fake clock."""
    for _ in range(int(seconds // 5) + 1):
        app.check_stuck_screen()
        clock.advance(5)
        await pilot.pause()
    await pilot.pause()


async def test_a_blank_screen_without_the_emergency_bar_gives_way_to_home(
    build, clock, caplog
) -> None:
    """Red-team A6 left a blank screen with no emergency bar, deaf until the idle reset."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await app.push_screen(Screen())
        assert "112" not in flat_text(app)
        assert not app.check_stuck_screen(), "a grace first: a screen switch is not stuck"
        with caplog.at_level(logging.WARNING, logger="kiosk"):
            await run_checks(app, pilot, clock, STUCK_GRACE_SECONDS + 5)
        assert isinstance(app.screen, HomeScreen)
        assert "Emergency: call 112" in flat_text(app)
        assert any("stuck screen" in r.getMessage() for r in caplog.records)
        await pilot.press("1")
        assert isinstance(app.screen, CardScreen), "the rebuilt screens answer taps"


async def test_a_lost_idle_timer_still_gets_the_visitor_home(build, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        app._idle_timer.stop()  # the timer is lost: no warning, no reset
        app._idle_timer = None
        clock.advance(95)
        assert not app.check_stuck_screen()
        await pilot.pause()
        assert isinstance(app.screen, CardScreen), "not before the grace after the reset was due"
        await run_checks(app, pilot, clock, 30)
        assert isinstance(app.screen, HomeScreen)


async def test_a_working_kiosk_is_never_taken_for_stuck(build, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await run_checks(app, pilot, clock, 60)  # home, untouched for a minute
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        await run_checks(app, pilot, clock, 600)  # a stopwatch holds the reset
        assert isinstance(app.screen, CardScreen)
        assert app.session.tools.stopwatch.running(clock())
        app.open_staff_access()  # the PIN prompt: a modal with its own time limit
        await pilot.pause()
        await run_checks(app, pilot, clock, 20)
        assert app.screen.is_modal


async def test_the_idle_warning_is_not_cut_short_after_a_long_timer(build, clock) -> None:
    """After an untouched stopwatch gives way (A9), the warning still gets its 20 s."""
    app = build(idle_timer_limit_minutes=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        clock.advance(30 * 60)
        app.check_idle_reset()
        await pilot.pause()
        for _ in range(3):
            app.check_stuck_screen()
            clock.advance(6)
            await pilot.pause()
        assert not isinstance(app.screen, HomeScreen)
        assert app.idle_warning is not None and app.screen is app.idle_warning


async def test_recovery_from_the_home_screen_itself_ends(build, read) -> None:
    """The recovery pops home too; the guard that keeps home on the stack (A6) must not
    turn that into an endless loop (seen after the merges: the test run hung at 6 GB)."""
    import asyncio

    app = build()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await asyncio.wait_for(app.recover_stuck_screen(), timeout=10)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Emergency: call 112" in flat_text(app)
