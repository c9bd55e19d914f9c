"""``kiosk print`` makes both formats in both languages, and says plainly what went wrong."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from handouthelpers import GS_V0, pdf_text

from kiosk.cli import main

pytestmark = [pytest.mark.data]


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("escpos", b"\x1b@")])
def test_both_formats_in_both_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, fmt: str, magic: bytes
) -> None:
    out = tmp_path / f"seizure.{fmt}"
    args = ["print", "--card", "seizure", "--lang", language, "--format", fmt, "--out", str(out)]
    assert main([*args, "--width", "58"]) == 0
    data = out.read_bytes()
    assert data.startswith(magic)
    assert f"wrote {out}" in capsys.readouterr().out
    if fmt == "escpos":
        assert GS_V0 in data
    else:
        title = {"en": "Seizure (fit)", "uk": "Судомний напад (конвульсії)"}[language]
        assert title in pdf_text(data, tmp_path)


def test_a_receipt_preview_png(tmp_path: Path) -> None:
    out = tmp_path / "receipt.png"
    assert main(["print", "--card", "leg-cramp", "--format", "png", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")


def test_the_sites_number_is_on_the_printout(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('emergency_number = "103"\n', encoding="utf-8")
    out = tmp_path / "a.pdf"
    args = ["print", "--site", str(site), "--card", "seizure", "--lang", "uk", "--out", str(out)]
    assert main(args) == 0
    assert "телефонуйте 103" in pdf_text(out.read_bytes(), tmp_path)


def test_unknown_card_and_no_printer_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["print", "--card", "nope", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "no card 'nope' in language 'en'" in capsys.readouterr().err
    assert main(["print", "--card", "seizure"]) == 2
    assert "names no printer" in capsys.readouterr().err


def test_printing_on_the_sites_printer_reports_the_fault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "lp").write_text("#!/bin/sh\necho 'lp: Error - no default destination' >&2\nexit 1\n")
    (folder / "lp").chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}/usr/bin{os.pathsep}/bin")
    site = tmp_path / "site.toml"
    site.write_text('printer = "cups:Office"\n', encoding="utf-8")
    assert main(["print", "--site", str(site), "--card", "seizure"]) == 1
    assert "failed: CUPS printer Office: `lp` failed (exit 1)" in capsys.readouterr().out
