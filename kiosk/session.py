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
from enum import Enum
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

#: The "Still reading? Tap to stay" warning is up at least this long before the idle
#: reset (WCAG 2.2.1 asks for 20 seconds to extend a time limit).
IDLE_WARNING_SECONDS = 20.0
#: While a running tool holds the idle reset, the app asks again this often.
IDLE_HELD_RECHECK_SECONDS = 1.0

#: More unexpected errors than this within ERROR_WINDOW seconds: out of service.
ERROR_LIMIT, ERROR_WINDOW = 5, 30.0


class IdlePhase(Enum):
    """Where the idle countdown is (:meth:`Session.idle_check`)."""

    ACTIVE = "active"  # recently touched: nothing to show
    HELD = "held"  # a running tool keeps the reset away
    WARNING = "warning"  # "Still reading? Tap to stay" with a countdown
    DUE = "due"  # reset now


class IdleState(NamedTuple):
    """The idle phase and the seconds until it may change (a warning: until the reset)."""

    phase: IdlePhase
    seconds_left: float


class Page(NamedTuple):
    """One page of a card.

    ``kind`` is ``"step"`` (step ``step``), ``"info"`` (items ``first`` to
    ``first + length`` of list ``section``), ``"related"`` (related cards ``first`` to
    ``first + length``) or ``"sources"`` (sources ``first`` to ``first + length``).
    """

    kind: str
    step: int = 0
    section: str = ""
    first: int = 0
    length: int = 0


INFO_SECTIONS = ("call_emergency_if", "do_not", "see_doctor_if", "prevention")


class PageBudget(NamedTuple):
    """What one page can show below its heading: ``lines`` of ``cells`` cells, and a
    related-card button takes ``button_lines`` of them (with its gap). The card screen
    sets it from its real size (:meth:`Session.set_page_budget`); a longer section is
    split over more pages, never scrolled."""

    lines: int
    cells: int
    button_lines: int = 2
    full_sources: bool = True
    """Each source as "publisher: title" and its URL; else "publisher (site)" only."""


#: The smallest target screen (36x10) with the emergency bar at three rows.
SMALLEST_BUDGET = PageBudget(lines=4, cells=30, button_lines=2, full_sources=False)
PAGE_CELLS = SMALLEST_BUDGET.cells


def wrapped_lines(text: str, width: int = PAGE_CELLS) -> int:
    """Lines ``text`` takes when wrapped at ``width`` cells (long words are folded)."""
    from rich.cells import cell_len

    lines, used = 1, 0
    for word in text.split():
        size = cell_len(word)
        if used and used + 1 + size <= width:
            used += 1 + size
            continue
        if used:
            lines, used = lines + 1, 0
        full, rest = divmod(size, width)
        lines += full - 1 if rest == 0 else full
        used = width if rest == 0 else rest
    return lines


def chunks(sizes: list[int], budget: int) -> list[tuple[int, int]]:
    """``(first, count)`` runs of items whose sizes add up to ``budget`` at most (an item
    bigger than the budget gets a run of its own)."""
    runs: list[tuple[int, int]] = []
    first, used = 0, 0
    for index, size in enumerate(sizes):
        if index > first and used + size > budget:
            runs.append((first, index - first))
            first, used = index, 0
        used += size
    if sizes:
        runs.append((first, len(sizes) - first))
    return runs


def source_text(publisher: str, title: str, url: str, *, full: bool = True) -> str:
    """One source as the sources page shows it: in full, or (short screens, where a long
    URL alone would fill the page) the publisher and the site's name."""
    if full:
        return f"{publisher}: {title}\n{url}"
    site = url.split("//", 1)[-1].split("/", 1)[0]
    site = site[4:] if site.startswith("www.") else site
    return f"{publisher} ({site})"


def card_pages(card: Card, budget: PageBudget = SMALLEST_BUDGET) -> tuple[Page, ...]:
    """The pages of a card in the order the visitor meets them: each step, then the
    "call emergency if", "do not", "see a doctor if" and prevention lists, the related
    cards and the sources, each split into pages that fit ``budget``."""
    lines, cells = max(1, budget.lines), max(8, budget.cells)
    pages = [Page("step", i) for i in range(len(card.steps))]
    for section in INFO_SECTIONS:
        items: tuple[str, ...] = getattr(card, section)
        sizes = [wrapped_lines(f"• {item}", cells) for item in items]
        runs = chunks(sizes, lines)
        pages += [Page("info", section=section, first=f, length=n) for f, n in runs]
    buttons = [max(1, budget.button_lines)] * len(card.related)
    # one gap more: between the last button and the nav row
    pages += [Page("related", first=f, length=n) for f, n in chunks(buttons, lines - 1)]
    texts = (
        source_text(s.publisher, s.title, s.url, full=budget.full_sources) for s in card.sources
    )
    sizes = [sum(wrapped_lines(line, cells) for line in text.split("\n")) for text in texts]
    pages += [Page("sources", first=f, length=n) for f, n in chunks(sizes, lines)]
    if not card.sources:
        pages.append(Page("sources"))
    return tuple(pages)


def same_place(pages: tuple[Page, ...], page: Page) -> int:
    """The index in ``pages`` of the page that shows what ``page`` showed first."""
    for index, candidate in enumerate(pages):
        if candidate.kind != page.kind or candidate.section != page.section:
            continue
        if page.kind == "step":
            if candidate.step == page.step:
                return index
        elif candidate.first <= page.first < candidate.first + max(1, candidate.length):
            return index
    return 0


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
        #: Cards the visitor left by a step's ``opens`` button: (card id, page).
        self.card_stack: list[tuple[str, Page]] = []
        self.page_budget = SMALLEST_BUDGET
        #: The step page the visitor left by the "call emergency if" button (Back returns).
        self.return_page: int | None = None
        self.last_input = clock()
        self.idle_warning_since: float | None = None
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
            self.card_stack.clear()
        self._show(card)
        return True

    def _show(self, card: Card, page: Page | None = None) -> None:
        self.card = card
        self.pages = card_pages(card, self.page_budget)
        self.page_index = 0 if page is None else same_place(self.pages, page)
        self.return_page = None

    def set_page_budget(self, budget: PageBudget) -> bool:
        """The card screen's size changed: split the pages again for it, staying on the
        page that shows what the visitor was reading. True if the pages changed."""
        if budget == self.page_budget:
            return False
        self.page_budget = budget
        if self.card is None:
            return False
        pages = card_pages(self.card, budget)
        if pages == self.pages:
            return False
        here = self.pages[self.page_index]
        back = None if self.return_page is None else self.pages[self.return_page]
        self.pages = pages
        self.page_index = same_place(pages, here)
        self.return_page = None if back is None else same_place(pages, back)
        return True

    #: Cards opened from steps, one inside another, kept for Back at most.
    MAX_STACK = 4

    def follow_link(self, card_id: str) -> bool:
        """A step's ``opens`` button: open ``card_id`` at its first page, keeping this card,
        its page and its tools for Back. False if the deck has no such card."""
        card = self.deck.card(card_id, self.language)
        if card is None or self.card is None:
            return False
        if card.id == self.card.id:
            self._show(card)
            return True
        if len(self.card_stack) >= self.MAX_STACK:
            return self.open_card(card_id)
        self.card_stack.append((self.card.id, self.pages[self.page_index]))
        self.tools.push()
        self._show(card)
        return True

    def _return_to_previous_card(self) -> bool:
        """Back from the first page of a card opened by ``opens``: the card and step the
        visitor came from."""
        while self.card_stack:
            card_id, page = self.card_stack.pop()
            self.tools.pop()
            card = self.deck.card(card_id, self.language)
            if card is not None:
                self._show(card, page)
                return True
        return False

    def close_card(self) -> None:
        """Home: no card is open and its tools stop (the CPR beat runs on)."""
        self.card = None
        self.pages = ()
        self.page_index = 0
        self.return_page = None
        self.card_stack.clear()
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
        self.return_page = None
        return True

    def previous_page(self) -> bool:
        """One page back; from the "call emergency if" page reached by its button, the
        step the visitor was on; from a first page, the card this one was opened from.
        False when there is nowhere to go back to (back from there means home)."""
        if self.card is None:
            return False
        if self.return_page is not None:
            self.page_index, self.return_page = self.return_page, None
            return True
        if self.page_index == 0:
            return self._return_to_previous_card()
        self.page_index -= 1
        return True

    @property
    def call_page_index(self) -> int | None:
        """The first "call emergency if" page of the open card (None if it has none)."""
        for index, page in enumerate(self.pages):
            if page.kind == "info" and page.section == "call_emergency_if":
                return index
        return None

    def go_to_call_page(self) -> bool:
        """The "call emergency if" button: that page now; Back returns to this page."""
        target = self.call_page_index
        if self.card is None or target is None or target == self.page_index:
            return False
        here = self.page_index
        self.page_index = target
        self.return_page = here
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
        """A key or a tap: the idle countdown starts again and any warning goes."""
        self.last_input = self.clock()
        self.idle_warning_since = None

    @property
    def idle_timeout(self) -> float:
        return float(self.site.idle_timeout_seconds)

    @property
    def idle_timer_limit(self) -> float:
        """Seconds an untouched timer or stopwatch keeps the idle reset away (red-team A9)."""
        return float(self.site.idle_timer_limit_minutes) * 60.0

    def cpr_running(self, now: float) -> bool:
        """Whether the CPR beat runs (card-screen's ``tools.cpr``; the idle reset keeps it)."""
        return self.tools.cpr.running(now)

    def any_tool_running(self, now: float) -> bool:
        """The one question "is any tool running": a timer, the stopwatch or a CPR beat."""
        return self.tools.any_running(now) or self.cpr_running(now)

    def tools_hold_idle(self, now: float) -> bool:
        """A running tool keeps the idle reset (and its warning) away.

        A CPR beat always does: rescuers may give CPR for half an hour without touching
        the screen, and sending them home mid-beat could cost a life. A timer or the
        stopwatch does only until nobody has touched the kiosk for the site's
        ``idle_timer_limit_minutes``: one prank tap on "Start stopwatch" must not leave
        "CALL EMERGENCY NOW" up for every later visitor.
        """
        if self.cpr_running(now):
            return True
        untouched = now - self.last_input
        return untouched < self.idle_timer_limit and self.tools.any_running(now)

    def idle_check(self) -> IdleState:
        """Where the idle countdown is now; call it when :attr:`IdleState.recheck` is up.

        The warning ("Still reading?") starts :data:`IDLE_WARNING_SECONDS` before the
        timeout, but never before half the timeout has passed; the reset comes at the
        timeout or a full warning after the warning started, whichever is later. So
        the warning is always up for at least :data:`IDLE_WARNING_SECONDS` (WCAG 2.2.1),
        even when a tool that held the reset stops long after the last input.
        """
        now = self.clock()
        if self.tools_hold_idle(now):
            self.idle_warning_since = None
            return IdleState(IdlePhase.HELD, IDLE_HELD_RECHECK_SECONDS)
        timeout = self.idle_timeout
        if self.idle_warning_since is None:
            warn_at = self.last_input + max(timeout - IDLE_WARNING_SECONDS, timeout / 2)
            if now < warn_at:
                return IdleState(IdlePhase.ACTIVE, warn_at - now)
            self.idle_warning_since = now
        reset_at = max(self.last_input + timeout, self.idle_warning_since + IDLE_WARNING_SECONDS)
        if now >= reset_at:
            return IdleState(IdlePhase.DUE, 0.0)
        return IdleState(IdlePhase.WARNING, reset_at - now)

    def idle_overdue(self, now: float, grace: float) -> bool:
        """True when the idle reset is more than ``grace`` seconds late: its timer was lost
        (stuck-screen detection). Never while a tool holds the reset."""
        if self.tools_hold_idle(now):
            return False
        due = self.last_input + self.idle_timeout
        if self.idle_warning_since is not None:
            due = max(due, self.idle_warning_since + IDLE_WARNING_SECONDS)
        return now > due + grace

    def reset(self) -> None:
        """The idle reset: home, and the site's language, text size and theme.

        The countdown starts again from now (the next visitor gets a full timeout).
        """
        self.close_card()
        self.note_input()
        self.language = self.default_language
        self.text_size = self.default_text_size
        self.theme = self.default_theme
        self.read_aloud = self.default_read_aloud
