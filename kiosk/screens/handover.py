"""The "For the ambulance" page: what the timers recorded, big enough to hold up to a crew.

Opened with one tap from the card screen (:class:`kiosk.widgets.handout.HandoverButton`).
It shows the time now, one line per timed run ("Seizure: started 14:02, lasted 6 min
10 s") and the furthest step reached, under the emergency bar; Print (where a printer
works), Clear (forget it all) and Back. The record lives in the app's memory only
(:class:`kiosk.handout.visit.VisitHandout`); the idle reset clears it and pops this
screen with every other. Nothing here is logged.
"""

from __future__ import annotations

import logging
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Static
from textual.worker import WorkerState

from kiosk.screens.base import KioskScreen
from kiosk.strings import Strings
from kiosk.styles import SHORT_ROWS
from kiosk.widgets.emergency_bar import EmergencyBar

log = logging.getLogger("kiosk.handout")

#: Seconds between updates of the "so far" durations while something still runs.
REFRESH_SECONDS = 1.0


class HandoverScreen(KioskScreen[None]):
    """The handover page in the visitor's language; Back returns to the card."""

    BINDINGS = [Binding("escape", "back", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self._ticker: Timer | None = None
        self.printing_now = False

    @property
    def strings(self) -> Strings:
        return Strings(self.kiosk.session.language)

    def compose(self) -> ComposeResult:
        strings = self.strings
        yield EmergencyBar(self.kiosk.site, strings)
        with VerticalScroll(id="handover-page", can_focus=False):
            yield Static("", id="handover-title", markup=False)
            yield Static("", id="handover-now", markup=False)
            yield Static("", id="handover-lines", markup=False)
            yield Static("", id="handover-footer", markup=False)
        yield Static("", id="handover-status", markup=False)
        with Horizontal(id="handover-actions"):
            yield Button(Content(strings["handover.back"]), id="handover-back")
            yield Button(Content(strings["handover.print"]), id="handover-print")
            yield Button(Content(strings["handover.clear"]), id="handover-clear", variant="error")

    def on_mount(self) -> None:
        self.query_one("#handover-print").display = self.kiosk.handout.can_print
        self.query_one("#handover-status").display = False
        self.show_page()
        self.query_one("#handover-back", Button).focus()

    def show_page(self) -> None:
        """Read the record now; tick once a second while a run is still going."""
        handout = self.kiosk.handout
        page = handout.page(self.kiosk.session.language, self.kiosk.session.card)
        self.query_one("#handover-title", Static).update(page.title)
        self.query_one("#handover-now", Static).update(page.now)
        # a blank line between facts where there is room: each one easy to find
        gap = "\n" if self.app.size.height < SHORT_ROWS else "\n\n"
        self.query_one("#handover-lines", Static).update(gap.join(page.lines))
        self.query_one("#handover-footer", Static).update(page.footer)
        running = any(event.stopped is None for event in handout.record.events)
        if running and self._ticker is None:
            self._ticker = self.set_interval(REFRESH_SECONDS, self.show_page)
        elif not running and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def action_back(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "handover-back":
            self.action_back()
        elif event.button.id == "handover-clear":
            self.kiosk.handout.forget()
            self.dismiss(None)
        elif event.button.id == "handover-print":
            self.print_slip()

    def print_slip(self) -> None:
        """Print the page as it stands; the screen keeps working while the printer works."""
        handout = self.kiosk.handout
        if self.printing_now or handout.printing is None:
            return
        language = self.kiosk.session.language
        page = handout.page(language, self.kiosk.session.card)
        self.printing_now = True
        self._status(self.strings["print.button.printing"])
        self.run_worker(
            handout.printing.print_handover_async(page, language),
            group="print-handover",
            exit_on_error=False,
        )

    def on_worker_state_changed(self, event: Any) -> None:
        worker = event.worker
        if worker.group != "print-handover" or not worker.is_finished:
            return
        from kiosk.handout.printing import BUSY, FAILED, PrintResult

        self.printing_now = False
        result = worker.result if worker.state is WorkerState.SUCCESS else None
        if not isinstance(result, PrintResult):
            result = PrintResult(FAILED, "", "the print job ended without a result")
            log.warning("printing failed (failed): %s", result.staff)
        self.kiosk.handout.note_result(result)
        if result.ok:
            self._status(self.strings["print.button.printed"])
        else:
            key = "print.button.busy" if result.code == BUSY else "print.button.failed"
            self._status(self.strings[key])

    def _status(self, text: str) -> None:
        status = self.query_one("#handover-status", Static)
        status.update(text)
        status.display = True
