"""Staff access: the PIN prompt and the staff screen.

:class:`StaffPinScreen` is a modal with a big number pad that works by taps
alone (or digit keys); it shows dots, never digits, and gives up after a
while without input so a visitor cannot leave it open. :class:`StaffScreen`
shows what staff need to look after the kiosk and lets them leave it.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Sequence
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Static

from kiosk.core.problem import Problem, Severity
from kiosk.pin_lockout import PinLockout, clock_text
from kiosk.screens.base import KioskModalScreen, KioskScreen
from kiosk.session import PIN_TIMEOUT_SECONDS, WRONG_PIN_SECONDS, Clock
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.handout import PrinterStatus
from kiosk.widgets.tap_key import TapKey

MAX_PIN_LENGTH = 12
"""Digits beyond this are ignored (and a visitor cannot fill memory by tapping)."""

TIMEOUT_CHECK_SECONDS = 0.25
"""How often the PIN prompt looks at its clock."""

FULL_PAD_ROWS = 24
"""Rows a screen needs for the PIN pad's three-row keys under the emergency bar."""

COMPACT_DIALOG_ROWS = 8
"""Rows of the PIN dialog with one-row keys: title, dots, message, four rows of keys, and
Cancel and OK (``staff.tcss``)."""

RECENT_LOG_LINES = 20
"""How many of the last log lines the staff screen shows."""


class StaffPinScreen(KioskModalScreen[bool]):
    """Ask for the staff PIN; dismissed with True only for the right PIN.

    The pad's keys never take focus, so digits, Enter and Escape from a
    keypad always reach the prompt.

    Dismissed with False on a wrong PIN (after showing "Wrong PIN" for
    ``wrong_pin_seconds``), on Cancel or Escape, and after ``timeout_seconds``
    without a tap or key; both are read from ``clock`` (the app's). An empty
    configured PIN matches nothing: the caller decides what a site without a PIN means.
    Screens under ``FULL_PAD_ROWS`` rows get one-row keys (the ``-compact`` class).

    Wrong PINs count in ``lockout`` (the app's, so reopening the prompt does not clear
    it): while it is locked the prompt says "Try again in 0:30" and refuses a PIN
    without checking it. The site's emergency bar stays on top of the prompt (A10).
    """

    BINDINGS = [
        *(
            Binding(digit, f"digit('{digit}')", show=False, id=f"staff.pin.{digit}")
            for digit in "0123456789"
        ),
        Binding("backspace", "backspace", show=False, id="staff.pin.backspace"),
        Binding("enter", "submit", show=False, id="staff.pin.ok"),
        Binding("escape", "cancel", show=False, id="staff.pin.cancel"),
    ]

    def __init__(
        self,
        pin: str,
        strings: Strings,
        timeout_seconds: float = PIN_TIMEOUT_SECONDS,
        *,
        clock: Clock = time.monotonic,
        wrong_pin_seconds: float = WRONG_PIN_SECONDS,
        site: Site | None = None,
        lockout: PinLockout | None = None,
    ) -> None:
        super().__init__()
        self._pin = pin.encode("utf-8")
        self.site = site
        self.lockout = lockout if lockout is not None else PinLockout(clock)
        self._refusal_logged = False
        self._showing_lockout = False
        self.strings = strings
        self.timeout_seconds = timeout_seconds
        self._clock = clock
        self._wrong_pin_seconds = wrong_pin_seconds
        self._entered = ""
        self._last_input = clock()
        self._finished = False
        self._wrong_until: float | None = None

    def compose(self) -> ComposeResult:
        if self.site is not None:
            yield EmergencyBar(self.site, self.strings)
        with Vertical(id="pin-dialog"):
            yield Static(self.strings["staff.pin.title"], id="pin-title", markup=False)
            yield Static(self._dots(), id="pin-dots", markup=False)
            yield Static("", id="pin-message", markup=False)
            with Widget(id="pin-pad"):
                for digit in "123456789":
                    shade = " -alt" if int(digit) % 2 == 0 else ""  # chequerboard on compact pads
                    yield TapKey(digit, digit, id=f"pin-{digit}", classes=f"digit{shade}")
                text = self.strings
                yield TapKey(text["staff.pin.backspace"], id="pin-backspace", classes="-alt")
                yield TapKey("0", "0", id="pin-0", classes="digit")
                yield TapKey(text["staff.pin.clear"], id="pin-clear", classes="-alt")
                yield TapKey(text["staff.pin.cancel"], id="pin-cancel")
                yield TapKey(text["staff.pin.ok"], id="pin-ok")

    def on_mount(self) -> None:
        self._last_input = self._clock()
        self._fit_emergency_bar()
        self._show_lockout()
        self.set_interval(TIMEOUT_CHECK_SECONDS, self.check_timeout)

    def on_resize(self) -> None:
        self._fit_emergency_bar()

    def _fit_emergency_bar(self) -> None:
        """Fit the emergency bar and the pad: one-row keys (``-compact``) below
        ``FULL_PAD_ROWS``, and there the bar keeps only the lines the pad leaves room for
        (at 36x10 the number line alone; at 40x15 all of them)."""
        height = self.app.size.height
        compact = height < FULL_PAD_ROWS
        self.set_class(compact, "-compact")
        if self.site is not None:
            self.query_one(EmergencyBar).limit_rows(
                height - COMPACT_DIALOG_ROWS if compact else None
            )

    def _show_lockout(self) -> None:
        """While locked, "Try again in 0:30" (counting down); cleared when it ends."""
        message = self.query_one("#pin-message", Static)
        left = self.lockout.seconds_left()
        if left > 0:
            message.update(self.strings.format("staff.pin.locked", time=clock_text(left)))
            self._showing_lockout = True
        elif self._showing_lockout:
            message.update("")
            self._showing_lockout = False

    def _dots(self) -> str:
        return " ".join("●" * len(self._entered)) or self.strings["staff.pin.empty"]

    def _touched(self) -> None:
        self._last_input = self._clock()
        self.query_one("#pin-dots", Static).update(self._dots())

    def check_timeout(self) -> None:
        """Dismiss with False once "Wrong PIN" has shown long enough, or after
        ``timeout_seconds`` without input."""
        now = self._clock()
        if not self._finished:
            self._show_lockout()
        if self._wrong_until is not None:
            if now >= self._wrong_until:
                self._wrong_until = None
                self.dismiss(False)
            return
        if not self._finished and now - self._last_input >= self.timeout_seconds:
            self._finish(False)

    def _finish(self, result: bool) -> None:
        if not self._finished:
            self._finished = True
            self.dismiss(result)

    def action_digit(self, digit: str) -> None:
        """Add one digit to the PIN being entered."""
        if self._finished:
            return
        if len(self._entered) < MAX_PIN_LENGTH:
            self._entered += digit
        if not self.lockout.locked:
            self.query_one("#pin-message", Static).update("")
        self._touched()

    def action_backspace(self) -> None:
        """Remove the last digit."""
        self._entered = self._entered[:-1]
        self._touched()

    def action_clear(self) -> None:
        """Remove every digit."""
        self._entered = ""
        self._touched()

    def action_cancel(self) -> None:
        """Leave without staff access."""
        self._finish(False)

    def action_submit(self) -> None:
        """Check the PIN: True if right; otherwise show "Wrong PIN" and dismiss with False."""
        if self._finished or not self._entered:
            return
        if self.lockout.locked:
            self._entered = ""  # refused unchecked, right or wrong
            self._touched()
            self._show_lockout()
            if not self._refusal_logged:  # once per prompt: a tap flood cannot flood the log
                self._refusal_logged = True
                self.lockout.refused()
            return
        right = bool(self._pin) and hmac.compare_digest(self._entered.encode("utf-8"), self._pin)
        if right:
            self.lockout.right_pin()
            self._finish(True)
            return
        self.lockout.wrong_pin()
        self._entered = ""
        self._touched()
        self.query_one("#pin-message", Static).update(self.strings["staff.pin.wrong"])
        if self._wrong_pin_seconds > 0:
            self._finished = True
            self._wrong_until = self._clock() + self._wrong_pin_seconds
        else:
            self._finish(False)

    @on(TapKey.Tapped, ".digit")
    def _digit_tapped(self, event: TapKey.Tapped) -> None:
        event.stop()
        self.action_digit(event.value)

    @on(TapKey.Tapped, "#pin-backspace")
    def _backspace_tapped(self, event: TapKey.Tapped) -> None:
        event.stop()
        self.action_backspace()

    @on(TapKey.Tapped, "#pin-clear")
    def _clear_tapped(self, event: TapKey.Tapped) -> None:
        event.stop()
        self.action_clear()

    @on(TapKey.Tapped, "#pin-cancel")
    def _cancel_tapped(self, event: TapKey.Tapped) -> None:
        event.stop()
        self.action_cancel()

    @on(TapKey.Tapped, "#pin-ok")
    def _ok_tapped(self, event: TapKey.Tapped) -> None:
        event.stop()
        self.action_submit()


class StaffScreen(KioskScreen[str]):
    """Version, log location and its last lines, site settings and deck problems; Exit or Back.

    Dismissed with ``"exit"`` or ``"back"``. Everything shown is plain text. A banner
    above the scrolling part says how many errors the site file had (``site_errors``),
    so an operator cannot miss that some settings fell back to defaults.
    """

    BINDINGS = [Binding("escape", "back", "Back to kiosk", show=False, id="staff.back")]

    def __init__(
        self,
        problems: Sequence[Problem],
        version: str,
        log_path: Path | None,
        site: Site,
        strings: Strings,
        *,
        log_lines: Sequence[str] = (),
        site_errors: int = 0,
        deck_version: str = "",
    ) -> None:
        super().__init__()
        self.site_errors = site_errors
        self.log_lines = tuple(log_lines)[-RECENT_LOG_LINES:]
        self.problems = tuple(problems)
        self.version = version
        self.deck_version = deck_version
        self.log_path = log_path
        self.site = site
        self.strings = strings

    def compose(self) -> ComposeResult:
        text = self.strings
        yield EmergencyBar(self.site, text)
        banner = Static(
            text.format("staff.site_errors", count=self.site_errors),
            id="staff-site-errors",
            markup=False,
        )
        banner.display = self.site_errors > 0
        yield banner
        with VerticalScroll(id="staff-info"):
            yield Static(text["staff.title"], id="staff-title", classes="heading", markup=False)
            yield Static(text.format("staff.version", version=self.version), markup=False)
            if self.deck_version:
                yield Static(
                    text.format("staff.deck", version=self.deck_version),
                    id="staff-deck",
                    markup=False,
                )
            yield Static(self._log_line(), id="staff-log", markup=False)
            yield Static(self._voice_line(), id="staff-voice", markup=False)
            yield Static(self._problems_heading(), id="staff-problems-count", classes="heading")
            yield Static(
                "\n".join(p.format() for p in self.problems),
                id="staff-problems",
                markup=False,
            )
            yield PrinterStatus(self.strings)  # print-ui: the printer and its last fault
            yield Static(text["staff.site"], classes="heading", markup=False)
            yield Static("\n".join(self._site_lines()), id="staff-site", markup=False)
            yield Static(text["staff.recent_log"], classes="heading", markup=False)
            yield Static(
                "\n".join(self.log_lines) or text["staff.recent_log_none"],
                id="staff-recent-log",
                markup=False,
            )
        with Horizontal(id="staff-actions"):
            yield Button(Content(text["staff.back"]), id="staff-back", variant="primary")
            yield Button(Content(text["staff.exit"]), id="staff-exit", variant="error")

    def on_mount(self) -> None:
        self.query_one("#staff-problems").display = bool(self.problems)
        self.query_one("#staff-info").focus()
        self._watch_voice(True)

    # -- the voice line (voice-ui): "Voice: ready (...)" / "Voice unavailable: ..." -------

    def _voice_line(self) -> str:
        from kiosk.voice.ui import staff_voice_line

        return staff_voice_line(getattr(self.app, "read_aloud", None), self.strings)

    def _watch_voice(self, on: bool) -> None:
        read_aloud = getattr(self.app, "read_aloud", None)
        if read_aloud is not None:
            (read_aloud.add_watcher if on else read_aloud.remove_watcher)(self._show_voice)

    def _show_voice(self) -> None:
        self.query_one("#staff-voice", Static).update(self._voice_line())

    def on_unmount(self) -> None:
        self._watch_voice(False)

    def _log_line(self) -> str:
        if self.log_path is None:
            return self.strings["staff.log_memory"]
        return self.strings.format("staff.log", path=str(self.log_path))

    def _site_lines(self) -> list[str]:
        text, site = self.strings, self.site

        def value(raw: object) -> str:
            if isinstance(raw, bool):
                return text["staff.yes"] if raw else text["staff.no"]
            return str(raw) if raw not in ("", None) else text["staff.unset"]

        def wording(key: str) -> str:
            return value(site.wording(key, text))

        emergency = [
            text.format("staff.site.emergency", label=entry.label, number=entry.number)
            for entry in site.emergency_numbers_for(text)
        ]
        return [
            text.format("staff.site.name", value=wording("name")),
            *emergency,
            text.format("staff.site.staff_instruction", value=wording("staff_instruction")),
            text.format("staff.site.first_aid_kit", value=wording("first_aid_kit")),
            text.format("staff.site.defibrillator", value=wording("defibrillator")),
            text.format("staff.site.default_language", value=value(site.default_language)),
            text.format("staff.site.idle_timeout", value=value(site.idle_timeout_seconds)),
            text.format("staff.site.theme", value=value(site.theme)),
            text.format("staff.site.text_size", value=value(site.text_size)),
            text.format("staff.site.kiosk", value=value(site.kiosk)),
            text.format("staff.site.pin", value=value(bool(site.staff_pin))),
            text.format("staff.site.log_dir", value=value(site.log_dir)),
        ]

    def _problems_heading(self) -> Content:
        if not self.problems:
            return Content(self.strings["staff.problems_none"])
        errors = sum(1 for p in self.problems if p.severity is Severity.ERROR)
        return Content(
            self.strings.format(
                "staff.problems",
                count=len(self.problems),
                errors=errors,
                warnings=len(self.problems) - errors,
            )
        )

    @on(Button.Pressed, "#staff-exit")
    def _exit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss("exit")

    @on(Button.Pressed, "#staff-back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    def action_back(self) -> None:
        """Return to the kiosk."""
        self.dismiss("back")
