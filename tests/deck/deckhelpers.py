"""Helpers for the deck tests: a valid card, a TOML writer, and a deck directory builder.

Imported by name (``import deckhelpers``): ``conftest.py`` puts this folder on ``sys.path``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 11, 25)
"""The date every loader test runs on, so review dates never go stale."""

REMOVE = object()
"""A change that deletes a key from the card."""


class Raw(str):
    """A value written into the TOML file exactly as given (for wrong types)."""


def good_card(card_id: str, **changes: Any) -> dict[str, Any]:
    """A card that passes every check, with ``changes`` applied (``REMOVE`` deletes a key)."""
    card: dict[str, Any] = {
        "id": card_id,
        "scenario": "Someone has a sudden painful cramp in the calf",
        "title": f"Calf cramp {card_id}",
        "label": "Calf cramp",
        "summary": "Stretch the muscle gently and hold until it eases.",
        "urgency": "self-care",
        "call_emergency_if": ["The leg is swollen and there is chest pain"],
        "do_not": ["Do not prick the muscle with a pin."],
        "see_doctor_if": ["Cramps keep coming back every night"],
        "prevention": ["Stretch your calves before bed."],
        "related": [],
        "keywords": ["cramp", "calf", "charley horse"],
        "reviewed": dt.date(2026, 1, 10),
        "review_due": dt.date(2027, 6, 1),
        "steps": [
            {"text": "Sit down and straighten the leg."},
            {"text": "Pull your toes towards your shin and hold.", "timer_seconds": 30},
            {"text": "Rub the muscle firmly, then walk around."},
        ],
        "sources": [
            {"publisher": "NHS", "title": "Leg cramps", "url": "https://www.nhs.uk/leg-cramps/"}
        ],
    }
    for key, value in changes.items():
        if value is REMOVE:
            card.pop(key, None)
        else:
            card[key] = value
    return card


def toml_value(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def to_toml(card: dict[str, Any]) -> str:
    """TOML text for a card dict; lists of tables become ``[[name]]`` sections."""
    lines = ["#:schema ../../kiosk/deck/card.schema.json"]
    tables = []
    for key, value in card.items():
        tables_only = isinstance(value, list) and value and all(isinstance(i, dict) for i in value)
        if key in ("steps", "sources") and tables_only:
            tables.append((key, value))
            continue
        lines.append(f"{json.dumps(key) if not key.isidentifier() else key} = {toml_value(value)}")
    for key, items in tables:
        for item in items:
            lines.append(f"\n[[{key}]]")
            lines.extend(f"{name} = {toml_value(v)}" for name, v in item.items())
    return "\n".join(lines) + "\n"


DECK_TOML = 'languages = ["en", "uk"]\ndefault_language = "en"\norder = ["alpha", "beta"]\n'


class DeckDir:
    """A deck directory under a test's tmp_path."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def meta(self, text: str) -> Path:
        path = self.root / "deck.toml"
        path.write_text(text, encoding="utf-8")
        return path

    def card(self, language: str, card_id: str, **changes: Any) -> Path:
        return self.write(language, f"{card_id}.toml", to_toml(good_card(card_id, **changes)))

    def write(self, language: str, name: str, content: str | bytes) -> Path:
        path = self.root / language / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path
