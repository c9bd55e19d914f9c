"""The out-of-service screen keeps the emergency number in front of the visitor."""

from __future__ import annotations

import dataclasses

import pytest
from textual import on
from textual.widgets import Digits

from kiosk.screens.home import SiteName
from kiosk.screens.out_of_service import OutOfServiceScreen
from kiosk.strings import Strings


def oos_host(host, site, language="en", reason="no cards found in /srv/cards"):
    return host(lambda: OutOfServiceScreen(site, Strings(language), reason))


@pytest.mark.parametrize("size", [(40, 15), (80, 24)])
async def test_shows_message_number_staff_instruction_and_reason(
    host, site, screen_text, size
) -> None:
    app = oos_host(host, site)
    async with app.run_test(size=size):
        shown = " ".join(screen_text(app).split())
        number = app.screen.query_one("#oos-number", Digits)
        assert number.value == "999"
        assert app.screen.region.contains_region(number.region), "big number on screen"
    assert "out of service" in shown
    assert "call 999" in shown
    assert "Lifeguard: press the red button by the pool" in shown


async def test_details_and_reason_for_staff(host, site, screen_text) -> None:
    app = oos_host(host, site)
    async with app.run_test(size=(80, 30)):
        shown = " ".join(screen_text(app).split())
    assert "First-aid kit: at reception" in shown
    assert "Defibrillator: by the main door" in shown
    assert "For staff: no cards found in /srv/cards" in shown


async def test_ukrainian_text(host, site, screen_text) -> None:
    app = oos_host(host, site, language="uk")
    async with app.run_test(size=(80, 24)):
        shown = " ".join(screen_text(app).split())
    assert "не працює" in shown
    assert "телефонуйте 999" in shown


async def test_no_key_leaves_the_screen(host, site) -> None:
    app = oos_host(host, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "enter", "q", "tab", "space")
        await pilot.click("#oos-number")
        await pilot.pause()
        assert isinstance(app.screen, OutOfServiceScreen)
    assert app.results == []


async def test_number_that_digits_cannot_draw_is_plain_bold_text(host, site, screen_text) -> None:
    odd = dataclasses.replace(site, emergency_number="[b]999#1[/b]")
    app = oos_host(host, odd)
    async with app.run_test(size=(80, 24)):
        assert not app.screen.query(Digits)
        assert "[b]999#1[/b]" in screen_text(app)


async def test_site_name_taps_reach_the_app_for_staff_access(host, site, screen_text) -> None:
    """The app counts SiteName taps (five quick ones open the PIN prompt); they must
    bubble up from this screen too, or a touch-only kiosk with no cards is stuck."""
    taps: list[SiteName.Tapped] = []

    class CountingHost(host):
        @on(SiteName.Tapped)
        def count(self, message: SiteName.Tapped) -> None:
            taps.append(message)

    app = oos_host(CountingHost, site)
    async with app.run_test(size=(40, 15)) as pilot:
        assert "Riverside Pool" in screen_text(app)
        for _ in range(5):
            await pilot.click("#oos-site-name")
        await pilot.pause()
    assert len(taps) == 5
