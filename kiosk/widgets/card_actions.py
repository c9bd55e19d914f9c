"""The row of optional card actions (Read aloud, Print, For the ambulance).

The card screen composes one :class:`CardActions` between the page and the nav row. Each
optional feature mounts its own buttons into it (voice: ``kiosk/voice``; printing:
``kiosk/handout``), so those features never edit the card screen's layout. An empty row
takes no space.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message


class CardActions(Horizontal):
    """Optional per-card buttons; zero rows tall while it holds none."""

    class Changed(Message):
        """A feature showed or hid its buttons: the row's height may have changed, so the
        card screen splits its pages again for the page area left (print-ui)."""

    def compose(self) -> ComposeResult:
        # One line per feature; each widget hides itself when its feature is off.
        from kiosk.widgets.handout import HandoutActions  # Print, For the ambulance
        from kiosk.widgets.read_aloud import ReadAloudControl

        yield ReadAloudControl()
        yield HandoutActions()
