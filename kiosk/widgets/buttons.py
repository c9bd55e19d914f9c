"""Buttons with kiosk behaviour: the one that opens a card (home tiles, related cards,
search results) and the one that turns a page (Previous and Next)."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Button


class CardButton(Button):
    """A button that opens the card ``card_id`` (``app.open_card``); the label is plain text.

    Card ids are slugs (``[a-z0-9-]``, checked by the deck loader), so they sit safely
    in the action string.
    """

    def __init__(self, label: str, card_id: str, **kwargs: Any) -> None:
        super().__init__(Content(label), action=f"app.open_card('{card_id}')", **kwargs)
        self.card_id = card_id


class PagerButton(Button):
    """Previous or Next: every tap turns a page, however soon after the last one.

    Textual's ``Button`` shows a press effect for ``active_effect_duration`` (0.2 s) and
    ignores any tap that lands while it shows. A visitor who taps Next twice to reach the
    third page of results got the second page, and the tests that tapped through every
    page missed one (issue 12: "a page is skipped"). A pager has no press effect, so no
    such window; the page label and the page itself changing are the feedback (paging
    wraps round, so every tap changes both).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.active_effect_duration = 0  # public: no effect, no tap ignored
