"""The app's one door to the fleet modules: usage counts, the metrics file, the watchdog.

:class:`FleetHooks` is owned by the App, which calls it at a few points (mount, a card
opened, a page reached, a search opened, a timer started, an error, an idle reset, exit)
and from two ``set_interval`` timers of its own loop: :meth:`FleetHooks.ping` (so a frozen
UI stops the systemd pings) and :meth:`FleetHooks.flush`. Nothing here imports Textual,
and no method raises: a full or read-only disk, or an unwritable state folder, is logged
by the fleet modules and the kiosk goes on (docs/fleet.md, docs/privacy.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Callable, TypeVar

from kiosk.fleet.watchdog import SystemdWatchdog

if TYPE_CHECKING:  # imported by start(): after the first painted home screen (issue 19)
    from kiosk.fleet.metrics import KioskMetrics
    from kiosk.fleet.usage import UsageCounts

log = logging.getLogger("kiosk.fleet")

#: Seconds between usage flushes and metrics rewrites.
FLUSH_SECONDS = 60.0

T = TypeVar("T")


def _never_raises(method: Callable[..., T]) -> Callable[..., T | None]:
    """A hook must never break a visitor's tap: log a bug once per call and go on."""

    def guarded(*args: object, **kwargs: object) -> T | None:
        try:
            return method(*args, **kwargs)
        except Exception:
            log.warning("fleet hook %s failed", method.__name__, exc_info=True)
            return None

    guarded.__name__ = method.__name__
    guarded.__doc__ = method.__doc__
    return guarded


class FleetHooks:
    """Counts, metrics and watchdog for one run of the app."""

    def __init__(
        self,
        *,
        state_dir: str,
        metrics_file: str,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._state_dir_setting = state_dir
        self._metrics_file = metrics_file
        self._environ = environ
        self.usage: UsageCounts | None = None
        self.metrics: KioskMetrics | None = None
        self.watchdog = SystemdWatchdog(environ)

    @property
    def ping_seconds(self) -> float:
        return self.watchdog.ping_seconds

    # -- the app's life ------------------------------------------------------------------

    @_never_raises
    def start(
        self,
        *,
        deck_version: str,
        cards: Iterable[object],
        deck_problems: Iterable[object],
        site_problems: Iterable[object],
    ) -> None:
        """After the first paint: open the counts, record deck and site, write the file,
        READY=1."""
        from kiosk.fleet.metrics import KioskMetrics
        from kiosk.fleet.usage import UsageCounts, state_dir_for

        try:
            self.usage = UsageCounts(state_dir_for(self._state_dir_setting))
        except Exception as error:  # e.g. no home folder for the default state folder
            log.warning("usage counts off: no state folder (%r)", error)
            self.usage = UsageCounts(None)
        self.metrics = KioskMetrics(self._metrics_file or None, usage=self.usage)
        self._deck_in_metrics(self.metrics, deck_version, cards, deck_problems)
        self.metrics.site_checked(site_problems)
        self.metrics.write()
        self.watchdog.ready()

    @_never_raises
    def deck_switched(
        self, *, deck_version: str, cards: Iterable[object], deck_problems: Iterable[object]
    ) -> None:
        """A hot reload put a new deck on screen: the metrics file says so at once."""
        if self.metrics is None:
            return
        self._deck_in_metrics(self.metrics, deck_version, cards, deck_problems)
        self.metrics.write()

    @staticmethod
    def _deck_in_metrics(
        metrics: KioskMetrics,
        deck_version: str,
        cards: Iterable[object],
        deck_problems: Iterable[object],
    ) -> None:
        from kiosk.fleet.metrics import cards_past_review

        all_cards = list(cards)
        metrics.deck_loaded(
            deck_version=deck_version,
            cards=len(all_cards),
            past_review=cards_past_review(all_cards),
            problems=deck_problems,
        )

    @_never_raises
    def ping(self) -> None:
        """From the app's own ``set_interval``: the event loop is alive."""
        self.watchdog.ping()

    @_never_raises
    def flush(self) -> None:
        """Every :data:`FLUSH_SECONDS` and at exit: counts to SQLite, metrics rewritten."""
        if self.usage is not None:
            self.usage.flush()
        if self.metrics is not None:
            self.metrics.write()

    @_never_raises
    def stop(self) -> None:
        """At exit: STOPPING=1, the last counts, and ``kiosk_up 0``."""
        self.watchdog.stopping()
        if self.metrics is not None:
            self.metrics.stopped()
        self.flush()

    # -- what a visitor did (counts only: docs/privacy.md) -------------------------------

    @_never_raises
    def card_opened(self, card: str, language: str) -> None:
        if self.usage is not None:
            self.usage.opened(card, language)

    @_never_raises
    def step_reached(self, card: str, language: str, *, last: bool) -> None:
        """A step page was reached; ``last``: the card's last step (finished)."""
        if self.usage is not None:
            self.usage.step_reached(card, language)
            if last:
                self.usage.finished(card, language)

    @_never_raises
    def search_opened(self, language: str) -> None:
        """A count only: the search words are never seen here."""
        if self.usage is not None:
            self.usage.search_used(language)

    @_never_raises
    def timer_started(self, card: str, language: str) -> None:
        """A countdown or the stopwatch started."""
        if self.usage is not None:
            self.usage.timer_started(card, language)

    @_never_raises
    def cpr_beat_started(self, card: str, language: str) -> None:
        """The CPR beat started (card-screen calls it where the beat starts)."""
        if self.usage is not None:
            self.usage.cpr_beat_started(card, language)

    @_never_raises
    def error_handled(self) -> None:
        if self.metrics is not None:
            self.metrics.error_handled()

    @_never_raises
    def idle_reset(self) -> None:
        if self.metrics is not None:
            self.metrics.idle_reset()
