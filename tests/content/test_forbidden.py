"""Dangerous instructions must never appear as a step.

The seed article behind this deck gives advice that harms people (a cloth
between the teeth of someone having a seizure, pins in a cramped muscle,
fever medicine for heat stroke...). The cards warn against these in their
``do_not`` lists, so the same words are allowed there. In the steps, the
words are forbidden even in a negated sentence: a frightened reader skims
steps as things to do, and the warnings belong in the do-not list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.data]

SEIZURE_CARDS = frozenset({"seizure", "febrile-seizure"})


@dataclass(frozen=True)
class Rule:
    """A forbidden instruction, as a regex per language, optionally limited to some cards."""

    name: str
    patterns: dict[str, str]
    only_cards: frozenset[str] | None = None

    def applies_to(self, card_id: str) -> bool:
        return self.only_cards is None or card_id in self.only_cards

    def search(self, text: str, language: str) -> bool:
        pattern = self.patterns.get(language)
        return bool(pattern and re.search(pattern, text, re.IGNORECASE))


RULES = (
    Rule(
        "something in the mouth",
        {
            "en": r"\b(put|place|insert|push|force|stick|wedge|jam)\w*\b[^.;]{0,40}"
            r"\b(in|into|between|inside)\b[^.;]{0,20}\b(mouth|teeth|jaws?)\b"
            r"|\b(spoon|cloth|handkerchief|hanky|wallet|stick|fingers?|object)\b[^.;]{0,30}"
            r"\b(mouth|teeth|jaws?)\b",
            "uk": r"(клад|став|засов|запха|просов|просун|вкла)\w*[^.;]{0,40}\b(в|у|між|до)\s"
            r"[^.;]{0,20}(рот|зуб|щелеп)"
            r"|(ложк|хустин|хустк|тканин|ганчір|пал[ье]ц|гаман|предмет)\w*[^.;]{0,30}"
            r"(рот|роті|зуб|щелеп)",
        },
    ),
    Rule(
        "restraining the person",
        {
            "en": r"\brestrain\w*|\b(hold|pin|press|keep)\w*\s+(\w+\s+){0,2}down\b"
            r"|\bhold\s+(their|his|her|the)\s+(arms|legs|limbs|body|head)\b"
            r"|\bstop\s+(the\s+)?(jerking|movements?|shaking|fit|seizure)\b",
            "uk": r"притиск|притисн|(утриму|трима|втриму)\w*\s+(його|її|людину|дитину|руки|ноги)"
            r"|(зупин)\w*\s+(судом|посмик|рух|напад)|зв'яз|зв’яз",
        },
    ),
    Rule(
        "lying on the back during a seizure",
        {
            "en": r"\b(lay|lie|put|place|roll|turn|keep|leave)\w*\b[^.;]{0,30}"
            r"\bon(to)?\s+(their|his|her|the)\s+back\b|\bhead in (your|the) lap\b",
            "uk": r"(поклад|клад|поверн|переверн|залиш|трима)\w*[^.;]{0,30}на\s+спин"
            r"|голов\w*\s+(собі\s+)?на\s+(колін|ваші)",
        },
        SEIZURE_CARDS,
    ),
    Rule(
        "pins or needles into the muscle",
        {
            "en": r"\b(pins?|needles?|prick\w*|pierc\w*|stab\w*)\b",
            "uk": r"шпильк|шпильок|голк|голок|булавк|проколю|проколі|проткн|колоти|вколі",
        },
    ),
    Rule(
        "alcohol or vinegar rub",
        {
            "en": r"\b(alcohol|vodka|spirits?|vinegar|cologne)\b",
            "uk": r"спирт|горілк|оцт|оцет|алкогол|одеколон",
        },
    ),
    Rule(
        "fever medicine for heat stroke or during a seizure",
        {
            "en": r"\b(paracetamol|acetaminophen|aspirin|ibuprofen|antipyretics?)\b"
            r"|\bfever\W+(medicine|reducer|reducing|tablets?)\b",
            "uk": r"парацетамол|ацетамінофен|аспірин|ібупрофен|жарознижув"
            r"|ліки?\s+від\s+(жару|температур)",
        },
        frozenset({"heat-illness", "seizure"}),
    ),
    Rule("quinine", {"en": r"\bquinine\b", "uk": r"хінін"}),
    Rule(
        "plant compresses",
        {
            "en": r"\b(celandine|horseradish|mustard)\b",
            "uk": r"чистотіл|\bхрін|\bхрон|гірчиц",
        },
    ),
    Rule(
        "bath or shower to cool a child with a fever",
        {"en": r"\b(bath|shower)\w*\b", "uk": r"ванн|\bдуш"},
        frozenset({"febrile-seizure"}),
    ),
    Rule(
        "helper going into the water",
        {
            "en": r"\b(jump|dive|wade)\w*\b|\b(go|get|swim)\s+in(to)?\b|\bswim\s+out\b"
            r"|\benter\s+the\s+water\b",
            "uk": r"стриб|пірна|(заход|зайд|увійд|ідіть|лізь|лізт)\w*\s+(у|в)\s+вод",
        },
        frozenset({"swimming-cramp"}),
    ),
    Rule(
        "sudden squat to break a cramp",
        {"en": r"\bsquat\w*\b", "uk": r"присід|присяд"},
    ),
)


def forbidden_steps(card: dict[str, Any], language: str) -> list[tuple[int, str]]:
    """(step number, rule name) for every step that gives a forbidden instruction.

    Only steps are checked: the same words in ``do_not`` are the warning itself.
    """
    found = []
    for number, step in enumerate(card.get("steps", []), start=1):
        for rule in RULES:
            if rule.applies_to(card.get("id", "")) and rule.search(step["text"], language):
                found.append((number, rule.name))
    return found


def test_no_card_step_gives_a_forbidden_instruction(card_path: Path, card: dict[str, Any]) -> None:
    assert forbidden_steps(card, card_path.parent.name) == []


# One bad step per rule and language: each regex must be able to fire.
BAD_STEPS = {
    ("en", "something in the mouth"): ("seizure", "Put a folded cloth between their teeth."),
    ("en", "restraining the person"): ("seizure", "Hold them down so they cannot get hurt."),
    ("en", "lying on the back during a seizure"): ("seizure", "Lay them on their back."),
    ("en", "pins or needles into the muscle"): ("leg-cramp", "Prick the calf with a pin."),
    ("en", "alcohol or vinegar rub"): ("febrile-seizure", "Rub the child with vodka."),
    ("en", "fever medicine for heat stroke or during a seizure"): (
        "heat-illness",
        "Give paracetamol to bring the fever down.",
    ),
    ("en", "quinine"): ("night-cramps", "Take a quinine tablet before bed."),
    ("en", "plant compresses"): ("leg-cramp", "Bandage a horseradish leaf on overnight."),
    ("en", "bath or shower to cool a child with a fever"): (
        "febrile-seizure",
        "Put the child in a lukewarm bath.",
    ),
    ("en", "helper going into the water"): ("swimming-cramp", "Jump in and swim out to them."),
    ("en", "sudden squat to break a cramp"): ("leg-cramp", "Squat down sharply."),
    ("uk", "something in the mouth"): ("seizure", "Вкладіть хустинку між зубами."),
    ("uk", "restraining the person"): ("seizure", "Притисніть людину до підлоги."),
    ("uk", "lying on the back during a seizure"): ("seizure", "Покладіть людину на спину."),
    ("uk", "pins or needles into the muscle"): ("leg-cramp", "Уколіть м'яз шпилькою."),
    ("uk", "alcohol or vinegar rub"): ("febrile-seizure", "Розітріть дитину оцтом."),
    ("uk", "fever medicine for heat stroke or during a seizure"): (
        "heat-illness",
        "Дайте парацетамол.",
    ),
    ("uk", "quinine"): ("night-cramps", "Прийміть хінін на ніч."),
    ("uk", "plant compresses"): ("leg-cramp", "Прикладіть лист хрону на ніч."),
    ("uk", "bath or shower to cool a child with a fever"): (
        "febrile-seizure",
        "Покладіть дитину у теплу ванну.",
    ),
    ("uk", "helper going into the water"): ("swimming-cramp", "Стрибайте у воду і пливіть."),
    ("uk", "sudden squat to break a cramp"): ("leg-cramp", "Різко присядьте."),
}


def make_card(card_id: str, steps: list[str], do_not: list[str]) -> dict[str, Any]:
    return {"id": card_id, "steps": [{"text": text} for text in steps], "do_not": do_not}


def test_every_rule_has_a_bad_example_in_every_language() -> None:
    assert set(BAD_STEPS) == {(lang, rule.name) for rule in RULES for lang in ("en", "uk")}


@pytest.mark.parametrize(
    ("language", "rule_name"), sorted(BAD_STEPS), ids=lambda v: v.replace(" ", "-")
)
def test_matcher_catches_a_bad_step_but_passes_it_as_a_do_not(
    language: str, rule_name: str
) -> None:
    card_id, bad = BAD_STEPS[(language, rule_name)]
    as_step = make_card(card_id, ["Stay with them.", bad], [])
    assert (2, rule_name) in forbidden_steps(as_step, language)
    as_warning = make_card(card_id, ["Stay with them."], [bad])
    assert forbidden_steps(as_warning, language) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Do not put anything in their mouth: no cloth, spoon or fingers."),
        ("uk", "Нічого не кладіть до рота: ні ложки, ні хустинки, ні пальців."),
    ],
    ids=["en", "uk"],
)
def test_a_negated_warning_is_still_kept_out_of_the_steps(language: str, text: str) -> None:
    assert forbidden_steps(make_card("seizure", [text], []), language)


@pytest.mark.parametrize(
    ("language", "card_id", "text"),
    [
        ("en", "swimming-cramp", "Lie back with your ears in the water, arms and legs spread."),
        ("en", "leg-cramp", "Calf: pull your toes towards your shin and hold."),
        ("en", "seizure", "Put something soft under their head."),
        ("uk", "swimming-cramp", "Ляжте на спину, вуха у воді, руки й ноги розведіть."),
        ("uk", "seizure", "Підкладіть під голову щось м'яке."),
    ],
    ids=["en-float", "en-calf", "en-head", "uk-float", "uk-head"],
)
def test_safe_steps_are_not_flagged(language: str, card_id: str, text: str) -> None:
    assert forbidden_steps(make_card(card_id, [text], []), language) == []


# The warnings each card must carry, as regexes over its do_not lines.
REQUIRED_WARNINGS = {
    "en": {
        "seizure": [r"mouth", r"hold them down", r"back", r"rescue breaths"],
        "febrile-seizure": [r"mouth", r"hold the child down", r"bath or shower", r"alcohol"],
        "heat-illness": [r"paracetamol.*aspirin.*ibuprofen", r"drink.*(confused|vomiting)"],
        "swimming-cramp": [r"do not go into the water"],
        "leg-cramp": [r"pin", r"quinine", r"alcohol.*vinegar", r"celandine.*horseradish"],
        "foot-cramp": [r"pin", r"quinine", r"alcohol"],
        "hand-cramp": [r"pin", r"quinine", r"alcohol"],
        "night-cramps": [r"quinine", r"supplements", r"pin", r"alcohol"],
        "pregnancy-cramps": [r"quinine", r"supplements", r"pin", r"alcohol"],
    },
    "uk": {
        "seizure": [r"рот", r"притискайте|утримуйте", r"спин", r"штучне дихання|вдих"],
        "febrile-seizure": [r"рот", r"притискайте|утримуйте", r"ванн.*душ|душ.*ванн", r"спирт"],
        "heat-illness": [r"парацетамол.*аспірин.*ібупрофен", r"пити.*(сплутан|блю)"],
        "swimming-cramp": [r"не заходьте у воду"],
        "leg-cramp": [r"шпильк|голк", r"хінін", r"спирт.*оц(е|т)", r"чистотіл.*хрін"],
        "foot-cramp": [r"шпильк|голк", r"хінін", r"спирт"],
        "hand-cramp": [r"шпильк|голк", r"хінін", r"спирт"],
        "night-cramps": [r"хінін", r"добавк", r"шпильк|голк", r"спирт"],
        "pregnancy-cramps": [r"хінін", r"добавк", r"шпильк|голк", r"спирт"],
    },
}


def test_each_card_carries_its_required_warnings(card_path: Path, card: dict[str, Any]) -> None:
    language, card_id = card_path.parent.name, card_path.stem
    warnings = " | ".join(card["do_not"])
    for pattern in REQUIRED_WARNINGS[language][card_id]:
        assert re.search(pattern, warnings, re.IGNORECASE), f"no warning matching {pattern!r}"
