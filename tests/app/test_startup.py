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


def test_the_first_home_screen_imports_no_card_screen_printing_or_usage_counts() -> None:
    """The card screen (timers, CPR beat, card actions), the printing and handover record
    and the fleet's usage counts and metrics are built right after the first paint
    (``KioskApp._finish_start``), so their modules are not imported before it."""
    import subprocess
    import sys

    later = (
        "kiosk.screens.card",
        "kiosk.handout.visit",
        "kiosk.fleet.usage",
        "kiosk.fleet.metrics",
        "textual.drivers.web_driver",
    )
    code = (
        "import sys, kiosk.app, kiosk.run, kiosk.deck, kiosk.site;"
        f"print(sorted(m for m in {later!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_same_tree_baseline_loads_every_sheet_the_kiosk_loads() -> None:
    """``benchmarks/same_tree_app.py`` is the start-up goal's baseline: "the same widgets
    and sheets". A sheet added to the kiosk and not to it makes the kiosk look slower."""
    import importlib.util
    from pathlib import Path

    from kiosk.styles import SHEETS

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "same_tree_app.py"
    spec = importlib.util.spec_from_file_location("same_tree_app", path)
    assert spec is not None and spec.loader is not None
    same_tree = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(same_tree)
    assert [Path(p).name for p in same_tree.SHEETS] == [Path(p).name for p in SHEETS]


# -- the deck in two steps: the first screen's language first, the rest after it ---------

SIZE = (80, 24)


def staged_app(clock, cards_dir, monkeypatch=None, *, rest_after_paint: bool = True):
    """The app as ``kiosk run`` builds it: :func:`kiosk.run.load_for_start`.

    ``rest_after_paint=False``: the load that follows the first paint never runs (as if
    the visitor's tap arrived first), so only the app's own guards can finish the deck.
    """
    from kiosk.app import KioskApp, make_app
    from kiosk.run import load_for_start

    from .conftest import SITE

    load_result, finish_deck = load_for_start(cards_dir, SITE)
    assert finish_deck is not None  # two languages: something is left for later
    if not rest_after_paint:
        monkeypatch.setattr(KioskApp, "_finish_start", lambda self: None)
    return make_app(load_result, SITE, clock=clock, finish_deck=finish_deck)


async def wait_for_whole_deck(app, pilot, timeout: float = 20.0) -> None:
    """Poll (a loaded machine may be slow) until the rest of the deck is in."""
    import time

    deadline = time.monotonic() + timeout
    while not app.whole_deck_loaded:
        assert time.monotonic() < deadline, "the rest of the deck never loaded"
        await pilot.pause(0.02)
    await pilot.pause()


def tiles(app) -> list[str]:
    from textual.widgets import Button

    return [str(b.label).splitlines()[0] for b in app.screen.query(".tile").results(Button)]


async def test_the_rest_of_the_deck_loads_right_after_the_first_paint(clock) -> None:
    from kiosk.deck import load_deck

    from .conftest import FIXTURES

    app = staged_app(clock, FIXTURES / "cards")
    assert set(app.deck.cards) == {"en"}  # before the first paint: English only
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_whole_deck(app, pilot)
        assert app.load_result == load_deck(FIXTURES / "cards")
        assert set(app.session.deck.cards) == {"en", "uk"}
        assert tiles(app) == ["1 Seizure", "2 Leg cramp", "3 Sprain"]


async def test_a_language_tap_before_the_rest_is_loaded_still_shows_ukrainian(
    clock, monkeypatch, read
) -> None:
    from .conftest import FIXTURES

    app = staged_app(clock, FIXTURES / "cards", monkeypatch, rest_after_paint=False)
    async with app.run_test(size=SIZE) as pilot:
        assert set(app.deck.cards) == {"en"}  # the tap comes first
        await pilot.click("#language")
        await pilot.pause()
        assert tiles(app) == ["1 Судоми", "2 Судома ноги", "3 Sprain"]  # sprain: English
        await pilot.press("1")
        await pilot.pause()
        assert "Крок 1 з 3" in read(app)


async def test_staff_see_the_other_languages_problems_even_before_the_rest_is_loaded(
    clock, monkeypatch, tmp_path
) -> None:
    import shutil

    from kiosk.screens.staff import StaffScreen

    from .conftest import FIXTURES

    cards = tmp_path / "cards"
    shutil.copytree(FIXTURES / "cards", cards)
    (cards / "uk" / "sprain.toml").write_text("id = [broken", encoding="utf-8")
    app = staged_app(clock, cards, monkeypatch, rest_after_paint=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12", "f12")
        await pilot.press(*"2468", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StaffScreen)
        assert any(p.path.name == "sprain.toml" and p.code == "E001" for p in app.screen.problems)


async def test_home_counts_a_broken_card_of_the_other_language_once_it_is_loaded(
    clock, tmp_path, read
) -> None:
    import shutil

    from .conftest import FIXTURES

    cards = tmp_path / "cards"
    shutil.copytree(FIXTURES / "cards", cards)
    (cards / "uk" / "sprain.toml").write_text("id = [broken", encoding="utf-8")
    app = staged_app(clock, cards)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_whole_deck(app, pilot)
        assert app.screen.query_one("#staff-notice").display
        assert "1 card unavailable" in read(app)


@pytest.mark.expected_errors
async def test_a_rest_that_fails_to_load_keeps_the_first_part_on_screen(clock, read) -> None:
    """A bug in a check while the other languages load must not empty a working screen."""
    from pathlib import Path

    from kiosk.app import make_app
    from kiosk.deck import Deck, LoadResult, Problem, StagedDeckLoad
    from kiosk.screens.card import CardScreen

    from .conftest import FIXTURES, SITE

    staged = StagedDeckLoad(FIXTURES / "cards", ["en"])
    broken = LoadResult(Deck(("en",), "en", ()), (Problem(Path("cards"), "E099", "internal"),))
    app = make_app(staged.first, SITE, clock=clock, finish_deck=lambda: broken)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_whole_deck(app, pilot)
        assert tiles(app) == ["1 Seizure", "2 Leg cramp", "3 Sprain"]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen) and "Step 1 of" in read(app)
        assert "E099" in {p.code for p in app.load_result.problems}  # staff see why


async def test_a_tile_tapped_before_the_card_screen_is_built_still_opens_the_card(
    clock, monkeypatch, read
) -> None:
    """The card screen is built after the first paint; a visitor quicker than that gets
    it built by the tap itself."""
    from .conftest import FIXTURES

    app = staged_app(clock, FIXTURES / "cards", monkeypatch, rest_after_paint=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.card_screen is None
        await pilot.press("1")
        await pilot.pause()
        assert app.card_screen is not None and app.screen is app.card_screen
        assert "Step 1 of 3" in read(app)


async def test_after_the_first_paint_the_card_screen_and_fleet_are_ready(clock) -> None:
    from .conftest import FIXTURES

    app = staged_app(clock, FIXTURES / "cards")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_whole_deck(app, pilot)
        assert app.card_screen is not None
        assert app.fleet.usage is not None  # the usage counts are open
