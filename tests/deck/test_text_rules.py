"""Card text: every class of forbidden character is refused (E017), wherever it sits."""

from __future__ import annotations

import pytest
from deckhelpers import TODAY, DeckDir, Raw

from kiosk.deck import load_deck
from tests.support.text_rules import ALLOWED, FORBIDDEN, toml_escape

pytestmark = pytest.mark.data

CASES = [(name, ch) for name, chars in FORBIDDEN.items() for ch in chars]
IDS = [f"{name}-U+{ord(ch):04X}" for name, ch in CASES]


@pytest.mark.parametrize(("name", "character"), CASES, ids=IDS)
def test_forbidden_character_in_a_card_is_e017(deck: DeckDir, name: str, character: str) -> None:
    deck.card("en", "alpha", summary=Raw(f'"Stay {toml_escape(character)}calm"'))
    result = load_deck(deck.root, today=TODAY)
    problems = [p for p in result.problems if p.code == "E017"]
    assert len(problems) == 1, [p.format() for p in result.problems]
    assert f"U+{ord(character):04X}" in problems[0].message
    assert "alpha" not in result.deck.cards.get("en", {}), "a card with an error is left out"


@pytest.mark.parametrize(("name", "character"), CASES[:: max(1, len(CASES) // 6)])
def test_forbidden_character_in_a_step_is_e017(deck: DeckDir, name: str, character: str) -> None:
    step = Raw("{" + f'text = "Press {toml_escape(character)}here"' + "}")
    deck.card("en", "alpha", steps=Raw(f"[{step}]"))
    result = load_deck(deck.root, today=TODAY)
    assert "E017" in [p.code for p in result.problems]


def test_ordinary_non_ascii_text_is_fine(deck: DeckDir) -> None:
    deck.card("en", "alpha", summary=ALLOWED)
    result = load_deck(deck.root, today=TODAY)
    assert [p.format() for p in result.problems if p.code == "E017"] == []
