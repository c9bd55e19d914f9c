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
        self.places_shown = True
        """False where a screen needs every row (the staff PIN pad, search with the
        Ukrainian keyboard on a short screen); :meth:`rows_for` then counts without it."""

    def show_places(self, shown: bool) -> None:
        """Show or leave out the AED and kit line (see :attr:`places_shown`)."""
        self.places_shown = shown
        self._show_places(self.size.width or self.app.size.width)

    def compose(self) -> ComposeResult:
        yield Static(self._call_text(), classes="emergency-call", markup=False)
        staff = Static(self._staff_text(), classes="emergency-staff", markup=False)
        height = self.app.size.height if self.app is not None else 24
        staff.display = self._staff_shown(height)
        yield staff
        width = self.app.size.width if self.app is not None else 80
        places_text = self.places_text(width)
        places = Static(places_text, classes="emergency-places", markup=False)
        places.display = bool(places_text)
        yield places

    def on_mount(self) -> None:
        if hasattr(type(self.app), "language"):
            self.watch(self.app, "language", self._show_language, init=False)

    def on_resize(self, event: events.Resize) -> None:
        self._show_places(event.size.width)
        self.query_one(".emergency-staff", Static).display = self._staff_shown(self.app.size.height)

    def _staff_shown(self, screen_rows: int) -> bool:
        return bool(self._staff_text()) and screen_rows >= STAFF_LINE_MIN_ROWS

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
        return (
            max(1, text_rows(self._call_text(), inner))
            + (
                text_rows(self._staff_text(), inner)
                if self._staff_shown(self.app.size.height)
                else 0
            )
            + (text_rows(self.places_text(width), inner) if self.places_shown else 0)
        )

    def _show_places(self, width: int) -> None:
        text = self.places_text(width)
        places = self.query_one(".emergency-places", Static)
        places.update(text)
        places.display = bool(text) and self.places_shown

    def _show_language(self, language: str) -> None:
        self.strings = Strings(language)
        self.query_one(".emergency-call", Static).update(self._call_text())
        staff = self.query_one(".emergency-staff", Static)
        staff.update(self._staff_text())
        staff.display = self._staff_shown(self.app.size.height)
        self._show_places(self.size.width or self.app.size.width)
