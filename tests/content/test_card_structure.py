"""Each card file on its own: required sections, sources, dates, step limits, plain text.

These checks run once per card file per language (see ``conftest.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.data]

REQUIRED_TEXT = ("id", "scenario", "title", "label", "summary", "urgency")
REQUIRED_LISTS = ("steps", "call_emergency_if", "do_not", "see_doctor_if", "keywords", "sources")
OPTIONAL_LISTS = ("prevention", "related")
KNOWN_KEYS = set(REQUIRED_TEXT + REQUIRED_LISTS + OPTIONAL_LISTS) | {"reviewed", "review_due"}
URGENCIES = {"self-care", "see-a-doctor", "emergency"}
SCHEMA_LINE = "#:schema ../../kiosk/deck/card.schema.json"

MAX_STEPS = 8
MAX_WORDS_PER_STEP = 25
MAX_LABEL_CHARS = 18
STEP_KEYS = {"text", "timer_seconds", "stopwatch", "cpr_beat", "opens", "timer_label", "timer_done"}

# What fits the smallest screen (36x10 cells) without scrolling, in characters.
SCREEN_LIMITS = {"title": 34, "label": 18, "summary": 160}
MAX_STEP_CHARS = 120
MAX_ITEM_CHARS = 120
MAX_TIMER_LABEL_CHARS = 34  # one line beside the countdown
MAX_TIMER_DONE_CHARS = 60  # at most two lines when the countdown ends
SCREEN_LISTS = ("call_emergency_if", "do_not", "see_doctor_if", "prevention")
# Cards already too long for the smallest screen when the limits came in (2026-12-01); the
# helper who owns them is shortening them on another branch. Remove an entry once it fits.
OVERLONG_FOR_NOW = {
    "en/febrile-seizure",
    "en/hand-cramp",
    "en/heat-illness",
    "en/leg-cramp",
    "en/night-cramps",
    "en/pregnancy-cramps",
    "uk/febrile-seizure",
    "uk/hand-cramp",
    "uk/heat-illness",
    "uk/leg-cramp",
    "uk/night-cramps",
    "uk/pregnancy-cramps",
}

# Numbers the kiosk takes from the site config; none may be hard-coded in a card.
EMERGENCY_NUMBER = re.compile(r"(?<!\d)(112|999|911|000|111|101|102|103|104|106)(?!\d)")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Where the content brief only had a copy of a page: cards must cite the publisher instead.
MIRROR_HOSTS = {
    "www.doctoori.net",
    "www.zana.com",
    "www.cheshiremed.org",
    "uat.rnli.org",
    "plunket-prod.heyday.net.nz",
    "developer.api.nhs.uk",
    "www.cprlifesupport.com",
    "www.aol.com",
    "consumer.healthday.com",
    "staging.scite.ai",
    "dorsetroadsafe.org",
    "roundandabout.co.uk",
}

# The word that announces a hold-the-stretch countdown, per language.
HOLD_WORD = {
    "en": re.compile(r"\bhold\b", re.IGNORECASE),
    "uk": re.compile(r"\b(утримуйте|тримайте|потримайте)\b", re.IGNORECASE),
}


def all_strings(value: Any) -> list[str]:
    """Every string anywhere in a parsed card, in file order."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in all_strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in all_strings(item)]
    return []


def test_first_line_points_editors_at_the_schema(card_path: Path) -> None:
    first_line = card_path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == SCHEMA_LINE


def test_has_every_required_section(card: dict[str, Any]) -> None:
    unknown = set(card) - KNOWN_KEYS
    assert not unknown, f"unknown keys: {sorted(unknown)}"
    for key in REQUIRED_TEXT:
        assert isinstance(card.get(key), str) and card[key].strip(), f"{key} missing or empty"
    for key in REQUIRED_LISTS:
        assert isinstance(card.get(key), list) and card[key], f"{key} missing or empty"
        if key not in ("steps", "sources"):
            assert all(isinstance(s, str) and s.strip() for s in card[key]), key
    for key in OPTIONAL_LISTS:
        assert isinstance(card.get(key, []), list), key
    assert card["urgency"] in URGENCIES


def test_id_is_the_file_name(card_path: Path, card: dict[str, Any]) -> None:
    assert card["id"] == card_path.stem
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", card["id"])


def test_label_fits_a_home_tile(card: dict[str, Any]) -> None:
    assert len(card["label"]) <= MAX_LABEL_CHARS


def test_sources_name_the_publisher_page_over_https(card: dict[str, Any]) -> None:
    for source in card["sources"]:
        assert source.get("publisher", "").strip(), source
        assert source.get("title", "").strip(), source
        url = urlsplit(source.get("url", ""))
        assert url.scheme == "https" and url.netloc, source
        assert url.netloc not in MIRROR_HOSTS, f"cite the publisher, not a copy: {source['url']}"
        assert "staging" not in url.netloc and "draft" not in url.query, source["url"]


def test_review_dates_are_sane(card: dict[str, Any]) -> None:
    reviewed, due = card["reviewed"], card["review_due"]
    assert type(reviewed) is dt.date and type(due) is dt.date
    assert reviewed <= dt.date.today(), "reviewed is in the future"
    assert due > reviewed


def test_steps_are_few_and_short(card: dict[str, Any]) -> None:
    steps = card["steps"]
    assert 1 <= len(steps) <= MAX_STEPS
    for step in steps:
        assert set(step) <= STEP_KEYS, step
        words = step["text"].split()
        assert len(words) <= MAX_WORDS_PER_STEP, f"{len(words)} words: {step['text']}"


def test_every_hold_step_has_a_timer_and_every_plain_timer_says_hold(
    card_path: Path, card: dict[str, Any]
) -> None:
    """A countdown without its own words is shown as "hold"; one with words says what it counts."""
    hold = HOLD_WORD[card_path.parent.name]
    for step in card["steps"]:
        says_hold = bool(hold.search(step["text"]))
        timer = step.get("timer_seconds")
        if says_hold:
            assert timer is not None, step["text"]
        if timer is not None:
            assert type(timer) is int and 5 <= timer <= 600, step
            assert says_hold or step.get("timer_label"), step["text"]


def test_a_countdown_with_words_has_both_its_label_and_its_end_words(card: dict[str, Any]) -> None:
    for step in card["steps"]:
        words = [step.get(key, "") for key in ("timer_label", "timer_done")]
        if any(words):
            assert step.get("timer_seconds") is not None, step["text"]
            assert all(word.strip() for word in words), step


def too_long(card: dict[str, Any]) -> list[str]:
    """Every text of ``card`` that would not fit the smallest screen, as ``field: length``."""
    found = [
        f"{key}: {len(card[key])} > {limit}"
        for key, limit in SCREEN_LIMITS.items()
        if len(card.get(key, "")) > limit
    ]
    for number, step in enumerate(card.get("steps", []), start=1):
        for key, limit in (
            ("text", MAX_STEP_CHARS),
            ("timer_label", MAX_TIMER_LABEL_CHARS),
            ("timer_done", MAX_TIMER_DONE_CHARS),
        ):
            if len(step.get(key, "")) > limit:
                found.append(f"step {number} {key}: {len(step[key])} > {limit}")
    for key in SCREEN_LISTS:
        for number, item in enumerate(card.get(key, []), start=1):
            if len(item) > MAX_ITEM_CHARS:
                found.append(f"{key} {number}: {len(item)} > {MAX_ITEM_CHARS}")
    return found


def test_every_text_fits_the_smallest_screen(
    card_path: Path, card: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    if f"{card_path.parent.name}/{card_path.stem}" in OVERLONG_FOR_NOW:
        request.applymarker(pytest.mark.xfail(reason="being shortened on another branch"))
    assert too_long(card) == []


def test_the_length_check_fails_on_a_card_one_character_too_long() -> None:
    fits = {
        "title": "t" * 34,
        "label": "l" * 18,
        "summary": "s" * 160,
        "steps": [{"text": "x" * 120, "timer_label": "y" * 34, "timer_done": "z" * 60}],
        "do_not": ["d" * 120],
    }
    assert too_long(fits) == []
    for key in ("title", "label", "summary"):
        assert too_long({**fits, key: fits[key] + "!"}) == [
            f"{key}: {len(fits[key]) + 1} > {len(fits[key])}"
        ]
    step = fits["steps"][0]
    for key in ("text", "timer_label", "timer_done"):
        broken = {**fits, "steps": [{**step, key: step[key] + "!"}]}
        assert len(too_long(broken)) == 1 and f"step 1 {key}" in too_long(broken)[0]
    assert too_long({**fits, "do_not": ["ok", "d" * 121]}) == ["do_not 2: 121 > 120"]


def test_no_emergency_number_in_any_text(card: dict[str, Any]) -> None:
    for text in all_strings(card):
        assert not EMERGENCY_NUMBER.search(text), text


def test_plain_text_without_markup_or_control_characters(card: dict[str, Any]) -> None:
    for text in all_strings(card):
        assert "[" not in text and "]" not in text, text
        assert not CONTROL_CHARS.search(text), repr(text)
        assert text == text.strip(), repr(text)
