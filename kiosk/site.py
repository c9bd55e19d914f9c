"""Site configuration: what differs between a pool, a gym and a pharmacy.

A site file is a small flat TOML table (see ``docs/site-config.md`` and
``deploy/site.example.toml``). :func:`load_site` checks it like the deck
checker checks cards, with stable codes: ``E1xx`` errors, ``W1xx`` warnings.

The fallback rule is per key: a key with an error keeps its default, every
good key is applied, and each problem is reported (to ``kiosk check --site``
and to the staff screen). A file that cannot be read or parsed at all gives
the defaults for everything. :func:`load_site` never raises.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core import files, toml
from kiosk.core.choices import FONT_SIZE_RANGE, TEXT_SIZES, THEMES
from kiosk.core.files import ReadFailure
from kiosk.core.problem import Problem, errors, warnings
from kiosk.core.text import CONTROL, looks_like_markup
from kiosk.handout.printers import PRINTER_WIDTHS, printer_problem

if TYPE_CHECKING:
    from kiosk.strings import Strings

MAX_SITE_FILE_BYTES = 64 * 1024
IDLE_TIMEOUT_RANGE = (15, 3600)
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
E_INTERNAL = "E199"
W_NO_PIN = "W101"
W_MARKUP = "W102"
W_RELATIVE_LOG_DIR = "W103"
W_BOM = "W104"

_EMERGENCY_NUMBER = re.compile(r"\+?[0-9]{2,15}")
_STAFF_PIN = re.compile(r"[0-9]{4,12}")


@dataclass(frozen=True)
class Site:
    """One installation's settings. The defaults serve when no site file is given."""

    name: str = "First aid"
    emergency_number: str = "112"
    emergency_label: str = "Emergency"
    staff_instruction: str = ""
    first_aid_kit: str = ""
    defibrillator: str = ""
    default_language: str = "en"
    idle_timeout_seconds: int = 90
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
    # `kiosk deck` (docs/deck-updates.md): where versions live, who may sign, how many to keep
    decks_dir: str = "/opt/kiosk-decks"
    deck_public_key: str = ""  # minisign public key, or the absolute path of its .pub file
    keep_deck_versions: int = 5

    def wording(self, key: str, strings: Strings) -> str:
        """The setting ``key`` as a visitor sees it, in the language of ``strings``.

        ``name`` and ``emergency_label`` default to English words. Where the site file
        leaves them at that default, the visitor reads them in the interface language
        (``site.<key>`` in ``kiosk/i18n/<lang>/common.toml``); whatever the operator wrote
        is shown as written.
        """
        value = str(getattr(self, key))
        if key in WORDING_DEFAULTS and value == _DEFAULTS[key]:
            return strings[f"site.{key}"]
        return value


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


_KEY_TYPES: dict[str, type] = {f.name: type(getattr(Site(), f.name)) for f in fields(Site)}
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


class _Checker:
    """Collects the good keys and the problems of one parsed file."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        self.values: dict[str, Any] = {}

    def line_of(self, key: str) -> int | None:
        pattern = re.compile(
            rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*="""
        )
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                return number
        return None

    def report(self, code: str, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, code, f"{key}: {message}", line=self.line_of(key)))

    def check(self, data: dict[str, Any]) -> None:
        for key, value in data.items():
            if key not in _KEY_TYPES:
                self._unknown(key)
            elif self._type_ok(key, value):
                self._check_value(key, value)

    def _unknown(self, key: str) -> None:
        close = difflib.get_close_matches(key, list(_KEY_TYPES), n=1, cutoff=0.6)
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
                " using the default",
            )
        return ok

    def _check_value(self, key: str, value: Any) -> None:
        error = _value_error(key, value)
        if error is not None:
            code, message = error
            self.report(code, key, f"{message}; using the default {getattr(Site(), key)!r}")
            return
        if isinstance(value, str) and looks_like_markup(value):
            self.report(W_MARKUP, key, "looks like markup; it will be shown literally")
        if key == "log_dir" and value and not os.path.isabs(value):
            self.report(W_RELATIVE_LOG_DIR, key, "is relative; it depends on the working directory")
        if key == "log_dir" and value:
            self._check_log_destination(value)
        self.values[key] = value

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
    if key == "theme" and value not in THEMES:
        return E_BAD_CHOICE, _choice_message(value, THEMES)
    if key == "text_size" and value not in TEXT_SIZES:
        return E_BAD_CHOICE, _choice_message(value, TEXT_SIZES)
    if key == "idle_timeout_seconds" and not _in_range(value, IDLE_TIMEOUT_RANGE):
        low, high = IDLE_TIMEOUT_RANGE
        return E_OUT_OF_RANGE, f"{value} is out of range {low}..{high} seconds"
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
    if key == "default_language":
        languages = _available_languages()
        if value not in languages:
            return E_BAD_LANGUAGE, _choice_message(value, languages)
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


def _parse(path: Path, text: str) -> tuple[dict[str, Any] | None, Problem | None]:
    data, error = toml.parse(text)
    if error is None:
        return data, None
    if error.too_deep:
        return None, Problem(path, E_SYNTAX, "TOML nested too deeply; using the defaults")
    message = error.message
    if error.column is not None:
        message = f"{error.description} (column {error.column})"
    return None, Problem(
        path, E_SYNTAX, f"TOML syntax error: {message}; using the defaults", line=error.line
    )


def load_site(path: Path | str | None) -> SiteResult:
    """Read and check a site file; never raises. ``None`` means the defaults, no problems."""
    if path is None:
        return SiteResult(Site())
    path = Path(path)
    try:
        text, read_problems = _read_text(path)
        if text is None:
            return SiteResult(Site(), tuple(read_problems))
        data, problem = _parse(path, text)
        if data is None:
            return SiteResult(Site(), (*read_problems, *((problem,) if problem else ())))
        checker = _Checker(path, text)
        checker.problems.extend(read_problems)
        checker.check(data)
        site = Site(**checker.values)
        if site.kiosk and not site.staff_pin:
            checker.report(
                W_NO_PIN, "kiosk", "kiosk mode with no staff_pin: staff cannot leave kiosk mode"
            )
        return SiteResult(site, tuple(sorted(checker.problems, key=lambda p: p.line or 0)))
    except Exception as error:  # a bug here must not stop the kiosk from starting
        return SiteResult(
            Site(), (Problem(path, E_INTERNAL, f"could not check site file ({error!r})"),)
        )
