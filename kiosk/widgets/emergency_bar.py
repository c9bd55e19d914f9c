"""The emergency bar shown at the top of every screen."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.site import Site
from kiosk.strings import Strings


class EmergencyBar(Vertical):
    """The emergency number, its label and the staff instruction from the site config.

    All text is site data, so it is shown with ``markup=False``. It follows the app's
    ``language`` reactive (when the app has one) on its own.
    """

    def __init__(self, site: Site, strings: Strings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.site = site
        self.strings = strings

    def compose(self) -> ComposeResult:
        yield Static(self._call_text(), classes="emergency-call", markup=False)
        if self.site.staff_instruction:
            yield Static(self.site.staff_instruction, classes="emergency-staff", markup=False)

    def on_mount(self) -> None:
        if hasattr(type(self.app), "language"):
            self.watch(self.app, "language", self._show_language, init=False)

    def _call_text(self) -> str:
        return self.strings.format(
            "emergency.bar",
            label=self.site.wording("emergency_label", self.strings),
            number=self.site.emergency_number,
        )

    def _show_language(self, language: str) -> None:
        self.strings = Strings(language)
        self.query_one(".emergency-call", Static).update(self._call_text())
