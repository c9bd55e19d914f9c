"""The hardened input layer hooked into Textual's terminal and web drivers (Textual 8.2.8).

Textual's drivers read the terminal (or the browser's stdin stream), decode it as strict
UTF-8 and feed its ``XTermParser``. Any exception there ends the input thread: the Linux
driver then shows a traceback and ends the app (``_run_input_thread`` calls
``app.panic``); the web driver logs it to the devtools and carries on with no input at
all, a frozen page. (Reproductions: ``docs/upstream/``.)

:class:`HardenedInput` is what the drivers below feed instead: bytes are decoded leniently,
passed through :class:`kiosk.input_filter.InputFilter` (only complete, in-range, known
sequences reach the parser), then Textual's parser. If the parser raises anyway, the
error is logged once and a fresh parser takes over. The drivers also

- keep the input thread alive whatever happens in it, and if it ends unexpectedly anyway,
  log it and end the app cleanly (the kiosk's run loop, or the browser page, starts a new
  one) instead of leaving a kiosk that no longer hears its visitor;
- apply backpressure: the filter passes no input while the app is more than
  ``Limits.backlog`` inputs behind (counted with markers that follow the inputs through
  the app's queues), so a flood cannot queue minutes of work;
- in kiosk mode, put the process guard's signal dispositions back right after Textual
  installs its own (:mod:`kiosk.process_guard`);
- draw on the terminal even when stderr is not one (``kiosk --kiosk 2>file``, a systemd
  unit with ``StandardError=journal``): Textual writes the screen to ``sys.__stderr__``.

Everything here that touches Textual's private names is checked by
``tests/hostile/test_compat_textual_input.py``, which fails if an upgrade moves them.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import selectors
import sys
import time
from collections.abc import Callable, Collection, Iterable
from typing import IO, Any

from textual import constants, messages
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS, IGNORE_SEQUENCE
from textual._keyboard_protocol import FUNCTIONAL_KEYS
from textual._xterm_parser import XTermParser
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from kiosk import process_guard
from kiosk.input_filter import KITTY_ESCAPE, ByteInputFilter, InputFilter, Limits

log = logging.getLogger("kiosk.input")

#: Replies the drivers query at start: 2026 (synchronized output). Not 2048 (in-band
#: window size): the kiosk takes its size from the kernel (SIGWINCH), which no keyboard
#: can forge, so the terminal's offer of size reports is declined (the reply is dropped
#: and Textual never turns them, or pixel mouse coordinates, on).
EXPECTED_REPORTS = ("2026",)
#: A marker not back from the app after this long is taken as lost (the widget that had
#: the focus went away with it, or the app is ending): at worst this long of held input.
MARKER_TIMEOUT = 1.0
#: A flood ends after this long with nothing dropped; its summary is logged then.
FLOOD_QUIET_SECONDS = 10.0
#: Drops that are part of normal use: counted, never logged.
QUIET_DROPS = frozenset({"motion", "incomplete", "paste_cut", "unrequested_report"})
#: Unexpected input-thread failures in a row before the driver ends the app.
MAX_INPUT_FAILURES = 3


def known_key_sequences() -> list[str]:
    """The escape sequences Textual's parser maps to keys and reads whole in one go.

    Left out: those it ignores; those with a second ESC (the parser splits those into
    two keys and then waits on the second ESC); and ESC with one character (macOS
    Option keys such as ``ESC 5`` for "∞"): on the kiosk, Escape pressed just before a
    key is both keys.
    """
    return [
        sequence
        for sequence, keys in ANSI_SEQUENCES_KEYS.items()
        if keys is not IGNORE_SEQUENCE
        and sequence.startswith("\x1b")
        and len(sequence) > 2
        and "\x1b" not in sequence[1:]
    ]


def make_filter(
    *,
    expected_reports: Collection[str] = EXPECTED_REPORTS,
    size_check: Callable[[int, int], bool] | None = None,
    backlog: Callable[[], int] | None = None,
    limits: Limits | None = None,
    start: float | None = None,
) -> InputFilter:
    """An :class:`InputFilter` set up for Textual's parser as configured in this process."""
    kitty_keys = not constants.DISABLE_KITTY_KEY
    return InputFilter(
        known_sequences=known_key_sequences(),
        functional_keys=FUNCTIONAL_KEYS,
        extended_keys=kitty_keys,
        # A lone ESC as the kitty Escape key, which the parser reads at once; a bare ESC
        # would make it wait ESCDELAY again and pair the ESC with the next key.
        escape_key=KITTY_ESCAPE if kitty_keys else "\x1b",
        expected_reports=expected_reports,
        size_check=size_check,
        backlog=backlog,
        limits=limits or Limits(escape_delay=constants.ESCAPE_DELAY),
        start=time.monotonic() if start is None else start,
    )


class HardenedInput:
    """Terminal bytes to Textual messages: lenient UTF-8, the filter, the parser, recovery."""

    def __init__(
        self,
        *,
        expected_reports: Collection[str] = EXPECTED_REPORTS,
        size_check: Callable[[int, int], bool] | None = None,
        backlog: Callable[[], int] | None = None,
        limits: Limits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock
        self.filter = make_filter(
            expected_reports=expected_reports,
            size_check=size_check,
            backlog=backlog,
            limits=limits,
            start=clock(),
        )
        self._bytes = ByteInputFilter(self.filter)
        self.parser = XTermParser()
        self._logged: set[str] = set()
        self._flood_started: float | None = None
        self._flood_last_drop = 0.0
        self._flood_seen = 0
        self._flood_base = 0

    @property
    def units(self) -> int:
        """Inputs passed to the parser so far (keys, taps, pastes, reports)."""
        return self.filter.stats.units

    def feed(self, data: bytes) -> list[Message]:
        """Messages for ``data`` just read from the terminal."""
        now = self.clock()
        try:
            text = self._bytes.feed(data, now)
        except Exception:  # the filter is written never to raise; if it does, drop the input
            self._note_failure("filter", "the input filter failed; input dropped")
            text = ""
        return self._parse(text, now)

    def tick(self) -> list[Message]:
        """Messages that time alone completes (a lone ESC; an unterminated paste closing)."""
        now = self.clock()
        try:
            text = self._bytes.flush(now)
        except Exception:
            self._note_failure("filter", "the input filter failed; input dropped")
            text = ""
        messages_out = self._parse(text, now)
        try:
            messages_out.extend(self.parser.tick())
        except Exception:
            self._note_failure("parser", "Textual's input parser failed; started a new one")
            self.parser = XTermParser()
        return messages_out

    def timeout(self, longest: float = 0.1) -> float:
        """Seconds until :meth:`tick` is next needed, at most ``longest``."""
        deadline = self.filter.next_deadline()
        if deadline is None:
            return longest
        return max(0.0, min(longest, deadline - self.clock()))

    def _parse(self, text: str, now: float) -> list[Message]:
        self._report_drops(now)
        if not text:
            return []
        try:
            return list(self.parser.feed(text))
        except Exception:
            # A bug the filter let through: the parser's state is lost with its generator.
            self._note_failure(
                "parser", f"Textual's input parser failed on {text[:48]!r}; started a new one"
            )
            self.parser = XTermParser()
            return []

    def _note_failure(self, kind: str, message: str) -> None:
        if kind not in self._logged:
            self._logged.add(kind)
            log.error("%s (logged once)", message, exc_info=True)

    def _report_drops(self, now: float) -> None:
        """Log each kind of dropped input once, and each flood when it starts and ends."""
        stats = self.filter.stats
        for reason, example in stats.examples.items():
            if reason in self._logged or reason in QUIET_DROPS or reason == "flood":
                continue
            self._logged.add(reason)
            log.warning(
                "ignored %s terminal input, first %r (logged once; later ones are counted)",
                reason.replace("_", " "),
                example,
            )
        flood = stats.dropped.get("flood", 0)
        if flood > self._flood_seen:
            if self._flood_started is None:
                self._flood_started, self._flood_base = now, self._flood_seen
                log.warning("input flood: input is dropped until the kiosk catches up")
            self._flood_seen, self._flood_last_drop = flood, now
        elif self._flood_started is not None and now - self._flood_last_drop >= FLOOD_QUIET_SECONDS:
            log.warning(
                "input flood over after %.0f s; %d inputs dropped",
                self._flood_last_drop - self._flood_started,
                flood - self._flood_base,
            )
            self._flood_started = None


class InputGuard:
    """The parts both hardened drivers share: the pipeline, backpressure, delivery."""

    _app: Any
    _loop: asyncio.AbstractEventLoop

    def _start_input_guard(self, **pipeline_options: Any) -> HardenedInput:
        self._acked_units = 0
        self._marker_sent_at: float | None = None
        self._input_failures = getattr(self, "_input_failures", 0)  # kept across restarts
        self._hardened = HardenedInput(backlog=self._backlog, **pipeline_options)
        return self._hardened

    # -- backpressure -----------------------------------------------------------------------

    def _backlog(self) -> int:
        """Inputs passed on that the app has not reached yet (0 while no marker is out)."""
        sent = self._marker_sent_at
        if sent is not None and time.monotonic() - sent > MARKER_TIMEOUT:
            self._marker_sent_at = None  # lost (the app is ending); do not block for good
            self._acked_units = self._hardened.units
        return self._hardened.units - self._acked_units

    def _send_marker(self) -> None:
        """After the inputs just posted: a marker that reports back once the app got to it.

        It goes the way the inputs went, through the app's queue and then the queue of the
        widget that has the focus (where a key waits while an earlier key is handled).
        """
        if self._marker_sent_at is not None:
            return
        units = self._hardened.units
        if units <= self._acked_units:
            return
        self._marker_sent_at = time.monotonic()
        app = self._app

        def acknowledge() -> None:
            self._acked_units = max(self._acked_units, units)
            self._marker_sent_at = None
            self._send_marker()  # inputs came since this marker left: follow them

        def reached_app() -> None:
            try:
                target = app.focused or app.screen
                if not target.call_later(acknowledge):  # the widget is closing
                    acknowledge()
            except Exception:
                acknowledge()

        async def post() -> None:
            if not app.call_later(reached_app):
                acknowledge()

        try:
            asyncio.run_coroutine_threadsafe(post(), loop=self._loop)
        except RuntimeError:  # the loop has closed
            self._marker_sent_at = None
            self._acked_units = units

    def _deliver(self, messages_in: Iterable[Message]) -> None:
        posted = False
        for message in messages_in:
            try:
                self.process_message(message)  # type: ignore[attr-defined]
                posted = True
            except Exception:
                log.exception("could not pass %r to the app", type(message).__name__)
        if posted:
            self._send_marker()

    # -- failures ---------------------------------------------------------------------------

    def _input_thread_failed(self) -> bool:
        """Log an unexpected error of the input thread; True if it should read on."""
        self._input_failures += 1
        if self._input_failures <= MAX_INPUT_FAILURES:
            log.exception("the input thread failed; reading on with a fresh parser")
            return True
        log.exception("the input thread keeps failing; ending the app (it restarts)")
        self._end_app_for_restart()
        return False

    def _end_app_for_restart(self) -> None:
        """End the app the normal way, from the input thread (no traceback, no panic)."""
        with contextlib.suppress(RuntimeError):
            asyncio.run_coroutine_threadsafe(
                self._app._post_message(messages.ExitApp()), loop=self._loop
            )


def terminal_output(default: IO[str] | None) -> IO[str] | None:
    """A stream to the terminal the kiosk is on, for Textual to draw on.

    Textual draws on ``sys.__stderr__``; when that is not a terminal (``2>file``, or a
    unit with ``StandardError=journal``), the screen would go there and the terminal stay
    blank. Then stdout if it is the terminal, else the terminal of stdin, else
    ``/dev/tty``; ``default`` if none of them is one.
    """

    def is_terminal(stream: IO[str] | None) -> bool:
        try:
            return stream is not None and stream.isatty()
        except (AttributeError, ValueError, OSError):
            return False

    if is_terminal(default):
        return default
    if is_terminal(sys.__stdout__):
        return sys.__stdout__
    candidates = []
    with contextlib.suppress(AttributeError, ValueError, OSError):
        if sys.__stdin__ is not None and sys.__stdin__.isatty():
            candidates.append(os.ttyname(sys.__stdin__.fileno()))
    candidates.append("/dev/tty")
    encoding = getattr(default, "encoding", None) or "utf-8"
    for path in candidates:
        try:
            stream = open(path, "w", encoding=encoding, errors="replace")  # noqa: SIM115
        except OSError:
            continue
        if is_terminal(stream):
            return stream
        stream.close()
    return default


class HardenedLinuxDriver(InputGuard, LinuxDriver):
    """Textual's Linux driver with the hardened input thread; see the module docstring."""

    def __init__(self, app: Any, **options: Any) -> None:
        with process_guard.signals_deferred():
            super().__init__(app, **options)
        output = terminal_output(self._file)
        if output is not None:
            self._file = output  # type: ignore[assignment]

    def start_application_mode(self) -> None:
        with process_guard.signals_deferred():
            super().start_application_mode()  # type: ignore[no-untyped-call]

    def _get_terminal_size(self) -> tuple[int, int]:
        """The size of the terminal drawn on (not of stdout, which may be a file)."""
        try:
            columns, rows = os.get_terminal_size(self._file.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            return super()._get_terminal_size()
        return (columns, rows) if columns > 0 and rows > 0 else super()._get_terminal_size()

    def _size_agrees(self, columns: int, rows: int) -> bool:
        """An in-band size report must match the kernel's size of the terminal."""
        try:
            size = os.get_terminal_size(self.fileno)
        except OSError:
            return False
        return (size.columns, size.lines) == (columns, rows)

    def run_input_thread(self) -> None:
        """Read the terminal until the driver stops; never raises."""
        pipeline = self._start_input_guard(size_check=self._size_agrees)
        while not self.exit_event.is_set():
            try:
                self._read_terminal(pipeline)
                return
            except BaseException:
                if self.exit_event.is_set() or not self._input_thread_failed():
                    return
                pipeline = self._start_input_guard(size_check=self._size_agrees)

    def _read_terminal(self, pipeline: HardenedInput) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        reading = True
        try:
            while not self.exit_event.is_set():
                timeout = pipeline.timeout()
                if not reading:
                    self.exit_event.wait(timeout)
                elif selector.select(timeout):
                    try:
                        data = os.read(self.fileno, 4096)
                    except OSError as error:
                        if error.errno in (errno.EAGAIN, errno.EINTR):
                            continue
                        data = b""
                    if not data:
                        # End of input (the terminal hung up); SIGHUP ends the kiosk.
                        reading = False
                        selector.unregister(self.fileno)
                        continue
                    self._deliver(pipeline.feed(data))
                self._deliver(pipeline.tick())
        finally:
            selector.close()


def hardened_driver_class(driver_class: type[Driver]) -> type[Driver]:
    """The hardened driver for Textual's Linux or web driver; any other one unchanged."""
    if issubclass(driver_class, InputGuard):
        return driver_class
    if driver_class is LinuxDriver:
        return HardenedLinuxDriver
    # Textual imports its web driver only under `kiosk serve` (TEXTUAL_DRIVER); so does
    # the kiosk, whose terminal start-up then does without it (issue 19).
    web = sys.modules.get("textual.drivers.web_driver")
    if web is not None and driver_class is web.WebDriver:
        from kiosk.compat.textual_web_input import HardenedWebDriver

        return HardenedWebDriver
    return driver_class


__all__ = [
    "EXPECTED_REPORTS",
    "HardenedInput",
    "HardenedLinuxDriver",
    "hardened_driver_class",
    "known_key_sequences",
    "make_filter",
    "terminal_output",
]
