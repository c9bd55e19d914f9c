"""The fixes for the clinical review of 2026-12-01, pinned so that none silently comes undone.

Each entry names the review finding (``../shared/reviews/content-review.md``, recorded
card by card in ``docs/content-review.md``), where the fix lives, and a pattern per
language that the fixed card must (or, for a removed line, must not) contain. Each entry
also carries the text the card had before the fix, as its broken example: the pattern
must give the opposite answer on it. Fixes checked elsewhere are not repeated here
(L3 hold-until-it-eases: test_card_structure; U1, U2, U6 wording: test_forbidden;
X2 and the CPR links: test_resuscitation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

pytestmark = pytest.mark.data

Cards = dict[tuple[str, str], dict[str, Any]]


@dataclass(frozen=True)
class Fix:
    """One finding's fix: ``field`` of ``card`` matches ``pattern`` (or no longer does)."""

    finding: str
    card: str
    field: str  # a card key; "steps" is every step, "step1" the first
    en: str  # "" for a finding about one language only
    uk: str
    before_en: str = ""
    before_uk: str = ""
    present: bool = True


FIXES = (
    Fix(
        "S1",
        "seizure",
        "steps",
        r"once the jerking ends, watch their chest\. not breathing normally\?.*start CPR",
        r"перестане сіпатися, перевірте дихання\. не дихає нормально\?.*СЛР",
        "Check their breathing. Look for a medical ID or epilepsy card that says what to do.",
        "Перевірте дихання. Пошукайте медичний браслет чи картку людини з епілепсією.",
    ),
    Fix(
        "S2",
        "seizure",
        "step1",
        r"first fit, or you do not know them\? get someone to call emergency now",
        r"незнайома людина чи перший напад\? попросіть когось одразу викликати швидку",
        "Stay with them and start the stopwatch to time the seizure.",
        "Будьте поруч і запустіть секундомір, щоб засікти тривалість нападу.",
    ),
    Fix(
        "S2",
        "seizure",
        "summary",
        r"first fit: call emergency now",
        r"перший напад: одразу викликайте швидку",
        "Stay with them, keep them safe and time it. When the jerking stops, turn them onto "
        "their side.",
        "Будьте поруч, захистіть від травм і засічіть час. Коли судоми вщухнуть, поверніть "
        "людину на бік.",
    ),
    Fix(
        "S3",
        "seizure",
        "steps",
        r"fit in water\? support the head to keep the face clear of the water; once the jerking",
        r"у воді: підтримуйте голову, щоб обличчя було над водою\..*витягніть людину",
    ),
    Fix(
        "S3",
        "seizure",
        "call_emergency_if",
        r"in water, even if they seem to recover",
        r"у воді, навіть якщо вона наче отямилася",
        "They are injured, or the seizure happened in water",
        "Людина травмувалася, або напад стався у воді",
    ),
    Fix(
        "S4",
        "seizure",
        "do_not",
        r"on their back after the jerking has stopped",
        r"на спині, коли тіло перестало сіпатися",
        "Do not leave them lying on their back.",
        "Не залишайте людину лежати на спині.",
    ),
    Fix(
        "S5",
        "seizure",
        "steps",
        r"epilepsy card or care plan on them\? do what it says",
        r"план допомоги\? дійте за ним",
        "Look for a medical ID or epilepsy card that says what to do.",
        "Пошукайте медичний браслет чи картку людини з епілепсією.",
    ),
    Fix("S6", "seizure", "call_emergency_if", r"left side", r"лівий бік"),
    Fix(
        "W1",
        "swimming-cramp",
        "steps",
        r"brought out and not breathing normally\?.*5 rescue breaths, then CPR",
        r"витягли з води, а людина не дихає нормально\?.*5 рятувальних вдихів, далі СЛР",
    ),
    Fix(
        "W2",
        "swimming-cramp",
        "steps",
        r"fitting in the water\?.*face.*out when the jerking stops",
        r"судомний напад у воді\?.*обличчя над водою.*витягніть",
    ),
    Fix(
        "W3",
        "swimming-cramp",
        "steps",
        r"while floating, gently pull the toes",
        r"лежачи на воді, обережно потягніть пальці",
        "While floating, gently pull the toes of the cramped leg towards you.",
        "Лежачи на воді, обережно потягніть пальці зведеної ноги до себе.",
        present=False,
    ),
    Fix(
        "W4",
        "swimming-cramp",
        "call_emergency_if",
        r"cough on and on, are short of breath, confused or unusually sleepy",
        r"не перестає кашляти, задихається, сплутана чи дуже сонна",
    ),
    Fix("W4", "swimming-cramp", "steps", r"keep them warm", r"зігрійте"),
    Fix(
        "H1",
        "heat-illness",
        "steps",
        r"fitting, drowsy or no cold bath\? soak",
        r"судомний напад, сонливість чи немає ванни\? поливайте",
        "Cool heat stroke at once. If it is safe, put them in cold water up to the neck.",
        "Негайно охолоджуйте. Якщо це безпечно, занурте людину в холодну воду до шиї.",
    ),
    Fix(
        "H1",
        "heat-illness",
        "do_not",
        r"do not put someone who is fitting or very drowsy into water",
        r"не занурюйте у воду людину із судомним нападом чи дуже сонну",
    ),
    Fix(
        "H2",
        "heat-illness",
        "steps",
        r"keep cooling until they think clearly again, or start to shiver",
        r"охолоджуйте, доки людина не почне ясно мислити, не затремтить",
        "Keep cooling until help arrives.",
        "Охолоджуйте до приїзду швидкої.",
    ),
    Fix(
        "H3",
        "heat-illness",
        "do_not",
        r"after heat stroke until a doctor says it is safe",
        r"після теплового удару не повертайтеся до спорту.*доки лікар не дозволить",
        "Do not let them go back to hard work or sport for at least a few hours.",
        "Не дозволяйте людині щонайменше кілька годин повертатися до важкої роботи чи спорту.",
    ),
    Fix(
        "H4",
        "febrile-seizure",
        "do_not",
        r"hot car or sun\? see heat illness",
        r"перегрілася в авто чи на сонці\? див\. «перегрівання»",
        "Do not put the child in a bath or shower to cool them.",
        "Не кладіть дитину у ванну і не ставте під душ, щоб охолодити.",
    ),
    Fix(
        "H5",
        "heat-illness",
        "steps",
        r"wrapped ice packs",
        r"лід у тканині",
        "put ice packs on neck, armpits and groin.",
        "прикладіть лід до шиї, пахв і паху.",
    ),
    Fix(
        "F1",
        "febrile-seizure",
        "steps",
        r"not breathing normally\? call emergency, then start CPR",
        r"не дихає нормально\? викликайте швидку й починайте СЛР",
        "When the jerking stops, keep them on their side and check their breathing.",
        "Коли судоми вщухнуть, залиште дитину на боці й перевірте дихання.",
    ),
    Fix(
        "F2",
        "febrile-seizure",
        "call_emergency_if",
        r"an hour after the fit they are still very drowsy or confused",
        r"через годину після нападу дитина досі дуже сонна чи сплутана",
        "The child does not recover quickly, or has another fit",
        "Дитина довго не приходить до тями, або судоми повторюються",
    ),
    Fix(
        "F2",
        "febrile-seizure",
        "call_emergency_if",
        r"an arm or leg is weak, or their sight or speech is not right",
        r"рука чи нога ослабла, або дитина погано бачить чи не може говорити",
    ),
    Fix(
        "F3",
        "febrile-seizure",
        "steps",
        r"paracetamol or ibuprofen",
        r"парацетамол чи ібупрофен",
        "Once the child is fully awake, you may give fever medicine for comfort.",
        "Коли дитина повністю прокинеться, можна дати жарознижувальне для полегшення.",
    ),
    Fix("F3", "febrile-seizure", "do_not", r"do not give aspirin", r"не давайте аспірину"),
    Fix(
        "F4",
        "febrile-seizure",
        "steps",
        r"on the floor or in the middle of a bed",
        r"на підлогу чи посередині ліжка",
        "Lay the child on their side on a soft surface, such as a bed or carpet.",
        "Покладіть дитину на бік на м'яку поверхню, наприклад ліжко чи килим.",
    ),
    Fix(
        "L1",
        "leg-cramp",
        "call_emergency_if",
        r"chest pain, pressure or tightness is not a cramp",
        r"у грудях: це не судома",
    ),
    Fix(
        "L1",
        "leg-cramp",
        "see_doctor_if",
        r"cramps in the chest",
        r"судом\w* в грудях",
        "Urgently: cramps in the chest, arms or belly",
        "Терміново: судоми в грудях, руках чи животі",
        present=False,
    ),
    Fix("L2", "leg-cramp", "see_doctor_if", r"cola-like urine", r"сеча кольору коли"),
    Fix("Ft1", "foot-cramp", "do_not", r"hot-water bottle", r"грілк"),
    Fix(
        "Hd1",
        "hand-cramp",
        "steps",
        r"both hands curling, lips tingling, breathing fast\? sit down and breathe slowly",
        r"обидві кисті скручує, губи поколює, дихання часте\? сядьте й дихайте повільно",
    ),
    Fix("Hd1", "hand-cramp", "see_doctor_if", r"neck or thyroid", r"щитоподібній залозі"),
    Fix(
        "N1",
        "night-cramps",
        "see_doctor_if",
        r"do not stop it, ask your doctor",
        r"не кидайте їх, запитайте лікаря",
        "Cramps began after starting a new medicine, such as a statin or a water tablet",
        "Судоми почалися після нових ліків, наприклад статинів чи сечогінних",
    ),
    Fix(
        "P1",
        "pregnancy-cramps",
        "summary",
        r"belly pain or tightenings\? phone your maternity unit now",
        r"болить чи твердне живіт\? негайно телефонуйте в пологове",
        "Straighten the leg, bring the toes up gently, hold and rub. A red, swollen leg needs "
        "help today.",
        "Випряміть ногу, обережно підтягніть пальці, утримуйте й розітріть.",
    ),
    Fix(
        "P1",
        "pregnancy-cramps",
        "see_doctor_if",
        r"today, call your midwife",
        r"сьогодні ж зателефонуйте акушерці",
        "Today, call your midwife or maternity unit: the cramping is in your belly",
        "Сьогодні ж зателефонуйте акушерці чи в пологове відділення",
        present=False,
    ),
    Fix(
        "P2",
        "pregnancy-cramps",
        "see_doctor_if",
        r"now, phone your maternity unit: a severe headache, or blurred sight or flashing lights",
        r"негайно телефонуйте в пологове: сильний головний біль, розмитий зір чи спалахи",
    ),
    Fix(
        "P2",
        "pregnancy-cramps",
        "see_doctor_if",
        r"pain under the ribs, being sick, or face, hands or feet swelling up suddenly",
        r"біль під ребрами, блювання, раптовий набряк обличчя, рук чи ніг",
    ),
    Fix(
        "U3",
        "febrile-seizure",
        "label",
        "",
        r"^напад при гарячці$",
        "",
        "Судоми в дитини",
    ),
    Fix(
        "U4",
        "swimming-cramp",
        "call_emergency_if",
        "",
        r"рятувальників ДСНС",
        "",
        "на морі повідомте також рятувальну службу на воді",
    ),
    Fix(
        "U5",
        "pregnancy-cramps",
        "see_doctor_if",
        "",
        r"лікарю, який веде вагітність",
        "",
        "Сьогодні ж зателефонуйте акушерці чи в пологове відділення",
    ),
)


def texts(card: dict[str, Any], field: str) -> list[str]:
    if field == "steps":
        return [step["text"] for step in card["steps"]]
    if field == "step1":
        return [card["steps"][0]["text"]]
    value = card.get(field, [])
    return [value] if isinstance(value, str) else list(value)


def matches(pattern: str, lines: list[str]) -> bool:
    return any(re.search(pattern, line, re.IGNORECASE) for line in lines)


def fix_id(fix: Fix) -> str:
    return f"{fix.finding}-{fix.card}-{fix.field}"


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("fix", FIXES, ids=fix_id)
def test_the_fix_is_on_the_card(fix: Fix, language: str, cards: Cards) -> None:
    pattern = getattr(fix, language)
    if not pattern:
        pytest.skip(f"{fix.finding} is not about the {language} card")
    card = cards[(language, fix.card)]
    assert matches(pattern, texts(card, fix.field)) == fix.present, (
        f"{fix.finding} ({language}/{fix.card} {fix.field}): {pattern!r} "
        f"{'missing' if fix.present else 'is back'}"
    )


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("fix", FIXES, ids=fix_id)
def test_the_text_before_the_fix_fails(fix: Fix, language: str) -> None:
    pattern, before = getattr(fix, language), getattr(fix, f"before_{language}")
    if not pattern:
        pytest.skip(f"{fix.finding} is not about the {language} card")
    assert matches(pattern, [before]) != fix.present


def test_every_serious_finding_is_pinned_here_or_named_as_checked_elsewhere() -> None:
    """Every DANGEROUS, WRONG and MISSING finding has a pin (X2: test_resuscitation)."""
    serious = {"S1", "W1", "L1", "U1", "H2", "H3", "P1"}  # DANGEROUS and WRONG
    serious |= {"S2", "S3", "S5", "W2", "W4", "F1", "F3", "L2", "Ft1", "Hd1", "P2"}  # MISSING
    elsewhere = {"U1"}  # the fit/cramp wording: test_forbidden
    assert serious - elsewhere <= {fix.finding for fix in FIXES}
