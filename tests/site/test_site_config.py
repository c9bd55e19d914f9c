"""The site file checker: every mistake an operator can make is reported with a
stable code and the key named, good keys still apply, and nothing raises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.site import Site, load_site
from tests.support.text_rules import ALLOWED, FORBIDDEN, toml_escape

pytestmark = [pytest.mark.data]

REPO_ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


def test_no_file_means_defaults_and_no_problems() -> None:
    result = load_site(None)
    assert result.site == Site()
    assert result.problems == ()


def test_good_file_applies_every_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
name = "Riverside Pool"
emergency_number = "999"
emergency_label = "Lifeguard"
staff_instruction = "Press the red button by the pool"
first_aid_kit = "Behind reception"
defibrillator = "Next to the lifts"
first_aid_kit_short = "Reception"
defibrillator_short = "Lifts"
default_language = "uk"
idle_timeout_seconds = 120
theme = "high-contrast"
text_size = "large"
kiosk = true
staff_pin = "0042"
log_dir = "/run/kiosk"
font_size = 32
""",
    )
    result = load_site(path)
    assert result.problems == ()
    assert result.site == Site(
        name="Riverside Pool",
        emergency_number="999",
        emergency_label="Lifeguard",
        staff_instruction="Press the red button by the pool",
        first_aid_kit="Behind reception",
        defibrillator="Next to the lifts",
        first_aid_kit_short="Reception",
        defibrillator_short="Lifts",
        default_language="uk",
        idle_timeout_seconds=120,
        theme="high-contrast",
        text_size="large",
        kiosk=True,
        staff_pin="0042",
        log_dir="/run/kiosk",
        font_size=32,
    )


def test_example_site_file_is_clean_but_for_its_example_pin() -> None:
    result = load_site(REPO_ROOT / "deploy" / "site.example.toml")
    # W105 on purpose: a copy of the example keeps reminding the operator to change it.
    assert codes(result) == ["W105"], [p.format() for p in result.problems]


def test_example_site_file_documents_every_key() -> None:
    text = (REPO_ROOT / "deploy" / "site.example.toml").read_text(encoding="utf-8")
    doc = (REPO_ROOT / "docs" / "site-config.md").read_text(encoding="utf-8")
    for name, spec in Site.__dataclass_fields__.items():
        if spec.metadata.get("toml"):  # written as [uk] tables, not as a key
            assert "[uk]" in text and "`[uk]`" in doc, name
            continue
        assert f"{name} =" in text, name
        assert f"`{name}`" in doc, name


@pytest.mark.parametrize(
    ("short_wording", "warned_in"),
    [
        ("", "en"),  # "AED: Next to the lifts · Kit: Behind reception": 45 cells
        ('first_aid_kit_short = "Reception"\ndefibrillator_short = "By the lifts"\n', "uk"),
        ('first_aid_kit_short = "Reception"\ndefibrillator_short = "Lifts"\n', None),
    ],
)
def test_places_that_need_two_rows_of_the_smallest_bar_are_warned(
    tmp_path: Path, short_wording: str, warned_in: str | None
) -> None:
    """W109: at 36 columns "AED: ... · Kit: ..." must fit 34 cells in every interface
    language ("Аптечка: " is 4 cells longer than "Kit: "), else the bar takes two rows."""
    text = (
        'first_aid_kit = "Behind reception"\ndefibrillator = "Next to the lifts"\n' + short_wording
    )
    result = load_site(write(tmp_path, text))
    if warned_in is None:
        assert result.problems == ()
    else:
        assert codes(result) == ["W109"]
        assert f"({warned_in})" in result.problems[0].message
        assert "defibrillator_short and first_aid_kit_short" in result.problems[0].message


def test_syntax_error_names_line_and_column_and_costs_only_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "Pool"\nemergency_number = 999 999\n')
    result = load_site(path)
    assert codes(result) == ["E105"]
    problem = result.problems[0]
    assert problem.line == 2
    assert "column" in problem.message
    assert problem.format().startswith(f"{path}:2: E105")
    assert result.site == Site(name="Pool")


def test_unknown_key_suggests_the_close_match(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, 'name = "Gym"\n\nemergency_numbr = "999"\n'))
    assert codes(result) == ["E107"]
    problem = result.problems[0]
    assert "emergency_numbr" in problem.message
    assert '"emergency_number"' in problem.message
    assert problem.line == 3
    assert result.site.name == "Gym"  # the good key still applies


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("emergency_number = 999", 'emergency_number = "999"'),
        ('idle_timeout_seconds = "90"', "whole number"),
        ("idle_timeout_seconds = true", "whole number"),
        ('kiosk = "yes"', "true or false"),
        ("staff_pin = 1234", 'staff_pin = "1234"'),
        ('theme = ["dark"]', "a list"),
        ("staff_instruction = {x = 1}", "a table"),
        ("font_size = 24.5", "whole number"),
    ],
)
def test_wrong_type_names_the_key_and_falls_back(tmp_path: Path, line: str, hint: str) -> None:
    result = load_site(write(tmp_path, f'name = "Gym"\n{line}\n'))
    key = line.split(" =")[0]
    assert codes(result) == ["E108"]
    assert result.problems[0].message.startswith(f"{key}:")
    assert hint in result.problems[0].message
    assert getattr(result.site, key) == getattr(Site(), key)
    assert result.problems[0].line == 2


@pytest.mark.parametrize(
    ("line", "code", "hint"),
    [
        ('theme = "drak"', "E109", '"dark"'),
        ('text_size = "huge"', "E109", "extra-large"),
        ("idle_timeout_seconds = 5", "E110", "15..3600"),
        ("idle_timeout_seconds = 100000", "E110", "15..3600"),
        ("idle_timer_limit_minutes = 5", "E110", "15..720"),
        ("idle_timer_limit_minutes = 1000", "E110", "15..720"),
        ("font_size = 2", "E110", "8..96"),
        ('emergency_number = "call 112"', "E111", "digits"),
        ('emergency_number = ""', "E111", "digits"),
        ('emergency_number = "11 2"', "E111", "digits"),
        ('default_language = "xx"', "E112", "en"),
        ('staff_pin = "12"', "E113", "4 to 12 digits"),
        ('staff_pin = "abcd"', "E113", "4 to 12 digits"),
        ('name = "Pool\\u001b[2J"', "E114", "control"),
        ('staff_instruction = "line one\\nline two"', "E114", "control"),
        ('name = "' + "x" * 300 + '"', "E115", "at most"),
    ],
)
def test_bad_value_is_reported_and_only_that_key_falls_back(
    tmp_path: Path, line: str, code: str, hint: str
) -> None:
    result = load_site(write(tmp_path, f'site_ok = 1\n{line}\nfirst_aid_kit = "Reception"\n'))
    # site_ok is unknown on purpose: it must not stop the other keys.
    assert codes(result) == ["E107", code]
    problem = result.problems[1]
    key = line.split(" =")[0]
    assert problem.message.startswith(f"{key}:")
    assert hint in problem.message
    assert problem.line == 2
    assert getattr(result.site, key) == getattr(Site(), key)
    assert result.site.first_aid_kit == "Reception"


def test_international_number_and_empty_pin_are_fine(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, 'emergency_number = "+4930112"\nstaff_pin = ""\n'))
    assert result.problems == ()
    assert result.site.emergency_number == "+4930112"


def test_kiosk_without_pin_warns(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, "kiosk = true\n"))
    assert codes(result) == ["W101"]
    assert result.errors == () and len(result.warnings) == 1
    assert result.site.kiosk is True


def test_markup_looking_text_warns_and_is_kept_literally(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, 'name = "[@click=app.quit]Pool[/]"\n'))
    assert codes(result) == ["W102"]
    assert result.site.name == "[@click=app.quit]Pool[/]"


def test_relative_log_dir_warns(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, 'log_dir = "logs"\n'))
    assert codes(result) == ["W103"]


def test_missing_file(tmp_path: Path) -> None:
    result = load_site(tmp_path / "nope.toml")
    assert codes(result) == ["E101"]
    assert result.site == Site()


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    assert codes(load_site(tmp_path)) == ["E102"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "site.toml"
    os.mkfifo(fifo)
    assert codes(load_site(fifo)) == ["E102"]


def test_too_large_file(tmp_path: Path) -> None:
    path = write(tmp_path, "# padding\n" * 10_000)
    assert codes(load_site(path)) == ["E103"]


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(b'name = "Pool"\nemergency_label = "\xff\xfe"\n')
    result = load_site(path)
    assert codes(result) == ["E104"]
    assert result.problems[0].line == 2


def test_deep_nesting_does_not_raise(tmp_path: Path) -> None:
    path = write(tmp_path, "name = " + "[" * 5000 + "]" * 5000 + "\n")
    result = load_site(path)
    assert result.site == Site()
    assert result.errors


def test_kiosk_check_prints_site_problems(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "drak"\nkiosk = true\n')
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "check", "--site", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert f"{path}:1: E109" in out.stdout
    assert f"{path}:2: W101" in out.stdout
    assert out.returncode == 1


FORBIDDEN_CASES = [(name, ch) for name, chars in FORBIDDEN.items() for ch in chars]


@pytest.mark.parametrize(
    ("name", "character"),
    FORBIDDEN_CASES,
    ids=[f"{n}-U+{ord(c):04X}" for n, c in FORBIDDEN_CASES],
)
def test_forbidden_character_in_a_site_text_is_e114(
    tmp_path: Path, name: str, character: str
) -> None:
    """The same rule as card text (kiosk.core.text): bidi marks, zero-width characters and
    line separators reorder or hide what a visitor reads (red team C3)."""
    line = f'emergency_label = "Life{toml_escape(character)}guard"'
    result = load_site(write(tmp_path, line + "\n"))
    assert codes(result) == ["E114"]
    assert result.site.emergency_label == Site().emergency_label


def test_ordinary_non_ascii_site_text_is_fine(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, f'name = "{ALLOWED}"\n'))
    assert result.problems == ()
    assert result.site.name == ALLOWED


def test_byte_order_mark_is_dropped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(b'\xef\xbb\xbfname = "Riverside Pool"\n')
    result = load_site(path)
    assert codes(result) == ["W104"]
    assert result.site.name == "Riverside Pool"
