"""The idle warning in a real terminal (tmux): the tap that dismisses it presses nothing.

A touch terminal sends a tap as an SGR mouse press and release; the press that ends the
warning must not also reach the button that lies under it once the warning is gone.
"""

from __future__ import annotations

import shlex
import sys

import pytest

from tests.app.test_terminal_taps import seizure_tile

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PYTHON = shlex.quote(sys.executable)
SITE = 'idle_timeout_seconds = 15\nemergency_number = "112"\n'  # the warning at 7.5 s


def test_the_tap_on_the_warning_keeps_the_card_page(tmux_pane, tmp_path) -> None:
    pane = tmux_pane
    site = tmp_path / "site.toml"
    site.write_text(SITE, encoding="utf-8")
    pane.start({"KIOSK_LOG_DIR": str(tmp_path / "logs")})
    pane.type(f"{PYTHON} -m kiosk run --kiosk --site {shlex.quote(str(site))}")
    tile = seizure_tile()
    pane.wait_for(lambda: tile in pane.capture(), "the home screen")
    pane.tap(tile)
    pane.wait_for(lambda: "Step 1 of" in pane.capture(), "the seizure card")
    rows = pane.capture().splitlines()
    row = next(i for i, line in enumerate(rows, start=1) if "Next ▶" in line)
    x, y = rows[row - 1].find("Next ▶") + 3, row

    pane.wait_for(lambda: "Still reading?" in pane.capture(), "the idle warning", timeout=30)
    screen = pane.capture()
    assert "Tap to stay" in screen and "Back to the start in" in screen
    assert "Emergency: call 112" in screen

    pane.tmux("send-keys", "-t", "t", "-l", f"\x1b[<0;{x};{y}M")  # where Next lies under it
    pane.tmux("send-keys", "-t", "t", "-l", f"\x1b[<0;{x};{y}m")
    pane.wait_for(lambda: "Still reading?" not in pane.capture(), "the warning to go")
    screen = pane.capture()
    assert "Step 1 of" in screen, f"the tap went through to Next:\n{screen}"
    assert "Traceback" not in screen
