"""Fixtures for the voice tests; the helpers live in ``voicehelpers``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from kiosk.deck import bundled_cards_dir, load_deck  # noqa: E402
from kiosk.deck.model import Deck  # noqa: E402


@pytest.fixture(scope="session")
def deck() -> Deck:
    return load_deck(bundled_cards_dir()).deck


@pytest.fixture
def services() -> Iterator[list]:
    """Services a test made; closed afterwards so no worker thread outlives its test."""
    made: list = []
    yield made
    for service in made:
        service.close()
