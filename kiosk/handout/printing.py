"""Print a card or the handover slip on the site's printer, never hanging the caller.

:class:`Printing` renders the printout and sends it in a worker thread. Whatever the
printer does (missing, switched off, out of paper, a USB write that blocks for ever), the
caller has a :class:`PrintResult` within ``timeout`` seconds: words for the visitor in
their language ("Printing is not available. Please ask staff.") and the reason for staff
in English. Only one job runs at a time; while a stuck one is still blocked, the next
gets "busy" at once instead of piling up threads.

Faults go to the ``kiosk.handout`` log as the printer and the reason, never the text that
was printed: a handover slip's times stay out of the log.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from kiosk.deck.model import Card
from kiosk.handout.document import Document, card_document, lines_document
from kiosk.handout.fonts import FontMissing, find_fonts
from kiosk.handout.handover import Clock, HandoverPage, SystemClock
from kiosk.handout.printers import CUPS, ESCPOS_FILE, ESCPOS_NET, PrinterSpec, parse_printer
from kiosk.site import Site
from kiosk.strings import Strings

if TYPE_CHECKING:
    from escpos.escpos import Escpos

log = logging.getLogger("kiosk.handout")

DEFAULT_TIMEOUT = 20.0  # seconds from the tap to a result, whatever the printer does
STATUS_TIMEOUT = 5.0  # `lpstat`, and a receipt printer's paper-status answer
PAPER_EMPTY = 0

# Result codes: stable, for tests and the staff screen.
PRINTED = "printed"
NO_PRINTER = "no-printer"  # the site names none
NOT_INSTALLED = "not-installed"  # the print extra, `lp` or the font is missing
OFFLINE = "offline"  # cannot reach the printer, or CUPS has it stopped
OUT_OF_PAPER = "out-of-paper"
TIMEOUT = "timeout"
BUSY = "busy"  # the previous job is still stuck
FAILED = "failed"  # anything else (the staff text says what)

#: Opens an ESC/POS printer for a spec: ``(spec, width_mm, timeout) -> Escpos``.
Connector = Callable[[PrinterSpec, int, float], "Escpos"]


@dataclass(frozen=True)
class PrintResult:
    """What became of a print: ``visitor`` to show on screen, ``staff`` for the staff screen."""

    code: str
    visitor: str
    staff: str

    @property
    def ok(self) -> bool:
        return self.code == PRINTED


class PrintFault(Exception):
    """A printer problem with its result code; the message is the staff reason."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code


class Printing:
    """The site's printer, as the UI uses it.

    ``configured``: the site file names a printer (show a Print button only then, and only
    if :meth:`setup_problem` is None). :meth:`print_card` and :meth:`print_handover`
    block for at most ``timeout`` seconds; :meth:`submit_card`, :meth:`submit_handover`
    return a future at once, and the ``*_async`` forms await one from an event loop.
    """

    def __init__(
        self,
        site: Site,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        clock: Clock | None = None,
        connect: Connector | None = None,
        lp: str = "lp",
        lpstat: str = "lpstat",
    ) -> None:
        self.site = site
        self.timeout = timeout
        self.clock = clock or SystemClock()
        self._connect = connect or connect_escpos
        self._lp = lp
        self._lpstat = lpstat
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        try:
            self.spec = parse_printer(site.printer)
        except ValueError:  # kiosk.site already refused it; treat as no printer
            self.spec = None

    @property
    def configured(self) -> bool:
        return self.spec is not None

    def setup_problem(self) -> str | None:
        """Why printing cannot work on this machine, for staff (None when it can)."""
        if self.spec is None:
            return "no printer is set in the site file (printer = ...)"
        modules = ("fpdf",) if self.spec.kind == CUPS else ("escpos", "PIL")
        missing = [name for name in modules if find_spec(name) is None]
        if missing:
            return (
                f"the print extra is not installed ({', '.join(missing)} missing):"
                " KIOSK_EXTRAS=print ./run_kiosk.sh check"
            )
        if self.spec.kind == CUPS and shutil.which(self._lp) is None:
            return f"the CUPS client `{self._lp}` is not installed: apt-get install cups-client"
        try:
            find_fonts()
        except FontMissing as error:
            return str(error)
        return None

    @property
    def busy(self) -> bool:
        """A job is still running (or stuck in a write): the next one would get ``busy``."""
        worker = self._worker
        return worker is not None and worker.is_alive()

    @property
    def available(self) -> bool:
        """True when a Print button would work (a printer is set up and everything is there)."""
        return self.configured and self.setup_problem() is None

    # The UI's entry points.

    def print_card(self, card: Card, language: str | None = None) -> PrintResult:
        return self.submit_card(card, language).result()

    def print_handover(self, page: HandoverPage, language: str) -> PrintResult:
        return self.submit_handover(page, language).result()

    def submit_card(
        self, card: Card, language: str | None = None
    ) -> concurrent.futures.Future[PrintResult]:
        """Start printing ``card``; the future is done within ``timeout`` seconds."""
        language = language or card.language
        return self._submit(lambda: card_document(card, self.site, self.clock.wall()), language)

    def submit_handover(
        self, page: HandoverPage, language: str
    ) -> concurrent.futures.Future[PrintResult]:
        """Start printing the handover slip ``page`` (from ``HandoverRecord.page``)."""

        def document() -> Document:
            when = self.clock.wall()
            return lines_document(page.title, page.lines, language, self.site, when, page.now)

        return self._submit(document, language)

    async def print_card_async(self, card: Card, language: str | None = None) -> PrintResult:
        return await asyncio.wrap_future(self.submit_card(card, language))

    async def print_handover_async(self, page: HandoverPage, language: str) -> PrintResult:
        return await asyncio.wrap_future(self.submit_handover(page, language))

    # The job.

    def _submit(
        self, make_document: Callable[[], Document], language: str
    ) -> concurrent.futures.Future[PrintResult]:
        future: concurrent.futures.Future[PrintResult] = concurrent.futures.Future()
        strings = Strings(language)
        if self.spec is None:
            future.set_result(self._result(NO_PRINTER, "no printer is set", strings))
            return future
        spec = self.spec
        with self._lock:
            if self.busy:
                reason = f"{spec.describe()}: the previous job has not finished"
                future.set_result(self._result(BUSY, reason, strings))
                return future
            deadline = time.monotonic() + self.timeout

            def work() -> None:
                try:
                    self._send(spec, make_document(), deadline)
                    outcome = self._result(PRINTED, f"printed on {spec.describe()}", strings)
                except PrintFault as fault:
                    outcome = self._result(fault.code, f"{spec.describe()}: {fault}", strings)
                except FontMissing as error:
                    outcome = self._result(NOT_INSTALLED, str(error), strings)
                except ImportError as error:
                    reason = f"the print extra is not installed ({error.name} missing)"
                    outcome = self._result(NOT_INSTALLED, reason, strings)
                except Exception as error:  # a printer library's surprise must not escape
                    outcome = self._result(FAILED, f"{spec.describe()}: {error!r}", strings)
                _settle(future, outcome)

            def too_late() -> None:
                reason = f"{spec.describe()} did not finish within {self.timeout:g} s"
                _settle(future, self._result(TIMEOUT, reason, strings))

            self._worker = threading.Thread(target=work, name="kiosk-print", daemon=True)
            timer = threading.Timer(self.timeout, too_late)
            timer.daemon = True
            future.add_done_callback(lambda _: timer.cancel())
            timer.start()
            self._worker.start()
        return future

    def _result(self, code: str, staff: str, strings: Strings) -> PrintResult:
        if code == PRINTED:
            visitor = strings["print.sent"]
        else:
            visitor = strings["print.busy" if code == BUSY else "print.unavailable"]
            log.warning("printing failed (%s): %s", code, staff)
        return PrintResult(code, visitor, staff)

    def _send(self, spec: PrinterSpec, document: Document, deadline: float) -> None:
        if spec.kind == CUPS:
            from kiosk.handout.pdf import render_pdf

            self._send_cups(spec, document.title, render_pdf(document), deadline)
            return
        from kiosk.handout.receipt import receipt_image, write_receipt

        image = receipt_image(document, self.site.printer_width)
        printer = self._open_escpos(spec, deadline)
        try:
            write_receipt(printer, image, after_init=lambda: _check_paper(printer, deadline))
        except PrintFault:
            raise
        except (OSError, socket.timeout) as error:
            raise PrintFault(OFFLINE, f"writing failed: {error}") from error
        finally:
            with contextlib.suppress(Exception):  # closing a dead device: keep the real fault
                printer.close()

    def _open_escpos(self, spec: PrinterSpec, deadline: float) -> Escpos:
        from escpos.exceptions import DeviceNotFoundError

        try:
            printer = self._connect(spec, self.site.printer_width, _left(deadline))
            printer.open()
        except DeviceNotFoundError as error:
            raise PrintFault(OFFLINE, f"cannot open it: {_first_line(error)}") from error
        except (OSError, socket.timeout) as error:
            raise PrintFault(OFFLINE, f"cannot open it: {error}") from error
        return printer

    def _send_cups(self, spec: PrinterSpec, title: str, pdf: bytes, deadline: float) -> None:
        lp = shutil.which(self._lp)
        if lp is None:
            raise PrintFault(NOT_INSTALLED, f"`{self._lp}` not found: apt-get install cups-client")
        self._check_cups_queue(spec.target, deadline)
        try:
            done = subprocess.run(
                [lp, "-d", spec.target, "-t", title, "-s"],
                input=pdf,
                capture_output=True,
                timeout=_left(deadline),
            )
        except subprocess.TimeoutExpired as error:
            raise PrintFault(TIMEOUT, "`lp` did not return in time") from error
        except OSError as error:
            raise PrintFault(FAILED, f"cannot run `lp`: {error}") from error
        if done.returncode != 0:
            message = _first_line(done.stderr.decode("utf-8", "replace")) or "no message"
            raise PrintFault(FAILED, f"`lp` failed (exit {done.returncode}): {message}")

    def _check_cups_queue(self, name: str, deadline: float) -> None:
        """Refuse a queue that CUPS has stopped, or that reports no paper or no printer.

        Where ``lpstat`` is missing, the job goes straight to ``lp``.
        """
        lpstat = shutil.which(self._lpstat)
        if lpstat is None:
            return
        try:
            done = subprocess.run(
                [lpstat, "-l", "-p", name],
                capture_output=True,
                text=True,
                timeout=min(STATUS_TIMEOUT, _left(deadline)),
            )
        except subprocess.TimeoutExpired as error:
            raise PrintFault(
                TIMEOUT, "`lpstat` did not return in time (is cupsd running?)"
            ) from error
        except OSError:
            return
        text = done.stdout.lower()
        if done.returncode != 0 or not text.strip():
            message = _first_line(done.stderr) or "no such queue"
            raise PrintFault(OFFLINE, f"CUPS cannot report the queue: {message} (`lpstat -p`)")
        if "disabled" in text.splitlines()[0]:
            raise PrintFault(OFFLINE, f"CUPS has stopped the queue: `cupsenable {name}`")
        if "media-empty" in text:
            raise PrintFault(OUT_OF_PAPER, "out of paper")
        if "offline-report" in text:
            raise PrintFault(OFFLINE, "the printer reports it is offline")


def connect_escpos(spec: PrinterSpec, width_mm: int, timeout: float) -> Escpos:
    """The python-escpos printer for ``spec``, not yet opened."""
    from kiosk.handout.receipt import receipt_profile

    profile: Any = receipt_profile(width_mm)
    if spec.kind == ESCPOS_NET:
        from escpos.printer import Network

        return Network(spec.target, port=spec.port, timeout=timeout, profile=profile)
    if spec.kind == ESCPOS_FILE:
        from escpos.printer import File

        return File(spec.target, profile=profile)
    from escpos.printer import Usb

    return Usb(spec.vendor_id, spec.product_id, timeout=int(timeout * 1000), profile=profile)


def _check_paper(printer: Escpos, deadline: float) -> None:
    """Stop before sending when the printer says it has no paper (if it can say).

    A network printer that does not answer the status query costs at most
    ``STATUS_TIMEOUT``, not the whole job's time.
    """
    device = printer.device
    if isinstance(device, socket.socket):
        device.settimeout(min(STATUS_TIMEOUT, _left(deadline)))
    try:
        status = printer.paper_status()
    except Exception:  # a device file cannot be read back, or no answer: the write will tell
        return
    finally:
        if isinstance(device, socket.socket):
            device.settimeout(_left(deadline))
    if status == PAPER_EMPTY:
        raise PrintFault(OUT_OF_PAPER, "out of paper")


def _settle(future: concurrent.futures.Future[PrintResult], result: PrintResult) -> None:
    """Set the result unless the other side (the job, the deadline) already did."""
    with contextlib.suppress(concurrent.futures.InvalidStateError):
        future.set_result(result)


def _left(deadline: float) -> float:
    return max(0.1, deadline - time.monotonic())


def _first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return lines[0].strip() if lines else ""
