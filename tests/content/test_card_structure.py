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

pytestmark = pytest.mark.data

REQUIRED_TEXT = ("id", "scenario", "title", "label", "summary", "urgency")
REQUIRED_LISTS = ("steps", "call_emergency_if", "do_not", "see_doctor_if", "keywords", "sources")
OPTIONAL_LISTS = ("prevention", "related")
KNOWN_KEYS = set(REQUIRED_TEXT + REQUIRED_LISTS + OPTIONAL_LISTS) | {"reviewed", "review_due"}
URGENCIES = {"self-care", "see-a-doctor", "emergency"}
SCHEMA_LINE = "#:schema ../../kiosk/deck/card.schema.json"

MAX_STEPS = 8
MAX_WORDS_PER_STEP = 25
MAX_LABEL_CHARS = 18

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

# A hold step says to keep the stretch until the cramp eases: the countdown is a prompt,
# and a reader who lets go when it ends may still be cramping (review finding L3).
UNTIL_IT_EASES = {
    "en": re.compile(r"\bhold until (it|the cramp) eases\b", re.IGNORECASE),
    "uk": re.compile(r"утримуйте, доки (не відпустить|судома не мине)", re.IGNORECASE),
}

STEP_KEYS = {"text", "timer_seconds", "stopwatch", "cpr_beat", "opens", "timer_label", "timer_done"}


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
    """A countdown without its own words is shown as "hold"; one with words says what it counts
    (a wait for a second dose, the next puff)."""
    hold = HOLD_WORD[card_path.parent.name]
    for step in card["steps"]:
        says_hold = bool(hold.search(step["text"]))
        timer = step.get("timer_seconds")
        if says_hold:
            assert timer is not None, step["text"]
        if timer is not None:
            assert type(timer) is int and 5 <= timer <= 600, step
            assert says_hold or step.get("timer_label"), step["text"]


def test_countdown_words_belong_to_a_countdown(card: dict[str, Any]) -> None:
    for step in card["steps"]:
        for key in ("timer_label", "timer_done"):
            if key in step:
                assert step.get("timer_seconds") is not None, step["text"]
                assert step[key].strip(), step


def hold_steps_that_may_let_go_too_soon(card: dict[str, Any], language: str) -> list[str]:
    """Timer steps that do not say to hold until the cramp eases."""
    return [
        step["text"]
        for step in card["steps"]
        if step.get("timer_seconds") is not None
        and not step.get("timer_label")  # a labelled countdown is not a stretch to hold
        and not UNTIL_IT_EASES[language].search(step["text"])
    ]


def test_every_hold_step_says_hold_until_it_eases(card_path: Path, card: dict[str, Any]) -> None:
    assert hold_steps_that_may_let_go_too_soon(card, card_path.parent.name) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Pull your toes towards your shin and hold."), ("uk", "Потягніть пальці й утримуйте.")],
    ids=["en", "uk"],
)
def test_a_hold_step_without_until_it_eases_is_caught(language: str, text: str) -> None:
    card = {"steps": [{"text": text, "timer_seconds": 30}]}
    assert hold_steps_that_may_let_go_too_soon(card, language) == [text]


def test_no_emergency_number_in_any_text(card: dict[str, Any]) -> None:
    for text in all_strings(card):
        assert not EMERGENCY_NUMBER.search(text), text


def test_plain_text_without_markup_or_control_characters(card: dict[str, Any]) -> None:
    for text in all_strings(card):
        assert "[" not in text and "]" not in text, text
        assert not CONTROL_CHARS.search(text), repr(text)
        assert text == text.strip(), repr(text)
