"""The emergency bar shown at the top of every screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.site import Site
from kiosk.strings import Strings


class EmergencyBar(Vertical):
    """The emergency number, its label and the staff instruction from the site config.

    All text is site data, so it is shown with ``markup=False``.
    """

    DEFAULT_CSS = """
    EmergencyBar { height: auto; background: $error; color: $text; dock: top; }
    EmergencyBar > .emergency-call { text-style: bold; padding: 0 1; }
    EmergencyBar > .emergency-staff { padding: 0 1; }
    """

    def __init__(self, site: Site, strings: Strings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.site = site
        self.strings = strings

    def compose(self) -> ComposeResult:
        yield Static(self._call_text(), classes="emergency-call", markup=False)
        if self.site.staff_instruction:
            yield Static(self.site.staff_instruction, classes="emergency-staff", markup=False)

    def _call_text(self) -> str:
        return self.strings.format(
            "emergency.bar",
            label=self.site.wording("emergency_label", self.strings),
            number=self.site.emergency_number,
        )

    def set_strings(self, strings: Strings) -> None:
        """Switch language in place."""
        self.strings = strings
        self.query_one(".emergency-call", Static).update(self._call_text())
