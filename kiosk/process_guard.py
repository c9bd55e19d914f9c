"""Kiosk mode for the process itself: no keyboard signal, and no traceback on the screen.

A visitor at a keyboard can make the terminal send the kiosk signals: Ctrl+C (SIGINT),
Ctrl+\\ (SIGQUIT), Ctrl+Z (SIGTSTP). Textual turns those keys into key presses while an
app runs, but not during start-up or between two app runs, and its Linux driver installs a
SIGTSTP handler that stops the process (SIGSTOP) for good. In kiosk mode these signals,
and SIGTTIN/SIGTTOU (which stop a process that touches its terminal from the
background), are ignored for the whole life of the process:

- :func:`hold_visitor_signals` is the first thing ``kiosk run`` does, before Textual is
  imported and before the site file is read;
- :func:`settle` decides once the site is known: kiosk mode keeps them ignored and routes
  every traceback and stray stderr text to the log; otherwise the signals get their
  previous handlers back;
- :func:`signals_deferred` wraps the Textual code that installs its own handlers (the
  driver hook in :mod:`kiosk.compat.textual_input`), which puts ours back at once.

A shell wrapper can close the gap before Python runs too: dispositions set to "ignore"
survive ``exec`` (``trap '' INT QUIT TSTP`` in ``run_kiosk.sh`` and the deploy units).
SIGTERM and SIGHUP are not a visitor's: they still end the kiosk (``kiosk.app``).
"""

from __future__ import annotations

import contextlib
import io
import logging
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from types import TracebackType
from typing import Any, Callable, TextIO

log = logging.getLogger("kiosk")

#: What a keyboard can make the terminal send, or what stops a background process.
VISITOR_SIGNAL_NAMES = ("SIGINT", "SIGQUIT", "SIGTSTP", "SIGTTIN", "SIGTTOU")
VISITOR_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in VISITOR_SIGNAL_NAMES if hasattr(signal, name)
)
#: Longest stray stderr text kept for one log record.
MAX_STDERR_RECORD = 16_000

_Handler = Any  # a signal handler: a callable, SIG_IGN, SIG_DFL or None
_saved: dict[signal.Signals, _Handler] = {}
_armed = False
_kiosk = False


def hold_visitor_signals() -> None:
    """Ignore the visitor signals from now on (until :func:`settle` says otherwise).

    Idempotent; the handlers in place the first time are saved for :func:`settle`, which
    acts only in a process that called this first (the ``kiosk run`` entry point; a test
    calling ``run_from_args`` directly leaves its own process alone).
    """
    global _armed
    _armed = True
    for signum in VISITOR_SIGNALS:
        try:
            previous = signal.signal(signum, signal.SIG_IGN)
        except (OSError, ValueError):  # not the main thread, or not settable here
            continue
        _saved.setdefault(signum, previous)


def settle(kiosk: bool) -> None:
    """Kiosk mode: keep the signals ignored for good and keep tracebacks off the screen.

    Not kiosk mode: give the signals back the handlers they had before
    :func:`hold_visitor_signals`.
    """
    global _kiosk
    if not _armed:
        return
    if kiosk:
        _kiosk = True
        hold_visitor_signals()
        reassert()
        _route_errors_to_log()
        return
    if _kiosk:
        return  # kiosk mode is for the life of the process
    for signum, previous in list(_saved.items()):
        with contextlib.suppress(OSError, ValueError, TypeError):
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
    _saved.clear()


def active() -> bool:
    """True once :func:`settle` has put the process in kiosk mode."""
    return _kiosk


def reassert() -> None:
    """In kiosk mode, ignore the visitor signals again (after Textual set its own).

    SIGCONT gets its default action: Textual's handler would restart the app's terminal
    mode on a running app (an operator's ``kill -CONT``), starting a second input thread.
    """
    if not _kiosk:
        return
    for signum in VISITOR_SIGNALS:
        with contextlib.suppress(OSError, ValueError):
            signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "SIGCONT"):
        with contextlib.suppress(OSError, ValueError):
            signal.signal(signal.SIGCONT, signal.SIG_DFL)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Run code that installs signal handlers, then :func:`reassert` before any can run.

    In kiosk mode the visitor signals (and SIGCONT) are blocked in this thread for the
    duration, so none arrives while Textual's handlers are briefly in place; a signal
    that came meanwhile is discarded once it is ignored again.
    """
    if not _kiosk or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = set(VISITOR_SIGNALS) | ({signal.SIGCONT} if hasattr(signal, "SIGCONT") else set())
    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        reassert()
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)


# -- tracebacks and stray stderr text ------------------------------------------------------


class StderrToLog(io.TextIOBase):
    """Stands in for ``sys.stderr`` in kiosk mode: what is written goes to the log.

    Textual draws on its own handle to the terminal, so nothing the interface needs goes
    through ``sys.stderr``; what does is error text (Textual's crash report, a warning, a
    traceback) that would otherwise land on the visitor's screen in a restart gap. Text
    is kept until a flush or a line end and logged as one record. When the real stderr
    is not a terminal (the journal, a file), the text is written there as well.
    """

    def __init__(self, passthrough: TextIO | None) -> None:
        super().__init__()
        self.passthrough = passthrough
        self._pending: list[str] = []
        self._size = 0
        self._lock = threading.RLock()
        self._emitting = False

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            text = str(text)
        with self._lock:
            if self._size < MAX_STDERR_RECORD:
                self._pending.append(text[: MAX_STDERR_RECORD - self._size])
                self._size += len(self._pending[-1])
            if self.passthrough is not None:
                with contextlib.suppress(Exception):
                    self.passthrough.write(text)
            if text.endswith("\n"):
                self._emit()
        return len(text)

    def flush(self) -> None:
        with self._lock:
            self._emit()
            if self.passthrough is not None:
                with contextlib.suppress(Exception):
                    self.passthrough.flush()

    def _emit(self) -> None:
        text = "".join(self._pending).rstrip()
        self._pending, self._size = [], 0
        if not text or self._emitting:
            return  # nothing, or a logging failure writing to stderr while we log
        self._emitting = True
        try:
            log.error("stderr: %s", text)
        except Exception:
            pass
        finally:
            self._emitting = False


def _log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    with contextlib.suppress(Exception):
        sys.stderr.write("".join(traceback.format_exception(kind, error, trace)))
        sys.stderr.flush()


def _log_uncaught_in_thread(hook_args: Any) -> None:
    if hook_args.exc_type is SystemExit:
        return
    _log_uncaught(hook_args.exc_type, hook_args.exc_value, hook_args.exc_traceback)


_installed: list[Callable[[], None]] = []


def _route_errors_to_log() -> None:
    """sys.stderr, sys.excepthook and threading.excepthook to the log (once)."""
    if _installed:
        return
    original = sys.stderr
    try:
        to_terminal = original is None or original.isatty()
    except (AttributeError, ValueError):
        to_terminal = True
    sys.stderr = StderrToLog(None if to_terminal else original)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread
    _installed.append(lambda: None)
