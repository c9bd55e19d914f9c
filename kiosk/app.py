"""The Textual app and its factory.

WALKING-SKELETON VERSION: replaced by the real screens in issue 3. The
``make_app`` signature is the contract the CLI and the tests use.
"""

from __future__ import annotations

import argparse

from textual.app import App, ComposeResult
from textual.widgets import Static

from kiosk.deck.model import LoadResult
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.widgets.emergency_bar import EmergencyBar


class KioskApp(App[None]):
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, load_result: LoadResult, site: Site) -> None:
        super().__init__()
        self.load_result = load_result
        self.site = site

    def compose(self) -> ComposeResult:
        yield EmergencyBar(self.site, Strings(self.site.default_language))
        yield Static(self.site.name, id="site-name", markup=False)


def make_app(load_result: LoadResult, site: Site) -> KioskApp:
    """Build the app from an already-loaded deck and site (used by the CLI and tests)."""
    return KioskApp(load_result, site)


def run_from_args(args: argparse.Namespace) -> int:
    """``kiosk run``: load the deck and site named on the command line and run."""
    from dataclasses import replace

    from kiosk.deck import bundled_cards_dir, load_deck
    from kiosk.site import load_site

    site = load_site(args.site).site
    if args.kiosk:
        site = replace(site, kiosk=True)
    make_app(load_deck(args.cards or bundled_cards_dir()), site).run()
    return 0
