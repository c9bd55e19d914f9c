"""Fixtures for the handout tests; the readers (zbarimg, poppler) are in handouthelpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk.deck import Deck, bundled_cards_dir, load_deck
from kiosk.site import Site

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def deck() -> Deck:
    return load_deck(bundled_cards_dir()).deck


@pytest.fixture
def site() -> Site:
    return Site(name="Riverside Pool", emergency_number="0800123")
