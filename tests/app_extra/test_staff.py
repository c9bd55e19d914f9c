"""Staff access in the real app: the PIN prompt (taps, keys, wrong PIN, timeout) and the
staff screen. F12 three times opens the prompt, as staff do on a keyboard."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import kiosk as kiosk_package
from kiosk.core.problem import Problem
from kiosk.screens.home import HomeScreen
from kiosk.screens.staff import StaffPinScreen, StaffScreen

pytestmark = pytest.mark.ui

PIN = "2468"


async def settle(pilot, done, seconds: float = 10.0) -> None:
    """Let the app run until ``done()`` (generous, so a loaded machine passes too)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not done() and loop.time() < deadline:
        await pilot.pause(0.05)


async def open_pin(pilot) -> None:
    await pilot.press("f12", "f12", "f12")
    assert isinstance(pilot.app.screen, StaffPinScreen)


def result(app) -> bool | None:
    """True on the staff screen, False back home, None while the prompt shows."""
    if isinstance(app.screen, StaffScreen):
        return True
    if isinstance(app.screen, HomeScreen):
        return False
    return None


async def wait_for_result(app, pilot) -> None:
    await settle(pilot, lambda: result(app) is not None)


async def test_right_pin_by_number_pad_taps(kiosk, screen_text) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pin(pilot)
        for digit in PIN:
            await pilot.click(f"#pin-{digit}")
        shown = screen_text(app)
        assert "● ● ● ●" in shown
        assert PIN not in shown, "the PIN must never be shown"
        await pilot.click("#pin-ok")
        await pilot.pause()
        assert result(app) is True


async def test_right_pin_by_digit_keys_and_enter(kiosk) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pin(pilot)
        await pilot.press(*PIN, "enter")
        await pilot.pause()
        assert result(app) is True


async def test_wrong_pin_says_so_then_goes_home(kiosk, clock, screen_text) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pin(pilot)
        await pilot.press(*"1357")
        await pilot.click("#pin-ok")
        assert "Wrong PIN" in screen_text(app)
        clock.advance(1.1)
        await wait_for_result(app, pilot)
        assert result(app) is False


async def test_wrong_pin_stays_visible_until_its_delay_ends(kiosk, screen_text) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pin(pilot)
        await pilot.press(*"1357", "enter")
        await pilot.pause(0.6)  # the prompt looks at the (unmoved) clock meanwhile
        assert "Wrong PIN" in screen_text(app)
        assert result(app) is None
        await pilot.press(*PIN, "enter")
        await pilot.pause()
        assert result(app) is None, "no second try while Wrong PIN is showing"


async def test_longer_pin_with_right_prefix_is_wrong(kiosk, clock) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pin(pilot)
        await pilot.press(*(PIN + "0"), "enter")
        clock.advance(1.1)
        await wait_for_result(app, pilot)
        assert result(app) is False


async def test_backspace_and_clear_on_the_pad(kiosk, screen_text) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pin(pilot)
        await pilot.press(*"99")
        await pilot.click("#pin-clear")
        assert "●" not in screen_text(app)
        for digit in PIN + "7":
            await pilot.click(f"#pin-{digit}")
        await pilot.click("#pin-backspace")
        assert "● ● ● ●" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert result(app) is True


async def test_enter_with_nothing_typed_does_nothing(kiosk) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pin(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert result(app) is None


@pytest.mark.parametrize("how", ["cancel-button", "escape"])
async def test_cancel_goes_home(kiosk, how) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pin(pilot)
        await pilot.press(*PIN)
        if how == "escape":
            await pilot.press("escape")
        else:
            await pilot.click("#pin-cancel")
        await pilot.pause()
        assert result(app) is False


async def test_timeout_after_no_input_goes_home(kiosk, clock) -> None:
    """The prompt gives up 30 s (of the app's clock) after the last key; its own timer
    looks at the clock a few times a second, so this waits in real time for it."""
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pin(pilot)
        clock.advance(20)
        await pilot.press("1")
        clock.advance(29)
        await pilot.pause(0.6)
        assert result(app) is None, "a key 29 s ago keeps the prompt open"
        clock.advance(2)
        await wait_for_result(app, pilot)
        assert result(app) is False


@pytest.mark.parametrize("text_size", ["normal", "extra-large"])
@pytest.mark.parametrize("size", [(36, 10), (40, 12), (40, 15), (80, 24)])
async def test_number_pad_fits_small_screens(kiosk, screen_text, size, text_size) -> None:
    """The whole pad on screen; the bar keeps the lines the pad leaves room for: from
    40x12 the AED and kit too (at 36x10 they would take two rows: only the number)."""
    app = kiosk(text_size=text_size)
    async with app.run_test(size=size) as pilot:
        await open_pin(pilot)
        for key in app.screen.query("TapKey"):
            assert app.screen.region.contains_region(key.region), key.id
            assert key.region.width >= 5, key.id
        shown = screen_text(app)
        for label in ["1", "9", "0", "←", "C", "Cancel", "OK"]:
            assert label in shown
        assert shown.splitlines()[0].strip().startswith("Emergency: call"), shown
        assert ("by the main door" in shown) == (size != (36, 10)), shown
        for digit in PIN:
            await pilot.click(f"#pin-{digit}")
        await pilot.click("#pin-ok")
        await pilot.pause()
        assert result(app) is True


# ---- the staff screen ----

PROBLEMS = (
    Problem(Path("cards/en/burn.toml"), "E101", "missing [bold]title[/]", "burn", 3),
    Problem(Path("cards/en/cramp.toml"), "W201", "review is past due", "cramp"),
)


async def open_staff_screen(pilot) -> None:
    await open_pin(pilot)
    await pilot.press(*PIN, "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, StaffScreen)


async def test_staff_buttons(kiosk) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff_screen(pilot)
        await pilot.click("#staff-back")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.return_code is None
        await open_staff_screen(pilot)
        await pilot.click("#staff-exit")
        await pilot.pause()
        assert app.staff_exit and app.return_code == 0


async def test_escape_goes_back_to_the_kiosk(kiosk) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff_screen(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_staff_screen_shows_version_log_site_and_problems(kiosk, screen_text) -> None:
    app = kiosk(site_problems=PROBLEMS, log_path=Path("/var/log/kiosk/kiosk.log"))
    async with app.run_test(size=(120, 60)) as pilot:
        await open_staff_screen(pilot)
        shown = screen_text(app)
    assert f"Kiosk version: {kiosk_package.__version__}" in shown
    assert "/var/log/kiosk/kiosk.log" in shown
    assert "Riverside Pool" in shown
    assert "Emergency, 999" in shown
    assert "by the main door" in shown
    assert "Deck problems: 2 (errors: 1, warnings: 1)" in shown
    assert "cards/en/burn.toml:3: E101 burn: missing [bold]title[/]" in shown
    assert "W201 cramp" in shown
    assert "Staff PIN set: yes" in shown
    assert PIN not in shown, "the PIN itself is never shown"


async def test_staff_screen_without_log_file_or_problems(kiosk, screen_text) -> None:
    """Review P9: with no log file the records are in memory, and the last ones show."""
    from kiosk import logs

    app = kiosk()
    async with app.run_test(size=(100, 50)) as pilot:
        logs.setup_logging(app.site, log_dir=Path("/proc/no-such-folder"))
        try:
            import logging

            logging.getLogger("kiosk.test").warning("card seizure looked odd")
            await open_staff_screen(pilot)
            shown = screen_text(app)
        finally:
            logs.shutdown_logging()
    assert "memory only" in shown
    assert "stderr" not in shown
    assert "Deck problems: none" in shown
    assert "Recent log lines" in shown
    assert "card seizure looked odd" in shown


async def test_staff_buttons_stay_on_screen_with_many_problems(kiosk) -> None:
    many = tuple(Problem(Path(f"cards/en/c{n}.toml"), "E101", "broken", f"c{n}") for n in range(80))
    app = kiosk(site_problems=many)
    async with app.run_test(size=(40, 15)) as pilot:
        await open_staff_screen(pilot)
        for button in app.screen.query("#staff-actions Button"):
            assert app.screen.region.contains_region(button.region)
            assert button.region.height >= 3
        info = app.screen.query_one("#staff-info")
        assert info.max_scroll_y > 0, "the problem list scrolls"
        track = info.vertical_scrollbar.region
        await pilot.click(offset=(track.x, track.bottom - 1))  # the track, below the thumb
        await settle(pilot, lambda: info.scroll_y > 0)
        assert info.scroll_y > 0, "a tap on the scrollbar pages down"
        await pilot.press("end")
        await settle(pilot, lambda: info.scroll_y == info.max_scroll_y)
        assert info.scroll_y == info.max_scroll_y
        await pilot.click("#staff-exit")
        await pilot.pause()
        assert app.staff_exit
