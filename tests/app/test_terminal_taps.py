"""The visitor's walk by taps alone, in a real terminal (tmux), on the bundled deck.

Pilot clicks go straight to Textual's event queue; this test sends what a touch
terminal sends, mouse escape sequences on the pseudo-terminal, to the real ``kiosk``
process, so the terminal's mouse mode and Textual's input parsing are covered too.
"""

from __future__ import annotations

import re
import shlex
import sys
import time

import pytest

from kiosk.deck import bundled_cards_dir, load_deck

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PYTHON = shlex.quote(sys.executable)
STEP = re.compile(r"Step (\d+) of (\d+)")


def seizure_tile() -> str:
    """The seizure tile's label (its number depends on the page; home pages are walked in
    tests/app/test_terminal_home_pages.py, and 80x24 shows it on page 1)."""
    seizure = load_deck(bundled_cards_dir()).deck.card("seizure", "en")
    assert seizure is not None
    return seizure.label


def step_shown(screen: str) -> tuple[int, int] | None:
    match = STEP.search(screen)
    return (int(match[1]), int(match[2])) if match else None


def test_seizure_card_by_taps_alone(tmux_pane, tmp_path) -> None:
    pane = tmux_pane
    pane.start({"KIOSK_LOG_DIR": str(tmp_path / "logs")})
    pane.type(f"{PYTHON} -m kiosk run --kiosk")
    tile = seizure_tile()
    pane.wait_for(lambda: tile in pane.capture(), "the home screen")
    assert pane.flag("mouse_any_flag") == "1", "the kiosk did not turn on mouse reporting"

    pane.tap(tile)
    pane.wait_for(lambda: "Step 1 of" in pane.capture(), "the seizure card")
    assert "EMERGENCY" in pane.capture()

    pane.tap("Start stopwatch")
    pane.wait_for(lambda: "Stop" in pane.capture(), "the stopwatch to start")
    running = pane.capture()

    last = step_shown(running)[1]
    for step in range(2, last + 1):
        # A button ignores a second tap during its 0.2 s press effect (so a bouncing
        # finger does not skip a step); a person's taps are further apart than that.
        time.sleep(0.3)
        pane.tap("Next ▶")
        pane.wait_for(lambda step=step: step_shown(pane.capture()) == (step, last), f"step {step}")
    # The stopwatch runs on while the visitor steps through the card.
    pane.wait_for(lambda: pane.capture() != running, "the stopwatch digits to move")

    time.sleep(0.3)
    pane.tap("Home")
    pane.wait_for(lambda: tile in pane.capture(), "the home screen again")
    screen = pane.capture()
    assert "Emergency" in screen
    assert "Traceback" not in screen
