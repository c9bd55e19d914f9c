"""Length limits on every visible card text (red-team C2).

A 10,000-character title, or a step that is one 5,000-character word, passed ``kiosk
check`` and filled the card screen so that no step showed. Over its limit a text is a
warning (W016; W009 for the label); over twice its limit it is an error (E035) and the
card is left out, so ``kiosk check`` fails and the other cards still show.
"""

from __future__ import annotations

import pytest
from deckhelpers import TODAY, DeckDir

from kiosk.deck import load_deck
from kiosk.deck.checks import MAX_CHARS

pytestmark = [pytest.mark.data]


def codes(deck: DeckDir) -> list[tuple[str, str]]:
    result = load_deck(deck.root, today=TODAY)
    return [(p.code, p.message) for p in result.problems]


def test_a_10000_character_title_is_an_error_and_the_card_is_left_out(deck: DeckDir) -> None:
    deck.card("en", "alpha", title="Hand " + "H" * 10000)
    result = load_deck(deck.root, today=TODAY)
    assert [p.code for p in result.problems] == ["E035"]
    assert "title has 10005 characters" in result.problems[0].message
    assert "alpha" not in result.deck.cards["en"]
    assert "beta" in result.deck.cards["en"]


def test_one_5000_character_word_in_a_step_is_an_error(deck: DeckDir) -> None:
    """The word limit (W003) counts words, so one long word passed it."""
    deck.card("en", "alpha", steps=[{"text": "Hold " + "x" * 5000}])
    assert [code for code, _ in codes(deck)] == ["E035"]


@pytest.mark.parametrize(
    ("field", "kind", "code"),
    [("title", "title", "W016"), ("summary", "summary", "W016"), ("label", "label", "W009")],
)
def test_just_over_the_limit_is_a_warning_and_at_it_nothing(
    deck: DeckDir, field: str, kind: str, code: str
) -> None:
    limit = MAX_CHARS[kind]
    deck.card("en", "alpha", **{field: "A" + "b" * (limit - 1)})
    assert codes(deck) == []
    deck.card("en", "alpha", **{field: "A" + "b" * limit})
    assert codes(deck) == [(code, f"{field} has {limit + 1} characters; keep to {limit}")]
    deck.card("en", "alpha", **{field: "A" + "b" * (2 * limit)})
    assert [c for c, _ in codes(deck)] == ["E035"]


@pytest.mark.parametrize("key", ["call_emergency_if", "do_not", "see_doctor_if", "prevention"])
def test_list_items_have_a_limit_too(deck: DeckDir, key: str) -> None:
    deck.card("en", "alpha", **{key: ["Short and fine.", "Long " + "y" * 130]})
    assert codes(deck) == [("W016", f"{key} item 2 has 135 characters; keep to 120")]
    deck.card("en", "alpha", **{key: ["Short and fine.", "z" * 241]})
    assert [c for c, _ in codes(deck)] == ["E035"]


def test_step_text_limit(deck: DeckDir) -> None:
    deck.card("en", "alpha", steps=[{"text": "Sit down."}, {"text": "Rest " * 24 + "now."}])
    assert codes(deck) == [("W016", "step 2 text has 124 characters; keep to 120")]


def test_related_ids_are_not_measured_as_text(deck: DeckDir) -> None:
    deck.card("en", "alpha", related=["beta"])
    assert codes(deck) == []
