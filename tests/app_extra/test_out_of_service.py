"""The out-of-service screen (the real app on an empty deck) keeps the emergency number
in front of the visitor."""

from __future__ import annotations

import pytest
from textual.widgets import Digits

from kiosk.screens.out_of_service import OutOfServiceScreen
from kiosk.screens.staff import StaffPinScreen

# The app logs 'out of service' as an error for the operator.
pytestmark = [pytest.mark.ui, pytest.mark.expected_errors]

REASON = "No first-aid cards could be loaded."


@pytest.mark.parametrize("size", [(40, 15), (80, 24)])
async def test_shows_message_number_staff_instruction_and_reason(
    out_of_service, screen_text, size
) -> None:
    app = out_of_service()
    async with app.run_test(size=size):
        assert isinstance(app.screen, OutOfServiceScreen)
        shown = " ".join(screen_text(app).split())
        number = app.screen.query_one("#oos-number", Digits)
        assert number.value == "999"
        assert app.screen.region.contains_region(number.region), "big number on screen"
    assert "out of service" in shown
    assert "call 999" in shown
    assert "Lifeguard: press the red button by the pool" in shown


async def test_details_and_reason_for_staff(out_of_service, screen_text) -> None:
    app = out_of_service()
    async with app.run_test(size=(80, 30)):
        shown = " ".join(screen_text(app).split())
    assert "First-aid kit: at reception" in shown
    assert "Defibrillator: by the main door" in shown
    assert f"For staff: {REASON}" in shown
    assert "told" not in shown, "nobody is told: the screen must not say so"


async def test_ukrainian_text(out_of_service, screen_text) -> None:
    app = out_of_service(default_language="uk")
    async with app.run_test(size=(80, 24)):
        shown = " ".join(screen_text(app).split())
    assert "не працює" in shown
    assert "телефонуйте 999" in shown


async def test_no_key_leaves_the_screen(out_of_service) -> None:
    app = out_of_service()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "enter", "q", "tab", "space", "slash", "1")
        await pilot.click("#oos-number")
        await pilot.pause()
        assert isinstance(app.screen, OutOfServiceScreen)


async def test_number_that_digits_cannot_draw_is_plain_bold_text(
    out_of_service, screen_text
) -> None:
    app = out_of_service(emergency_number="[b]999#1[/b]")
    async with app.run_test(size=(80, 24)):
        assert not app.screen.query(Digits)
        assert "[b]999#1[/b]" in screen_text(app)


async def test_five_taps_on_the_site_name_ask_for_the_pin(out_of_service, screen_text) -> None:
    """A touch-only kiosk with no cards is not stuck: staff still reach the PIN prompt."""
    app = out_of_service()
    async with app.run_test(size=(40, 15)) as pilot:
        assert "Riverside Pool" in screen_text(app)
        for _ in range(5):
            await pilot.click("#oos-site-name")
        await pilot.pause()
        assert isinstance(app.screen, StaffPinScreen)
