"""The deck's data model: frozen dataclasses with no Textual import.

Everything the UI shows comes from these objects; they are built by
:mod:`kiosk.deck.loader` and never mutated afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from kiosk.core.problem import Problem, Severity, errors, warnings

__all__ = ["Card", "Deck", "LoadResult", "Problem", "Severity", "Source", "Step", "Urgency"]


class Urgency(str, Enum):
    """How urgent a scenario is; shown as a word as well as a colour."""

    SELF_CARE = "self-care"
    SEE_A_DOCTOR = "see-a-doctor"
    EMERGENCY = "emergency"


@dataclass(frozen=True)
class Step:
    """One instruction, with at most one tool on its page.

    The tools: ``timer_seconds`` a countdown (a stretch to hold, a wait before a second
    dose; ``timer_label`` and ``timer_done`` say what it counts when the default "hold"
    wording does not fit), ``stopwatch`` the seizure stopwatch, ``cpr_beat`` the CPR
    metronome. ``opens`` names a card that a button on this step opens at once (the
    resuscitation card from "not breathing?").
    """

    text: str
    timer_seconds: int | None = None
    stopwatch: bool = False
    cpr_beat: bool = False
    opens: str = ""
    timer_label: str = ""
    timer_done: str = ""


@dataclass(frozen=True)
class Source:
    publisher: str
    title: str
    url: str


@dataclass(frozen=True)
class Card:
    """One scenario in one language."""

    id: str
    language: str
    scenario: str
    title: str
    label: str
    summary: str
    urgency: Urgency
    steps: tuple[Step, ...]
    call_emergency_if: tuple[str, ...]
    do_not: tuple[str, ...]
    see_doctor_if: tuple[str, ...]
    prevention: tuple[str, ...]
    related: tuple[str, ...]
    keywords: tuple[str, ...]
    sources: tuple[Source, ...]
    reviewed: dt.date
    review_due: dt.date
    path: Path | None = None


@dataclass(frozen=True)
class Deck:
    """All cards that loaded, by language then id, and the home-screen order."""

    languages: tuple[str, ...]
    default_language: str
    order: tuple[str, ...]
    cards: Mapping[str, Mapping[str, Card]] = field(default_factory=dict)

    def card(self, card_id: str, language: str) -> Card | None:
        """The card in ``language``, falling back to the default language."""
        found = self.cards.get(language, {}).get(card_id)
        if found is None:
            found = self.cards.get(self.default_language, {}).get(card_id)
        return found

    def card_ids(self) -> tuple[str, ...]:
        """Every card id, in home-screen order first, then any others alphabetically."""
        known = {cid for by_id in self.cards.values() for cid in by_id}
        ordered = [cid for cid in self.order if cid in known]
        rest = sorted(known.difference(ordered))
        return tuple(ordered + rest)

    def cards_for(self, language: str) -> tuple[Card, ...]:
        """The cards to show in ``language``, in home-screen order, with fallback."""
        found = (self.card(cid, language) for cid in self.card_ids())
        return tuple(card for card in found if card is not None)

    @property
    def is_empty(self) -> bool:
        return not any(self.cards.values())


@dataclass(frozen=True)
class LoadResult:
    """What loading gives the app: the cards that loaded and every problem found."""

    deck: Deck
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return errors(self.problems)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return warnings(self.problems)
