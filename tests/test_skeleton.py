"""Smoke tests: the app starts on the bundled deck with the site name and number."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.app import make_app
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.site import Site

pytestmark = [pytest.mark.ui, pytest.mark.e2e]


async def test_app_shows_site_name_and_emergency_number() -> None:
    site = Site(name="Riverside Pool", emergency_number="999")
    app = make_app(load_deck(bundled_cards_dir()), site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        texts = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Riverside Pool" in texts
        assert "999" in texts


def test_cli_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("kiosk ")
