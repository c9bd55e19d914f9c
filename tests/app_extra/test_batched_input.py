"""Two inputs handled in one batch never leave a blank screen (red-team A6).

A busy Raspberry Pi reads several taps and keys before it handles any of them. Textual's
``dismiss`` pops the *top* screen, so two inputs that both close a screen (a tap on Back
and Escape) popped the home screen too: a blank screen with no emergency bar, deaf to
input until the idle reset. Each test posts its inputs to the app the way the terminal
driver does, all before the app handles the first, then checks what a visitor sees.
"""

from __future__ import annotations

import asyncio
from typing import Callable

import pytest
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen

from kiosk.app import KioskApp
from kiosk.screens.card import CardScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.search import SearchScreen, result_id
from kiosk.screens.staff import StaffPinScreen, StaffScreen
from tests.app_extra.conftest import open_search, opened
from tests.support.screen import screen_text

pytestmark = pytest.mark.ui

Input = Callable[[KioskApp], list[events.Event]]


def tap(selector: str) -> Input:
    """A tap (press and release) at the middle of ``selector`` on the screen shown now."""

    def build(app: KioskApp) -> list[events.Event]:
        region = app.screen.query_one(selector).region
        x, y = region.x + region.width // 2, region.y + region.height // 2
        return [
            kind(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)
            for kind in (events.MouseDown, events.MouseUp)
        ]

    return build


def key(name: str, character: str | None = None) -> Input:
    return lambda app: [events.Key(name, character)]


async def in_one_batch(pilot: Pilot[None], *inputs: Input) -> None:
    """Post every input's events to the app before it handles any, then let it settle."""
    app = pilot.app
    assert isinstance(app, KioskApp)
    for message in [event for make in inputs for event in make(app)]:
        app.post_message(message)
    await settle(pilot)


async def settle(pilot: Pilot[None], seconds: float = 0.3) -> None:
    """Let the app handle what is queued (a few rounds, enough on a loaded machine)."""
    for _ in range(5):
        await pilot.pause()
    await asyncio.sleep(seconds)
    await pilot.pause()


def assert_working_screen(app: KioskApp) -> None:
    """The home screen is under whatever shows, and the emergency number is on screen."""
    assert app.home_screen in app.screen_stack, [type(s).__name__ for s in app.screen_stack]
    assert type(app.screen) is not Screen  # Textual's blank default screen
    assert "Emergency: call 999" in screen_text(app)


async def still_opens_a_card(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, KioskApp)
    await pilot.press("escape")
    await settle(pilot)
    if isinstance(app.screen, CardScreen):
        await pilot.press("escape")  # the card's Back
        await settle(pilot)
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("1")
    await settle(pilot)
    assert isinstance(app.screen, CardScreen)


async def open_staff_screen(pilot: Pilot[None]) -> None:
    await pilot.press("f12", "f12", "f12", *"2468", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StaffScreen)


@pytest.mark.parametrize(
    "inputs",
    [
        pytest.param((key("escape"), tap("#staff-back")), id="escape+back"),
        pytest.param((tap("#staff-back"), key("escape")), id="back+escape"),
        pytest.param((key("escape"), key("escape")), id="escape+escape"),
    ],
)
async def test_two_closes_of_the_staff_screen_leave_home(kiosk, inputs) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff_screen(pilot)
        await in_one_batch(pilot, *inputs)
        assert isinstance(app.screen, HomeScreen)
        assert_working_screen(app)
        await still_opens_a_card(pilot)


@pytest.mark.parametrize(
    "inputs",
    [
        pytest.param((tap(f"#{result_id('seizure')}"), tap("#search-back")), id="result+back"),
        pytest.param((tap("#search-back"), tap(f"#{result_id('seizure')}")), id="back+result"),
        pytest.param((key("escape"), tap(f"#{result_id('seizure')}")), id="escape+result"),
        pytest.param((key("enter"), key("escape")), id="enter+escape"),
    ],
)
async def test_two_taps_on_search_leave_a_working_screen(kiosk, inputs) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_search(pilot)
        await in_one_batch(pilot, *inputs)
        assert opened(app) in (None, "seizure", "burn")
        assert_working_screen(app)
        await still_opens_a_card(pilot)


@pytest.mark.parametrize(
    "inputs",
    [
        pytest.param((key("escape"), tap("#pin-cancel")), id="escape+cancel"),
    ],
)
async def test_two_closes_of_the_pin_prompt_leave_home(kiosk, inputs) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12", "f12", "f12")
        await settle(pilot)
        assert isinstance(app.screen, StaffPinScreen)
        await in_one_batch(pilot, *inputs)
        assert_working_screen(app)
        await still_opens_a_card(pilot)


@pytest.mark.parametrize(
    "inputs",
    [
        pytest.param((tap("#home-button"), tap("#back")), id="home+back"),
        pytest.param((key("escape"), key("1", "1")), id="back+tile"),
    ],
)
async def test_two_taps_on_a_card_leave_a_working_screen(kiosk, inputs) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)
        await in_one_batch(pilot, *inputs)
        assert_working_screen(app)
        await still_opens_a_card(pilot)


async def test_a_screen_no_longer_on_top_cannot_dismiss_what_is(kiosk) -> None:
    """The class behind A6: a late dismiss of a screen already gone pops nothing."""
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_search(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        app.action_home()
        await settle(pilot)
        search.dismiss()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.pop_screen()  # nothing may pop home by accident either
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert_working_screen(app)
