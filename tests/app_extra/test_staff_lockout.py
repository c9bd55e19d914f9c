"""The staff PIN lockout (red-team A8) and the emergency bar over the PIN prompt (A10).

Three wrong PINs are free; then staff access locks for 30 s, doubling with each further
wrong PIN up to 15 minutes, all on the app's clock (the tests move a fake one). While
locked the prompt says "Try again in 0:30" and refuses any PIN, the right one too,
without checking it. Every wrong PIN is logged, never the digits typed.
"""

from __future__ import annotations

import logging

import pytest

from kiosk.pin_lockout import (
    FREE_TRIES,
    MAX_LOCKOUT_SECONDS,
    PinLockout,
    clock_text,
    lockout_seconds,
)
from kiosk.screens.home import HomeScreen
from kiosk.screens.staff import StaffPinScreen, StaffScreen
from tests.app_extra.test_staff import PIN, settle
from tests.support.clock import FakeClock
from tests.support.screen import screen_text

pytestmark = pytest.mark.ui


async def try_pin(pilot, clock: FakeClock, pin: str) -> None:
    """Open the prompt, type ``pin`` and Enter; wait until the prompt has closed or answered."""
    app = pilot.app
    await pilot.press("f12", "f12", "f12")
    await settle(pilot, lambda: isinstance(app.screen, StaffPinScreen))
    await pilot.press(*pin, "enter")
    clock.advance(1.1)  # past the "Wrong PIN" display
    await settle(pilot, lambda: not isinstance(app.screen, StaffPinScreen))


async def close_prompt(pilot) -> None:
    await pilot.press("escape")
    await settle(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))


def test_the_delays_grow_from_thirty_seconds_to_fifteen_minutes() -> None:
    assert [lockout_seconds(n) for n in range(1, 10)] == [0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert FREE_TRIES == 3 and MAX_LOCKOUT_SECONDS == 900
    assert [clock_text(s) for s in (30, 29.2, 0.1, 900)] == ["0:30", "0:30", "0:01", "15:00"]


def test_a_day_without_a_wrong_pin_forgets_the_count() -> None:
    clock = FakeClock()
    lockout = PinLockout(clock)
    for _ in range(4):
        lockout.wrong_pin()
    assert lockout.seconds_left() == 60
    clock.advance(24 * 3600)
    assert lockout.wrong_pin() == 0  # counted as the first of a new run


async def test_three_free_tries_then_locked_and_refused_unchecked(kiosk, clock, caplog) -> None:
    caplog.set_level(logging.INFO, logger="kiosk")
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        for wrong in ("1111", "2222", "3333"):
            await try_pin(pilot, clock, wrong)
            assert isinstance(app.screen, HomeScreen)
        # Locked: the right PIN is refused without being checked, and the prompt says why.
        await pilot.press("f12", "f12", "f12")
        await settle(pilot, lambda: isinstance(app.screen, StaffPinScreen))
        assert "Try again in 0:29" in screen_text(app)
        await pilot.press(*PIN, "enter")
        await settle(pilot, lambda: isinstance(app.screen, StaffScreen), seconds=1.0)
        assert isinstance(app.screen, StaffPinScreen), "a PIN during the lockout is refused"
        clock.advance(10)
        await settle(pilot, lambda: "0:19" in screen_text(app))
        assert "Try again in 0:19" in screen_text(app)
        # After the delay the message goes and the right PIN works again.
        clock.advance(19)  # the lockout is over; the prompt's own 30 s timeout is not
        await settle(pilot, lambda: "Try again" not in screen_text(app))
        assert "Try again" not in screen_text(app)
        await pilot.press(*PIN, "enter")
        await settle(pilot, lambda: isinstance(app.screen, StaffScreen))
        assert isinstance(app.screen, StaffScreen)
    log = caplog.text
    assert log.count("wrong staff PIN") == 3
    assert "wrong staff PIN (3 in a row); staff access locked for 30 s" in log
    assert "staff PIN refused unchecked" in log
    for typed in ("1111", "2222", "3333", PIN):
        assert typed not in log, "the log never holds the digits typed"


async def test_each_further_wrong_pin_doubles_the_lockout(kiosk, clock) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        for wrong in ("1111", "2222", "3333"):
            await try_pin(pilot, clock, wrong)
        clock.advance(30)
        await try_pin(pilot, clock, "4444")
        assert app.pin_lockout.seconds_left() == pytest.approx(60 - 1.1)
        clock.advance(60)
        await try_pin(pilot, clock, PIN)
        assert isinstance(app.screen, StaffScreen)
        assert app.pin_lockout.failures == 0, "the right PIN starts the count again"


async def test_emergency_bar_shows_over_the_pin_prompt(kiosk) -> None:
    """A10: the number stays on screen, with the whole pad, down to 36x10."""
    for size in ((36, 10), (40, 12), (60, 20), (80, 24), (30, 40)):
        app = kiosk()
        async with app.run_test(size=size) as pilot:
            await pilot.press("f12", "f12", "f12")
            await settle(pilot, lambda: isinstance(pilot.app.screen, StaffPinScreen))
            shown = screen_text(app)
            assert shown.splitlines()[0].strip() == "Emergency: call 999", (size, shown)
            assert "Cancel" in shown and "OK" in shown, (size, shown)
            assert "0" in shown and "C" in shown, (size, shown)
