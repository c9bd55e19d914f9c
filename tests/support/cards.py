"""The one card writer of the tests: valid card files, and whole small decks, on the fly."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


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
    """A valid card (``docs/deck-format.md``); keyword arguments replace fields."""
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


def write_deck(
    root: Path, cards: dict[str, dict[str, Any]], languages: Sequence[str] = ("en",)
) -> Path:
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
