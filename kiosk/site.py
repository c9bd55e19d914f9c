"""Site configuration: what differs between a pool, a gym and a pharmacy.

A site file is a small flat TOML table (see ``docs/site-config.md`` and
``deploy/site.example.toml``). :func:`load_site` checks it like the deck
checker checks cards, with stable codes: ``E1xx`` errors, ``W1xx`` warnings.

The fallback rule is per key: a key with an error keeps its default, every
good key is applied, and each problem is reported (to ``kiosk check --site``
and to the staff screen). A TOML syntax error costs only the broken line: the
file is parsed again without it, so every other key still applies. A file
that cannot be read at all gives the defaults for everything. :func:`load_site`
never raises.

Beyond the flat keys, a site file may list several emergency numbers
(``emergency_numbers``) and give its wording per interface language in a table
named after the language (``[uk]``); see :meth:`Site.wording` and
:meth:`Site.emergency_numbers_for`.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core import files, toml
from kiosk.core.choices import FONT_SIZE_RANGE, TEXT_SIZES, THEMES
from kiosk.core.files import ReadFailure
from kiosk.core.problem import Problem, errors, warnings
from kiosk.core.text import CONTROL, looks_like_markup

if TYPE_CHECKING:
    from kiosk.strings import Strings

MAX_SITE_FILE_BYTES = 64 * 1024
IDLE_TIMEOUT_RANGE = (15, 3600)
IDLE_TIMER_LIMIT_RANGE = (15, 720)  # minutes; above the longest card timer (10 min)
MAX_TEXT_LENGTH = 200
KEEP_DECK_VERSIONS_RANGE = (2, 100)
VOICE_MODES = ("off", "on", "hidden")  # kiosk/voice: docs/voice.md
VOICE_PATH_KEYS = ("voice_en", "voice_uk", "voice_cache_dir")

# Codes are stable: scripts and the staff screen may match on them.
# Documented in docs/site-config.md; keep the two in step.
E_MISSING = "E101"
E_NOT_A_FILE = "E102"
E_TOO_LARGE = "E103"
E_NOT_UTF8 = "E104"
E_SYNTAX = "E105"
E_UNREADABLE = "E106"
E_UNKNOWN_KEY = "E107"
E_WRONG_TYPE = "E108"
E_BAD_CHOICE = "E109"
E_OUT_OF_RANGE = "E110"
E_BAD_NUMBER = "E111"
E_BAD_LANGUAGE = "E112"
E_BAD_PIN = "E113"
E_CONTROL_CHARS = "E114"
E_TOO_LONG = "E115"
E_BAD_PRINTER = "E116"
E_BAD_VOICE_PATH = "E117"
E_NOT_ABSOLUTE = "E120"
E_BAD_KEY = "E121"
E_LOG_DESTINATION = "E130"
E_BAD_FLEET_PATH = "E131"  # metrics_file, state_dir (kiosk/fleet/)
E_TOO_LONG_FOR_SCREEN = "E132"  # visible text far over VISIBLE_TEXT_LIMITS (red-team C3)
E_EMPTY_LABEL = "E133"
E_INTERNAL = "E199"
W_NO_PIN = "W101"
W_MARKUP = "W102"
W_RELATIVE_LOG_DIR = "W103"
W_BOM = "W104"
W_EXAMPLE_PIN = "W105"
W_LABEL_REPEATED = "W106"
W_NUMBER_SHADOWED = "W107"
W_LONG_FOR_SCREEN = "W108"
W_PLACES_TWO_ROWS = "W109"  # the AED and kit need two rows of the bar at 36 columns

#: Cells of the emergency bar's text on the smallest screen (36 columns less its padding).
SMALLEST_BAR_CELLS = 34

#: Characters of each visible site text that fit the smallest screen, 36x10 (one line
#: of 34 for the name and a label beside ": call 112"; two lines for the instruction).
#: Over the limit: W108. Over twice it (or the label over its limit, since it comes
#: before the number on the bar): E132, and the default is used, so the bar always
#: shows the number.
VISIBLE_TEXT_LIMITS = {
    "name": 34,
    "emergency_label": 24,
    "staff_instruction": 70,
    "first_aid_kit": 40,
    "defibrillator": 40,
}

#: The staff PIN in deploy/site.example.toml (a test keeps the two in step): a kiosk
#: still using it can be left by anyone who has read the example.
EXAMPLE_STAFF_PIN = "2468"
MAX_EMERGENCY_NUMBERS = 4
#: The site text an operator may give per interface language, in a ``[LANG]`` table.
LANGUAGE_KEYS = (
    "name",
    "emergency_label",
    "staff_instruction",
    "first_aid_kit",
    "defibrillator",
    "first_aid_kit_short",
    "defibrillator_short",
)
#: Settings shown after a label the interface adds itself ("First-aid kit: ...").
LABELLED_KEYS = {
    "first_aid_kit": ("home.first_aid_kit", "staff.site.first_aid_kit"),
    "defibrillator": ("home.defibrillator", "staff.site.defibrillator"),
}
#: Labels operators type that the interface strings do not spell the same way.
_EXTRA_LABELS = {
    "first_aid_kit": ("First aid kit",),
    "defibrillator": ("AED", "АЗД", "АЕД", "Defib"),
}
_RECOVERY_ATTEMPTS = 100

_EMERGENCY_NUMBER = re.compile(r"\+?[0-9]{2,15}")
_STAFF_PIN = re.compile(r"[0-9]{4,12}")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)")
_ASSIGNMENT = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=(.*)$""")


@dataclass(frozen=True)
class EmergencyNumber:
    """One number on the emergency bar and who it reaches.

    ``label`` is the operator's word ("Ambulance"); empty means the interface's own
    word for "Emergency" in the visitor's language. ``labels`` gives the label per
    interface language, as ``(language, label)`` pairs.
    """

    number: str
    label: str = ""
    labels: tuple[tuple[str, str], ...] = ()

    def label_for(self, language: str) -> str:
        """The label in ``language``, else the default one ("" for the interface's)."""
        return dict(self.labels).get(language) or self.label


@dataclass(frozen=True)
class Site:
    """One installation's settings. The defaults serve when no site file is given."""

    name: str = "First aid"
    emergency_number: str = "112"
    emergency_label: str = "Emergency"
    staff_instruction: str = ""
    first_aid_kit: str = ""
    defibrillator: str = ""
    # Shorter wording of the two places for the emergency bar on narrow screens ("" = same)
    first_aid_kit_short: str = ""
    defibrillator_short: str = ""
    default_language: str = "en"
    idle_timeout_seconds: int = 90
    #: After this many minutes with no input a running timer no longer holds the idle reset
    idle_timer_limit_minutes: int = 30
    theme: str = "dark"  # dark | light | high-contrast
    text_size: str = "normal"  # normal | large | extra-large
    kiosk: bool = False
    staff_pin: str = ""
    log_dir: str = ""
    font_size: int = 24  # browser font size for `kiosk serve`
    printer: str = ""  # "" (none), cups:NAME, escpos-usb:..., escpos-net:..., escpos-file:...
    printer_width: int = 80  # receipt paper width in mm: 58 | 80
    # Read aloud (kiosk/voice, docs/voice.md): off | on (for each new visitor) | hidden
    voice: str = "off"
    voice_en: str = ""  # Piper voice files (.onnx); empty: espeak-ng
    voice_uk: str = ""
    voice_cache_dir: str = ""  # empty: voice-cache in the log folder
    metrics_file: str = ""  # Prometheus textfile, e.g. /var/lib/node_exporter/kiosk.prom
    state_dir: str = ""  # usage counts; "" = $STATE_DIRECTORY or ~/.local/state/kiosk
    # `kiosk deck` (docs/deck-updates.md): where versions live, who may sign, how many to keep
    decks_dir: str = "/opt/kiosk-decks"
    deck_public_key: str = ""  # minisign public key, or the absolute path of its .pub file
    keep_deck_versions: int = 5
    #: Every number for the emergency bar, in order; empty: just emergency_number.
    emergency_numbers: tuple[EmergencyNumber, ...] = ()
    #: Site text per interface language (the ``[uk]`` tables), as
    #: ``(language, ((key, text), ...))`` pairs; keys are from LANGUAGE_KEYS.
    languages: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = field(
        default=(), metadata={"toml": "a [LANG] table per language"}
    )

    def wording(self, key: str, strings: Strings | str) -> str:
        """The setting ``key`` as a visitor sees it, in the language of ``strings``
        (a :class:`~kiosk.strings.Strings`, or a language code).

        The language's own table (``[uk] first_aid_kit = ...``) comes first; else the
        top-level value, which is in the site's default language. ``name`` and
        ``emergency_label`` default to English words: where the site file leaves them
        at that default, the visitor reads them in the interface language
        (``site.<key>`` in ``kiosk/i18n/<lang>/common.toml``, when ``strings`` is given);
        whatever the operator wrote is shown as written.
        """
        language = strings if isinstance(strings, str) else strings.language
        own = dict(dict(self.languages).get(language, ())).get(key)
        if own:
            return own
        value: str = getattr(self, key)
        if not isinstance(strings, str) and key in WORDING_DEFAULTS and value == _DEFAULTS[key]:
            return strings[f"site.{key}"]
        return value

    def emergency_numbers_for(self, strings: Strings | str) -> tuple[EmergencyNumber, ...]:
        """Every emergency number with its label in the language of ``strings``.

        The returned entries have ``label`` set to the text to show ("Ambulance",
        "Швидка допомога"), and no ``labels``. With no ``emergency_numbers`` in the file
        it is the one ``emergency_number`` with :meth:`wording` of ``emergency_label``.
        An entry without a label gets the interface's word for "Emergency" (English
        when ``strings`` is only a language code).
        """
        if not self.emergency_numbers:
            return (
                EmergencyNumber(self.emergency_number, self.wording("emergency_label", strings)),
            )
        language = strings if isinstance(strings, str) else strings.language
        default = (
            _DEFAULTS["emergency_label"]
            if isinstance(strings, str)
            else strings["site.emergency_label"]
        )
        return tuple(
            EmergencyNumber(entry.number, entry.label_for(language) or default)
            for entry in self.emergency_numbers
        )


@dataclass(frozen=True)
class SiteResult:
    """The site to use (defaults where the file was wrong) and every problem found."""

    site: Site
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return errors(self.problems)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return warnings(self.problems)


#: Keys checked by their own code, not by type and value (see _Checker.check).
_STRUCTURED_KEYS = ("emergency_numbers", "languages")
_KEY_TYPES: dict[str, type] = {
    f.name: type(getattr(Site(), f.name)) for f in fields(Site) if f.name not in _STRUCTURED_KEYS
}
_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Site)}
#: Settings whose default is interface wording rather than site data (see ``Site.wording``).
WORDING_DEFAULTS = ("name", "emergency_label")
_TYPE_NAMES = {str: "a string in quotes", int: "a whole number", bool: "true or false"}


def _available_languages() -> tuple[str, ...]:
    try:
        from kiosk.strings import available_languages

        return tuple(available_languages())
    except Exception:  # the checker must work even if the i18n folder is broken
        return (Site.default_language,)


def default_text(key: str) -> str:
    """The default of ``key`` as an operator would write it: ``112``, ``true``, ``none``."""
    value = _DEFAULTS[key]
    if isinstance(value, bool):
        return str(value).lower()
    if value == "":
        return "none (empty)"
    return str(value)


class _Checker:
    """Collects the good keys and the problems of one parsed file."""

    def __init__(self, path: Path, text: str, data: dict[str, Any] | None = None) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.data: dict[str, Any] = data or {}
        self.problems: list[Problem] = []
        self.values: dict[str, Any] = {}

    def line_of(self, key: str, table: str = "") -> int | None:
        """The line that sets ``key`` (inside ``[table]`` when given), if any."""
        pattern = re.compile(
            rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*="""
        )
        header = re.compile(r"^\s*\[\s*([^\]]*?)\s*\]")
        current = ""
        for number, line in enumerate(self.lines, start=1):
            found = header.match(line)
            if found:
                current = found.group(1).strip("\"'")
            elif current == table and pattern.match(line):
                return number
        return None

    def report(self, code: str, key: str, message: str, table: str = "") -> None:
        where = f"{table}.{key}" if table else key
        line = self.line_of(key, table)
        self.problems.append(Problem(self.path, code, f"{where}: {message}", line=line))

    def check(self, data: dict[str, Any]) -> None:
        languages = _available_languages()
        for key, value in data.items():
            if key == "emergency_numbers":
                self._emergency_numbers(value)
            elif isinstance(value, dict) and (key in languages or _looks_like_language(key)):
                self._language_table(key, value, languages)
            elif key not in _KEY_TYPES:
                self._unknown(key)
            elif self._type_ok(key, value):
                self._check_value(key, value)

    def _unknown(self, key: str) -> None:
        close = difflib.get_close_matches(key, [*_KEY_TYPES, "emergency_numbers"], n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        self.report(E_UNKNOWN_KEY, key, f"unknown key{hint}")

    def _type_ok(self, key: str, value: Any) -> bool:
        expected = _KEY_TYPES[key]
        # bool is a subclass of int: `idle_timeout_seconds = true` is a type error.
        ok = isinstance(value, expected) and (expected is bool or not isinstance(value, bool))
        if not ok:
            hint = ""
            if expected is str and isinstance(value, int) and not isinstance(value, bool):
                hint = f' (write it in quotes: {key} = "{value}")'
            self.report(
                E_WRONG_TYPE,
                key,
                f"expected {_TYPE_NAMES[expected]}, got {_describe(value)}{hint};"
                f" using the default: {default_text(key)}{self._label_note(key)}",
            )
        return ok

    def _label_note(self, key: str) -> str:
        """When the number falls back, its label does too (see load_site)."""
        if key == "emergency_number" and "emergency_label" in self.data:
            default = _DEFAULTS["emergency_label"]
            return f" (and the label {default!r}, so the bar never names another service)"
        return ""

    def _check_value(self, key: str, value: Any, table: str = "") -> Any:
        """Report what is wrong with ``value``; store and return it when it is usable."""
        error = _value_error(key, value)
        if error is not None:
            code, message = error
            fallback = (
                f"using the default: {default_text(key)}{self._label_note(key)}"
                if not table
                else f"using the top-level {key}"
            )
            self.report(code, key, f"{message}; {fallback}", table)
            return None
        if key == "emergency_label" and isinstance(value, str) and not value.strip():
            fallback = f"the top-level {key}" if table else f"the default: {default_text(key)}"
            message = f'is empty (the bar would read ": call 112"); using {fallback}'
            self.report(E_EMPTY_LABEL, key, message, table)
            return None
        if isinstance(value, str) and looks_like_markup(value):
            self.report(W_MARKUP, key, "looks like markup; it will be shown literally", table)
        limit = VISIBLE_TEXT_LIMITS.get(key)
        if limit and isinstance(value, str) and len(value) > limit:
            message = f"is {len(value)} characters long; keep to {limit} to fit the smallest screen"
            self.report(W_LONG_FOR_SCREEN, key, message, table)
        if key == "log_dir" and value and not os.path.isabs(value):
            self.report(W_RELATIVE_LOG_DIR, key, "is relative; it depends on the working directory")
        if key == "log_dir" and value and not table:
            self._check_log_destination(value)
        if key in LABELLED_KEYS and isinstance(value, str):
            value = self._without_label(key, value, table)
        if not table:
            self.values[key] = value
        return value

    def _without_label(self, key: str, value: str, table: str) -> str:
        """Strip a label the interface adds itself ("Аптечка: Аптечка: ..." otherwise)."""
        for label in _labels_of(key):
            found = re.match(rf"\s*{_flexible(label)}\s*[:\uff1a]\s*(?=\S)", value, re.I)
            if found:
                rest = value[found.end() :]
                self.report(
                    W_LABEL_REPEATED,
                    key,
                    f"starts with {label!r}, which the kiosk adds itself; shown as {rest!r}"
                    " after the label",
                    table,
                )
                return rest
        return value

    def _language_table(self, language: str, table: dict[str, Any], known: tuple[str, ...]) -> None:
        if language not in known:
            self.report(E_BAD_LANGUAGE, f"[{language}]", _choice_message(language, known))
            return
        texts: list[tuple[str, str]] = []
        for key, value in table.items():
            if key not in LANGUAGE_KEYS:
                close = difflib.get_close_matches(key, list(LANGUAGE_KEYS), n=1, cutoff=0.6)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                self.report(
                    E_UNKNOWN_KEY,
                    key,
                    f"not a per-language key (those are {', '.join(LANGUAGE_KEYS)}){hint}",
                    language,
                )
            elif not isinstance(value, str):
                self.report(
                    E_WRONG_TYPE,
                    key,
                    f"expected a string in quotes, got {_describe(value)};"
                    f" using the top-level {key}",
                    language,
                )
            else:
                kept = self._check_value(key, value, language)
                if kept:
                    texts.append((key, kept))
        if texts:
            self.values.setdefault("languages", {})[language] = tuple(texts)

    def _emergency_numbers(self, value: Any) -> None:
        key = "emergency_numbers"
        if not isinstance(value, list):
            self.report(
                E_WRONG_TYPE,
                key,
                f'expected a list such as [{{number = "103", label = "Ambulance"}}], got'
                f" {_describe(value)}; using emergency_number only",
            )
            return
        languages = _available_languages()
        entries: list[EmergencyNumber] = []
        for index, item in enumerate(value, start=1):
            where = f"entry {index}"
            if not isinstance(item, dict):
                self.report(
                    E_WRONG_TYPE,
                    key,
                    f'{where}: expected {{number = "...", label = "..."}},'
                    f" got {_describe(item)}; left out",
                )
                continue
            number = item.get("number")
            if not isinstance(number, str) or not _EMERGENCY_NUMBER.fullmatch(number):
                got = "no number" if number is None else f"{number!r}"
                hint = (
                    f' (write it in quotes: number = "{number}")' if isinstance(number, int) else ""
                )
                self.report(
                    E_BAD_NUMBER,
                    key,
                    f"{where}: {got} is not a phone number in quotes: 2 to 15 digits, optionally"
                    f" starting with +{hint}; left out",
                )
                continue
            label = ""
            labels: list[tuple[str, str]] = []
            bad = False
            for name, text in item.items():
                if name == "number":
                    continue
                if name != "label" and name not in languages:
                    self.report(
                        E_UNKNOWN_KEY,
                        key,
                        f"{where}: unknown key {name!r} (use number, label, or a language:"
                        f" {', '.join(languages)})",
                    )
                    continue
                error = (
                    _value_error("emergency_label", text)
                    if isinstance(text, str)
                    else (
                        E_WRONG_TYPE,
                        f"expected a string in quotes, got {_describe(text)}",
                    )
                )
                if error is not None and error[0] == E_TOO_LONG_FOR_SCREEN:
                    message = f"{where}: {name}: {error[1]}; the number is kept without it"
                    self.report(error[0], key, message)
                    continue
                if error is not None:
                    self.report(error[0], key, f"{where}: {name}: {error[1]}; left out")
                    bad = True
                    break
                if name == "label":
                    label = text
                else:
                    labels.append((name, text))
            if not bad:
                entries.append(EmergencyNumber(number, label, tuple(labels)))
        if len(entries) > MAX_EMERGENCY_NUMBERS:
            self.report(
                E_OUT_OF_RANGE,
                key,
                f"{len(entries)} numbers; at most {MAX_EMERGENCY_NUMBERS} fit on the bar, the"
                " first ones are used",
            )
            entries = entries[:MAX_EMERGENCY_NUMBERS]
        if not entries:
            return
        if "emergency_number" in self.data:
            self.report(
                W_NUMBER_SHADOWED,
                "emergency_number",
                "ignored: emergency_numbers is set, and its first entry is the main number",
            )
        self.values[key] = tuple(entries)

    def _check_log_destination(self, value: str) -> None:
        """A log_dir that cannot hold a log: reported, and kept, so that the kiosk refuses it
        too at start and keeps its log in memory only (rather than somewhere unexpected)."""
        from kiosk.logs import log_destination_problem

        problem = log_destination_problem(value)
        if problem is not None:
            self.report(
                E_LOG_DESTINATION,
                "log_dir",
                f"{problem}; the kiosk will keep its log in memory only",
            )


def _looks_like_language(key: str) -> bool:
    return bool(re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z]{2,4})?", key))


def _flexible(label: str) -> str:
    """A regex for ``label`` that also matches other hyphens and spacing."""
    words = re.split(r"[\s\-]+", label.strip())
    return r"[\s\-]*".join(re.escape(word) for word in words if word)


def _labels_of(key: str) -> list[str]:
    """The labels the interface puts before ``key``'s text, in every language, longest first."""
    labels = set(_EXTRA_LABELS.get(key, ()))
    try:
        from kiosk.strings import Strings

        for language in _available_languages():
            strings = Strings(language)
            for string_key in LABELLED_KEYS[key]:
                text = strings[string_key]
                before = text.split("{", 1)[0].strip().rstrip(":").strip()
                if before:
                    labels.add(before)
    except Exception:  # the checker must work even if the i18n folder is broken
        pass
    return sorted(labels, key=len, reverse=True)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


def _value_error(key: str, value: Any) -> tuple[str, str] | None:
    """The (code, message) for a value of the right type that is still wrong, or None."""
    if isinstance(value, str):
        if CONTROL.search(value):
            return E_CONTROL_CHARS, "contains control characters (newline, escape, ...)"
        if len(value) > MAX_TEXT_LENGTH:
            return E_TOO_LONG, f"is {len(value)} characters long; at most {MAX_TEXT_LENGTH}"
        limit = VISIBLE_TEXT_LIMITS.get(key, 0)
        hard = limit if key == "emergency_label" else 2 * limit
        if limit and len(value) > hard:
            return (
                E_TOO_LONG_FOR_SCREEN,
                f"is {len(value)} characters long; at most {hard} fit the smallest screen (36x10)",
            )
    if key == "theme" and value not in THEMES:
        return E_BAD_CHOICE, _choice_message(value, THEMES)
    if key == "text_size" and value not in TEXT_SIZES:
        return E_BAD_CHOICE, _choice_message(value, TEXT_SIZES)
    if key == "idle_timeout_seconds" and not _in_range(value, IDLE_TIMEOUT_RANGE):
        low, high = IDLE_TIMEOUT_RANGE
        return E_OUT_OF_RANGE, f"{value} is out of range {low}..{high} seconds"
    if key == "idle_timer_limit_minutes" and not _in_range(value, IDLE_TIMER_LIMIT_RANGE):
        low, high = IDLE_TIMER_LIMIT_RANGE
        return E_OUT_OF_RANGE, f"{value} is out of range {low}..{high} minutes"
    if key == "font_size" and not _in_range(value, FONT_SIZE_RANGE):
        low, high = FONT_SIZE_RANGE
        return E_OUT_OF_RANGE, f"{value} is out of range {low}..{high}"
    if key == "emergency_number" and not _EMERGENCY_NUMBER.fullmatch(value):
        return (
            E_BAD_NUMBER,
            f"{value!r} is not a phone number: 2 to 15 digits, optionally starting with +,"
            " no spaces",
        )
    if key == "decks_dir" and not os.path.isabs(value):
        return E_NOT_ABSOLUTE, f"{value!r} is not an absolute path (like /opt/kiosk-decks)"
    if key == "keep_deck_versions" and not _in_range(value, KEEP_DECK_VERSIONS_RANGE):
        low, high = KEEP_DECK_VERSIONS_RANGE
        return E_OUT_OF_RANGE, f"{value} is out of range {low}..{high}"
    if key == "deck_public_key" and value:
        from kiosk.deck.signature import public_key_problem

        problem = public_key_problem(value)
        if problem:
            return E_BAD_KEY, problem
    if key == "staff_pin" and value and not _STAFF_PIN.fullmatch(value):
        return E_BAD_PIN, "must be 4 to 12 digits (or empty for no PIN)"
    if key in ("printer", "printer_width"):
        from kiosk.handout.printers import PRINTER_WIDTHS, printer_problem  # a printer named

        if key == "printer" and (problem := printer_problem(value)):
            return E_BAD_PRINTER, problem
        if key == "printer_width" and value not in PRINTER_WIDTHS:
            return E_BAD_CHOICE, f"{value} is not one of 58, 80 (receipt paper width in mm)"
    if key == "voice" and value not in VOICE_MODES:
        return E_BAD_CHOICE, _choice_message(value, VOICE_MODES)
    if key in VOICE_PATH_KEYS and value:
        is_file = key != "voice_cache_dir"
        if not os.path.isabs(value) or (is_file and not value.endswith(".onnx")):
            what = "a Piper voice file ending in .onnx" if is_file else "a folder"
            return E_BAD_VOICE_PATH, f"must be the absolute path of {what}, or empty"
    if key in ("metrics_file", "state_dir") and (problem := _fleet_path_problem(key, value)):
        return E_BAD_FLEET_PATH, problem
    if key == "default_language":
        languages = _available_languages()
        if value not in languages:
            return E_BAD_LANGUAGE, _choice_message(value, languages)
    return None


def _fleet_path_problem(key: str, value: str) -> str | None:
    if value and not os.path.isabs(value):
        return f"{value!r} is not an absolute path"
    if key == "metrics_file" and value and not value.endswith(".prom"):
        return f"{value!r} must end in .prom (node exporter's textfile collector reads only those)"
    return None


def _in_range(value: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _choice_message(value: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return f"{value!r} is not one of {', '.join(choices)}{hint}"


def _read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text (and a warning for a byte-order mark), or the problem that stops us."""
    got = files.read_text(path, MAX_SITE_FILE_BYTES)
    problems = []
    if got.had_bom:
        problems.append(Problem(path, W_BOM, "byte-order mark at the start; save as plain UTF-8"))
    failure = got.failure
    if failure is ReadFailure.MISSING:
        problems.append(Problem(path, E_MISSING, "site file not found; using the defaults"))
    elif failure is ReadFailure.NOT_REGULAR:
        problems.append(Problem(path, E_NOT_A_FILE, "not a regular file; using the defaults"))
    elif failure is ReadFailure.UNREADABLE:
        problems.append(Problem(path, E_UNREADABLE, f"cannot read site file: {got.detail}"))
    elif failure is ReadFailure.TOO_LARGE:
        message = f"file is larger than {MAX_SITE_FILE_BYTES} bytes; using the defaults"
        problems.append(Problem(path, E_TOO_LARGE, message))
    elif failure is ReadFailure.NOT_UTF8:
        message = "not valid UTF-8 text; using the defaults"
        problems.append(Problem(path, E_NOT_UTF8, message, line=got.line))
    return got.text, problems


def _parse(path: Path, text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse ``text``; on a syntax error, drop the broken line and parse again.

    Each dropped line is one E105 naming its key and a fix. Lines keep their numbers
    (a dropped line becomes empty). A broken table header drops its whole table, so
    its keys never land in the top-level table. Only an error that names no line
    gives up on the file.
    """
    lines = text.split("\n")
    problems: list[Problem] = []
    for _ in range(_RECOVERY_ATTEMPTS):
        try:
            return toml.loads("\n".join(lines)), problems
        except toml.TOMLDecodeError as error:
            message = str(error)
            found = _TOML_POSITION.search(message)
            if found:
                number, column = int(found.group(1)), found.group(2)
                message = _TOML_POSITION.sub("", message).strip()
            elif _TOML_AT_END.search(message):
                number = _last_statement(lines)
                column = ""
                message = _TOML_AT_END.sub("", message).strip()
            else:
                number = 0
            if not 1 <= number <= len(lines) or not lines[number - 1].strip():
                problems.append(
                    Problem(
                        path,
                        E_SYNTAX,
                        f"TOML syntax error: {message}; using the defaults",
                        line=number or None,
                    )
                )
                return None, problems
            problems.append(_syntax_problem(path, lines, number, column, message))
            _drop(lines, number)
        except RecursionError:
            problems.append(Problem(path, E_SYNTAX, "TOML nested too deeply; using the defaults"))
            return None, problems
    problems.append(Problem(path, E_SYNTAX, "too many TOML syntax errors; using the defaults"))
    return None, problems


def _last_statement(lines: list[str]) -> int:
    for number in range(len(lines), 0, -1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return 0


def _drop(lines: list[str], number: int) -> None:
    """Empty line ``number``; for a table header, its table's lines too."""
    is_header = lines[number - 1].lstrip().startswith("[")
    lines[number - 1] = ""
    if is_header:
        for index in range(number, len(lines)):
            if lines[index].lstrip().startswith("["):
                break
            lines[index] = ""


def _syntax_problem(
    path: Path, lines: list[str], number: int, column: str, message: str
) -> Problem:
    line = lines[number - 1]
    where = f" (column {column})" if column else ""
    assignment = _ASSIGNMENT.match(line)
    if line.lstrip().startswith("["):
        return Problem(
            path,
            E_SYNTAX,
            f"TOML syntax error{where}: {message}; a table header is written [uk]."
            " This table is ignored",
            line=number,
        )
    if assignment is None:
        return Problem(
            path,
            E_SYNTAX,
            f'TOML syntax error{where}: {message}; a setting is written key = "value".'
            " This line is ignored",
            line=number,
        )
    key = next(part for part in assignment.groups()[:3] if part)
    raw = assignment.group(4).split(" #", 1)[0].strip()
    fallback = (
        f"using the default: {default_text(key)}" if key in _DEFAULTS else "this line is ignored"
    )
    return Problem(
        path,
        E_SYNTAX,
        f"{key}: TOML syntax error{where}: {message}; {_syntax_hint(key, raw)}; {fallback}",
        line=number,
    )


def _syntax_hint(key: str, raw: str) -> str:
    """What the operator most likely meant to write."""
    if re.fullmatch(r"\+?[0-9][0-9 ]*", raw):
        digits = raw.replace(" ", "") if key in ("emergency_number", "staff_pin") else raw
        return f'put digits in quotes: {key} = "{digits}"'
    if raw[:1] in ('"', "'") and raw.count(raw[0]) == 1:
        return f"close the quotes: {key} = {raw}{raw[0]}"
    if not raw:
        return f'give a value after the = sign: {key} = "..."'
    if re.fullmatch(r"[^\"'\[\]{}=#]+", raw):
        return f'put text in quotes: {key} = "{raw}"'
    return f'check the quotes and brackets: {key} = "text", numbers and true/false without quotes'


def load_site(path: Path | str | None) -> SiteResult:
    """Read and check a site file; never raises. ``None`` means the defaults, no problems."""
    if path is None:
        return SiteResult(Site())
    path = Path(path)
    try:
        text, read_problems = _read_text(path)
        if text is None:
            return SiteResult(Site(), tuple(read_problems))
        data, syntax_problems = _parse(path, text)
        if data is None:
            return SiteResult(Site(), (*read_problems, *syntax_problems))
        checker = _Checker(path, text, data)
        checker.problems.extend(read_problems)
        checker.problems.extend(syntax_problems)
        checker.check(data)
        values = checker.values
        if "emergency_number" in data and "emergency_number" not in values:
            # The number fell back to 112: an operator's label ("Ambulance") must not
            # stay in front of it.
            values.pop("emergency_label", None)
        if "languages" in values:
            values["languages"] = tuple(values["languages"].items())
        numbers = values.get("emergency_numbers")
        if numbers:
            values["emergency_number"] = numbers[0].number
            values["emergency_label"] = numbers[0].label or _DEFAULTS["emergency_label"]
        site = Site(**values)
        _check_pin(checker, data, site)
        _check_places_fit(checker, site)
        order = sorted(checker.problems, key=lambda p: (p.line or 0, p.code.startswith("W")))
        return SiteResult(site, tuple(order))
    except Exception as error:  # a bug here must not stop the kiosk from starting
        return SiteResult(
            Site(), (Problem(path, E_INTERNAL, f"could not check site file ({error!r})"),)
        )


def _check_places_fit(checker: _Checker, site: Site) -> None:
    """W109 where "AED: ... · Kit: ..." in its shortest form (the short labels and the
    ``*_short`` wording) is wider than the smallest screen's bar, in any interface
    language: there the bar takes a fourth row and a step with a timer no longer fits 36x10."""
    from rich.cells import cell_len

    from kiosk.strings import Strings

    for language in _available_languages():
        strings = Strings(language)
        parts = []
        for key in ("defibrillator", "first_aid_kit"):
            where = site.wording(f"{key}_short", strings) or site.wording(key, strings)
            if where:
                parts.append(strings.format(f"bar.{key}", where=where))
        text = strings["emergency.bar.separator"].join(parts)
        if len(parts) == 2 and cell_len(text) > SMALLEST_BAR_CELLS:
            key = "defibrillator_short" if site.defibrillator_short else "defibrillator"
            checker.report(
                W_PLACES_TWO_ROWS,
                key,
                f"{text!r} ({language}) is {cell_len(text)} cells; a 36-column screen has"
                f" {SMALLEST_BAR_CELLS}, so the bar needs two rows for the AED and kit there:"
                " set defibrillator_short and first_aid_kit_short (or their [LANG] ones)",
            )
            return


def _check_pin(checker: _Checker, data: dict[str, Any], site: Site) -> None:
    """W101 and W104, reported on the staff_pin line when there is one, so a rejected
    PIN (E113, the cause) is printed before W101 (its consequence)."""
    pin_line = checker.line_of("staff_pin")
    if site.kiosk and not site.staff_pin:
        rejected = pin_line is not None and data.get("staff_pin") != ""
        if rejected:
            message = (
                "kiosk mode, and the staff_pin above was rejected: staff cannot leave kiosk mode"
            )
        else:
            message = "kiosk mode with no staff_pin: staff cannot leave kiosk mode"
        line = pin_line if pin_line is not None else checker.line_of("kiosk")
        checker.problems.append(Problem(checker.path, W_NO_PIN, f"kiosk: {message}", line=line))
    if site.staff_pin == EXAMPLE_STAFF_PIN:
        checker.problems.append(
            Problem(
                checker.path,
                W_EXAMPLE_PIN,
                f"staff_pin: {EXAMPLE_STAFF_PIN} is the example's PIN, known to anyone who has"
                " read it; choose your own",
                line=pin_line,
            )
        )
