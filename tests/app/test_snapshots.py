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
    """Red emergency bar ("Emergency: call 112" and the lifeguard line) on top, the site
    name, then three big numbered tiles "1 Seizure", "2 Leg cramp", "3 Sprain" (one column
    at 40 wide, a row of three at 80), the Search / EN / Text A / Colours buttons, and where
    the first-aid kit and defibrillator are (scrolled below the fold at 40x15)."""
    assert snap_compare(build(), terminal_size=size)


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
