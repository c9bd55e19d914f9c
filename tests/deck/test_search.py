"""Search as the visitor types: every word must match, case-insensitively, in deck order.

Apostrophes are ignored, and a word of 5 letters or more that is in no card is
matched with one slip (a letter added, dropped, changed, or two swapped).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from deckhelpers import good_card
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.deck.model import Card, Source, Step, Urgency
from kiosk.deck.search import APOSTROPHES, MIN_SLIP_LENGTH, SearchIndex

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
    assert ids(index.search("iter's cr")) == ["hand"]
    assert ids(index.search("r's cr")) == ids(index.search("rs cr")) == ["leg-cramp", "hand"]
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


def plain_fold(text: str) -> str:
    return "".join(char for char in text.casefold() if char not in APOSTROPHES)


def slips(a: str, b: str) -> int:
    """Edits (insert, delete, change, swap two neighbours) between a and b: plain dynamic
    programming (optimal string alignment), an oracle independent of the index's patterns."""
    rows = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(
                rows[i - 1][j] + 1,
                rows[i][j - 1] + 1,
                rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


def holds_with_one_slip(word: str, text: str) -> bool:
    """Some piece of one word of ``text`` is at most one slip from ``word``."""
    return any(
        slips(word, token[i:j]) <= 1
        for token in re.findall(r"\w+", text)
        for i in range(len(token))
        for j in range(i + 1, len(token) + 1)
    )


def naive(cards: list[Card], query: str) -> list[str]:
    texts = [
        plain_fold(
            " ".join(
                (card.title, card.label, card.scenario, card.summary, *card.keywords)
                + tuple(step.text for step in card.steps)
            )
        )
        for card in cards
    ]
    tests = []
    for word in plain_fold(query).split():
        misspelt = (
            re.fullmatch(r"\w+", word) is not None
            and len(word) >= MIN_SLIP_LENGTH
            and not any(word in text for text in texts)
        )
        if misspelt:
            tests.append(lambda text, word=word: holds_with_one_slip(word, text))
        else:
            tests.append(lambda text, word=word: word in text)
    return [card.id for card, text in zip(cards, texts) if all(test(text) for test in tests)]


alphabet = "abcdefgh ACE'’-"


@settings(max_examples=300, deadline=None)
@given(
    titles=st.lists(st.text(alphabet=alphabet, max_size=12), min_size=1, max_size=8),
    queries=st.lists(st.text(alphabet=alphabet, max_size=8), max_size=10),
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


@settings(max_examples=300, deadline=None)
@given(
    titles=st.lists(st.text(alphabet="abc '", max_size=14), min_size=1, max_size=6),
    queries=st.lists(st.text(alphabet="abc", min_size=5, max_size=8), max_size=8),
)
def test_slips_match_a_plain_scan_on_a_tiny_alphabet(titles: list[str], queries: list[str]) -> None:
    """Three letters make near misses common, so every kind of slip gets exercised."""
    cards = [
        replace(make_card(f"c{n}", title or "x"), label="", keywords=())
        for n, title in enumerate(titles)
    ]
    index = SearchIndex(cards)
    for query in queries:
        assert ids(index.search(query, limit=100)) == naive(cards, query)


def test_apostrophes_are_ignored_and_one_slip_is_forgiven_in_long_words() -> None:
    cards = [
        make_card("breath", "Not breathing", ("can't breathe",)),
        make_card("choke", "Choking", ("choking",)),
        make_card("uk", "Судома", ("м'яз", "п\u2019ять", "кропивʼянка")),
    ]
    index = SearchIndex(cards)
    assert ids(index.search("cant breath")) == ["breath"]
    assert ids(index.search("can\u2019t")) == ["breath"]
    assert ids(index.search("chokeing")) == ["choke"]  # a letter too many
    assert ids(index.search("chokng")) == ["choke"]  # a letter missing
    assert ids(index.search("chocking")) == ["choke"]  # the common misspelling
    assert ids(index.search("cohking")) == ["choke"]  # two letters swapped
    assert ids(index.search("мяз")) == ids(index.search("м\u02bcяз")) == ["uk"]
    assert ids(index.search("пять")) == ids(index.search("п'ять")) == ["uk"]
    assert ids(index.search("кропив'янка")) == ["uk"]
    assert ids(index.search("chok")) == ["choke"]
    assert ids(index.search("chkng")) == []  # two slips
    assert ids(index.search("zzxqj")) == []
    assert ids(index.search("hoki")) == ["choke"]  # a plain substring, not a slip


def test_short_words_and_words_found_exactly_are_not_taken_as_slips() -> None:
    index = SearchIndex(CARDS)
    assert ids(index.search("heet")) == []  # 4 letters: never a slip
    assert ids(index.search("cramp")) == ["leg-cramp", "foot-cramp", "hand"]
    assert ids(index.search("crampx")) == ["leg-cramp", "foot-cramp", "hand"]
    assert ids(index.search("sieze")) == []  # 5 letters, two slips from "seize"
    assert ids(index.search("seziure")) == ["seizure"]  # two letters swapped across the middle


@pytest.fixture(scope="module")
def bundled_indexes() -> dict[str, SearchIndex]:
    deck = load_deck(bundled_cards_dir()).deck
    return {language: SearchIndex(deck.cards_for(language)) for language in ("en", "uk")}


# What a frightened visitor types, and the card it must find (among the results).
EVERYDAY_WORDS = [
    ("en", "can't breathe", "choking"),
    ("en", "cant breath", "choking"),
    ("en", "can't breathe", "asthma-attack"),
    ("en", "cant breath", "asthma-attack"),
    ("en", "choking", "choking"),
    ("en", "chokeing", "choking"),
    ("en", "allergic", "anaphylaxis"),
    ("en", "allergy", "anaphylaxis"),
    ("en", "EpiPen", "anaphylaxis"),
    ("en", "epi pen", "anaphylaxis"),
    ("en", "hypo", "low-blood-sugar"),
    ("en", "sugar", "low-blood-sugar"),
    ("en", "passed out", "fainting"),
    ("en", "fainted", "fainting"),
    ("en", "blacked out", "fainting"),
    ("en", "bleeding", "severe-bleeding"),
    ("en", "blood", "severe-bleeding"),
    ("en", "heart", "heart-attack"),
    ("en", "chest pain", "heart-attack"),
    ("en", "inhaler", "asthma-attack"),
    ("en", "asthma", "asthma-attack"),
    ("uk", "задихається", "choking"),
    ("uk", "задихається", "asthma-attack"),
    ("uk", "подавився", "choking"),
    ("uk", "алергія", "anaphylaxis"),
    ("uk", "епіпен", "anaphylaxis"),
    ("uk", "кров", "severe-bleeding"),
    ("uk", "кровотеча", "severe-bleeding"),
    ("uk", "серце", "heart-attack"),
    ("uk", "біль у грудях", "heart-attack"),
    ("uk", "астма", "asthma-attack"),
    ("uk", "інгалятор", "asthma-attack"),
    ("uk", "цукор", "low-blood-sugar"),
    ("uk", "гіпо", "low-blood-sugar"),
    ("uk", "знепритомнів", "fainting"),
    ("uk", "непритомність", "fainting"),
    # Slips and other spellings.
    ("en", "chocking", "choking"),
    ("en", "anaphalaxis", "anaphylaxis"),
    ("en", "diabetic", "low-blood-sugar"),
    ("en", "asthama", "asthma-attack"),
    ("uk", "алергия", "anaphylaxis"),
    ("uk", "подавилась", "choking"),
    ("uk", "кровотечя", "severe-bleeding"),
]


@pytest.mark.parametrize(
    ("language", "query", "card_id"),
    EVERYDAY_WORDS,
    ids=[f"{lang}-{query}-{card}" for lang, query, card in EVERYDAY_WORDS],
)
def test_everyday_words_find_the_card_in_the_bundled_deck(
    language: str, query: str, card_id: str, bundled_indexes: dict[str, SearchIndex]
) -> None:
    assert card_id in ids(bundled_indexes[language].search(query))


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("query", ["zzxqj", "qwertyuiop", "блаблабла", "жжжжж"])
def test_a_nonsense_word_still_finds_nothing_in_the_bundled_deck(
    language: str, query: str, bundled_indexes: dict[str, SearchIndex]
) -> None:
    assert bundled_indexes[language].search(query) == []
