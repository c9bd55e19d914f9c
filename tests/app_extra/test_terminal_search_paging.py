"""Quick taps on the search results' Next and the home Next in a real terminal (tmux, SGR
mouse bytes), at the smallest target screen (36x10), on the bundled deck.

One tap turns one page (no tap is handled twice), and two taps written to the terminal
at once, as a quick double tap arrives, turn two pages (issue 12: Textual's button
ignored a tap during its 0.2 s press effect, so the second was lost).
"""

from __future__ import annotations

import re
import shlex
import sys

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PYTHON = shlex.quote(sys.executable)
SEARCH_PAGE = re.compile(r"(\d+)/(\d+)")
HOME_PAGE = re.compile(r"(\d+) of (\d+)")


def page_of(pattern: re.Pattern[str], screen: str) -> tuple[int, int]:
    found = pattern.search(screen)
    return (int(found[1]), int(found[2])) if found else (0, 0)


def taps(pane, text: str, times: int) -> None:
    """``times`` taps on the last place showing ``text``, written to the terminal at once."""
    for row, line in reversed(list(enumerate(pane.capture().splitlines(), start=1))):
        column = line.rfind(text)
        if column >= 0:
            x, y = column + 1 + len(text) // 2, row
            tap = f"\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m"
            pane.tmux("send-keys", "-t", "t", "-l", tap * times)
            return
    raise AssertionError(f"nothing on screen shows {text!r}; screen:\n{pane.capture()}")


def test_quick_taps_on_next_each_turn_a_page(tmux_pane, tmp_path) -> None:
    pane = tmux_pane
    pane.start({"KIOSK_LOG_DIR": str(tmp_path / "logs")})
    pane.tmux("set-option", "-t", "t", "window-size", "manual")
    pane.tmux("resize-window", "-t", "t", "-x", "36", "-y", "10")
    pane.type(f"{PYTHON} -m kiosk run --kiosk")
    home = lambda: page_of(HOME_PAGE, pane.capture())  # noqa: E731
    pane.wait_for(lambda: home()[0] == 1, "home page 1", timeout=40)
    pages = home()[1]
    assert pages >= 4
    taps(pane, "▶", 2)
    pane.wait_for(lambda: home()[0] == 3, "home page 3 after two quick taps on Next")

    pane.tmux("send-keys", "-t", "t", "/")
    search = lambda: page_of(SEARCH_PAGE, pane.capture())  # noqa: E731
    pane.wait_for(lambda: search()[0] == 1, "search results page 1", timeout=20)
    pages = search()[1]
    assert pages >= 4, pane.capture()
    taps(pane, "▶", 1)
    pane.wait_for(lambda: search()[0] == 2, "results page 2 after one tap")
    taps(pane, "▶", 2)
    pane.wait_for(lambda: search()[0] == 4, "results page 4 after two quick taps")
    assert "call" in pane.capture().lower()  # the emergency bar is still there
