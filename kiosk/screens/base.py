"""What every visitor screen shares: Space presses the focused button, and typed app access."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar, cast

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Button

if TYPE_CHECKING:
    from kiosk.app import KioskApp

ResultT = TypeVar("ResultT")


class KioskScreen(Screen[ResultT], Generic[ResultT]):
    """A kiosk screen. Errors in its handlers reach ``KioskApp.unexpected_error``."""

    BINDINGS = [Binding("space", "press_focused", show=False)]

    @property
    def kiosk(self) -> KioskApp:
        """The app, typed (screens read its reactives and call its actions)."""
        return cast("KioskApp", self.app)

    def action_press_focused(self) -> None:
        """Space presses the focused button, as Enter does (Textual buttons bind only Enter)."""
        if isinstance(self.focused, Button):
            self.focused.press()
