"""A plain Textual app with the kiosk home screen's widget tree and sheets, no kiosk code.

Shows what Textual itself costs for a first screen like the kiosk's (docs/performance.md,
"Start-up after the perf-startup branch"): ``python benchmarks/paint_probe.py same-tree``.
The widgets, ids and classes mirror ``kiosk.screens.home.HomeScreen`` at 9 cards.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Button, Static

STYLES_DIR = Path(__file__).resolve().parent.parent / "kiosk" / "styles"


class SameTreeApp(App[None]):
    """The home screen's widgets on the default screen, styled by app.tcss and home.tcss."""

    CSS_PATH = [STYLES_DIR / "app.tcss", STYLES_DIR / "home.tcss"]

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


def make_same_tree_app() -> SameTreeApp:
    """Build the same-tree app (mirrors ``bare_app.make_bare_app`` for the probe)."""
    return SameTreeApp()
