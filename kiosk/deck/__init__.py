"""Deck model, loading and checking. Nothing here imports Textual.

The loader and its checks (:mod:`kiosk.deck.loader`) are imported on first use of
``load_deck`` or ``StagedDeckLoad``: a start that reads the checked deck from its cache
(:mod:`kiosk.deck.cache`) never needs them (about 5 to 8 ms of every such start).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.deck.model import Card, Deck, LoadResult, Problem, Severity, Source, Step, Urgency

if TYPE_CHECKING:
    from kiosk.deck.loader import StagedDeckLoad, load_deck

__all__ = [
    "Card",
    "Deck",
    "LoadResult",
    "Problem",
    "Severity",
    "Source",
    "StagedDeckLoad",
    "Step",
    "Urgency",
    "bundled_cards_dir",
    "load_deck",
]


def bundled_cards_dir() -> Path:
    """The deck shipped with the package (``cards/`` in the repository)."""
    import kiosk.cards

    return Path(kiosk.cards.__file__).parent


def __getattr__(name: str) -> Any:
    if name in ("StagedDeckLoad", "load_deck"):
        from kiosk.deck import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
