"""The visitor session: everything one visitor can change, driven by the injected clock.

No Textual here. :class:`Session` holds the language, text size and theme, the open
card and page and that card's timed tools (:class:`kiosk.tools.CardTools`), when the
visitor last touched the screen (the idle reset), and the staff knocks (F12 three
times, or five taps on the site name). The app (:mod:`kiosk.app`) calls its methods
from key bindings and button actions and mirrors the result in its reactives, which
the screens watch.

:meth:`Session.reset` is the idle reset: home, the site's defaults, every tool dropped.
Anything added for one visitor (a record "for the ambulance" of when a stopwatch
started and which steps were reached) belongs here and is cleared there.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, NamedTuple

from kiosk.core.choices import TEXT_SIZES, THEMES
from kiosk.deck.model import Card, Deck
from kiosk.site import Site
from kiosk.tools import CardTools

Clock = Callable[[], float]
"""Seconds from an arbitrary start (``time.monotonic``, or a test's fake clock)."""

#: Staff access: this many presses of the staff key within the window...
STAFF_KEY_PRESSES, STAFF_KEY_WINDOW = 3, 3.0
#: ...or this many taps on the site name within the window.
STAFF_TAPS, STAFF_TAP_WINDOW = 5, 5.0
#: The PIN prompt gives up after this long without input; a wrong PIN shows this long.
PIN_TIMEOUT_SECONDS, WRONG_PIN_SECONDS = 30.0, 1.0

#: More unexpected errors than this within ERROR_WINDOW seconds: out of service.
ERROR_LIMIT, ERROR_WINDOW = 5, 30.0


class Page(NamedTuple):
    """One page of a card: a step (``step``) or an information section (``section``)."""

    kind: str  # "step" | "info" | "end"
    step: int = 0
    section: str = ""


INFO_SECTIONS = ("call_emergency_if", "do_not", "see_doctor_if", "prevention")


def card_pages(card: Card) -> tuple[Page, ...]:
    """The pages of a card in the order the visitor meets them."""
    pages = [Page("step", i) for i in range(len(card.steps))]
    pages += [Page("info", section=s) for s in INFO_SECTIONS if getattr(card, s)]
    pages.append(Page("end"))
    return tuple(pages)


@dataclass(frozen=True)
class CardPlace:
    """Where the visitor is: a card in a language, and a page of it (the app's reactive)."""

    card_id: str
    language: str
    page: int


class Knocks:
    """``count`` signals within ``window`` seconds open staff access."""

    def __init__(self, count: int, window: float, clock: Clock) -> None:
        self.window = window
        self._clock = clock
        self._times: deque[float] = deque(maxlen=count)

    def knock(self) -> bool:
        """One signal; True when it completes the sequence (which then starts again)."""
        now = self._clock()
        self._times.append(now)
        if len(self._times) == self._times.maxlen and now - self._times[0] <= self.window:
            self._times.clear()
            return True
        return False


class ErrorWindow:
    """Counts unexpected errors: too many close together means the kiosk is out of service."""

    def __init__(self, clock: Clock, limit: int = ERROR_LIMIT, window: float = ERROR_WINDOW):
        self.window = window
        self._clock = clock
        self._times: deque[float] = deque(maxlen=limit)

    def too_many(self) -> bool:
        """Note one error; True if ``limit`` of them came within ``window`` seconds."""
        now = self._clock()
        self._times.append(now)
        return len(self._times) == self._times.maxlen and now - self._times[0] < self.window


class Session:
    """One visitor's state. Every method reads time from ``clock``."""

    def __init__(self, deck: Deck, site: Site, clock: Clock) -> None:
        self.deck = deck
        self.site = site
        self.clock = clock
        self.language = self.default_language
        self.text_size = self.default_text_size
        self.theme = self.default_theme
        self.read_aloud = self.default_read_aloud
        self.card: Card | None = None
        self.pages: tuple[Page, ...] = ()
        self.page_index = 0
        self.tools = CardTools()
        self.read_aloud = self.default_read_aloud
        self.last_input = clock()
        self.staff_keys = Knocks(STAFF_KEY_PRESSES, STAFF_KEY_WINDOW, clock)
        self.site_name_taps = Knocks(STAFF_TAPS, STAFF_TAP_WINDOW, clock)

    # -- defaults ---------------------------------------------------------------------

    @property
    def languages(self) -> tuple[str, ...]:
        return self.deck.languages or (self.site.default_language,)

    @property
    def default_language(self) -> str:
        if self.site.default_language in self.languages:
            return self.site.default_language
        return self.deck.default_language or self.languages[0]

    @property
    def default_text_size(self) -> str:
        return self.site.text_size if self.site.text_size in TEXT_SIZES else TEXT_SIZES[0]

    @property
    def default_theme(self) -> str:
        return self.site.theme if self.site.theme in THEMES else THEMES[0]

    @property
    def default_read_aloud(self) -> bool:
        """Read aloud for each new visitor: on where the site's ``voice`` is ``on`` (the
        same rule as ``VoiceService.read_aloud_default``; the service may not exist yet)."""
        return self.site.voice == "on"

    # -- language, text size, theme ------------------------------------------------------

    def next_language(self) -> None:
        """The language button: the deck's next language."""
        languages = list(self.languages)
        index = languages.index(self.language) if self.language in languages else -1
        self.language = languages[(index + 1) % len(languages)]

    def step_text_size(self, step: int, *, wrap: bool = False) -> None:
        """Bigger (+1) or smaller (-1); ``wrap`` goes round from the largest to the smallest."""
        index = TEXT_SIZES.index(self.text_size) + step
        if wrap:
            index %= len(TEXT_SIZES)
        self.text_size = TEXT_SIZES[max(0, min(len(TEXT_SIZES) - 1, index))]

    def next_theme(self) -> None:
        """The colours button: the next theme."""
        index = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(index + 1) % len(THEMES)]

    # -- the open card -----------------------------------------------------------------

    def open_card(self, card_id: str) -> bool:
        """Open ``card_id`` at its first page; False if the deck has no such card.

        Another card's tools are dropped; opening the same card again keeps them.
        """
        card = self.deck.card(card_id, self.language)
        if card is None:
            return False
        if self.card is None or self.card.id != card.id:
            self.tools.clear()
        self.card = card
        self.pages = card_pages(card)
        self.page_index = 0
        return True

    def close_card(self) -> None:
        """Home: no card is open and its tools stop."""
        self.card = None
        self.pages = ()
        self.page_index = 0
        self.tools.clear()

    @property
    def page(self) -> Page | None:
        return self.pages[self.page_index] if self.card is not None else None

    @property
    def place(self) -> CardPlace | None:
        """The open card and page, or None on home."""
        if self.card is None:
            return None
        return CardPlace(self.card.id, self.language, self.page_index)

    def next_page(self) -> bool:
        """One page on; False at the last page."""
        if self.card is None or self.page_index >= len(self.pages) - 1:
            return False
        self.page_index += 1
        return True

    def previous_page(self) -> bool:
        """One page back; False at the first page (back from there means home)."""
        if self.card is None or self.page_index == 0:
            return False
        self.page_index -= 1
        return True

    @property
    def on_last_page(self) -> bool:
        return self.page_index >= len(self.pages) - 1

    # -- Read aloud (kiosk/voice/ui.py speaks; this is only the visitor's choice) --------

    def toggle_read_aloud(self) -> bool:
        """The Read aloud button: on or off for this visitor; returns the new state."""
        self.read_aloud = not self.read_aloud
        return self.read_aloud

    # -- idle ----------------------------------------------------------------------------

    def note_input(self) -> None:
        """A key or a tap: the idle countdown starts again."""
        self.last_input = self.clock()

    @property
    def idle_timeout(self) -> float:
        return float(self.site.idle_timeout_seconds)

    def seconds_until_idle(self) -> float:
        """How long until the idle reset is due; 0 when it is due now.

        While a tool runs the reset waits a whole timeout more (a responder timing a
        seizure is never sent home).
        """
        now = self.clock()
        left = self.idle_timeout - (now - self.last_input)
        if left <= 0 and self.tools.any_running(now):
            return self.idle_timeout
        return max(0.0, left)

    def reset(self) -> None:
        """The idle reset: home, and the site's language, text size and theme."""
        self.close_card()
        self.language = self.default_language
        self.text_size = self.default_text_size
        self.theme = self.default_theme
        self.read_aloud = self.default_read_aloud
