"""Public use: lockdown keys, quitting outside kiosk mode, staff access with a PIN."""

from __future__ import annotations

import pytest

from kiosk.screens.home import HomeScreen
from kiosk.screens.staff import StaffPinScreen, StaffScreen

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)
LOCKDOWN_KEYS = ("ctrl+c", "ctrl+q", "ctrl+z", "ctrl+backslash", "ctrl+p")


@pytest.mark.parametrize("key", LOCKDOWN_KEYS)
async def test_lockdown_keys_do_nothing_in_kiosk_mode(build, key) -> None:
    app = build(kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await pilot.press("1", key)
        await pilot.pause()
        assert app.return_code is None and app.is_running
        assert "Seizure" in str(app.screen.query_one("#card-title").render())


async def test_ctrl_q_quits_outside_kiosk_mode(build) -> None:
    app = build(kiosk=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_no_command_palette_or_selection(build) -> None:
    app = build(kiosk=True)
    assert app.ENABLE_COMMAND_PALETTE is False
    assert app.ALLOW_SELECT is False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, HomeScreen)


def _pin_screen_type():
    return StaffPinScreen, StaffScreen


async def _type_pin(pilot, pin: str) -> None:
    await pilot.press(*pin, "enter")
    await pilot.pause()


async def test_staff_keys_then_right_pin_opens_staff_screen_and_exit(build) -> None:
    pin_screen, staff_screen = _pin_screen_type()
    app = build(kiosk=True, staff_pin="2468")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f12")
        assert isinstance(app.screen, pin_screen)
        await _type_pin(pilot, "2468")
        assert isinstance(app.screen, staff_screen)
        await pilot.click("#staff-exit")
        await pilot.pause()
        assert app.return_code == 0 and app.staff_exit


async def test_staff_back_returns_home(build) -> None:
    pin_screen, staff_screen = _pin_screen_type()
    app = build(kiosk=True, staff_pin="2468")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12", "f12")
        await _type_pin(pilot, "2468")
        await pilot.click("#staff-back")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.return_code is None


async def test_wrong_pin_returns_home(build, read, clock) -> None:
    """ "Wrong PIN" shows for a second of the app's clock, then the visitor is home."""
    pin_screen, _ = _pin_screen_type()
    app = build(kiosk=True, staff_pin="2468")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12", "f12")
        await _type_pin(pilot, "1111")
        await pilot.pause(0.3)
        assert isinstance(app.screen, pin_screen) and "Wrong PIN" in read(app)
        clock.advance(1.1)
        for _ in range(50):
            if not isinstance(app.screen, pin_screen):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, HomeScreen) and app.return_code is None


async def test_staff_keys_spread_out_do_nothing(build, clock) -> None:
    app = build(kiosk=True, staff_pin="2468")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await pilot.press("f12")
            clock.advance(2)
        assert isinstance(app.screen, HomeScreen)


async def test_five_taps_on_site_name_ask_for_pin(build) -> None:
    pin_screen, _ = _pin_screen_type()
    app = build(kiosk=True, staff_pin="2468")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            await pilot.click("#site-name")
        assert isinstance(app.screen, pin_screen)


async def test_kiosk_mode_without_pin_refuses_staff_access(build) -> None:
    app = build(kiosk=True, staff_pin="")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12", "f12")
        assert isinstance(app.screen, HomeScreen)


async def test_staff_screen_lists_site_and_deck_problems(build, deck, clock, read) -> None:
    from pathlib import Path

    from kiosk.app import make_app
    from kiosk.deck import Problem, load_deck

    _pin_screen_type()
    broken = load_deck(Path(__file__).parent / "fixtures" / "broken")
    site_problem = Problem(Path("site.toml"), "S001", "cannot read site file")
    app = make_app(broken, build().site, clock=clock, site_problems=(site_problem,))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f12", "f12", "f12")
        await _type_pin(pilot, "2468")
        text = read(app)
        assert "S001" in text and "leg-cramp.toml" in text
