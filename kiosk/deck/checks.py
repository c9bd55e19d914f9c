"""Check one parsed card file and build its :class:`Card`.

Everything here looks at a single file; checks that need the whole deck
(duplicate ids, ``related``, languages, order) live in :mod:`kiosk.deck.loader`.
The happy path is kept cheap (set differences, ``type() is`` tests, one
regular expression per text) so that checking adds little to TOML parsing.
Line numbers are looked up in the source text only when a problem is found.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Optional, Union

from kiosk.core import text as text_rules
from kiosk.deck.model import Card, Problem, Source, Step, Urgency

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_ID_LENGTH = 64
MAX_STEPS = 8
MAX_STEP_WORDS = 25
MAX_LABEL_CHARS = 18
MAX_CHARS = {"title": 34, "label": MAX_LABEL_CHARS, "summary": 160, "step": 120, "item": 120}
"""Characters each visible text may have (W016; W009 for the label): what the smallest
target screen, 36x10, shows with room for the steps. The bundled deck keeps to them."""
HARD_LIMIT_FACTOR = 2
"""A text over this many times its limit is an error (E035): it would push everything
else on the card off the screen, so the card is left out and ``kiosk check`` fails."""
MAX_PROBLEMS_PER_FILE = 20
"""Beyond this, a file's problems are only counted: one file must not flood the report."""
TIMER_MIN, TIMER_MAX = 5, 600
TIMER_RANGE = (TIMER_MIN, TIMER_MAX)

TEXT_FIELDS = ("scenario", "title", "label", "summary")
REQUIRED_LISTS = ("call_emergency_if", "do_not", "see_doctor_if")
OPTIONAL_LISTS = ("prevention", "related", "keywords")
DATE_FIELDS = ("reviewed", "review_due")
CARD_KEYS = frozenset(
    ("id", "urgency", "steps", "sources")
    + TEXT_FIELDS
    + REQUIRED_LISTS
    + OPTIONAL_LISTS
    + DATE_FIELDS
)
STEP_KEYS = frozenset(
    ("text", "timer_seconds", "stopwatch", "cpr_beat", "opens", "timer_label", "timer_done")
)
TIMER_WORDS = ("timer_label", "timer_done")
"""Step texts that only mean something with ``timer_seconds``."""
SOURCE_KEYS = ("publisher", "title", "url")
SOURCE_KEY_SET = frozenset(SOURCE_KEYS)
URGENCIES = tuple(u.value for u in Urgency)
_URGENCY_OF = {u.value: u for u in Urgency}
"""``Urgency(value)`` without the Enum call machinery."""
Table = Optional[tuple[str, int]]
"""An array-of-tables entry, e.g. ``("steps", 2)`` for the third ``[[steps]]``."""
Prose = tuple[Union[str, list[str]], str, str, Table]
"""Text for the markup and emergency-number scan: ``(text, where, key, at)``, where
``text`` may also be a whole list of items (``where`` is then found on a hit)."""

_CONTROL_RE = text_rules.CONTROL
_MARKUP_RE = text_rules.MARKUP
EMERGENCY_NUMBERS = ("112", "911", "999", "000", "101", "102", "103")
_EMERGENCY_DIGITS = "".join(sorted(set("".join(EMERGENCY_NUMBERS))))
_EMERGENCY_NUMBER_RE = re.compile(
    r"(?<![\d,.])(?:" + "|".join(EMERGENCY_NUMBERS) + r")(?![\d°]|[,.]\d)"
)
_TYPE_NAMES = {
    str: "a string",
    list: "a list",
    dict: "a table",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    dt.date: "a date",
    dt.datetime: "a date and time",
    dt.time: "a time",
}


def _may_hold_control(text: str) -> bool:
    """Whether a value parsed from ``text`` can hold a control character.

    TOML forbids raw control characters in strings except tabs, and line
    breaks in multi-line strings; others can only arrive through escapes.
    """
    if "\\" in text or '"""' in text or "'''" in text or "\t" in text:
        return True
    return not text.isascii() and _CONTROL_RE.search(text) is not None


def _all_non_blank_strings(items: list[Any]) -> bool:
    """Whether every item is a string with more than white space (C loops: no per-item bytecode)."""
    try:
        return all(map(str.strip, items))
    except TypeError:  # an item is not a string (TOML gives no str subclasses)
        return False


def type_name(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def line_of(text: str, key: str, after: int = 0) -> int | None:
    """The line where ``key = ...`` is first written at or after offset ``after``."""
    found = re.compile(rf'^[ \t]*["\']?{re.escape(key)}["\']?[ \t]*=', re.M).search(text, after)
    return text.count("\n", 0, found.start()) + 1 if found else None


def table_offset(text: str, table: str, index: int) -> int:
    """Offset of the ``index``-th ``[[table]]`` header (-1 when not found, e.g. inline)."""
    headers = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(table)}[ \t]*\]\]", re.M)
    for number, found in enumerate(headers.finditer(text)):
        if number == index:
            return found.start()
    return -1


class CardChecker:
    """Checks one card file's data; ``build()`` returns the card, or ``None`` after an error."""

    def __init__(
        self, path: Path, text: str, language: str, today: dt.date, stem: str = ""
    ) -> None:
        self.path = path
        self.text = text
        self.language = language
        self.today = today
        self.stem = stem or path.stem
        self.card_id = self.stem
        self.declared_id = ""
        self.problems: list[Problem] = []
        self.failed = False
        self.suppressed = 0
        self.suppressed_error = False
        # Most files need no per-value control-character scan at all.
        self.scan_control = _may_hold_control(text)
        # Prose texts, scanned together at the end for markup and emergency numbers.
        self.prose: list[Prose] = []

    def report(self, code: str, message: str, key: str = "", at: Table = None) -> None:
        """Record a problem; ``key`` (inside table ``at``) locates its line."""
        is_error = not code.startswith("W")
        if is_error:
            self.failed = True
        if len(self.problems) >= MAX_PROBLEMS_PER_FILE:
            self.suppressed += 1
            self.suppressed_error = self.suppressed_error or is_error
            return
        offset = table_offset(self.text, *at) if at else 0
        line = None
        if key:
            line = line_of(self.text, key, max(offset, 0))
        elif offset > 0:
            line = self.text.count("\n", 0, offset) + 1
        self.problems.append(Problem(self.path, code, message, self.card_id, line))

    # Field readers: each returns a usable value, or a default after reporting.

    def text_value(
        self, value: object, where: str, key: str, at: Table = None, prose: bool = True
    ) -> str:
        """A checked text; ``prose`` is false for a url (no markup or number checks)."""
        if type(value) is not str:
            self.report("E003", f"{where} must be a string, not {type_name(value)}", key, at)
            return ""
        if not value.strip():
            self.report("E005", f"{where} is empty", key, at)
            return value
        if self.scan_control:
            self.check_control(value, where, key, at)
        if prose:
            self.prose.append((value, where, key, at))
        return value

    def check_length(self, value: str, kind: str, where: str, key: str, at: Table = None) -> None:
        """W016 (W009 for a label) over the limit of ``kind``; E035 far over it (C2)."""
        length, limit = len(value), MAX_CHARS[kind]
        if length <= limit:
            return
        if length > HARD_LIMIT_FACTOR * limit:
            message = (
                f"{where} has {length} characters, more than {HARD_LIMIT_FACTOR} times"
                f" the {limit} a screen can show; the card is left out"
            )
            self.report("E035", message, key, at)
        else:
            code = "W009" if kind == "label" else "W016"
            self.report(code, f"{where} has {length} characters; keep to {limit}", key, at)

    def check_control(self, value: str, where: str, key: str, at: Table) -> None:
        control = _CONTROL_RE.search(value)
        if control:
            message = (
                f"{where} contains control character U+{ord(control.group()):04X}"
                " (line breaks and tabs included: write one line of plain text)"
            )
            self.report("E017", message, key, at)

    def text_list(self, data: dict[str, Any], key: str, required: bool) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            if required:
                self.report_missing(key)
            return ()
        if type(value) is not list:
            self.report("E003", f"{key} must be a list of strings, not {type_name(value)}", key)
            return ()
        if not value:
            if required:
                message = f"{key} is empty"
                self.report("E014" if key == "call_emergency_if" else "E005", message, key)
            return ()
        prose = key != "related"
        limit = MAX_CHARS["item"]
        if (
            not self.scan_control
            and _all_non_blank_strings(value)
            and (not prose or max(map(len, value)) <= limit)
        ):
            # The usual case: nothing to report item by item; scanned as one entry.
            if prose:
                self.prose.append((value, "", key, None))
        else:
            for number, item in enumerate(value, 1):
                where = f"{key} item {number}"
                text = self.text_value(item, where, key, prose=prose)
                if prose:
                    self.check_length(text, "item", where, key)
        return tuple(value)

    def scan_prose(self) -> None:
        """Warn about markup and emergency numbers; one search of all texts when there are none."""
        if not self.prose:
            return
        parts: list[str] = []
        for entry in self.prose:
            if type(entry[0]) is str:
                parts.append(entry[0])
            else:
                parts.extend(entry[0])
        joined = "\n".join(parts)
        # Plain substring tests first: far cheaper than a regular expression.
        markup = "[" in joined and _MARKUP_RE.search(joined) is not None
        numbers = any(digit in joined for digit in _EMERGENCY_DIGITS)
        if not (markup or numbers):
            return
        for value, where, key, at in self.located_prose():
            found = _MARKUP_RE.search(value) if markup else None
            if found:
                message = (
                    f"{where} contains {found.group()!r}, which looks like markup;"
                    " card text is shown exactly as written"
                )
                self.report("W004", message, key, at)
            found = _EMERGENCY_NUMBER_RE.search(value) if numbers else None
            if found:
                message = (
                    f"{where} contains {found.group()!r}, which looks like an emergency number;"
                    ' write "call emergency": the number comes from the site file'
                )
                self.report("W005", message, key, at)

    def located_prose(self) -> Iterator[tuple[str, str, str, Table]]:
        """Each prose text with its description, for texts recorded without one (fast paths)."""
        for value, where, key, at in self.prose:
            if type(value) is not str:
                for number, item in enumerate(value, 1):
                    yield item, f"{key} item {number}", key, at
            elif where:
                yield value, where, key, at
            elif at:
                yield value, f"step {at[1] + 1} text", key, at
            else:
                yield value, key, key, at

    def report_missing(self, key: str) -> None:
        if key == "call_emergency_if":
            self.report("E014", "no call_emergency_if: say when to call for help")
        elif key == "sources":
            self.report("E011", "no sources: name at least one publisher's page")
        else:
            self.report("E004", f"required field {key} is missing")

    def date_value(self, data: dict[str, Any], key: str) -> dt.date | None:
        value = data.get(key)
        if value is None:
            self.report_missing(key)
            return None
        if type(value) is not dt.date:
            hint = " (write 2026-01-31 without quotes)" if type(value) is str else ""
            self.report("E003", f"{key} must be a date, not {type_name(value)}{hint}", key)
            return None
        return value

    def check_keys(self, data: dict[str, Any], known: frozenset[str], where: str) -> None:
        for key in sorted(data.keys() - known):
            self.report("E002", f"unknown key {key!r} in {where}{suggest(key, known)}", key)

    def steps(self, data: dict[str, Any]) -> tuple[Step, ...]:
        value = data.get("steps")
        if value is None:
            self.report_missing("steps")
            return ()
        if type(value) is not list:
            self.report("E003", f"steps must be a list of [[steps]] tables, not {type_name(value)}")
            return ()
        if not value:
            self.report("E005", "steps is empty: give at least one step", "steps")
        elif len(value) > MAX_STEPS:
            self.report("W002", f"{len(value)} steps; keep to {MAX_STEPS} or fewer")
        steps = []
        stopwatches = 0
        for number, item in enumerate(value, 1):
            if type(item) is not dict:
                message = f"step {number} must be a table, not {type_name(item)}"
                self.report("E003", message, "steps")
                continue
            steps.append(self.step(item, number, ("steps", number - 1)))
            stopwatches += steps[-1].stopwatch
        if stopwatches > 1:
            self.report("W013", f"{stopwatches} steps have a stopwatch; the first one is used")
        return tuple(steps)

    def step(self, item: dict[str, Any], number: int, at: Table) -> Step:
        text = item.get("text")
        timer = item.get("timer_seconds")
        stopwatch = item.get("stopwatch", False)
        if (
            type(text) is str
            and (timer is None or (type(timer) is int and TIMER_MIN <= timer <= TIMER_MAX))
            and (stopwatch is False or (stopwatch is True and timer is None))
            and len(item) == 1 + (timer is not None) + ("stopwatch" in item)
            and not self.scan_control
            and text.count(" ") < MAX_STEP_WORDS
            and len(text) <= MAX_CHARS["step"]
            and text.strip()
        ):
            self.prose.append((text, "", "text", at))
            return Step(text, timer, stopwatch)
        return self.checked_step(item, number, at)

    def checked_step(self, item: dict[str, Any], number: int, at: Table) -> Step:
        """The step, with every problem reported (the slow path of :meth:`step`)."""
        where = f"step {number}"
        if item.keys() - STEP_KEYS:
            self.check_keys(item, STEP_KEYS, where)
        if "text" not in item:
            self.report("E004", f"{where} has no text", at=at)
            text = ""
        else:
            text = self.text_value(item["text"], f"{where} text", "text", at)
            self.check_length(text, "step", f"{where} text", "text", at)
            words = len(text.split())
            if words > MAX_STEP_WORDS:
                self.report(
                    "W003",
                    f"{where} has {words} words; keep to {MAX_STEP_WORDS} or fewer",
                    "text",
                    at,
                )
        timer = item.get("timer_seconds")
        if type(timer) is float and timer.is_integer():
            timer = int(timer)  # 30.0 is an integer to JSON Schema, so to us too
        if timer is not None:
            if type(timer) is not int:
                message = f"{where} timer_seconds must be an integer, not {type_name(timer)}"
                self.report("E003", message, "timer_seconds", at)
                timer = None
            elif not TIMER_RANGE[0] <= timer <= TIMER_RANGE[1]:
                low, high = TIMER_RANGE
                message = f"{where} timer_seconds is {timer}; use {low} to {high}"
                self.report("E016", message, "timer_seconds", at)
                timer = None
        stopwatch = item.get("stopwatch", False)
        if type(stopwatch) is not bool:
            message = f"{where} stopwatch must be true or false, not {type_name(stopwatch)}"
            self.report("E003", message, "stopwatch", at)
            stopwatch = False
        if stopwatch and timer is not None:
            self.report(
                "E030", f"{where} has both a timer and a stopwatch; keep one", "stopwatch", at
            )
        cpr_beat = item.get("cpr_beat", False)
        if type(cpr_beat) is not bool:
            message = f"{where} cpr_beat must be true or false, not {type_name(cpr_beat)}"
            self.report("E003", message, "cpr_beat", at)
            cpr_beat = False
        if cpr_beat and (stopwatch or timer is not None):
            message = f"{where} has the CPR beat and a timer or stopwatch; keep one"
            self.report("E033", message, "cpr_beat", at)
        opens = item.get("opens", "")
        if type(opens) is not str:
            message = f"{where} opens must be a string, not {type_name(opens)}"
            self.report("E003", message, "opens", at)
            opens = ""
        elif opens and (not SLUG.match(opens) or len(opens) > MAX_ID_LENGTH):
            message = f"{where} opens {opens!r}, which is not a card id (a slug)"
            self.report("E034", message, "opens", at)
            opens = ""
        timer_words: dict[str, str] = {}
        for key in TIMER_WORDS:
            timer_words[key] = ""
            if key in item:
                timer_words[key] = self.text_value(item[key], f"{where} {key}", key, at)
                if timer is None:
                    message = f"{where} has {key} but no timer_seconds; it is not shown"
                    self.report("W015", message, key, at)
        return Step(
            text,
            timer,
            stopwatch,
            cpr_beat,
            opens,
            timer_label=timer_words["timer_label"],
            timer_done=timer_words["timer_done"],
        )

    def sources(self, data: dict[str, Any]) -> tuple[Source, ...]:
        value = data.get("sources")
        if value is None or value == []:
            self.report_missing("sources")
            return ()
        if type(value) is not list:
            self.report(
                "E003", f"sources must be a list of [[sources]] tables, not {type_name(value)}"
            )
            return ()
        sources = []
        for number, item in enumerate(value, 1):
            where = f"source {number}"
            if type(item) is not dict:
                self.report("E003", f"{where} must be a table, not {type_name(item)}")
                continue
            at = ("sources", number - 1)
            if item.keys() - SOURCE_KEY_SET:
                self.check_keys(item, SOURCE_KEY_SET, where)
            fields = []
            for key in SOURCE_KEYS:
                if key not in item or item[key] == "":
                    self.report("E012", f"{where} has no {key}", key if key in item else "", at)
                    fields.append("")
                else:
                    fields.append(
                        self.text_value(item[key], f"{where} {key}", key, at, key != "url")
                    )
            url = fields[2]
            if url and not url.startswith(("https://", "http://")):
                self.report("E013", f"{where} url {url!r} is not an http(s) address", "url", at)
            sources.append(Source(*fields))
        return tuple(sources)

    def build(self, data: dict[str, Any]) -> Card | None:
        """Check every field; the card if nothing was an error, else ``None``."""
        if not data:
            self.report("E005", "the file is empty: no card in it")
            return None
        card = self.build_card(data)
        if self.suppressed:
            code = "E032" if self.suppressed_error else "W014"
            message = f"{self.suppressed} more problem(s) in this file not listed; fix these first"
            self.problems.append(Problem(self.path, code, message, self.card_id))
        return card

    def build_card(self, data: dict[str, Any]) -> Card | None:
        if data.keys() - CARD_KEYS:
            self.check_keys(data, CARD_KEYS, "card")
        card_id = data.get("id")
        if card_id is None:
            self.report_missing("id")
        elif type(card_id) is not str:
            self.report("E003", f"id must be a string, not {type_name(card_id)}", "id")
        elif not SLUG.match(card_id) or len(card_id) > MAX_ID_LENGTH:
            self.report(
                "E006",
                f"id {card_id!r} is not a slug: lowercase letters, digits and single hyphens",
                "id",
            )
        else:
            if card_id != self.stem:
                message = f"file name {self.path.name!r} does not match id {card_id!r}"
                self.report("E007", message, "id")
            self.card_id = self.declared_id = card_id
        texts: dict[str, str] = {}
        for key in TEXT_FIELDS:
            if key not in data:
                self.report_missing(key)
                texts[key] = ""
            else:
                texts[key] = self.text_value(data[key], key, key)
        for key in ("title", "label", "summary"):
            self.check_length(texts[key], key, key, key)
        urgency = self.urgency(data.get("urgency"))
        steps = self.steps(data)
        lists = {key: self.text_list(data, key, True) for key in REQUIRED_LISTS}
        for key in OPTIONAL_LISTS:
            lists[key] = self.text_list(data, key, False)
        sources = self.sources(data)
        reviewed = self.date_value(data, "reviewed")
        review_due = self.date_value(data, "review_due")
        self.check_dates(reviewed, review_due)
        self.scan_prose()
        if self.failed or urgency is None or reviewed is None or review_due is None:
            return None
        return Card(
            id=self.card_id,
            language=self.language,
            urgency=urgency,
            steps=steps,
            sources=sources,
            reviewed=reviewed,
            review_due=review_due,
            path=self.path,
            scenario=texts["scenario"],
            title=texts["title"],
            label=texts["label"],
            summary=texts["summary"],
            call_emergency_if=lists["call_emergency_if"],
            do_not=lists["do_not"],
            see_doctor_if=lists["see_doctor_if"],
            prevention=lists["prevention"],
            related=lists["related"],
            keywords=lists["keywords"],
        )

    def urgency(self, value: object) -> Urgency | None:
        if value is None:
            self.report_missing("urgency")
            return None
        if type(value) is not str:
            self.report("E003", f"urgency must be a string, not {type_name(value)}", "urgency")
            return None
        urgency = _URGENCY_OF.get(value)
        if urgency is None:
            message = f"urgency {value!r} is not one of {', '.join(URGENCIES)}"
            self.report("E008", message + suggest(value, URGENCIES), "urgency")
        return urgency

    def check_dates(self, reviewed: dt.date | None, review_due: dt.date | None) -> None:
        if reviewed is not None and reviewed > self.today:
            self.report("E015", f"reviewed {reviewed} is in the future", "reviewed")
        if review_due is not None and review_due < self.today:
            self.report("W001", f"review overdue since {review_due}", "review_due")
        if reviewed is not None and review_due is not None and review_due < reviewed:
            self.report(
                "W010", f"review_due {review_due} is before reviewed {reviewed}", "review_due"
            )


def check_card(
    path: Path, text: str, data: dict[str, Any], language: str, today: dt.date, stem: str = ""
) -> tuple[Card | None, list[Problem], str]:
    """The card (``None`` after an error), every problem, and the valid slug id declared."""
    checker = CardChecker(path, text, language, today, stem)
    card = checker.build(data)
    return card, checker.problems, checker.declared_id
