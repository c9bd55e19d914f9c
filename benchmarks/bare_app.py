"""The baseline for the start-up benchmark: a bare Textual app that paints one widget.

It does as little as a Textual app can while still painting a real screen, so that
``bench_startup.py`` can say how much the kiosk adds on top of Textual itself.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """One Static on the default screen."""

    def compose(self) -> ComposeResult:
        yield Static("First aid", id="bare")


def make_bare_app() -> BareApp:
    """Build the baseline app (mirrors ``kiosk.app.make_app`` for the probe)."""
    return BareApp()


if __name__ == "__main__":
    make_bare_app().run()
