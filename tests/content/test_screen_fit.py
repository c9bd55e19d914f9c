"""Every card text fits the smallest target screen (36x10 cells), in every language.

The limits are the content budget set for the 36x10 screen (about four lines of 34
cells for a step, with room left for its timer and the Back, Home and Next buttons);
the UI's own geometry tests check the real layout. Ukrainian runs longer than English,
so each language is checked on its own text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.data

MAX_CHARS = {"title": 34, "label": 18, "summary": 160}
MAX_STEP_CHARS = 120
MAX_ITEM_CHARS = 120
# A countdown's own words: its label on one line beside it, its end words on two at most.
MAX_TIMER_CHARS = {"timer_label": 34, "timer_done": 60}
LISTS = ("call_emergency_if", "do_not", "see_doctor_if", "prevention")


def too_long(card: dict[str, Any]) -> list[str]:
    """Each text over its limit, as 'field: length > limit'."""
    found = [
        f"{key}: {len(card[key])} > {limit}"
        for key, limit in MAX_CHARS.items()
        if len(card.get(key, "")) > limit
    ]
    for number, step in enumerate(card.get("steps", []), 1):
        if len(step["text"]) > MAX_STEP_CHARS:
            found.append(f"step {number}: {len(step['text'])} > {MAX_STEP_CHARS}")
        for key, limit in MAX_TIMER_CHARS.items():
            if len(step.get(key, "")) > limit:
                found.append(f"step {number} {key}: {len(step[key])} > {limit}")
    for key in LISTS:
        for number, item in enumerate(card.get(key, []), 1):
            if len(item) > MAX_ITEM_CHARS:
                found.append(f"{key} {number}: {len(item)} > {MAX_ITEM_CHARS}")
    return found


def test_every_text_fits_the_smallest_screen(card_path: Path, card: dict[str, Any]) -> None:
    assert too_long(card) == []


def test_the_limits_are_counted_in_characters_not_bytes() -> None:
    ukrainian_label = "Судомний напад при"  # 18 characters, 34 bytes in UTF-8
    assert too_long({"label": ukrainian_label}) == []


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ({"title": "x" * 35}, "title: 35 > 34"),
        ({"label": "x" * 19}, "label: 19 > 18"),
        ({"summary": "x" * 161}, "summary: 161 > 160"),
        ({"steps": [{"text": "ok"}, {"text": "x" * 121}]}, "step 2: 121 > 120"),
        ({"do_not": ["x" * 121]}, "do_not 1: 121 > 120"),
        ({"call_emergency_if": ["ok", "x" * 130]}, "call_emergency_if 2: 130 > 120"),
        (
            {"steps": [{"text": "ok", "timer_label": "x" * 35}]},
            "step 1 timer_label: 35 > 34",
        ),
        ({"steps": [{"text": "ok", "timer_done": "x" * 61}]}, "step 1 timer_done: 61 > 60"),
    ],
    ids=["title", "label", "summary", "step", "do-not", "call-list", "timer-label", "timer-done"],
)
def test_a_text_over_its_limit_is_caught(card: dict[str, Any], expected: str) -> None:
    assert too_long(card) == [expected]
