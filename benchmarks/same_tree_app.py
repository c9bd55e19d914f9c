"""A plain Textual app with the kiosk home screen's widget tree and sheets, no kiosk code.

Shows what Textual itself costs for a first screen like the kiosk's (docs/performance.md,
"Start-up after the perf-startup branch"): ``python benchmarks/paint_probe.py same-tree``.
The widgets, ids and classes mirror ``kiosk.screens.home.HomeScreen`` on the bundled deck
as it paints at 80x24 (2026-12-01: 17 cards, 12 of them emergencies, 9 tiles on the first
page and the other 8 hidden, the pager, the emergency bar's three lines); the sheets and
breakpoints are the kiosk's (``kiosk.styles``). ``paint_probe.py same-tree-9`` is the
earlier mirror of the home screen at 9 cards, kept to compare with the figures before.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

STYLES_DIR = Path(__file__).resolve().parent.parent / "kiosk" / "styles"
#: The kiosk's sheets, in its order (kiosk.styles.SHEETS), read as files: no kiosk import.
#: ``tests/app/test_startup.py`` fails if the two lists part (until 2026-12-01 this one
#: lacked the idle-warning, read-aloud and handout sheets: 212 of the kiosk's 1,343 lines
#: of CSS that the kiosk parsed at start-up and this baseline did not).
SHEETS = [
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
        "handout.tcss",
    )
]


#: The home screen of the bundled deck at 80x24: tiles composed, emergencies, tiles shown.
TILES, EMERGENCY_TILES, SHOWN_TILES = 17, 12, 9


class EmergencyBar(Vertical):
    """Named like the kiosk's, so the sheets' ``EmergencyBar ...`` rules apply."""


class HomeScreen(Screen[None]):
    """Named like the kiosk's, so the sheets' ``HomeScreen ...`` rules apply."""

    def compose(self) -> ComposeResult:
        with EmergencyBar():
            yield Static("Emergency: call 112", classes="emergency-call", markup=False)
            for name in ("emergency-staff", "emergency-places"):
                hidden = Static("", classes=name, markup=False)
                hidden.display = False
                yield hidden
        with Horizontal(id="pager"):
            yield Button("Previous", id="previous", classes="pager")
            yield Static("1 of 2", id="page-of", markup=False)
            yield Button("Next", id="next", classes="pager")
        with Vertical(id="home-body"):
            with Horizontal(id="home-header"):
                yield Static("Site", id="site-name", markup=False)
                notice = Static("", id="staff-notice", markup=False)
                notice.display = False
                yield notice
            with Grid(id="controls"):
                for name in ("search", "language", "size", "theme"):
                    yield Button(name, id=name, classes="control")
            with Grid(id="tiles"):
                for n in range(1, TILES + 1):
                    classes = "tile -emergency" if n <= EMERGENCY_TILES else "tile"
                    tile = Button(f"{n} Card number {n}", id=f"tile-{n}", classes=classes)
                    tile.display = n <= SHOWN_TILES
                    yield tile


class NineTileHomeScreen(HomeScreen):
    """The mirror of the home screen at 9 cards (before 2026-12-01), named like the kiosk's."""

    def compose(self) -> ComposeResult:
        with Vertical(id="bar"):
            yield Static("Emergency: call 112", markup=False)
        with VerticalScroll(id="home-body"):
            yield Static("Site", id="site-name")
            yield Static("Pick what happened", id="pick")
            with Grid(id="tiles"):
                for n in range(1, 10):
                    yield Button(f"{n} Card number {n}", classes="tile")
            with Grid(id="controls"):
                for name in ("search", "language", "size", "theme"):
                    yield Button(name, id=name, classes="control")
            yield Static("kit", id="first-aid-kit", classes="site-detail")
            yield Static("aed", id="defibrillator", classes="site-detail")
            yield Static("", id="staff-notice")


class SameTreeApp(App[None]):
    """The home screen's widgets on a screen of the same name, styled by the kiosk's sheets
    and breakpoints (what Textual alone costs for the kiosk's first screen)."""

    CSS_PATH = SHEETS
    HORIZONTAL_BREAKPOINTS = [(step, f"-w{step}") for step in (0, 48, 60, 80, 100, 120, 160)]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The variables the card sheet uses (the kiosk's themes define them)."""
        return {
            "urgency-emergency": "#c81e1e",
            "urgency-see-a-doctor": "#b45309",
            "urgency-self-care": "#15803d",
        }

    def __init__(self, nine_tiles: bool = False) -> None:
        super().__init__()
        self.nine_tiles = nine_tiles

    def on_mount(self) -> None:
        self.push_screen(NineTileHomeScreen() if self.nine_tiles else HomeScreen())


def make_same_tree_app(nine_tiles: bool = False) -> SameTreeApp:
    """Build the same-tree app (mirrors ``bare_app.make_bare_app`` for the probe)."""
    return SameTreeApp(nine_tiles)
