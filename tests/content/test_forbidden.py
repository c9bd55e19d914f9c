"""Dangerous instructions must never appear as a step.

The seed article behind this deck gives advice that harms people (a cloth
between the teeth of someone having a seizure, pins in a cramped muscle,
fever medicine for heat stroke...). The cards warn against these in their
``do_not`` lists, so the same words are allowed there. In the steps, the
words are forbidden even in a negated sentence: a frightened reader skims
steps as things to do, and the warnings belong in the do-not list.

Ukrainian has one more trap: the same word can name a fit and a muscle cramp.
The deck keeps them apart (see ``fit_cramp_confusions`` below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.data

SEIZURE_CARDS = frozenset({"seizure", "febrile-seizure"})
CHILD_CARDS = frozenset({"febrile-seizure"})
NEW_EMERGENCY_CARDS = frozenset(
    {
        "choking",
        "severe-bleeding",
        "anaphylaxis",
        "heart-attack",
        "asthma-attack",
        "low-blood-sugar",
        "fainting",
    }
)

# Food or drink (give + something to swallow) in the same step as a state in which
# swallowing is unsafe. A lookahead pair, so each regex is still one search.
_GIVE_EN = (
    r"\b(give|offer|pour|feed|squeeze|rub|let them (eat|drink))\w*\b[^.]*"
    r"\b(drinks?|juice|food|eat|sugar|sugary|glucose|gel|sweets?|water|tablets?|snack)\b"
)
_UNSAFE_EN = (
    r"\b(drowsy|unconscious|unresponsive|not responding|fitting|having a fit|passed out"
    r"|cannot swallow|can't swallow|unable to swallow|not awake)\b"
)
_GIVE_UK = (
    r"(дайте|давайте|дати|напоїть|нагодуйте|влийте|залийте|вкладіть|натріть)\w*[^.]*"
    r"(пит|напій|напою|сік|соку|їж|їст|цукор|цукру|глюкоз|гел|цукерк|вод|таблет|перекус)"
)
_UNSAFE_UK = (
    r"(сонн|не реагу|непритом|знепритом|судом|без свідомості|не може ковтати"
    r"|не може безпечно ковтати|не ковтає)"
)


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
            r"|(зупин)\w*\s+(судом|посмик|рух|напад|сіпан)|зв['’]яж|зв['’]яза",
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
    Rule(
        "aspirin for a child",
        {"en": r"\baspirin\b", "uk": r"аспірин"},
        CHILD_CARDS,
    ),
    Rule(
        "holding or pulling the tongue during a fit",
        {"en": r"\btongue\b", "uk": r"\bязик"},
        SEIZURE_CARDS,
    ),
    Rule(
        "feeling for a pulse before CPR",
        {"en": r"\bpulse\b", "uk": r"пульс"},
        frozenset({"resuscitation"}),
    ),
    Rule(
        "compressions without breaths after a drowning",
        {
            "en": r"\bhands[- ]only\b|\bwithout (rescue )?breaths\b|\bcompressions? only\b",
            "uk": r"без (рятувальних )?вдихів|лише натискан|тільки натискан",
        },
        frozenset({"swimming-cramp"}),
    ),
    Rule(
        "cold-water immersion for someone fitting or drowsy",
        {
            "en": r"\b(fitting|drowsy|unconscious|unresponsive)\b[^.]*"
            r"\b(in(to)? cold water|up to the neck|immers\w*)"
            r"|\b(in(to)? cold water|up to the neck|immers\w*)\b[^.]*"
            r"\b(fitting|drowsy|unconscious|unresponsive)\b",
            "uk": r"(судомн|сонн|непритомн)[^.]*(занур|(у|в) холодн\w* вод)"
            r"|(занур|(у|в) холодн\w* вод)[^.]*(судомн|сонн|непритомн)",
        },
        frozenset({"heat-illness"}),
    ),
    Rule(
        "blind finger sweep",
        {
            "en": r"\bfingers?\b[^.;?]{0,40}\b(mouth|throat)\b|\bsweep\w*"
            r"|\bhook\w*\s+(it\s+|the\s+\w+\s+)?out\b",
            "uk": r"пал[ье]ц\w*[^.;?]{0,40}(рот|роті|горл)|наосліп|вишкреб|виколуп",
        },
        frozenset({"choking"}),
    ),
    Rule(
        "abdominal thrusts on a baby",
        {
            "en": r"\b(baby|babies|infants?|under 1|under one)\b[^.]*\babdominal\b"
            r"|\babdominal\b[^.]*\b(baby|babies|infants?)\b",
            "uk": r"(немовл|до року)[^.]*(живіт|живот)|(живіт|живот)[^.]*(немовл|до року)",
        },
        frozenset({"choking"}),
    ),
    Rule(
        "food or drink for someone who cannot swallow safely",
        {
            "en": rf"^(?=.*{_GIVE_EN})(?=.*{_UNSAFE_EN})",
            "uk": rf"^(?=.*{_GIVE_UK})(?=.*{_UNSAFE_UK})",
        },
        NEW_EMERGENCY_CARDS,
    ),
    Rule(
        "removing an embedded object",
        {
            "en": r"\b(remove|extract|yank)\w*\b"
            r"|\b(pull|take|draw|get)\w*\s+(\w+\s+){0,3}out\b",
            "uk": r"вийм|вийн|витяг|висмик|видал|вирв|знім",
        },
        frozenset({"severe-bleeding"}),
    ),
    Rule(
        "aspirin for a child under 16",
        {
            "en": r"\baspirin\b[^.]*\b(child|children|kids?|bab(y|ies)|teen\w*|under[ -]16"
            r"|under sixteen)\b|\b(child|children|kids?|bab(y|ies)|teen\w*)\b[^.]*\baspirin\b",
            "uk": r"аспірин[^.]*(дитин|діт|немовл|підліт|до 16|менше 16|молодш\w* 16)"
            r"|(дитин|діт|немовл|підліт)[^.]*аспірин",
        },
        frozenset({"heart-attack"}),
    ),
    Rule(
        "standing or walking someone with anaphylaxis",
        {
            "en": r"\b(stand\w*|walk\w*)\b|\b(get|help)\w*\s+(them\s+)?up\b"
            r"|\b(in|on)(to)? a chair\b",
            "uk": r"вста[нвт]|підвод|підвед|ход[иі]|походи|пройд|прогуля|на стілець|у крісло",
        },
        frozenset({"anaphylaxis"}),
    ),
    Rule(
        "lying someone down in an asthma attack",
        {
            "en": r"\b(lie|lay|lying|laying)\b[^.]*\b(down|flat|back)\b",
            "uk": r"поклад|ляж|ляг|лежа",
        },
        frozenset({"asthma-attack"}),
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
    ("en", "aspirin for a child"): ("febrile-seizure", "Give the child half an aspirin."),
    ("en", "holding or pulling the tongue during a fit"): (
        "seizure",
        "Pull the tongue forward so they do not swallow it.",
    ),
    ("en", "feeling for a pulse before CPR"): ("resuscitation", "Feel for a pulse in the neck."),
    ("en", "compressions without breaths after a drowning"): (
        "swimming-cramp",
        "Out and not breathing? Give hands-only CPR.",
    ),
    ("en", "cold-water immersion for someone fitting or drowsy"): (
        "heat-illness",
        "Fitting? Put them in cold water up to the neck.",
    ),
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
    ("uk", "aspirin for a child"): ("febrile-seizure", "Дайте дитині пів таблетки аспірину."),
    ("uk", "holding or pulling the tongue during a fit"): (
        "seizure",
        "Витягніть язик, щоб людина його не проковтнула.",
    ),
    ("uk", "feeling for a pulse before CPR"): ("resuscitation", "Намацайте пульс на шиї."),
    ("uk", "compressions without breaths after a drowning"): (
        "swimming-cramp",
        "Не дихає? Тисніть на груди без вдихів.",
    ),
    ("uk", "cold-water immersion for someone fitting or drowsy"): (
        "heat-illness",
        "Судомний напад? Занурте людину в холодну воду до шиї.",
    ),
    ("en", "blind finger sweep"): ("choking", "Sweep a finger round their mouth to hook it out."),
    ("uk", "blind finger sweep"): ("choking", "Залізьте пальцем у рот і витягніть шматок."),
    ("en", "abdominal thrusts on a baby"): ("choking", "Baby under 1: give 5 abdominal thrusts."),
    ("uk", "abdominal thrusts on a baby"): ("choking", "Немовляті зробіть 5 поштовхів у живіт."),
    ("en", "food or drink for someone who cannot swallow safely"): (
        "low-blood-sugar",
        "Drowsy? Give them a sugary drink.",
    ),
    ("uk", "food or drink for someone who cannot swallow safely"): (
        "low-blood-sugar",
        "Людина сонна? Дайте їй солодкий напій.",
    ),
    ("en", "removing an embedded object"): ("severe-bleeding", "Pull the knife out of the wound."),
    ("uk", "removing an embedded object"): ("severe-bleeding", "Витягніть ніж із рани."),
    ("en", "aspirin for a child under 16"): ("heart-attack", "Give a child an aspirin to chew."),
    ("uk", "aspirin for a child under 16"): ("heart-attack", "Дайте дитині розжувати аспірин."),
    ("en", "standing or walking someone with anaphylaxis"): (
        "anaphylaxis",
        "Help them stand up and walk to the car.",
    ),
    ("uk", "standing or walking someone with anaphylaxis"): (
        "anaphylaxis",
        "Допоможіть людині встати й пройтися.",
    ),
    ("en", "lying someone down in an asthma attack"): ("asthma-attack", "Lay them down flat."),
    ("uk", "lying someone down in an asthma attack"): (
        "asthma-attack",
        "Покладіть людину на спину.",
    ),
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
        ("en", "low-blood-sugar", "Awake and able to swallow? Give a sugary drink."),
        ("en", "low-blood-sugar", "Drowsy or fitting? No food or drink. Call emergency."),
        ("uk", "low-blood-sugar", "Притомна й може ковтати? Дайте солодкий напій."),
        ("uk", "low-blood-sugar", "Людина сонна? Ні їжі, ні пиття. Викликайте швидку."),
        ("en", "severe-bleeding", "Something stuck in the wound? Leave it in."),
        ("en", "heart-attack", "Give one 300 mg aspirin to chew, if they are 16 or over."),
        ("en", "anaphylaxis", "Hard to breathe? Let them sit up, legs out."),
        ("uk", "anaphylaxis", "Важко дихати? Хай сяде, ноги витягне."),
    ],
    ids=[
        "en-float",
        "en-calf",
        "en-head",
        "uk-float",
        "uk-head",
        "en-sugar-awake",
        "en-hypo-drowsy",
        "uk-sugar-awake",
        "uk-hypo-drowsy",
        "en-embedded",
        "en-aspirin-adult",
        "en-sit-up",
        "uk-sit-up",
    ],
)
def test_safe_steps_are_not_flagged(language: str, card_id: str, text: str) -> None:
    assert forbidden_steps(make_card(card_id, [text], []), language) == []


# The warnings each card must carry, as regexes over its do_not lines.
REQUIRED_WARNINGS = {
    "en": {
        "resuscitation": [r"gasping", r"pulse", r"AED", r"swap", r"child or baby"],
        "seizure": [r"mouth", r"hold them down", r"back", r"rescue breaths", r"gasping"],
        "febrile-seizure": [
            r"mouth",
            r"hold the child down",
            r"bath or shower",
            r"alcohol",
            r"aspirin",
        ],
        "heat-illness": [
            r"paracetamol.*aspirin.*ibuprofen",
            r"drink.*(confused|vomiting)",
            r"fitting or very drowsy into water",
            r"after heat stroke",
        ],
        "swimming-cramp": [r"do not swim out", r"without breaths"],
        "leg-cramp": [r"pin", r"quinine", r"alcohol.*vinegar", r"celandine.*horseradish"],
        "foot-cramp": [r"pin", r"quinine", r"alcohol"],
        "hand-cramp": [r"pin", r"quinine", r"alcohol"],
        "night-cramps": [r"quinine", r"supplements", r"pin", r"alcohol"],
        "pregnancy-cramps": [r"quinine", r"supplements", r"pin", r"alcohol"],
        "choking": [r"finger blindly", r"never give abdominal thrusts to a baby"],
        "severe-bleeding": [r"pull out anything stuck", r"loosen or take off a tourniquet"],
        "anaphylaxis": [r"stand up or walk"],
        "heart-attack": [r"aspirin to anyone under 16.*allergic.*bleeding disorder.*doctor"],
        "asthma-attack": [r"lie them down"],
        "low-blood-sugar": [r"food or drink.*drowsy.*fitting.*unable to swallow", r"insulin"],
        "fainting": [r"food or drink until they are fully awake"],
    },
    "uk": {
        "resuscitation": [r"хрипкі вдихи", r"пульс", r"АЗД", r"міняйтеся", r"дитині чи немовляті"],
        "seizure": [r"рот", r"притискайте|утримуйте", r"спин", r"вдих", r"хрипкі вдихи"],
        "febrile-seizure": [
            r"рот",
            r"притискайте|утримуйте",
            r"ванн.*душ|душ.*ванн",
            r"спирт",
            r"аспірин",
        ],
        "heat-illness": [
            r"парацетамол.*аспірин.*ібупрофен",
            r"пити.*(сплутан|блю)",
            r"не занурюйте у воду",
            r"після теплового удару",
        ],
        "swimming-cramp": [r"не пливіть", r"без вдихів"],
        "leg-cramp": [r"шпильк|голк", r"хінін", r"спирт.*оц(е|т)", r"чистотіл.*хрін"],
        "foot-cramp": [r"шпильк|голк", r"хінін", r"спирт"],
        "hand-cramp": [r"шпильк|голк", r"хінін", r"спирт"],
        "night-cramps": [r"хінін", r"добавк", r"шпильк|голк", r"спирт"],
        "pregnancy-cramps": [r"хінін", r"добавк", r"шпильк|голк", r"спирт"],
        "choking": [r"пальцем у рот наосліп", r"ніколи не робіть немовляті.*поштовхів у живіт"],
        "severe-bleeding": [r"не виймайте з рани", r"не послаблюйте й не знімайте.*турнікет"],
        "anaphylaxis": [r"вставати чи ходити"],
        "heart-attack": [r"аспірин.*менше 16.*алергія.*зсідання крові.*лікар"],
        "asthma-attack": [r"не кладіть"],
        "low-blood-sugar": [r"їсти чи пити.*сонний.*судомний напад.*ковтати", r"інсулін"],
        "fainting": [r"не давайте їсти чи пити, доки"],
    },
}


def test_each_card_carries_its_required_warnings(card_path: Path, card: dict[str, Any]) -> None:
    language, card_id = card_path.parent.name, card_path.stem
    warnings = " | ".join(card["do_not"])
    for pattern in REQUIRED_WARNINGS[language][card_id]:
        assert re.search(pattern, warnings, re.IGNORECASE), f"no warning matching {pattern!r}"


def test_every_card_has_its_required_warnings_listed(
    cards: dict[tuple[str, str], dict[str, Any]],
) -> None:
    """A card missing from REQUIRED_WARNINGS would fail with a KeyError; say which instead."""
    missing = sorted(f"{lang}/{cid}" for lang, cid in cards if cid not in REQUIRED_WARNINGS[lang])
    assert not missing, f"add the warnings these cards must carry: {missing}"


# Ukrainian: a fit and a muscle cramp must never share a word. A fit is "судомний напад"
# ("напад" once the card has said so; the jerking is "сіпання"); a cramp is "судома" in the
# singular, with its muscle ("судома ноги", "м'язова судома"), or "звело". The plural and
# genitive forms "судоми", "судом", "судомам"... read first as convulsions but were used for
# cramps ("теплові судоми", "нічні судоми"), so no shown text uses them (review U1, U2).
# Keywords are search words, never shown: "судоми" stays there so a visitor who types it
# finds the fit cards (first on the home screen) and the cramp cards.
AMBIGUOUS_PLURAL = re.compile(r"\bсудом(и|ам|ами|ах)?\b", re.IGNORECASE)
CRAMP_WORD = re.compile(r"\bсудом(а|у|і|ою)\b", re.IGNORECASE)
FIT_WORD = re.compile(r"\bсудомн\w*", re.IGNORECASE)
ATTACK = re.compile(r"\bнапад\w*", re.IGNORECASE)
CRAMP_CARDS = frozenset(
    {"leg-cramp", "foot-cramp", "hand-cramp", "night-cramps", "pregnancy-cramps"}
)
SHOWN_TEXT = ("title", "label", "scenario", "summary")
SHOWN_LISTS = ("call_emergency_if", "do_not", "see_doctor_if", "prevention")


def shown_texts(card: dict[str, Any]) -> list[str]:
    texts = [card.get(key, "") for key in SHOWN_TEXT]
    texts += [step["text"] for step in card.get("steps", [])]
    return texts + [item for key in SHOWN_LISTS for item in card.get(key, [])]


def fit_cramp_confusions(card: dict[str, Any]) -> list[str]:
    """Where a Ukrainian card could make a fit read as a cramp, or a cramp as a fit."""
    card_id = card.get("id", "")
    found = []
    for text in shown_texts(card):
        if AMBIGUOUS_PLURAL.search(text):
            found.append(f"fit or cramp? {text}")
        if card_id in SEIZURE_CARDS and CRAMP_WORD.search(text):
            found.append(f"a cramp word on a fit card: {text}")
        if card_id in CRAMP_CARDS:
            for sentence in re.split(r"[.:?!;]", text):
                if ATTACK.search(sentence) and not FIT_WORD.search(sentence):
                    found.append(f"'напад' without 'судомний' on a cramp card: {text}")
    keywords = [k.lower() for k in card.get("keywords", [])]
    if card_id in CRAMP_CARDS:
        found += [f"a fit keyword on a cramp card: {k}" for k in keywords if FIT_WORD.search(k)]
    if card_id in SEIZURE_CARDS:
        found += [f"a cramp keyword on a fit card: {k}" for k in keywords if CRAMP_WORD.search(k)]
    return found


def test_ukrainian_never_uses_one_word_for_a_fit_and_a_cramp(
    card_path: Path, card: dict[str, Any]
) -> None:
    if card_path.parent.name == "uk":
        assert fit_cramp_confusions(card) == []


def test_english_fit_cards_never_call_the_fit_a_cramp(
    card_path: Path, card: dict[str, Any]
) -> None:
    if card_path.parent.name == "en" and card["id"] in SEIZURE_CARDS:
        assert [t for t in shown_texts(card) if re.search(r"\bcramp", t, re.IGNORECASE)] == []


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        (
            {"id": "heat-illness", "steps": [{"text": "Лише теплові судоми: відпочиньте."}]},
            "fit or cramp? Лише теплові судоми: відпочиньте.",
        ),
        ({"id": "night-cramps", "label": "Нічні судоми"}, "fit or cramp? Нічні судоми"),
        (
            {"id": "seizure", "steps": [{"text": "Коли судома мине, поверніть на бік."}]},
            "a cramp word on a fit card: Коли судома мине, поверніть на бік.",
        ),
        (
            {"id": "leg-cramp", "steps": [{"text": "Коли напад мине, походіть."}]},
            "'напад' without 'судомний' on a cramp card: Коли напад мине, походіть.",
        ),
        (
            {"id": "leg-cramp", "keywords": ["судомний напад"]},
            "a fit keyword on a cramp card: судомний напад",
        ),
        (
            {"id": "febrile-seizure", "keywords": ["судома"]},
            "a cramp keyword on a fit card: судома",
        ),
    ],
    ids=[
        "heat-cramps-plural",
        "night-label",
        "cramp-on-fit",
        "attack-on-cramp",
        "kw-fit",
        "kw-cramp",
    ],
)
def test_a_fit_cramp_confusion_is_caught(card: dict[str, Any], expected: str) -> None:
    assert fit_cramp_confusions(card) == [expected]


@pytest.mark.parametrize(
    "text",
    ["У жінки судомний напад: це не судома м'яза.", "Судома ноги", "Коли відпустить, походіть."],
)
def test_the_deck_s_own_wording_passes(text: str) -> None:
    assert fit_cramp_confusions({"id": "pregnancy-cramps", "summary": text}) == []
