"""Helpers for the fault tests: small decks written on the fly, and the screen as text."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from kiosk.deck import bundled_cards_dir

REPO_ROOT = Path(__file__).resolve().parents[2]


def toml_value(value: Any) -> str:
    """A TOML literal for the simple values a card uses (JSON strings are TOML strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def card_toml(card_id: str, **overrides: Any) -> str:
    """A valid card (see the card format in the common brief); keyword arguments replace fields."""
    today = dt.date.today()
    fields: dict[str, Any] = {
        "id": card_id,
        "scenario": f"Scenario for {card_id}",
        "title": f"Title {card_id}",
        "label": card_id[:18],
        "summary": "Stay calm and follow the steps.",
        "urgency": "self-care",
        "call_emergency_if": ["They stop breathing"],
        "do_not": ["Do not leave them alone"],
        "see_doctor_if": ["It keeps coming back"],
        "prevention": [],
        "related": [],
        "keywords": ["test"],
        "reviewed": today - dt.timedelta(days=30),
        "review_due": today + dt.timedelta(days=335),
    }
    steps = overrides.pop("steps", [{"text": "First step."}, {"text": "Second step."}])
    sources = [{"publisher": "NHS", "title": "A page", "url": "https://www.nhs.uk/"}]
    fields.update(overrides)
    lines = [f"{key} = {toml_value(value)}" for key, value in fields.items()]
    for step in steps:
        lines += ["", "[[steps]]"] + [f"{k} = {toml_value(v)}" for k, v in step.items()]
    for source in sources:
        lines += ["", "[[sources]]"] + [f"{k} = {toml_value(v)}" for k, v in source.items()]
    return "\n".join(lines) + "\n"


def write_deck(root: Path, cards: dict[str, dict[str, Any]], languages=("en",)) -> Path:
    """Write ``deck.toml`` and one file per card per language; return the deck directory."""
    root.mkdir(parents=True, exist_ok=True)
    order = toml_value(list(cards))
    (root / "deck.toml").write_text(
        f"languages = {toml_value(list(languages))}\n"
        f'default_language = "{languages[0]}"\norder = {order}\n',
        encoding="utf-8",
    )
    for language in languages:
        (root / language).mkdir(exist_ok=True)
        for card_id, overrides in cards.items():
            text = card_toml(card_id, **overrides)
            (root / language / f"{card_id}.toml").write_text(text, encoding="utf-8")
    return root


def screen_lines(app) -> list[str]:
    """The current screen as text, one string per terminal row.

    The same compositor call ``App.export_screenshot`` makes (Textual has no public
    "screen as text"), but keeping the rows, so that alignment can be checked.
    """
    return [strip.text for strip in app.screen._compositor.render_strips()]


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
