"""A plain Textual app with the kiosk home screen's widget tree and sheets, no kiosk code.

Shows what Textual itself costs for a first screen like the kiosk's (docs/performance.md,
"Start-up after the perf-startup branch"): ``python benchmarks/paint_probe.py same-tree``.
The widgets, ids and classes mirror ``kiosk.screens.home.HomeScreen`` at 9 cards; the
sheets and breakpoints are the kiosk's (``kiosk.styles``).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

STYLES_DIR = Path(__file__).resolve().parent.parent / "kiosk" / "styles"
#: The kiosk's sheets, in its order (kiosk.styles.SHEETS), read as files: no kiosk import.
SHEETS = [
    STYLES_DIR / name
    for name in (
        "app.tcss",
        "home.tcss",
        "card.tcss",
        "search.tcss",
        "staff.tcss",
        "out_of_service.tcss",
        "widgets.tcss",
    )
]


class HomeScreen(Screen[None]):
    """Named like the kiosk's, so the sheets' ``HomeScreen ...`` rules apply."""

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

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())


def make_same_tree_app() -> SameTreeApp:
    """Build the same-tree app (mirrors ``bare_app.make_bare_app`` for the probe)."""
    return SameTreeApp()
