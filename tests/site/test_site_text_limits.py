"""Length limits on the site text a visitor sees (red-team C3).

A 200-character ``emergency_label`` or ``staff_instruction`` passed the check and, at
40x12, filled every row: the label comes before the number on the bar, so it pushed the
number down. Over its limit a text is a warning (W108); over twice it (the label: over
its limit) an error (E132), and the default is used, so the bar still shows the number.
An empty label is E133 (the bar read ": call 999").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.site import VISIBLE_TEXT_LIMITS, Site, load_site

pytestmark = [pytest.mark.data]


def load(tmp_path: Path, text: str):
    path = tmp_path / "site.toml"
    path.write_text('emergency_number = "999"\n' + text, encoding="utf-8")
    return load_site(path)


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


def test_the_limits_fit_the_smallest_screen() -> None:
    assert VISIBLE_TEXT_LIMITS == {
        "name": 34,
        "emergency_label": 24,
        "staff_instruction": 70,
        "first_aid_kit": 40,
        "defibrillator": 40,
    }


@pytest.mark.parametrize("key", ["name", "staff_instruction", "first_aid_kit", "defibrillator"])
def test_over_the_limit_warns_and_far_over_it_falls_back(tmp_path: Path, key: str) -> None:
    limit = VISIBLE_TEXT_LIMITS[key]
    at_limit = load(tmp_path, f'{key} = "{"W" * limit}"\n')
    assert codes(at_limit) == [] and getattr(at_limit.site, key) == "W" * limit
    over = load(tmp_path, f'{key} = "{"W" * (limit + 1)}"\n')
    assert codes(over) == ["W108"] and getattr(over.site, key) == "W" * (limit + 1)
    far_over = load(tmp_path, f'{key} = "{"W" * (2 * limit + 1)}"\n')
    assert codes(far_over) == ["E132"]
    assert getattr(far_over.site, key) == getattr(Site(), key), "the default is used"


def test_the_red_team_long_label_falls_back_and_the_number_shows(tmp_path: Path) -> None:
    result = load(tmp_path, 'emergency_label = "' + " " * 199 + 'E"\n')
    assert codes(result) == ["E132"]
    assert result.site.emergency_label == "Emergency"
    assert result.site.emergency_number == "999"
    assert "at most 24 fit the smallest screen" in result.problems[0].message


def test_an_empty_label_falls_back(tmp_path: Path) -> None:
    result = load(tmp_path, 'emergency_label = "  "\n')
    assert codes(result) == ["E133"]
    assert result.site.emergency_label == "Emergency"


def test_a_language_table_keeps_the_top_level_text(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        'staff_instruction = "Ask at reception"\n[uk]\nstaff_instruction = "' + "Ї" * 141 + '"\n',
    )
    assert codes(result) == ["E132"]
    assert result.site.staff_instruction == "Ask at reception"
    assert not result.site.languages


def test_a_long_label_of_one_of_several_numbers_keeps_the_number(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        'emergency_numbers = [{number = "103", label = "' + "A" * 30 + '"}, {number = "112"}]\n',
    )
    assert codes(result) == ["W107", "E132"]  # W107: emergency_number is set too
    assert [entry.number for entry in result.site.emergency_numbers] == ["103", "112"]
    assert result.site.emergency_numbers[0].label == ""
