"""Search over cards: title, label, scenario, summary, keywords and step text. No Textual import.

A query matches a card when every word of the query occurs somewhere in the
card's text, case-insensitively (so "cram" finds "cramp"); results come in
deck order. Apostrophes are ignored on both sides (', ’, ʼ and the like), so
"cant" finds "can't" and a Ukrainian word matches whichever apostrophe the
keyboard gave. A frightened visitor mistypes: a word of at least
:data:`MIN_SLIP_LENGTH` letters that occurs in no card at all is taken to hold
one slip, and matches where the word, with one letter added, dropped, changed
or two neighbours swapped, occurs ("chokeing" finds "choking", "алергия" finds
"алергія"); a nonsense word still finds nothing. The search screen calls
:meth:`SearchIndex.search` on every keystroke, so it must stay far below a
frame even for a large deck.

How: each card's text is casefolded and split into word tokens once. Each
distinct token has a bit set of the cards it occurs in (a Python ``int``, bit
``i`` for card ``i``). A query word made of word characters occurs in a text
exactly when it is a substring of one of the text's tokens, so its cards are
the union of the bit sets of the matching tokens; the query's cards are the
intersection over its words. Tokens matching a word are found by scanning the
vocabulary (far smaller than the deck), narrowed from the previous keystroke's
word when the visitor is typing. A query word with punctuation ("writer's")
is checked against the texts of the cards that contain all its word parts.
For a slip, candidate tokens are found with :meth:`str.find` in the vocabulary
joined into one string: one slip leaves the first or the second half of the
word intact (or, for a swap across the middle, the whole swapped word), so
only tokens containing one of those are tried against the one-slip pattern.
Typing on extends a misspelt word, and the tokens matching it with one slip
are among those of the shorter word, so later keystrokes are narrowed too.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Sequence
from functools import reduce

from kiosk.deck.model import Card

_WORD = re.compile(r"\w+")
_MEMO_SIZE = 64
MIN_SLIP_LENGTH = 5
"""Shorter words are never taken as misspelt: with one slip they would match too much."""
APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4\u02b9\u2032"
"""', ’, ʼ, ‘, `, ´, ʹ, ′: ignored in card text and in queries."""
_NO_APOSTROPHES = str.maketrans("", "", APOSTROPHES)
_BITS_OF_BYTE = tuple(tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256))


def fold(text: str) -> str:
    """Text as search compares it: casefolded, apostrophes removed."""
    return text.casefold().translate(_NO_APOSTROPHES)


def one_slip_pattern(word: str) -> re.Pattern[str]:
    """Matches a text holding ``word`` with one letter added, dropped, changed or swapped."""
    variants = set()
    for i in range(len(word)):
        variants.add(re.escape(word[:i] + word[i + 1 :]))
        variants.add(re.escape(word[:i]) + r"\w" + re.escape(word[i + 1 :]))
        if i:
            variants.add(re.escape(word[:i]) + r"\w" + re.escape(word[i:]))
        if i + 1 < len(word):
            variants.add(re.escape(word[:i] + word[i + 1] + word[i] + word[i + 2 :]))
    return re.compile("|".join(sorted(variants, key=len, reverse=True)))


def _search_text(card: Card) -> str:
    parts = (
        card.title,
        card.label,
        card.scenario,
        card.summary,
        *card.keywords,
        *(step.text for step in card.steps),
    )
    return fold("\n".join(parts))


class SearchIndex:
    """Cards of one language, searchable by every word of the query (case-insensitive)."""

    def __init__(self, cards: Sequence[Card]) -> None:
        self._cards = tuple(cards)
        self._texts = tuple(_search_text(card) for card in self._cards)
        self._all = (1 << len(self._cards)) - 1
        self._postings = self._build_postings()
        self._vocabulary = tuple(self._postings)
        self._joined = "\n".join(self._vocabulary)
        self._starts = self._token_starts()
        # query word -> (matching tokens, or None after a text scan; bit set of cards;
        # whether the tokens match with one slip)
        self._memo: dict[str, tuple[tuple[str, ...] | None, int, bool]] = {}

    def _token_starts(self) -> list[int]:
        """Offset in ``self._joined`` where each vocabulary token starts."""
        starts, offset = [], 0
        for token in self._vocabulary:
            starts.append(offset)
            offset += len(token) + 1
        return starts

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
        for word in sorted(set(fold(query).split()), key=len, reverse=True):
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

    def _match(self, word: str) -> tuple[tuple[str, ...] | None, int, bool]:
        if _WORD.fullmatch(word) is None:
            return None, self._scan(word), False
        # Typing extends a word: only tokens matching the shorter word can match it.
        narrower = self._memo.get(word[:-1]) if len(word) > 1 else None
        vocabulary: Sequence[str] = self._vocabulary
        if narrower is not None and narrower[0] is not None:
            if narrower[2]:  # the shorter word was already misspelt: so is this one
                return self._slipped(word, narrower[0])
            vocabulary = narrower[0]
        tokens = tuple(token for token in vocabulary if word in token)
        if not tokens and len(word) >= MIN_SLIP_LENGTH:
            return self._slipped(word, None)
        return tokens, self._cards_of(tokens), False

    def _cards_of(self, tokens: Sequence[str]) -> int:
        postings = self._postings
        return reduce(operator.or_, (postings[token] for token in tokens), 0)

    def _slipped(
        self, word: str, candidates: Sequence[str] | None
    ) -> tuple[tuple[str, ...], int, bool]:
        """Tokens holding ``word`` with one slip (from ``candidates``, else the vocabulary)."""
        if candidates is None:
            candidates = self._tokens_sharing_a_half(word)
        pattern = one_slip_pattern(word)
        tokens = tuple(token for token in candidates if pattern.search(token))
        return tokens, self._cards_of(tokens), True

    def _tokens_sharing_a_half(self, word: str) -> list[str]:
        """Vocabulary tokens that can hold ``word`` with one slip (see the module docstring)."""
        half = len(word) // 2
        swapped = word[: half - 1] + word[half] + word[half - 1] + word[half + 1 :]
        joined, starts, vocabulary = self._joined, self._starts, self._vocabulary
        found: set[int] = set()
        for piece in (word[:half], word[half:], swapped):
            at = joined.find(piece)
            while at != -1:
                index = bisect.bisect_right(starts, at) - 1
                found.add(index)
                # Go on after this token: one hit per token is enough.
                at = joined.find(piece, starts[index] + len(vocabulary[index]) + 1)
        return [vocabulary[index] for index in sorted(found)]

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
