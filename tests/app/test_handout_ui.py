"""Print button, take-home QR and the "For the ambulance" page, through the real app.

The printer is python-escpos's Dummy printer behind the real :class:`Printing` (its worker
thread, deadline and fault codes); the clocks are the tests' FakeClock and a wall clock
that follows it. The QR is read back from the screen's cells with ``zbarimg``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from dataclasses import replace
from typing import Callable

import pytest
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Dummy
from textual.geometry import Region

from kiosk.app import KioskApp, make_app
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.deck.model import Card
from kiosk.handout.printing import Printing
from kiosk.handout.receipt import receipt_profile
from kiosk.handout.visit import VisitHandout
from kiosk.screens.card import CardScreen
from kiosk.screens.handover import HandoverScreen
from kiosk.screens.home import HomeScreen
from tests.handout.handouthelpers import GS_V0, cells_to_image, zbar
from tests.support.clock import FakeClock
from tests.support.screen import flat_text, screen_cells, widget_text

pytestmark = [pytest.mark.ui]

RECEIPT = "escpos-usb:0416:5011"
#: The wall clock reads this when the FakeClock reads its start (1000.0).
WALL_START = dt.datetime(2026, 12, 1, 14, 2, 0)
SIZES = [(36, 10), (80, 24), (160, 45)]


class FakePrinter(Dummy):
    """The library's Dummy printer; keeps every instance so a test can read the bytes."""

    made: list[FakePrinter] = []
    paper = b"\x12"  # DLE EOT 4: paper present

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        FakePrinter.made.append(self)

    def _read(self) -> bytes:
        return self.paper


class NoPaper(FakePrinter):
    paper = b"\x72"  # paper end


class Unplugged(FakePrinter):
    def open(self) -> None:
        raise DeviceNotFoundError("Unable to open USB printer on (1046, 20497): not found")


class Held(FakePrinter):
    """Holds each write until the test lets it go (a slow printer)."""

    go = threading.Event()

    def _raw(self, msg: bytes) -> None:
        Held.go.wait(60)
        super()._raw(msg)


class SpyPrinting(Printing):
    """The real Printing; remembers which card in which language each tap asked for."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.asked: list[tuple[str, str, str | None]] = []

    def submit_card(self, card: Card, language: str | None = None):  # type: ignore[override]
        self.asked.append((card.id, card.language, language))
        return super().submit_card(card, language)


def wall_for(clock: FakeClock) -> Callable[[], dt.datetime]:
    return lambda: WALL_START + dt.timedelta(seconds=clock.now - 1000.0)


def with_printer(app: KioskApp, clock: FakeClock, printer: type = FakePrinter) -> SpyPrinting:
    """Give the app a receipt printer whose backend is ``printer`` (before run_test)."""

    def connect(spec: object, width_mm: int, timeout: float) -> Dummy:
        return printer(profile=receipt_profile(width_mm))

    handout = app.handout
    printing = SpyPrinting(app.site, timeout=60, clock=handout.clock, connect=connect)
    app.handout = VisitHandout(app.site, app.deck, app.clock, wall_for(clock), printing=printing)
    app.handout.cpr_source = handout.cpr_source
    return printing


def with_wall_clock(app: KioskApp, clock: FakeClock) -> None:
    source = app.handout.cpr_source
    app.handout = VisitHandout(app.site, app.deck, app.clock, wall_for(clock))
    app.handout.cpr_source = source


async def until(pilot, condition: Callable[[], bool], seconds: float = 60.0) -> None:
    """Wait for ``condition`` with a generous deadline (the printer works in a thread)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "timed out"
        await pilot.pause(0.05)


def shown(app: KioskApp, selector: str) -> bool:
    """The widget is displayed and wholly on screen."""
    found = app.screen.query(selector)
    if not found:
        return False
    widget = found.first()
    chain = [widget, *widget.ancestors]
    if not all(node.display for node in chain[: chain.index(app.screen) + 1]):
        return False
    screen = Region(0, 0, *app.size)
    return widget.region.area > 0 and screen.contains_region(widget.region)


# -- the Print button -------------------------------------------------------------------


async def test_no_print_button_without_a_printer(build, read) -> None:
    app = build()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        assert isinstance(app.screen, CardScreen)
        assert not shown(app, "#print-card")
        assert "Print" not in read(app).split("\n")


@pytest.mark.slow
async def test_print_button_prints_the_card_in_the_visitors_language(build, read, clock) -> None:
    app = build(printer=RECEIPT, printer_width=58)
    printing = with_printer(app, clock, Held)
    FakePrinter.made.clear()
    Held.go.clear()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#language")
        await pilot.press("1")
        assert app.session.language == "uk"
        assert shown(app, "#print-card")
        assert "Друк" in read(app)
        await pilot.click("#print-card")
        assert "Друкуємо…" in read(app)
        await pilot.press("right")  # the screen keeps working while it prints
        assert app.session.page_index == 1 and "Крок 2 з 3" in read(app)
        assert "Друкуємо…" in read(app)
        Held.go.set()
        await until(pilot, lambda: "Надруковано" in read(app))
        assert printing.asked == [("seizure", "uk", "uk")]
        output = FakePrinter.made[-1].output
        assert output.startswith(b"\x1b@") and GS_V0 in output
        assert app.handout.last_result is not None and app.handout.last_result.ok


@pytest.mark.slow
@pytest.mark.parametrize(
    ("printer", "code", "staff_words"),
    [
        (NoPaper, "out-of-paper", "out of paper"),
        (Unplugged, "offline", "cannot open it"),
    ],
)
async def test_a_printer_fault_is_plain_for_the_visitor_and_named_for_staff(
    build, read, clock, caplog, printer, code, staff_words
) -> None:
    app = build(printer=RECEIPT)
    with_printer(app, clock, printer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        with caplog.at_level(logging.WARNING, logger="kiosk.handout"):
            await pilot.click("#print-card")
            await until(pilot, lambda: "Printer not available: ask staff" in read(app))
        assert any(code in r.getMessage() and staff_words in r.getMessage() for r in caplog.records)
        # the visitor's screen still works: next step, then home
        await pilot.press("right")
        assert "Step 2 of 3" in read(app)
        await pilot.press("home")
        assert isinstance(app.screen, HomeScreen)
        # staff see the fault on the staff screen
        app.open_staff_access()
        await pilot.pause()
        for digit in "2468":
            await pilot.press(digit)
        await pilot.press("enter")
        await pilot.pause()
        text = read(app)
        assert f"Last job FAILED ({code})" in text and staff_words in text
        assert "Printer: escpos-usb:0416:5011" in text


async def test_a_printer_without_the_print_extra_shows_no_button_and_tells_staff(
    build, read, clock, monkeypatch
) -> None:
    app = build(printer=RECEIPT)
    with_printer(app, clock)
    monkeypatch.setattr(
        Printing, "setup_problem", lambda self: "the print extra is not installed (escpos missing)"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        assert not shown(app, "#print-card")
        assert "the print extra is not installed" in "\n".join(app.handout.staff_lines(app.strings))


async def test_staff_screen_has_no_printer_block_without_a_printer(build, read) -> None:
    app = build()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_staff_access()
        await pilot.pause()
        for digit in "2468":
            await pilot.press(digit)
        await pilot.press("enter")
        await pilot.pause()
        assert "Staff screen" in read(app)
        assert "Printer" not in read(app)


@pytest.mark.parametrize("size", SIZES)
async def test_print_button_fits_with_the_nav_and_emergency_bar(build, read, clock, size) -> None:
    app = build(printer=RECEIPT)
    with_printer(app, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        await pilot.pause()
        await pilot.pause()
        for selector in ("#back", "EmergencyBar", "#step-text", "#stopwatch-start"):
            assert shown(app, selector), (selector, size)
        short = size[1] < 20  # a step and the nav need every row there: no action row
        assert shown(app, "#print-card") is not short
        assert shown(app, "#handover-open") is not short
        await go_to_last_page(pilot, app)
        assert shown(app, "#back") and shown(app, "EmergencyBar")
        assert "Emergency: call 112" in flat_text(app)
        if not short:
            assert shown(app, "#print-card") and shown(app, "#handover-open")
            assert "For the ambulance" in flat_text(app)


# -- the take-home QR -------------------------------------------------------------------


def qr_cells(app: KioskApp) -> tuple[str, ...]:
    """The QR as the screen shows it: the cells of the code widget."""
    code = app.screen.query_one("#qr-code")
    rows = screen_cells(app)
    region = code.region
    return tuple("".join(rows[y][region.x : region.right]) for y in range(region.y, region.bottom))


async def go_to_last_page(pilot, app: KioskApp) -> None:
    while not app.session.on_last_page:
        await pilot.press("right")
    await pilot.pause()
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("size", [(160, 45), (200, 60)])
async def test_the_qr_on_the_last_page_opens_the_cards_source(build, size, tmp_path) -> None:
    app = build()
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        assert not shown(app, "#qr-code")  # not on a step page
        await go_to_last_page(pilot, app)
        assert shown(app, "#qr-code") and shown(app, "#qr-caption")
        assert "Scan to open the source page" in flat_text(app)
        decoded = zbar(cells_to_image(qr_cells(app)), tmp_path)
        assert decoded == ["https://www.nhs.uk/conditions/epilepsy/"]
        for selector in ("#nav", "#back", "#home-button", "EmergencyBar", "#sources"):
            assert shown(app, selector), selector
        qr = app.screen.query_one("#take-home-qr").region
        assert not qr.overlaps(app.screen.query_one("#nav").region)
        assert not qr.overlaps(app.screen.query_one("#sources").region)


@pytest.mark.parametrize("size", [(36, 10), (80, 24), (30, 40)])
async def test_no_qr_where_a_phone_could_not_read_it(build, size) -> None:
    app = build()
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        await go_to_last_page(pilot, app)
        assert not shown(app, "#qr-code")
        assert shown(app, "#back") and shown(app, "EmergencyBar")


async def test_the_qr_comes_and_goes_with_the_screen_size(build) -> None:
    """The minimum: the whole code with its quiet zone, and its caption, in the page beside
    34 columns of text. For this card's URL (a 29-module code: 37x19 cells) and this site
    (a three-row emergency bar: number, staff instruction, AED and kit; the actions row
    and the nav) that is 79 columns and 34 to 36 rows (measured after the merges)."""
    app = build()
    async with app.run_test(size=(100, 29)) as pilot:
        await pilot.press("1")
        await go_to_last_page(pilot, app)
        for size, expected in [
            ((100, 33), False),
            ((100, 36), True),
            ((79, 40), True),
            ((78, 40), False),
        ]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            await pilot.pause()
            assert shown(app, "#qr-code") is expected, size
            if expected:
                code = app.screen.query_one("#take-home-qr").region
                assert code.bottom <= app.screen.query_one("#page").region.bottom


# -- the "For the ambulance" page -------------------------------------------------------


async def open_handover(pilot, app: KioskApp) -> None:
    await pilot.pause()  # the page just moved: let the row settle before the tap
    await pilot.click("#handover-open")
    await until(pilot, lambda: isinstance(app.screen, HandoverScreen))
    await pilot.pause()


async def time_a_seizure(pilot, app: KioskApp, clock: FakeClock) -> None:
    """Stopwatch from 14:02:00 for 6 min 10 s, then on to the recovery position."""
    await pilot.press("1")
    await pilot.click("#stopwatch-start")
    await stop_after(pilot, app, clock, 370)
    await pilot.press("right", "right")


async def stop_after(pilot, app: KioskApp, clock: FakeClock, seconds: float) -> None:
    """Let the stopwatch run ``seconds``; past five minutes, "I have called" first (as a
    visitor must: the alert takes the screen), then stop it."""
    clock.advance(seconds)
    app.card_screen.refresh_timers()
    await pilot.pause()
    if app.card_screen.alerting:
        await pilot.click("#alert-dismiss")
    await pilot.click("#stopwatch-start")


@pytest.mark.parametrize("size", SIZES)
async def test_handover_page_shows_the_times_and_the_step_reached(build, read, clock, size) -> None:
    app = build()
    with_wall_clock(app, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        assert not shown(app, "#handover-open")  # nothing timed yet
        await pilot.click("#stopwatch-start")
        await stop_after(pilot, app, clock, 370)
        await pilot.press("right", "right")
        clock.advance(60)
        if size[1] < 20:  # no action row on short screens: the page itself must still fit
            assert not shown(app, "#handover-open")
            await app.push_screen(HandoverScreen())
            await pilot.pause()
        else:
            await open_handover(pilot, app)
        text = read(app)
        assert "For the ambulance" in text and "Time now 14:09" in text
        assert "Seizure: started 14:02, lasted 6 min 10 s" in text
        assert "Reached step 3 of 3: When the jerking stops, turn them on their side." in text
        assert shown(app, "EmergencyBar") and shown(app, "#handover-back")
        assert "Emergency: call 112" in flat_text(app)
        if size != (36, 10):
            assert "Seizure: started 14:02, lasted 6 min 10 s" in flat_text(app)
        else:  # the one line that matters is on screen even at 36x10
            assert "started 14:02" in flat_text(app)
        assert not shown(app, "#handover-print")  # no printer


async def test_handover_page_in_ukrainian_while_the_stopwatch_runs(build, read, clock) -> None:
    app = build()
    with_wall_clock(app, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#language")
        await pilot.press("1")
        await pilot.click("#stopwatch-start")
        clock.advance(125)
        await open_handover(pilot, app)
        assert "Для швидкої допомоги" in read(app)
        assert "Судоми: початок о 14:02, триває вже 2 хв 5 с" in read(app)
        clock.advance(60)
        app.screen.show_page()  # what the one-second tick does
        assert "Судоми: початок о 14:02, триває вже 3 хв 5 с" in read(app)
        await pilot.click("#handover-back")
        assert isinstance(app.screen, CardScreen)


async def test_handover_is_gone_after_the_idle_reset(build, read, clock) -> None:
    app = build()
    with_wall_clock(app, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await time_a_seizure(pilot, app, clock)
        await open_handover(pilot, app)
        clock.advance(71)
        assert not app.check_idle_reset()  # "Still reading?" first
        clock.advance(20)
        assert app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.handout.record.events == [] and app.handout.record.reached_steps == {}
        await pilot.press("1")
        assert not shown(app, "#handover-open")


async def test_clear_forgets_the_handover(build, read, clock) -> None:
    app = build()
    with_wall_clock(app, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await time_a_seizure(pilot, app, clock)
        await open_handover(pilot, app)
        await pilot.click("#handover-clear")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert not shown(app, "#handover-open")
        assert not app.handout.has_something()


@pytest.mark.slow
async def test_the_handover_slip_prints(build, read, clock) -> None:
    app = build(printer=RECEIPT)
    with_printer(app, clock)
    FakePrinter.made.clear()
    async with app.run_test(size=(80, 24)) as pilot:
        await time_a_seizure(pilot, app, clock)
        await open_handover(pilot, app)
        assert shown(app, "#handover-print")
        await pilot.click("#handover-print")
        await until(pilot, lambda: "Printed" in read(app))
        assert GS_V0 in FakePrinter.made[-1].output


async def test_nothing_of_the_handover_reaches_a_file(deck, clock, tmp_path) -> None:
    """After a timed seizure and the handover page, no log or state file holds its times."""
    from kiosk import logs
    from tests.app.conftest import SITE

    state, log_dir = tmp_path / "state", tmp_path / "log"
    site = replace(SITE, state_dir=str(state), metrics_file=str(tmp_path / "kiosk.prom"))
    logs.setup_logging(site, log_dir=log_dir)
    try:
        app = make_app(deck, site, clock=clock)
        with_wall_clock(app, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await time_a_seizure(pilot, app, clock)
            await open_handover(pilot, app)
            assert "6 min 10 s" in widget_text(app)
            await pilot.click("#handover-back")
            app.fleet.flush()
    finally:
        logs.shutdown_logging()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.parent == log_dir for p in files)  # the log was written
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in ("14:02", "14:08", "6 min", "lasted", "6 min 10 s"):
            assert secret not in text, (path, secret)


# -- the CPR beat (card-screen's session.tools.cpr) ---------------------------------------


async def test_the_cpr_beat_is_on_the_handover_page(clock, read) -> None:
    from tests.app.conftest import SITE

    app = make_app(load_deck(bundled_cards_dir()), SITE, clock=clock)
    with_wall_clock(app, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_open_card("resuscitation")
        await pilot.pause()
        card = app.session.card
        assert card is not None
        while not (app.session.page.kind == "step" and card.steps[app.session.page.step].cpr_beat):
            assert not app.session.on_last_page, "no CPR beat step"
            await pilot.press("right")
        await pilot.pause()
        clock.advance(30)
        await pilot.click("#cpr-toggle")  # 14:02:30
        await pilot.pause()
        assert app.session.tools.cpr.running(clock.now)
        assert shown(app, "#handover-open")
        clock.advance(125)
        await open_handover(pilot, app)
        assert "CPR: started 14:02, still going: 2 min 5 s so far" in read(app)
        await pilot.click("#handover-back")
        await pilot.pause()
        clock.advance(55)
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and shown(app, "#cpr-toggle"))
        await pilot.pause()
        await pilot.click("#cpr-toggle")  # stop
        await pilot.pause()
        assert not app.session.tools.cpr.running(clock.now)
        clock.advance(100)
        await open_handover(pilot, app)
        assert "CPR: started 14:02, went on for 3 min 0 s" in read(app), read(app)
        await pilot.click("#handover-clear")
        await pilot.pause()
        assert not app.handout.has_something()  # a cleared run does not come back
        assert not shown(app, "#handover-open")
