"""SVG snapshots of the search, staff and out-of-service screens (pytest-textual-snapshot).

Each test says what a person looking at the picture should see. The screens
run in a host with the kiosk's dark theme and app-wide sheet, as in the real
app. The fixture deck and site are fixed, so a changed picture means a changed
screen (or a changed app-wide sheet). After an
intended change: ``pytest tests/app_extra/test_snapshots.py --snapshot-update``,
then look at the new SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.deck.model import Problem
from kiosk.screens.out_of_service import OutOfServiceScreen
from kiosk.screens.search import SearchScreen
from kiosk.screens.staff import StaffPinScreen, StaffScreen
from kiosk.strings import Strings

SMALL = (40, 15)
STANDARD = (80, 24)


@pytest.fixture
def search_app(styled_host, fixture_deck, site):
    def make(language: str = "en", theme: str = "kiosk-dark"):
        return styled_host(
            lambda: SearchScreen(fixture_deck, language, site, Strings(language)), theme=theme
        )

    return make


def test_search_results_80x24(snap_compare, search_app) -> None:
    """Red emergency bar (999, lifeguard instruction) on top; Back button and the query "le";
    the matching cards as big three-row buttons, in deck order; the A-Z keyboard with
    three-row keys in two rows and Delete / Space / Clear below."""
    assert snap_compare(search_app(), press=["l", "e"], terminal_size=STANDARD)


def test_search_results_40x15(snap_compare, search_app) -> None:
    """At 40x15: emergency bar, Back and the query "le", at least one whole result button
    three rows tall, and a compact keyboard (one-row keys, three cells wide or more,
    with gaps) that fits entirely on screen, Delete / Space / Clear readable."""
    assert snap_compare(search_app(), press=["l", "e"], terminal_size=SMALL)


def test_search_ukrainian_80x24(snap_compare, search_app) -> None:
    """Ukrainian: "Назад", the query "опік" finds only "Опік"; the keyboard shows the
    Ukrainian alphabet in capitals, including Ґ, Є, І, Ї and the apostrophe."""
    assert snap_compare(search_app("uk"), press=list("опік"), terminal_size=STANDARD)


def test_search_high_contrast_40x15(snap_compare, search_app) -> None:
    """High-contrast theme at 40x15: pure red bar, results and Back outlined in yellow,
    the compact keys alternate white-on-black and black-on-white, Delete / Space /
    Clear are yellow with black text."""
    app = search_app(theme="kiosk-high-contrast")
    assert snap_compare(app, press=["l", "e"], terminal_size=SMALL)


@pytest.mark.parametrize("size", [STANDARD, SMALL], ids=["80x24", "40x15"])
def test_out_of_service(snap_compare, styled_host, site, size) -> None:
    """Emergency bar on top; the site name, dim (staff tap it for access); "Sorry, this
    first-aid guide is out of service.";
    "In an emergency, call Emergency:" and 999 in big three-row digits; "Please tell a
    member of staff."; where the kit and defibrillator are; the reason small and dim
    (at 40x15 the lower lines scroll, the number stays on the first screen)."""
    app = styled_host(
        lambda: OutOfServiceScreen(site, Strings("en"), "no cards in /srv/kiosk/cards")
    )
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", [STANDARD, SMALL], ids=["80x24", "40x15"])
def test_staff_pin(snap_compare, styled_host, size) -> None:
    """A dialog over the dimmed screen: "Staff only: enter the PIN", two dots (never the
    digits), a 3x4 number pad with ← (delete) and C, red Cancel and green OK. At 80x24 the keys
    are three rows tall; at 40x15 one row tall, all on screen."""
    app = styled_host(lambda: StaffPinScreen("2468", Strings("en")))
    assert snap_compare(app, press=["1", "2"], terminal_size=size)


def test_staff_screen_80x24(snap_compare, styled_host, site) -> None:
    """Emergency bar; "Staff screen", version 1.2.3, "Log file: none (stderr only)",
    "Deck problems: 2 (errors: 1, warnings: 1)" in bold and both problem lines with the
    markup in brackets shown literally; then the site settings (the PIN only as "set:
    yes"; the rest below the fold); "Back to kiosk" and "Exit kiosk" buttons along the
    bottom."""
    problems = (
        Problem(Path("cards/en/burn.toml"), "E101", "missing [bold]title[/]", "burn", 3),
        Problem(Path("cards/en/cramp.toml"), "W201", "review is past due", "cramp"),
    )
    app = styled_host(lambda: StaffScreen(problems, "1.2.3", None, site, Strings("en")))
    assert snap_compare(app, terminal_size=STANDARD)
