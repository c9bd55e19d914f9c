"""Screens shown and closed again are freed (soak RSS, issue 10).

The search screen, the PIN prompt and the emergency bar on them watch the app's
``text_size`` or ``language``; Textual kept each closed screen's watcher, and with it
the whole screen, until that setting next changed: about 1.8 MiB per search visit on a
kiosk where nobody touches the text size.
"""

from __future__ import annotations

import gc

import pytest

from kiosk.screens.search import SearchScreen
from kiosk.screens.staff import StaffPinScreen
from kiosk.widgets.emergency_bar import EmergencyBar

pytestmark = pytest.mark.ui


def alive(kind: type) -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, kind))


async def test_search_and_pin_prompt_visits_do_not_pile_up(kiosk) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        bars_at_home = alive(EmergencyBar)
        for _ in range(8):
            await pilot.press("slash", "s", "escape")
            await pilot.press("f12", "f12", "f12", "escape")
            await pilot.pause()
        assert alive(SearchScreen) <= 1
        assert alive(StaffPinScreen) <= 1
        assert alive(EmergencyBar) <= bars_at_home + 2
