"""Card files changed or deleted while the kiosk runs: it keeps showing what it loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.app import make_app
from kiosk.deck import load_deck
from kiosk.site import Site

pytestmark = [pytest.mark.ui]


async def test_cards_changed_and_deleted_while_running(faults, deck_copy: Path) -> None:
    result = load_deck(deck_copy)
    first, second = result.deck.cards_for("en")[:2]
    app = make_app(result, Site())
    async with app.run_test(size=(80, 24)) as pilot:
        # Visitor is on the first card when staff replace it with garbage...
        await pilot.press("1")
        (deck_copy / "en" / f"{first.id}.toml").write_text("this is [not toml", encoding="utf-8")
        await pilot.press("right", "left")
        assert first.title in faults.screen_text(app)
        await pilot.press("home")
        # ...and delete the second card and then the whole deck.
        (deck_copy / "en" / f"{second.id}.toml").unlink()
        shutil.rmtree(deck_copy)
        await pilot.press("2")
        assert second.title in faults.screen_text(app)
        await pilot.press("right", "right", "home", "1")
        assert first.title in faults.screen_text(app)
        await pilot.press("home", "slash", "c", "escape")
        assert app.is_running
    assert app.return_code in (0, None)
