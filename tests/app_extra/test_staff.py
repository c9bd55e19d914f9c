"""Staff access: the PIN prompt (taps, keys, wrong PIN, timeout) and the staff screen."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kiosk.deck.model import Problem
from kiosk.screens.staff import StaffPinScreen, StaffScreen
from kiosk.strings import Strings

PIN = "2468"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def pin_host(host, pin=PIN, **kwargs):
    kwargs.setdefault("wrong_pin_seconds", 0)
    return host(lambda: StaffPinScreen(pin, Strings("en"), **kwargs))


async def settle(pilot, done, seconds: float = 10.0) -> None:
    """Let the app run until ``done()`` (generous, so a loaded machine passes too)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not done() and loop.time() < deadline:
        await pilot.pause(0.05)


async def wait_for_result(app, pilot) -> None:
    """Let the app run until the screen is dismissed."""
    await settle(pilot, lambda: app.results)


async def test_right_pin_by_number_pad_taps(host, screen_text) -> None:
    app = pin_host(host)
    async with app.run_test(size=(80, 24)) as pilot:
        for digit in PIN:
            await pilot.click(f"#pin-{digit}")
        shown = screen_text(app)
        assert "● ● ● ●" in shown
        assert PIN not in shown, "the PIN must never be shown"
        await pilot.click("#pin-ok")
        await pilot.pause()
    assert app.results == [True]


async def test_right_pin_by_digit_keys_and_enter(host) -> None:
    app = pin_host(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*PIN, "enter")
        await pilot.pause()
    assert app.results == [True]


async def test_wrong_pin_says_so_then_dismisses_with_false(host, screen_text) -> None:
    app = pin_host(host, wrong_pin_seconds=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"1357")
        await pilot.click("#pin-ok")
        assert "Wrong PIN" in screen_text(app) or app.results == [False]
        await wait_for_result(app, pilot)
    assert app.results == [False]


async def test_wrong_pin_stays_visible_until_its_delay_ends(host, screen_text) -> None:
    app = pin_host(host, wrong_pin_seconds=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"1357", "enter")
        await pilot.pause()
        assert "Wrong PIN" in screen_text(app)
        assert app.results == []
        await pilot.press(*PIN, "enter")
        await pilot.pause()
        assert app.results == [], "no second try while Wrong PIN is showing"


async def test_longer_pin_with_right_prefix_is_wrong(host) -> None:
    app = pin_host(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*(PIN + "0"), "enter")
        await pilot.pause()
    assert app.results == [False]


async def test_backspace_and_clear_on_the_pad(host, screen_text) -> None:
    app = pin_host(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"99")
        await pilot.click("#pin-clear")
        assert "●" not in screen_text(app)
        for digit in PIN + "7":
            await pilot.click(f"#pin-{digit}")
        await pilot.click("#pin-backspace")
        assert "● ● ● ●" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [True]


async def test_enter_with_nothing_typed_does_nothing(host) -> None:
    app = pin_host(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []


async def test_empty_configured_pin_matches_nothing(host) -> None:
    app = pin_host(host, pin="")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("0", "enter")
        await pilot.pause()
    assert app.results == [False]


@pytest.mark.parametrize("how", ["cancel-button", "escape"])
async def test_cancel_dismisses_with_false(host, how) -> None:
    app = pin_host(host)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*PIN)
        if how == "escape":
            await pilot.press("escape")
        else:
            await pilot.click("#pin-cancel")
        await pilot.pause()
    assert app.results == [False]


async def test_timeout_after_no_input_dismisses_with_false(host) -> None:
    clock = FakeClock()
    app = pin_host(host, timeout_seconds=30, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        clock.now += 20
        await pilot.press("1")
        clock.now += 29
        app.screen.check_timeout()
        await pilot.pause()
        assert app.results == [], "a key 29 s ago keeps the prompt open"
        clock.now += 2
        await wait_for_result(app, pilot)
    assert app.results == [False]


async def test_timeout_with_the_real_clock(host) -> None:
    app = pin_host(host, timeout_seconds=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_result(app, pilot)
    assert app.results == [False]


@pytest.mark.parametrize("text_size", ["", "-size-extra-large"])
@pytest.mark.parametrize("size", [(40, 15), (80, 24)])
async def test_number_pad_fits_small_screens(styled_host, screen_text, size, text_size) -> None:
    app = styled_host(
        lambda: StaffPinScreen(PIN, Strings("en"), wrong_pin_seconds=0), classes=text_size
    )
    async with app.run_test(size=size) as pilot:
        for key in app.screen.query("TapKey"):
            assert app.screen.region.contains_region(key.region), key.id
            assert key.region.width >= 5, key.id
        shown = screen_text(app)
        for label in ["1", "9", "0", "←", "C", "Cancel", "OK"]:
            assert label in shown
        for digit in PIN:
            await pilot.click(f"#pin-{digit}")
        await pilot.click("#pin-ok")
        await pilot.pause()
    assert app.results == [True]


# ---- the staff screen ----


def staff_host(host, site, problems=(), log_path=None):
    return host(lambda: StaffScreen(problems, "1.2.3", log_path, site, Strings("en")))


PROBLEMS = (
    Problem(Path("cards/en/burn.toml"), "E101", "missing [bold]title[/]", "burn", 3),
    Problem(Path("cards/en/cramp.toml"), "W201", "review is past due", "cramp"),
)


@pytest.mark.parametrize(("button", "result"), [("#staff-exit", "exit"), ("#staff-back", "back")])
async def test_staff_buttons_dismiss(host, site, button, result) -> None:
    app = staff_host(host, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click(button)
        await pilot.pause()
    assert app.results == [result]


async def test_escape_goes_back_to_the_kiosk(host, site) -> None:
    app = staff_host(host, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == ["back"]


async def test_staff_screen_shows_version_log_site_and_problems(host, site, screen_text) -> None:
    app = staff_host(host, site, PROBLEMS, Path("/var/log/kiosk/kiosk.log"))
    async with app.run_test(size=(120, 60)):
        shown = screen_text(app)
    assert "Kiosk version: 1.2.3" in shown
    assert "/var/log/kiosk/kiosk.log" in shown
    assert "Riverside Pool" in shown
    assert "Emergency, 999" in shown
    assert "by the main door" in shown
    assert "Deck problems: 2 (errors: 1, warnings: 1)" in shown
    assert "cards/en/burn.toml:3: E101 burn: missing [bold]title[/]" in shown
    assert "W201 cramp" in shown
    assert "Staff PIN set: yes" in shown
    assert PIN not in shown, "the PIN itself is never shown"


async def test_staff_screen_without_log_file_or_problems(host, site, screen_text) -> None:
    app = staff_host(host, site)
    async with app.run_test(size=(80, 40)):
        shown = screen_text(app)
    assert "stderr only" in shown
    assert "Deck problems: none" in shown


async def test_staff_buttons_stay_on_screen_with_many_problems(host, site) -> None:
    many = [Problem(Path(f"cards/en/c{n}.toml"), "E101", "broken", f"c{n}") for n in range(80)]
    app = staff_host(host, site, many)
    async with app.run_test(size=(40, 15)) as pilot:
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
    assert app.results == ["exit"]
