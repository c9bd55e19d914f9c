"""The printer settings in the site file: good forms load, each bad one is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.handout.printers import CUPS, ESCPOS_FILE, ESCPOS_NET, ESCPOS_USB, parse_printer
from kiosk.site import Site, load_site

pytestmark = [pytest.mark.data]


def load(tmp_path: Path, text: str):
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return load_site(path)


@pytest.mark.parametrize(
    ("value", "kind", "target", "extra"),
    [
        ("cups:Office_Laser", CUPS, "Office_Laser", {}),
        ("escpos-usb:04B8:0202", ESCPOS_USB, "04b8:0202", {"vendor_id": 0x04B8}),
        ("escpos-net:192.0.2.7", ESCPOS_NET, "192.0.2.7", {"port": 9100}),
        ("escpos-net:printer.lan:9101", ESCPOS_NET, "printer.lan", {"port": 9101}),
        ("escpos-net:[2001:db8::7]:9100", ESCPOS_NET, "2001:db8::7", {"port": 9100}),
        ("escpos-file:/dev/usb/lp0", ESCPOS_FILE, "/dev/usb/lp0", {}),
    ],
)
def test_each_printer_form_parses(value: str, kind: str, target: str, extra: dict) -> None:
    spec = parse_printer(value)
    assert spec is not None and (spec.kind, spec.target) == (kind, target)
    for name, expected in extra.items():
        assert getattr(spec, name) == expected


def test_printer_settings_load(tmp_path: Path) -> None:
    result = load(tmp_path, 'printer = "escpos-usb:0416:5011"\nprinter_width = 58\n')
    assert result.problems == ()
    assert (result.site.printer, result.site.printer_width) == ("escpos-usb:0416:5011", 58)
    assert parse_printer(Site().printer) is None  # the default: no printer, no Print button


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("lp0", "is not a printer"),
        ("cupz:Office", "is not a printer"),
        ("cups:", "not a CUPS queue name"),
        ("cups:-oraw", "not a CUPS queue name"),
        ("cups:two words", "not a CUPS queue name"),
        ("escpos-usb:4b8:202", "not VID:PID in hex"),
        ("escpos-usb:zzzz:0202", "not VID:PID in hex"),
        ("escpos-net:", "not HOST or HOST:PORT"),
        ("escpos-net:host:0", "out of range"),
        ("escpos-net:host:70000", "out of range"),
        ("escpos-file:dev/usb/lp0", "not an absolute path"),
    ],
)
def test_a_bad_printer_is_e116_and_keeps_no_printer(tmp_path: Path, value: str, words: str) -> None:
    result = load(tmp_path, f'name = "Pool"\nprinter = "{value}"\n')
    assert [p.code for p in result.problems] == ["E116"]
    problem = result.problems[0]
    assert words in problem.message and problem.line == 2
    assert problem.message.startswith("printer: ")
    assert result.site.printer == "" and result.site.name == "Pool"


def test_a_paper_width_other_than_58_or_80_is_e109(tmp_path: Path) -> None:
    result = load(tmp_path, "printer_width = 76\n")
    assert [p.code for p in result.problems] == ["E109"]
    assert "58, 80" in result.problems[0].message
    assert result.site.printer_width == 80
