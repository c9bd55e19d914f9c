"""The Textual app, its factory and ``kiosk run``.

:class:`KioskApp` holds what the visitor can change (language, text size,
theme) and moves between screens; the screens receive the deck, site and
interface strings through their constructors. The home and card screens are
built once and reused (installed screens), so opening a card only updates
content in place.

Public-use rules live here too: in kiosk mode there is no quit key, no
command palette and no text selection; staff reach the staff screen with a
key sequence (F12 three times within three seconds) or five taps on the site
name within five seconds, then the site's PIN. An unexpected exception is
logged and the visitor is sent home instead of seeing a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from kiosk import __version__, process_guard
from kiosk.compat.textual_input import hardened_driver_class
from kiosk.deck.model import LoadResult, Problem
from kiosk.screens.card import CardScreen
from kiosk.screens.home import HomeScreen, SiteName
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.themes import KIOSK_THEMES, URGENCY_COLOURS, next_theme, theme_name
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.guard import guarded
from kiosk.widgets.narrow_text import fold_words_into_at_least_one_cell

log = logging.getLogger("kiosk")

fold_words_into_at_least_one_cell()

STYLES_DIR = Path(__file__).parent / "styles"
#: The sheets of the first screen. The search, staff and out-of-service screens bring their
#: own sheets (their CSS_PATH), parsed only when first shown: a shorter start.
OWN_SHEETS = ("app.tcss", "home.tcss")
#: The card screen's sheet: added just after the first paint (see ``_add_card_sheet``).
CARD_SHEET = STYLES_DIR / "card.tcss"

TEXT_SIZES = ("normal", "large", "extra-large")

#: Staff access: this many presses of the staff key within the window...
STAFF_KEY_PRESSES, STAFF_KEY_WINDOW = 3, 3.0
#: ...or this many taps on the site name within the window.
STAFF_TAPS, STAFF_TAP_WINDOW = 5, 5.0

#: More unexpected errors than this within ERROR_WINDOW seconds: stop trying to go home.
ERROR_LIMIT, ERROR_WINDOW = 5, 30.0

#: After SIGTERM or SIGHUP, seconds the app gets to stop the normal way before the process
#: ends regardless (see ``_exit_on_stop_signals``).
STOP_GRACE_SECONDS = 5.0


class _PlainOutOfService(Screen[None]):
    """Used only if :mod:`kiosk.screens.out_of_service` is not available."""

    def __init__(self, site: Site, strings: Strings, reason: str) -> None:
        super().__init__()
        self.site, self.strings, self.reason = site, strings, reason

    def compose(self) -> ComposeResult:
        yield EmergencyBar(self.site, self.strings)
        yield Static(self.reason, markup=False, id="out-of-service-reason")


class KioskApp(App[None], inherit_bindings=False):
    """The first-aid kiosk. Build it with :func:`make_app`."""

    CSS_PATH = [STYLES_DIR / name for name in OWN_SHEETS]
    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False
    TITLE = "First aid"
    #: Screens get ``-short`` below 20 rows (tighter spacing) and ``-narrow`` below 60 columns.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

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

    def __init__(
        self,
        load_result: LoadResult,
        site: Site,
        *,
        clock: Callable[[], float] = time.monotonic,
        log_path: Path | None = None,
        site_problems: tuple[Problem, ...] = (),
    ) -> None:
        super().__init__()
        self.load_result = load_result
        self.site_problems = tuple(site_problems)
        self.deck = load_result.deck
        self.site = site
        self.clock = clock
        self.log_path = log_path
        for theme in KIOSK_THEMES:
            self.register_theme(theme)
        # Chosen before the first stylesheet parse: set later (on mount), Textual parses
        # every stylesheet a second time, about 50 ms of start-up (docs/performance.md).
        self.theme = theme_name(site.theme)
        self.language = self._default_language()
        self.text_size = site.text_size if site.text_size in TEXT_SIZES else "normal"
        self.strings = Strings(self.language)
        self.home_screen: HomeScreen | None = None
        self.card_screen: CardScreen | None = None
        self._last_input = clock()
        self._idle_timer: Timer | None = None
        self._staff_presses: deque[float] = deque(maxlen=STAFF_KEY_PRESSES)
        self._staff_taps: deque[float] = deque(maxlen=STAFF_TAPS)
        self._errors: deque[float] = deque(maxlen=ERROR_LIMIT)
        self.staff_exit = False

    def run(self, *args: Any, **kwargs: Any) -> None:
        """Textual's ``run``, after moving the objects made so far out of the collector's sight.

        Imports, the deck and the app are made once and live as long as the process, yet
        the cycle collector's first full pass during start-up walks them all (25-30 ms on
        the 2-core VM, docs/performance.md). :func:`gc.freeze` skips them from then on
        (once per process; there is next to no cyclic garbage at this point to keep).
        """
        _freeze_long_lived_objects()
        return super().run(*args, **kwargs)

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's refresh, except before the first screen exists: then only the variables.

        Choosing the theme in ``__init__`` queues a full refresh that runs before anything
        is styled: Textual would parse every stylesheet into a throw-away sheet (its parse
        cache is lost with it) and parse them all again for the first widget, about 35 ms
        of start-up. The first real parse uses the variables set here.
        """
        if not self.screen_stack:
            self.stylesheet.set_variables(self.get_css_variables())
            return
        super().refresh_css(animate)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Urgency colours for any theme that does not set them (see :mod:`kiosk.themes`)."""
        return dict(URGENCY_COLOURS)

    # -- setup ----------------------------------------------------------------------------

    def _default_language(self) -> str:
        languages = self.deck.languages or (self.site.default_language,)
        if self.site.default_language in languages:
            return self.site.default_language
        return self.deck.default_language if self.deck.default_language else languages[0]

    @property
    def unavailable_cards(self) -> int:
        """How many card files failed to load (shown to staff as a discreet count).

        Counted by file, since one broken card file may carry several errors;
        ``deck.toml`` itself is not a card.
        """
        return len({p.path for p in self.load_result.errors if Path(p.path).name != "deck.toml"})

    def on_mount(self) -> None:
        self.theme = theme_name(self.site.theme)
        self._apply_text_size()
        if self.deck.is_empty:
            self._show_out_of_service()
            return
        self._build_screens()
        self.push_screen("home")
        self.call_after_refresh(self._add_card_sheet)
        self._arm_idle_timer()

    def _add_card_sheet(self) -> None:
        """Add and parse ``card.tcss`` (idempotent); ``open_card`` also calls it, to be sure.

        Not in ``CSS_PATH``: its parse (a third of the kiosk's CSS) would delay the first
        paint, and as a screen's ``CSS_PATH`` Textual would re-parse every sheet and restyle
        every widget when the first card opens. Adding it to the sheet here parses only
        this file. Its rules style the card screen's widgets (composed on first open); its
        one general rule, ``Screen.-short Button``, computes to what the home screen's
        buttons have already (3 rows, or more by a more specific rule).
        """
        if not self.stylesheet.has_source(str(CARD_SHEET), ""):
            self.stylesheet.read(CARD_SHEET)
            self.stylesheet.parse()

    def _build_screens(self) -> None:
        for name in ("home", "card"):
            if self.is_screen_installed(name):
                self.uninstall_screen(name)
        breakpoints = self._breakpoint_classes()
        self.home_screen = HomeScreen(
            self.deck,
            self.site,
            self.strings,
            unavailable=self.unavailable_cards,
            text_size=self.text_size,
            classes=breakpoints,
        )
        self.card_screen = CardScreen(
            self.deck, self.site, self.strings, self.clock, classes=breakpoints
        )
        self.install_screen(self.home_screen, "home")
        self.install_screen(self.card_screen, "card")

    def _breakpoint_classes(self) -> str:
        """The breakpoint classes (``-wide -tall`` ...) Textual gives a screen of the app's size.

        Given to a new screen up front, so its first resize changes no class: otherwise
        Textual styles every widget of the new screen once more (a few ms per screen).
        Textual keeps them up to date on every later resize, as for any screen.
        """
        names = []
        for breakpoints, cells in (
            (self.HORIZONTAL_BREAKPOINTS, self.size.width),
            (self.VERTICAL_BREAKPOINTS, self.size.height),
        ):
            fitting = [(start, name) for start, name in breakpoints or () if cells >= start]
            if fitting:
                names.append(max(fitting)[1])
        return " ".join(names)

    def _show_out_of_service(self, reason: str = "") -> None:
        reason = reason or self.strings["outofservice.reason.empty"]
        log.error("out of service: %s", reason)
        try:
            from kiosk.screens.out_of_service import OutOfServiceScreen
        except ImportError:
            self.push_screen(_PlainOutOfService(self.site, self.strings, reason))
            return
        self.push_screen(OutOfServiceScreen(self.site, self.strings, reason))

    # -- navigation ---------------------------------------------------------------------

    def go_home(self) -> None:
        """Back to the home screen from anywhere; the card's timers stop."""
        if self.card_screen is not None:
            self.card_screen.stop_timers()
        if self.home_screen is None:
            return
        while len(self.screen_stack) > 1 and self.screen is not self.home_screen:
            self.pop_screen()
        if self.screen is not self.home_screen:
            self.push_screen("home")

    def open_card(self, card_id: str) -> None:
        """Show ``card_id`` on the (reused) card screen."""
        if self.card_screen is None or not self.card_screen.show(card_id, self.strings):
            return
        self._add_card_sheet()
        if self.screen is not self.card_screen:
            while self.screen is not self.home_screen and len(self.screen_stack) > 1:
                self.pop_screen()
            self.push_screen("card")

    @on(HomeScreen.OpenCard)
    @guarded
    def _open_card_message(self, message: HomeScreen.OpenCard) -> None:
        self.open_card(message.card_id)

    @on(CardScreen.GoHome)
    @guarded
    def _go_home_message(self) -> None:
        self.go_home()

    @on(HomeScreen.Control)
    @guarded
    def _control(self, message: HomeScreen.Control) -> None:
        if message.name == "search":
            self.action_search()
        elif message.name == "language":
            self.cycle_language()
        elif message.name == "size":
            self.action_text_size(1, wrap=True)
        elif message.name == "theme":
            self.theme = next_theme(self.theme)

    @guarded
    def action_search(self) -> None:
        if self.screen is not self.home_screen:
            return
        try:
            from kiosk.screens.search import SearchScreen
        except ImportError:
            return

        def chosen(card_id: str | None) -> None:
            if card_id:
                self.open_card(card_id)

        self.push_screen(SearchScreen(self.deck, self.language, self.site, self.strings), chosen)

    # -- language and text size -------------------------------------------------------------

    def cycle_language(self) -> None:
        """The language button: the next language of the deck."""
        languages = list(self.deck.languages) or [self.language]
        index = languages.index(self.language) if self.language in languages else -1
        self.set_language(languages[(index + 1) % len(languages)])

    def set_language(self, language: str) -> None:
        if language == self.language:
            return
        self.language = language
        self.strings = Strings(language)
        if self.home_screen is not None and self.home_screen.is_mounted:
            self.home_screen.show_language(self.strings)

    @guarded
    def action_text_size(self, step: int, wrap: bool = False) -> None:
        """Bigger (+1) or smaller (-1); the on-screen button wraps round from A++ to A."""
        index = TEXT_SIZES.index(self.text_size) + step
        if wrap:
            index %= len(TEXT_SIZES)
        self.set_text_size(TEXT_SIZES[max(0, min(len(TEXT_SIZES) - 1, index))])

    def set_text_size(self, text_size: str) -> None:
        self.text_size = text_size
        self._apply_text_size()
        if self.home_screen is not None and self.home_screen.is_mounted:
            self.home_screen.show_text_size(text_size)

    def _apply_text_size(self) -> None:
        for size in TEXT_SIZES:
            self.set_class(size == self.text_size, f"-size-{size}")

    # -- idle reset --------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.note_input()
        await super().on_event(event)

    def on_button_pressed(self) -> None:
        """A tap (pilot clicks skip :meth:`on_event`, and a tap is input too)."""
        self.note_input()

    def note_input(self) -> None:
        """A key or tap: the idle countdown starts again."""
        self._last_input = self.clock()
        self._arm_idle_timer()

    def _arm_idle_timer(self, delay: float | None = None) -> None:
        """One one-shot timer at most; it re-arms itself only while there is something to reset."""
        if self._idle_timer is not None or self.home_screen is None:
            return
        self._idle_timer = self.set_timer(
            delay if delay is not None else float(self.site.idle_timeout_seconds),
            self._idle_timer_fired,
        )

    @guarded
    def _idle_timer_fired(self) -> None:
        self._idle_timer = None
        self.check_idle_reset()

    def check_idle_reset(self) -> bool:
        """Reset to the site's defaults if idle long enough; True if it reset.

        Never while a countdown or the stopwatch runs (then it looks again later).
        """
        timeout = float(self.site.idle_timeout_seconds)
        idle_for = self.clock() - self._last_input
        if idle_for < timeout:
            self._arm_idle_timer(max(1.0, timeout - idle_for))
            return False
        if self.card_screen is not None and self.card_screen.timers_running():
            self._arm_idle_timer(timeout)
            return False
        self.reset_to_defaults()
        return True

    def reset_to_defaults(self) -> None:
        """Home, default language and text size (search is reset by leaving its screen)."""
        self.go_home()
        self.set_language(self._default_language())
        default_size = self.site.text_size if self.site.text_size in TEXT_SIZES else "normal"
        if self.text_size != default_size:
            self.set_text_size(default_size)
        if self.home_screen is not None:
            self.home_screen.query(".tile").first().focus()
            self.home_screen.call_after_refresh(self.home_screen.scroll_to_top)

    # -- lockdown and staff access ---------------------------------------------------------

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
        self._count_staff_signal(self._staff_presses, STAFF_KEY_WINDOW)

    @on(SiteName.Tapped)
    def _site_name_tapped(self) -> None:
        self._count_staff_signal(self._staff_taps, STAFF_TAP_WINDOW)

    def _count_staff_signal(self, presses: deque[float], window: float) -> None:
        now = self.clock()
        presses.append(now)
        if len(presses) == presses.maxlen and now - presses[0] <= window:
            presses.clear()
            self.open_staff_access()

    @guarded
    def open_staff_access(self) -> None:
        """PIN prompt, then the staff screen; with no PIN, only outside kiosk mode."""
        try:
            from kiosk.screens.staff import StaffPinScreen
        except ImportError:
            log.warning("staff screen not available in this build")
            return
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
            else:
                log.warning("wrong staff PIN")
                self.go_home()

        self.push_screen(StaffPinScreen(self.site.staff_pin, self.strings), pin_checked)

    def _open_staff_screen(self) -> None:
        from kiosk.screens.staff import StaffScreen

        def staff_done(choice: str | None) -> None:
            if choice == "exit":
                log.info("staff exit")
                self.staff_exit = True
                self.exit()
            else:
                self.go_home()

        problems = self.site_problems + self.load_result.problems
        screen = StaffScreen(problems, __version__, self.log_path, self.site, self.strings)
        self.push_screen(screen, staff_done)

    # -- errors ------------------------------------------------------------------------------

    async def recover_from_error(self) -> None:
        """After an unexpected error: rebuild the screens and show home.

        Rebuilding matters because Textual stops the message loop of the screen
        whose handler raised, so the old instance may never respond again.
        After too many errors in a short time, the out-of-service screen.
        """
        now = time.monotonic()
        self._errors.append(now)
        too_many = len(self._errors) == ERROR_LIMIT and now - self._errors[0] < ERROR_WINDOW
        try:
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            if too_many:
                log.error("too many errors; showing the out-of-service screen")
                self._show_out_of_service(self.strings["outofservice.reason.error"])
                return
            self._build_screens()
            await self.push_screen("home")
        except Exception:
            log.exception("could not recover; showing the out-of-service screen")
            self._show_out_of_service(self.strings["outofservice.reason.error"])

    def _handle_exception(self, error: Exception) -> None:
        """Log an exception that escaped a handler and send the visitor home.

        Textual's own version ends the app and prints a traceback, which a
        visitor must never see. Overriding this private method is deliberate:
        it is the single place every handler, timer and worker error reaches
        in Textual 8.2.8 (``message_pump``, ``timer``, ``worker``, ``screen``),
        and Textual offers no public hook for it. If the app's own loop is the
        one that failed, the app still ends, without a traceback, and
        ``run_from_args`` starts it again in kiosk mode.
        """
        log.error("unexpected error; returning home", exc_info=error)
        if self.is_running and self._recovering_allowed():
            self.call_later(self.recover_from_error)
        else:
            self._return_code = 1
            self._close_messages_no_wait()

    def _recovering_allowed(self) -> bool:
        return self.home_screen is not None


_frozen = False


def _freeze_long_lived_objects() -> None:
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


def make_app(
    load_result: LoadResult,
    site: Site,
    *,
    clock: Callable[[], float] = time.monotonic,
    log_path: Path | None = None,
    site_problems: tuple[Problem, ...] = (),
) -> KioskApp:
    """Build the app from an already-loaded deck and site (used by the CLI and tests).

    ``clock`` (seconds) drives timers, idle reset and staff key timing; ``log_path`` and
    ``site_problems`` are shown on the staff screen.
    """
    app = KioskApp(load_result, site, clock=clock, log_path=log_path, site_problems=site_problems)
    app.driver_class = hardened_driver_class(app.driver_class)  # docs/hardening.md
    return app


def _setup_logging(site: Site) -> Path | None:
    try:
        from kiosk.logs import setup_logging
    except ImportError:
        return None
    try:
        return setup_logging(site)
    except Exception as error:  # logging must never keep the kiosk from starting
        log.warning("could not set up logging: %s", error)
        return None


def _runs_under_web_driver() -> bool:
    """True when textual-serve started this process for a browser session."""
    return os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver")


class _StopRequest:
    requested = False


@contextlib.contextmanager
def _exit_on_stop_signals(app: App) -> Iterator[_StopRequest]:
    """SIGTERM and SIGHUP end the app the normal way, so the terminal is restored.

    Python's default for both is to die on the spot, leaving the terminal on the
    alternate screen with mouse reporting on. The handler runs on the main thread,
    inside the app's event loop, so it hands ``app.exit`` to the loop thread-safely
    (which also wakes the loop). A stop by signal is final, even in kiosk mode.

    If the terminal has hung up, the normal way may never finish: Textual's output
    thread dies on the first failed write, and the restoring writes of its shutdown then
    block forever once its queue is full (seen with a SIGHUP during start-up: the process
    lived on with no terminal and ignored SIGTERM). So a watchdog ends the process if it
    is still running ``STOP_GRACE_SECONDS`` after the signal.
    """
    stop = _StopRequest()

    def request_exit(signum: int, _frame: object) -> None:
        stop.requested = True
        log.warning("received signal %d; exiting", signum)
        watchdog = threading.Timer(STOP_GRACE_SECONDS, _force_exit, args=(signum,))
        watchdog.daemon = True
        watchdog.start()
        try:
            asyncio.get_running_loop().call_soon_threadsafe(app.exit)
        except RuntimeError:  # the loop is not running (yet, or any more)
            raise SystemExit(0) from None

    stop_signals = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {signum: signal.signal(signum, request_exit) for signum in stop_signals}
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _force_exit(signum: int) -> None:
    log.error(
        "still running %.0f s after signal %d; ending the process", STOP_GRACE_SECONDS, signum
    )
    os._exit(128 + signum)


def run_from_args(args: argparse.Namespace) -> int:
    """``kiosk run``: load the deck and site named on the command line and run.

    In kiosk mode a crash restarts the app (the error is logged, never shown);
    only the staff screen's exit ends the loop.
    """
    from dataclasses import replace

    from kiosk.deck import bundled_cards_dir, load_deck
    from kiosk.site import load_site

    site_result = load_site(args.site)
    site = site_result.site
    if getattr(args, "kiosk", False):
        site = replace(site, kiosk=True)
    process_guard.settle(kiosk=site.kiosk)
    log_path = _setup_logging(site)
    for problem in site_result.problems:
        log.warning("site: %s", problem.format())
    load_result = load_deck(args.cards or bundled_cards_dir())
    for problem in load_result.problems:
        log.warning("deck: %s", problem.format())
    if site.kiosk:
        # Textual keeps the terminal from turning ctrl+c / ctrl+z / ctrl+\ into signals
        # unless this variable asks it to; in kiosk mode it never may.
        os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)
    # Under `kiosk serve` the app ends whenever its browser session does, and the
    # server and page bring it back; restarting here would only fight the server.
    restart_on_exit = site.kiosk and not _runs_under_web_driver()
    while True:
        app = make_app(load_result, site, log_path=log_path, site_problems=site_result.problems)
        with _exit_on_stop_signals(app) as stop:
            app.run()
        if not restart_on_exit or app.staff_exit or stop.requested:
            return app.return_code or 0
        log.error("the app ended without a staff exit; starting it again")
        time.sleep(1)
