"""Idle reset: a "Still reading?" warning first, then home and the site's defaults.

The site in tests/app/conftest.py has ``idle_timeout_seconds = 90``: the warning comes at
70 s without input and the reset at 90 s. Most tests call ``check_idle_reset()`` with
the fake clock moved (what the app's one-shot timer does when it fires); the tests at
the end let the real timer fire.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from textual import events

from kiosk.app import make_app
from kiosk.screens.card import CardScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.idle_warning import IdleWarningScreen
from kiosk.screens.search import SearchScreen
from tests.app.conftest import SITE
from tests.support.screen import flat_text

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)


async def wait_until(pilot, condition, seconds: float = 10.0) -> bool:
    """Poll ``condition`` (the real idle timer fires on the real clock)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def test_idle_reset_warns_then_returns_home_with_defaults(build, read, clock) -> None:
    app = build(idle_timeout_seconds=90)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#language")
        await pilot.click("#size")
        await pilot.press("1", "right")
        assert isinstance(app.screen, CardScreen)
        clock.advance(69.9)
        assert not app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, CardScreen), "no warning before timeout - 20 s"
        clock.advance(0.1)
        assert not app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen)
        clock.advance(19.9)
        assert not app.check_idle_reset()
        clock.advance(0.1)
        assert app.check_idle_reset(), "the reset comes at the timeout exactly"
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.language == "en" and app.has_class("-size-normal")
        assert "1 Seizure" in read(app) and "Search" in read(app)


@pytest.mark.parametrize(
    ("language", "title", "stay", "countdown"),
    [
        ("en", "Still reading?", "Tap to stay", "Back to the start in 20 s"),
        ("uk", "Ви ще читаєте?", "Торкніться, щоб залишитися", "Повернення на початок через 20 с"),
    ],
)
async def test_the_warning_shows_a_countdown_over_the_card_with_the_emergency_bar(
    build, clock, language: str, title: str, stay: str, countdown: str
) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        if language == "uk":
            await pilot.click("#language")
        await pilot.press("1")
        clock.advance(70)
        app.check_idle_reset()
        await pilot.pause()
        shown = flat_text(app)
        assert title in shown and stay in shown and countdown in shown
        assert "112" in shown, "the emergency bar stays on top"
        clock.advance(1.5)
        app.check_idle_reset()
        await pilot.pause()
        assert countdown.replace("20", "19") in flat_text(app)
        clock.advance(10)
        app.check_idle_reset()
        await pilot.pause()
        assert countdown.replace("20", "9") in flat_text(app)


async def test_a_tap_on_the_warning_keeps_the_visitor_on_their_page(build, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "right")
        place = app.card_place
        clock.advance(75)
        app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen)
        await pilot.click("#idle-stay")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen) and app.card_place == place
        clock.advance(69)
        assert not app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, CardScreen), "a full countdown again after the tap"
        clock.advance(21)
        assert not app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen), "and a warning before the next reset"


async def test_a_key_on_the_warning_keeps_the_visitor_and_does_nothing_else(build, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        place = app.card_place
        clock.advance(75)
        app.check_idle_reset()
        await pilot.pause()
        await pilot.press("right")  # would turn the page if it reached the card
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert app.card_place == place


async def test_the_tap_that_dismisses_the_warning_presses_nothing_under_it(build, clock) -> None:
    """A real terminal tap: mouse-down and mouse-up from the driver, not a Pilot click."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        place = app.card_place
        next_button = app.screen.query_one("#next").region
        x, y = next_button.x + 2, next_button.y + 1
        clock.advance(75)
        app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen)
        for kind in (events.MouseDown, events.MouseUp):
            app.post_message(kind(None, x, y, 0, 0, 1, False, False, False, x, y))
            await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert app.card_place == place, "the tap went to the warning, not to Next"
        await pilot.click("#next")
        assert app.card_place != place, "the next tap works as usual"


async def test_no_warning_and_no_reset_while_the_stopwatch_runs(build, clock) -> None:
    app = build(idle_timeout_seconds=90)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        for _ in range(10):
            clock.advance(60)
            assert not app.check_idle_reset()
            await pilot.pause()
            assert isinstance(app.screen, CardScreen)
        assert app.card_screen.timers_running()


async def test_no_idle_reset_while_a_countdown_runs_then_a_warning_first(build, clock) -> None:
    app = build(idle_timeout_seconds=20)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right")
        await pilot.click("#countdown-start")
        clock.advance(25)
        assert not app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        clock.advance(10)  # the countdown has ended: the warning, for a full 20 s
        assert not app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen)
        clock.advance(19)
        assert not app.check_idle_reset()
        clock.advance(1)
        assert app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_an_untouched_stopwatch_gives_way_after_the_site_limit(build, read, clock) -> None:
    """Red-team A9: one prank tap on "Start stopwatch" must not hold the screen for ever."""
    app = build(idle_timer_limit_minutes=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        clock.advance(29 * 60 + 59)
        assert not app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        clock.advance(1)
        assert not app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen), "the warning first"
        clock.advance(20)
        assert app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.session.any_tool_running(clock())
        await pilot.press("1")
        assert "CALL EMERGENCY NOW" not in flat_text(app)
        assert "0:00" in read(app), "the next visitor finds the stopwatch at zero"


async def test_a_touched_stopwatch_keeps_running_past_the_limit(build, clock) -> None:
    app = build(idle_timer_limit_minutes=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        for _ in range(5):
            clock.advance(20 * 60)
            await pilot.click("#page")  # someone is there: a tap on the step text
            assert not app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert app.session.tools.stopwatch.running(clock())


async def _mouse_down_on_page(pilot) -> None:
    await pilot.mouse_down("#page")


async def _tap_next(pilot) -> None:
    await pilot.click("#next")


async def _press_right(pilot) -> None:
    await pilot.press("right")


@pytest.mark.parametrize(
    "visitor_input",
    [_mouse_down_on_page, _tap_next, _press_right],
    ids=["mouse-down-on-the-text", "button-tap", "key"],
)
async def test_input_restarts_the_idle_countdown(build, clock, visitor_input) -> None:
    """Any input is someone there: a key, a button, and not only buttons: a mouse-down
    anywhere (the step text) restarts the countdown."""
    app = build(idle_timeout_seconds=90)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        clock.advance(65)
        await visitor_input(pilot)
        clock.advance(65)
        assert not app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)


async def test_home_stops_the_stopwatch_so_the_reset_comes(build, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        await pilot.click("#home-button")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.session.any_tool_running(clock())
        clock.advance(70)
        app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen)
        clock.advance(20)
        assert app.check_idle_reset()


async def test_idle_reset_focuses_the_first_tile(build, clock) -> None:
    """The next keyboard visitor's Enter opens tile 1, not the last visitor's button."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#language")
        assert app.focused is not None and app.focused.id == "language"
        clock.advance(70)
        app.check_idle_reset()
        clock.advance(20)
        assert app.check_idle_reset()
        await pilot.pause()
        assert app.focused is not None and "tile" in app.focused.classes
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert app.card_place is not None and app.card_place.card_id == "seizure"


async def test_idle_reset_leaves_search(build, clock) -> None:
    app = build(idle_timeout_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        clock.advance(40)
        app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen)
        clock.advance(20)
        assert app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize(
    "size",
    [(36, 10), (40, 12), (50, 16), (60, 20), (80, 24), (100, 30), (160, 45), (200, 60), (30, 40)],
)
async def test_the_warning_fits_every_target_geometry(build, clock, size) -> None:
    app = build()
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        clock.advance(70)
        app.check_idle_reset()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IdleWarningScreen)
        visible = screen.region
        for selector in (".emergency-call", "#idle-title", "#idle-stay", "#idle-countdown"):
            widget = screen.query_one(selector)
            assert widget.region and visible.contains_region(widget.region), (size, selector)
        assert screen.query_one("#idle-stay").region.height >= 3 or size[1] < 12
        shown = flat_text(app)
        assert "Still reading?" in shown and "Tap to stay" in shown and "112" in shown
        assert "Back to the start in 20 s" in shown


async def test_the_idle_timer_warns_and_resets_on_its_own_twice(build, clock) -> None:
    """The real one-shot timer fires, re-arms and consults the app's clock: no direct call."""
    app = build(idle_timeout_seconds=1)  # warning at 0.5 s (half the timeout), reset 20 s on
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2):
            await pilot.press("1")
            assert isinstance(app.screen, CardScreen)
            clock.advance(1)
            assert await wait_until(pilot, lambda: isinstance(app.screen, IdleWarningScreen))
            clock.advance(20)
            assert await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_the_idle_timer_comes_back_after_a_countdown_ends(build, clock) -> None:
    """While a countdown holds the reset the timer keeps looking; when it ends, the warning."""
    app = build(idle_timeout_seconds=1)  # the timer fires at once, while the countdown runs
    async with app.run_test(size=SIZE) as pilot:
        checks: list[bool] = []
        original = app.check_idle_reset
        app.check_idle_reset = lambda: checks.append(True) or original()  # type: ignore[method-assign]
        await pilot.press("2", "right")
        await pilot.click("#countdown-start")
        clock.advance(1)
        assert await wait_until(pilot, lambda: len(checks) >= 2)  # held by the countdown
        assert isinstance(app.screen, CardScreen)
        clock.advance(35)  # the 30 s countdown has ended, nobody touched the screen
        assert await wait_until(pilot, lambda: isinstance(app.screen, IdleWarningScreen))
        clock.advance(20)
        assert await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_many_inputs_leave_one_pending_idle_check(build, clock) -> None:
    """Idle checking costs one pending timer at most, not one per key (no pile-up)."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        armed = []
        original = app.set_timer

        def counting_set_timer(delay, callback=None, **kwargs):
            if callback == app._idle_timer_fired:
                armed.append(delay)
            return original(delay, callback, **kwargs)

        app.set_timer = counting_set_timer  # type: ignore[method-assign]
        await pilot.press(*(["1", "right", "left", "escape"] * 5))
        await pilot.pause()
        assert len(armed) <= 1, armed
        clock.advance(70)
        app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen), "the one timer still leads to the warning"


@pytest.mark.slow
async def test_input_before_the_timer_fires_moves_the_warning_to_its_new_time() -> None:
    """On the real clock: a tap 2.5 s after the first input moves the warning 2.5 s later
    (the pending timer re-arms for the time left, not for a whole timeout more)."""
    from kiosk.deck import load_deck
    from tests.app.conftest import FIXTURES

    app = make_app(
        load_deck(FIXTURES / "cards"), replace(SITE, idle_timeout_seconds=8), clock=time.monotonic
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        start = time.monotonic()
        await pilot.pause(2.5)
        await pilot.press("right")  # the warning is due 4 s (half the timeout) after this
        assert await wait_until(pilot, lambda: isinstance(app.screen, IdleWarningScreen), 15)
        shown_after = time.monotonic() - start
        assert 6.4 <= shown_after < 9.5, shown_after
