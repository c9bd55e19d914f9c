"""Fixtures for the deck tests; the helpers themselves live in ``deckhelpers``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from deckhelpers import DECK_TOML, DeckDir  # noqa: E402


@pytest.fixture
def deck(tmp_path: Path) -> DeckDir:
    """A valid deck: alpha and beta in English and Ukrainian."""
    deck_dir = DeckDir(tmp_path / "cards")
    deck_dir.root.mkdir()
    deck_dir.meta(DECK_TOML)
    for language in ("en", "uk"):
        deck_dir.card(language, "alpha", related=["beta"])
        deck_dir.card(language, "beta")
    return deck_dir
