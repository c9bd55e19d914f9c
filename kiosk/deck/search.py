"""Search over cards: title, label, scenario, summary, keywords and step text. No Textual import.

A query matches a card when every word of the query occurs somewhere in the
card's text, case-insensitively (so "cram" finds "cramp"); results come in
deck order. The search screen calls :meth:`SearchIndex.search` on every
keystroke, so it must stay far below a frame even for a large deck.

How: each card's text is casefolded and split into word tokens once. Each
distinct token has a bit set of the cards it occurs in (a Python ``int``, bit
``i`` for card ``i``). A query word made of word characters occurs in a text
exactly when it is a substring of one of the text's tokens, so its cards are
the union of the bit sets of the matching tokens; the query's cards are the
intersection over its words. Tokens matching a word are found by scanning the
vocabulary (far smaller than the deck), narrowed from the previous keystroke's
word when the visitor is typing. A query word with punctuation ("writer's")
is checked against the texts of the cards that contain all its word parts.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from functools import reduce

from kiosk.deck.model import Card

_WORD = re.compile(r"\w+")
_MEMO_SIZE = 64
_BITS_OF_BYTE = tuple(tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256))


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
        self._all = (1 << len(self._cards)) - 1
        self._postings = self._build_postings()
        self._vocabulary = tuple(self._postings)
        # query word -> (matching tokens, or None after a text scan; bit set of cards)
        self._memo: dict[str, tuple[tuple[str, ...] | None, int]] = {}

    def _build_postings(self) -> dict[str, int]:
        """Token -> bit set of the cards containing it (built via byte arrays: fast)."""
        size = (len(self._cards) + 7) // 8
        arrays: dict[str, bytearray] = {}
        for index, text in enumerate(self._texts):
            byte, mask = index >> 3, 1 << (index & 7)
            for token in set(_WORD.findall(text)):
                array = arrays.get(token)
                if array is None:
                    array = arrays[token] = bytearray(size)
                array[byte] |= mask
        return {token: int.from_bytes(array, "little") for token, array in arrays.items()}

    def search(self, query: str, limit: int = 50) -> list[Card]:
        """Cards matching every word of ``query``, in deck order; all cards for an empty query."""
        bits = self._all
        for word in sorted(set(query.casefold().split()), key=len, reverse=True):
            bits &= self._cards_with(word)
            if not bits:
                return []
        return [self._cards[index] for index in self._indices(bits, limit)]

    def _cards_with(self, word: str) -> int:
        found = self._memo.get(word)
        if found is None:
            found = self._match(word)
            if len(self._memo) >= _MEMO_SIZE:
                del self._memo[next(iter(self._memo))]
            self._memo[word] = found
        return found[1]

    def _match(self, word: str) -> tuple[tuple[str, ...] | None, int]:
        if _WORD.fullmatch(word) is None:
            return None, self._scan(word)
        # Typing extends a word: only tokens matching the shorter word can match it.
        narrower = self._memo.get(word[:-1]) if len(word) > 1 else None
        vocabulary = self._vocabulary
        if narrower is not None and narrower[0] is not None:
            vocabulary = narrower[0]
        tokens = tuple(token for token in vocabulary if word in token)
        postings = self._postings
        return tokens, reduce(operator.or_, (postings[token] for token in tokens), 0)

    def _scan(self, word: str) -> int:
        """Cards containing ``word``, which has punctuation: its word parts narrow the scan."""
        candidates = self._all
        for part in _WORD.findall(word):
            candidates &= self._cards_with(part)
        texts = self._texts
        found = bytearray((len(texts) + 7) // 8)
        for index in self._indices(candidates, len(texts)):
            if word in texts[index]:
                found[index >> 3] |= 1 << (index & 7)
        return int.from_bytes(found, "little")

    @staticmethod
    def _indices(bits: int, limit: int) -> list[int]:
        """The first ``limit`` set bits of ``bits``, lowest first."""
        found: list[int] = []
        data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        for byte_index, value in enumerate(data):
            if value:
                base = byte_index << 3
                for bit in _BITS_OF_BYTE[value]:
                    found.append(base + bit)
                if len(found) >= limit:
                    return found[:limit]
        return found
