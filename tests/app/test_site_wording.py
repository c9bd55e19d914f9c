"""Site file wording in the UI: several emergency numbers, text per language, the
staff screen's banner when the site file had errors (issue 15)."""

from __future__ import annotations

import pytest

from kiosk.site import EmergencyNumber
from tests.support.screen import flat_text

pytestmark = [pytest.mark.ui]

NUMBERS = (
    EmergencyNumber("103", "Ambulance", (("uk", "Швидка допомога"),)),
    EmergencyNumber("112"),
)


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_emergency_bar_shows_every_number_in_the_visitors_language(build, size) -> None:
    app = build(emergency_numbers=NUMBERS)
    async with app.run_test(size=size) as pilot:
        assert "Ambulance: 103 · Emergency: 112" in flat_text(app)
        await app.run_action("app.cycle_language")  # the button may be below the fold
        await pilot.pause()
        text = flat_text(app)
        assert "Швидка допомога: 103 · Екстрена допомога: 112" in text
        assert "Ambulance" not in text
        await app.run_action("app.cycle_language")  # the button may be below the fold
        await pilot.pause()
        assert "Ambulance: 103 · Emergency: 112" in flat_text(app)
