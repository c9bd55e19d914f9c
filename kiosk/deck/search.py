"""Search over cards: scenario, title, label, summary, keywords and step text. No Textual import.

The search screen calls :meth:`SearchIndex.search` on every keystroke, so it
must stay well under a frame even for a large deck. Each card's searchable
text is casefolded once, up front. A query matches a card when every word of
the query occurs somewhere in that text (so "cram" finds "cramp"). Typing
usually extends the previous query, and a card that does not match "cra"
cannot match "cram": the index remembers the last query's matches and only
re-checks those.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.deck.model import Card


def _search_text(card: Card) -> str:
    parts = (
        card.title,
        card.label,
        card.scenario,
        card.summary,
        *card.keywords,
        *(step.text for step in card.steps),
    )
    return "\n".join(parts).casefold()


class SearchIndex:
    """Cards of one language, searchable by every word of the query (case-insensitive)."""

    def __init__(self, cards: Sequence[Card]) -> None:
        self._cards = tuple(cards)
        self._texts = tuple(_search_text(card) for card in self._cards)
        self._everything = range(len(self._cards))
        self._last_words: tuple[str, ...] = ()
        self._last_matches: Sequence[int] = self._everything

    def search(self, query: str, limit: int = 50) -> list[Card]:
        """Cards matching every word of ``query``, in deck order; all cards for an empty query."""
        words = self._words(query)
        matches = self._matches(words)
        self._last_words, self._last_matches = words, matches
        return [self._cards[index] for index in matches[:limit]]

    @staticmethod
    def _words(query: str) -> tuple[str, ...]:
        """Distinct query words, longest first (rarer, so they narrow the search fastest)."""
        words = sorted(set(query.casefold().split()), key=len, reverse=True)
        kept: list[str] = []
        for word in words:
            if not any(word in longer for longer in kept):
                kept.append(word)
        return tuple(kept)

    def _matches(self, words: tuple[str, ...]) -> Sequence[int]:
        candidates = self._everything
        if self._refines_last(words):
            candidates = self._last_matches
        texts = self._texts
        for word in words:
            candidates = [index for index in candidates if word in texts[index]]
            if not candidates:
                break
        return candidates

    def _refines_last(self, words: tuple[str, ...]) -> bool:
        """True when every card matching ``words`` also matched the previous query."""
        return all(any(old in new for new in words) for old in self._last_words)
