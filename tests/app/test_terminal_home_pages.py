"""Every home page by taps alone in a real terminal (tmux, SGR mouse bytes), at the
smallest target screen (36x10) and the usual one (80x24).

The real ``kiosk run --kiosk`` process on the bundled deck: tap "Next ▶" through every
page, check that each card's tile shows on some page with its whole label and that
"N of M" counts the pages, come back round to page 1, then page to the seizure tile and
open it by a tap.
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
PAGE_OF = re.compile(r"(\d+) of (\d+)")


def page_of(screen: str) -> tuple[int, int] | None:
    found = PAGE_OF.search(screen)
    return (int(found[1]), int(found[2])) if found else None


def next_page(pane, expected: int) -> None:
    time.sleep(0.3)  # a button ignores a second tap during its 0.2 s press effect
    pane.tap("Next ▶")
    pane.wait_for(lambda: (page_of(pane.capture()) or (0,))[0] == expected, f"page {expected}")


@pytest.mark.parametrize("size", [(36, 10), (80, 24)], ids=["36x10", "80x24"])
def test_every_home_page_by_taps(tmux_pane, tmp_path, size) -> None:
    width, height = size
    deck = load_deck(bundled_cards_dir()).deck
    labels = {card_id: deck.card(card_id, "en").label for card_id in deck.card_ids()}
    pane = tmux_pane
    pane.start({"KIOSK_LOG_DIR": str(tmp_path / "logs")})
    pane.tmux("set-option", "-t", "t", "window-size", "manual")
    pane.tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))
    pane.type(f"{PYTHON} -m kiosk run --kiosk")
    pane.wait_for(lambda: (page_of(pane.capture()) or (0,))[0] == 1, "home page 1", timeout=40)
    screen = pane.capture()
    assert len(screen.splitlines()) <= height and all(
        len(line) <= width for line in screen.splitlines()
    )
    pages = page_of(screen)[1]
    assert pages > 1
    seen: set[str] = set()
    for page in range(1, pages + 1):
        screen = pane.capture()
        assert "Emergency: call 112" in screen
        seen |= {card_id for card_id, label in labels.items() if label in screen}
        next_page(pane, page % pages + 1)
    assert seen == set(labels), f"never shown: {set(labels) - seen}"
    # Back on page 1; page to the seizure tile and open it.
    for _ in range(pages):
        if labels["seizure"] in pane.capture():
            break
        next_page(pane, page_of(pane.capture())[0] % pages + 1)
    pane.tap(labels["seizure"])
    card = deck.card("seizure", "en")
    first_words = " ".join(card.steps[0].text.split()[:3])  # the title is cut short at 36x10
    pane.wait_for(lambda: first_words in pane.capture(), "the seizure card")
    assert "Previous" not in pane.capture()
    assert "Traceback" not in pane.capture()
