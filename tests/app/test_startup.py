"""Start-up shortcuts (issue 19): each keeps what a visitor sees the same.

The first screen is styled in the site's theme without the full stylesheet re-parse that
Textual queues when the theme is chosen in ``__init__`` (:meth:`KioskApp.refresh_css`).
"""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.css.stylesheet import Stylesheet

pytestmark = [pytest.mark.ui]


def count_reparses(monkeypatch) -> list[int]:
    calls = [0]
    original = Stylesheet.reparse

    def counting(self: Stylesheet) -> None:
        calls[0] += 1
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counting)
    return calls


async def test_first_screen_has_the_site_theme_without_a_full_reparse(build, monkeypatch) -> None:
    reparses = count_reparses(monkeypatch)
    app = build(theme="light")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "kiosk-light"
        assert app.screen.styles.background == Color.parse("#fafafa")  # kiosk-light
        assert reparses[0] == 0  # before the fix: one throw-away parse of every sheet


async def test_a_theme_change_after_start_still_restyles_the_screen(build, monkeypatch) -> None:
    reparses = count_reparses(monkeypatch)
    app = build(theme="light")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#theme")  # light -> high contrast
        await pilot.pause()
        assert app.theme == "kiosk-high-contrast"
        assert app.screen.styles.background == Color.parse("#000000")
        assert reparses[0] >= 1


def test_the_app_imports_nothing_only_a_browser_or_an_install_needs() -> None:
    """textual-serve (with importlib.metadata) and the deck installer (hashing, archives)
    cost about 35 ms of every start; the app needs them only under ``kiosk serve``, for an
    installed deck's version, or for an install. A fresh interpreter, as at a real start."""
    import subprocess
    import sys

    heavy = ("textual_serve", "kiosk.deck.install", "kiosk.deck.bundle", "importlib.metadata")
    code = (
        "import sys, kiosk.app, kiosk.run, kiosk.deck, kiosk.site;"
        "from kiosk.deck.live import deck_version;"
        "from kiosk.deck import bundled_cards_dir;"
        "deck_version(bundled_cards_dir());"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
