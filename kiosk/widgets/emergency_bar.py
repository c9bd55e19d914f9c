"""The emergency bar shown at the top of every screen."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.site import Site
from kiosk.strings import Strings


class EmergencyBar(Vertical):
    """Every emergency number with its label, and the staff instruction, from the site.

    One number reads "Emergency: call 112"; several read "Ambulance: 103 · Emergency:
    112", on one line where it fits. All text is site data, so it is shown with
    ``markup=False``. It follows the app's ``language`` reactive (when the app has one)
    on its own.
    """

    def __init__(self, site: Site, strings: Strings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.site = site
        self.strings = strings

    def compose(self) -> ComposeResult:
        yield Static(self._call_text(), classes="emergency-call", markup=False)
        staff = Static(self._staff_text(), classes="emergency-staff", markup=False)
        staff.display = bool(self._staff_text())
        yield staff

    def on_mount(self) -> None:
        if hasattr(type(self.app), "language"):
            self.watch(self.app, "language", self._show_language, init=False)

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

    def _show_language(self, language: str) -> None:
        self.strings = Strings(language)
        self.query_one(".emergency-call", Static).update(self._call_text())
        staff = self.query_one(".emergency-staff", Static)
        staff.update(self._staff_text())
        staff.display = bool(self._staff_text())
