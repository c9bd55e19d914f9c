"""The deck as a whole: order, languages in step with each other, and the seizure timer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kiosk.deck import load_deck

pytestmark = pytest.mark.data

Cards = dict[tuple[str, str], dict[str, Any]]

EXPECTED_ORDER = [
    "resuscitation",
    "seizure",
    "swimming-cramp",
    "heat-illness",
    "febrile-seizure",
    # The other life-threatening emergencies, most time-critical first: a blocked airway
    # kills in minutes, then blood loss, then anaphylaxis (airway and circulation), then
    # a heart attack (call at once; the card mostly waits), asthma, a hypo, a faint.
    "choking",
    "severe-bleeding",
    "anaphylaxis",
    "heart-attack",
    "asthma-attack",
    "low-blood-sugar",
    "fainting",
    "leg-cramp",
    "foot-cramp",
    "hand-cramp",
    "night-cramps",
    "pregnancy-cramps",
]
NEW_EMERGENCY_CARDS = {
    "choking",
    "severe-bleeding",
    "anaphylaxis",
    "heart-attack",
    "asthma-attack",
    "low-blood-sugar",
    "fainting",
}
EMERGENCY_CARDS = {"resuscitation", "seizure", "swimming-cramp", "heat-illness", "febrile-seizure"}
EMERGENCY_CARDS |= NEW_EMERGENCY_CARDS
CYRILLIC = re.compile(r"[а-яіїєґ]", re.IGNORECASE)

# Words a frightened visitor would type, which must find the card from the search box.
REQUIRED_KEYWORDS = {
    "en": {
        "resuscitation": [
            "cpr",
            "not breathing",
            "unconscious",
            "defibrillator",
            "aed",
            "collapsed",
        ],
        "seizure": ["fit", "convulsion", "epilepsy"],
        "febrile-seizure": ["fit", "convulsion", "fever", "child"],
        "swimming-cramp": ["drowning", "cramp", "spasm", "charley horse"],
        "heat-illness": ["heat stroke", "heat exhaustion", "fit", "convulsion"],
        "leg-cramp": ["cramp", "charley horse", "spasm", "calf"],
        "foot-cramp": ["cramp", "charley horse", "spasm", "toe"],
        "hand-cramp": ["cramp", "spasm", "writer's cramp"],
        "night-cramps": ["cramp", "charley horse", "spasm", "night"],
        "pregnancy-cramps": ["cramp", "charley horse", "spasm", "pregnant"],
        "choking": ["choking", "choke", "can't breathe", "heimlich", "baby choking"],
        "severe-bleeding": ["bleeding", "blood", "bleed", "wound", "tourniquet"],
        "anaphylaxis": ["allergy", "allergic", "epipen", "adrenaline", "anaphylaxis"],
        "heart-attack": ["heart", "heart attack", "chest pain", "angina"],
        "asthma-attack": ["asthma", "inhaler", "wheezing", "can't breathe"],
        "low-blood-sugar": ["hypo", "sugar", "diabetes", "diabetic", "low blood sugar"],
        "fainting": ["fainted", "fainting", "passed out", "blacked out", "collapsed"],
    },
    "uk": {
        "resuscitation": ["не дихає", "реанімація", "слр", "дефібрилятор", "непритомний"],
        "seizure": ["судоми", "напад", "епілепсія", "конвульсії"],
        "febrile-seizure": ["судоми", "температура", "дитина"],
        "swimming-cramp": ["тоне", "судома", "басейн"],
        "heat-illness": ["тепловий удар", "сонячний удар", "судоми"],
        "leg-cramp": ["судома", "литка", "звело ногу"],
        "foot-cramp": ["судома", "стопа", "пальці"],
        "hand-cramp": ["судома", "рука", "писальний спазм"],
        "night-cramps": ["судома", "вночі"],
        "pregnancy-cramps": ["судома", "вагітність"],
        "choking": ["подавився", "задихається", "не може дихати", "застрягло в горлі"],
        "severe-bleeding": ["кров", "кровотеча", "рана", "турнікет", "джгут"],
        "anaphylaxis": ["алергія", "епіпен", "адреналін", "анафілаксія", "набряк"],
        "heart-attack": ["серце", "серцевий напад", "інфаркт", "біль у грудях"],
        "asthma-attack": ["астма", "інгалятор", "задихається", "задишка"],
        "low-blood-sugar": ["гіпо", "цукор", "діабет", "низький цукор"],
        "fainting": ["знепритомнів", "непритомність", "втратив свідомість", "зомлів"],
    },
}


def ids_in(cards: Cards, language: str) -> set[str]:
    return {card_id for lang, card_id in cards if lang == language}


def test_languages_match_the_folders(meta: dict[str, Any], cards_dir: Path) -> None:
    assert meta["languages"] == ["en", "uk"]
    assert meta["default_language"] == "en"
    folders = {p.name for p in cards_dir.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert folders == set(meta["languages"])


def test_home_order_puts_the_emergencies_first(meta: dict[str, Any], cards: Cards) -> None:
    assert meta["order"] == EXPECTED_ORDER
    assert ids_in(cards, "en") == set(EXPECTED_ORDER)
    urgent = [card_id for card_id in meta["order"] if card_id in EMERGENCY_CARDS]
    assert meta["order"][: len(urgent)] == urgent, "an emergency after a self-care card"


def test_every_language_has_every_card(meta: dict[str, Any], cards: Cards) -> None:
    for language in meta["languages"]:
        assert ids_in(cards, language) == set(meta["order"]), language


def test_related_ids_exist_and_are_not_the_card_itself(cards: Cards) -> None:
    known = {card_id for _, card_id in cards}
    for (language, card_id), card in cards.items():
        related = card.get("related", [])
        assert related, f"{language}/{card_id} has no related cards"
        assert set(related) <= known - {card_id}, f"{language}/{card_id}: {related}"


def test_urgency_of_the_emergency_cards(cards: Cards) -> None:
    for (language, card_id), card in cards.items():
        expected = "emergency" if card_id in EMERGENCY_CARDS else card["urgency"]
        assert card["urgency"] == expected, f"{language}/{card_id}"


def step_shape(card: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Each step's tools and button: what must be the same in every language."""
    return [
        (
            s.get("timer_seconds"),
            bool(s.get("stopwatch", False)),
            bool(s.get("cpr_beat", False)),
            s.get("opens", ""),
            bool(s.get("timer_label")),
            bool(s.get("timer_done")),
        )
        for s in card["steps"]
    ]


@pytest.mark.parametrize("card_id", EXPECTED_ORDER)
def test_translations_have_the_same_steps_timers_and_settings(card_id: str, cards: Cards) -> None:
    english, ukrainian = cards[("en", card_id)], cards[("uk", card_id)]
    assert step_shape(ukrainian) == step_shape(english)
    assert ukrainian["urgency"] == english["urgency"]
    assert ukrainian["related"] == english["related"]
    assert ukrainian["reviewed"] == english["reviewed"]
    assert ukrainian["review_due"] == english["review_due"]
    assert [s["url"] for s in ukrainian["sources"]] == [s["url"] for s in english["sources"]]
    for key in ("call_emergency_if", "do_not", "see_doctor_if", "prevention"):
        assert len(ukrainian.get(key, [])) == len(english.get(key, [])), key


@pytest.mark.parametrize("card_id", EXPECTED_ORDER)
def test_ukrainian_cards_are_written_in_ukrainian(card_id: str, cards: Cards) -> None:
    english, ukrainian = cards[("en", card_id)], cards[("uk", card_id)]
    texts = [ukrainian[k] for k in ("scenario", "title", "label", "summary")]
    texts += [s["text"] for s in ukrainian["steps"]]
    texts += [
        s[key] for s in ukrainian["steps"] for key in ("timer_label", "timer_done") if key in s
    ]
    texts += ukrainian["call_emergency_if"] + ukrainian["do_not"] + ukrainian["see_doctor_if"]
    texts += ukrainian.get("prevention", [])
    for text in texts:
        assert CYRILLIC.search(text), text
    assert not set(texts) & set(s["text"] for s in english["steps"])


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("card_id", EXPECTED_ORDER)
def test_keywords_cover_what_a_frightened_visitor_types(
    language: str, card_id: str, cards: Cards
) -> None:
    keywords = [k.lower() for k in cards[(language, card_id)]["keywords"]]
    assert len(keywords) == len(set(keywords)), "duplicate keywords"
    for word in REQUIRED_KEYWORDS[language][card_id]:
        assert word in keywords, word


@pytest.mark.parametrize(
    ("language", "stopwatch_word", "five_minutes"),
    [("en", "stopwatch", "5 minutes"), ("uk", "секундомір", "5 хвилин")],
    ids=["en", "uk"],
)
def test_seizure_card_times_the_seizure(
    language: str, stopwatch_word: str, five_minutes: str, cards: Cards
) -> None:
    card = cards[(language, "seizure")]
    flagged = [i for i, s in enumerate(card["steps"]) if s.get("stopwatch")]
    assert len(flagged) == 1, "exactly one stopwatch step"
    assert flagged[0] <= 1, "the stopwatch step comes first or second"
    assert stopwatch_word in card["steps"][flagged[0]]["text"].lower()
    assert any(five_minutes in line for line in card["call_emergency_if"])


@pytest.mark.parametrize(
    ("language", "five_minutes"), [("en", "5 minutes"), ("uk", "5 хвилин")], ids=["en", "uk"]
)
def test_febrile_seizure_card_calls_after_five_minutes(
    language: str, five_minutes: str, cards: Cards
) -> None:
    card = cards[(language, "febrile-seizure")]
    assert any(five_minutes in line for line in card["call_emergency_if"])
    assert sum(bool(s.get("stopwatch")) for s in card["steps"]) <= 1


@pytest.mark.parametrize(
    ("language", "medicine", "awake", "no_prevention"),
    [
        ("en", r"fever medicine|paracetamol|ibuprofen", r"fully awake", r"not prevent"),
        ("uk", r"жарознижувальн|парацетамол|ібупрофен", r"повністю прокин", r"не запобіга"),
    ],
    ids=["en", "uk"],
)
def test_fever_medicine_after_a_febrile_seizure_is_only_for_comfort_once_awake(
    language: str, medicine: str, awake: str, no_prevention: str, cards: Cards
) -> None:
    steps = [s["text"] for s in cards[(language, "febrile-seizure")]["steps"]]
    mentions = [text for text in steps if re.search(medicine, text, re.IGNORECASE)]
    assert mentions
    for text in mentions:
        assert re.search(awake, text, re.IGNORECASE), text
        assert re.search(no_prevention, text, re.IGNORECASE), text


def test_heat_illness_gives_drinks_only_to_the_fully_alert(cards: Cards) -> None:
    drink = {"en": r"\b(give|offer)\b.*\b(drink|water)\b", "uk": r"дайте.*(пити|вод|напій)"}
    alert = {"en": r"fully alert.*not vomiting", "uk": r"повністю притомн.*не блює"}
    for language in ("en", "uk"):
        for step in cards[(language, "heat-illness")]["steps"]:
            if re.search(drink[language], step["text"], re.IGNORECASE):
                assert re.search(alert[language], step["text"], re.IGNORECASE), step["text"]


def test_the_deck_loads_without_errors_through_the_public_loader(cards_dir: Path) -> None:
    result = load_deck(cards_dir)
    assert result.errors == (), [p.format() for p in result.errors]
    for language in ("en", "uk"):
        assert {c.id for c in result.deck.cards_for(language)} == set(EXPECTED_ORDER)
        assert all(c.language == language for c in result.deck.cards_for(language))
