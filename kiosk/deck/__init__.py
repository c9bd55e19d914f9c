"""Deck model, loading and checking. Nothing here imports Textual."""

from kiosk.deck.loader import StagedDeckLoad, bundled_cards_dir, load_deck
from kiosk.deck.model import Card, Deck, LoadResult, Problem, Severity, Source, Step, Urgency

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
