"""SVG snapshots of the search, staff and out-of-service screens, in the real app.

Each test says what a person looking at the picture should see. The fixture deck and
site are fixed, so a changed picture means a changed screen. After an intended change:
``pytest tests/app_extra/test_snapshots.py --snapshot-update``, then look at the new
SVGs (render them to PNG) before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.problem import Problem
from tests.app_extra.conftest import open_search

pytestmark = [pytest.mark.ui, pytest.mark.snapshot]

SMALL = (40, 15)
STANDARD = (80, 24)


def search_for(text: str, language: str = "en"):
    async def run_before(pilot) -> None:
        await open_search(pilot, language)
        await pilot.press(*text)

    return run_before


def test_search_results_80x24(snap_compare, kiosk) -> None:
    """Red emergency bar (999, lifeguard instruction) on top; Back button and the query "le";
    the matching cards as big three-row buttons, in deck order; the A-Z keyboard with
    three-row keys in two rows and Delete / Space / Clear below."""
    assert snap_compare(kiosk(), run_before=search_for("le"), terminal_size=STANDARD)


def test_search_results_40x15(snap_compare, kiosk) -> None:
    """At 40x15: emergency bar, Back and the query "le", at least one whole result button
    three rows tall, and a compact keyboard (one-row keys, three cells wide or more,
    with gaps) that fits entirely on screen, Delete / Space / Clear readable."""
    assert snap_compare(kiosk(), run_before=search_for("le"), terminal_size=SMALL)


def test_search_ukrainian_80x24(snap_compare, kiosk) -> None:
    """Ukrainian: "Назад", the query "опік" finds only "Опік"; the keyboard shows the
    Ukrainian alphabet in capitals, including Ґ, Є, І, Ї and the apostrophe."""
    app = kiosk()
    assert snap_compare(app, run_before=search_for("опік", "uk"), terminal_size=STANDARD)


def test_search_high_contrast_40x15(snap_compare, kiosk) -> None:
    """High-contrast theme at 40x15: pure red bar, results and Back outlined in yellow,
    the compact keys alternate white-on-black and black-on-white, Delete / Space /
    Clear are yellow with black text."""
    app = kiosk(theme="high-contrast")
    assert snap_compare(app, run_before=search_for("le"), terminal_size=SMALL)


@pytest.mark.expected_errors  # 'out of service' is logged as an error for the operator
@pytest.mark.parametrize("size", [STANDARD, SMALL], ids=["80x24", "40x15"])
def test_out_of_service(snap_compare, out_of_service, size) -> None:
    """Emergency bar on top; the site name, dim (staff tap it for access); "Sorry, this
    first-aid guide is out of service.";
    "In an emergency, call Emergency:" and 999 in big three-row digits; "Please tell a
    member of staff."; where the kit and defibrillator are; the reason small and dim
    (at 40x15 the lower lines scroll, the number stays on the first screen)."""
    assert snap_compare(out_of_service(), terminal_size=size)


@pytest.mark.parametrize("size", [STANDARD, SMALL], ids=["80x24", "40x15"])
def test_staff_pin(snap_compare, kiosk, size) -> None:
    """A dialog over the dimmed screen: "Staff only: enter the PIN", two dots (never the
    digits), a 3x4 number pad with ← (delete) and C, red Cancel and green OK. At 80x24 the keys
    are three rows tall; at 40x15 one row tall, all on screen."""
    assert snap_compare(kiosk(), press=["f12", "f12", "f12", "1", "2"], terminal_size=size)


def test_staff_screen_80x24(snap_compare, kiosk) -> None:
    """Emergency bar; "Staff screen", the version, "Deck: bundled deck", "Log file:
    none (memory only ...)", "Deck problems: 2 (errors: 1, warnings: 1)" in bold and
    both problem lines with the markup in brackets shown literally; then the site
    settings (the PIN only as "set: yes"; the rest below the fold); "Back to kiosk" and
    "Exit kiosk" buttons along the bottom."""
    problems = (
        Problem(Path("cards/en/burn.toml"), "E101", "missing [bold]title[/]", "burn", 3),
        Problem(Path("cards/en/cramp.toml"), "W201", "review is past due", "cramp"),
    )
    from kiosk import logs

    logs.shutdown_logging()  # no log lines from earlier tests on the picture
    app = kiosk(deck_problems=problems)  # card problems: no site-file banner
    keys = ["f12", "f12", "f12", *"2468", "enter"]
    assert snap_compare(app, press=keys, terminal_size=STANDARD)
