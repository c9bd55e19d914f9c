"""The one button that opens a card: home tiles, related cards and search results."""

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
