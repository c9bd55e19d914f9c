"""``kiosk check`` and ``kiosk list`` as an operator runs them: exit status, lines, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from deckhelpers import DeckDir

from kiosk.deck import bundled_cards_dir, load_deck

pytestmark = [pytest.mark.data]


def kiosk(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        errors="replace",
    )


def test_check_passes_a_valid_deck(deck: DeckDir) -> None:
    out = kiosk("check", "--cards", str(deck.root))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().splitlines()[-1].startswith("0 errors, 0 warnings")
    assert "Traceback" not in out.stdout + out.stderr


def test_check_exits_1_and_names_file_code_and_line(deck: DeckDir) -> None:
    deck.write("en", "alpha.toml", 'id = "alpha"\ntitle = \n')
    out = kiosk("check", "--cards", str(deck.root))
    assert out.returncode == 1
    line = next(line for line in out.stdout.splitlines() if "E001" in line)
    assert line.startswith(f"{deck.root / 'en' / 'alpha.toml'}:2: E001 alpha: ")
    assert "column" in line
    assert "1 error" in out.stdout.splitlines()[-1]
    assert "Traceback" not in out.stdout + out.stderr


def test_warnings_alone_exit_0(deck: DeckDir) -> None:
    (deck.root / "uk" / "beta.toml").unlink()
    out = kiosk("check", "--cards", str(deck.root))
    assert out.returncode == 0
    assert "W007 beta" in out.stdout
    assert "0 errors, 1 warning" in out.stdout


def test_check_on_a_missing_directory_reports_it(tmp_path: Path) -> None:
    out = kiosk("check", "--cards", str(tmp_path / "nothing-here"))
    assert out.returncode == 1
    assert "E022" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_the_deck_does_not_hang_check(deck: DeckDir) -> None:
    os.mkfifo(deck.root / "en" / "gamma.toml")
    os.mkfifo(deck.root / "deck.toml.fifo")
    (deck.root / "deck.toml").unlink()
    os.mkfifo(deck.root / "deck.toml")
    out = kiosk("check", "--cards", str(deck.root), timeout=30)
    assert out.returncode == 1
    assert f"{deck.root / 'en' / 'gamma.toml'}: E018" in out.stdout
    assert f"{deck.root / 'deck.toml'}: E018" in out.stdout


def test_a_deck_of_many_kinds_of_junk_reports_every_file(deck: DeckDir) -> None:
    """Broken in ways beyond the per-code examples: each is named, exit 1, quickly."""
    junk = {
        "binary.toml": os.urandom(2000),
        "nul.toml": b'id = "nul"\x00\n',
        "deep.toml": b"a = " + b"{b = " * 3000 + b"1" + b"}" * 3000,
        "array.toml": b"[[steps]]\n" * 500,
        "empty.toml": b"",
        "only-comment.toml": b"# nothing\n",
        "crlf.toml": b'id = "crlf"\r\ntitle = "x\r"\r\n',
    }
    for name, content in junk.items():
        deck.write("en", name, content)
    (deck.root / "en" / "dir.toml").mkdir()
    os.symlink("/dev/zero", deck.root / "en" / "zero.toml")
    os.symlink(deck.root / "missing-target", deck.root / "en" / "dangling.toml")
    out = kiosk("check", "--cards", str(deck.root), timeout=60)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    for name in [*junk, "dir.toml", "zero.toml", "dangling.toml"]:
        assert str(deck.root / "en" / name) in out.stdout, name
    assert "E099" not in out.stdout


def test_control_characters_in_file_names_are_escaped_in_output(deck: DeckDir) -> None:
    deck.write("en", "evil\x1b[2J.toml", "id = 1\n")
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "check", "--cards", str(deck.root)],
        capture_output=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert b"\x1b" not in out.stdout
    assert b"evil\\x1b[2J.toml" in out.stdout


def test_list_prints_id_languages_title(deck: DeckDir) -> None:
    (deck.root / "uk" / "beta.toml").unlink()
    out = kiosk("list", "--cards", str(deck.root))
    assert out.returncode == 0
    assert out.stdout.splitlines() == [
        "alpha\ten,uk\tCalf cramp alpha",
        "beta\ten\tCalf cramp beta",
    ]


def test_list_in_another_language_falls_back(deck: DeckDir) -> None:
    (deck.root / "uk" / "beta.toml").unlink()
    deck.card("uk", "alpha", title="Судома литки")
    out = kiosk("list", "--cards", str(deck.root), "--lang", "uk")
    assert out.returncode == 0
    assert out.stdout.splitlines() == ["alpha\ten,uk\tСудома литки", "beta\ten\tCalf cramp beta"]


def test_list_rejects_an_unknown_language(deck: DeckDir) -> None:
    out = kiosk("list", "--cards", str(deck.root), "--lang", "xx")
    assert out.returncode == 2
    assert "xx" in out.stderr
    assert "Traceback" not in out.stderr


def test_check_counts_site_problems(deck: DeckDir, tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text("name = \n", encoding="utf-8")
    out = kiosk("check", "--cards", str(deck.root), "--site", str(site))
    assert out.returncode == 1
    assert str(site) in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_internal_errors_are_one_line_not_a_traceback(
    deck: DeckDir, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from kiosk import report

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(report, "load_deck", explode)
    status = report.check_command(argparse.Namespace(cards=deck.root, site=None))
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err.strip() == "kiosk check: internal error: RuntimeError('boom')"


def test_bundled_deck_checks_clean() -> None:
    out = kiosk("check")
    assert out.returncode == 0, out.stdout
    result = load_deck(bundled_cards_dir())
    assert result.errors == ()
    for language in result.deck.languages:
        assert result.deck.cards_for(language), language
