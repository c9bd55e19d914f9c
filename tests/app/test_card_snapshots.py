"""SVG snapshots of a card step on the bundled deck at 36x10, 80x24 and 160x45.

The resuscitation card's CPR step, two seconds and a bit after Start (the injected
clock is fixed, so the beat's frame is too). Refresh with ``--snapshot-update`` and look
at each picture (as PNG: ``rsvg-convert``) before accepting it.
"""

from __future__ import annotations

import pytest

from kiosk.app import make_app
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.site import Site
from tests.support.clock import FakeClock

pytestmark = [pytest.mark.ui, pytest.mark.snapshot]

SITE = Site(
    name="Riverside Pool",
    emergency_number="112",
    emergency_label="Emergency",
    staff_instruction="Lifeguard: red button",
    idle_timeout_seconds=90,
)


@pytest.mark.parametrize("size", [(36, 10), (80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_cpr_step(snap_compare, size) -> None:
    """Top: the red emergency bar. Then the head row: on 80 and 160 columns a red 3-row
    "Call 112 if…" button, "EMERGENCY", the title and "Step 5 of 8"; at 36x10 the short
    label and "5/8" (the call button is in the nav row there). The beat: a white block
    "5 / 30" (lit: compression 5 has just begun), "CPR 0:02" and "Stop beat"; at 36x10
    all on one row above the step text. The whole step text "Push hard and fast in the
    centre of the chest, 5 to 6 cm deep, 100 to 120 a minute. Let it come back up.", and
    Back / Home / Next along the bottom (at 36x10: arrows, Home, "Call 112 if…")."""
    clock = FakeClock()
    app = make_app(load_deck(bundled_cards_dir()), SITE, clock=clock)

    async def start_the_beat(pilot) -> None:
        app.action_open_card("resuscitation")
        await pilot.pause()
        for _ in range(4):
            app.action_next_page()
        await pilot.pause()
        app.screen.query_one("#cpr-toggle").press()
        await pilot.pause()
        clock.advance(2.3)
        app.screen.query_one("#cpr-beat").show()
        await pilot.pause()

    assert snap_compare(app, run_before=start_the_beat, terminal_size=size)
