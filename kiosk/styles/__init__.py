"""The kiosk's stylesheets and the screen-size classes they use.

Every sheet is loaded once, by the App (``KioskApp.CSS_PATH = SHEETS``), and every rule
starts with the screen or widget it styles (``CardScreen #next``, ``TapKey``), so a
rule never leaks onto another screen. Layout for small screens comes from Textual's
breakpoint classes only, never from Python:

- height: ``-short`` under :data:`SHORT_ROWS` rows, ``-tall`` from there;
- width: one class per step of :data:`WIDTH_STEPS`, the largest step not wider than the
  screen (``-w0`` under 48 columns, ``-w48`` from 48 to 59, ... ``-w160`` from 160).
  "Narrower than 60" is ``Screen.-w0, Screen.-w48``.
"""

from __future__ import annotations

from pathlib import Path, PurePath

STYLES_DIR = Path(__file__).parent

#: In cascade order: app-wide rules first, then one sheet per screen, then the widgets.
SHEETS: list[str | PurePath] = [
    STYLES_DIR / name
    for name in (
        "app.tcss",
        "home.tcss",
        "card.tcss",
        "search.tcss",
        "staff.tcss",
        "out_of_service.tcss",
        "idle_warning.tcss",
        "widgets.tcss",
        "read_aloud.tcss",
        "handout.tcss",  # print-ui: Print, the take-home QR, the handover screen
    )
]

SHORT_ROWS = 20
"""Screens below this many rows are ``-short``: tighter spacing, one-row keys."""

CARD_ACTIONS_MIN_ROWS = 24
"""Card screens with fewer rows leave out the optional actions row (``-no-actions``)."""

WIDTH_STEPS = (0, 48, 60, 80, 100, 120, 160)
"""Width classes ``-w<step>``; the tile grid and the controls change columns at these."""

VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_ROWS, "-tall")]
HORIZONTAL_BREAKPOINTS = [(step, f"-w{step}") for step in WIDTH_STEPS]
