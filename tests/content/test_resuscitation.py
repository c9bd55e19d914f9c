"""Resuscitation first: the CPR card, and every card that can end in a collapse pointing to it.

Which cards can end with someone unresponsive and not breathing normally is decided
here, in one place (``CAN_END_IN_COLLAPSE``). Every emergency card must be sorted into
it or into ``CANNOT_END_IN_COLLAPSE`` with a reason, so a new emergency card cannot be
added without someone deciding whether it needs the CPR button.

The resuscitation card is checked for what a helper needs while pushing, in each
language's own words: the Ukrainian patterns are Ukrainian, not a translation of the
English test.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

pytestmark = pytest.mark.data

Cards = dict[tuple[str, str], dict[str, Any]]
LANGUAGES = ("en", "uk")
RESUSCITATION = "resuscitation"

# Cards whose scenario can end with the person unresponsive and not breathing normally:
# a fit that turns out to be (or ends in) a cardiac arrest, a drowning, heat stroke, a
# child after a febrile fit. Each needs a step that opens the resuscitation card.
CAN_END_IN_COLLAPSE = frozenset(
    {
        "seizure",
        "swimming-cramp",
        "heat-illness",
        "febrile-seizure",
        # Issue 13: each can end in a cardiac arrest (a blocked airway, blood loss, shock,
        # a heart attack, a severe asthma attack or hypo, a "faint" that is an arrest).
        "choking",
        "severe-bleeding",
        "anaphylaxis",
        "heart-attack",
        "asthma-attack",
        "low-blood-sugar",
        "fainting",
    }
)

# Emergency cards that cannot end in a collapse, each with the reason. Empty today: an
# emergency card belongs here only after a clinician has agreed.
CANNOT_END_IN_COLLAPSE: dict[str, str] = {}

# The step that carries the button says why the visitor should tap it.
NOT_BREATHING = {"en": r"not breathing", "uk": r"не дихає"}

# What the resuscitation card must say, in its steps (what a helper reads while pushing).
REQUIRED_ON_THE_CPR_CARD: dict[str, dict[str, str]] = {
    "en": {
        "check for a response": r"no response",
        "call emergency": r"call emergency",
        "phone on speaker": r"speaker",
        "agonal gasps are not breathing": r"gasp",
        "defibrillator (AED)": r"\bAED\b",
        "centre of the chest": r"centre of the chest",
        "hard and fast": r"hard and fast",
        "rate 100 to 120 a minute": r"\b100 to 120 a minute\b",
        "depth 5 to 6 cm": r"\b5 to 6 cm\b",
        "let the chest come back up": r"come back up",
        "30 pushes and 2 breaths": r"2 rescue breaths after every 30 pushes",
        "hands-only for the untrained": r"if not, keep pushing",
        "drowning and children: 5 rescue breaths first": (
            r"drowning or a child\b.*\b5 rescue breaths first"
        ),
        "follow the AED's voice": r"follow its voice",
        "do not stop until help takes over": r"until help takes over",
        "recovery position": r"recovery position",
    },
    "uk": {
        "check for a response": r"не реагує",
        "call emergency": r"викликайте швидку",
        "phone on speaker": r"гучний зв'язок",
        "agonal gasps are not breathing": r"хрипкі вдихи",
        "defibrillator (AED)": r"дефібрилятор \(АЗД\)",
        "centre of the chest": r"центр грудей",
        "hard and fast": r"сильно й швидко",
        "rate 100 to 120 a minute": r"\b100–120 разів за хвилину",
        "depth 5 to 6 cm": r"\b5–6 см\b",
        "let the chest come back up": r"грудям піднятися",
        "30 pushes and 2 breaths": r"після кожних 30 натискань зробіть 2 рятувальні вдихи",
        "hands-only for the untrained": r"тисніть без перерви",
        "drowning and children: 5 rescue breaths first": (
            r"утоплення чи дитина\b.*спершу зробіть 5 рятувальних вдихів"
        ),
        "follow the AED's voice": r"виконуйте його підказки",
        "do not stop until help takes over": r"доки вас не змінять медики",
        "recovery position": r"стабільне бокове положення",
    },
}

# The step with the CPR beat must carry the numbers the beat stands for.
ON_THE_BEAT_STEP = ("rate 100 to 120 a minute", "depth 5 to 6 cm", "hard and fast")


def missing_on_cpr_card(card: dict[str, Any], language: str) -> list[str]:
    """Names of the required elements the resuscitation card's steps do not carry."""
    steps = " | ".join(step["text"] for step in card.get("steps", []))
    return [
        name
        for name, pattern in REQUIRED_ON_THE_CPR_CARD[language].items()
        if not re.search(pattern, steps, re.IGNORECASE)
    ]


def beat_step_problems(card: dict[str, Any], language: str) -> list[str]:
    """What is wrong with the card's CPR beat: it needs exactly one, on the compressions step."""
    beats = [step for step in card.get("steps", []) if step.get("cpr_beat")]
    if len(beats) != 1:
        return [f"{len(beats)} steps carry cpr_beat, not 1"]
    patterns = REQUIRED_ON_THE_CPR_CARD[language]
    return [
        f"the beat step does not say {name}"
        for name in ON_THE_BEAT_STEP
        if not re.search(patterns[name], beats[0]["text"], re.IGNORECASE)
    ]


def collapse_link_problems(card: dict[str, Any], language: str) -> list[str]:
    """What is wrong with a collapse card's link to the resuscitation card."""
    linking = [s for s in card.get("steps", []) if s.get("opens") == RESUSCITATION]
    if not linking:
        return ["no step opens the resuscitation card"]
    return [
        f"the step that opens it does not say {NOT_BREATHING[language]!r}: {step['text']}"
        for step in linking
        if not re.search(NOT_BREATHING[language], step["text"], re.IGNORECASE)
    ]


def unsorted_emergency_cards(cards: Cards) -> set[str]:
    """Emergency cards nobody has yet decided can or cannot end in a collapse."""
    emergencies = {cid for (_, cid), card in cards.items() if card["urgency"] == "emergency"}
    return emergencies - {RESUSCITATION} - CAN_END_IN_COLLAPSE - set(CANNOT_END_IN_COLLAPSE)


def test_the_resuscitation_card_is_first_on_the_home_screen(meta: dict[str, Any]) -> None:
    assert meta["order"][0] == RESUSCITATION


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_resuscitation_card_exists_and_is_an_emergency(language: str, cards: Cards) -> None:
    card = cards.get((language, RESUSCITATION))
    assert card is not None, f"no {language}/{RESUSCITATION}.toml"
    assert card["urgency"] == "emergency"
    assert card["call_emergency_if"]


def test_every_emergency_card_is_sorted_into_collapse_or_not(cards: Cards) -> None:
    unsorted = unsorted_emergency_cards(cards)
    assert not unsorted, (
        f"emergency cards {sorted(unsorted)}: add each to CAN_END_IN_COLLAPSE (and give it a "
        "step with opens = 'resuscitation') or to CANNOT_END_IN_COLLAPSE with a reason"
    )
    assert not CAN_END_IN_COLLAPSE & set(CANNOT_END_IN_COLLAPSE)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("card_id", sorted(CAN_END_IN_COLLAPSE))
def test_a_card_that_can_end_in_a_collapse_opens_the_resuscitation_card(
    card_id: str, language: str, cards: Cards
) -> None:
    card = cards.get((language, card_id))
    if card is None:
        pytest.skip(f"{language}/{card_id} is not in this deck")
    assert collapse_link_problems(card, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_resuscitation_card_carries_everything_a_helper_needs(
    language: str, cards: Cards
) -> None:
    card = cards[(language, RESUSCITATION)]
    assert missing_on_cpr_card(card, language) == []
    assert beat_step_problems(card, language) == []
    assert len(card["steps"]) <= 8


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cpr_beat_is_only_on_the_resuscitation_card(language: str, cards: Cards) -> None:
    for (lang, card_id), card in cards.items():
        if lang == language and card_id != RESUSCITATION:
            assert not any(s.get("cpr_beat") for s in card["steps"]), card_id


# Broken examples: each check must be able to fail.


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("element", sorted(REQUIRED_ON_THE_CPR_CARD["en"]))
def test_a_cpr_card_without_an_element_is_caught(element: str, language: str, cards: Cards) -> None:
    broken = copy.deepcopy(cards[(language, RESUSCITATION)])
    pattern = REQUIRED_ON_THE_CPR_CARD[language][element]
    for step in broken["steps"]:
        step["text"] = re.sub(pattern, "", step["text"], flags=re.IGNORECASE)
    assert element in missing_on_cpr_card(broken, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_rate_or_a_missing_beat_is_caught(language: str, cards: Cards) -> None:
    card = cards[(language, RESUSCITATION)]
    slow = copy.deepcopy(card)
    for step in slow["steps"]:
        step["text"] = re.sub(r"100(\s*to\s*|–)120", "60", step["text"])
    assert "rate 100 to 120 a minute" in missing_on_cpr_card(slow, language)
    no_beat = copy.deepcopy(card)
    for step in no_beat["steps"]:
        step.pop("cpr_beat", None)
    assert beat_step_problems(no_beat, language) == ["0 steps carry cpr_beat, not 1"]
    wrong_step = copy.deepcopy(card)
    for step in wrong_step["steps"]:
        step["cpr_beat"] = step is wrong_step["steps"][0]
    assert beat_step_problems(wrong_step, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_collapse_card_without_the_button_is_caught(language: str, cards: Cards) -> None:
    card = copy.deepcopy(cards[(language, "seizure")])
    for step in card["steps"]:
        step.pop("opens", None)
    assert collapse_link_problems(card, language) == ["no step opens the resuscitation card"]
    card["steps"][0]["opens"] = RESUSCITATION  # the stopwatch step: wrong place for the button
    assert collapse_link_problems(card, language)


def test_an_unsorted_emergency_card_is_caught(cards: Cards) -> None:
    with_a_new_one = dict(cards)
    with_a_new_one[("en", "choking-example")] = {"urgency": "emergency"}
    assert unsorted_emergency_cards(with_a_new_one) == {"choking-example"}
