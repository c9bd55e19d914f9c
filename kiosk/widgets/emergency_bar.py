"""The emergency bar shown at the top of every screen."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from kiosk.site import Site
from kiosk.strings import Strings

BAR_PADDING = 2
"""Cells of padding left and right of every line of the bar (``widgets.tcss``)."""

STAFF_LINE_MIN_ROWS = 12
"""Screens with fewer rows leave out the staff instruction: the number and where the AED
and kit are must stay (issue 12), and the card's step needs the rows (36x10)."""


def text_rows(text: str, width: int) -> int:
    """How many rows ``text`` takes when wrapped at ``width`` cells (0 for no text)."""
    if not text:
        return 0
    return len(Content(text).wrap(max(1, width)))


class EmergencyBar(Vertical):
    """Every emergency number with its label, the staff instruction, and where the
    defibrillator (AED) and the first-aid kit are, from the site.

    One number reads "Emergency: call 112"; several read "Ambulance: 103 · Emergency:
    112", on one line where it fits. The places line reads "Defibrillator (AED): by the
    lifts · First-aid kit: reception" where that fits on one line, else "AED: by the
    lifts · Kit: reception"; where even that is too wide it wraps (never cut). All text
    is site data, so it is shown with ``markup=False``. It follows the app's ``language``
    reactive (when the app has one) on its own.
    """

    def __init__(self, site: Site, strings: Strings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.site = site
        self.strings = strings
        # Kept, not queried: a bar being replaced (the idle reset) may lose its children
        # while a Mount or Resize for it is still queued.
        self._call_line = Static(self._call_text(), classes="emergency-call", markup=False)
        self._staff_line = Static(self._staff_text(), classes="emergency-staff", markup=False)
        self._places_line = Static("", classes="emergency-places", markup=False)
        self.row_limit: int | None = None
        """At most this many rows (a modal that needs the others: the staff PIN pad on a
        short screen); ``None``: every line the screen's height allows."""

    def limit_rows(self, rows: int | None) -> None:
        """Keep the bar within ``rows`` rows: the number line always (``0``: that line
        alone), then the AED and kit line, then the staff instruction, each only where it
        fits whole. Used by the PIN prompt and, at 36x10 in Ukrainian, by search."""
        self.row_limit = rows
        self._show_lines(self.size.width or self.app.size.width)

    def compose(self) -> ComposeResult:
        self._show_lines(self.app.size.width)
        yield self._call_line
        yield self._staff_line
        yield self._places_line

    def on_mount(self) -> None:
        if hasattr(type(self.app), "language"):
            self.watch(self.app, "language", self._show_language, init=False)

    def on_resize(self, event: events.Resize) -> None:
        self._show_lines(event.size.width)

    def _lines_shown(self, width: int) -> tuple[bool, bool]:
        """(staff instruction, AED and kit line): which of them the bar shows."""
        inner = width - BAR_PADDING
        left = None if self.row_limit is None else self.row_limit - self._call_rows(inner)
        places_rows = text_rows(self.places_text(width), inner)
        places = places_rows > 0 and (left is None or places_rows <= left)
        if places and left is not None:
            left -= places_rows
        staff_rows = text_rows(self._staff_text(), inner)
        staff = (
            staff_rows > 0
            and self.app.size.height >= STAFF_LINE_MIN_ROWS
            and (left is None or staff_rows <= left)
        )
        return staff, places

    def _call_rows(self, inner: int) -> int:
        return max(1, text_rows(self._call_text(), inner))

    def _call_text(self) -> str:
        numbers = self.site.emergency_numbers_for(self.strings)
        if len(numbers) == 1:
            return self.strings.format(
                "emergency.bar", label=numbers[0].label, number=numbers[0].number
            )
        return self.strings["emergency.bar.separator"].join(
            self.strings.format("emergency.bar.entry", label=entry.label, number=entry.number)
            for entry in numbers
        )

    def _staff_text(self) -> str:
        return self.site.wording("staff_instruction", self.strings)

    def places_text(self, width: int) -> str:
        """The AED and kit line for a bar ``width`` cells wide ("" if the site names neither).

        The first of these that fits on one line: the long labels ("Defibrillator (AED):
        ..."), the short ones ("AED: ..."), the short ones with the site's short wording
        (``defibrillator_short``, ``first_aid_kit_short``). Where none does, one line
        each (in the short wording), each wrapping if it must: never cut.
        """
        inner = width - BAR_PADDING
        separator = self.strings["emergency.bar.separator"]
        forms = [
            self._places("home", short_wording=False),
            self._places("bar", short_wording=False),
            self._places("bar", short_wording=True),
        ]
        for parts in forms:
            if text_rows(separator.join(parts), inner) <= 1:
                return separator.join(parts)
        return "\n".join(forms[-1])

    def _places(self, labels: str, *, short_wording: bool) -> list[str]:
        """The defibrillator and kit, each after its label (``home.*`` or ``bar.*``)."""
        parts = []
        for key in ("defibrillator", "first_aid_kit"):
            where = self.site.wording(key, self.strings)
            if short_wording:
                where = self.site.wording(f"{key}_short", self.strings) or where
            if where:
                parts.append(self.strings.format(f"{labels}.{key}", where=where))
        return parts

    def rows_for(self, width: int) -> int:
        """Rows the bar takes on a screen ``width`` cells wide (for screens that fit themselves)."""
        inner = width - BAR_PADDING
        staff, places = self._lines_shown(width)
        return (
            self._call_rows(inner)
            + (text_rows(self._staff_text(), inner) if staff else 0)
            + (text_rows(self.places_text(width), inner) if places else 0)
        )

    def _show_lines(self, width: int) -> None:
        staff, places = self._lines_shown(width)
        self._staff_line.display = staff
        self._places_line.update(self.places_text(width))
        self._places_line.display = places

    def _show_language(self, language: str) -> None:
        self.strings = Strings(language)
        self._call_line.update(self._call_text())
        self._staff_line.update(self._staff_text())
        self._show_lines(self.size.width or self.app.size.width)
