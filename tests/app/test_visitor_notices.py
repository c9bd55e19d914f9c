"""What a visitor, operator or staff member would notice: the survivors of the mutation
review (shared/reviews/mutation.md, scripts/mutation.py), killed through the real app.

Time goes through the app's real timers here: nothing calls ``refresh_timers()`` or
``check_idle_reset()`` by hand. Either the fake clock is moved and the test waits (real
time, polling with a generous deadline) for the screen to follow, or the app runs on a
:class:`~tests.support.clock.ScaledClock`, real time sped up, so that the seizure
stopwatch reaches its five-minute alert in about a second and a half.
"""

from __future__ import annotations

import time
from typing import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Button

from kiosk.app import KioskApp, make_app
from kiosk.deck import LoadResult
from kiosk.screens.card import CardScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.idle_warning import IdleWarningScreen
from kiosk.screens.out_of_service import OutOfServiceScreen
from kiosk.screens.search import SearchScreen
from kiosk.screens.staff import StaffPinScreen
from kiosk.session import ERROR_LIMIT
from tests.app.conftest import SITE
from tests.support.clock import FakeClock, ScaledClock
from tests.support.screen import widget_text

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)
#: Real seconds a test waits for the screen to follow the clock (the tick is 0.25 s; the
#: machine may be loaded).
DEADLINE = 15.0


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool]) -> bool:
    """Let the app run (real time) until ``condition()`` holds or the deadline passes."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if condition():
            await pilot.pause()  # and let the layout follow before the next tap
            return True
        await pilot.pause(0.05)
    return condition()


def shows(app: KioskApp, text: str) -> Callable[[], bool]:
    return lambda: text in widget_text(app)


def idle_checks(app: KioskApp) -> list[bool]:
    """Record every idle check the app's own idle timer makes (results, in order)."""
    results: list[bool] = []
    check = app.check_idle_reset

    def counted() -> bool:
        result = check()
        results.append(result)
        return result

    app.check_idle_reset = counted  # type: ignore[method-assign]
    return results


# -- input counts: the idle reset never sends a reader home --------------------------------


async def test_a_tap_on_the_card_text_counts_as_input(build, clock: FakeClock) -> None:
    """A tap that is not on a button (on the text, to steady a shaking hand) is input."""
    app = build(idle_timeout_seconds=1)  # "Still reading?" after 0.5 s idle, home 20 s on
    async with app.run_test(size=SIZE) as pilot:
        checks = idle_checks(app)
        await pilot.press("1")
        clock.advance(0.9)
        await pilot.click("#step-text")
        clock.advance(0.3)  # 1.2 s since the card opened, 0.3 s since the tap
        before = len(checks)
        assert await wait_until(pilot, lambda: len(checks) > before)
        assert isinstance(app.screen, CardScreen), "no warning: the tap was input"
        assert "Stay with them and start the stopwatch." in widget_text(app)
        clock.advance(1)  # now idle long enough: the warning, then home
        assert await wait_until(pilot, lambda: isinstance(app.screen, IdleWarningScreen))
        clock.advance(21)
        assert await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_a_key_press_counts_as_input(build, read, clock: FakeClock) -> None:
    # The app's own idle timer runs on real time (first check 2 s after the press), so a
    # loaded machine has 2 s, not 0.5 s, to deliver the second key before it fires.
    app = build(idle_timeout_seconds=4)
    async with app.run_test(size=SIZE) as pilot:
        checks = idle_checks(app)
        await pilot.press("1")
        clock.advance(3.9)
        await pilot.press("right")
        clock.advance(0.3)
        before = len(checks)
        assert await wait_until(pilot, lambda: len(checks) > before)
        assert isinstance(app.screen, CardScreen) and "Step 2 of 3" in read(app)


# -- the timers tick on their own ------------------------------------------------------------


async def test_the_stopwatch_ticks_and_alerts_at_five_minutes_on_its_own(deck: LoadResult) -> None:
    """Real timer path, real time sped up 200 times: 5:00 comes after 1.5 s."""
    app = make_app(deck, SITE, clock=ScaledClock(speed=200))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        digits = app.card_screen.query_one("#stopwatch-digits")
        assert await wait_until(pilot, lambda: digits.value not in ("0:00", "0:01"))
        assert await wait_until(pilot, shows(app, "CALL EMERGENCY NOW"))
        text = widget_text(app)
        assert "Emergency: call 112" in text
        assert "Stay with them and start the stopwatch." not in text, "the alert covers the step"


async def test_the_stopwatch_alert_comes_by_itself_on_another_page(build, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        await pilot.press("right")
        clock.advance(299)
        assert await wait_until(pilot, shows(app, "Stopwatch 4:59"))
        assert "CALL EMERGENCY NOW" not in widget_text(app)
        clock.advance(1)
        assert await wait_until(pilot, shows(app, "CALL EMERGENCY NOW"))


async def test_the_countdown_counts_down_and_ends_on_its_own(build, read, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right")
        await pilot.click("#countdown-start")
        clock.advance(10)
        assert await wait_until(pilot, shows(app, "Hold the stretch: 0:20"))
        # the Start button is gone while it runs, and no "Timer" indicator on its own step
        text = read(app)
        assert "Start timer" not in text and "Start again" not in text
        assert "Timer 0:" not in text
        clock.advance(20)
        assert await wait_until(pilot, shows(app, "Done – you can let go"))
        assert "Start again" in read(app)


async def test_a_restarted_stopwatch_alerts_again(build, read, clock) -> None:
    """A second seizure on the same visit: the second five minutes alert too."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        clock.advance(300)
        assert await wait_until(pilot, shows(app, "CALL EMERGENCY NOW"))
        await pilot.click("#alert-dismiss")
        await pilot.pause()
        await pilot.click("#stopwatch-start")  # Stop
        assert "Start again from 0:00" in read(app)
        await pilot.click("#stopwatch-start")  # Start again
        clock.advance(300)
        assert await wait_until(pilot, shows(app, "CALL EMERGENCY NOW"))


async def test_enter_dismisses_the_alert_and_starts_the_stopwatch(build, read, clock) -> None:
    """Focus is where a keyboard visitor needs it: Start on the stopwatch step, then the
    alert's own button once it shows."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "enter")
        assert "Stop" in read(app).splitlines()
        clock.advance(300)
        assert await wait_until(pilot, shows(app, "CALL EMERGENCY NOW"))
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: "CALL EMERGENCY NOW" not in read(app))
        assert "Step 1 of 3" in read(app)


# -- leaving a card stops its timers ----------------------------------------------------------


async def test_home_stops_the_stopwatch(build, read, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        clock.advance(30)
        await pilot.click("#home-button")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("1")
        text = read(app)
        assert "Start stopwatch" in text and "0:00" in text.splitlines()
        clock.advance(300)  # nothing runs: no alert can come
        await pilot.pause(0.5)
        assert "CALL EMERGENCY NOW" not in read(app)


async def test_after_home_the_idle_reset_still_comes(build, clock: FakeClock) -> None:
    """A stopwatch left running by Home would hold off the idle reset for ever: the next
    visitor would find the last one's large text. Home stops it, so the reset comes."""
    app = build(idle_timeout_seconds=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        await pilot.click("#home-button")
        await pilot.click("#size")
        assert app.has_class("-size-large")
        clock.advance(2)  # the warning first ...
        assert await wait_until(pilot, lambda: isinstance(app.screen, IdleWarningScreen))
        clock.advance(21)  # ... then the reset
        assert await wait_until(pilot, lambda: app.has_class("-size-normal"))
        assert isinstance(app.screen, HomeScreen)


async def test_home_stops_the_countdown(build, read, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "right")
        await pilot.click("#countdown-start")
        clock.advance(5)
        await pilot.press("home")
        await pilot.press("2", "right")
        text = read(app)
        assert "Timer: 0:30" in text and "Start timer" in text
        assert "Hold the stretch:" not in text


async def test_a_related_card_does_not_carry_the_stopwatch(build, read, clock) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        for _ in range(60):  # to the related cards' page
            page = app.session.page
            if page is not None and page.kind == "related":
                break
            await pilot.press("right")
        clock.advance(20)
        await pilot.click(".related-card")
        assert app.card_screen.card is not None and app.card_screen.card.id == "sprain"
        clock.advance(20)
        await pilot.pause(0.5)
        assert "Stopwatch" not in read(app)
        clock.advance(300)
        await pilot.pause(0.5)
        assert "CALL EMERGENCY NOW" not in read(app)


# -- text size -----------------------------------------------------------------------------


async def test_minus_at_normal_size_stays_normal(build) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("minus")
        assert app.has_class("-size-normal") and not app.has_class("-size-extra-large")
        assert str(app.screen.query_one("#size", Button).label) == "Text A"


async def test_the_size_button_goes_round_to_normal(build) -> None:
    """A touch-only visitor can make the text small again."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        labels = []
        for _ in range(3):
            await pilot.click("#size")
            labels.append(str(app.screen.query_one("#size", Button).label))
        assert labels == ["Text A+", "Text A++", "Text A"]
        assert app.has_class("-size-normal")


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.expected_errors
async def test_an_error_loop_ends_on_the_out_of_service_screen(build, monkeypatch) -> None:
    """Five errors close together: the out-of-service screen with the emergency number,
    not a kiosk flashing home for ever."""
    app = build()

    def broken(self: KioskApp) -> None:
        raise RuntimeError("search is broken")

    monkeypatch.setattr(KioskApp, "action_search", broken)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(ERROR_LIMIT - 1):
            await pilot.press("slash")
            assert await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("slash")
        assert await wait_until(pilot, lambda: isinstance(app.screen, OutOfServiceScreen))
        text = widget_text(app)
        assert "112" in text and "This kiosk has a problem." in text


@pytest.mark.expected_errors
async def test_after_an_error_in_the_card_screen_cards_still_work(build, read) -> None:
    """The screen whose handler raised is rebuilt: the next visitor can read a card."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")

        def explode() -> None:
            raise ValueError("boom in a card screen timer")

        app.card_screen.set_timer(0.01, explode)
        assert await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("2")
        await pilot.click("#next")
        assert "Step 2 of 2" in read(app) or "Step 2 of" in read(app)
        await pilot.click("#next")
        await pilot.click("#back")
        assert "Step 2 of" in read(app)


# -- staff access --------------------------------------------------------------------------


async def test_a_wrong_pin_from_a_card_goes_home(build, read, clock) -> None:
    app = build(kiosk=True, staff_pin="2468")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "f12", "f12", "f12")
        assert isinstance(app.screen, StaffPinScreen)
        await pilot.press(*"1111", "enter")
        clock.advance(1.1)
        assert await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


# -- search ----------------------------------------------------------------------------------


async def test_a_word_only_in_the_scenario_finds_the_card(build) -> None:
    """'Someone is having a fit': a visitor types what they see."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.press(*"someone")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.shown_card_ids == ["seizure"]


async def test_space_on_a_focused_result_opens_it(build, read) -> None:
    """Space presses the focused result (as on every screen); it is not typed."""
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "s", "down")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("space")
        assert isinstance(app.screen, CardScreen)
        assert "Seizure (fit)" in read(app)


async def test_typing_shows_the_first_result_again_on_a_small_screen(build) -> None:
    """After moving down the results, the next letter typed shows the first result again
    (results come in pages of whole buttons; nothing scrolls)."""
    from tests.support.screen import screen_text

    app = build()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        results = screen.query_one("#search-results")
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert results.scroll_y == 0, "nothing scrolls"
        await pilot.press("e")
        await pilot.pause()
        first = app.deck.card(screen.shown_card_ids[0], "en")
        assert first is not None and first.title in screen_text(app)
