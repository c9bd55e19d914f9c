"""Search over cards: title, keywords and step text. No Textual import.

WALKING-SKELETON VERSION: a plain scan. The interface (``SearchIndex(cards)``
and ``search(query)``) is the contract the search screen uses.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.deck.model import Card


class SearchIndex:
    """Cards of one language, searchable by every word of the query (case-insensitive)."""

    def __init__(self, cards: Sequence[Card]) -> None:
        self._cards = tuple(cards)
        self._texts = tuple(
            " ".join((c.title, c.label, *c.keywords, *(s.text for s in c.steps))).casefold()
            for c in self._cards
        )

    def search(self, query: str, limit: int = 50) -> list[Card]:
        """Cards matching every word of ``query``, in deck order; all cards for an empty query."""
        words = query.casefold().split()
        hits = [c for c, t in zip(self._cards, self._texts) if all(w in t for w in words)]
        return hits[:limit]
