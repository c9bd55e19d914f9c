"""Printing never hangs the caller and always says what happened.

The printers are fakes: the library's Dummy printer (and subclasses that fail, report no
paper or block), and a fake ``lp``/``lpstat`` on PATH that fails or sleeps.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from pathlib import Path

import pytest
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Dummy
from handouthelpers import GS_V0

from kiosk.deck import Deck
from kiosk.handout import printing
from kiosk.handout.printing import Printing, PrintResult
from kiosk.handout.receipt import receipt_profile
from kiosk.site import Site

pytestmark = [pytest.mark.data]

UNAVAILABLE = {
    "en": "Printing is not available. Please ask staff.",
    "uk": "Друк недоступний. Зверніться до персоналу.",
}


def receipt_site(**changes: object) -> Site:
    return Site(name="Pharmacy", printer="escpos-usb:0416:5011", printer_width=58, **changes)


class FakePrinter(Dummy):
    """Dummy that remembers every instance, so a test can read what was sent."""

    made: list[FakePrinter] = []
    paper_byte = b"\x12"  # DLE EOT 4 answer: paper present

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        FakePrinter.made.append(self)

    def _read(self) -> bytes:
        return self.paper_byte


class NoPaper(FakePrinter):
    paper_byte = b"\x72"  # paper end sensor


class Unplugged(FakePrinter):
    def open(self) -> None:
        raise DeviceNotFoundError("Unable to open USB printer on (1046, 20497): not found")


class DiesMidway(FakePrinter):
    def _raw(self, msg: bytes) -> None:
        raise OSError(5, "Input/output error")


class Blocks(FakePrinter):
    """A write that never returns until the test releases it (a USB write with no timeout)."""

    release = threading.Event()

    def _raw(self, msg: bytes) -> None:
        Blocks.release.wait(60)


def connector(cls: type):
    def connect(spec: object, width_mm: int, timeout: float) -> Dummy:
        return cls(profile=receipt_profile(width_mm))

    return connect


@pytest.fixture(autouse=True)
def fresh() -> None:
    FakePrinter.made.clear()


def test_no_printer_in_the_site_file(deck: Deck) -> None:
    service = Printing(Site())
    assert not service.configured and not service.available
    result = service.print_card(deck.cards["uk"]["seizure"])
    assert (result.code, result.visitor) == (printing.NO_PRINTER, UNAVAILABLE["uk"])


def test_a_receipt_printer_gets_the_raster(deck: Deck) -> None:
    service = Printing(receipt_site(), connect=connector(FakePrinter))
    assert service.available
    result = service.print_card(deck.cards["uk"]["seizure"], "uk")
    assert result.ok, result
    assert result.visitor == "Надруковано. Заберіть аркуш із принтера."
    assert "USB receipt printer 0416:5011" in result.staff
    output = FakePrinter.made[-1].output
    assert output.startswith(b"\x1b@\x10\x04\x04")  # ESC @, then the paper status query
    assert GS_V0 in output


@pytest.mark.parametrize(
    ("cls", "code", "words"),
    [
        (Unplugged, printing.OFFLINE, "cannot open it: Device not found (Unable to open USB"),
        (NoPaper, printing.OUT_OF_PAPER, "out of paper"),
        (DiesMidway, printing.OFFLINE, "writing failed: [Errno 5] Input/output error"),
    ],
)
def test_receipt_faults_reach_staff_and_the_visitor_hears_ask_staff(
    deck: Deck, cls: type, code: str, words: str, caplog: pytest.LogCaptureFixture
) -> None:
    service = Printing(receipt_site(), connect=connector(cls))
    card = deck.cards["en"]["seizure"]
    with caplog.at_level(logging.INFO):
        result = service.print_card(card, "en")
    assert (result.code, result.visitor) == (code, UNAVAILABLE["en"])
    assert words in result.staff
    assert words in caplog.text and code in caplog.text
    assert card.steps[0].text not in caplog.text  # the log names the fault, not the content
    if cls is NoPaper:
        assert GS_V0 not in FakePrinter.made[-1].output  # nothing sent after "no paper"


def test_a_write_that_hangs_times_out_and_the_next_tap_is_busy(deck: Deck) -> None:
    Blocks.release.clear()
    service = Printing(receipt_site(), timeout=1.0, connect=connector(Blocks))
    card = deck.cards["en"]["seizure"]
    started = time.monotonic()
    future = service.submit_card(card)
    assert time.monotonic() - started < 0.5  # the caller is never held
    result = future.result(timeout=30)
    assert result.code == printing.TIMEOUT and 0.9 < time.monotonic() - started < 10
    assert "did not finish within 1 s" in result.staff
    busy = service.print_card(card)
    assert busy.code == printing.BUSY
    assert busy.visitor == "The printer is busy. Please ask staff."
    Blocks.release.set()  # the stuck write returns; the printer is free again
    deadline = time.monotonic() + 30
    while service.busy:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert Printing(receipt_site(), connect=connector(FakePrinter)).print_card(card).ok


async def test_the_async_form_awaits_without_blocking_the_loop(deck: Deck) -> None:
    service = Printing(receipt_site(), connect=connector(FakePrinter))
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    task = asyncio.ensure_future(ticker())
    result = await service.print_card_async(deck.cards["en"]["seizure"])
    task.cancel()
    assert isinstance(result, PrintResult) and result.ok
    assert ticks > 1


# CUPS, with a fake `lp` and `lpstat` on PATH.


def fake_tools(folder: Path, lp: str, lpstat: str | None = None) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "lp").write_text(f"#!/bin/sh\n{lp}\n", encoding="utf-8")
    (folder / "lp").chmod(0o755)
    if lpstat is not None:
        (folder / "lpstat").write_text(f"#!/bin/sh\n{lpstat}\n", encoding="utf-8")
        (folder / "lpstat").chmod(0o755)


@pytest.fixture
def tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}/usr/bin{os.pathsep}/bin")
    return folder


IDLE = "echo 'printer Office is idle.  enabled since Tue 01 Dec 2026'"


def cups_site() -> Site:
    return Site(printer="cups:Office")


def test_cups_gets_the_pdf_on_lps_standard_input(deck: Deck, tools: Path) -> None:
    job = tools / "job"
    fake_tools(tools, f'echo "$@" > {job}.args; cat > {job}.pdf', IDLE)
    result = Printing(cups_site()).print_card(deck.cards["uk"]["leg-cramp"], "uk")
    assert result.ok, result
    assert (tools / "job.pdf").read_bytes().startswith(b"%PDF")
    args = (tools / "job.args").read_text(encoding="utf-8")
    assert args.startswith("-d Office -t ") and deck.cards["uk"]["leg-cramp"].title in args


@pytest.mark.parametrize(
    ("lp", "lpstat", "code", "words"),
    [
        ("echo 'lp: Unsupported document-format' >&2; exit 1", IDLE, printing.FAILED,
         "`lp` failed (exit 1): lp: Unsupported document-format"),
        ("exit 0", "echo 'printer Office disabled since Tue 01 Dec 2026 -'", printing.OFFLINE,
         "stopped the queue: `cupsenable Office`"),
        ("exit 0", f"{IDLE}; echo '\tAlerts: media-empty-error'", printing.OUT_OF_PAPER,
         "out of paper"),
        ("exit 0", f"{IDLE}; echo '\tAlerts: offline-report'", printing.OFFLINE,
         "reports it is offline"),
        ("exit 0", "echo 'lpstat: Invalid destination name in list \"Office\".' >&2; exit 1",
         printing.OFFLINE, "Invalid destination name"),
    ],
)  # fmt: skip
def test_cups_faults(deck: Deck, tools: Path, lp: str, lpstat: str, code: str, words: str) -> None:
    fake_tools(tools, lp, lpstat)
    result = Printing(cups_site()).print_card(deck.cards["en"]["seizure"], "en")
    assert (result.code, result.visitor) == (code, UNAVAILABLE["en"])
    assert words in result.staff


def test_an_lp_that_sleeps_is_killed_at_the_deadline(deck: Deck, tools: Path) -> None:
    fake_tools(tools, "exec sleep 30", IDLE)
    started = time.monotonic()
    service = Printing(cups_site(), timeout=1.5)
    result = service.print_card(deck.cards["en"]["seizure"])
    assert result.code == printing.TIMEOUT
    assert time.monotonic() - started < 10
    while service.busy:  # lp was killed, so the worker ends: no thread left behind
        assert time.monotonic() - started < 20
        time.sleep(0.05)


def test_no_lp_installed(deck: Deck, tools: Path) -> None:
    service = Printing(cups_site())
    assert "cups-client" in (service.setup_problem() or "")
    assert not service.available
    result = service.print_card(deck.cards["en"]["seizure"])
    assert result.code == printing.NOT_INSTALLED and "cups-client" in result.staff


def test_without_lpstat_the_job_goes_straight_to_lp(deck: Deck, tools: Path) -> None:
    fake_tools(tools, f"cat > {tools}/job.pdf")
    assert Printing(cups_site()).print_card(deck.cards["en"]["seizure"]).ok
    assert (tools / "job.pdf").read_bytes().startswith(b"%PDF")
