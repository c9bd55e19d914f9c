"""The Textual app: the visitor session mirrored in reactives, key bindings, navigation.

:class:`KioskApp` owns a :class:`~kiosk.session.Session` (language, text size, theme,
open card and page, timed tools, idle deadline, staff knocks). Key bindings and button
actions call the ``action_*`` methods here; each changes the session and then
:meth:`KioskApp.mirror` copies it into the typed reactives (``language``,
``text_size``, ``card_place`` and Textual's ``theme``), which the screens and widgets
watch. The home and card screens are built once and reused (installed screens).

Public-use rules live here too: in kiosk mode there is no quit key, no command palette
and no text selection; staff reach the staff screen with F12 three times within three
seconds, or five taps on the site name within five seconds, then the site's PIN. An
unexpected error anywhere is logged and the visitor is sent home (:meth:`unexpected_error`);
after too many, the out-of-service screen. Running the process is :mod:`kiosk.run`.
"""

from __future__ import annotations

import logging
import time
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from textual import events
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.reactive import reactive
from textual.timer import Timer

from kiosk.compat.rich import fold_words_into_at_least_one_cell
from kiosk.compat.textual import ErrorHookApp, breakpoint_classes, drop_watchers_of_closed_nodes
from kiosk.compat.textual_input import hardened_driver_class
from kiosk.core.choices import TEXT_SIZES
from kiosk.core.problem import Problem, Severity
from kiosk.deck.model import Card, LoadResult
from kiosk.deck_reload import POLL_SECONDS, DeckReload
from kiosk.fleet.hooks import FLUSH_SECONDS, FleetHooks
from kiosk.pin_lockout import PinLockout
from kiosk.screens.base import nothing_to_await
from kiosk.screens.home import HomeScreen
from kiosk.session import CardPlace, Clock, ErrorWindow, IdlePhase, Session
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.styles import HORIZONTAL_BREAKPOINTS, SHEETS, VERTICAL_BREAKPOINTS
from kiosk.themes import KIOSK_THEMES, URGENCY_COLOURS, theme_name
from kiosk.voice.ui import ReadAloud
from kiosk.widgets.emergency_bar import EmergencyBar

if TYPE_CHECKING:
    from kiosk.handout.visit import VisitHandout
    from kiosk.screens.card import CardScreen
    from kiosk.screens.idle_warning import IdleWarningScreen
from kiosk.web_bridge import request_text_size

log = logging.getLogger("kiosk")

#: How often the app looks for a stuck screen, and how long a finding must last before
#: the visitor is sent home (a screen switch in progress is not stuck).
STUCK_CHECK_SECONDS, STUCK_GRACE_SECONDS = 5.0, 10.0
#: After the first paint, seconds before the rest of a staged deck load (other languages).
DECK_REST_DELAY_SECONDS = 0.1


class KioskApp(ErrorHookApp, inherit_bindings=False):
    """The first-aid kiosk. Build it with :func:`make_app`."""

    CSS_PATH = SHEETS
    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False
    TITLE = "First aid"
    HORIZONTAL_BREAKPOINTS = HORIZONTAL_BREAKPOINTS
    VERTICAL_BREAKPOINTS = VERTICAL_BREAKPOINTS

    #: ``inherit_bindings=False`` drops Textual's ctrl+q / ctrl+c bindings; these replace them.
    #: The lockdown keys are bound (priority) to a no-op so no widget can act on them either.
    BINDINGS = [
        Binding("ctrl+q", "quit_unless_locked", show=False, priority=True, id="quit"),
        Binding("ctrl+c,ctrl+z,ctrl+backslash,ctrl+p", "locked_key", show=False, priority=True),
        Binding("f12", "staff_key", show=False, priority=True, id="staff"),
        Binding("plus,equals_sign", "text_size(1)", show=False, id="bigger"),
        Binding("minus", "text_size(-1)", show=False, id="smaller"),
        Binding("slash", "search", show=False, id="search"),
    ]

    language: reactive[str] = reactive("en", init=False)
    """The visitor's language (a deck language code); screens show their text in it."""
    text_size: reactive[str] = reactive("normal", init=False)
    """``normal``, ``large`` or ``extra-large``; the App carries it as a ``-size-*`` class."""
    card_place: reactive[CardPlace | None] = reactive(None, init=False)
    """The open card and page (None on home); the card screen shows it."""

    def __init__(
        self,
        load_result: LoadResult,
        site: Site,
        *,
        clock: Clock = time.monotonic,
        log_path: Path | None = None,
        site_problems: tuple[Problem, ...] = (),
        deck_version: str = "",
        cards_dir: Path | None = None,
        finish_deck: Callable[[], LoadResult] | None = None,
    ) -> None:
        super().__init__()
        self.load_result = load_result
        #: The rest of a staged deck load (:class:`kiosk.deck.StagedDeckLoad.finish`), run
        #: by :meth:`ensure_whole_deck` right after the first paint, or at once if a visitor
        #: or staff need what it brings first; None once done (or nothing was staged).
        self._finish_deck = finish_deck
        self._fleet_started = False
        self.site_problems = tuple(site_problems)
        self.deck = load_result.deck
        self.site = site
        self.clock = clock
        self.log_path = log_path
        self.session = Session(self.deck, site, clock)
        self.errors = ErrorWindow(clock)
        self.home_screen: HomeScreen | None = None
        self.card_screen: CardScreen | None = None
        self.staff_exit = False
        self._idle_timer: Timer | None = None
        #: The "Still reading?" screen while it is up (kiosk/screens/idle_warning.py).
        self.idle_warning: IdleWarningScreen | None = None
        self._drop_next_mouse_up = False
        #: When the current stuck-screen finding was first seen (clock seconds), or None.
        self._stuck_since: float | None = None
        self.deck_version = deck_version
        self.fleet = FleetHooks(state_dir=site.state_dir, metrics_file=site.metrics_file)
        self.deck_reload = DeckReload(cards_dir)
        self._new_deck: tuple[Path, LoadResult] | None = None
        self.read_aloud = ReadAloud(self)  # the voice: kiosk/voice/ui.py, docs/voice.md
        self._replacing_home = False
        self.pin_lockout = PinLockout(clock)
        for theme in KIOSK_THEMES:
            self.register_theme(theme)
        self.mirror()

    @cached_property
    def handout(self) -> VisitHandout:
        """The printer and the "For the ambulance" record (memory only; print-ui).

        Built the first time something uses it, which is never before the first paint.
        """
        from kiosk.handout.visit import VisitHandout

        handout = VisitHandout(self.site, self.deck, self.clock)
        handout.cpr_source = lambda: self.session.tools.cpr
        return handout

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's refresh, except before the first screen exists: then only the variables.

        The theme chosen in ``__init__`` (:meth:`mirror`) makes Textual queue a full
        refresh, which runs before anything is styled: it would parse every sheet into a
        throw-away stylesheet (whose parse cache goes with it), and the first screen then
        parses them all again. Before the first screen only the variables matter; the
        first real parse uses them. Public API only (``refresh_css``, ``stylesheet``,
        ``set_variables``, ``get_css_variables``); ``tests/app/test_startup.py`` checks
        that the first screen has the site's theme and that a later change restyles it.
        """
        if not self.screen_stack:
            self.stylesheet.set_variables(self.get_css_variables())
            return
        super().refresh_css(animate)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Urgency colours for any theme that does not set them (see :mod:`kiosk.themes`)."""
        return dict(URGENCY_COLOURS)

    @property
    def strings(self) -> Strings:
        """Interface text in the visitor's language."""
        return Strings(self.language)

    @property
    def unavailable_cards(self) -> int:
        """How many card files failed to load (a discreet count on home; deck.toml aside)."""
        return len({p.path for p in self.load_result.errors if Path(p.path).name != "deck.toml"})

    def mirror(self) -> None:
        """Copy the session into the reactives; their watchers update the screens."""
        session = self.session
        self.language = session.language
        self.text_size = session.text_size
        self.theme = theme_name(session.theme)
        self.card_place = session.place

    def watch_text_size(self, text_size: str) -> None:
        for size in TEXT_SIZES:
            self.set_class(size == text_size, f"-size-{size}")
        # In the browser (kiosk serve) the page's real font follows; a no-op in a terminal.
        request_text_size(self, text_size)

    def on_mount(self) -> None:
        self.watch_text_size(self.text_size)
        if self.deck.is_empty:
            self.ensure_whole_deck()  # nothing of the first language: is there anything?
        if self.deck.is_empty:
            self._start_fleet()
            self.show_out_of_service(self.strings["outofservice.reason.empty"])
            return
        self._install_home_screen()
        self.push_screen("home")
        self.call_after_refresh(self._after_first_paint)
        self.read_aloud.start()  # the service starts on a thread after the first paint
        self._arm_idle_timer()
        self.set_interval(STUCK_CHECK_SECONDS, self.check_stuck_screen)
        if self.deck_reload.watching:
            self.set_interval(POLL_SECONDS, self.check_for_new_deck)

    def _after_first_paint(self) -> None:
        # a moment more, so the home screen's first frames keep the CPU (a visitor's tap
        # before then finishes the load itself: see ensure_whole_deck)
        self.set_timer(DECK_REST_DELAY_SECONDS, self._finish_start)

    def _finish_start(self) -> None:
        """The home screen is on the screen: load the rest of the deck, build the card
        screen, then start the fleet hooks (they report every card and deck problem).

        None of it is needed for the first painted home screen, so none of it delays it
        (issue 19). A tap that comes sooner does what it needs itself
        (:meth:`ensure_whole_deck`, :meth:`ensure_card_screen`).
        """
        self.ensure_whole_deck()
        self.ensure_card_screen()
        if not self._fleet_started:
            self._start_fleet()

    @property
    def whole_deck_loaded(self) -> bool:
        """Whether every language of the deck is loaded (see :meth:`ensure_whole_deck`)."""
        return self._finish_deck is None

    def ensure_whole_deck(self) -> None:
        """Finish a staged deck load now, if it is not finished yet (then a no-op).

        Called right after the first paint, and before anything that needs a language
        or a problem the first load left out: the language button, search, staff access,
        a new deck version. On the UI thread, so no tap sees half a deck.
        """
        finish, self._finish_deck = self._finish_deck, None
        if finish is None:
            return
        result = finish()
        for problem in result.problems:
            log.warning("deck: %s", problem.format())
        if result.deck.is_empty and not self.deck.is_empty:  # a bug in a check, say
            log.error("deck: the rest of the deck did not load; keeping the first part")
            problems = self.load_result.problems + result.problems
            self.load_result = LoadResult(self.deck, problems)
            return
        self.load_result, self.deck = result, result.deck
        self.session.deck = result.deck
        self.handout.deck = result.deck  # print-ui
        if self.home_screen is not None:
            self.home_screen.show_deck(result.deck, unavailable=self.unavailable_cards)

    def _start_fleet(self) -> None:
        """Usage counts, metrics file and watchdog (docs/fleet.md); pings from this loop."""
        self._fleet_started = True
        self.fleet.start(
            deck_version=self.deck_version,
            cards=self._all_cards(),
            deck_problems=self.load_result.problems,
            site_problems=self.site_problems,
        )
        self.set_interval(self.fleet.ping_seconds, self.fleet.ping)
        self.set_interval(FLUSH_SECONDS, self.fleet.flush)

    def _all_cards(self) -> list[Card]:
        """Every card of the deck on screen, in every language."""
        return [card for by_id in self.deck.cards.values() for card in by_id.values()]

    def on_unmount(self) -> None:
        self.read_aloud.close()
        self.fleet.stop()

    def _install_home_screen(self) -> None:
        self.home_screen = HomeScreen(
            self.deck, self.site, unavailable=self.unavailable_cards, classes=self._size_classes()
        )
        self.install_screen(self.home_screen, "home")

    def _size_classes(self) -> str:
        """The breakpoint classes for the present size, for a screen built now: given to
        its constructor, they cost no styling pass before it is mounted (``add_class``
        on a screen not yet mounted restyles it for nothing)."""
        return " ".join(breakpoint_classes(self, *self.size))

    def ensure_card_screen(self) -> CardScreen:
        """The card screen, built and installed the first time it is needed.

        It is built right after the first paint (:meth:`_finish_start`), or by the first
        tap on a tile if that comes sooner; its module (timers, CPR beat, card actions)
        is imported then too, not on the way to the first home screen.
        """
        if self.card_screen is None:
            from kiosk.screens.card import CardScreen

            self.card_screen = CardScreen(self.session, self.site, classes=self._size_classes())
            self.install_screen(self.card_screen, "card")
        return self.card_screen

    # The search, staff and out-of-service screens are imported when first needed: not
    # on the way to the first painted home screen (about 10% of start-up).

    def show_out_of_service(self, reason: str) -> None:
        from kiosk.screens.out_of_service import OutOfServiceScreen

        log.error("out of service: %s", reason)
        self.push_screen(OutOfServiceScreen(self.site, self.strings, reason))

    # -- navigation ------------------------------------------------------------------------

    def pop_screen(self) -> AwaitComplete:
        """Textual's pop, except that nothing takes the home screen off the stack by accident.

        Two inputs handled in one batch can each ask for a pop meant for the screen above
        home; the second would leave a blank screen with no emergency bar (red-team A6).
        Only :meth:`_pop_every_screen` (a new deck, recovery) takes home off on purpose.
        """
        drop_watchers_of_closed_nodes(self)  # screens popped before: let them be freed
        home = self.home_screen
        if home is not None and self.screen is home and not self._replacing_home:
            log.warning("ignored a pop of the home screen (two inputs in one batch?)")
            return nothing_to_await()
        return super().pop_screen()

    async def _pop_every_screen(self) -> None:
        """Pop down to Textual's default screen, home included (it is about to be rebuilt)."""
        self._replacing_home = True
        try:
            while len(self.screen_stack) > 1:
                before = len(self.screen_stack)
                await self.pop_screen()
                if len(self.screen_stack) >= before:  # a refused pop must not spin for ever
                    log.error("could not pop %r; giving up", self.screen)
                    break
        finally:
            self._replacing_home = False

    def action_home(self) -> None:
        """Back to the home screen from anywhere; the card's tools stop."""
        self.session.close_card()
        self.mirror()
        if self.home_screen is None:
            return
        while len(self.screen_stack) > 1 and self.screen is not self.home_screen:
            self.pop_screen()
        if self.screen is not self.home_screen:
            self.push_screen("home")
        self.check_for_new_deck()

    def action_open_card(self, card_id: str) -> None:
        """Show ``card_id`` on the (reused) card screen, from home, search or another card."""
        if self.home_screen is None or not self.session.open_card(card_id):
            return
        card_screen = self.ensure_card_screen()
        self.fleet.card_opened(card_id, self.session.language)
        self._page_reached()
        self.mirror()
        if self.screen is not card_screen:
            while self.screen is not self.home_screen and len(self.screen_stack) > 1:
                self.pop_screen()
            self.push_screen("card")

    def action_next_page(self) -> None:
        if self.session.next_page():
            self._page_reached()
            self.mirror()

    def _page_reached(self) -> None:
        """A usage count for a step page reached going forward (the last: finished)."""
        session, page = self.session, self.session.page
        if session.card is None or page is None or page.kind != "step":
            return
        last = page.step == len(session.card.steps) - 1
        self.fleet.step_reached(session.card.id, session.language, last=last)

    def action_step_back(self) -> None:
        """One page back on a card; from its first page, home."""
        if self.session.previous_page():
            self.mirror()
        else:
            self.action_home()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the five-minute alert shows, only its own button works."""
        if action in ("next_page", "step_back", "home") and self.session.card is not None:
            return not self.session.tools.stopwatch.alerting(self.clock())
        return True

    def action_search(self) -> None:
        from kiosk.screens.search import SearchScreen

        self.ensure_whole_deck()
        if self.home_screen is not None and self.screen is self.home_screen:
            self.fleet.search_opened(self.language)
            self.push_screen(SearchScreen(self.deck, self.language, self.site, self.strings))

    # -- language, text size, colours ---------------------------------------------------------

    def action_cycle_language(self) -> None:
        self.ensure_whole_deck()  # a tap in the first moments must still find Ukrainian
        self.session.next_language()
        self.mirror()

    def action_text_size(self, step: int) -> None:
        """``+`` and ``-``: bigger or smaller, stopping at the ends."""
        self.session.step_text_size(step)
        self.mirror()

    def action_cycle_text_size(self) -> None:
        """The text-size button: bigger, and from the largest back to normal."""
        self.session.step_text_size(1, wrap=True)
        self.mirror()

    def action_cycle_theme(self) -> None:
        self.session.next_theme()
        self.mirror()

    # -- idle reset ----------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # A real tap arrives here twice (from the driver, then bubbling up from the widget);
        # a Pilot click only bubbles up. Either way it counts as input.
        if isinstance(event, (events.Key, events.MouseDown)):
            if self.idle_warning is not None and not event.is_forwarded:
                # The tap or key that dismisses the warning does nothing else: the key is
                # dropped, and so is the tap's mouse-up, so no click reaches what lies under.
                self._drop_next_mouse_up = isinstance(event, events.MouseDown)
                self.note_input()
                return
            self.note_input()
        elif isinstance(event, events.MouseUp) and self._drop_next_mouse_up:
            self._drop_next_mouse_up = False
            if not event.is_forwarded:
                return
        await super().on_event(event)

    def note_input(self) -> None:
        """A key or tap: the idle countdown starts again and the warning goes."""
        self.session.note_input()
        self._hide_idle_warning()
        self._arm_idle_timer()

    def _arm_idle_timer(self, delay: float | None = None) -> None:
        """One one-shot timer at most; it re-arms itself while there is something to reset.

        Without ``delay`` it fires when the idle state may next change; a timer already
        pending fires first and re-arms for the time left then (never a full timeout more).
        """
        if self._idle_timer is not None or self.home_screen is None:
            return
        if delay is None:
            delay = self.session.idle_check().seconds_left
        self._idle_timer = self.set_timer(max(0.05, delay), self._idle_timer_fired)

    def _idle_timer_fired(self) -> None:
        self._idle_timer = None
        self.check_idle_reset()

    def check_idle_reset(self) -> bool:
        """Warn, then reset to the site's defaults when idle long enough; True on a reset.

        Never while a tool runs (:meth:`kiosk.session.Session.tools_hold_idle`). While the
        warning is up the timer fires every second to count down.
        """
        state = self.session.idle_check()
        if state.phase is IdlePhase.DUE:
            self._reset_after_idle()
            return True
        if state.phase is IdlePhase.WARNING:
            self._show_idle_warning(state.seconds_left)
            self._arm_idle_timer(min(1.0, state.seconds_left))
        else:
            self._hide_idle_warning()
            self._arm_idle_timer(state.seconds_left)
        return False

    def _reset_after_idle(self) -> None:
        self._hide_idle_warning()
        self.session.reset()
        self.read_aloud.idle_reset()
        self.handout.forget()  # print-ui: the handover record goes with the visitor
        self.fleet.idle_reset()
        self.action_home()
        if self.home_screen is not None:
            self.home_screen.start_over()

    def _show_idle_warning(self, seconds_left: float) -> None:
        """Push the warning over whatever is shown, or update its countdown."""
        from kiosk.screens.idle_warning import IdleWarningScreen

        if self.idle_warning is not None:
            self.idle_warning.show_seconds_left(seconds_left)
            return
        self.idle_warning = IdleWarningScreen(self.site, self.strings, seconds_left)
        self.idle_warning.add_class(*breakpoint_classes(self, *self.size))
        self.push_screen(self.idle_warning)
        self.announce_idle_warning()

    def announce_idle_warning(self) -> None:
        """Called once each time the idle warning comes up: the one call point for voice
        (:meth:`kiosk.voice.ui.ReadAloud.idle_warning_shown`)."""
        log.info("idle warning shown")
        self.read_aloud.idle_warning_shown()

    def _hide_idle_warning(self) -> None:
        warning, self.idle_warning = self.idle_warning, None
        if warning is None:
            return
        # Anything pushed over the warning came while nobody was there: it goes too.
        while warning in self.screen_stack and len(self.screen_stack) > 1:
            self.pop_screen()

    # -- stuck-screen detection ----------------------------------------------------------

    def stuck_screen_problem(self) -> str | None:
        """Why the screen shown looks stuck, or None.

        A screen whose message loop has stopped (it can no longer update or take a tap),
        a screen with no emergency bar (e.g. the blank screen of red-team A6; a modal such
        as the PIN prompt aside, which has its own time limit), or a visitor screen over
        home well past the idle reset (its timer lost) while no tool holds it. The
        out-of-service screen is not over home, so it stays.
        """
        screen = self.screen
        if not screen.is_running:
            return f"{type(screen).__name__} no longer runs"
        if not screen.is_modal and not any(
            bar.display for bar in screen.query(EmergencyBar).results()
        ):
            return f"{type(screen).__name__} shows no emergency bar"
        if screen is not self.home_screen and self.home_screen in self.screen_stack:
            now = self.clock()
            if self.session.idle_overdue(now, STUCK_GRACE_SECONDS):
                idle = now - self.session.last_input
                return f"{type(screen).__name__} still shown after {idle:.0f} s idle"
        return None

    def check_stuck_screen(self) -> bool:
        """Send the visitor home, rebuilt, once a stuck screen has lasted the grace time."""
        if self.home_screen is None:
            return False
        problem = self.stuck_screen_problem()
        now = self.clock()
        if problem is None:
            self._stuck_since = None
            return False
        if self._stuck_since is None:
            self._stuck_since = now
        if now - self._stuck_since < STUCK_GRACE_SECONDS:
            return False
        log.warning("stuck screen: %s; back to home", problem)
        self._stuck_since = None
        self.fleet.error_handled()
        self.call_later(self.recover_stuck_screen)
        return True

    async def recover_stuck_screen(self) -> None:
        """Every screen off, new home and card screens, the site's defaults."""
        self.idle_warning = None
        try:
            await self._pop_every_screen()
            self.session.reset()
            self.mirror()
            await self._rebuild_screens()
        except Exception:
            log.exception("could not recover a stuck screen; showing the out-of-service screen")
            self.show_out_of_service(self.strings["outofservice.reason.error"])

    # -- hot reload: a new deck version, switched to at home only ----------------------------

    def _quiet_at_home(self) -> bool:
        """On the home screen, no card open and no timer running: a deck may change.

        Not while the screens are being rebuilt (the stack is empty for a moment then,
        and the poll timer may fire: ``self.screen`` would raise)."""
        return (
            self.home_screen is not None
            and bool(self.screen_stack)
            and self.screen is self.home_screen
            and self.session.card is None
            and not self.session.any_tool_running(self.clock())
        )

    def check_for_new_deck(self) -> None:
        """Load a newly installed version off the UI thread; switch to it at home."""
        if not self._quiet_at_home():
            return
        self.ensure_whole_deck()  # a new version must not be overwritten by the old one's rest
        if self._new_deck is not None:
            self.call_later(self._switch_deck)
            return
        folder = self.deck_reload.poll()
        if folder is not None:
            self.deck_reload.loading = True
            self.run_worker(partial(self._load_new_deck, folder), thread=True, group="deck")

    def _load_new_deck(self, folder: Path) -> None:
        """In a worker thread: load ``folder``, then hand it to the UI thread."""
        result = self.deck_reload.load(folder)
        self.call_from_thread(self._new_deck_loaded, folder, result)

    def _new_deck_loaded(self, folder: Path, result: LoadResult | None) -> None:
        self.deck_reload.loading = False
        if result is not None:
            self._new_deck = (folder, result)
            self.check_for_new_deck()

    async def _switch_deck(self) -> None:
        if self._new_deck is None or not self._quiet_at_home():
            return  # a visitor got there first; the next return home switches
        folder, result = self._new_deck
        self._new_deck = None
        log.info("deck: switching to the new version %s", folder)
        self.load_result, self.deck = result, result.deck
        self.session.deck = result.deck
        self.handout.deck = result.deck  # print-ui
        if self.session.language not in self.session.languages:
            self.session.language = self.session.default_language
        self.deck_reload.switched(folder)
        self.deck_version = self.deck_reload.version_name
        self.fleet.deck_switched(
            deck_version=self.deck_version,
            cards=self._all_cards(),
            deck_problems=result.problems,
        )
        self.mirror()
        await self._pop_every_screen()
        await self._rebuild_screens()

    # -- lockdown and staff access -----------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self.site.kiosk

    def action_quit_unless_locked(self) -> None:
        """ctrl+q quits outside kiosk mode and does nothing in it."""
        if not self.locked:
            self.exit()

    def action_locked_key(self) -> None:
        """ctrl+c, ctrl+z, ctrl+\\ (and ctrl+p): deliberately nothing."""

    def action_staff_key(self) -> None:
        if self.session.staff_keys.knock():
            self.open_staff_access()

    def action_site_name_tapped(self) -> None:
        if self.session.site_name_taps.knock():
            self.open_staff_access()

    def open_staff_access(self) -> None:
        """PIN prompt, then the staff screen; with no PIN, only outside kiosk mode."""
        from kiosk.screens.staff import StaffPinScreen

        self.ensure_whole_deck()  # the staff screen lists every deck problem
        if not self.site.staff_pin:
            if self.locked:
                log.warning("staff access refused: kiosk mode and no staff_pin in the site file")
                return
            self._open_staff_screen()
            return

        def pin_checked(right: bool | None) -> None:
            if right:
                log.info("staff PIN accepted")
                self._open_staff_screen()
            else:  # wrong (logged by the lockout), cancelled or timed out
                self.action_home()

        prompt = StaffPinScreen(
            self.site.staff_pin,
            self.strings,
            clock=self.clock,
            site=self.site,
            lockout=self.pin_lockout,
        )
        self.push_screen(prompt, pin_checked)

    def _open_staff_screen(self) -> None:
        import kiosk
        from kiosk import logs
        from kiosk.screens.staff import StaffScreen

        def staff_done(choice: str | None) -> None:
            if choice == "exit":
                log.info("staff exit")
                self.staff_exit = True
                self.exit()
            else:
                self.action_home()

        problems = self.site_problems + self.load_result.problems
        screen = StaffScreen(
            problems,
            kiosk.__version__,
            self.log_path,
            self.site,
            self.strings,
            log_lines=logs.recent_lines(),
            site_errors=sum(1 for p in self.site_problems if p.severity is Severity.ERROR),
            deck_version=self.deck_reload.staff_label,
        )
        self.push_screen(screen, staff_done)

    # -- errors --------------------------------------------------------------------------------

    def unexpected_error(self, error: Exception) -> None:
        """The one recovery path: log the error and send the visitor home (see compat)."""
        log.error("unexpected error; returning home", exc_info=error)
        self.fleet.error_handled()
        if self.is_running and self.home_screen is not None:
            self.call_later(self.recover_from_error)
        else:
            self.end_after_error()

    async def recover_from_error(self) -> None:
        """Rebuild the screens and show home; after too many errors, out of service.

        Rebuilding matters because Textual stops the message loop of the screen whose
        handler raised, so the old instance may never respond again.
        """
        too_many = self.errors.too_many()
        try:
            await self._pop_every_screen()
            if too_many:
                log.error("too many errors; showing the out-of-service screen")
                self.show_out_of_service(self.strings["outofservice.reason.error"])
                return
            self.session.close_card()
            self.mirror()
            await self._rebuild_screens()
        except Exception:
            log.exception("could not recover; showing the out-of-service screen")
            self.show_out_of_service(self.strings["outofservice.reason.error"])

    async def _rebuild_screens(self) -> None:
        """New home and card screens (for the deck now in ``self.deck``), home showing."""
        old = [s for s in (self.home_screen, self.card_screen) if s is not None]
        for screen in old:
            self.uninstall_screen(screen)
            await screen.remove()
        self.card_screen = None
        self._install_home_screen()
        self.ensure_card_screen()
        await self.push_screen("home")


def make_app(
    load_result: LoadResult,
    site: Site,
    *,
    clock: Callable[[], float] = time.monotonic,
    log_path: Path | None = None,
    site_problems: tuple[Problem, ...] = (),
    deck_version: str = "",
    cards_dir: Path | None = None,
    finish_deck: Callable[[], LoadResult] | None = None,
) -> KioskApp:
    """The one factory of the app (the CLI, the browser server and every test use it).

    ``clock`` (seconds) drives timers, idle reset, staff knocks and the PIN prompt;
    ``log_path`` and ``site_problems`` are shown on the staff screen; ``deck_version``
    goes in the metrics file (kiosk/fleet/hooks.py).
    ``log_path`` and ``site_problems`` are shown on the staff screen; ``cards_dir``, the
    ``--cards`` path the deck came from: a symbolic link (``DECKS/current``) is watched
    and a new version shown at the home screen (:mod:`kiosk.deck_reload`).
    ``finish_deck``: with ``load_result`` the ``first`` of a
    :class:`~kiosk.deck.StagedDeckLoad`, its ``finish`` (see :meth:`KioskApp.ensure_whole_deck`).
    """
    fold_words_into_at_least_one_cell()
    app = KioskApp(
        load_result,
        site,
        clock=clock,
        log_path=log_path,
        site_problems=site_problems,
        deck_version=deck_version,
        cards_dir=cards_dir,
        finish_deck=finish_deck,
    )
    app.driver_class = hardened_driver_class(app.driver_class)  # docs/hardening.md
    return app
