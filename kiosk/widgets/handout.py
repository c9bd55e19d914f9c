"""The card screen's printing widgets: Print, "For the ambulance", the take-home QR.

:class:`HandoutActions` is composed inside the card screen's ``CardActions`` row; it holds
the Print button (only when the site names a printer that can work here) and the "For the
ambulance" button (only once a timer or the CPR beat has run). :class:`TakeHomeQr` sits
in the card page and shows on the card's last page only, when the whole code fits beside
the text. :class:`PrinterStatus` is the staff screen's printer block.

Everything reads the app's :class:`kiosk.handout.visit.VisitHandout` (``app.handout``)
and follows the ``card_place`` reactive; nothing here edits the card layout.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Static
from textual.worker import WorkerState

from kiosk.handout.qr import BACKGROUND, FOREGROUND, TerminalQr, card_qr
from kiosk.session import CardPlace
from kiosk.strings import Strings
from kiosk.styles import CARD_ACTIONS_MIN_ROWS
from kiosk.widgets.card_actions import CardActions

if TYPE_CHECKING:
    from kiosk.app import KioskApp
    from kiosk.handout.printing import PrintResult

log = logging.getLogger("kiosk.handout")

#: Seconds the Print button shows "Printed" or the fault before it reads "Print" again.
RESULT_SECONDS = 8.0
#: Screens narrower than this get the short labels.
COMPACT_COLUMNS = 48
#: Columns the card's last page keeps for its text beside the QR.
QR_TEXT_COLUMNS = 34
#: Columns kept free at the page's right edge, and the QR's left margin (handout.tcss).
PAGE_SCROLLBAR, QR_MARGIN = 2, 2
#: Rows above the code: its top margin and the caption.
QR_CAPTION_ROWS = 2
#: The QR may be drawn at up to this many cells per module where there is room.
QR_MAX_SCALE = 2


def kiosk_of(widget: Any) -> KioskApp:
    return cast("KioskApp", widget.app)


def compact(widget: Any) -> bool:
    return bool(widget.app.size.width < COMPACT_COLUMNS)


class PrintButton(Button):
    """Print the card shown, in the visitor's language, without blocking the screen."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", id="print-card", classes="handout-button", **kwargs)
        self.printing_now = False
        self.reset_timer: Timer | None = None

    def show_ready(self) -> None:
        self.reset_timer = None
        if not self.printing_now:
            self.label = Content(kiosk_of(self).strings["print.button"])

    def _show(self, key: str) -> None:
        strings = kiosk_of(self).strings
        short = f"{key}.short"
        text = strings[short] if compact(self) and strings[short] != short else strings[key]
        self.label = Content(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        app = kiosk_of(self)
        card, printing = app.session.card, app.handout.printing
        if self.printing_now or card is None or printing is None:
            return
        self.printing_now = True
        self._show("print.button.printing")
        if self.reset_timer is not None:
            self.reset_timer.stop()
        language = app.session.language
        self.run_worker(
            printing.print_card_async(card, language), group="print", exit_on_error=False
        )
        log.info("print: card %s (%s) queued", card.id, language)

    def on_worker_state_changed(self, event: Any) -> None:
        """The job ended: show what became of it (a worker error counts as a fault)."""
        worker = event.worker
        if worker.group != "print" or not worker.is_finished:
            return
        self.job_finished(worker.result if worker.state is WorkerState.SUCCESS else None)

    def job_finished(self, result: PrintResult | None) -> None:
        from kiosk.handout.printing import BUSY, FAILED, PrintResult

        app = kiosk_of(self)
        self.printing_now = False
        if not isinstance(result, PrintResult):
            result = PrintResult(FAILED, "", "the print job ended without a result")
            log.warning("printing failed (failed): %s", result.staff)
        app.handout.note_result(result)
        if result.ok:
            self._show("print.button.printed")
        else:
            self._show("print.button.busy" if result.code == BUSY else "print.button.failed")
        self.reset_timer = self.set_timer(RESULT_SECONDS, self.show_ready)


class HandoverButton(Button):
    """One tap to the "For the ambulance" page."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", id="handover-open", classes="handout-button", **kwargs)

    def show_label(self) -> None:
        strings = kiosk_of(self).strings
        self.label = Content(
            strings["handover.button.short" if compact(self) else "handover.button"]
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        from kiosk.compat.textual import breakpoint_classes
        from kiosk.screens.handover import HandoverScreen

        screen = HandoverScreen()
        screen.add_class(*breakpoint_classes(self.app, *self.app.size))
        self.app.push_screen(screen)


class HandoutActions(Horizontal):
    """Print and "For the ambulance" in the card screen's action row (print-ui)."""

    def compose(self) -> ComposeResult:
        yield PrintButton()
        yield HandoverButton()

    def on_mount(self) -> None:
        app = kiosk_of(self)
        self._short: bool | None = None
        app.handout.listeners.append(self.update_buttons)
        self.watch(app, "card_place", self._place_changed)
        self.screen.screen_layout_refresh_signal.subscribe(self, self._layout_refreshed)

    def _layout_refreshed(self, _screen: object) -> None:
        """A resize across ``CARD_ACTIONS_MIN_ROWS`` shows or hides the row."""
        if (self.app.size.height < CARD_ACTIONS_MIN_ROWS) != self._short:
            self.update_buttons()

    def on_unmount(self) -> None:
        listeners = kiosk_of(self).handout.listeners
        if self.update_buttons in listeners:
            listeners.remove(self.update_buttons)

    def _place_changed(self, place: CardPlace | None) -> None:
        app = kiosk_of(self)
        session = app.session
        if place is not None and session.card is not None:
            page = session.pages[place.page]
            if page.kind == "step":
                app.handout.step_shown(session.card.id, page.step)
        self.update_buttons()

    def update_buttons(self) -> None:
        """Show each button only when it can do something; labels in the visitor's language.

        Not on a screen under ``CARD_ACTIONS_MIN_ROWS`` rows: there the step, its timer
        and the nav take every row, and the card screen splits its pages for that (the
        row would push a step's text off its page). Once shown, the row stays for the
        card, so the pages are split again at most once (when "For the ambulance" first
        appears).
        """
        app = kiosk_of(self)
        handout = app.handout
        print_button = self.query_one(PrintButton)
        print_button.display = handout.can_print
        if not print_button.printing_now and print_button.reset_timer is None:
            print_button.show_ready()
        handover = self.query_one(HandoverButton)
        handover.display = handout.has_something(app.session.card)
        handover.show_label()
        self._short = app.size.height < CARD_ACTIONS_MIN_ROWS
        shown = not self._short and (print_button.display or handover.display)
        if shown != self.display:
            self.display = shown
            self.post_message(CardActions.Changed())


class TakeHomeQr(Vertical):
    """The card's source page as a QR, docked right on the card's last page (print-ui).

    Shown only where the whole code fits in the page beside :data:`QR_TEXT_COLUMNS` of
    text and the page's height: nothing else moves, and a half-shown code (which no phone
    can read) is never drawn. Black on white whatever the theme (inline styles).
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="qr-caption", markup=False)
        yield Static("", id="qr-code", markup=False)

    def on_mount(self) -> None:
        self.display = False
        code = self.query_one("#qr-code", Static)
        code.styles.color = FOREGROUND
        code.styles.background = BACKGROUND
        self.shown: TerminalQr | None = None
        self._page_size: tuple[int, int] | None = None
        self.watch(kiosk_of(self), "card_place", self._place_changed)
        self.screen.screen_layout_refresh_signal.subscribe(self, self._layout_refreshed)

    def _place_changed(self, place: CardPlace | None) -> None:
        self.display = False
        if place is not None:
            self.call_after_refresh(self.fit)

    def _layout_refreshed(self, _screen: object) -> None:
        """A resize (or a new text size) changed the page: fit the code again."""
        parent = self.parent
        if parent is None or self._page_size is None:
            return
        region = cast(Any, parent).content_region
        if (region.width, region.height) != self._page_size:
            self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Draw the code if this page is the card's last and the code fits; else hide."""
        app = kiosk_of(self)
        session = app.session
        card = session.card
        page = session.page
        parent = self.parent
        self.shown = None
        last = page is not None and page.kind == "sources" and session.on_last_page
        if card is None or not last or parent is None:
            self.display = False
            return
        region = cast(Any, parent).content_region
        self._page_size = (region.width, region.height)
        result = card_qr(
            card,
            max_columns=region.width - PAGE_SCROLLBAR - QR_MARGIN - QR_TEXT_COLUMNS,
            max_rows=region.height - QR_CAPTION_ROWS,
            max_scale=QR_MAX_SCALE,
        )
        if not isinstance(result, TerminalQr):
            if result.is_card_problem:
                log.warning("card %s: %s", card.id, result.message)
            self.display = False
            return
        self.shown = result
        strings = Strings(session.language)
        self.query_one("#qr-caption", Static).update(strings["qr.caption"])
        self.query_one("#qr-code", Static).update("\n".join(result.lines))
        self.styles.width = max(result.columns, len(strings["qr.caption"]))
        self.display = True
        self.call_after_refresh(self._text_still_fits)

    def _text_still_fits(self) -> None:
        """The page's text, narrower beside the code, must still fit its page (pages are
        never scrolled): if it would be cut off, the code goes instead."""
        parent = self.parent
        if parent is None or not self.display:
            return
        bottom = cast(Any, parent).content_region.bottom
        others = [w for w in parent.children if w is not self and w.display]
        if any(widget.region.bottom > bottom for widget in others):
            self.display = False
            self.shown = None


class PrinterStatus(Vertical):
    """The staff screen's printer block: the printer named, a setup problem, the last fault.

    Only where the site names a printer (a site without one has nothing to look after).
    """

    def __init__(self, strings: Strings, **kwargs: Any) -> None:
        super().__init__(id="staff-printer", **kwargs)
        self.strings = strings

    def compose(self) -> ComposeResult:
        yield Static(self.strings["staff.printer"], classes="heading", markup=False)
        lines = kiosk_of(self).handout.staff_lines(self.strings)
        yield Static("\n".join(lines), id="staff-printer-lines", markup=False)

    def on_mount(self) -> None:
        self.display = kiosk_of(self).handout.printer_named
