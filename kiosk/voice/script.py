"""Everything the kiosk can say, derived from the deck, the site and the interface text.

A :class:`SpeechKey` names one thing to say (a step of a card, an alarm, the CPR breath
cue) in one language; :func:`speech_items` lists every key of a deck with its text, most
urgent first, so pre-rendering does the seizure alarm before the night-cramps card.
The UI only ever builds keys (:meth:`SpeechKey.step`, :meth:`SpeechKey.alarm`, ...);
it never composes speech text itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.deck.model import Card, Deck, Urgency
from kiosk.strings import Strings

#: Alarms the UI can sound, by name. ``timer-done`` is the default end of a countdown;
#: a step with its own ``timer_done`` words has a key of its own (:meth:`SpeechKey.timer_done`).
ALARMS = ("seizure-5min", "idle-warning", "timer-done")


@dataclass(frozen=True)
class SpeechKey:
    """One thing to say in one language. Build with the class methods."""

    kind: str  # step | timer-done | section | alarm | cpr-breaths
    language: str
    card_id: str = ""
    step: int = 0  # 1-based, as the screen shows it
    name: str = ""  # an alarm's name, or a section's (call_emergency_if, do_not, ...)

    @classmethod
    def for_step(cls, card_id: str, step: int, language: str) -> SpeechKey:
        """Step ``step`` (1-based) of a card: said when the step appears."""
        return cls("step", language, card_id=card_id, step=step)

    @classmethod
    def timer_done(cls, card_id: str, step: int, language: str) -> SpeechKey:
        """The end of the countdown on that step (its ``timer_done`` words, or "Done")."""
        return cls("timer-done", language, card_id=card_id, step=step)

    @classmethod
    def section(cls, card_id: str, section: str, language: str) -> SpeechKey:
        """An information page of a card (``call_emergency_if``, ``do_not``, ...): its
        heading and items, said when the page appears."""
        return cls("section", language, card_id=card_id, name=section)

    @classmethod
    def alarm(cls, name: str, language: str) -> SpeechKey:
        """One of :data:`ALARMS`."""
        return cls("alarm", language, name=name)

    @classmethod
    def cpr_breaths(cls, language: str) -> SpeechKey:
        """The breath cue of the CPR tick track."""
        return cls("cpr-breaths", language)

    def __str__(self) -> str:
        parts = [self.kind, self.card_id, str(self.step) if self.step else "", self.name]
        return ":".join(p for p in parts if p) + f"@{self.language}"


@dataclass(frozen=True)
class SpeechItem:
    """A key with the text to say (as shown on screen; :func:`speech_text` comes later)."""

    key: SpeechKey
    text: str

    @property
    def language(self) -> str:
        return self.key.language


def resolve(deck: Deck, key: SpeechKey) -> SpeechKey:
    """The key of what the screen actually shows: a card missing in the visitor's language
    is shown (and so said) in the deck's default language."""
    if not key.card_id:
        return key
    card = deck.card(key.card_id, key.language)
    if card is None or card.language == key.language:
        return key
    return SpeechKey(key.kind, card.language, key.card_id, key.step, key.name)


def step_text(card: Card, number: int, strings: Strings) -> str:
    """What is said for step ``number`` (1-based): the title before the first step."""
    step = card.steps[number - 1]
    heading = strings.format("voice.step", n=number, total=len(card.steps))
    return f"{card.title}. {heading} {step.text}" if number == 1 else f"{heading} {step.text}"


#: The information pages that are said aloud (all of them; the end page with the related
#: cards and the sources is not). Same names as ``kiosk.session.INFO_SECTIONS``.
SPOKEN_SECTIONS = ("call_emergency_if", "do_not", "see_doctor_if", "prevention")


def section_items(card: Card, section: str) -> tuple[str, ...]:
    items: tuple[str, ...] = getattr(card, section, ())
    return items


def section_text(card: Card, section: str, strings: Strings) -> str:
    """The heading, then each item as a sentence: "Do not: Hold them down. ..."."""
    items = section_items(card, section)
    sentences = " ".join(item if item.rstrip()[-1:] in ".!?" else f"{item}." for item in items)
    return f"{strings[f'card.{section}']}: {sentences}"


def alarm_text(name: str, strings: Strings, site: object) -> str:
    if name == "timer-done":
        return strings["timer.done"]
    wording = getattr(site, "wording", None)
    label = wording("emergency_label", strings) if callable(wording) else "Emergency"
    number = str(getattr(site, "emergency_number", "112"))
    return strings.format(f"voice.alarm.{name}", label=label, number=number)


def card_items(card: Card, strings: Strings) -> list[SpeechItem]:
    items = []
    for number, step in enumerate(card.steps, start=1):
        key = SpeechKey.for_step(card.id, number, card.language)
        items.append(SpeechItem(key, step_text(card, number, strings)))
        if step.timer_seconds is not None:
            done = step.timer_done or strings["timer.done"]
            items.append(SpeechItem(SpeechKey.timer_done(card.id, number, card.language), done))
    for section in SPOKEN_SECTIONS:
        if section_items(card, section):
            key = SpeechKey.section(card.id, section, card.language)
            items.append(SpeechItem(key, section_text(card, section, strings)))
    return items


def language_items(language: str, site: object) -> list[SpeechItem]:
    """The alarms and the CPR breath cue in ``language``."""
    strings = Strings(language)
    items = [
        SpeechItem(SpeechKey.alarm(name, language), alarm_text(name, strings, site))
        for name in ALARMS
    ]
    items.append(SpeechItem(SpeechKey.cpr_breaths(language), strings["voice.cpr.breaths"]))
    return items


def speech_items(deck: Deck, site: object) -> list[SpeechItem]:
    """Every item of the deck in every language: alarms first, then emergency cards."""
    alarms: list[SpeechItem] = []
    urgent: list[SpeechItem] = []
    rest: list[SpeechItem] = []
    languages = [deck.default_language] + [
        lang for lang in deck.languages if lang != deck.default_language
    ]
    for language in languages:
        alarms.extend(language_items(language, site))
    for card_id in deck.card_ids():
        for language in languages:
            card = deck.cards.get(language, {}).get(card_id)
            if card is None:
                continue
            target = urgent if card.urgency is Urgency.EMERGENCY else rest
            target.extend(card_items(card, Strings(language)))
    return alarms + urgent + rest


def item_for(deck: Deck, site: object, key: SpeechKey) -> SpeechItem | None:
    """The item for one key (after :func:`resolve`), or None if the deck has no such thing."""
    key = resolve(deck, key)
    strings = Strings(key.language)
    if key.kind == "alarm":
        return SpeechItem(key, alarm_text(key.name, strings, site)) if key.name in ALARMS else None
    if key.kind == "cpr-breaths":
        return SpeechItem(key, strings["voice.cpr.breaths"])
    card = deck.cards.get(key.language, {}).get(key.card_id)
    if card is not None and key.kind == "section":
        if key.name in SPOKEN_SECTIONS and section_items(card, key.name):
            return SpeechItem(key, section_text(card, key.name, strings))
        return None
    if card is None or not 1 <= key.step <= len(card.steps):
        return None
    if key.kind == "step":
        return SpeechItem(key, step_text(card, key.step, strings))
    step = card.steps[key.step - 1]
    if key.kind == "timer-done" and step.timer_seconds is not None:
        return SpeechItem(key, step.timer_done or strings["timer.done"])
    return None
