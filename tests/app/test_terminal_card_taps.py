"""The resuscitation and seizure cards by taps alone in a real terminal (tmux), at 36x10
and 80x24: SGR mouse bytes on the pseudo-terminal of the real ``kiosk`` process.

The walk: the resuscitation tile, Next to the CPR step, Start and Stop on the beat, the
"Call 112 if…" button and Back to the step, Next to the related cards, the seizure card
from there, its stopwatch, Next to the "not breathing" step, its button to the
resuscitation card, and Back to the seizure step.
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
DECK = load_deck(bundled_cards_dir()).deck
STEP = re.compile(r"(?:Step )?(\d+)(?: of |/)(\d+)")
#: A button ignores a second tap during its 0.2 s press effect; people tap slower.
TAP_GAP = 0.3


def tap_last(pane, text: str) -> None:
    """Tap the lowest place on screen showing ``text`` (the nav row is at the bottom)."""
    lines = pane.capture().splitlines()
    for row in range(len(lines), 0, -1):
        column = lines[row - 1].find(text)
        if column >= 0:
            x = column + 1 + len(text) // 2
            pane.tmux("send-keys", "-t", "t", "-l", f"\x1b[<0;{x};{row}M")
            pane.tmux("send-keys", "-t", "t", "-l", f"\x1b[<0;{x};{row}m")
            time.sleep(TAP_GAP)
            return
    raise AssertionError(f"nothing on screen shows {text!r}; screen:\n{pane.capture()}")


def step_shown(screen: str) -> tuple[int, int] | None:
    for line in screen.splitlines()[:6]:
        if "+" in line:
            continue
        match = STEP.search(line)
        if match:
            return int(match[1]), int(match[2])
    return None


def first_step_with(card_id: str, field: str) -> int:
    card = DECK.card(card_id, "en")
    assert card is not None
    return next(i for i, step in enumerate(card.steps) if getattr(step, field)) + 1


@pytest.mark.parametrize("size", [(36, 10), (80, 24)], ids=["36x10", "80x24"])
def test_resuscitation_and_seizure_by_taps(tmux_pane, tmp_path, size) -> None:
    pane = tmux_pane
    narrow = size[0] < 60
    back, next_ = ("◀", "▶") if narrow else ("◀ Back", "Next ▶")
    pane.start({"KIOSK_LOG_DIR": str(tmp_path / "logs")})
    pane.tmux("resize-window", "-t", "t", "-x", str(size[0]), "-y", str(size[1]))
    pane.type(f"{PYTHON} -m kiosk run --kiosk")
    resuscitation = DECK.card("resuscitation", "en")
    assert resuscitation is not None
    tile = f"{DECK.card_ids().index('resuscitation') + 1} {resuscitation.label}"
    pane.wait_for(lambda: tile in pane.capture(), "the home screen")

    pane.tap(tile)
    pane.wait_for(lambda: step_shown(pane.capture()) is not None, "the resuscitation card")
    cpr_step = first_step_with("resuscitation", "cpr_beat")
    for step in range(2, cpr_step + 1):
        tap_last(pane, next_)
        pane.wait_for(lambda step=step: step_shown(pane.capture())[0] == step, f"step {step}")
    tap_last(pane, "Start beat")
    pane.wait_for(lambda: "Stop beat" in pane.capture(), "the beat to start")
    pane.wait_for(lambda: re.search(r"\b\d+ / 30\b", pane.capture()), "the count")
    tap_last(pane, "Stop beat")
    pane.wait_for(lambda: "Start beat" in pane.capture(), "the beat to stop")

    tap_last(pane, "Call 112 if")
    pane.wait_for(lambda: "Call emergency if" in pane.capture(), "the call page")
    tap_last(pane, back)
    pane.wait_for(lambda: step_shown(pane.capture())[0] == cpr_step, "back on the CPR step")

    seizure = DECK.card("seizure", "en")
    assert seizure is not None
    for _ in range(60):
        if seizure.label in pane.capture():
            break
        tap_last(pane, next_)
    tap_last(pane, seizure.label)
    pane.wait_for(lambda: "Start stopwatch" in pane.capture(), "the seizure card")
    tap_last(pane, "Start stopwatch")
    pane.wait_for(lambda: "Stop" in pane.capture(), "the stopwatch to start")
    opens_step = first_step_with("seizure", "opens")
    for step in range(2, opens_step + 1):
        tap_last(pane, next_)
        pane.wait_for(lambda step=step: step_shown(pane.capture())[0] == step, f"step {step}")
    tap_last(pane, "Not breathing: CPR ▶")
    pane.wait_for(lambda: step_shown(pane.capture()) == (1, 8), "the resuscitation card")
    tap_last(pane, back)
    pane.wait_for(lambda: step_shown(pane.capture())[0] == opens_step, "back on the seizure step")
    assert seizure.label in pane.capture() or seizure.title in pane.capture()

    tap_last(pane, "Home")
    pane.wait_for(lambda: tile in pane.capture(), "the home screen again")
    assert "Traceback" not in pane.capture()
