"""Issue 15's site-file findings: a typo costs only its line, messages name the
default used and come cause first, the example PIN is flagged, several emergency
numbers and per-language wording, and the automatic "First-aid kit:" label is
never doubled."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core import toml
from kiosk.site import EXAMPLE_STAFF_PIN, EmergencyNumber, Site, load_site
from kiosk.strings import Strings

pytestmark = pytest.mark.data

REPO_ROOT = Path(__file__).resolve().parents[2]

KYIV = """\
name = "Басейн «Дніпро»"
emergency_number = "103"
emergency_label = "Швидка допомога"
defibrillator = "біля входу до роздягалень"
default_language = "uk"
kiosk = true
staff_pin = 0471
idle_timeout_seconds = 120
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


def test_an_unquoted_pin_costs_only_its_own_line(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, KYIV))
    site = result.site
    # Everything else the operator wrote still applies.
    assert site.default_language == "uk"
    assert site.emergency_number == "103"
    assert site.emergency_label == "Швидка допомога"
    assert site.defibrillator == "біля входу до роздягалень"
    assert site.idle_timeout_seconds == 120
    assert site.staff_pin == ""
    syntax = [p for p in result.problems if p.code == "E105"]
    assert len(syntax) == 1 and syntax[0].line == 7
    assert syntax[0].message.startswith("staff_pin: ")
    assert 'put digits in quotes: staff_pin = "0471"' in syntax[0].message


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("theme = dark", 'put text in quotes: theme = "dark"'),
        ('name = "Pool', 'close the quotes: name = "Pool"'),
        ("emergency_number = 999 999", 'put digits in quotes: emergency_number = "999999"'),
        ("staff_pin =", 'give a value after the = sign: staff_pin = "..."'),
    ],
)
def test_each_broken_line_names_its_key_and_a_fix(tmp_path: Path, line: str, hint: str) -> None:
    result = load_site(write(tmp_path, f'first_aid_kit = "Reception"\n{line}\nkiosk = true\n'))
    syntax = [p for p in result.problems if p.code == "E105"]
    assert len(syntax) == 1, [p.format() for p in result.problems]
    assert syntax[0].line == 2
    assert hint in syntax[0].message
    assert result.site.first_aid_kit == "Reception"
    assert result.site.kiosk is True


def test_several_broken_lines_are_each_reported(tmp_path: Path) -> None:
    text = 'theme = dark\nname = "Gym"\nstaff_pin = 0042\nfont_size = 30\n'
    result = load_site(write(tmp_path, text))
    assert [(p.code, p.line) for p in result.problems] == [("E105", 1), ("E105", 3)]
    assert result.site.name == "Gym" and result.site.font_size == 30


def test_a_broken_table_header_never_leaks_its_keys_to_the_top(tmp_path: Path) -> None:
    text = 'name = "Riverside Pool"\n\n[uk\nname = "Басейн"\n'
    result = load_site(write(tmp_path, text))
    assert codes(result) == ["E105"]
    assert result.site.name == "Riverside Pool"


@pytest.mark.parametrize(
    ("text", "default"),
    [
        ('idle_timeout_seconds = "120"\n', "using the default: 90"),
        ('default_language = "ua"\n', "using the default: en"),
        ('staff_pin = "40a1"\n', "using the default: none (empty)"),
        ("kiosk = 1\n", "using the default: false"),
        ('emergency_number = "1 1 2"\n', "using the default: 112"),
    ],
)
def test_messages_say_which_default_is_used(tmp_path: Path, text: str, default: str) -> None:
    result = load_site(write(tmp_path, text))
    message = result.problems[0].message
    assert default in message
    assert "''" not in message


def test_a_rejected_pin_is_reported_before_the_warning_it_causes(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, 'kiosk = true\nstaff_pin = "40a1"\n'))
    assert codes(result) == ["E113", "W101"]
    assert "rejected" in result.problems[1].message


def test_a_rejected_number_takes_its_label_with_it(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, 'emergency_number = 103\nemergency_label = "Ambulance"\n'))
    assert result.site.emergency_number == "112"
    assert result.site.emergency_label == "Emergency"  # never "Ambulance: call 112"
    assert "Emergency" in result.problems[0].message


def test_the_example_pin_is_flagged(tmp_path: Path) -> None:
    example = toml.loads((REPO_ROOT / "deploy" / "site.example.toml").read_text("utf-8"))
    assert example["staff_pin"] == EXAMPLE_STAFF_PIN
    result = load_site(write(tmp_path, f'kiosk = true\nstaff_pin = "{EXAMPLE_STAFF_PIN}"\n'))
    assert codes(result) == ["W105"]
    assert result.problems[0].line == 2
    assert load_site(write(tmp_path, 'kiosk = true\nstaff_pin = "4071"\n')).problems == ()


NUMBERS = """\
emergency_numbers = [
    {number = "103", label = "Ambulance", uk = "Швидка допомога"},
    {number = "112", label = "Emergency"},
]
"""


def test_several_emergency_numbers_each_with_its_label(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, NUMBERS))
    assert result.problems == ()
    site = result.site
    assert site.emergency_numbers_for("en") == (
        EmergencyNumber("103", "Ambulance"),
        EmergencyNumber("112", "Emergency"),
    )
    assert site.emergency_numbers_for("uk") == (
        EmergencyNumber("103", "Швидка допомога"),
        EmergencyNumber("112", "Emergency"),
    )
    # The main number is the first: screens that show one number show it.
    assert (site.emergency_number, site.emergency_label) == ("103", "Ambulance")


def test_an_unlabelled_number_reads_emergency_in_the_visitors_language(tmp_path: Path) -> None:
    site = load_site(
        write(tmp_path, 'emergency_numbers = [{number = "999"}, {number = "112"}]\n')
    ).site
    numbers = site.emergency_numbers_for(Strings("uk"))
    assert [n.label for n in numbers] == ["Екстрена допомога"] * 2
    assert [n.number for n in numbers] == ["999", "112"]


def test_the_old_single_number_keys_still_work(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, 'emergency_number = "999"\n')).site
    assert site.emergency_numbers_for(Strings("uk")) == (
        EmergencyNumber("999", "Екстрена допомога"),
    )
    assert Site().emergency_numbers_for("en") == (EmergencyNumber("112", "Emergency"),)


def test_bad_number_entries_are_named_and_left_out(tmp_path: Path) -> None:
    text = (
        'emergency_number = "999"\n'
        'emergency_numbers = [{number = 103}, {number = "112", lable = "x"}, {number = "999"}]\n'
    )
    result = load_site(write(tmp_path, text))
    messages = [p.format() for p in result.problems]
    assert codes(result) == ["W107", "E111", "E107"], messages  # line 1, then line 2
    assert 'number = "103"' in result.problems[1].message
    assert "entry 2" in result.problems[2].message and "lable" in result.problems[2].message
    assert [n.number for n in result.site.emergency_numbers_for("en")] == ["112", "999"]


PER_LANGUAGE = """\
name = "Riverside Pool"
staff_instruction = "Lifeguard: press the red button"
first_aid_kit = "Behind reception"
defibrillator = "By the lifts"
first_aid_kit_short = "Reception"
defibrillator_short = "Lifts"

[uk]
name = "Басейн «Рівер»"
first_aid_kit = "За стійкою реєстрації"
"""


def test_site_wording_per_language_falls_back_to_the_top_level(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, PER_LANGUAGE))
    assert result.problems == ()
    site = result.site
    assert site.wording("name", "uk") == "Басейн «Рівер»"
    assert site.wording("first_aid_kit", Strings("uk")) == "За стійкою реєстрації"
    assert site.wording("defibrillator", "uk") == "By the lifts"  # not translated: fallback
    assert site.wording("name", Strings("en")) == "Riverside Pool"
    assert site.wording("staff_instruction", "en") == "Lifeguard: press the red button"


def test_a_language_table_without_name_keeps_the_translated_default(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, '[uk]\nfirst_aid_kit = "Тут"\n')).site
    assert site.wording("name", Strings("uk")) == "Перша допомога"
    assert site.wording("first_aid_kit", "uk") == "Тут"
    assert site.wording("first_aid_kit", "en") == ""


def test_language_tables_are_checked(tmp_path: Path) -> None:
    text = '[ua]\nname = "x"\n\n[uk]\nfirst_aid = "Тут"\nname = 5\n'
    result = load_site(write(tmp_path, text))
    assert codes(result) == ["E112", "E107", "E108"], [p.format() for p in result.problems]
    assert [p.line for p in result.problems] == [None, 5, 6]
    assert 'did you mean "first_aid_kit"' in result.problems[1].message
    assert result.site.languages == ()


@pytest.mark.parametrize(
    ("key", "typed", "kept"),
    [
        ("first_aid_kit", "Аптечка: на посту рятувальника", "на посту рятувальника"),
        ("first_aid_kit", "First-aid kit: behind the desk", "behind the desk"),
        ("first_aid_kit", "first aid kit:behind the desk", "behind the desk"),
        ("defibrillator", "Defibrillator (AED): by the lifts", "by the lifts"),
        ("defibrillator", "AED: by the lifts", "by the lifts"),
    ],
)
def test_a_typed_label_is_removed_so_it_is_never_doubled(
    tmp_path: Path, key: str, typed: str, kept: str
) -> None:
    result = load_site(write(tmp_path, f'{key} = "{typed}"\n'))
    assert codes(result) == ["W106"]
    assert getattr(result.site, key) == kept
    shown = Strings("uk").format(f"home.{key}", where=getattr(result.site, key))
    assert shown.count("Аптечка") + shown.count("Дефібрилятор") == 1


def test_a_place_that_only_looks_like_a_label_is_kept(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, 'first_aid_kit = "Kit room, first floor"\n'))
    assert result.problems == ()
    assert result.site.first_aid_kit == "Kit room, first floor"


def test_a_typed_label_in_a_language_table_is_removed_too(tmp_path: Path) -> None:
    result = load_site(write(tmp_path, '[uk]\nfirst_aid_kit = "Аптечка: тут"\n'))
    assert codes(result) == ["W106"]
    assert result.problems[0].message.startswith("uk.first_aid_kit: ")
    assert result.site.wording("first_aid_kit", "uk") == "тут"


def run_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "check", "--site", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_kiosk_check_names_the_site_file_and_says_ok(tmp_path: Path) -> None:
    good = write(tmp_path, 'name = "Gym"\n')
    out = run_check(good)
    assert out.returncode == 0
    assert f"site file {good}: OK" in out.stdout.splitlines()
    bad = write(tmp_path, KYIV)
    out = run_check(bad)
    assert f"site file {bad}: 1 error, 1 warning" in out.stdout, out.stdout
