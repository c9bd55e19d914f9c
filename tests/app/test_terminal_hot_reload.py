"""Hot reload in a real terminal (tmux): ``kiosk deck install`` while the kiosk runs on
``DECKS/current``; the new tile appears after the visitor returns home, not mid-card."""

from __future__ import annotations

import shlex
import shutil
import sys
import time

import pytest

from tests.app.conftest import FIXTURES
from tests.app.test_hot_reload import NEW_TILE, deck_with_nosebleed, install

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PYTHON = shlex.quote(sys.executable)


def test_installed_deck_appears_at_home_not_mid_card(tmux_pane, tmp_path) -> None:
    decks = tmp_path / "decks"
    install(decks, shutil.copytree(FIXTURES / "cards", tmp_path / "v1"))
    pane = tmux_pane
    pane.start({"KIOSK_LOG_DIR": str(tmp_path / "logs"), "KIOSK_SITE": ""})
    pane.type(f"{PYTHON} -m kiosk run --kiosk --cards {shlex.quote(str(decks / 'current'))}")
    pane.wait_for(lambda: "1 Seizure" in pane.capture(), "the home screen")
    assert NEW_TILE not in pane.capture()

    pane.tap("1 Seizure")
    pane.wait_for(lambda: "Step 1 of" in pane.capture(), "the seizure card")
    pane.tap("Start stopwatch")
    pane.wait_for(lambda: "Stop" in pane.capture(), "the stopwatch to start")

    install(decks, deck_with_nosebleed(tmp_path / "v2"))
    # Longer than the kiosk's 3 s poll and a load: had it switched mid-card, it shows now.
    time.sleep(8)
    screen = pane.capture()
    assert "Step 1 of" in screen, f"the card was taken away:\n{screen}"
    assert NEW_TILE not in screen

    time.sleep(0.3)
    pane.tap("Home")
    pane.wait_for(lambda: f"4 {NEW_TILE}" in pane.capture(), "the new tile at home", timeout=30)
    screen = pane.capture()
    assert "1 Seizure" in screen and "Traceback" not in screen
