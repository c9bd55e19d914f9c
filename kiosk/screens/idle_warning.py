"""The idle warning: "Still reading? Tap to stay", with the seconds left (WCAG 2.2.1).

The app pushes it over whatever screen is shown when the idle reset is near
(:meth:`kiosk.session.Session.idle_check`), updates its countdown every second and pops
it on any key or tap (:meth:`kiosk.app.KioskApp.note_input`); the tap or key that
dismisses it presses nothing else. The emergency bar stays at the top. The screen has
no handlers of its own that change anything: the app owns every decision.
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Digits, Static

from kiosk.screens.base import KioskScreen
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.widgets.emergency_bar import EmergencyBar


def whole_seconds(seconds: float) -> int:
    """Seconds left rounded up: the countdown reads 20 at the start and 0 only at the end."""
    return max(0, math.ceil(seconds - 1e-9))


class IdleWarningScreen(KioskScreen[None]):
    """A large "Still reading?" with a "Tap to stay" button and the seconds left."""

    AUTO_FOCUS = "#idle-stay"

    def __init__(self, site: Site, strings: Strings, seconds_left: float) -> None:
        super().__init__()
        self.site = site
        self.strings = strings
        self.seconds_left = whole_seconds(seconds_left)

    def compose(self) -> ComposeResult:
        text = self.strings
        yield EmergencyBar(self.site, text)
        with Vertical(id="idle-body"):
            yield Static(text["idle.title"], id="idle-title", markup=False)
            with Center():
                yield Button(text["idle.stay"], id="idle-stay", variant="primary")
            with Center(id="idle-digits-row"):
                yield Digits(str(self.seconds_left), id="idle-digits")
            yield Static(self._countdown_text(), id="idle-countdown", markup=False)

    def _countdown_text(self) -> str:
        return self.strings.format("idle.countdown", seconds=self.seconds_left)

    def show_seconds_left(self, seconds: float) -> None:
        """The countdown, in whole seconds rounded up."""
        self.seconds_left = whole_seconds(seconds)
        if not self.is_mounted:
            return
        self.query_one("#idle-digits", Digits).update(str(self.seconds_left))
        self.query_one("#idle-countdown", Static).update(self._countdown_text())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """ "Tap to stay" (by Enter or Space when the app has not seen the key first)."""
        event.stop()
        self.kiosk.note_input()
