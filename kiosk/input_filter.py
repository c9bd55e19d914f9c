"""The input filter: whatever bytes reach the kiosk, only well-formed input goes on.

Everything a terminal (or the browser's xterm.js) sends the kiosk passes through
:class:`InputFilter` before Textual's input parser sees it (the hook is in
:mod:`kiosk.compat.textual_input`). Textual's parser trusts its input: an out-of-range
number in a key sequence raises, an unterminated paste swallows every later key, an
injected window-size report blanks the screen (``docs/hardening.md``). This module knows
nothing of Textual; it is a small state machine over text with a clock given by the
caller, so it can be tested byte by byte and with generated input.

What it guarantees, for any input:

- It never raises, and each call returns in time linear in its input.
- What it passes on is plain characters and *complete* sequences of a few known shapes:
  keys (from the table it is given, or the xterm/kitty key forms with every number in
  range), SGR mouse reports, focus reports, a bracketed paste, and the replies and size
  reports the kiosk asked for. Anything else (unknown or malformed sequences, OSC, DCS,
  APC, PM and SOS strings, X10 mouse reports, C1 controls, invalid UTF-8) is dropped
  whole: none of its bytes turns into key presses.
- A sequence never stays open: an incomplete one is dropped after ``escape_delay`` with
  no further byte (a lone ESC becomes the Escape key), a paste is closed after
  ``paste_gap``/``paste_total`` or at the next escape sequence (so a tap after an
  unterminated ``ESC[200~`` is still a tap), and its text is cut to ``paste_chars``.
- Input is bounded: each key, tap, paste or report costs one unit from a token bucket
  (``burst``, refilled at ``rate`` per second), and none is passed while the app has more
  than ``backlog`` units it has not handled yet. A dropped press drops its release.

Units, stats and the first example of each kind of drop are kept for the log
(:attr:`InputFilter.stats`).
"""

from __future__ import annotations

import codecs
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

ESC = "\x1b"
BEL = "\x07"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
FOCUS_IN = "\x1b[I"
FOCUS_OUT = "\x1b[O"
#: The kitty-protocol Escape key: unambiguous, unlike a lone ESC (see ``escape_key``).
KITTY_ESCAPE = "\x1b[27u"
#: Finals of the xterm and kitty key forms (``CSI code ; modifiers ; text final``).
EXTENDED_KEY_FINALS = frozenset("u~ABCDEFHPQRS")
#: Introducers of control strings, which the kiosk never asks for: OSC, DCS, APC, PM, SOS.
STRING_INTRODUCERS = frozenset("]P_^X")

# Parser states.
GROUND, ESCAPE, CSI, SS3, LINUX_FKEY, X10_MOUSE, STRING, STRING_ESC, PASTE, PASTE_ESC = range(10)


@dataclass(frozen=True)
class Limits:
    """Every limit the filter applies (seconds, characters, counts)."""

    #: An incomplete sequence with no new byte for this long is dropped (Textual's ESCDELAY).
    escape_delay: float = 0.1
    #: A sequence longer than this is dropped; its bytes are read up to the final byte.
    max_sequence: int = 64
    #: No number with more digits is ever converted (7 digits hold 0x10FFFF).
    max_digits: int = 7
    #: Longest a sequence may take to arrive, whatever the gaps between its bytes.
    sequence_total: float = 1.0
    max_codepoint: int = 0x10FFFF
    max_modifiers: int = 256
    max_text_codepoints: int = 16
    max_mouse_button: int = 255
    max_mouse_coordinate: int = 16384
    #: An in-band size report (when the terminal said it sends them) within these bounds.
    max_columns: int = 1000
    max_rows: int = 500
    max_pixels: int = 32768
    #: OSC/DCS/APC strings: dropped at their end, or after a gap or a total time.
    string_gap: float = 0.25
    string_total: float = 1.0
    #: A paste keeps at most this many characters; it is closed after a gap or total time.
    paste_chars: int = 256
    paste_gap: float = 0.3
    paste_total: float = 1.0
    #: Token bucket for keys, taps, pastes and reports.
    burst: int = 64
    rate: float = 30.0
    #: No unit passes while the app has more than this many it has not handled.
    backlog: int = 16
    #: At most one mouse-motion report per this many seconds.
    motion_interval: float = 0.05
    #: Replies to the app's own queries (DECRPM) are taken only this soon after start.
    report_window: float = 5.0


@dataclass
class FilterStats:
    """What the filter passed and dropped, with the first example of each drop."""

    units: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def drop(self, reason: str, example: str = "") -> None:
        self.dropped[reason] += 1
        if reason not in self.examples:
            self.examples[reason] = example[:48]


def printable_codepoint(code: int, limits: Limits = Limits()) -> bool:
    """True for a code point that stands for a visible character a key can type.

    Control, format, private-use, unassigned and surrogate code points are refused, and
    so is anything past ``max_codepoint`` (the kitty protocol reports keys as code points).
    """
    if not 0x20 <= code <= limits.max_codepoint or 0xD800 <= code <= 0xDFFF:
        return False
    character = chr(code)
    return character.isprintable() and (
        character.isalnum() or unicodedata.name(character, None) is not None
    )


def _dropped_character(character: str) -> str | None:
    """The reason to drop a character outside any sequence, or None to pass it on."""
    code = ord(character)
    if 0x80 <= code <= 0x9F:
        return "c1_control"
    if character == "\ufffd":
        return "invalid_utf8"
    if 0xD800 <= code <= 0xDFFF:
        return "surrogate"
    return None


class InputFilter:
    """Hostile text in, well-formed input out; see the module docstring.

    ``known_sequences`` are the exact escape sequences the parser maps to keys;
    ``functional_keys`` the ``code+final`` names of the kitty functional keys (``"24~"``,
    ``"57441u"``); ``extended_keys`` whether the parser reads the xterm/kitty key forms at
    all. ``escape_key`` is what a lone ESC becomes (:data:`KITTY_ESCAPE` where the parser
    reads it, so the parser never waits on a bare ESC). ``expected_reports`` are the DECRPM
    modes the app queries (``"2026"``, ``"2048"``): one reply each is passed within
    ``report_window`` of ``start``. In-band size reports pass only after the terminal
    replied that it sends them, and only if ``size_check(columns, rows)`` agrees.
    ``backlog()`` is how many passed units the app has not handled yet.
    """

    def __init__(
        self,
        *,
        known_sequences: Collection[str] = (),
        functional_keys: Collection[str] = (),
        extended_keys: bool = True,
        escape_key: str = ESC,
        expected_reports: Collection[str] = (),
        size_check: Callable[[int, int], bool] | None = None,
        backlog: Callable[[], int] | None = None,
        limits: Limits | None = None,
        start: float = 0.0,
    ) -> None:
        self.limits = limits or Limits()
        self.known = frozenset(s for s in known_sequences if s.startswith(ESC) and len(s) > 1)
        self.functional = frozenset(functional_keys)
        self.extended_keys = extended_keys
        self.escape_key = escape_key
        self.awaiting_reports = set(expected_reports)
        self.size_check = size_check
        self.backlog = backlog
        self.stats = FilterStats()
        self.in_band_resize = False
        self._start = start
        self._tokens = float(self.limits.burst)
        self._refilled = start
        self._last_motion = float("-inf")
        self._dropped_buttons: set[int] = set()
        self._out: list[str] = []
        self._now = start
        self._paste: list[str] = []
        self._paste_kept = 0
        self._paste_cut = False
        self._reset(GROUND, start)

    # -- public ------------------------------------------------------------------------------

    def feed(self, text: str, now: float) -> str:
        """Filter ``text`` (read at time ``now``); return what may go to the parser."""
        self._now = now
        self._expire(now)
        for character in text:
            self._step(character, now)
        return self._take()

    def flush(self, now: float) -> str:
        """What time alone has completed by ``now`` (a lone ESC, a closed paste)."""
        self._now = now
        self._expire(now)
        return self._take()

    def next_deadline(self) -> float | None:
        """When :meth:`flush` will next have something to do, or None if nothing is open."""
        limits = self.limits
        if self._state == GROUND:
            return None
        if self._state in (STRING, STRING_ESC):
            return min(self._last + limits.string_gap, self._started + limits.string_total)
        if self._state in (PASTE, PASTE_ESC):
            return min(self._last + limits.paste_gap, self._started + limits.paste_total)
        return min(self._last + limits.escape_delay, self._started + limits.sequence_total)

    # -- states ------------------------------------------------------------------------------

    def _reset(self, state: int, now: float) -> None:
        self._state = state
        self._seq = ""
        self._params = ""
        self._intermediates = ""
        self._invalid = ""
        self._overlong = False
        self._digits = 0
        self._count = 0
        self._started = now
        self._last = now
        if state in (GROUND, PASTE):
            self._paste = []
            self._paste_kept = 0
            self._paste_cut = False

    def _take(self) -> str:
        out = "".join(self._out)
        self._out.clear()
        return out

    def _expire(self, now: float) -> None:
        """Apply the time limits of the open state, as of ``now``."""
        state = self._state
        if state == GROUND:
            return
        deadline = self.next_deadline()
        if deadline is None or now < deadline:
            return
        if state == ESCAPE:
            self._emit_unit(self.escape_key)
        elif state in (PASTE, PASTE_ESC):
            self._close_paste()
            if state == PASTE_ESC:
                self.stats.drop("incomplete", self._seq)
        elif state in (STRING, STRING_ESC):
            self.stats.drop("control_string", self._seq)
        else:
            self.stats.drop("incomplete", self._seq)
        self._reset(GROUND, now)

    def _step(self, character: str, now: float) -> None:
        state = self._state
        self._last = now
        if state == GROUND:
            self._ground(character, now)
        elif state == ESCAPE:
            self._escape(character, now)
        elif state == CSI:
            self._csi(character, now)
        elif state in (STRING, STRING_ESC):
            self._string(character, now)
        elif state in (PASTE, PASTE_ESC):
            self._in_paste(character, now)
        elif state == SS3:
            self._ss3(character, now)
        elif state == LINUX_FKEY:
            self._linux_fkey(character, now)
        else:
            self._x10_mouse(character, now)

    def _ground(self, character: str, now: float) -> None:
        if character == ESC:
            self._reset(ESCAPE, now)
            self._seq = ESC
            return
        reason = _dropped_character(character)
        if reason is not None:
            self.stats.drop(reason, character)
            return
        self._emit_unit(character)

    def _escape(self, character: str, now: float) -> None:
        if character == "[":
            self._state, self._seq = CSI, "\x1b["
        elif character == "O":
            self._state, self._seq = SS3, "\x1bO"
        elif character in STRING_INTRODUCERS:
            self._state, self._seq = STRING, ESC + character
        elif character == ESC:
            self._emit_unit(self.escape_key)
            self._reset(ESCAPE, now)
            self._seq = ESC
        elif ESC + character in self.known:
            self._emit_unit(ESC + character)
            self._reset(GROUND, now)
        else:
            # ESC then a key (Alt+key, or Escape pressed just before the key): both keys.
            self._emit_unit(self.escape_key)
            self._reset(GROUND, now)
            self._ground(character, now)

    def _abort(self, character: str, now: float, reason: str = "malformed") -> None:
        """Drop the open sequence; ``character``, which broke it, starts afresh."""
        self.stats.drop(reason, self._seq + character)
        self._reset(GROUND, now)
        self._ground(character, now)

    def _csi(self, character: str, now: float) -> None:
        code = ord(character)
        if not self._params and not self._intermediates:
            if character == "[":
                self._state, self._seq = LINUX_FKEY, "\x1b[["
                return
            if character == "M":
                self._state, self._seq, self._count = X10_MOUSE, "\x1b[M", 0
                return
        if 0x30 <= code <= 0x3F:  # parameter bytes: 0-9 : ; < = > ?
            if self._intermediates or (character in "<=>?" and self._params):
                # a parameter after an intermediate, or a private marker not first
                self._invalid = self._invalid or "malformed"
            if code <= 0x39:
                self._digits += 1
                if self._digits > self.limits.max_digits:
                    self._invalid = self._invalid or "out_of_range"
            else:
                self._digits = 0
            if not self._overlong:
                self._params += character
        elif 0x20 <= code <= 0x2F:  # intermediate bytes
            if not self._overlong:
                self._intermediates += character
        elif 0x40 <= code <= 0x7E:  # the final byte
            sequence = self._seq + self._params + self._intermediates + character
            if self._invalid or self._overlong:
                self.stats.drop(self._invalid or "overlong", sequence)
                self._reset(GROUND, now)
            else:
                self._complete_csi(sequence, character, now)
            return
        else:
            self._abort(character, now)
            return
        if len(self._seq) + len(self._params) + len(self._intermediates) > self.limits.max_sequence:
            # Read on to the final byte without keeping the bytes, so that none of them
            # turns into key presses.
            self._overlong = True

    def _ss3(self, character: str, now: float) -> None:
        code = ord(character)
        if character.isdigit() and code < 0x80 and len(self._seq) < 8:
            self._seq += character
        elif 0x40 <= code <= 0x7E:
            sequence = self._seq + character
            if sequence in self.known:
                self._emit_unit(sequence)
            else:
                self.stats.drop("unknown", sequence)
            self._reset(GROUND, now)
        else:
            self._abort(character, now)

    def _linux_fkey(self, character: str, now: float) -> None:
        """The Linux console's F1-F5: ``ESC [ [ A`` to ``ESC [ [ E``."""
        if 0x40 <= ord(character) <= 0x7E:
            sequence = self._seq + character
            if sequence in self.known:
                self._emit_unit(sequence)
            else:
                self.stats.drop("unknown", sequence)
            self._reset(GROUND, now)
        else:
            self._abort(character, now)

    def _x10_mouse(self, character: str, now: float) -> None:
        """An X10 mouse report (``ESC [ M`` and three bytes); the kiosk reads SGR reports only."""
        if ord(character) < 0x20 or character == "\x7f":
            self._abort(character, now)
            return
        self._count += 1
        if self._count == 3:
            self.stats.drop("x10_mouse", self._seq)
            self._reset(GROUND, now)

    def _string(self, character: str, now: float) -> None:
        """Inside an OSC, DCS, APC, PM or SOS string: read to its end and drop it all."""
        if self._state == STRING_ESC:
            if character == "\\":
                self.stats.drop("control_string", self._seq)
                self._reset(GROUND, now)
                return
            # ESC and something else: the string was unterminated; this is a new sequence.
            self.stats.drop("control_string", self._seq)
            self._reset(ESCAPE, now)
            self._seq = ESC
            self._escape(character, now)
            return
        if character == ESC:
            self._state = STRING_ESC
        elif character in (BEL, "\x9c", "\x18", "\x1a"):  # BEL or ST ends it; CAN, SUB cancel
            self.stats.drop("control_string", self._seq)
            self._reset(GROUND, now)
        elif len(self._seq) < 16:
            self._seq += character

    # -- complete CSI sequences -----------------------------------------------------------------

    def _complete_csi(self, sequence: str, final: str, now: float) -> None:
        params, intermediates = self._params, self._intermediates
        self._reset(GROUND, now)
        if sequence == PASTE_START:
            self._reset(PASTE, now)
            return
        if sequence == PASTE_END:
            self.stats.drop("paste_end_alone", sequence)
            return
        if sequence in self.known:
            self._emit_unit(sequence)
            return
        if sequence in (FOCUS_IN, FOCUS_OUT):
            self._emit_unit(sequence)
            return
        if intermediates == "" and params.startswith("<") and final in "Mm":
            self._mouse(sequence, params[1:], final, now)
            return
        if intermediates == "$" and params.startswith("?") and final == "y":
            self._mode_report(sequence, params[1:], now)
            return
        if intermediates == "" and final == "t" and params.startswith("48;"):
            self._in_band_size(sequence, params[3:])
            return
        if (
            intermediates == ""
            and final in EXTENDED_KEY_FINALS
            and self._extended_key_ok(params, final)
        ):
            self._emit_unit(sequence)
            return
        self.stats.drop("unknown", sequence)

    def _extended_key_ok(self, params: str, final: str) -> bool:
        """The xterm and kitty key forms ``CSI code ; modifiers ; text final``, each in range.

        Textual reads the code and modifiers with ``int()`` and the code and text with
        ``chr()``; here every field must be plain digits of a size that cannot overflow, the
        code a functional key or a printable character, and the text printable characters.
        """
        if not self.extended_keys or not params or not (params[0].isdigit() or params[0] == ";"):
            return False
        fields = params.split(";")
        if len(fields) > 3:
            return False
        code_text = fields[0] or "1"
        modifiers = fields[1] if len(fields) > 1 else ""
        text = fields[2] if len(fields) > 2 else ""
        limits = self.limits
        if not code_text.isdigit() or (modifiers and not modifiers.isdigit()):
            return False
        code = int(code_text)
        if modifiers and int(modifiers) > limits.max_modifiers:
            return False
        if text:
            parts = text.split(":")
            if len(parts) > limits.max_text_codepoints:
                return False
            if not all(part.isdigit() and printable_codepoint(int(part), limits) for part in parts):
                return False
        if f"{code}{final}" in self.functional:
            return True
        if final == "u":
            return printable_codepoint(code, limits)
        # xterm's modifyOtherKeys: CSI 27 ; modifiers ; code ~
        return final == "~" and code == 27 and bool(text)

    def _mouse(self, sequence: str, params: str, final: str, now: float) -> None:
        fields = params.split(";")
        limits = self.limits
        if len(fields) != 3 or not all(field.isdigit() for field in fields):
            self.stats.drop("malformed", sequence)
            return
        button, x, y = (int(field) for field in fields)
        if (
            button > limits.max_mouse_button
            or not 1 <= x <= limits.max_mouse_coordinate
            or not 1 <= y <= limits.max_mouse_coordinate
        ):
            self.stats.drop("out_of_range", sequence)
            return
        which = button & 0b11000011  # the button, whatever the modifier keys
        if final == "m":
            # A release follows its press: dropped with it, passed with it.
            if which in self._dropped_buttons:
                self._dropped_buttons.discard(which)
            else:
                self._out.append(sequence)
            return
        if button & 32:  # motion
            if now - self._last_motion < limits.motion_interval:
                self.stats.drop("motion", sequence)
                return
            if self._emit_unit(sequence):
                self._last_motion = now
            return
        # A press decides the fate of the next release of its button (a dropped press may
        # never have had one: it must not take the release of the next tap with it).
        self._dropped_buttons.discard(which)
        if not self._emit_unit(sequence) and not button & 64:
            self._dropped_buttons.add(which)

    def _mode_report(self, sequence: str, params: str, now: float) -> None:
        """A DECRPM reply (``CSI ? mode ; value $ y``): only to a query the app made."""
        mode, _, value = params.partition(";")
        if (
            mode in self.awaiting_reports
            and len(value) == 1
            and value.isdigit()
            and now - self._start <= self.limits.report_window
        ):
            self.awaiting_reports.discard(mode)
            if mode == "2048":
                self.in_band_resize = int(value) not in (0, 4)
            self._emit_unit(sequence)
        else:
            self.stats.drop("unrequested_report", sequence)

    def _in_band_size(self, sequence: str, params: str) -> None:
        """An in-band size report (``CSI 48 ; rows ; columns ; height px ; width px t``)."""
        fields = params.split(";")
        limits = self.limits
        if not self.in_band_resize:
            self.stats.drop("unrequested_resize", sequence)
            return
        if len(fields) != 4 or not all(field.isdigit() for field in fields):
            self.stats.drop("malformed", sequence)
            return
        rows, columns, height, width = (int(field) for field in fields)
        if not (
            1 <= rows <= limits.max_rows
            and 1 <= columns <= limits.max_columns
            and rows <= height <= limits.max_pixels
            and columns <= width <= limits.max_pixels
        ):
            self.stats.drop("out_of_range", sequence)
            return
        if self.size_check is not None:
            try:
                agrees = self.size_check(columns, rows)
            except Exception:
                agrees = False
            if not agrees:
                self.stats.drop("size_mismatch", sequence)
                return
        self._emit_unit(sequence)

    # -- paste -------------------------------------------------------------------------------

    def _in_paste(self, character: str, now: float) -> None:
        if self._state == PASTE_ESC:
            candidate = self._seq + character
            if PASTE_END.startswith(candidate):
                self._seq = candidate
                if candidate == PASTE_END:
                    self._close_paste()
                    self._reset(GROUND, now)
                return
            # Another escape sequence inside the paste: the paste was never closed (or
            # carried escapes, which the kiosk does not take). Close it; read the sequence.
            pending = candidate
            self._close_paste()
            self._reset(GROUND, now)
            for pending_character in pending:
                self._step(pending_character, now)
            return
        if character == ESC:
            self._state, self._seq = PASTE_ESC, ESC
            return
        if self._paste_kept >= self.limits.paste_chars:
            self._paste_cut = True
            return
        if character in "\r\n\t":
            character = " "
        elif not character.isprintable() or _dropped_character(character):
            return
        self._paste.append(character)
        self._paste_kept += 1

    def _close_paste(self) -> None:
        text = "".join(self._paste).strip()
        if self._paste_cut:
            self.stats.drop("paste_cut", text[:16])
        if text:
            self._emit_unit(PASTE_START + text + PASTE_END)
        self._paste, self._paste_kept, self._paste_cut = [], 0, False

    # -- budget ------------------------------------------------------------------------------

    def _emit_unit(self, text: str) -> bool:
        """Pass ``text`` (one key, tap, paste or report) if the budget allows; True if passed."""
        now = self._now
        limits = self.limits
        self._tokens = min(float(limits.burst), self._tokens + (now - self._refilled) * limits.rate)
        self._refilled = now
        behind = 0
        if self.backlog is not None:
            try:
                behind = int(self.backlog())
            except Exception:
                behind = 0
        if self._tokens < 1.0 or behind > limits.backlog:
            self.stats.drop("flood", text)
            return False
        self._tokens -= 1.0
        self.stats.units += 1
        self._out.append(text)
        return True


class ByteInputFilter:
    """:class:`InputFilter` over bytes: UTF-8 decoded leniently (invalid bytes are dropped)."""

    def __init__(self, text_filter: InputFilter) -> None:
        self.filter = text_filter
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode

    def feed(self, data: bytes, now: float) -> str:
        return self.filter.feed(self._decode(data), now)

    def flush(self, now: float) -> str:
        return self.filter.flush(now)
