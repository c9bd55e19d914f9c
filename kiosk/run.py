"""``kiosk run``: the process around the app (logging, stop signals, kiosk mode, restarts).

:func:`run_from_args` loads the deck and the site named on the command line, sets up
logging, and runs the app built by :func:`kiosk.app.make_app`; in kiosk mode a crash
starts it again (the error is logged, never shown) and only the staff screen's exit, or
a stop signal, ends the loop. Nothing here needs Textual until the app is built, so a
guard that must run first (input filtering, signal set-up) can be called at the top of
:func:`run_from_args`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk import process_guard
from kiosk.site import Site

if TYPE_CHECKING:
    import argparse

    from kiosk.deck.model import LoadResult

log = logging.getLogger("kiosk")

#: After SIGTERM or SIGHUP, seconds the app gets to stop the normal way before the process
#: ends regardless (see :func:`exit_on_stop_signals`).
STOP_GRACE_SECONDS = 5.0


class Exitable(Protocol):
    def exit(self) -> None: ...


def setup_logging(site: Site) -> Path | None:
    """Logging as :func:`kiosk.logs.setup_logging` sets it up; a failure never stops the kiosk."""
    from kiosk.logs import setup_logging as setup

    try:
        return setup(site)
    except Exception as error:  # logging must never keep the kiosk from starting
        log.warning("could not set up logging: %s", error)
        return None


def runs_under_web_driver() -> bool:
    """True when textual-serve started this process for a browser session."""
    return os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver")


class StopRequest:
    """Whether a stop signal arrived (then the kiosk does not restart)."""

    requested = False


@contextlib.contextmanager
def exit_on_stop_signals(app: Exitable) -> Iterator[StopRequest]:
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
    stop = StopRequest()

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


def load_for_start(
    cards_dir: Path, site: Site, cache_dir: Path | None = None
) -> tuple[LoadResult, Callable[[], LoadResult] | None]:
    """The deck for the first screen, and the rest of its load for the app to run after
    its first paint (None when nothing is left).

    With ``cache_dir`` (:func:`kiosk.deck.cache.default_cache_dir`), a cached deck whose
    files have not changed is the whole deck at once (:mod:`kiosk.deck.cache`). Otherwise
    the site's language and the deck's default come first
    (:class:`kiosk.deck.StagedDeckLoad`), every other language after; the whole deck is
    then written to the cache. The whole deck's problems are logged when it is complete
    (here, or by the app's :meth:`~kiosk.app.KioskApp.ensure_whole_deck`).
    """
    import datetime as dt

    from kiosk.deck import cache as deck_cache

    today = dt.date.today()
    cache_dir = deck_cache.usable_cache_dir(cache_dir, cards_dir)
    key = deck_cache.fingerprint(cards_dir, today) if cache_dir is not None else None
    if cache_dir is not None and key is not None:
        cached = deck_cache.read_cache(cache_dir, cards_dir, key)
        if cached is not None:
            _log_deck_problems(cached)
            return cached, None
    from kiosk.deck import StagedDeckLoad  # the loader and checks: only when reading files

    staged = StagedDeckLoad(cards_dir, [site.default_language], today=today)

    def finish() -> LoadResult:
        from kiosk.deck.codes import INTERNAL_ERROR

        result = staged.finish()
        internal_error = any(p.code == INTERNAL_ERROR for p in result.problems)
        if cache_dir is not None and key is not None and not internal_error:
            deck_cache.write_cache(cache_dir, cards_dir, key, result)  # never a bug's result
        return result

    if not staged.finished:
        return staged.first, finish
    _log_deck_problems(finish())
    return staged.first, None


def _log_deck_problems(result: LoadResult) -> None:
    for problem in result.problems:
        log.warning("deck: %s", problem.format())


def run_from_args(args: argparse.Namespace) -> int:
    """``kiosk run``: load the deck and site named on the command line and run.

    In kiosk mode a crash restarts the app (the error is logged, never shown);
    only the staff screen's exit ends the loop.
    """
    from kiosk.app import make_app
    from kiosk.deck import bundled_cards_dir
    from kiosk.deck.live import deck_version
    from kiosk.site import load_site

    site_result = load_site(args.site)
    site = site_result.site
    if getattr(args, "kiosk", False):
        site = replace(site, kiosk=True)
    process_guard.settle(kiosk=site.kiosk)  # keyboard signals stay ignored (docs/hardening.md)
    log_path = setup_logging(site)
    for problem in site_result.problems:
        log.warning("site: %s", problem.format())
    cards_dir = args.cards or bundled_cards_dir()
    from kiosk.deck.cache import default_cache_dir

    load_result, finish_deck = load_for_start(cards_dir, site, default_cache_dir())
    if site.kiosk:
        # Textual keeps the terminal from turning ctrl+c / ctrl+z / ctrl+\ into signals
        # unless this variable asks it to; in kiosk mode it never may.
        os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)
    # Under `kiosk serve` the app ends whenever its browser session does, and the
    # server and page bring it back; restarting here would only fight the server.
    restart_on_exit = site.kiosk and not runs_under_web_driver()
    while True:
        app = make_app(
            load_result,
            site,
            log_path=log_path,
            site_problems=site_result.problems,
            deck_version=deck_version(cards_dir).name,
            cards_dir=args.cards,
            finish_deck=finish_deck,
        )
        with exit_on_stop_signals(app) as stop:
            app.run()
        if not restart_on_exit or app.staff_exit or stop.requested:
            return app.return_code or 0
        log.error("the app ended without a staff exit; starting it again")
        time.sleep(1)
        from kiosk.deck import load_deck  # the loader and checks: not for a cached start

        load_result, finish_deck = load_deck(cards_dir), None  # ``current`` may have moved
