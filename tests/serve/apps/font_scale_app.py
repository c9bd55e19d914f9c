"""A tiny Textual app for the font-scale bridge test: it shows its size in cells, and
asks the page for a bigger font when "b" is pressed (as the kiosk does on "Text size")."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from kiosk.web_bridge import request_text_size


class FontScaleApp(App[None]):
    BINDINGS = [("b", "bigger", "Bigger"), ("n", "normal", "Normal")]

    def compose(self) -> ComposeResult:
        yield Static("", id="size", markup=False)

    def on_mount(self) -> None:
        self.show_size(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self.show_size(event.size.width, event.size.height)

    def show_size(self, width: int, height: int) -> None:
        self.query_one("#size", Static).update(f"cells {width}x{height}")

    def action_bigger(self) -> None:
        request_text_size(self, "extra-large")

    def action_normal(self) -> None:
        request_text_size(self, "normal")


if __name__ == "__main__":
    FontScaleApp().run()
