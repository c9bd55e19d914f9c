"""The Read aloud control on every card: one toggle, and Repeat and Stop while it is on.

Composed inside the card screen's ``CardActions`` row (never anywhere else in the card
layout). The state and the speaking are the app's :class:`kiosk.voice.ui.ReadAloud`
(``app.read_aloud``); this widget only shows it and forwards taps. Hidden when the site
hides the voice or the voice is known not to work (no player, no sound card): a visitor
never meets a button that does nothing.

Two labels of each button are composed, long and short, and the width classes choose
(under 48 columns the short ones: "Голос: увімк." for "Читати вголос: увімк."),
so the three buttons fit on one row at 30 columns. The row is shown from 24 rows only.
Styles: ``kiosk/styles/read_aloud.tcss``.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button

from kiosk.strings import Strings

#: (button id, label key when off, label key when on); "-short" ids use "<key>.short".
BUTTONS = (
    ("read-aloud", "voice.control.off", "voice.control.on"),
    ("read-aloud-repeat", "voice.control.repeat", "voice.control.repeat"),
    ("read-aloud-stop", "voice.control.stop", "voice.control.stop"),
)


class ReadAloudControl(Horizontal):
    """Read aloud on/off, Repeat, Stop (see the module docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(id="read-aloud-control", **kwargs)
        self._shown_labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        for button_id, _off, _on in BUTTONS:
            yield Button("", id=button_id, classes="-label-long")
            yield Button("", id=f"{button_id}-short", classes="-label-short")

    @property
    def read_aloud(self) -> Any:
        return getattr(self.app, "read_aloud", None)

    def on_mount(self) -> None:
        controller = self.read_aloud
        if controller is not None:
            controller.add_watcher(self.show_state)
        self.watch(self.app, "language", lambda _language: self.show_state(), init=False)
        self.show_state()

    def on_unmount(self) -> None:
        controller = self.read_aloud
        if controller is not None:
            controller.remove_watcher(self.show_state)

    def show_state(self) -> None:
        """Labels in the visitor's language; Repeat and Stop only while on."""
        controller = self.read_aloud
        shown = controller is not None and controller.control_shown
        self.display = shown
        if not shown:
            return
        on_now = controller.on
        strings = Strings(str(getattr(self.app, "language", "en")))
        for button_id, off_key, on_key in BUTTONS:
            key = on_key if on_now else off_key
            for widget_id, label_key in ((button_id, key), (f"{button_id}-short", f"{key}.short")):
                button = self.query_one(f"#{widget_id}", Button)
                if self._shown_labels.get(widget_id) != strings[label_key]:
                    self._shown_labels[widget_id] = strings[label_key]
                    button.label = Content(strings[label_key])
                if button_id == "read-aloud":
                    button.set_class(on_now, "-on")
                else:
                    button.set_class(not on_now, "-hidden")

    @on(Button.Pressed, "#read-aloud, #read-aloud-short")
    def _toggle(self, event: Button.Pressed) -> None:
        event.stop()
        if self.read_aloud is not None:
            self.read_aloud.toggle()

    @on(Button.Pressed, "#read-aloud-repeat, #read-aloud-repeat-short")
    def _repeat(self, event: Button.Pressed) -> None:
        event.stop()
        if self.read_aloud is not None:
            self.read_aloud.repeat()

    @on(Button.Pressed, "#read-aloud-stop, #read-aloud-stop-short")
    def _stop(self, event: Button.Pressed) -> None:
        event.stop()
        if self.read_aloud is not None:
            self.read_aloud.stop()
