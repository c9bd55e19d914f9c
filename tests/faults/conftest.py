"""Helpers for the fault tests: small decks written on the fly, and the screen as text."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk.deck import bundled_cards_dir
from tests.support.cards import card_toml, write_deck
from tests.support.screen import screen_rows

REPO_ROOT = Path(__file__).resolve().parents[2]


def screen_lines(app) -> list[str]:
    """The current screen as text, one string per terminal row (see tests.support.screen)."""
    return screen_rows(app)


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``root`` with its size and mtime (ns): to prove nothing was written."""
    state = {".": (0, root.stat().st_mtime_ns)}
    for path in sorted(root.rglob("*")):
        info = path.stat()
        state[str(path.relative_to(root))] = (info.st_size, info.st_mtime_ns)
    return state


@pytest.fixture
def deck_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled deck that a test may change or delete."""
    target = tmp_path / "cards"
    shutil.copytree(bundled_cards_dir(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def faults() -> SimpleNamespace:
    """The helpers above, as a fixture (test modules cannot import conftest by name)."""
    return SimpleNamespace(
        card_toml=card_toml,
        write_deck=write_deck,
        screen_lines=screen_lines,
        screen_text=screen_text,
        tree_state=tree_state,
        repo_root=REPO_ROOT,
    )
