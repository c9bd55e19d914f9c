"""Countdown and seizure stopwatch, driven by a fake clock."""

from __future__ import annotations

import pytest

from kiosk.screens.card import CardScreen

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)


async def test_countdown_runs_and_ends_with_done(build, read, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right")
        assert "Timer: 0:30" in read(app)
        await pilot.click("#countdown-start")
        assert "Hold the stretch: 0:30" in read(app)
        clock.advance(3.5)
        app.card_screen.refresh_timers()
        assert "Hold the stretch: 0:27" in read(app)
        clock.advance(27)
        app.card_screen.refresh_timers()
        assert "Done – you can let go" in read(app)
        assert "Start again" in read(app)


async def test_ticks_only_while_a_timer_runs(build, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right")
        screen = app.card_screen  # built after the first paint, or by the first card opened
        assert screen is not None and screen._ticker is None
        await pilot.click("#countdown-start")
        assert screen._ticker is not None
        clock.advance(31)
        screen.refresh_timers()
        assert screen._ticker is None


async def test_countdown_keeps_running_between_steps(build, read, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right")
        await pilot.click("#countdown-start")
        await pilot.press("left")
        clock.advance(10)
        app.card_screen.refresh_timers()
        assert "Timer 0:20" in read(app)  # small running-timer indicator on another step
        await pilot.press("right")
        assert "Hold the stretch: 0:20" in read(app)


async def test_stopwatch_alert_at_five_minutes(build, read, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert "Start stopwatch" in read(app) and "0:00" in read(app)
        await pilot.click("#stopwatch-start")
        clock.advance(65)
        app.card_screen.refresh_timers()
        assert "1:05" in read(app)
        await pilot.press("right")
        clock.advance(234)  # 4:59
        app.card_screen.refresh_timers()
        assert "Stopwatch 4:59" in read(app)
        assert "CALL EMERGENCY NOW" not in read(app)
        clock.advance(1)
        app.card_screen.refresh_timers()
        await pilot.pause()
        text = read(app)
        assert "CALL EMERGENCY NOW" in text and "Emergency: call 112" in text
        # the alert stays: keys that would move away do nothing
        await pilot.press("right", "escape", "home")
        assert "CALL EMERGENCY NOW" in read(app)
        assert isinstance(app.screen, CardScreen)
        await pilot.click("#alert-dismiss")
        assert "CALL EMERGENCY NOW" not in read(app)
        assert "Step 2 of 3" in read(app)
        assert "Stopwatch 5:00" in read(app)


async def test_opening_another_card_stops_the_timers(build, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        assert app.card_screen.timers_running()
        await pilot.press("home", "2")
        assert not app.card_screen.timers_running()


async def test_stopping_the_stopwatch_keeps_the_time(build, read, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        # no 0.2 s press effect, during which Textual ignores a second tap
        app.card_screen.query_one("#stopwatch-start").active_effect_duration = 0
        await pilot.click("#stopwatch-start")
        clock.advance(95)
        app.card_screen.refresh_timers()
        await pilot.click("#stopwatch-start")
        clock.advance(30)
        app.card_screen.refresh_timers()
        assert "1:35" in read(app) and "Start again from 0:00" in read(app)
        assert not app.card_screen.timers_running()
