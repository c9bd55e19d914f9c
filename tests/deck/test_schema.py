"""The editor schemas agree with the checker: good cards pass both, broken ones fail both."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from deckhelpers import REMOVE, TODAY, DeckDir, Raw

from kiosk.core import toml
from kiosk.deck import bundled_cards_dir, load_deck

pytestmark = [pytest.mark.data]

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "kiosk" / "deck"


def validator(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


CARD_SCHEMA = validator("card.schema.json")
DECK_SCHEMA = validator("deck.schema.json")


def as_json(value: Any) -> Any:
    """TOML data as an editor's schema sees it: dates become ISO strings."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def schema_errors(path: Path, validate: jsonschema.Draft7Validator = CARD_SCHEMA) -> list[str]:
    data = toml.loads(path.read_text(encoding="utf-8"))
    return [error.message for error in validate.iter_errors(as_json(data))]


def bundled_card_files() -> list[Path]:
    return sorted(bundled_cards_dir().glob("*/*.toml"))


GOOD_VARIANTS: dict[str, dict[str, Any]] = {
    "plain": {},
    "stopwatch": {"steps": [{"text": "Start the stopwatch.", "stopwatch": True}]},
    "no optional lists": {"prevention": REMOVE, "related": REMOVE, "keywords": REMOVE},
    "empty optional lists": {"prevention": [], "keywords": []},
    "timer written as 30.0": {"steps": [{"text": "Hold.", "timer_seconds": 30.0}]},
    "cpr beat that opens a card": {
        "steps": [{"text": "Push hard.", "cpr_beat": True, "opens": "beta"}]
    },
    "countdown with its words": {
        "steps": [
            {"text": "Wait.", "timer_seconds": 300, "timer_label": "Wait", "timer_done": "Now"}
        ]
    },
    "unicode": {"title": "Судома литки", "summary": "Тягніть пальці ноги на себе."},
    "two sources": {
        "sources": [
            {"publisher": "NHS", "title": "Leg cramps", "url": "https://www.nhs.uk/"},
            {"publisher": "CDC", "title": "Heat", "url": "http://www.cdc.gov/heat"},
        ]
    },
}


@pytest.mark.parametrize("variant", sorted(GOOD_VARIANTS))
def test_good_cards_pass_both(variant: str, deck: DeckDir) -> None:
    path = deck.card("en", "alpha", **GOOD_VARIANTS[variant])
    result = load_deck(deck.root, today=TODAY)
    assert [p.format() for p in result.problems] == []
    assert schema_errors(path) == []


def test_the_bundled_deck_has_cards() -> None:
    assert len(bundled_card_files()) >= 2


@pytest.mark.parametrize("path", bundled_card_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bundled_cards_pass_both(path: Path) -> None:
    result = load_deck(bundled_cards_dir())
    assert [p.format() for p in result.errors if p.path == path] == []
    assert schema_errors(path) == []


# Not here: a date in quotes ("2026-01-10"). The checker rejects it (E003), but
# editors hand TOML dates to the schema as strings, so the schema cannot tell.
BROKEN: dict[str, dict[str, Any]] = {
    "unknown key": {"titel": "x"},
    "title not a string": {"title": Raw("5")},
    "summary missing": {"summary": REMOVE},
    "summary blank": {"summary": "  "},
    "id not a slug": {"id": "Alpha_1"},
    "id with a trailing newline": {"id": "alpha\n"},
    "bad urgency": {"urgency": "urgent"},
    "no sources": {"sources": []},
    "source without url": {"sources": [{"publisher": "NHS", "title": "T"}]},
    "ftp url": {"sources": [{"publisher": "NHS", "title": "T", "url": "ftp://x.org/"}]},
    "no call_emergency_if": {"call_emergency_if": REMOVE},
    "empty call_emergency_if": {"call_emergency_if": []},
    "empty do_not item": {"do_not": [""]},
    "keyword not a string": {"keywords": Raw("[1, 2]")},
    "no steps": {"steps": []},
    "step without text": {"steps": [{"timer_seconds": 30}]},
    "timer too short": {"steps": [{"text": "Hold.", "timer_seconds": 2}]},
    "timer a fraction": {"steps": [{"text": "Hold.", "timer_seconds": 30.5}]},
    "timer and stopwatch": {"steps": [{"text": "Hold.", "timer_seconds": 30, "stopwatch": True}]},
    "stopwatch a string": {"steps": [{"text": "Hold.", "stopwatch": "yes"}]},
    "cpr beat and stopwatch": {"steps": [{"text": "Push.", "cpr_beat": True, "stopwatch": True}]},
    "cpr beat and timer": {"steps": [{"text": "Push.", "cpr_beat": True, "timer_seconds": 30}]},
    "cpr beat a string": {"steps": [{"text": "Push.", "cpr_beat": "yes"}]},
    "opens not a slug": {"steps": [{"text": "Go.", "opens": "Not A Slug"}]},
    "bell in summary": {"summary": "Hold\u0007 on"},
    "newline in a step": {"steps": [{"text": "Hold\non."}]},
    "trailing newline in title": {"title": "Calf cramp\n"},
    "tab in do_not": {"do_not": ["Do not\tpress."]},
    "direction override": {"summary": "Hold \u202eno"},
    "date with a time": {"review_due": Raw("2027-06-01T10:00:00")},
    "related not a slug": {"related": ["Not A Slug"]},
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_cards_fail_both(case: str, deck: DeckDir) -> None:
    path = deck.card("en", "alpha", **BROKEN[case])
    result = load_deck(deck.root, today=TODAY)
    assert [p for p in result.errors if p.path == path], case
    assert schema_errors(path), case


def test_deck_schema_agrees_on_good_and_broken_metadata(deck: DeckDir) -> None:
    assert schema_errors(deck.root / "deck.toml", DECK_SCHEMA) == []
    for text in (
        'languages = ["en", "uk"]\nlanguage = "en"\n',
        'languages = "en"\n',
        'languages = ["en", "../uk"]\n',
        'languages = ["en", "uk", "en"]\n',
        'languages = ["en", "uk"]\norder = ["alpha", "alpha"]\n',
    ):
        path = deck.meta(text)
        assert load_deck(deck.root, today=TODAY).errors, text
        assert schema_errors(path, DECK_SCHEMA), text
