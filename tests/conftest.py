"""Shared fixtures: a fixed site and the bundled deck."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.deck import bundled_cards_dir

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bundled_dir() -> Path:
    return bundled_cards_dir()
