"""Search as the visitor types: every word must match, case-insensitively, in deck order."""

from __future__ import annotations

from dataclasses import replace

import pytest
from deckhelpers import good_card
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.deck.model import Card, Source, Step, Urgency
from kiosk.deck.search import SearchIndex

pytestmark = [pytest.mark.data]


def make_card(card_id: str, title: str, keywords: tuple[str, ...] = (), step: str = "") -> Card:
    data = good_card(card_id)
    return Card(
        id=card_id,
        language="en",
        scenario="",
        title=title,
        label=title[:18],
        summary="",
        urgency=Urgency.SELF_CARE,
        steps=(Step(step or "Sit down."),),
        call_emergency_if=tuple(data["call_emergency_if"]),
        do_not=(),
        see_doctor_if=(),
        prevention=(),
        related=(),
        keywords=keywords,
        sources=(Source("NHS", "T", "https://x.org/"),),
        reviewed=data["reviewed"],
        review_due=data["review_due"],
    )


CARDS = [
    make_card("seizure", "Seizure (fit)", ("epilepsy", "convulsion")),
    make_card("leg-cramp", "Leg cramp", ("calf", "Charley horse"), "Hold the stretch."),
    make_card("foot-cramp", "Foot cramp", ("toes",), "Pull the toes back."),
    make_card("heat", "Heat illness", ("sun", "HEATSTROKE")),
    make_card("hand", "Writer's cramp", ("hand", "writing")),
]


def ids(cards: list[Card]) -> list[str]:
    return [card.id for card in cards]


def test_every_word_must_match_in_any_field_case_insensitively() -> None:
    index = SearchIndex(CARDS)
    assert ids(index.search("CRAMP")) == ["leg-cramp", "foot-cramp", "hand"]
    assert ids(index.search("writer's")) == ["hand"]
    assert ids(index.search("r's cr")) == ["hand"]
    assert ids(index.search("cramp toes")) == ["foot-cramp"]
    assert ids(index.search("heatstroke")) == ["heat"]
    assert ids(index.search("stretch")) == ["leg-cramp"]
    assert ids(index.search("cramp sun")) == []
    assert ids(index.search("horse-")) == []


def test_empty_query_gives_every_card_in_deck_order_and_limit_applies() -> None:
    index = SearchIndex(CARDS)
    assert ids(index.search("   ")) == ids(CARDS)
    assert ids(index.search("", limit=2)) == ["seizure", "leg-cramp"]


def test_typing_then_deleting_gives_the_same_answers_as_a_fresh_index() -> None:
    index = SearchIndex(CARDS)
    typed = "leg cramp"
    for end in range(1, len(typed) + 1):
        assert ids(index.search(typed[:end])) == ids(SearchIndex(CARDS).search(typed[:end]))
    for end in range(len(typed), -1, -1):
        assert ids(index.search(typed[:end])) == ids(SearchIndex(CARDS).search(typed[:end]))


def naive(cards: list[Card], query: str) -> list[str]:
    words = query.casefold().split()
    found = []
    for card in cards:
        text = " ".join(
            (card.title, card.label, card.scenario, card.summary, *card.keywords)
            + tuple(step.text for step in card.steps)
        ).casefold()
        if all(word in text for word in words):
            found.append(card.id)
    return found


alphabet = "abcdefgh ACE'-"


@settings(max_examples=200, deadline=None)
@given(
    titles=st.lists(st.text(alphabet=alphabet, max_size=12), min_size=1, max_size=8),
    queries=st.lists(st.text(alphabet=alphabet, max_size=6), max_size=10),
)
def test_any_sequence_of_queries_matches_a_plain_scan(
    titles: list[str], queries: list[str]
) -> None:
    cards = [
        replace(make_card(f"c{n}", title or "x"), label="", keywords=())
        for n, title in enumerate(titles)
    ]
    index = SearchIndex(cards)
    for query in queries:
        assert ids(index.search(query, limit=100)) == naive(cards, query)
