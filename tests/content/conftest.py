"""Fixtures for the content checks: the bundled card files, parsed directly with tomllib.

The deck loader is being rewritten in parallel, so the structural checks read
the TOML files themselves instead of going through ``kiosk.deck.load_deck``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.core import toml

CARDS_DIR = Path(__file__).resolve().parents[2] / "cards"


def read_toml(path: Path) -> dict[str, Any]:
    return toml.loads(path.read_text(encoding="utf-8"))


def deck_meta() -> dict[str, Any]:
    return read_toml(CARDS_DIR / "deck.toml")


def card_paths() -> list[Path]:
    """Every card file of every language the deck declares."""
    return [
        path
        for language in deck_meta()["languages"]
        for path in sorted((CARDS_DIR / language).glob("*.toml"))
    ]


def all_cards() -> dict[tuple[str, str], dict[str, Any]]:
    """Parsed cards keyed by (language, file stem)."""
    return {(path.parent.name, path.stem): read_toml(path) for path in card_paths()}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that asks for ``card_path`` once per card file, named ``lang/id``."""
    if "card_path" in metafunc.fixturenames:
        paths = card_paths()
        metafunc.parametrize("card_path", paths, ids=[f"{p.parent.name}/{p.stem}" for p in paths])


@pytest.fixture
def card(card_path: Path) -> dict[str, Any]:
    return read_toml(card_path)


@pytest.fixture(scope="session")
def cards_dir() -> Path:
    return CARDS_DIR


@pytest.fixture(scope="session")
def cards() -> dict[tuple[str, str], dict[str, Any]]:
    return all_cards()


@pytest.fixture(scope="session")
def meta() -> dict[str, Any]:
    return deck_meta()
