"""What each of the other life-threatening emergencies (issue 13) must say, in both languages.

Every element is a set of regular expressions that must all match one text of the
card (a step, or one item of a list), so "5 back blows" and "baby" must sit in the
same instruction. Some elements also need that step's countdown or its button to the
resuscitation card. Each element is shown to fail on a card without it (the texts
that satisfy it removed) and on a hand-written wrong version of it, so no check here
can pass by accident. Ukrainian is checked with Ukrainian words.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import pytest

pytestmark = [pytest.mark.data]

Cards = dict[tuple[str, str], dict[str, Any]]
LANGUAGES = ("en", "uk")
RESUSCITATION = "resuscitation"


@dataclass(frozen=True)
class Element:
    """Something a card must say: all ``patterns`` of a language in one text of ``field``."""

    card: str
    name: str
    patterns: dict[str, tuple[str, ...]]
    field: str = "steps"
    timer_seconds: tuple[int, int] | None = None
    """The step must carry a countdown in this range (inclusive), with its own words."""
    opens: str = ""
    """The step must carry a button that opens this card."""
    within_first: int | None = None
    """The step must be one of the first N: the most important comes first."""

    def texts(self, card: dict[str, Any]) -> list[tuple[int, str, dict[str, Any]]]:
        """(index, text, step or {}) for every text this element may be found in."""
        if self.field == "steps":
            return [(i, step["text"], step) for i, step in enumerate(card.get("steps", []))]
        if self.field in ("title", "summary"):
            return [(0, card.get(self.field, ""), {})]
        return [(i, item, {}) for i, item in enumerate(card.get(self.field, []))]

    def satisfied_by(self, index: int, text: str, step: dict[str, Any], language: str) -> bool:
        if not all(re.search(p, text, re.IGNORECASE) for p in self.patterns[language]):
            return False
        if self.within_first is not None and index >= self.within_first:
            return False
        if self.opens and step.get("opens") != self.opens:
            return False
        if self.timer_seconds is not None:
            low, high = self.timer_seconds
            seconds = step.get("timer_seconds")
            if seconds is None or not low <= seconds <= high:
                return False
            if not (step.get("timer_label") and step.get("timer_done")):
                return False
        return True

    def found(self, card: dict[str, Any], language: str) -> bool:
        return any(self.satisfied_by(*entry, language) for entry in self.texts(card))


def els(card: str, *elements: tuple[Any, ...]) -> list[Element]:
    """Elements of one card from ``(name, en patterns, uk patterns, **options)`` tuples."""
    made = []
    for name, english, ukrainian, *options in elements:
        made.append(
            Element(card, name, {"en": english, "uk": ukrainian}, **(options[0] if options else {}))
        )
    return made


CPR = {"opens": RESUSCITATION}

ELEMENTS = [
    *els(
        "choking",
        ("let them cough first", (r"keep coughing",), (r"хай сильно кашляє",), {"within_first": 1}),
        (
            "up to 5 back blows between the shoulder blades",
            (r"\bup to 5\b", r"\bback blows\b", r"shoulder blades"),
            (r"\bдо 5\b", r"удар", r"лопатк"),
        ),
        (
            "up to 5 abdominal thrusts: fist above the belly button, in and up",
            (r"\bfist\b", r"belly button", r"\bin and up\b", r"\bup to 5\b"),
            (r"кулак", r"пупк", r"угору", r"\bдо 5\b"),
        ),
        (
            "call emergency and alternate 5 back blows with 5 abdominal thrusts",
            (r"call emergency", r"\b5 back blows and 5 abdominal thrusts\b"),
            (r"викликайте швидку", r"5 ударів по спині й 5 поштовхів у живіт"),
        ),
        (
            "baby under 1: up to 5 back blows face down along the forearm",
            (r"\bbaby under 1\b", r"face down", r"forearm", r"head low", r"\bup to 5 back blows\b"),
            (
                r"немовля до року",
                r"обличчям донизу",
                r"передпліч",
                r"голова нижче",
                r"до 5 ударів по спині",
            ),
        ),
        (
            "baby: up to 5 chest thrusts with two fingers",
            (r"\bbaby\b", r"face up", r"\bup to 5 chest thrusts\b", r"two fingers"),
            (r"немовля", r"на спинку", r"до 5 різких натискань", r"двома пальцями", r"груд"),
        ),
        (
            "baby: call emergency and alternate back blows with chest thrusts",
            (r"\bbaby\b", r"call emergency", r"\b5 back blows and 5 chest thrusts\b"),
            (r"немовля", r"викликайте швидку", r"5 ударів по спині й 5 натискань на груди"),
        ),
        (
            "stops responding or breathing: CPR",
            (r"stop responding, or are not breathing normally", r"\bCPR\b"),
            (r"перестала реагувати чи не дихає нормально", r"реанімаці"),
            CPR,
        ),
        (
            "call emergency when it has not cleared",
            (r"have not cleared",),
            (r"не допомогли",),
            {"field": "call_emergency_if"},
        ),
        (
            "never abdominal thrusts on a baby",
            (r"never give abdominal thrusts to a baby under 1",),
            (r"ніколи не робіть немовляті до року поштовхів у живіт",),
            {"field": "do_not"},
        ),
        (
            "no blind finger sweeps",
            (r"finger blindly",),
            (r"пальцем у рот наосліп",),
            {"field": "do_not"},
        ),
    ),
    *els(
        "severe-bleeding",
        (
            "call emergency first",
            (r"call emergency",),
            (r"викликайте швидку",),
            {"within_first": 1},
        ),
        (
            "firm direct pressure, without a break",
            (r"\bpress hard on the wound\b", r"keep pressing"),
            (r"сильно натисніть на рану", r"тисніть безперервно"),
            {"within_first": 2},
        ),
        (
            "soaked through: more cloth on top, press harder",
            (r"soaks through", r"more cloth on top", r"press harder"),
            (r"просочується", r"ще тканину", r"тисніть сильніше"),
        ),
        (
            "embedded object: leave it in, press around it",
            (r"stuck in the wound", r"leave it in", r"both sides of it"),
            (r"застряг предмет", r"залиште його", r"з обох боків"),
        ),
        (
            "tourniquet for an arm or leg that pressure does not stop, if you know how",
            (r"\barm or leg\b", r"despite pressure", r"tourniquet", r"know how"),
            (r"рука чи нога", r"попри натиск", r"турнікет", r"вмієте"),
        ),
        (
            "tourniquet above the wound, tight until it stops, note the time",
            (r"above the wound", r"not on a joint", r"until the bleeding stops", r"note the time"),
            (r"вище рани", r"не на суглоб", r"доки кров не зупиниться", r"запишіть час"),
        ),
        (
            "lying down and kept warm",
            (r"lie down", r"warm"),
            (r"лягти", r"щоб не мерзла"),
        ),
        (
            "collapses and stops breathing normally: CPR",
            (r"not breathing normally", r"\bCPR\b"),
            (r"не дихає нормально", r"реанімаці"),
            CPR,
        ),
        (
            "never pull out an embedded object",
            (r"do not pull out anything stuck in the wound",),
            (r"не виймайте з рани предмет",),
            {"field": "do_not"},
        ),
    ),
    *els(
        "heart-attack",
        (
            "call emergency at once",
            (r"call emergency now", r"heart attack"),
            (r"негайно викликайте швидку", r"серцевий напад"),
            {"within_first": 1},
        ),
        ("sit down and rest", (r"\bsit them\b", r"still and calm"), (r"посадіть", r"спокійно")),
        (
            "300 mg aspirin to chew: 16 or over, not allergic, or as the call handler says",
            (r"\b300 mg aspirin\b", r"\bchew", r"\b16 or over\b", r"not allergic", r"call handler"),
            (r"аспірин 300 мг", r"розжувати", r"\b16\b", r"немає алергії", r"диспетчер"),
        ),
        (
            "their own angina spray",
            (r"own angina spray", r"as prescribed"),
            (r"власний спрей", r"стенокарді", r"призначив лікар"),
        ),
        ("a defibrillator fetched", (r"defibrillator",), (r"дефібрилятор",)),
        (
            "collapses: CPR",
            (r"collapse", r"not breathing normally", r"\bCPR\b"),
            (r"знепритомніла", r"не дихає нормально", r"реанімаці"),
            CPR,
        ),
        (
            "when not to give aspirin",
            (r"aspirin", r"under 16", r"allergic", r"bleeding disorder", r"told by a doctor"),
            (r"аспірин", r"менше 16", r"алергія", r"зсідання крові", r"лікар заборонив"),
            {"field": "do_not"},
        ),
        (
            "chest pain with exercise is an emergency",
            (r"chest pain during or just after exercise",),
            (r"під час або одразу після фізичного навантаження",),
            {"field": "call_emergency_if"},
        ),
    ),
    *els(
        "anaphylaxis",
        (
            "adrenaline auto-injector into the outer thigh, through clothing, first",
            (r"adrenaline auto-injector", r"outer thigh", r"through clothing"),
            (r"адреналін", r"автоінжектор", r"зовнішній бік стегна", r"крізь одяг"),
            {"within_first": 1},
        ),
        (
            "how to use an EpiPen: blue to the sky, orange to the thigh, until it clicks",
            (r"blue cap", r"blue to the sky", r"orange tip to the thigh", r"clicks"),
            (
                r"синій ковпачок",
                r"синій — до неба",
                r"помаранчевий кінець — до стегна",
                r"клацання",
            ),
        ),
        (
            "kept in place for the time on the device",
            (r"for the time shown on the pen",),
            (r"стільки секунд, скільки вказано",),
        ),
        (
            "call emergency and say anaphylaxis",
            (r"call emergency", r"say 'anaphylaxis'"),
            (r"викликайте швидку", r"скажіть «анафілаксія»"),
        ),
        (
            "lie flat with legs raised; sit up if breathing is hard",
            (r"lie them flat", r"legs raised", r"hard to breathe", r"sit up"),
            (r"покладіть людину рівно", r"ноги підніміть", r"важко дихати", r"хай сяде"),
        ),
        (
            "a second dose after 5 minutes if no better, with a 5-minute countdown",
            (r"no better after 5 minutes", r"second auto-injector"),
            (r"за 5 хвилин не краще", r"другим автоінжектором"),
            {"timer_seconds": (300, 300)},
        ),
        (
            "stops breathing normally: CPR",
            (r"not breathing normally", r"\bCPR\b"),
            (r"не дихає нормально", r"реанімаці"),
            CPR,
        ),
        (
            "never stand up or walk",
            (r"do not let them stand up or walk",),
            (r"не дозволяйте людині вставати чи ходити",),
            {"field": "do_not"},
        ),
        (
            "call emergency after every injection",
            (r"always, after any adrenaline injection",),
            (r"завжди після уколу адреналіну",),
            {"field": "call_emergency_if"},
        ),
    ),
    *els(
        "asthma-attack",
        ("sit upright", (r"sit them upright",), (r"посадіть людину рівно",), {"within_first": 1}),
        (
            "the blue reliever, with a spacer if they have one",
            (r"reliever inhaler", r"usually blue", r"spacer"),
            (r"інгалятор", r"зазвичай синій", r"спейсер"),
        ),
        (
            "1 puff every 30 to 60 seconds, up to 10 puffs, with a countdown",
            (r"\b1 puff every 30 to 60 seconds\b", r"\bup to 10 puffs\b"),
            (r"1 вдих[^.]*кожні 30–60 секунд", r"до 10 вдихів"),
            {"timer_seconds": (30, 60)},
        ),
        (
            "no better after 10 puffs, or worse: call emergency",
            (r"no better after 10 puffs", r"call emergency"),
            (r"після 10 вдихів не краще", r"викликайте швидку"),
        ),
        (
            "help not there after 10 minutes: repeat the puffs",
            (r"after 10 minutes", r"repeat", r"up to 10 puffs"),
            (r"за 10 хвилин", r"повторіть", r"до 10 вдихів"),
        ),
        (
            "collapses: CPR",
            (r"collapse", r"breathing normally", r"\bCPR\b"),
            (r"знепритомніла", r"не дихає нормально", r"реанімаці"),
            CPR,
        ),
        (
            "too breathless to speak is an emergency",
            (r"too breathless to speak",),
            (r"не може говорити",),
            {"field": "call_emergency_if"},
        ),
        (
            "blue lips are an emergency",
            (r"lips", r"blue"),
            (r"губи", r"синіють"),
            {"field": "call_emergency_if"},
        ),
        (
            "exhaustion is an emergency",
            (r"exhausted",),
            (r"виснажена",),
            {"field": "call_emergency_if"},
        ),
    ),
    *els(
        "low-blood-sugar",
        (
            "drowsy or fitting: nothing by mouth, on their side, call emergency",
            (r"drowsy", r"fitting", r"no food or drink", r"call emergency", r"onto their side"),
            (r"сонна", r"судомний напад", r"ні їжі, ні пиття", r"викликайте швидку", r"на бік"),
            {"within_first": 1},
        ),
        (
            "not breathing normally: CPR",
            (r"not breathing normally", r"\bCPR\b"),
            (r"не дихає нормально", r"реанімаці"),
            CPR,
        ),
        (
            "fast sugar only if awake and able to swallow",
            (r"awake and able to swallow", r"fast sugar", r"non-diet", r"juice"),
            (r"притомна й може ковтати", r"швидкий цукор", r"не дієтичн", r"соку"),
        ),
        (
            "how much: 4 or 5 glucose tablets",
            (r"\b4 or 5 glucose tablets\b",),
            (r"4–5 таблеток глюкози",),
        ),
        (
            "check again after 10 to 15 minutes, repeat up to 3 times, with a countdown",
            (r"\b10 to 15 minutes\b", r"same sugar again", r"up to 3 times"),
            (r"10–15 хвилин", r"цукор ще раз", r"до 3 разів"),
            {"timer_seconds": (600, 600)},
        ),
        (
            "then a starchy snack",
            (r"starchy snack", r"sandwich"),
            (r"дайте поїсти", r"бутерброд"),
        ),
        (
            "no food or drink for someone who cannot swallow safely",
            (r"do not give food or drink", r"drowsy, fitting or unable to swallow safely"),
            (r"не давайте їсти чи пити", r"не може безпечно ковтати"),
            {"field": "do_not"},
        ),
        (
            "cannot swallow safely is an emergency",
            (r"cannot swallow safely",),
            (r"не може безпечно ковтати",),
            {"field": "call_emergency_if"},
        ),
    ),
    *els(
        "fainting",
        (
            "lie them on their back, legs raised",
            (r"on their back", r"raise their legs"),
            (r"на спину", r"ноги підніміть"),
            {"within_first": 1},
        ),
        (
            "pregnant: on the left side",
            (r"pregnant", r"left side"),
            (r"вагітну", r"лівий бік"),
        ),
        (
            "not breathing normally: CPR",
            (r"not breathing normally", r"\bCPR\b"),
            (r"не дихає нормально", r"реанімаці"),
            CPR,
        ),
        (
            "loosen tight clothing, fresh air",
            (r"loosen tight clothing", r"fresh air"),
            (r"послабте тісний одяг", r"свіжого повітря"),
        ),
        (
            "not awake within a minute: call emergency, recovery position",
            (r"not awake within a minute", r"call emergency", r"onto their side"),
            (r"не отямилася за хвилину", r"викликайте швидку", r"на бік"),
        ),
        (
            "no quick recovery is an emergency",
            (r"not awake within 1 minute",),
            (r"не отямилася за 1 хвилину",),
            {"field": "call_emergency_if"},
        ),
        (
            "chest pain or palpitations is an emergency",
            (r"chest pain", r"heartbeat"),
            (r"біль у грудях", r"серцебиття"),
            {"field": "call_emergency_if"},
        ),
        (
            "a faint during exercise is an emergency",
            (r"during exercise",),
            (r"під час фізичного навантаження",),
            {"field": "call_emergency_if"},
        ),
        (
            "an injury in the fall is an emergency",
            (r"hurt themselves badly in the fall",),
            (r"сильно травмувалася під час падіння",),
            {"field": "call_emergency_if"},
        ),
    ),
]
NEW_CARDS = sorted({element.card for element in ELEMENTS})


def element_id(value: Any) -> str:
    if isinstance(value, Element):
        return f"{value.card}:{value.name}".replace(" ", "-")
    return str(value)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("element", ELEMENTS, ids=element_id)
def test_each_emergency_card_says_what_its_scenario_needs(
    element: Element, language: str, cards: Cards
) -> None:
    assert element.found(cards[(language, element.card)], language), element.name


def without(card: dict[str, Any], element: Element, language: str) -> dict[str, Any]:
    """A copy of ``card`` with every text that satisfies ``element`` taken out."""
    broken = copy.deepcopy(card)
    keep = [
        entry[2] if element.field == "steps" else entry[1]
        for entry in element.texts(broken)
        if not element.satisfied_by(*entry, language)
    ]
    if element.field in ("title", "summary"):
        broken[element.field] = keep[0] if keep else ""
    else:
        broken[element.field] = keep
    return broken


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("element", ELEMENTS, ids=element_id)
def test_each_element_fails_on_a_card_that_leaves_it_out(
    element: Element, language: str, cards: Cards
) -> None:
    card = cards[(language, element.card)]
    assert not element.found(without(card, element, language), language)


def named(card: str, name: str) -> Element:
    (element,) = [e for e in ELEMENTS if e.card == card and e.name == name]
    return element


# Wrong versions of a required step: a number, a place or a tool changed.
WRONG_STEPS = [
    (
        "en",
        "choking",
        "up to 5 back blows between the shoulder blades",
        {"text": "Cannot cough? Give up to 10 back blows between the shoulder blades."},
    ),
    (
        "uk",
        "choking",
        "baby: up to 5 chest thrusts with two fingers",
        {"text": "Не вийшло? Переверніть немовля на спинку. До 5 поштовхів кулаком у живіт."},
    ),
    (
        "en",
        "anaphylaxis",
        "adrenaline auto-injector into the outer thigh, through clothing, first",
        {"text": "Use their adrenaline auto-injector now, into the upper arm, through clothing."},
    ),
    (
        "en",
        "anaphylaxis",
        "a second dose after 5 minutes if no better, with a 5-minute countdown",
        {
            "text": "No better after 5 minutes? Give a second auto-injector the same way.",
            "timer_seconds": 600,
            "timer_label": "Time since the first injection",
            "timer_done": "Give the second injection",
        },
    ),
    (
        "uk",
        "anaphylaxis",
        "a second dose after 5 minutes if no better, with a 5-minute countdown",
        {
            "text": "За 5 хвилин не краще чи гірше? Зробіть укол другим автоінжектором так само.",
            "timer_seconds": 300,
        },
    ),
    (
        "en",
        "asthma-attack",
        "1 puff every 30 to 60 seconds, up to 10 puffs, with a countdown",
        {
            "text": "Give 2 puffs every 2 minutes, up to 20 puffs.",
            "timer_seconds": 120,
            "timer_label": "Next puffs in",
            "timer_done": "Take the next puffs",
        },
    ),
    (
        "uk",
        "asthma-attack",
        "1 puff every 30 to 60 seconds, up to 10 puffs, with a countdown",
        {"text": "Робіть 1 вдих з інгалятора кожні 30–60 секунд, до 10 вдихів."},
    ),
    (
        "en",
        "low-blood-sugar",
        "check again after 10 to 15 minutes, repeat up to 3 times, with a countdown",
        {
            "text": "After 30 minutes still shaky? Give the same sugar again, up to 3 times.",
            "timer_seconds": 600,
            "timer_label": "Time since the sugar",
            "timer_done": "Check them",
        },
    ),
    (
        "uk",
        "low-blood-sugar",
        "fast sugar only if awake and able to swallow",
        {"text": "Дайте швидкий цукор: склянку солодкої газованки (не дієтичної) чи соку."},
    ),
    (
        "en",
        "heart-attack",
        "300 mg aspirin to chew: 16 or over, not allergic, or as the call handler says",
        {"text": "Give one 75 mg aspirin to chew, if 16 or over and not allergic."},
    ),
    (
        "uk",
        "heart-attack",
        "300 mg aspirin to chew: 16 or over, not allergic, or as the call handler says",
        {"text": "Дайте повільно розжувати аспірин 300 мг."},
    ),
    (
        "en",
        "severe-bleeding",
        "firm direct pressure, without a break",
        {"text": "Press hard on the wound for a minute, then look to see if it has stopped."},
    ),
    (
        "uk",
        "severe-bleeding",
        "embedded object: leave it in, press around it",
        {"text": "У рані застряг предмет? Сильно натисніть просто на нього."},
    ),
    (
        "en",
        "fainting",
        "lie them on their back, legs raised",
        {"text": "Sit them up with their head between their knees."},
    ),
    (
        "uk",
        "fainting",
        "lie them on their back, legs raised",
        {"text": "Посадіть людину й опустіть їй голову між колін."},
    ),
    (
        "en",
        "choking",
        "stops responding or breathing: CPR",
        {"text": "They stop responding, or are not breathing normally? Start CPR."},
    ),
]


@pytest.mark.parametrize(
    ("language", "card_id", "name", "wrong"),
    WRONG_STEPS,
    ids=[f"{lang}-{card}-{n}" for n, (lang, card, _, _) in enumerate(WRONG_STEPS)],
)
def test_each_element_fails_on_a_wrong_version_of_its_step(
    language: str, card_id: str, name: str, wrong: dict[str, Any], cards: Cards
) -> None:
    element = named(card_id, name)
    broken = without(cards[(language, card_id)], element, language)
    broken["steps"].append(wrong)
    assert not element.found(broken, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("card_id", NEW_CARDS)
def test_each_new_card_is_an_emergency_that_calls_and_can_open_cpr(
    card_id: str, language: str, cards: Cards
) -> None:
    card = cards[(language, card_id)]
    assert card["urgency"] == "emergency"
    call = {"en": r"call emergency", "uk": r"викликайте швидку"}[language]
    assert any(re.search(call, step["text"], re.IGNORECASE) for step in card["steps"])
    cpr_steps = [step for step in card["steps"] if step.get("opens") == RESUSCITATION]
    assert len(cpr_steps) == 1, "one step, and only one, opens the resuscitation card"


# "Судома" is the cramp word; a fit is "судомний напад" (never "судоми" on its own here).
CRAMP_WORD_FOR_A_FIT = re.compile(r"\bсудом(?!н)\w*", re.IGNORECASE)


def ukrainian_texts(card: dict[str, Any]) -> list[str]:
    texts = [card.get(key, "") for key in ("scenario", "title", "label", "summary")]
    texts += [step["text"] for step in card.get("steps", [])]
    for key in ("call_emergency_if", "do_not", "see_doctor_if", "prevention"):
        texts += card.get(key, [])
    return texts


@pytest.mark.parametrize("card_id", NEW_CARDS)
def test_ukrainian_calls_a_fit_sudomnyi_napad(card_id: str, cards: Cards) -> None:
    for text in ukrainian_texts(cards[("uk", card_id)]):
        assert not CRAMP_WORD_FOR_A_FIT.search(text), text


def test_the_fit_word_check_catches_the_cramp_word() -> None:
    assert CRAMP_WORD_FOR_A_FIT.search("Людина сонна або має судоми?")
    assert CRAMP_WORD_FOR_A_FIT.search("Судома чи непритомність")
    assert not CRAMP_WORD_FOR_A_FIT.search("Людина має судомний напад")
