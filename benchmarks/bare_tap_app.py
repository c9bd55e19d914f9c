"""The baseline for the tap benchmark: a bare Textual app whose button updates one Static."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button, Static


class BareTapApp(App[None]):
    """A "Next ▶" button; each tap writes "Step N" into one Static."""

    def __init__(self) -> None:
        super().__init__()
        self.step = 1

    def compose(self) -> ComposeResult:
        yield Static("Step 1", id="step")
        yield Button("Next ▶", id="next")

    def on_button_pressed(self) -> None:
        self.step += 1
        self.query_one("#step", Static).update(f"Step {self.step}")


if __name__ == "__main__":
    BareTapApp().run()
