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
import stat
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.deck import toml
from kiosk.deck.model import Problem
from kiosk.handout.printers import PRINTER_WIDTHS, printer_problem

if TYPE_CHECKING:
    from kiosk.strings import Strings

MAX_SITE_FILE_BYTES = 64 * 1024
IDLE_TIMEOUT_RANGE = (15, 3600)
FONT_SIZE_RANGE = (8, 96)
MAX_TEXT_LENGTH = 200
KEEP_DECK_VERSIONS_RANGE = (2, 100)
THEMES = ("dark", "light", "high-contrast")
TEXT_SIZES = ("normal", "large", "extra-large")

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
E_NOT_ABSOLUTE = "E120"
E_BAD_KEY = "E121"
E_BAD_FLEET_PATH = "E130"  # metrics_file, state_dir (kiosk/fleet/)
E_INTERNAL = "E199"
W_NO_PIN = "W101"
W_MARKUP = "W102"
W_RELATIVE_LOG_DIR = "W103"

_EMERGENCY_NUMBER = re.compile(r"\+?[0-9]{2,15}")
_STAFF_PIN = re.compile(r"[0-9]{4,12}")
# Control characters other than tab, including DEL, C1 controls and bidi overrides.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Text that Rich/Textual would read as markup: [bold], [/], [@click=...], [$var].
_MARKUP = re.compile(r"\[(?:/|[@$#a-zA-Z][^\]\n]*)\]")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


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
    metrics_file: str = ""  # Prometheus textfile, e.g. /var/lib/node_exporter/kiosk.prom
    state_dir: str = ""  # usage counts; "" = $STATE_DIRECTORY or ~/.local/state/kiosk
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
        value = getattr(self, key)
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
        return tuple(p for p in self.problems if not p.code.startswith("W"))

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.code.startswith("W"))


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
        if isinstance(value, str) and _MARKUP.search(value):
            self.report(W_MARKUP, key, "looks like markup; it will be shown literally")
        if key == "log_dir" and value and not os.path.isabs(value):
            self.report(W_RELATIVE_LOG_DIR, key, "is relative; it depends on the working directory")
        self.values[key] = value


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
        if _CONTROL.search(value):
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


def _read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text, or the problem that stops us reading it."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None, Problem(path, E_MISSING, "site file not found; using the defaults")
    except OSError as error:
        return None, Problem(path, E_UNREADABLE, f"cannot read site file: {error.strerror}")
    if not stat.S_ISREG(info.st_mode):
        return None, Problem(path, E_NOT_A_FILE, "not a regular file; using the defaults")
    if info.st_size > MAX_SITE_FILE_BYTES:
        return None, Problem(
            path,
            E_TOO_LARGE,
            f"file is larger than {MAX_SITE_FILE_BYTES} bytes; using the defaults",
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SITE_FILE_BYTES + 1)
    except OSError as error:
        return None, Problem(path, E_UNREADABLE, f"cannot read site file: {error.strerror}")
    if len(raw) > MAX_SITE_FILE_BYTES:
        return None, Problem(
            path,
            E_TOO_LARGE,
            f"file is larger than {MAX_SITE_FILE_BYTES} bytes; using the defaults",
        )
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, Problem(
            path, E_NOT_UTF8, "not valid UTF-8 text; using the defaults", line=line
        )


def _parse(path: Path, text: str) -> tuple[dict[str, Any] | None, Problem | None]:
    try:
        return toml.loads(text), None
    except toml.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_POSITION.search(message)
        line = int(found.group(1)) if found else None
        if found:
            message = _TOML_POSITION.sub(f"(column {found.group(2)})", message)
        return None, Problem(
            path, E_SYNTAX, f"TOML syntax error: {message}; using the defaults", line=line
        )
    except RecursionError:
        return None, Problem(path, E_SYNTAX, "TOML nested too deeply; using the defaults")


def load_site(path: Path | str | None) -> SiteResult:
    """Read and check a site file; never raises. ``None`` means the defaults, no problems."""
    if path is None:
        return SiteResult(Site())
    path = Path(path)
    try:
        text, problem = _read_text(path)
        if text is None:
            return SiteResult(Site(), (problem,) if problem else ())
        data, problem = _parse(path, text)
        if data is None:
            return SiteResult(Site(), (problem,) if problem else ())
        checker = _Checker(path, text)
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
