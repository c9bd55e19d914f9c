"""The out-of-service screen, shown when the deck is missing or empty.

A visitor still learns the one thing that matters, the emergency number, in
big digits, plus where the first-aid kit and defibrillator are. The reason is
shown small for staff. There is no way out from here except staff access,
which the app provides: by its key sequence, or by tapping the site name
(:class:`~kiosk.widgets.site_name.SiteName`, whose taps the app counts
wherever they come from).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Digits, Static

from kiosk.screens.base import KioskScreen
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.widgets.emergency_bar import EmergencyBar
from kiosk.widgets.site_name import SiteName

DIGITS_CHARACTERS = frozenset(" 0123456789+-()")
"""Characters Textual's ``Digits`` draws large; other numbers are shown as bold text."""


class MessageScroll(VerticalScroll, can_focus=False):
    """Scrolls on very small screens; never takes focus (there is nothing to type)."""


class OutOfServiceScreen(KioskScreen[None]):
    """A clear "out of service" message with the emergency number still big on it."""

    def __init__(self, site: Site, strings: Strings, reason: str) -> None:
        super().__init__()
        self.site = site
        self.strings = strings
        self.reason = reason

    def compose(self) -> ComposeResult:
        text, site = self.strings, self.site
        yield EmergencyBar(site, text)
        with MessageScroll(id="oos-body"), Vertical(id="oos-message"):
            name = site.wording("name", text)
            if name:
                yield SiteName(name, id="oos-site-name", markup=False)
            yield Static(text["out_of_service.title"], id="oos-title", markup=False)
            yield Static(text["out_of_service.call"], id="oos-call", markup=False)
            number = site.emergency_numbers_for(text)[0].number.strip()
            if number and set(number) <= DIGITS_CHARACTERS:
                yield Digits(number, id="oos-number")
            else:
                yield Static(number, id="oos-number", markup=False)
            yield Static(text["out_of_service.tell_staff"], id="oos-staff", markup=False)
            places = []
            kit_place = site.wording("first_aid_kit", text)
            if kit_place:
                places.append(text.format("out_of_service.first_aid_kit", value=kit_place))
            aed_place = site.wording("defibrillator", text)
            if aed_place:
                places.append(text.format("out_of_service.defibrillator", value=aed_place))
            if places:
                yield Static("\n".join(places), id="oos-places", markup=False)
            yield Static(
                text.format("out_of_service.reason", reason=self.reason),
                id="oos-reason",
                markup=False,
            )
