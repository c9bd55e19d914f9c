"""A key for on-screen keyboards and number pads: reacts to a tap, never takes focus.

Not a ``Button`` on purpose: app-wide ``Button`` rules (taller buttons for
large text, a minimum width for finger-sized buttons, focus colours) would
otherwise resize every key of a keyboard that has to fit 40x15. The owner
sizes keys through its own sheet.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

PRESSED_SECONDS = 0.15
"""How long a tapped key stays highlighted, so the visitor sees the tap landed."""


class TapKey(Static, can_focus=False):
    """A key with a plain-text label; a tap posts :class:`TapKey.Tapped` with its value."""

    class Tapped(Message):
        """The key was tapped (clicked)."""

        def __init__(self, key: TapKey, value: str) -> None:
            super().__init__()
            self.key = key
            self.value = value

        @property
        def control(self) -> TapKey:
            """The key, so ``@on(TapKey.Tapped, "#some-key")`` selectors work."""
            return self.key

    def __init__(self, label: str, value: str = "", **kwargs: Any) -> None:
        super().__init__(Content(label), **kwargs)
        self.value = value

    def on_click(self, event: Click) -> None:
        event.stop()
        self.add_class("-pressed")
        self.set_timer(PRESSED_SECONDS, self._release)
        self.post_message(self.Tapped(self, self.value))

    def _release(self) -> None:
        self.remove_class("-pressed")
