"""What every kiosk screen shares: Space presses the focused button, typed app access, and a
dismiss that only ever takes its own screen off the stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Button

from kiosk.compat.textual import set_breakpoint_classes

if TYPE_CHECKING:
    from kiosk.app import KioskApp

ResultT = TypeVar("ResultT")


def nothing_to_await() -> AwaitComplete:
    """An already-completed ``AwaitComplete`` (for a pop or dismiss that does nothing)."""
    return cast(AwaitComplete, AwaitComplete.nothing())  # type: ignore[no-untyped-call]


class DismissOnlyOnTop:
    """Mixin for a screen: :meth:`dismiss` does nothing unless the screen is on top.

    Textual's ``Screen.dismiss`` pops *the top screen*, whichever it is. Two inputs
    handled in one batch can both dismiss (a tap on Back and Escape), or a handler can
    run after the app has already navigated away (home, idle reset); the second pop
    then takes the home screen off the stack and leaves a blank screen with no
    emergency bar (red-team A6). Put this mixin before the Textual screen class.
    """

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Dismiss with ``result`` if this screen is on top; otherwise nothing."""
        if not cast(Screen[Any], self).is_active:
            return nothing_to_await()
        return cast(AwaitComplete, super().dismiss(result))  # type: ignore[misc]


class KioskScreen(DismissOnlyOnTop, Screen[ResultT], Generic[ResultT]):
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

    def take_size_classes(self) -> None:
        """The size classes of the app's size now: for a screen shown again (home, card),
        first thing on resume (see ``set_breakpoint_classes``)."""
        set_breakpoint_classes(self, *self.app.size)


class KioskModalScreen(DismissOnlyOnTop, ModalScreen[ResultT], Generic[ResultT]):
    """A modal kiosk screen (the staff PIN prompt), with the same safe dismiss."""
