"""SVG snapshots of the main screens at the usual size (80x24) and the smallest (40x15).

Each docstring says what a person should see. Fixed fixture deck, site and
clock, so the pictures only change when the UI does. Refresh with
``pytest tests/app/test_snapshots.py --snapshot-update`` and look at the result.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.ui, pytest.mark.snapshot]

SIZES = [(80, 24), (40, 15)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x15"])
def test_home(snap_compare, build, size) -> None:
    """Red emergency bar ("Emergency: call 112", the lifeguard line, and where the
    defibrillator and first-aid kit are) on top, the site name at 80x24, the Search /
    English-or-Українська / Text A / Colours: Dark buttons, then three numbered tiles
    "1 Seizure" (red, with the word EMERGENCY), "2 Leg cramp", "3 Sprain". Nothing
    scrolls; one page, so no Previous / Next."""
    assert snap_compare(build(), terminal_size=size)


BUNDLED_SIZES = [(36, 10), (80, 24), (160, 45)]


@pytest.mark.parametrize("size", BUNDLED_SIZES, ids=["36x10", "80x24", "160x45"])
def test_home_bundled_deck(snap_compare, size) -> None:
    """The bundled deck's first home page: the red bar with the number and "AED: ... /
    Kit: ..." (one line each at 36 wide, one line together from 80), the four controls in
    one row (one-row buttons at 36x10), the emergency tiles first, red, each with the
    word EMERGENCY (on the tile's line at 36x10), and "◀ Previous  1 of N  Next ▶" at
    the bottom."""
    from kiosk.app import make_app
    from kiosk.deck import bundled_cards_dir, load_deck
    from kiosk.site import Site
    from tests.support.clock import FakeClock

    site = Site(name="Riverside Pool", first_aid_kit="Reception", defibrillator="Main entrance")
    app = make_app(load_deck(bundled_cards_dir()), site, clock=FakeClock())
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x15"])
def test_card_step(snap_compare, build, size) -> None:
    """The leg-cramp card at step 2: green "SELF-CARE" marker, the title and "Step 2 of 2"
    in one row, the step text in bold, the countdown line "Timer: 0:30" with a wide Start
    button, and Back / Home / Next buttons, 3 rows tall, along the bottom (at 40x15: one
    row each, the timer row above the step text, "2/2" for the step count)."""

    async def open_step_two(pilot) -> None:
        await pilot.press("2", "right")

    assert snap_compare(build(), run_before=open_step_two, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x15"])
def test_seizure_alert(snap_compare, build, clock, size) -> None:
    """Five minutes after starting the seizure stopwatch: the emergency bar, the
    "EMERGENCY Seizure (fit)" header with "Stopwatch 5:00" (at 80 wide), and below it a
    full-width red panel "CALL EMERGENCY NOW", "Emergency: call 112", "It has lasted
    5 minutes." and a big white "I have called" button. No Back/Next: the alert stays."""

    async def run_to_alert(pilot) -> None:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        await pilot.press("right")
        clock.advance(300)
        pilot.app.card_screen.refresh_timers()
        await pilot.pause()

    assert snap_compare(build(), run_before=run_to_alert, terminal_size=size)


def test_card_large_text(snap_compare, build) -> None:
    """The seizure card's first step in the extra-large text size at 80x24: a red 3-row
    "Call 112 if…" button before "EMERGENCY" and the title, the step text centred, no
    "Next:" preview, the stopwatch digits and a 3-row Start button."""

    async def open_card(pilot) -> None:
        await pilot.press("1")

    assert snap_compare(
        build(text_size="extra-large"), run_before=open_card, terminal_size=(80, 24)
    )
